"""The roster page offscreen: add, invalid edits, reorder, past days, end, hand over."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from app.roster import service
from app.roster.roles import GroupRole, OfficeRole
from app.roster.service import MemberInput
from app.storage.models import GroupMembership, Person, Unit
from ui import dialogs
from ui.dialogs.end_dialog import EndMembershipDialog
from ui.dialogs.group_dialog import GroupSettingsDialog
from ui.dialogs.member_dialog import MemberDialog
from ui.dialogs.succession_dialog import SuccessionDialog
from ui.models.roster_model import COL_NAME
from ui.pages.roster import RosterPage

TODAY = dt.date(2025, 6, 30)
START = dt.date(2024, 1, 1)


def add(name: str, role: GroupRole = GroupRole.MEMBER, titles: str = "", office=None) -> int:
    data = MemberInput(name=name, role=role, titles=(titles,), office_role=office)
    return service.add_member(data, START)


@pytest.fixture
def members() -> dict[str, int]:
    Unit.create(name="青禾镇", kind="township")
    return {
        "周建国": add("周建国", GroupRole.LEADER, "镇党委书记"),
        "郑平": add("郑平", GroupRole.EXECUTIVE_DEPUTY, "常务副镇长"),
        "王丽": add("王丽", GroupRole.DEPUTY, "组织委员"),
        "李强": add("李强", GroupRole.DEPUTY, "副镇长"),
        "钱多": add("钱多", GroupRole.MEMBER, "应急管理办公室主任", OfficeRole.DIRECTOR),
        "闫旻": add("闫旻", GroupRole.MEMBER, "组织委员、常青村党总支书记、主任"),
    }


@pytest.fixture
def page(gui, qtbot, members: dict[str, int]) -> RosterPage:
    page = RosterPage(today=TODAY)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    return page


def names_in_view(page: RosterPage) -> list[str]:
    proxy = page.proxy
    return [proxy.index(row, COL_NAME).data() for row in range(proxy.rowCount())]


def names_in_db(day: dt.date = TODAY) -> list[str]:
    return [line.name for line in service.roster_as_of(day).lines]


def select(page: RosterPage, name: str) -> None:
    page.select_membership(next(m.membership_id for m in page.snapshot.lines if m.name == name))
    assert page.selected_line() is not None and page.selected_line().name == name


def type_chinese(widget: QWidget, text: str) -> None:
    """What a Chinese input method does: commit the composed characters."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def answer_with(monkeypatch: pytest.MonkeyPatch, act: Callable[[QDialog], None]) -> list[QDialog]:
    """Stand in for the user: ``act`` fills and presses buttons; the dialogs opened are kept."""
    seen: list[QDialog] = []

    def fake_run(dialog: QDialog) -> int:
        seen.append(dialog)
        act(dialog)
        return dialog.result()

    monkeypatch.setattr(dialogs, "run_dialog", fake_run)
    return seen


# ---------------------------------------------------------------------------- adding


def test_page_shows_the_roster_of_today_in_group_order(page: RosterPage) -> None:
    assert names_in_view(page) == ["周建国", "郑平", "王丽", "李强", "钱多", "闫旻"]
    assert page.group_label.text() == "青禾镇安全生产领导小组"
    assert page.as_of == TODAY
    assert not page.past_notice.isVisible()
    assert "6" in page.count_label.text()


def test_add_a_member_through_the_dialog(page: RosterPage, monkeypatch, qtbot) -> None:
    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, MemberDialog)
        dialog.name_edit.setText("孙  晓燕")
        dialog.titles_edit.setText("东湖社区党委书记、居委会主任")
        dialog.role_combo.setCurrentIndex(dialog.role_combo.findData(GroupRole.DEPUTY.value))
        dialog.phone_edit.setText("13800000008")
        dialog.accept()

    seen = answer_with(monkeypatch, fill)
    with qtbot.waitSignal(page.roster_changed):
        page.add_action.trigger()
    assert seen and seen[0].result() == QDialog.DialogCode.Accepted
    # Deputies block: after the existing deputies; the new member is selected.
    assert names_in_view(page) == ["周建国", "郑平", "王丽", "李强", "孙晓燕", "钱多", "闫旻"]
    assert page.selected_line().name == "孙晓燕"
    line = next(m for m in service.roster_as_of(TODAY).lines if m.name == "孙晓燕")
    assert line.role == GroupRole.DEPUTY
    assert line.titles == ("东湖社区党委书记", "居委会主任")
    assert line.start_date == TODAY
    assert Person.get(Person.name == "孙晓燕").phone == "13800000008"


@pytest.mark.parametrize(
    ("name", "office", "field"),
    [
        ("", None, "name"),
        ("   ", None, "name"),
        ("王丽", None, "name"),  # already in the group
        ("新人", OfficeRole.DIRECTOR, "office_role"),  # 钱多 is the director
    ],
)
def test_invalid_member_shows_the_message_next_to_the_field_and_writes_nothing(
    page: RosterPage, monkeypatch, name: str, office: OfficeRole | None, field: str
) -> None:
    messages: dict[str, str] = {}

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, MemberDialog)
        dialog.show()
        dialog.name_edit.setText(name)
        if office is not None:
            dialog.office_combo.setCurrentIndex(dialog.office_combo.findData(office.value))
        dialog.accept()
        # Still open: the problem is shown under its field, not in a message box.
        assert dialog.isVisible()
        label = dialog.errors.label(field)
        assert label.isVisible()
        messages.update(dialog.errors.messages())
        dialog.reject()

    answer_with(monkeypatch, fill)
    before = GroupMembership.select().count(), Person.select().count()
    page.add_member()
    assert messages.get(field)
    assert (GroupMembership.select().count(), Person.select().count()) == before
    assert names_in_view(page) == ["周建国", "郑平", "王丽", "李强", "钱多", "闫旻"]


def test_editing_to_a_duplicate_name_is_refused(page: RosterPage, monkeypatch) -> None:
    messages: dict[str, str] = {}

    def fill(dialog: QDialog) -> None:
        dialog.show()
        dialog.name_edit.setText("周建国")
        dialog.accept()
        messages.update(dialog.errors.messages())
        dialog.reject()

    answer_with(monkeypatch, fill)
    select(page, "闫旻")
    page.edit_action.trigger()
    assert "name" in messages
    assert Person.select().where(Person.name == "闫旻").count() == 1


def test_problems_show_as_the_user_types(page: RosterPage, qtbot) -> None:
    dialog = MemberDialog(page, day=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    # Nothing is shown before the user has touched a field.
    assert not dialog.errors.label("name").isVisible()
    type_chinese(dialog.name_edit, "王丽")
    qtbot.waitUntil(lambda: dialog.errors.label("name").isVisible(), timeout=2000)
    type_chinese(dialog.name_edit, "娟")
    qtbot.waitUntil(lambda: not dialog.errors.label("name").isVisible(), timeout=2000)


def test_edit_changes_titles_from_the_chosen_day(page: RosterPage, monkeypatch, qtbot) -> None:
    def fill(dialog: QDialog) -> None:
        dialog.titles_edit.setText("组织委员、宣传委员")
        dialog.date_edit.setDate(QDate(2025, 3, 1))
        dialog.accept()

    answer_with(monkeypatch, fill)
    select(page, "王丽")
    with qtbot.waitSignal(page.roster_changed):
        page.edit_member()
    titles = {m.name: m.titles for m in service.roster_as_of(TODAY).lines}
    assert titles["王丽"] == ("组织委员", "宣传委员")
    earlier = {m.name: m.titles for m in service.roster_as_of(dt.date(2025, 2, 1)).lines}
    assert earlier["王丽"] == ("组织委员",)


# ---------------------------------------------------------------------------- order


def test_move_up_and_down_within_a_role_block(page: RosterPage) -> None:
    select(page, "李强")
    assert page.up_action.isEnabled() and not page.down_action.isEnabled()
    page.up_action.trigger()
    assert names_in_view(page)[2:4] == ["李强", "王丽"]
    assert names_in_db()[2:4] == ["李强", "王丽"]
    assert page.selected_line().name == "李强"
    # Top of its block: up makes no sense any more.
    assert not page.up_action.isEnabled() and page.down_action.isEnabled()
    page.down_action.trigger()
    assert names_in_db()[2:4] == ["王丽", "李强"]
    assert names_in_view(page)[2:4] == ["王丽", "李强"]


def test_a_lone_member_of_a_role_cannot_move(page: RosterPage) -> None:
    select(page, "周建国")
    assert not page.up_action.isEnabled()
    assert not page.down_action.isEnabled()
    assert page.edit_action.isEnabled() and page.end_action.isEnabled()


def test_moving_while_sorted_by_name_returns_to_group_order(page: RosterPage) -> None:
    page.table.sortByColumn(COL_NAME, Qt.SortOrder.AscendingOrder)
    select(page, "李强")
    page.up_action.trigger()
    assert names_in_view(page) == ["周建国", "郑平", "李强", "王丽", "钱多", "闫旻"]


def test_nothing_selected_disables_member_actions(page: RosterPage) -> None:
    page.table.clearSelection()
    for action in (
        page.edit_action,
        page.end_action,
        page.succession_action,
        page.up_action,
        page.down_action,
    ):
        assert not action.isEnabled()
    assert page.add_action.isEnabled()
    assert not page.action_buttons[page.edit_action].isEnabled()


# ---------------------------------------------------------------------------- days


def test_a_past_day_shows_the_roster_of_that_day(page: RosterPage) -> None:
    service.add_member(MemberInput(name="后来者", role=GroupRole.MEMBER), dt.date(2025, 1, 1))
    page.refresh()
    assert "后来者" in names_in_view(page)
    page.set_as_of(dt.date(2024, 6, 30))
    assert "后来者" not in names_in_view(page)
    assert page.past_notice.isVisible()
    page.set_as_of(dt.date(2023, 12, 31))
    assert names_in_view(page) == []
    assert page.body.currentWidget() is page.empty_page
    page.today_button.click()
    assert page.as_of == TODAY and "后来者" in names_in_view(page)


def test_search_box_filters_and_ctrl_f_focuses_it(page: RosterPage, qtbot) -> None:
    page.search_edit.setText("闫 旻")
    assert names_in_view(page) == ["闫旻"]
    assert "1" in page.count_label.text() and "6" in page.count_label.text()
    page.search_edit.clear()
    assert len(names_in_view(page)) == 6
    page.activateWindow()
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(page.search_edit.hasFocus, timeout=2000)


# ---------------------------------------------------------------------------- leaving


def test_end_membership_keeps_the_history(page: RosterPage, monkeypatch, qtbot) -> None:
    seen = answer_with(monkeypatch, lambda dialog: dialog.accept())
    select(page, "闫旻")
    with qtbot.waitSignal(page.roster_changed):
        page.end_action.trigger()
    assert isinstance(seen[0], EndMembershipDialog)
    assert seen[0].last_day == TODAY - dt.timedelta(days=1)
    assert "闫旻" not in names_in_view(page)
    assert "闫旻" in names_in_db(TODAY - dt.timedelta(days=1))


@pytest.mark.parametrize("end_areas", [True, False])
def test_ending_a_membership_can_end_the_areas_the_member_answers_for(
    page: RosterPage, monkeypatch, qtbot, end_areas: bool
) -> None:
    from app.org.kinds import UnitKind
    from app.responsibility.assignments import assignments_as_of, set_level
    from app.responsibility.levels import Level
    from app.storage.models import Person, Unit

    village = Unit.create(name="常青村", kind=UnitKind.VILLAGE.value)
    person = Person.get(Person.name == "闫旻")
    set_level(person.id, village.id, Level.DIRECT_LEADERSHIP, START)

    def end(dialog: EndMembershipDialog) -> None:
        assert dialog.areas_check.isVisibleTo(dialog) and "常青村" in dialog.areas_check.text()
        dialog.areas_check.setChecked(end_areas)
        dialog.accept()

    answer_with(monkeypatch, end)
    select(page, "闫旻")
    with qtbot.waitSignal(page.roster_changed):
        page.end_action.trigger()
    assert "闫旻" not in names_in_db(TODAY)
    assert bool(assignments_as_of(TODAY, person_id=person.id)) is not end_areas
    assert assignments_as_of(TODAY - dt.timedelta(days=1), person_id=person.id)


def test_an_entry_made_by_mistake_can_be_removed_after_confirming(
    page: RosterPage, monkeypatch, qtbot
) -> None:
    from PySide6.QtWidgets import QMessageBox

    replies = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(QMessageBox, "question", lambda *args: replies.pop(0))

    def remove_twice(dialog: EndMembershipDialog) -> None:
        dialog.remove_button.click()  # "No": nothing happens, the dialog stays
        assert dialog.result() == 0 and "闫旻" in names_in_db()
        dialog.remove_button.click()  # "Yes"

    answer_with(monkeypatch, remove_twice)
    select(page, "闫旻")
    with qtbot.waitSignal(page.roster_changed):
        page.end_action.trigger()
    assert "闫旻" not in names_in_view(page)
    # Gone from every day, unlike a member who leaves.
    assert "闫旻" not in names_in_db(TODAY - dt.timedelta(days=1))


def test_enter_and_double_click_edit_the_selected_member(
    page: RosterPage, monkeypatch, qtbot
) -> None:
    seen = answer_with(monkeypatch, lambda dialog: dialog.reject())
    select(page, "王丽")
    page.activateWindow()
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert len(seen) == 1 and isinstance(seen[0], MemberDialog)
    assert seen[0].name_edit.text() == "王丽"
    index = page.table.currentIndex()
    page.table.doubleClicked.emit(index)
    assert len(seen) == 2


def test_delete_key_asks_before_ending(page: RosterPage, monkeypatch, qtbot) -> None:
    seen = answer_with(monkeypatch, lambda dialog: dialog.reject())
    select(page, "闫旻")
    page.activateWindow()
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert seen and isinstance(seen[0], EndMembershipDialog)
    assert "闫旻" in names_in_db()


def test_end_before_joining_is_refused_next_to_the_date(page: RosterPage, monkeypatch) -> None:
    messages: dict[str, str] = {}

    def fill(dialog: QDialog) -> None:
        dialog.date_edit.setDate(QDate(2023, 1, 1))
        dialog.accept()
        messages.update(dialog.errors.messages())
        dialog.reject()

    answer_with(monkeypatch, fill)
    select(page, "闫旻")
    page.end_membership()
    assert "date" in messages
    assert "闫旻" in names_in_db()


def test_hand_over_to_a_successor(page: RosterPage, monkeypatch, qtbot) -> None:
    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, SuccessionDialog)
        assert all(check.isChecked() for check in dialog.title_checks)
        assert len(dialog.title_checks) == 3
        dialog.successor_edit.setText("陈立新")
        dialog.title_checks[0].setChecked(False)  # 组织委员 stays with 闫旻
        dialog.accept()

    answer_with(monkeypatch, fill)
    select(page, "闫旻")
    with qtbot.waitSignal(page.roster_changed):
        page.succession_action.trigger()
    view = names_in_view(page)
    assert "陈立新" in view and "闫旻" not in view
    assert view.index("陈立新") == 5  # the predecessor's place
    line = next(m for m in service.roster_as_of(TODAY).lines if m.name == "陈立新")
    assert line.titles == ("常青村党总支书记", "主任")
    assert line.predecessor_name == "闫旻"
    assert "闫旻" in names_in_db(TODAY - dt.timedelta(days=1))


@pytest.mark.parametrize("pass_areas", [True, False])
def test_a_hand_over_passes_the_areas_unless_the_clerk_keeps_them(
    page: RosterPage, monkeypatch, qtbot, pass_areas: bool
) -> None:
    from app.org.kinds import UnitKind
    from app.responsibility.assignments import assignments_as_of, set_level
    from app.responsibility.levels import Level
    from app.storage.models import Person, Unit

    village = Unit.create(name="常青村", kind=UnitKind.VILLAGE.value)
    yan = Person.get(Person.name == "闫旻")
    set_level(yan.id, village.id, Level.DIRECT, START)

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, SuccessionDialog)
        assert dialog.areas_check.isChecked() and "常青村" in dialog.areas_check.text()
        dialog.successor_edit.setText("陈立新")
        dialog.areas_check.setChecked(pass_areas)
        dialog.accept()

    answer_with(monkeypatch, fill)
    select(page, "闫旻")
    with qtbot.waitSignal(page.roster_changed):
        page.succession_action.trigger()
    (line,) = assignments_as_of(TODAY, unit_id=village.id)
    assert line.person_name == ("陈立新" if pass_areas else "闫旻")


def test_hand_over_needs_a_successor_name(page: RosterPage, monkeypatch) -> None:
    messages: dict[str, str] = {}

    def fill(dialog: QDialog) -> None:
        dialog.accept()
        messages.update(dialog.errors.messages())
        dialog.reject()

    answer_with(monkeypatch, fill)
    select(page, "闫旻")
    page.hand_over()
    assert "successor" in messages
    assert "闫旻" in names_in_db()


def test_group_settings_dialog_renames_the_group(page: RosterPage, monkeypatch) -> None:
    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, GroupSettingsDialog)
        dialog.name_edit.setText("")
        dialog.accept()
        assert dialog.errors.messages().get("group_name")
        dialog.name_edit.setText("青禾镇安全生产委员会")
        dialog.office_edit.setText("镇应急管理办公室")
        dialog.accept()

    answer_with(monkeypatch, fill)
    page.group_button.click()
    assert page.group_label.text() == "青禾镇安全生产委员会"
    assert "镇应急管理办公室" in page.office_label.text()
    assert service.get_group().office_location == "镇应急管理办公室"
