"""The duties tab offscreen: numbered lists saved on each change, problems beside their item,
the built-in list restored, duty cards printed."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pypdf
import pytest
from PySide6.QtWidgets import QDialog, QMessageBox

from app.org.kinds import PostKind
from app.responsibility.assignments import set_level
from app.responsibility.duties import (
    DUTY_KINDS,
    DutyItem,
    default_duties,
    duties_of,
    duty_number,
    save_duties,
)
from app.responsibility.levels import Level
from app.roster import service
from app.roster.roles import GroupRole
from app.roster.service import MemberInput
from app.storage.models import Duty, Person, Post, Unit
from ui import dialogs, tasks
from ui.dialogs.assign_dialog import ChoosePersonDialog
from ui.dialogs.duty_dialog import DutyDialog
from ui.models.duties_model import COL_NUMBER, COL_PROBLEM, COL_TEXT
from ui.pages import responsibility
from ui.pages.responsibility import ResponsibilityPage, ResponsibilityTab
from ui.pages.responsibility.duties_tab import DutiesTab
from ui.printing.preview import PrintPreviewDialog

TODAY = dt.date(2025, 6, 30)
START = dt.date(2024, 1, 1)
KIND = PostKind.PARTY_SECRETARY
ITEMS = [
    DutyItem("负全面领导责任。", "第三条"),
    DutyItem("每季度研究一次。"),
    DutyItem("每季度带队检查。"),
]


class StubTab(ResponsibilityTab):
    def refresh(self) -> None:
        pass


@pytest.fixture
def page(gui, qtbot, monkeypatch) -> ResponsibilityPage:
    for key in ("matrix", "grid"):
        monkeypatch.setitem(responsibility.TAB_FACTORIES, key, StubTab)
    save_duties(KIND, ITEMS)
    page = ResponsibilityPage(today=TODAY)
    qtbot.addWidget(page)
    page.resize(1200, 760)
    page.show()
    page.show_tab("duties")
    return page


@pytest.fixture
def tab(page: ResponsibilityPage) -> DutiesTab:
    tab = page.tab("duties")
    assert isinstance(tab, DutiesTab)
    assert tab.kind == KIND
    return tab


def shown(tab: DutiesTab) -> list[tuple[str, str]]:
    model = tab.model
    return [
        (model.index(row, COL_NUMBER).data(), model.index(row, COL_TEXT).data())
        for row in range(model.rowCount())
    ]


def stored(kind: PostKind = KIND) -> list[str]:
    return [item.text for item in duties_of(kind)]


def answer_with(monkeypatch, act: Callable[[QDialog], None]) -> list[QDialog]:
    seen: list[QDialog] = []

    def fake_run(dialog: QDialog) -> int:
        seen.append(dialog)
        act(dialog)
        return dialog.result()

    monkeypatch.setattr(dialogs, "run_dialog", fake_run)
    return seen


def confirm(monkeypatch, answer: QMessageBox.StandardButton) -> list[str]:
    asked: list[str] = []

    def question(_parent, _title, text, *_args, **_kwargs):
        asked.append(text)
        return answer

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return asked


# ---------------------------------------------------------------------------- showing


def test_kinds_on_the_left_and_numbered_duties_on_the_right(tab: DutiesTab) -> None:
    assert tab.kind_list.count() == len(DUTY_KINDS)
    assert PostKind.PARTY_SECRETARY.label in tab.kind_list.item(0).text()
    assert "3" in tab.kind_list.item(0).text()
    assert shown(tab) == [
        ("（一）", "负全面领导责任。"),
        ("（二）", "每季度研究一次。"),
        ("（三）", "每季度带队检查。"),
    ]
    assert tab.model.index(0, 2).data() == "第三条"
    assert tab.table.isColumnHidden(COL_PROBLEM)
    assert not tab.unsaved_frame.isVisible()


def test_choosing_another_kind_shows_its_list(tab: DutiesTab) -> None:
    tab.kind_list.setCurrentRow(DUTY_KINDS.index(PostKind.SAFETY_DEPUTY))
    assert tab.kind == PostKind.SAFETY_DEPUTY
    assert [text for _number, text in shown(tab)] == [
        item.text for item in default_duties(PostKind.SAFETY_DEPUTY)
    ]


# ---------------------------------------------------------------------------- changing


def test_moving_a_duty_renumbers_and_saves_at_once(tab: DutiesTab, qtbot) -> None:
    tab.select_row(2)
    assert tab.up_action.isEnabled() and not tab.down_action.isEnabled()
    with qtbot.waitSignal(tab.changed):
        tab.up_action.trigger()
    assert shown(tab)[1:] == [("（二）", "每季度带队检查。"), ("（三）", "每季度研究一次。")]
    assert stored() == ["负全面领导责任。", "每季度带队检查。", "每季度研究一次。"]
    assert tab.selected_row() == 1  # the moved duty stays selected
    tab.select_row(0)
    tab.down_action.trigger()
    assert stored()[:2] == ["每季度带队检查。", "负全面领导责任。"]
    assert duties_of(KIND)[1].clause == "第三条"  # the clause moves with its duty


def test_add_a_duty_after_the_selected_one(tab: DutiesTab, monkeypatch) -> None:
    def write(dialog: QDialog) -> None:
        assert isinstance(dialog, DutyDialog)
        assert duty_number(2) in dialog.windowTitle()
        dialog.text_edit.setPlainText("每月听取一次\n安全生产汇报。")
        dialog.clause_edit.setText("第五条")
        dialog.accept()

    answer_with(monkeypatch, write)
    tab.select_row(0)
    tab.add_action.trigger()
    assert stored() == [
        "负全面领导责任。",
        "每月听取一次 安全生产汇报。",
        "每季度研究一次。",
        "每季度带队检查。",
    ]
    assert duties_of(KIND)[1].clause == "第五条"
    assert shown(tab)[1] == ("（二）", "每月听取一次 安全生产汇报。")
    assert tab.selected_row() == 1


def test_an_empty_duty_is_refused_with_the_item_named_and_nothing_saved(
    tab: DutiesTab, monkeypatch
) -> None:
    seen: dict[str, str] = {}

    def clear(dialog: QDialog) -> None:
        dialog.show()
        seen["title"] = dialog.windowTitle()
        dialog.text_edit.setPlainText("   ")
        dialog.accept()
        assert dialog.isVisible()  # still open: the message under the field
        assert dialog.errors.label("text").isVisible()
        seen.update(dialog.errors.messages())
        dialog.reject()

    answer_with(monkeypatch, clear)
    tab.select_row(1)
    tab.edit_action.trigger()
    assert "（二）" in seen["title"]
    assert seen["text"]
    assert stored() == [item.text for item in ITEMS]
    assert not tab.unsaved


def test_edit_a_duty_in_its_dialog(tab: DutiesTab, monkeypatch) -> None:
    def change(dialog: QDialog) -> None:
        assert dialog.text_edit.toPlainText() == "每季度研究一次。"
        dialog.text_edit.setPlainText("每季度至少研究一次。")
        dialog.accept()

    answer_with(monkeypatch, change)
    tab.select_row(1)
    tab.edit_duty()
    assert stored()[1] == "每季度至少研究一次。"


def test_delete_asks_then_renumbers(tab: DutiesTab, monkeypatch) -> None:
    asked = confirm(monkeypatch, QMessageBox.StandardButton.No)
    tab.select_row(0)
    tab.delete_action.trigger()
    assert "负全面领导责任。" in asked[0]
    assert len(stored()) == 3
    confirm(monkeypatch, QMessageBox.StandardButton.Yes)
    tab.delete_action.trigger()
    assert stored() == ["每季度研究一次。", "每季度带队检查。"]
    assert shown(tab)[0] == ("（一）", "每季度研究一次。")


def test_restore_the_built_in_list(tab: DutiesTab, monkeypatch) -> None:
    asked = confirm(monkeypatch, QMessageBox.StandardButton.Yes)
    tab.restore_action.trigger()
    assert asked
    assert stored() == [item.text for item in default_duties(KIND)]
    assert len(shown(tab)) == len(default_duties(KIND))


def test_a_kind_without_a_built_in_list_cannot_restore(tab: DutiesTab, monkeypatch) -> None:
    from ui.pages.responsibility import duties_tab

    monkeypatch.setattr(duties_tab, "default_duties", lambda _kind: [])
    tab.update_actions()
    assert not tab.restore_action.isEnabled()


# ---------------------------------------------------------------------------- bad stored lists


@pytest.fixture
def bad_list(tab: DutiesTab) -> DutiesTab:
    """A list stored by another program with an empty second item."""
    Duty.update(text="").where((Duty.post_kind == KIND.value) & (Duty.position == 2)).execute()
    tab.refresh()
    return tab


def test_a_stored_problem_shows_beside_its_item(bad_list: DutiesTab) -> None:
    tab = bad_list
    assert tab.model.problem(1)
    assert not tab.table.isColumnHidden(COL_PROBLEM)
    assert tab.model.index(1, COL_PROBLEM).data() == tab.model.problem(1)
    assert tab.unsaved_frame.isVisible()


def test_a_move_that_cannot_be_saved_stays_unsaved_and_writes_nothing(
    bad_list: DutiesTab, monkeypatch
) -> None:
    tab = bad_list
    before = list(Duty.select().tuples())
    tab.select_row(2)
    tab.up_action.trigger()
    assert tab.unsaved
    assert list(Duty.select().tuples()) == before
    assert tab.model.problem(2)  # the empty item, now third, is named
    assert shown(tab)[2][0] == "（三）"
    # Switching kind asks; Cancel stays on the list.
    asked = confirm(monkeypatch, QMessageBox.StandardButton.Cancel)
    tab.kind_list.setCurrentRow(1)
    assert asked and tab.kind == KIND and tab.kind_list.currentRow() == 0
    # Putting the item right saves everything.
    answer_with(
        monkeypatch, lambda dialog: (dialog.text_edit.setPlainText("补上的职责。"), dialog.accept())
    )
    tab.select_row(2)
    tab.edit_duty()
    assert not tab.unsaved
    assert stored() == ["负全面领导责任。", "每季度带队检查。", "补上的职责。"]


def test_discarding_an_unsaved_list_shows_the_stored_one(bad_list: DutiesTab, monkeypatch) -> None:
    tab = bad_list
    tab.select_row(0)
    confirm(monkeypatch, QMessageBox.StandardButton.Yes)
    tab.delete_duty()
    assert tab.unsaved and len(shown(tab)) == 2
    tab.discard_action.trigger()
    assert not tab.unsaved and len(shown(tab)) == 3
    confirm(monkeypatch, QMessageBox.StandardButton.Discard)
    tab.select_row(0)
    tab.delete_duty()  # unsaved again
    tab.kind_list.setCurrentRow(1)  # Discard: the other kind shows
    assert tab.kind == DUTY_KINDS[1] and not tab.unsaved


# ---------------------------------------------------------------------------- printing


@pytest.fixture
def people() -> dict[str, int]:
    Unit.create(name="青禾镇", kind="township")
    service.add_member(
        MemberInput(name="周建国", role=GroupRole.LEADER, titles=("镇党委书记",)), START
    )
    service.add_member(MemberInput(name="李强", role=GroupRole.DEPUTY, titles=("副镇长",)), START)
    ids = {name: Person.get(Person.name == name).id for name in ("周建国", "李强")}
    Post.update(kind=PostKind.PARTY_SECRETARY.value).where(Post.person == ids["周建国"]).execute()
    # The deputy leads a village; the secretary leads nothing yet.
    village = Unit.create(name="常青村", kind="village")
    set_level(ids["李强"], village.id, Level.DIRECT_LEADERSHIP, START)
    return ids


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_print_one_duty_card(tab: DutiesTab, people, monkeypatch, qtbot) -> None:
    seen: list[QDialog] = []

    def act(dialog: QDialog) -> int:
        seen.append(dialog)
        if isinstance(dialog, ChoosePersonDialog):
            names = [
                dialog.chooser.proxy.index(row, 0).data()
                for row in range(dialog.chooser.proxy.rowCount())
            ]
            assert set(names) == {"周建国", "李强"}
            dialog.chooser.search_edit.setText("周")  # the only match is chosen
            dialog.accept()
        return dialog.result()

    monkeypatch.setattr(dialogs, "run_dialog", act)
    tab.card_action.trigger()
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=20000)
    preview = seen[-1]
    assert isinstance(preview, PrintPreviewDialog)
    text = pdf_text(preview.pdf)
    assert "周建国" in text and "负全面领导责任" in text
    assert "周建国" in preview.windowTitle()
    preview.reject()


def test_print_every_leaders_card(tab: DutiesTab, people, monkeypatch, qtbot) -> None:
    seen: list[QDialog] = []
    monkeypatch.setattr(dialogs, "run_dialog", lambda dialog: seen.append(dialog) or 0)
    tab.cards_action.trigger()
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=20000)
    (preview,) = seen
    assert isinstance(preview, PrintPreviewDialog)
    reader = pypdf.PdfReader(io.BytesIO(preview.pdf))
    # Everyone who leads an area, one card a page: the deputy's patronage makes a card.
    assert len(reader.pages) == 1
    assert "李强" in pdf_text(preview.pdf) and "周建国" not in pdf_text(preview.pdf)
    preview.reject()


def test_without_leaders_there_is_nothing_to_print(tab: DutiesTab, monkeypatch) -> None:
    told: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "information", staticmethod(lambda _p, _t, text, *a: told.append(text))
    )
    assert tab.print_leaders_cards() is None
    assert told
