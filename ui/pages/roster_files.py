"""The roster page's file work: import with a preview, export, print with a preview.

Reading a spreadsheet, writing one and rendering a PDF run off the GUI thread; what they
return comes back to the page as a dialog.  Nothing is written to the database before the
clerk has seen the planned changes and pressed "Apply".
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from app.config import Settings
from app.i18n import _, ngettext
from app.io.errors import InterchangeError
from app.roster.service import roster_as_of
from app.roster.snapshot import RosterSnapshot
from ui import dialogs
from ui.dialogs.import_preview import ImportPreviewDialog
from ui.dialogs.problems_dialog import ImportProblemsDialog
from ui.errors import show_error
from ui.printing.preview import PrintPreviewDialog
from ui.tasks import Op
from ui.widgets.file_dialogs import EXCEL_SUFFIX, ask_spreadsheet_to_open, ask_spreadsheet_to_save

if TYPE_CHECKING:
    from app.roster.interchange import ImportPlan
    from ui.pages.roster import RosterPage


def roster_document_name(snapshot: RosterSnapshot, suffix: str) -> str:
    """A file name a clerk recognises: 青禾镇安全生产领导小组成员名单-2026-11-23.xlsx."""
    base = f"{snapshot.group_name}成员名单-{snapshot.as_of.isoformat()}"
    cleaned = "".join("_" if ch in '\\/:*?"<>|' else ch for ch in base)
    return cleaned + suffix


def render_roster_pdf(snapshot: RosterSnapshot, fonts: dict[str, str]) -> bytes:
    """The roster document as PDF bytes (runs on a worker thread: no widgets here)."""
    from app.prints.fonts import fonts_for_settings
    from app.roster.print import RosterDocument

    return RosterDocument(snapshot, fonts=fonts_for_settings(fonts)).render_bytes()


class RosterFiles(QObject):
    def __init__(self, page: RosterPage):
        super().__init__(page)
        self._page = page
        self.last_plan: ImportPlan | None = None
        self.last_preview: ImportPreviewDialog | None = None
        self.last_problems: ImportProblemsDialog | None = None
        self.last_print_preview: PrintPreviewDialog | None = None
        self.last_export: Path | None = None

    # ------------------------------------------------------------------ import

    def import_roster(self) -> None:
        page = self._page
        path = ask_spreadsheet_to_open(page, _("Import the roster"))
        if path is not None:
            self.start_import(path)

    def start_import(self, path: Path) -> Op:
        # Loaded on first use: the spreadsheet libraries cost start-up time.
        from app.roster.interchange import plan_import

        day = self._page.as_of
        return (
            Op(
                self._page,
                lambda: plan_import(path, day),
                label=_("Reading {file}…").format(file=path.name),
            )
            .success(self._show_plan)
            .failure(lambda error: self._import_failed(path, error))
            .run()
        )

    def _import_failed(self, path: Path, error: BaseException) -> None:
        if isinstance(error, InterchangeError):
            dialog = ImportProblemsDialog(self._page, path=path, error=error)
            self.last_problems = dialog
            dialogs.run_dialog(dialog)
            return
        show_error(self._page, error, _("Cannot import"))

    def _show_plan(self, plan: ImportPlan) -> None:
        self.last_plan = plan
        dialog = ImportPreviewDialog(self._page, plan)
        self.last_preview = dialog
        if dialogs.run_dialog(dialog) != ImportPreviewDialog.DialogCode.Accepted:
            self._page.status_message.emit(_("Import cancelled: nothing was written."))
            return
        plan = dialog.plan  # without the leavers if the clerk chose to keep them
        if plan.is_empty:
            return
        from app.roster.interchange import apply_plan

        (
            Op(self._page, lambda: apply_plan(plan), label=_("Importing…"))
            .success(lambda _result: self._applied(plan))
            .failure(lambda error: show_error(self._page, error, _("Cannot import")))
            .run()
        )

    def _applied(self, plan: ImportPlan) -> None:
        page = self._page
        page.refresh()
        page.roster_changed.emit()
        page.status_message.emit(
            _("Imported {file}: {summary}").format(file=plan.source.name, summary=plan.summary())
        )

    # ------------------------------------------------------------------ export

    def export_roster(self) -> None:
        page = self._page
        snapshot = page.snapshot or roster_as_of(page.as_of)
        path = ask_spreadsheet_to_save(
            page, _("Export the roster"), roster_document_name(snapshot, EXCEL_SUFFIX)
        )
        if path is not None:
            self.start_export(path)

    def start_export(self, path: Path) -> Op:
        from app.roster.interchange import export_roster

        day = self._page.as_of
        return (
            Op(
                self._page,
                lambda: export_roster(path, day),
                label=_("Writing {file}…").format(file=path.name),
            )
            .success(lambda count: self._exported(path, count))
            .failure(lambda error: show_error(self._page, error, _("Cannot export")))
            .run()
        )

    def _exported(self, path: Path, count: int) -> None:
        self.last_export = path
        self._page.status_message.emit(
            ngettext(
                "{count} member written to {file}", "{count} members written to {file}", count
            ).format(count=count, file=path)
        )

    # ------------------------------------------------------------------ print

    def print_roster(self) -> Op:
        page = self._page
        snapshot = roster_as_of(page.as_of)
        fonts = dict(Settings.load().print_fonts)
        return (
            Op(
                page,
                lambda: render_roster_pdf(snapshot, fonts),
                label=_("Preparing the document…"),
                uses_database=False,
            )
            .success(lambda pdf: self._show_print_preview(snapshot, pdf))
            .failure(lambda error: show_error(page, error, _("Cannot print")))
            .run()
        )

    def _show_print_preview(self, snapshot: RosterSnapshot, pdf: bytes) -> None:
        dialog = PrintPreviewDialog(
            self._page,
            pdf,
            title=snapshot.group_name,
            suggested_name=roster_document_name(snapshot, ".pdf"),
        )
        self.last_print_preview = dialog
        dialogs.run_dialog(dialog)
