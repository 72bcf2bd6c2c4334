"""The responsibility matrix tab offscreen: the demo's rows, linked and plain names, search,
add / edit / delete / move rows, import with a preview, refused files, export, print."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from app.demo import create_demo
from app.responsibility.assignments import assignments_as_of
from app.responsibility.levels import Level
from app.responsibility.matrix import Column, Linker, MatrixLine, load_matrix, save_matrix
from app.storage.models import Assignment, MatrixEntry, MatrixRow, Person, Post, Unit
from ui import dialogs, tasks
from ui.dialogs.matrix_import_dialog import MatrixImportDialog
from ui.dialogs.matrix_row_dialog import MatrixRowDialog
from ui.dialogs.problems_dialog import ImportProblemsDialog
from ui.models.matrix_model import (
    COL_DEPARTMENTS,
    COL_DEPUTIES,
    COL_DUTIES,
    COL_NUMBER,
    COL_PRINCIPALS,
    COL_RESPONSIBLE,
    SEGMENTS_ROLE,
    MatrixModel,
    SegmentKind,
    holders_for,
)
from ui.pages.responsibility import ResponsibilityPage
from ui.pages.responsibility.matrix_tab import MatrixTab
from ui.printing.preview import PrintPreviewDialog

TODAY = dt.date(2025, 6, 30)
START = dt.date(2024, 1, 1)
HEADER = ["序号", "单位负责人", "分管负责人", "责任科室", "责任人", "安全生产重点职责"]


@pytest.fixture
def town() -> dict[str, int]:
    ids: dict[str, int] = {}
    ids["青禾镇"] = Unit.create(name="青禾镇", kind="township").id
    for order, name in enumerate(("应急管理办公室", "财政所", "常青村"), start=1):
        kind = "village" if name.endswith("村") else "department"
        ids[name] = Unit.create(name=name, kind=kind, sort_order=order).id
    for name, title, kind in (
        ("周建国", "镇党委书记", "party_secretary"),
        ("郑平", "镇长", "township_head"),
        ("李强", "副镇长", "safety_deputy"),
        ("王丽", "组织委员", "deputy"),
        ("钱多", "应急管理办公室主任", "department_head"),
    ):
        person = Person.create(name=name)
        ids[name] = person.id
        Post.create(person=person, title=title, kind=kind, start_date=START)
    return ids


def make_line(
    linker: Linker, principals: str, deputies: str, departments: str, who: str, duties: str
) -> MatrixLine:
    cells = {
        Column.PRINCIPALS: linker.cell(principals, Column.PRINCIPALS),
        Column.DEPUTIES: linker.cell(deputies, Column.DEPUTIES),
        Column.DEPARTMENTS: linker.cell(departments, Column.DEPARTMENTS),
        Column.RESPONSIBLE: linker.cell(who, Column.RESPONSIBLE),
    }
    return MatrixLine({c: v for c, v in cells.items() if v}, duties)


@pytest.fixture
def matrix(town) -> list[MatrixLine]:
    linker = Linker(TODAY)
    lines = [
        make_line(linker, "镇党委书记、镇长", "李强", "应急管理办公室", "钱多", "统筹综合监管"),
        make_line(
            linker, "镇党委书记、镇长", "王丽", "财政所、局科主要负责人", "张无名", "管好财政"
        ),
    ]
    save_matrix(lines, START)
    return lines


@pytest.fixture
def page(gui, qtbot) -> ResponsibilityPage:
    page = ResponsibilityPage(today=TODAY)
    qtbot.addWidget(page)
    page.resize(1200, 760)
    page.show()
    return page


@pytest.fixture
def tab(page, matrix) -> MatrixTab:
    tab = page.show_tab("matrix")
    tab.refresh()
    assert isinstance(tab, MatrixTab)
    return tab


def wait(qtbot) -> None:
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=30000)


def record_dialogs(monkeypatch, act=None) -> list[QDialog]:
    seen: list[QDialog] = []

    def fake_run(dialog: QDialog) -> int:
        seen.append(dialog)
        if act is None:
            dialog.reject()
        else:
            act(dialog)
        return dialog.result()

    monkeypatch.setattr(dialogs, "run_dialog", fake_run)
    return seen


def texts(column: Column) -> list[str]:
    return [line.text(column) for line in load_matrix()]


def shown(tab: MatrixTab, column: int) -> list[str]:
    proxy = tab.proxy
    return [proxy.index(row, column).data() for row in range(proxy.rowCount())]


def workbook(path: Path, rows: list[list[object]], header: list[str] = HEADER) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["青禾镇安全生产责任制分工表"])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def stored() -> tuple[int, int, int]:
    return MatrixRow.select().count(), MatrixEntry.select().count(), Assignment.select().count()


# ---------------------------------------------------------------------------- showing


def test_the_demo_matrix_is_shown(gui, qtbot) -> None:
    create_demo(today=TODAY)
    page = ResponsibilityPage(today=TODAY)
    qtbot.addWidget(page)
    page.show()
    tab = page.tab("matrix")
    lines = load_matrix()
    assert lines and tab.model.rowCount() == len(lines)
    assert tab.body.currentWidget() is tab.table
    assert shown(tab, COL_NUMBER)[:3] == ["1", "2", "3"]
    assert shown(tab, COL_DEPARTMENTS)[0] == lines[0].text(Column.DEPARTMENTS)
    assert shown(tab, COL_DUTIES)[0] == lines[0].duties
    assert str(len(lines)) in tab.count_label.text()


def test_linked_names_differ_from_plain_text(gui, matrix, town) -> None:
    model = MatrixModel()
    lines = load_matrix()
    model.set_lines(lines, holders_for(lines, TODAY))
    # Posts show who holds them today.
    assert model.index(0, COL_PRINCIPALS).data() == "镇党委书记（周建国）、镇长（郑平）"
    segments = model.index(1, COL_DEPARTMENTS).data(SEGMENTS_ROLE)
    assert segments == [("财政所", SegmentKind.LINKED), ("局科主要负责人", SegmentKind.TEXT)]
    tip = model.index(1, COL_RESPONSIBLE).data(Qt.ItemDataRole.ToolTipRole)
    assert "张无名" in tip and tip != "张无名"
    assert model.index(1, COL_DEPUTIES).data(SEGMENTS_ROLE) == [("王丽", SegmentKind.LINKED)]
    # A post nobody holds any more says so.
    Post.update(end_date=TODAY - dt.timedelta(1)).where(Post.title == "镇长").execute()
    model.set_lines(lines, holders_for(lines, TODAY))
    kinds = [kind for _text, kind in model.index(0, COL_PRINCIPALS).data(SEGMENTS_ROLE)]
    assert kinds == [SegmentKind.LINKED, SegmentKind.VACANT]


def test_search_filters_rows(tab, qtbot) -> None:
    tab.search_edit.setText("财政")
    assert shown(tab, COL_DEPUTIES) == ["王丽"]
    tab.search_edit.setText("周建国")  # the holder of a post, as shown
    assert tab.proxy.rowCount() == 2
    tab.search_edit.setText("没有")
    assert tab.proxy.rowCount() == 0
    assert "0" in tab.count_label.text()
    tab.search_edit.clear()
    assert tab.proxy.rowCount() == 2


def test_an_empty_matrix_invites_an_import(page, gui, town) -> None:
    tab = page.show_tab("matrix")
    assert tab.body.currentWidget() is tab.empty_page
    assert not tab.print_button.isEnabled() and not tab.export_button.isEnabled()


# ---------------------------------------------------------------------------- editing


def test_add_a_row(tab, qtbot, monkeypatch, town) -> None:
    tab.select_row(0)

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, MatrixRowDialog)
        dialog.edits[Column.DEPUTIES].setText("王丽")
        dialog.edits[Column.DEPARTMENTS].setText("常青村、某某站")
        dialog.edits[Column.RESPONSIBLE].setText("钱多")
        dialog.duties_edit.setPlainText("抓好村级安全")
        # The dialog shows which names link and which stay text.
        links = dialog.link_labels[Column.DEPARTMENTS].text()
        assert "常青村" in links and "某某站" in links
        assert dialog.unlinked() == ["某某站"]
        dialog.accept()

    record_dialogs(monkeypatch, fill)
    changed: list[bool] = []
    tab.changed.connect(lambda: changed.append(True))
    tab.add_button.click()
    wait(qtbot)
    assert texts(Column.DEPARTMENTS) == [
        "应急管理办公室",
        "常青村、某某站",  # after the selected row
        "财政所、局科主要负责人",
    ]
    line = load_matrix()[1]
    assert line.duties == "抓好村级安全"
    assert line.cells[Column.DEPARTMENTS][0].unit_id == town["常青村"]
    assert not line.cells[Column.DEPARTMENTS][1].linked
    assert tab.selected_row() == 1 and changed == [True]
    # The matrix's fields of work follow: 王丽 now leads 常青村, from today.
    lines = assignments_as_of(TODAY, person_id=town["王丽"])
    assert any(a.unit_id == town["常青村"] and a.level == Level.DIRECT_LEADERSHIP for a in lines)


def test_an_empty_row_is_refused(tab, qtbot, monkeypatch) -> None:
    def submit_empty(dialog: QDialog) -> None:
        dialog.accept()
        assert dialog.error.text()
        dialog.reject()

    record_dialogs(monkeypatch, submit_empty)
    before = stored()
    tab.add_row()
    wait(qtbot)
    assert stored() == before


@pytest.mark.parametrize(
    ("field", "departments", "duties", "words"),
    [
        ("departments", "长" * 250, "管好安全", "超过 200 个字"),
        ("departments", "、".join(f"科室{n}" for n in range(101)), "管好安全", "最多填写 100 个"),
        ("duties", "应急管理办公室", "职" * 2500, "最多 2000 个字"),
    ],
)
def test_what_the_import_would_refuse_is_refused_beside_its_field(
    tab, qtbot, monkeypatch, field: str, departments: str, duties: str, words: str
) -> None:
    # Saved, such a row would make the matrix's export a file the import refuses.
    seen: dict[str, str] = {}

    def fill(dialog: QDialog) -> None:
        dialog.show()
        dialog.edits[Column.DEPARTMENTS].setText(departments)
        dialog.duties_edit.setPlainText(duties)
        dialog.accept()
        assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
        assert dialog.errors.label(field).isVisible()
        seen.update(dialog.errors.messages())
        dialog.reject()

    record_dialogs(monkeypatch, fill)
    before = stored()
    tab.add_row()
    wait(qtbot)
    assert set(seen) == {field} and words in seen[field]
    assert stored() == before


def test_a_corrected_field_loses_its_message(tab, qtbot, monkeypatch) -> None:
    def fill(dialog: QDialog) -> None:
        dialog.show()
        dialog.edits[Column.RESPONSIBLE].setText("钱" * 201)
        dialog.accept()
        assert dialog.errors.label(Column.RESPONSIBLE.value).isVisible()
        dialog.edits[Column.RESPONSIBLE].setText("钱多")
        assert not dialog.errors.messages()
        dialog.accept()

    record_dialogs(monkeypatch, fill)
    tab.add_row()
    wait(qtbot)
    assert texts(Column.RESPONSIBLE)[-1] == "钱多"


def test_a_row_at_the_limits_exports_and_reimports(tab, qtbot, monkeypatch, tmp_path) -> None:
    from app.responsibility.interchange import (
        MAX_DUTIES,
        MAX_NAME,
        MAX_NAMES_PER_CELL,
        plan_matrix_import,
    )

    def fill(dialog: QDialog) -> None:
        dialog.edits[Column.DEPARTMENTS].setText("长" * MAX_NAME)
        names = "、".join(f"某人{n}" for n in range(MAX_NAMES_PER_CELL))
        dialog.edits[Column.RESPONSIBLE].setText(names)
        dialog.duties_edit.setPlainText("职" * MAX_DUTIES)
        dialog.accept()

    record_dialogs(monkeypatch, fill)
    tab.add_row()
    wait(qtbot)
    assert len(load_matrix()) == 3
    target = tmp_path / "导出.xlsx"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    tab.export_button.click()
    wait(qtbot)
    assert plan_matrix_import(target, TODAY).is_empty


def test_edit_a_row(tab, qtbot, monkeypatch, town) -> None:
    tab.select_row(1)

    def change(dialog: QDialog) -> None:
        assert dialog.edits[Column.DEPARTMENTS].text() == "财政所、局科主要负责人"
        dialog.edits[Column.DEPARTMENTS].setText("财政所")
        dialog.edits[Column.RESPONSIBLE].setText("钱多")
        dialog.accept()

    record_dialogs(monkeypatch, change)
    tab.edit_button.click()
    wait(qtbot)
    assert texts(Column.DEPARTMENTS) == ["应急管理办公室", "财政所"]
    assert load_matrix()[1].cells[Column.RESPONSIBLE][0].person_id == town["钱多"]
    assert load_matrix()[0].duties == "统筹综合监管"  # the other row is untouched
    assert shown(tab, COL_RESPONSIBLE) == ["钱多", "钱多"]


def test_delete_a_row_after_confirming(tab, qtbot, monkeypatch) -> None:
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Yes]
    asked: list[str] = []

    def question(*args, **kwargs):
        asked.append(args[2])
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    tab.select_row(0)
    tab.delete_button.click()
    wait(qtbot)
    assert len(load_matrix()) == 2  # cancelled
    tab.delete_button.click()
    wait(qtbot)
    assert texts(Column.DEPARTMENTS) == ["财政所、局科主要负责人"]
    assert len(asked) == 2 and "应急管理办公室" in asked[0]
    assert tab.model.rowCount() == 1


def test_move_rows(tab, qtbot) -> None:
    tab.select_row(0)
    assert not tab.up_button.isEnabled() and tab.down_button.isEnabled()
    tab.down_button.click()
    wait(qtbot)
    assert texts(Column.DEPUTIES) == ["王丽", "李强"]
    assert tab.selected_row() == 1
    assert tab.up_button.isEnabled() and not tab.down_button.isEnabled()
    tab.up_button.click()
    wait(qtbot)
    assert texts(Column.DEPUTIES) == ["李强", "王丽"]
    # Moving inside a search's few rows would be guesswork: not offered.
    tab.search_edit.setText("财政")
    tab.select_row(1)
    assert not tab.up_button.isEnabled()


def test_an_edit_on_a_matrix_changed_meanwhile_is_refused(tab, qtbot, monkeypatch) -> None:
    messages: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", staticmethod(lambda *args: messages.append(args[2]))
    )
    save_matrix(load_matrix()[:1], TODAY)  # an import in another window, say
    tab.select_row(0)
    tab.move_row(+1)
    wait(qtbot)
    assert len(messages) == 1
    assert len(load_matrix()) == 1 and tab.model.rowCount() == 1


# ---------------------------------------------------------------------------- import


def test_import_shows_the_plan_then_applies_it(tab, qtbot, monkeypatch, tmp_path, town) -> None:
    path = workbook(
        tmp_path / "分工表.xlsx",
        [
            [1, "镇党委书记、镇长", "李强", "应急管理办公室", "钱多", "统筹综合监管"],
            [2, "镇党委书记、镇长", "王丽", "财政所、常青村", "钱多", "管好财政和常青村"],
        ],
    )
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), ""))
    )
    before = stored()
    looked: list[list[list[str]]] = []

    def look_then_apply(dialog: QDialog) -> None:
        assert isinstance(dialog, MatrixImportDialog)
        assert stored() == before  # nothing written while the clerk looks
        looked.append(dialog.row_texts())
        assert dialog.summary_label.text() == dialog.plan.summary()
        assert dialog.apply_button.isEnabled()
        dialog.accept()

    record_dialogs(monkeypatch, look_then_apply)
    changed: list[bool] = []
    tab.changed.connect(lambda: changed.append(True))
    tab.import_button.click()
    wait(qtbot)
    assert len(looked) == 1 and len(looked[0]) == 1  # one row changed
    assert looked[0][0][1] == "2"
    assert texts(Column.DEPARTMENTS) == ["应急管理办公室", "财政所、常青村"]
    assert shown(tab, COL_DEPARTMENTS)[1] == "财政所、常青村"
    assert changed == [True]


def test_cancelling_the_preview_writes_nothing(tab, qtbot, monkeypatch, tmp_path) -> None:
    path = workbook(tmp_path / "m.xlsx", [[1, "镇长", "李强", "财政所", "钱多", "新职责"]])
    seen = record_dialogs(monkeypatch)  # reject
    before = stored()
    tab.start_import(path)
    wait(qtbot)
    assert isinstance(seen[0], MatrixImportDialog)
    assert stored() == before
    assert len(load_matrix()) == 2


@pytest.mark.parametrize("content", ["not a workbook", None])
def test_a_refused_file_says_why_and_writes_nothing(
    tab, qtbot, monkeypatch, tmp_path, content
) -> None:
    if content is None:  # a workbook, but not a matrix
        path = workbook(tmp_path / "bad.xlsx", [["张三", "13800000000"]], ["姓名", "电话"])
    else:
        path = tmp_path / "bad.xlsx"
        path.write_text(content, encoding="utf-8")
    seen = record_dialogs(monkeypatch)
    before = stored()
    tab.start_import(path)
    wait(qtbot)
    assert len(seen) == 1 and isinstance(seen[0], ImportProblemsDialog)
    assert seen[0].problem_texts() and all(seen[0].problem_texts())
    assert stored() == before


def test_import_into_an_empty_matrix_from_the_empty_page(
    page, qtbot, monkeypatch, tmp_path, town
) -> None:
    tab = page.show_tab("matrix")
    assert tab.body.currentWidget() is tab.empty_page
    path = workbook(tmp_path / "m.xlsx", [[1, "镇长", "李强", "财政所", "钱多", "职责"]])
    record_dialogs(monkeypatch, lambda dialog: dialog.accept())
    tab.start_import(path)
    wait(qtbot)
    assert texts(Column.DEPARTMENTS) == ["财政所"]
    assert tab.body.currentWidget() is tab.table


# ---------------------------------------------------------------------------- export, print


def test_export_writes_a_file_that_reimports_unchanged(tab, qtbot, monkeypatch, tmp_path) -> None:
    from app.responsibility.interchange import plan_matrix_import

    target = tmp_path / "导出"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    tab.export_button.click()
    wait(qtbot)
    assert tab.last_export == tmp_path / "导出.xlsx" and tab.last_export.is_file()
    assert plan_matrix_import(tab.last_export, TODAY).is_empty


def test_print_preview_saves_a_pdf(tab, qtbot, monkeypatch, tmp_path) -> None:
    seen = record_dialogs(monkeypatch)
    tab.print_button.click()
    wait(qtbot)
    assert len(seen) == 1 and isinstance(seen[0], PrintPreviewDialog)
    preview = seen[0]
    assert preview.pdf.startswith(b"%PDF")
    target = tmp_path / "分工表.pdf"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(tmp_path / "分工表"), ""))
    )
    assert preview.save_as() == target
    assert target.read_bytes() == preview.pdf
