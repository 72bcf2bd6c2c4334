"""Print preview for any PDF the document layer renders: look, save as PDF, print.

Pages are rasterised with pypdfium2 straight into QImages (no Pillow needed).  Printing
paints each page as an image at the printer's resolution, so what prints is exactly what
the preview shows and what the saved PDF holds.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import (
    QImage,
    QKeySequence,
    QPageLayout,
    QPageSize,
    QPainter,
    QPixmap,
    QResizeEvent,
    QShortcut,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.fileio import write_bytes_atomic
from app.i18n import _, ngettext
from ui.state import last_folder, remember_folder

ZOOM_STEPS = (0.5, 0.67, 0.75, 0.9, 1.0, 1.25, 1.5, 2.0, 3.0)
# Text prints crisply at 300 dpi on office printers; 600 took seconds a page on the GUI thread.
PRINT_DPI_LIMIT = 300
POINTS_PER_INCH = 72.0


class PdfUnavailable(Exception):
    """pypdfium2 is missing or the bytes are not a PDF it can read."""


class PdfPages:
    """A PDF in memory, rendered page by page to QImages."""

    def __init__(self, data: bytes):
        try:
            import pypdfium2
        except ImportError as error:
            raise PdfUnavailable(
                _(
                    "The preview needs the pypdfium2 package, which is not installed. "
                    "The document can still be saved as PDF."
                )
            ) from error
        try:
            self._document = pypdfium2.PdfDocument(data)
        except pypdfium2.PdfiumError as error:
            raise PdfUnavailable(
                _("The document cannot be shown: {reason}").format(reason=error)
            ) from error

    def __len__(self) -> int:
        return len(self._document)

    def page_size(self, index: int) -> tuple[float, float]:
        """Width and height in points (1/72 inch)."""
        width, height = self._document[index].get_size()
        return float(width), float(height)

    def render(self, index: int, scale: float) -> QImage:
        """The page at ``scale`` pixels per point, as an RGB image that owns its pixels."""
        page = self._document[index]
        bitmap = page.render(scale=scale, prefer_bgrx=True, rev_byteorder=True)
        try:
            if bitmap.n_channels == 4:
                image_format = QImage.Format.Format_RGBX8888
            elif bitmap.n_channels == 3:
                image_format = QImage.Format.Format_RGB888
            else:
                image_format = QImage.Format.Format_Grayscale8
            image = QImage(
                bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride, image_format
            )
            # QImage only borrows the buffer: copy so the image outlives the bitmap.
            return image.copy()
        finally:
            bitmap.close()

    def close(self) -> None:
        self._document.close()


def new_a4_printer() -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    # The PDF carries its own margins (GB/T 9704): the printer must not add any.
    printer.setFullPage(True)
    return printer


def paint_pages(
    pages: PdfPages, printer: QPrinter, progress: Callable[[int], bool] | None = None
) -> int:
    """Paint every page onto ``printer`` at its resolution; the number of pages painted.

    ``progress(pages_done)`` is called between pages; returning False stops (cancel).
    """
    dpi = min(printer.resolution(), PRINT_DPI_LIMIT)
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError(_("The printer cannot be used."))
    try:
        for index in range(len(pages)):
            if progress is not None and not progress(index):
                printer.abort()
                return index
            if index:
                printer.newPage()
            image = pages.render(index, dpi / POINTS_PER_INCH)
            area = painter.viewport()
            size = QSize(image.width(), image.height()).scaled(
                area.size(), Qt.AspectRatioMode.KeepAspectRatio
            )
            painter.drawImage(QRect(area.topLeft(), size), image)
    finally:
        painter.end()
    return len(pages)


class PrintPreviewDialog(QDialog):
    """Shows a rendered document; saves it as PDF or prints it."""

    def __init__(
        self,
        parent: QWidget | None,
        pdf: bytes,
        *,
        title: str,
        suggested_name: str,
    ):
        super().__init__(parent)
        self.pdf = pdf
        self._suggested_name = suggested_name
        self._zoom = 1.0
        self.page_images: dict[int, QImage] = {}  # drawn pages at the current zoom, by index
        self._page_labels: list[QLabel] = []
        self._page_tops: list[tuple[int, int]] = []
        self.setWindowTitle(_("Print preview — {title}").format(title=title))
        self.resize(960, 900)

        try:
            self.pages: PdfPages | None = PdfPages(pdf)
            self.problem = ""
        except PdfUnavailable as error:
            self.pages = None
            self.problem = str(error)

        self.zoom_out_button = QPushButton(_("Zoom out"), self)
        self.zoom_label = QLabel(self)
        self.zoom_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("300 %") + 16)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zoom_in_button = QPushButton(_("Zoom in"), self)
        self.fit_button = QPushButton(_("Fit width"), self)
        self.count_label = QLabel(self)
        self.save_button = QPushButton(_("Save as PDF…"), self)
        self.print_button = QPushButton(_("Print…"), self)
        self.close_button = QPushButton(_("Close"), self)
        self.print_button.setDefault(True)

        bar = QHBoxLayout()
        for widget in (self.zoom_out_button, self.zoom_label, self.zoom_in_button, self.fit_button):
            bar.addWidget(widget)
        bar.addSpacing(12)
        bar.addWidget(self.count_label)
        bar.addStretch(1)
        for widget in (self.save_button, self.print_button, self.close_button):
            bar.addWidget(widget)

        self.sheet = QWidget(self)
        self.sheet.setObjectName("previewSheet")
        self.sheet.setStyleSheet("#previewSheet { background: #6b6f75; }")
        self.sheet_layout = QVBoxLayout(self.sheet)
        self.sheet_layout.setSpacing(16)
        self.sheet_layout.setContentsMargins(16, 16, 16, 16)
        self.sheet_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.scroll = QScrollArea(self)
        self.scroll.setWidget(self.sheet)
        self.scroll.setWidgetResizable(True)
        self.scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.scroll, 1)
        self.scroll.verticalScrollBar().valueChanged.connect(lambda _value: self._render_visible())

        self.zoom_out_button.clicked.connect(lambda: self.step_zoom(-1))
        self.zoom_in_button.clicked.connect(lambda: self.step_zoom(+1))
        self.fit_button.clicked.connect(self.fit_width)
        self.save_button.clicked.connect(self.save_as)
        self.print_button.clicked.connect(self.print_dialog)
        self.close_button.clicked.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.ZoomIn, self, lambda: self.step_zoom(+1))
        QShortcut(QKeySequence.StandardKey.ZoomOut, self, lambda: self.step_zoom(-1))
        QShortcut(QKeySequence.StandardKey.Print, self, self.print_dialog)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save_as)

        if self.pages is None:
            message = QLabel(self.problem, self.sheet)
            message.setWordWrap(True)
            message.setStyleSheet("color: white; font-size: 14pt;")
            self.sheet_layout.addWidget(message)
            for button in (
                self.zoom_in_button,
                self.zoom_out_button,
                self.fit_button,
                self.print_button,
            ):
                button.setEnabled(False)
            self.count_label.setText("")
            self.zoom_label.setText("")
        else:
            count = len(self.pages)
            self.count_label.setText(
                ngettext("{count} page", "{count} pages", count).format(count=count)
            )
            self.set_zoom(1.0)

    # ------------------------------------------------------------------ zoom and rendering

    @property
    def zoom(self) -> float:
        return self._zoom

    def set_zoom(self, zoom: float) -> None:
        if self.pages is None:
            return
        self._zoom = max(ZOOM_STEPS[0], min(ZOOM_STEPS[-1], zoom))
        self.zoom_label.setText(f"{round(self._zoom * 100)} %")
        self.zoom_out_button.setEnabled(self._zoom > ZOOM_STEPS[0])
        self.zoom_in_button.setEnabled(self._zoom < ZOOM_STEPS[-1])
        self._render_pages()

    def step_zoom(self, direction: int) -> None:
        if direction > 0:
            bigger = [step for step in ZOOM_STEPS if step > self._zoom + 1e-6]
            self.set_zoom(bigger[0] if bigger else ZOOM_STEPS[-1])
        else:
            smaller = [step for step in ZOOM_STEPS if step < self._zoom - 1e-6]
            self.set_zoom(smaller[-1] if smaller else ZOOM_STEPS[0])

    def fit_width(self) -> None:
        if self.pages is None or not len(self.pages):
            return
        width_points, _height = self.pages.page_size(0)
        available = self.scroll.viewport().width() - 2 * 16 - 4
        self.set_zoom(available / (width_points * self._screen_scale()))

    def _screen_scale(self) -> float:
        """Pixels per point at 100 %: a page shows at its real size on a 96-dpi screen."""
        return self.logicalDpiX() / POINTS_PER_INCH

    def _render_pages(self) -> None:
        """Lay out every page at the current zoom; draw only those near the visible part.

        A batch of hundreds of letters would otherwise be rasterised in full on every zoom
        step, on the GUI thread.
        """
        assert self.pages is not None
        scale = self._zoom * self._screen_scale()
        self.page_images = {}
        self._page_tops = []
        top = self.sheet_layout.contentsMargins().top()
        for index in range(len(self.pages)):
            width, height = self.pages.page_size(index)
            if index >= len(self._page_labels):
                label = QLabel(self.sheet)
                label.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
                label.setStyleSheet("background: white; border: 1px solid #3c3f44;")
                self.sheet_layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
                self._page_labels.append(label)
            label = self._page_labels[index]
            label.clear()
            size = QSize(round(width * scale), round(height * scale))
            label.setFixedSize(size)
            self._page_tops.append((top, top + size.height()))
            top += size.height() + self.sheet_layout.spacing()
        self._render_visible()

    def _render_visible(self) -> None:
        if self.pages is None:
            return
        bar = self.scroll.verticalScrollBar()
        seen = max(self.scroll.viewport().height(), 1)
        # The visible part plus a screen above and below, so scrolling finds pages ready.
        low, high = bar.value() - seen, bar.value() + 2 * seen
        ratio = self.devicePixelRatioF()
        scale = self._zoom * self._screen_scale()
        for index, (top, bottom) in enumerate(self._page_tops):
            if index in self.page_images or ((bottom < low or top > high) and index):
                continue
            image = self.pages.render(index, scale * ratio)
            image.setDevicePixelRatio(ratio)
            self.page_images[index] = image
            self._page_labels[index].setPixmap(QPixmap.fromImage(image))

    # ------------------------------------------------------------------ saving and printing

    def save_as(self) -> Path | None:
        start = str(Path(last_folder("print")) / self._suggested_name)
        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("Save as PDF"), start, _("PDF documents (*.pdf)")
        )
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        try:
            write_bytes_atomic(path, self.pdf)
        except OSError as error:
            QMessageBox.warning(
                self,
                _("Cannot save"),
                _("Cannot write {file}: {reason}").format(
                    file=path, reason=error.strerror or error
                ),
            )
            return None
        remember_folder("print", path)
        return path

    def print_dialog(self) -> bool:
        if self.pages is None:
            return False
        printer = new_a4_printer()
        printer.setDocName(self._suggested_name)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(_("Print"))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.print_to(printer)

    def print_to(self, printer: QPrinter) -> bool:
        if self.pages is None:
            return False
        total = len(self.pages)
        dialog = QProgressDialog(_("Printing…"), _("Cancel"), 0, total, self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(600)

        def progress(done: int) -> bool:
            # Painting happens here on the GUI thread (pdfium is not thread-safe); keep the
            # window alive and let the clerk cancel between pages.
            dialog.setValue(done)
            QApplication.processEvents()
            return not dialog.wasCanceled()

        try:
            paint_pages(self.pages, printer, progress)
        except OSError as error:
            QMessageBox.warning(self, _("Cannot print"), str(error))
            return False
        finally:
            dialog.setValue(total)
            dialog.deleteLater()
        return True

    def done(self, result: int) -> None:
        if self.pages is not None:
            self.pages.close()
            self.pages = None
        super().done(result)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._render_visible()
