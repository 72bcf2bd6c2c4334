"""The roster page's file work offscreen: import preview and apply, bad files, export, print."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QDate
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog

from app.roster import service
from app.roster.interchange import ChangeKind, plan_import
from app.roster.roles import GroupRole
from app.roster.service import MemberInput
from app.storage.models import GroupMembership, Person, Post, Unit
from ui import dialogs, tasks
from ui.dialogs.import_preview import ImportPreviewDialog
from ui.dialogs.problems_dialog import ImportProblemsDialog
from ui.models.import_plan_model import COL_DETAILS, COL_KIND, COL_NAME, OBJECT_ROLE
from ui.pages.roster import RosterPage
from ui.printing.preview import PrintPreviewDialog, new_a4_printer
from ui.state import last_folder

TODAY = dt.date(2025, 6, 30)
START = dt.date(2024, 1, 1)


@pytest.fixture
def page(gui, qtbot) -> RosterPage:
    Unit.create(name="青禾镇", kind="township")
    for name, role, titles in (
        ("周建国", GroupRole.LEADER, "镇党委书记"),
        ("王丽", GroupRole.DEPUTY, "组织委员"),
        ("闫旻", GroupRole.MEMBER, "常青村党总支书记"),
    ):
        service.add_member(MemberInput(name=name, role=role, titles=(titles,)), START)
    page = RosterPage(today=TODAY)
    qtbot.addWidget(page)
    page.show()
    return page


def roster_file(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["青禾镇安全生产领导小组成员名单"])
    sheet.append(["序号", "姓名", "小组职务", "职务", "联系电话"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def everything() -> tuple[int, int, int]:
    return GroupMembership.select().count(), Person.select().count(), Post.select().count()


def wait(qtbot) -> None:
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=20000)


def record_dialogs(monkeypatch, answer: str = "accept") -> list[QDialog]:
    seen: list[QDialog] = []

    def fake_run(dialog: QDialog) -> int:
        seen.append(dialog)
        if answer == "accept":
            dialog.accept()
        else:
            dialog.reject()
        return dialog.result()

    monkeypatch.setattr(dialogs, "run_dialog", fake_run)
    return seen


def choose_file(monkeypatch, path: Path) -> None:
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), ""))
    )
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(path), ""))
    )


# ---------------------------------------------------------------------------- import


def test_import_shows_the_plan_first_and_applies_it(page, qtbot, monkeypatch, tmp_path) -> None:
    path = roster_file(
        tmp_path / "名单.xlsx",
        [
            [1, "周建国", "组长", "镇党委书记", ""],
            [2, "王丽", "副组长", "组织委员、宣传委员", ""],
            [3, "陈立新", "成员", "派出所所长", "13800000009"],
        ],
    )
    choose_file(monkeypatch, path)
    before = everything()
    shown: list[dict] = []

    def look_then_apply(dialog: QDialog) -> int:
        assert isinstance(dialog, ImportPreviewDialog)
        # Nothing is written while the clerk is looking at the plan.
        assert everything() == before
        model = dialog.model
        rows = {
            model.index(r, COL_NAME).data(): (
                model.index(r, COL_KIND).data(),
                model.index(r, COL_DETAILS).data(),
                model.index(r, COL_KIND).data(OBJECT_ROLE).kind,
            )
            for r in range(model.rowCount())
        }
        shown.append(rows)
        assert dialog.apply_button.isEnabled()
        assert "2025年6月30日" in dialog.facts_label.text()
        assert dialog.summary_label.text() == dialog.plan.summary()
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(dialogs, "run_dialog", look_then_apply)
    page.import_action.trigger()
    wait(qtbot)
    rows = shown[0]
    assert rows["陈立新"][2] == ChangeKind.ADD
    assert rows["王丽"][2] == ChangeKind.CHANGE and "宣传委员" in rows["王丽"][1]
    assert rows["闫旻"][2] == ChangeKind.LEAVE
    assert rows["陈立新"][0] == ChangeKind.ADD.label
    assert "周建国" not in rows  # unchanged
    names = [line.name for line in service.roster_as_of(TODAY).lines]
    assert names == ["周建国", "王丽", "陈立新"]
    assert [page.model.line(r).name for r in range(page.model.rowCount())] == names
    # History stays: yesterday's roster is yesterday's.
    yesterday = [line.name for line in service.roster_as_of(TODAY - dt.timedelta(1)).lines]
    assert "闫旻" in yesterday and "陈立新" not in yesterday


def test_cancelling_the_preview_writes_nothing(page, qtbot, monkeypatch, tmp_path) -> None:
    path = roster_file(tmp_path / "r.xlsx", [[1, "新人", "成员", "", ""]])
    before = everything()
    seen = record_dialogs(monkeypatch, "reject")
    page.files.start_import(path)
    wait(qtbot)
    assert isinstance(seen[0], ImportPreviewDialog)
    assert everything() == before


def test_import_uses_the_chosen_day(page, qtbot, monkeypatch, tmp_path) -> None:
    path = roster_file(
        tmp_path / "r.csv.xlsx",
        [
            [1, "周建国", "组长", "镇党委书记", ""],
            [2, "王丽", "副组长", "组织委员", ""],
            [3, "闫旻", "成员", "常青村党总支书记", ""],
            [4, "新人", "成员", "", ""],
        ],
    )
    record_dialogs(monkeypatch, "accept")
    page.as_of_edit.setDate(QDate(2025, 1, 1))
    page.files.start_import(path)
    wait(qtbot)
    joined = GroupMembership.select().join(Person).where(Person.name == "新人").get()
    assert joined.start_date == dt.date(2025, 1, 1)


def test_a_bad_file_lists_its_problems_and_writes_nothing(
    page, qtbot, monkeypatch, tmp_path
) -> None:
    path = roster_file(
        tmp_path / "bad.xlsx",
        [
            [1, "", "成员", "", ""],
            [2, "张三", "司机", "", ""],
            [3, "李四", "成员", "", ""],
        ],
    )
    before = everything()
    seen = record_dialogs(monkeypatch, "reject")
    choose_file(monkeypatch, path)
    page.files.import_roster()
    wait(qtbot)
    assert len(seen) == 1 and isinstance(seen[0], ImportProblemsDialog)
    assert last_folder("import") == str(tmp_path)  # the next file dialog opens there
    problems = seen[0]
    assert problems.table.rowCount() == 2
    rows = [problems.table.item(r, 0).text() for r in range(2)]
    assert rows == ["3", "4"]
    assert any("司机" in text for text in problems.problem_texts())
    assert everything() == before


def test_a_file_that_is_not_a_spreadsheet_is_refused(page, qtbot, monkeypatch, tmp_path) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_text("not a workbook", encoding="utf-8")
    before = everything()
    seen = record_dialogs(monkeypatch, "reject")
    page.files.start_import(path)
    wait(qtbot)
    assert len(seen) == 1 and isinstance(seen[0], ImportProblemsDialog)
    assert everything() == before


# ---------------------------------------------------------------------------- export


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_writes_a_file_that_reimports_unchanged(
    page, qtbot, monkeypatch, tmp_path, suffix: str
) -> None:
    target = tmp_path / f"导出{suffix}"
    choose_file(monkeypatch, target)
    messages: list[str] = []
    page.status_message.connect(messages.append)
    page.export_action.trigger()
    wait(qtbot)
    assert target.is_file() and target.stat().st_size > 0
    assert page.files.last_export == target
    assert messages and "3" in messages[-1]
    assert plan_import(target, TODAY).is_empty


def test_export_adds_the_suffix_the_filter_names(page, qtbot, monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        staticmethod(lambda *a, **k: (str(tmp_path / "名单"), a[3].split(";;")[0])),
    )
    page.files.export_roster()
    wait(qtbot)
    assert (tmp_path / "名单.xlsx").is_file()


# ---------------------------------------------------------------------------- print


def test_print_shows_a_preview_that_saves_and_prints(page, qtbot, monkeypatch, tmp_path) -> None:
    seen = record_dialogs(monkeypatch, "reject")
    page.print_action.trigger()
    wait(qtbot)
    assert len(seen) == 1
    preview = seen[0]
    assert isinstance(preview, PrintPreviewDialog)
    assert preview.pdf.startswith(b"%PDF")
    assert len(preview.page_images) >= 1
    image = preview.page_images[0]
    assert image.width() > 300 and image.height() > image.width()  # A4 portrait
    # Not a blank page: some pixels are dark (the text).
    dark = sum(
        1
        for y in range(0, image.height(), 7)
        for x in range(0, image.width(), 7)
        if image.pixelColor(x, y).lightness() < 128
    )
    assert dark > 20

    target = tmp_path / "名单.pdf"
    choose_file(monkeypatch, tmp_path / "名单")  # no suffix typed: .pdf is added
    assert preview.save_as() == target
    assert target.read_bytes() == preview.pdf


def test_print_preview_zooms_and_paints_on_a_printer(gui, qtbot, page, tmp_path) -> None:
    from ui.pages.roster_files import render_roster_pdf

    pdf = render_roster_pdf(service.roster_as_of(TODAY), {})
    preview = PrintPreviewDialog(None, pdf, title="t", suggested_name="t.pdf")
    qtbot.addWidget(preview)
    width = preview.page_images[0].width()
    preview.step_zoom(+1)
    assert preview.zoom > 1.0 and preview.page_images[0].width() > width
    preview.step_zoom(-1)
    preview.step_zoom(-1)
    assert preview.zoom < 1.0
    printer = new_a4_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    printer.setResolution(150)
    assert preview.print_to(printer)
    assert out.read_bytes().startswith(b"%PDF")


def test_preview_without_a_pdf_renderer_says_so(gui, qtbot, monkeypatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_pdfium(name, *args, **kwargs):
        if name == "pypdfium2":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pdfium)
    preview = PrintPreviewDialog(None, b"%PDF-1.4", title="t", suggested_name="t.pdf")
    qtbot.addWidget(preview)
    assert preview.pages is None
    assert "pypdfium2" in preview.problem
    assert not preview.print_button.isEnabled()
    assert preview.save_button.isEnabled()


def test_preview_can_keep_members_a_partial_file_leaves_out(gui, qtbot, tmp_path) -> None:
    import datetime as dt

    import openpyxl

    from app.roster import service
    from app.roster.interchange import ChangeKind, plan_import
    from app.roster.roles import GroupRole
    from app.roster.service import MemberInput
    from ui.dialogs.import_preview import ImportPreviewDialog

    day = dt.date(2025, 1, 1)
    service.add_member(MemberInput(name="周建国", role=GroupRole.LEADER), day)
    book = openpyxl.Workbook()
    book.active.append(["姓名", "小组职务"])
    book.active.append(["赵新", "成员"])
    book.save(tmp_path / "new.xlsx")
    dialog = ImportPreviewDialog(None, plan_import(tmp_path / "new.xlsx", dt.date(2025, 6, 1)))
    qtbot.addWidget(dialog)
    assert not dialog.keep_absent_box.isHidden()
    assert dialog.model.rowCount() == 2
    dialog.keep_absent_box.setChecked(True)
    assert dialog.model.rowCount() == 1
    assert [c.kind for c in dialog.plan.changes] == [ChangeKind.ADD]
    dialog.keep_absent_box.setChecked(False)
    assert dialog.plan.count(ChangeKind.LEAVE) == 1


def test_a_long_document_draws_only_the_pages_in_view(gui, qtbot) -> None:
    from app.prints.fonts import bundled_fonts
    from app.roster.print import RosterDocument
    from app.roster.roles import GroupRole
    from app.roster.snapshot import RosterLine, RosterSnapshot

    lines = tuple(
        RosterLine(i, i, f"成员{i}", GroupRole.MEMBER, None, ("职务",)) for i in range(300)
    )
    snapshot = RosterSnapshot("青禾镇安全生产领导小组", "青禾镇", "", TODAY, lines)
    pdf = RosterDocument(snapshot, fonts=bundled_fonts()).render_bytes()
    preview = PrintPreviewDialog(None, pdf, title="t", suggested_name="t.pdf")
    qtbot.addWidget(preview)
    preview.resize(900, 700)
    preview.show()
    qtbot.waitExposed(preview)
    total = len(preview.pages)
    assert total > 10
    assert 1 <= len(preview.page_images) < 5
    bar = preview.scroll.verticalScrollBar()
    bar.setValue(bar.maximum())
    assert total - 1 in preview.page_images  # the last page is drawn once scrolled to
    assert len(preview.page_images) < total
