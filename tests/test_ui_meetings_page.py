"""The meetings page offscreen: the list and its filters, recording a meeting through the
dialog, refusals that write nothing, attachments, delete, prints, and the month view."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pypdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from app.meetings.attachments import attach, attachment_path
from app.meetings.kinds import MeetingKind
from app.meetings.service import (
    AttendeeInput,
    FollowUpInput,
    MeetingInput,
    get_meeting,
    meetings_in,
    save_meeting,
)
from app.obligations.engine import Status
from app.roster import service as roster
from app.roster.roles import GroupRole, OfficeRole
from app.roster.snapshot import RosterLine
from app.storage.models import ALL_MODELS, Attachment, Attendance, FollowUp, Meeting, Person, Unit
from ui import dialogs, tasks
from ui.dialogs.meeting_dialog import TAB_ATTENDANCE, TAB_FOLLOW_UPS, TAB_MEETING, MeetingDialog
from ui.models.meetings_model import (
    COL_A_PRESENT,
    COL_A_REASON,
    COL_DATE,
    COL_FOLLOW_UPS,
    COL_KIND,
    COL_PRESENT,
    COL_TITLE,
    AttendanceModel,
    MeetingTableModel,
    kind_short,
)
from ui.pages.meetings import MeetingsPage
from ui.printing.preview import PrintPreviewDialog

D = dt.date
TODAY = D(2025, 6, 30)


def pid(name: str) -> int:
    return int(Person.get(Person.name == name).id)


def counts() -> dict[str, int]:
    return {model.__name__: model.select().count() for model in ALL_MODELS}


@pytest.fixture
def township() -> dict[str, int]:
    """A group of five from 2024, one who joins on 20 June 2025, and four meetings."""
    Unit.create(name="青禾镇", kind="township")
    start = D(2024, 1, 1)
    for name, role, titles, office in [
        ("周建国", GroupRole.LEADER, ["镇党委书记"], None),
        ("吴海", GroupRole.EXECUTIVE_DEPUTY, ["镇党委副书记", "镇长"], None),
        ("郑平", GroupRole.DEPUTY, ["副镇长"], None),
        ("钱多", GroupRole.MEMBER, ["应急管理办公室主任"], OfficeRole.DIRECTOR),
        ("闫旻", GroupRole.MEMBER, ["常青村党总支书记"], None),
    ]:
        roster.add_member(
            roster.MemberInput(name=name, role=role, titles=tuple(titles), office_role=office),
            start,
        )
    roster.add_member(
        roster.MemberInput(name="后来者", role=GroupRole.MEMBER, titles=("财政所所长",)),
        D(2025, 6, 20),
    )
    Person.create(name="区应急局李科长")
    group = [pid(n) for n in ("周建国", "吴海", "郑平", "钱多", "闫旻")]

    def record(kind: MeetingKind, day: dt.date, title: str, **extra: object) -> int:
        data = MeetingInput(
            kind=kind,
            held_on=day,
            start_time=dt.time(9, 0),
            title=title,
            place="镇政府三楼会议室",
            chair_id=pid("周建国"),
            recorder_id=pid("钱多"),
            attendees=[AttendeeInput(p) for p in group],
            **extra,  # type: ignore[arg-type]
        )
        return save_meeting(data, today=TODAY)

    return {
        "special": record(
            MeetingKind.GOVERNMENT_SPECIAL,
            D(2025, 6, 10),
            "2025年6月安全生产专题会议",
            minutes="一、会议听取了防汛准备情况汇报。\n二、会议部署了防溺水工作。",
            follow_ups=[FollowUpInput("开展防汛隐患排查", pid("郑平"), D(2025, 7, 15))],
        ),
        "party": record(MeetingKind.PARTY_COMMITTEE, D(2025, 4, 15), "党委会研究安全生产"),
        "routine": record(MeetingKind.QUARTERLY_ROUTINE, D(2025, 1, 10), "第一季度例会"),
        "old": record(MeetingKind.LEADING_GROUP, D(2024, 12, 5), "2024年领导小组会议"),
    }


@pytest.fixture
def page(gui, qtbot, township) -> MeetingsPage:
    page = MeetingsPage(today=TODAY)
    qtbot.addWidget(page)
    page.resize(1200, 760)
    page.show()
    return page


def titles_in_view(page: MeetingsPage) -> list[str]:
    proxy = page.list_tab.proxy
    return [proxy.index(row, COL_TITLE).data() for row in range(proxy.rowCount())]


def answer_with(monkeypatch: pytest.MonkeyPatch, act: Callable[[QDialog], None]) -> list[QDialog]:
    """Stand in for the user: ``act`` fills and presses buttons; the dialogs opened are kept."""
    seen: list[QDialog] = []

    def fake_run(dialog: QDialog) -> int:
        seen.append(dialog)
        act(dialog)
        return dialog.result()

    monkeypatch.setattr(dialogs, "run_dialog", fake_run)
    return seen


def wait(qtbot) -> None:
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=30000)


def choose_kind(dialog: MeetingDialog, kind: MeetingKind) -> None:
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData(kind.value))


def attendance_row(dialog: MeetingDialog, name: str) -> int:
    row = dialog.attendance.row_of(pid(name))
    assert row is not None, name
    return row


# ---------------------------------------------------------------------------- the list


def test_list_shows_the_meetings_newest_first(page: MeetingsPage) -> None:
    assert titles_in_view(page) == [
        "2025年6月安全生产专题会议",
        "党委会研究安全生产",
        "第一季度例会",
        "2024年领导小组会议",
    ]
    proxy = page.list_tab.proxy
    assert proxy.index(0, COL_DATE).data() == "2025-06-10"
    assert proxy.index(0, COL_KIND).data() == kind_short(MeetingKind.GOVERNMENT_SPECIAL)
    assert proxy.index(0, COL_KIND).data(Qt.ItemDataRole.ToolTipRole) == (
        MeetingKind.GOVERNMENT_SPECIAL.label
    )
    assert proxy.index(0, COL_PRESENT).data() == "5 / 5"
    assert proxy.index(0, COL_FOLLOW_UPS).data() == "1 / 1"  # one item, still open
    # The newest is selected, its details shown below the list.
    assert page.list_tab.selected_line().title == "2025年6月安全生产专题会议"
    assert "开展防汛隐患排查" in page.list_tab.detail.toPlainText()
    assert "4" in page.list_tab.count_label.text()


def test_filters_by_year_kind_and_search(page: MeetingsPage) -> None:
    tab = page.list_tab
    tab.set_year(2024)
    assert titles_in_view(page) == ["2024年领导小组会议"]
    tab.set_year(2025)
    assert len(titles_in_view(page)) == 3
    tab.set_kind(MeetingKind.PARTY_COMMITTEE)
    assert titles_in_view(page) == ["党委会研究安全生产"]
    assert "1" in tab.count_label.text() and "4" in tab.count_label.text()
    tab.set_kind(None)
    tab.search_edit.setText("专题")
    assert titles_in_view(page) == ["2025年6月安全生产专题会议"]
    tab.search_edit.setText("周 建国")  # the chair, typed with a space
    assert len(titles_in_view(page)) == 3
    tab.search_edit.setText("没有这个会")
    assert titles_in_view(page) == []
    assert not tab.edit_action.isEnabled() and not tab.minutes_action.isEnabled()
    tab.clear_filters()
    assert len(titles_in_view(page)) == 4


def test_attendance_model_without_widgets(gui) -> None:
    model = AttendanceModel()
    people = [
        RosterLine(i, i + 100, name, GroupRole.MEMBER, None, ()) for i, name in enumerate("甲乙")
    ]
    model.set_roster(people)
    assert model.rowCount() == 2
    model.set_present(1, False, "出差")
    assert (
        model.index(1, COL_A_PRESENT).data(Qt.ItemDataRole.CheckStateRole)
        == Qt.CheckState.Unchecked
    )
    assert model.index(1, COL_A_REASON).data() == "出差"
    assert model.attendees()[1] == AttendeeInput(101, False, "出差")
    # Another day's group: the choice stays with the person.
    model.set_roster([people[1]])
    assert model.attendees() == [AttendeeInput(101, False, "出差")]
    assert MeetingTableModel().columnCount() == 8


# ---------------------------------------------------------------------------- recording


def test_new_meeting_through_the_dialog(page: MeetingsPage, monkeypatch, qtbot) -> None:
    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, MeetingDialog)
        choose_kind(dialog, MeetingKind.QUARTERLY_ROUTINE)
        dialog.title_edit.setText("2025年第三季度安全生产例会")
        dialog.set_day(D(2025, 7, 8))
        dialog.place_edit.setText("镇政府三楼会议室")
        # Chair and recorder are preset to the leader and the office director.
        assert dialog.chair_combo.person_id() == pid("周建国")
        assert dialog.recorder_combo.person_id() == pid("钱多")
        dialog.chair_combo.set_person_id(pid("吴海"))
        # The group on 8 July includes the one who joined on 20 June.
        assert dialog.attendance.rowCount() == 6
        dialog.attendance.set_present(attendance_row(dialog, "闫旻"), False, "出差")
        dialog.invited_edit.setPlainText("区应急管理局李科长")
        dialog.topics_edit.setPlainText("1. 汛期安全\n2. 燃气安全")
        dialog.minutes_edit.setPlainText("一、会议通报了上半年安全生产情况。")
        dialog.decisions_edit.setPlainText("1. 开展燃气专项整治。")
        row = dialog.follow_ups.add_row()
        row.text.setText("开展燃气安全专项检查")
        row.owner.set_person_id(pid("郑平"))
        row.due.set_value(D(2025, 7, 31))
        dialog.accept()

    answer_with(monkeypatch, fill)
    before = Meeting.select().count()
    with qtbot.waitSignal(page.meetings_changed):
        page.list_tab.new_action.trigger()
    assert Meeting.select().count() == before + 1
    meeting = Meeting.get(Meeting.title == "2025年第三季度安全生产例会")
    assert meeting.kind == MeetingKind.QUARTERLY_ROUTINE.value
    assert meeting.held_on == D(2025, 7, 8) and meeting.start_time == dt.time(9, 0)
    assert meeting.chair_id == pid("吴海") and meeting.recorder_id == pid("钱多")
    assert meeting.invited == "区应急管理局李科长"
    assert meeting.decisions == "1. 开展燃气专项整治。"
    attendance = {
        row.person.name: (row.present, row.absence_reason)
        for row in Attendance.select().where(Attendance.meeting == meeting.id)
    }
    assert len(attendance) == 6
    assert attendance["闫旻"] == (False, "出差")
    assert attendance["后来者"] == (True, "")
    (item,) = FollowUp.select().where(FollowUp.meeting == meeting.id)
    assert (item.text, item.owner_id, item.due_date, item.done_date) == (
        "开展燃气安全专项检查",
        pid("郑平"),
        D(2025, 7, 31),
        None,
    )
    # The new meeting is at the top of the list, selected.
    assert titles_in_view(page)[0] == "2025年第三季度安全生产例会"
    assert page.list_tab.selected_line().id == meeting.id


def test_changing_the_day_refills_the_attendees_keeping_absences(page: MeetingsPage, qtbot) -> None:
    dialog = MeetingDialog(page, today=TODAY, day=D(2025, 6, 10))
    qtbot.addWidget(dialog)
    assert [row.name for row in dialog.attendance.rows()] == [
        "周建国",
        "吴海",
        "郑平",
        "钱多",
        "闫旻",
    ]
    dialog.attendance.set_present(attendance_row(dialog, "闫旻"), False, "请假")
    # Typed into the date field: the list follows once the date settles.
    dialog.date_edit.setDate(dialog.date_edit.date().addDays(15))
    qtbot.waitUntil(lambda: dialog.attendance.rowCount() == 6, timeout=3000)
    row = dialog.attendance.rows()[attendance_row(dialog, "闫旻")]
    assert (row.present, row.reason) == (False, "请假")
    # Back before the newcomer joined: listed again without them, the absence kept.
    dialog.set_day(D(2025, 6, 1))
    assert dialog.attendance.rowCount() == 5
    assert not dialog.dropped_label.isHidden()
    assert "后来者" in dialog.dropped_label.text()
    assert dialog.meeting_input().attendee_items()[4] == AttendeeInput(pid("闫旻"), False, "请假")


def _absent_without_reason(dialog: MeetingDialog) -> None:
    dialog.attendance.set_present(attendance_row(dialog, "郑平"), False, "")


def _follow_up_without_owner(dialog: MeetingDialog) -> None:
    row = dialog.follow_ups.add_row()
    row.text.setText("整改消防通道")
    row.due.set_value(D(2025, 7, 31))


def _two_years_ahead(dialog: MeetingDialog) -> None:
    dialog.set_day(D(2027, 6, 30))


@pytest.mark.parametrize(
    ("spoil", "field", "tab", "words"),
    [
        (_absent_without_reason, "attendees", TAB_ATTENDANCE, "郑平"),
        (_follow_up_without_owner, "follow_ups", TAB_FOLLOW_UPS, "1"),
        (_two_years_ahead, "held_on", TAB_MEETING, "2027"),
    ],
)
def test_refused_meetings_show_the_message_and_write_nothing(
    page: MeetingsPage, monkeypatch, spoil, field: str, tab: str, words: str
) -> None:
    messages: dict[str, str] = {}
    shown: list[str] = []

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, MeetingDialog)
        dialog.show()
        choose_kind(dialog, MeetingKind.GOVERNMENT_SPECIAL)
        dialog.set_day(D(2025, 6, 25))
        spoil(dialog)
        dialog.show_tab(TAB_MEETING if tab != TAB_MEETING else TAB_ATTENDANCE)
        dialog.accept()
        # Still open, the problem beside its field and its tab brought forward.
        assert dialog.isVisible()
        messages.update(dialog.messages())
        shown.append(dialog.tabs.currentWidget() is dialog.tab_pages[tab])
        dialog.reject()

    answer_with(monkeypatch, fill)
    before = counts()
    assert page.new_meeting() is None
    assert messages.get(field) and words in messages[field], messages
    assert shown == [True]
    assert counts() == before
    assert len(titles_in_view(page)) == 4


def test_a_follow_up_problem_marks_its_row(page: MeetingsPage, qtbot) -> None:
    dialog = MeetingDialog(page, today=TODAY, kind=MeetingKind.OTHER, day=D(2025, 6, 25))
    qtbot.addWidget(dialog)
    dialog.show()
    first = dialog.follow_ups.add_row(FollowUpInput("甲事项", pid("郑平"), D(2025, 7, 1)))
    second = dialog.follow_ups.add_row(FollowUpInput("乙事项", None, D(2025, 7, 1)))
    dialog.accept()
    assert dialog.isVisible()
    assert second.owner.styleSheet() and second.owner.toolTip()
    assert not first.owner.styleSheet()
    assert "2" in dialog.follow_ups.table.verticalHeaderItem(1).text()
    # Fixed, the message goes with the next check.
    second.owner.set_person_id(pid("钱多"))
    qtbot.waitUntil(lambda: not second.owner.styleSheet(), timeout=3000)
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert FollowUp.select().where(FollowUp.meeting == dialog.meeting_id).count() == 2


# ---------------------------------------------------------------------------- attachments


def test_editing_keeps_the_attachments(page: MeetingsPage, township, monkeypatch, tmp_path) -> None:
    scan = tmp_path / "签到表扫描.jpg"
    scan.write_bytes(b"\xff\xd8 a scanned sheet")
    attach(township["special"], scan)

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, MeetingDialog)
        assert [line.file_name for line in dialog.attachments.existing] == ["签到表扫描.jpg"]
        dialog.title_edit.setText("2025年6月安全生产专题会议（修改）")
        dialog.accept()

    answer_with(monkeypatch, fill)
    page.list_tab.select_meeting(township["special"])
    assert page.list_tab.edit_meeting()
    record = get_meeting(township["special"])
    assert record.title == "2025年6月安全生产专题会议（修改）"
    assert [line.file_name for line in record.attachments] == ["签到表扫描.jpg"]
    stored = Attachment.get(Attachment.meeting == township["special"])
    assert attachment_path(stored).read_bytes() == scan.read_bytes()
    # Attendance and follow-ups were saved again with it, unchanged.
    assert len(record.attendees) == 5 and len(record.follow_ups) == 1


def test_files_added_in_the_dialog_are_copied_when_saved(
    page: MeetingsPage, township, monkeypatch, qtbot, tmp_path
) -> None:
    photo = tmp_path / "现场照片.png"
    photo.write_bytes(b"\x89PNG a photo of the meeting")
    monkeypatch.setattr(
        QFileDialog, "getOpenFileNames", staticmethod(lambda *a, **k: ([str(photo)], ""))
    )

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, MeetingDialog)
        dialog.attachments.add_button.click()
        assert Attachment.select().count() == 0  # nothing before OK
        dialog.accept()
        wait(qtbot)

    seen = answer_with(monkeypatch, fill)
    page.open_meeting(township["party"])
    assert seen and seen[0].result() == QDialog.DialogCode.Accepted
    (stored,) = Attachment.select().where(Attachment.meeting == township["party"])
    assert stored.file_name == "现场照片.png"
    photo.unlink()  # the copy does not depend on the original
    assert attachment_path(stored).read_bytes() == b"\x89PNG a photo of the meeting"
    assert page.list_tab.selected_line().attachments == 1


def test_cancel_copies_no_file(page: MeetingsPage, township, monkeypatch, tmp_path) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"photo")

    def fill(dialog: QDialog) -> None:
        dialog.attachments.add_paths([photo])
        dialog.reject()

    answer_with(monkeypatch, fill)
    assert not page.edit_meeting(township["party"])
    assert Attachment.select().count() == 0


# ---------------------------------------------------------------------------- delete, print


def test_delete_after_confirming(page: MeetingsPage, township, monkeypatch) -> None:
    questions: list[str] = []
    answer = {"button": QMessageBox.StandardButton.No}

    def ask(parent, title, text, *args):  # type: ignore[no-untyped-def]
        questions.append(text)
        return answer["button"]

    monkeypatch.setattr(QMessageBox, "question", staticmethod(ask))
    page.list_tab.select_meeting(township["special"])
    assert not page.list_tab.delete_meeting()
    assert Meeting.get_or_none(Meeting.id == township["special"]) is not None
    assert "2025年6月安全生产专题会议" in questions[0] and "1" in questions[0]
    answer["button"] = QMessageBox.StandardButton.Yes
    assert page.list_tab.delete_meeting()
    assert Meeting.get_or_none(Meeting.id == township["special"]) is None
    assert FollowUp.select().where(FollowUp.meeting == township["special"]).count() == 0
    assert "2025年6月安全生产专题会议" not in titles_in_view(page)


def _pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "".join("".join(page.extract_text().split()) for page in reader.pages)


def test_print_minutes_shows_the_meeting_in_the_preview(
    page: MeetingsPage, township, monkeypatch, qtbot
) -> None:
    seen = answer_with(monkeypatch, lambda dialog: dialog.reject())
    page.list_tab.select_meeting(township["special"])
    page.list_tab.minutes_action.trigger()
    wait(qtbot)
    assert len(seen) == 1 and isinstance(seen[0], PrintPreviewDialog)
    text = _pdf_text(seen[0].pdf)
    assert "会议纪要" in text
    assert "会议听取了防汛准备情况汇报" in text
    assert "开展防汛隐患排查" in text


def test_print_sign_in_sheet_lists_the_expected(
    page: MeetingsPage, township, monkeypatch, qtbot
) -> None:
    seen = answer_with(monkeypatch, lambda dialog: dialog.reject())
    page.list_tab.select_meeting(township["party"])
    page.list_tab.sign_in_action.trigger()
    wait(qtbot)
    assert len(seen) == 1 and isinstance(seen[0], PrintPreviewDialog)
    text = _pdf_text(seen[0].pdf)
    assert "签到" in text
    for name in ("周建国", "吴海", "郑平", "钱多", "闫旻"):
        assert name in text


# ---------------------------------------------------------------------------- month view


def test_month_view_shows_held_and_required(page: MeetingsPage) -> None:
    page.show_month(D(2025, 6, 1))
    month = page.month_tab
    assert page.tabs.currentWidget() is month
    assert month.judged_on == TODAY  # the current month: as of today
    held = month.meetings_proxy
    assert [held.index(r, COL_TITLE).data() for r in range(held.rowCount())] == [
        "2025年6月安全生产专题会议"
    ]
    status = {item.activity: (item.done, item.required, item.status) for item in month.obligations}
    assert status[MeetingKind.GOVERNMENT_SPECIAL.value] == (1, 1, Status.MET)
    assert status[MeetingKind.PARTY_COMMITTEE.value] == (1, 1, Status.MET)
    # The routine meeting counts in the quarter's first month (April): none then.
    assert status[MeetingKind.QUARTERLY_ROUTINE.value] == (0, 1, Status.OVERDUE)
    assert status[MeetingKind.ANNUAL_CONFERENCE.value][2] is Status.OVERDUE
    model = month.obligations_model
    shown = {model.index(r, 4).data() for r in range(model.rowCount())}
    assert {Status.MET.label, Status.OVERDUE.label} <= shown
    # Only the rules not met offer to record a meeting.
    unmet = [row for row, item in enumerate(month.obligations) if not item.met]
    assert sorted(month.record_buttons) == unmet
    assert "0 overdue" not in month.summary_label.text()


def test_a_past_month_is_judged_on_its_last_day(page: MeetingsPage) -> None:
    page.show_month(D(2025, 1, 20))
    month = page.month_tab
    assert month.judged_on == D(2025, 1, 31)
    status = {item.activity: item.status for item in month.obligations}
    assert status[MeetingKind.QUARTERLY_ROUTINE.value] is Status.MET  # held on 10 January
    # The government's January: no special meeting, and January is over.
    assert status[MeetingKind.GOVERNMENT_SPECIAL.value] is Status.OVERDUE
    month.step(+1)
    assert month.judged_on == D(2025, 2, 28)


def test_recording_a_meeting_for_a_rule_not_met(page: MeetingsPage, monkeypatch, qtbot) -> None:
    presets: list[tuple[str, dt.date]] = []

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, MeetingDialog)
        presets.append((dialog.kind_combo.currentData(), dialog.day))
        dialog.title_edit.setText("补录：第二季度例会")
        dialog.accept()

    answer_with(monkeypatch, fill)
    page.show_month(D(2025, 6, 1))
    month = page.month_tab
    row = next(
        r
        for r, item in enumerate(month.obligations)
        if item.activity == MeetingKind.QUARTERLY_ROUTINE.value
    )
    with qtbot.waitSignal(page.meetings_changed):
        month.record_buttons[row].click()
    # The kind preset, dated on the last day that counts (April has passed).
    assert presets == [(MeetingKind.QUARTERLY_ROUTINE.value, D(2025, 4, 30))]
    status = {item.activity: item.status for item in month.obligations}
    assert status[MeetingKind.QUARTERLY_ROUTINE.value] is Status.MET
    assert row not in month.record_buttons
    assert any(line.title == "补录：第二季度例会" for line in meetings_in(2025))


# ---------------------------------------------------------------------------- entry points


def test_open_meeting_reveals_it_and_opens_the_dialog(
    page: MeetingsPage, township, monkeypatch
) -> None:
    seen = answer_with(monkeypatch, lambda dialog: dialog.reject())
    page.list_tab.set_kind(MeetingKind.PARTY_COMMITTEE)
    assert page.open_meeting(township["special"], section=TAB_FOLLOW_UPS)
    assert page.list_tab.selected_line().id == township["special"]
    assert page.list_tab.kind_combo.currentIndex() == 0  # the filter that hid it is cleared
    (dialog,) = seen
    assert isinstance(dialog, MeetingDialog) and dialog.meeting_id == township["special"]
    assert dialog.tabs.currentWidget() is dialog.tab_pages[TAB_FOLLOW_UPS]
    assert not page.open_meeting(999_999)


def test_new_meeting_is_preset_with_kind_and_day(page: MeetingsPage, monkeypatch) -> None:
    seen = answer_with(monkeypatch, lambda dialog: dialog.reject())
    assert page.new_meeting(MeetingKind.ANNUAL_CONFERENCE, D(2025, 3, 20)) is None
    (dialog,) = seen
    assert dialog.kind_combo.currentData() == MeetingKind.ANNUAL_CONFERENCE.value
    assert dialog.day == D(2025, 3, 20)
    assert dialog.title_edit.placeholderText() == MeetingKind.ANNUAL_CONFERENCE.chinese


def test_main_window_opens_the_meetings_page(gui, qtbot, township) -> None:
    from ui.main_window import MainWindow

    window = MainWindow(remember=False, today=TODAY)
    qtbot.addWidget(window)
    window.show()
    window.show_page("meetings/month")
    page = window.meetings_page
    assert isinstance(page, MeetingsPage)
    assert page.tabs.currentWidget() is page.month_tab
    with qtbot.waitSignal(page.meetings_changed):
        page.meetings_changed.emit()


def test_empty_database_invites_the_first_meeting(gui, qtbot) -> None:
    page = MeetingsPage(today=TODAY)
    qtbot.addWidget(page)
    assert page.list_tab.body.currentWidget() is page.list_tab.empty_page
    assert not page.list_tab.edit_action.isEnabled()
    page.show_month(TODAY)
    assert page.month_tab.meetings_model.rowCount() == 0


def test_sorting_keeps_the_selection(page: MeetingsPage, township) -> None:
    tab = page.list_tab
    tab.select_meeting(township["routine"])
    tab.table.sortByColumn(COL_TITLE, Qt.SortOrder.AscendingOrder)
    # Pinyin order: 党 (dang) < 第 (di) < 2…; digits first.
    assert titles_in_view(page)[0].startswith("2024")
    assert tab.selected_line().id == township["routine"]
    tab.table.sortByColumn(COL_DATE, Qt.SortOrder.AscendingOrder)
    assert titles_in_view(page)[0] == "2024年领导小组会议"
    assert tab.selected_line().id == township["routine"]
    tab.refresh()  # a refresh keeps the clerk's order
    assert titles_in_view(page)[0] == "2024年领导小组会议"


def test_people_are_chosen_from_the_list_or_refused(page: MeetingsPage, qtbot) -> None:
    dialog = MeetingDialog(page, today=TODAY, kind=MeetingKind.OTHER, day=D(2025, 6, 25))
    qtbot.addWidget(dialog)
    dialog.show()
    # The group of the day first, then everyone else recorded.
    names = [dialog.people.item(row).text() for row in range(dialog.people.rowCount())]
    assert names[1:7] == ["周建国", "吴海", "郑平", "钱多", "闫旻", "后来者"]
    assert "区应急局李科长" in names[7:]
    dialog.chair_combo.setEditText("区应急局李科长")
    assert dialog.chair_combo.person_id() == pid("区应急局李科长")
    dialog.recorder_combo.setEditText("张三")
    dialog.accept()
    assert "张三" in dialog.messages()["recorder"]
    assert Meeting.select().count() == 4
    dialog.recorder_combo.set_person_id(None)
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    meeting = Meeting.get_by_id(dialog.meeting_id)
    assert meeting.chair_id == pid("区应急局李科长") and meeting.recorder_id is None


def test_optional_dates_can_be_emptied(page: MeetingsPage, qtbot) -> None:
    dialog = MeetingDialog(page, today=TODAY, kind=MeetingKind.OTHER, day=D(2025, 6, 25))
    qtbot.addWidget(dialog)
    row = dialog.follow_ups.add_row(FollowUpInput("甲", pid("郑平"), D(2025, 7, 1)))
    assert row.due.value() == D(2025, 7, 1) and row.done.value() is None
    assert row.done.text() == "—"
    qtbot.keyClick(row.due, Qt.Key.Key_Delete)
    assert row.due.value() is None
    row.done.stepBy(1)  # from empty: the meeting day, not 1900
    assert row.done.value() == D(2025, 6, 25)
    dialog.follow_ups.remove_row(1)
    assert dialog.follow_ups.items() == []


def test_open_shows_the_kept_copy_and_remove_waits_for_ok(
    page: MeetingsPage, township, monkeypatch, qtbot, tmp_path
) -> None:
    from PySide6.QtGui import QDesktopServices

    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF- a scanned sign-in sheet")
    stored = attach(township["special"], scan)
    opened: list[str] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url.toLocalFile()))
    )

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, MeetingDialog)
        editor = dialog.attachments
        editor.table.selectRow(0)
        editor.open_button.click()
        editor.remove_button.click()
        assert editor.count() == 0
        assert Attachment.select().count() == 1  # not before OK
        dialog.accept()
        wait(qtbot)

    answer_with(monkeypatch, fill)
    page.edit_meeting(township["special"])
    assert opened == [str(attachment_path(stored))]
    assert opened[0] != str(scan)
    assert Attachment.select().count() == 0
    assert not attachment_path(stored).exists()


def test_a_damaged_copy_is_not_opened(page: MeetingsPage, township, monkeypatch, tmp_path) -> None:
    from PySide6.QtGui import QDesktopServices

    scan = tmp_path / "scan.jpg"
    scan.write_bytes(b"original")
    stored = attach(township["special"], scan)
    attachment_path(stored).write_bytes(b"changed!")
    warnings: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", staticmethod(lambda parent, title, text: warnings.append(text))
    )
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: pytest.fail(url)))
    dialog = MeetingDialog(page, today=TODAY, meeting=get_meeting(township["special"]))
    dialog.attachments.table.selectRow(0)
    assert dialog.attachments.open_selected() is None
    assert warnings and "scan.jpg" in warnings[0]
    dialog.deleteLater()
