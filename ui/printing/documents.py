"""Showing a rendered document: render it on the worker thread, then the print preview
(save as PDF, print).  Every page that prints uses this."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from app.i18n import _
from ui import dialogs
from ui.errors import show_error
from ui.printing.preview import PrintPreviewDialog
from ui.tasks import Op


def safe_file_name(name: str) -> str:
    """A file name without the characters Windows refuses."""
    return "".join("_" if ch in '\\/:*?"<>|' else ch for ch in name)


class PdfPrinter(QObject):
    """Renders a document on the worker thread (``render`` reads its snapshot and returns
    the PDF bytes), then shows it in the print preview: save as PDF, print."""

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self._parent = parent
        self.last_preview: PrintPreviewDialog | None = None

    def preview(
        self,
        render: Callable[[], bytes],
        *,
        title: str,
        suggested_name: str,
        label: str | None = None,
    ) -> Op:
        parent = self._parent
        return (
            Op(parent, render, label=label or _("Preparing the document…"))
            .success(lambda pdf: self._show(pdf, title, suggested_name))
            .failure(lambda error: show_error(parent, error, _("Cannot print")))
            .run()
        )

    def _show(self, pdf: bytes, title: str, suggested_name: str) -> None:
        dialog = PrintPreviewDialog(self._parent, pdf, title=title, suggested_name=suggested_name)
        self.last_preview = dialog
        dialogs.run_dialog(dialog)
