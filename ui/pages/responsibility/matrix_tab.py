"""The responsibility matrix (分工表): who leads, oversees and answers for each field of work.

The table shows the stored rows in their order.  A name that links (a person, a unit, a post
and whoever holds it today) reads as normal text; one that links to nothing is muted and in
italics, with a tooltip saying so.  Every edit saves the whole matrix in one transaction,
from today, on the worker thread; import, export and print work the way the roster's do.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QKeySequence,
    QPalette,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
)

from app.i18n import _, ngettext
from app.io.errors import InterchangeError
from app.responsibility.matrix import MatrixLine, load_matrix, save_matrix
from ui import dialogs
from ui.errors import show_error
from ui.models.matrix_model import (
    COL_DEPARTMENTS,
    COL_DEPUTIES,
    COL_DUTIES,
    COL_NUMBER,
    COL_PRINCIPALS,
    COL_RESPONSIBLE,
    NAME_COLUMNS,
    MatrixFilterProxy,
    MatrixModel,
    SegmentKind,
    holders_for,
)
from ui.pages.responsibility import ResponsibilityTab
from ui.printing.documents import PdfPrinter, safe_file_name
from ui.tasks import Op
from ui.widgets.cards import EmptyState
from ui.widgets.file_dialogs import (
    EXCEL_SUFFIX,
    ask_spreadsheet_to_open,
    ask_spreadsheet_to_save,
)
from ui.widgets.forms import hint_label
from ui.widgets.tables import wrap_rows

if TYPE_CHECKING:
    from app.responsibility.interchange import MatrixPlan
    from ui.dialogs.matrix_import_dialog import MatrixImportDialog
    from ui.dialogs.problems_dialog import ImportProblemsDialog
    from ui.pages.responsibility import ResponsibilityPage

VACANT_COLOUR = "#c0570f"
# Beyond this many cells with unlinked names (a file where nothing links), the rest show as
# plain text with their tooltip: hundreds of labels would slow every refresh.
LABEL_LIMIT = 400


def blend(colour: QColor, background: QColor) -> str:
    """A colour with transparency (Qt's placeholder text is the text colour at half
    opacity) as the solid colour it shows on ``background``: rich text wants a plain name."""
    alpha = colour.alphaF()
    mixed = QColor.fromRgbF(
        colour.redF() * alpha + background.redF() * (1 - alpha),
        colour.greenF() * alpha + background.greenF() * (1 - alpha),
        colour.blueF() * alpha + background.blueF() * (1 - alpha),
    )
    return mixed.name()


def names_html(segments: list[tuple[str, SegmentKind]], text: str, muted: str) -> str:
    """A names cell as rich text: linked names plain, text-only names muted and in italics,
    vacant posts in a warning colour; ``text`` and ``muted`` are colour names."""
    parts = []
    for name, kind in segments:
        escaped = html.escape(name)
        if kind == SegmentKind.TEXT:
            parts.append(f'<i style="color: {muted}">{escaped}</i>')
        elif kind == SegmentKind.VACANT:
            parts.append(f'<span style="color: {VACANT_COLOUR}">{escaped}</span>')
        else:
            parts.append(escaped)
    return f'<span style="color: {text}">{"、".join(parts)}</span>'


class MatrixChanged(Exception):
    """The stored matrix is no longer the one shown (changed by an import or elsewhere)."""


class MatrixTab(ResponsibilityTab):
    """The 分工表 in its order; add, edit, delete and move rows; import, export, print."""

    def __init__(self, page: ResponsibilityPage):
        super().__init__(page)
        self.model = MatrixModel(self)
        self.proxy = MatrixFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.printer = PdfPrinter(self)
        self.last_plan: MatrixPlan | None = None
        self.last_preview: MatrixImportDialog | None = None
        self.last_problems: ImportProblemsDialog | None = None
        self.last_export: Path | None = None
        self._saving: Op | None = None
        # Rich-text labels over the cells that need them, by row of the view.
        self._labels: dict[int, list[tuple[QLabel, list[tuple[str, SegmentKind]]]]] = {}
        self._covered: set[tuple[int, int]] = set()

        self._build_toolbar()
        self._build_table()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(self._toolbar_layout)
        # The search sits beside the note, not among the buttons: at 1024 pixels they would
        # crowd it out.
        row = QHBoxLayout()
        row.addWidget(self.legend, 1)
        row.addWidget(self.search_edit)
        layout.addLayout(row)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.count_label)
        self.refresh()

    # ------------------------------------------------------------------ building

    def _button(self, text: str, tip: str, slot: Callable[[], Any]) -> QPushButton:
        button = QPushButton(text, self)
        button.setToolTip(tip)
        button.setMinimumWidth(button.sizeHint().width())
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _build_toolbar(self) -> None:
        self.search_edit = QLineEdit(self)
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText(_("Search names, departments or duties (Ctrl+F)"))
        self.search_edit.setMinimumWidth(280)
        self.search_edit.textChanged.connect(self._search_changed)
        self.add_button = self._button(
            _("Add row"), _("Add a row after the selected one"), self.add_row
        )
        self.edit_button = self._button(
            _("Edit row"), _("Change the selected row (Enter)"), self.edit_row
        )
        self.delete_button = self._button(
            _("Delete row"), _("Delete the selected row (Del)"), self.delete_row
        )
        self.up_button = self._button(
            _("Move up"), _("Move the row up (Ctrl+Up)"), lambda: self.move_row(-1)
        )
        self.down_button = self._button(
            _("Move down"), _("Move the row down (Ctrl+Down)"), lambda: self.move_row(+1)
        )
        self.import_button = self._button(
            _("Import…"),
            _("Read the matrix from an Excel or CSV file; shows the changes before writing"),
            self.import_matrix,
        )
        self.export_button = self._button(
            _("Export…"), _("Write the matrix to an Excel or CSV file"), self.export_matrix
        )
        self.print_button = self._button(
            _("Print…"), _("Preview, print or save the matrix as PDF"), self.print_matrix
        )
        self._toolbar_layout = QHBoxLayout()
        self._toolbar_layout.setSpacing(6)
        for button in (
            self.add_button,
            self.edit_button,
            self.delete_button,
            self.up_button,
            self.down_button,
        ):
            self._toolbar_layout.addWidget(button)
        self._toolbar_layout.addStretch(1)
        for button in (self.import_button, self.export_button, self.print_button):
            self._toolbar_layout.addWidget(button)
        self.legend = hint_label(
            _(
                "Names in grey italics link to nobody: they are kept as text and make nobody "
                "answerable. A post shows who holds it today."
            ),
            self,
        )
        for keys, slot, context in (
            (QKeySequence.StandardKey.Find, self._focus_search, None),
            (QKeySequence.StandardKey.Print, self.print_matrix, None),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(context or Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    def _build_table(self) -> None:
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        em = self.table.fontMetrics().horizontalAdvance("国")
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_NUMBER, QHeaderView.ResizeMode.ResizeToContents)
        for column, width in (
            (COL_PRINCIPALS, 11),
            (COL_DEPUTIES, 7),
            (COL_DEPARTMENTS, 14),
            (COL_RESPONSIBLE, 12),
        ):
            header.resizeSection(column, max(width * em + 12, header.sectionSizeHint(column)))
        header.setSectionResizeMode(COL_DUTIES, QHeaderView.ResizeMode.Stretch)
        wrap_rows(self.table)
        self.table.doubleClicked.connect(lambda _index: self.edit_row())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.proxy.modelReset.connect(self._update_actions)
        self.proxy.layoutChanged.connect(self._update_actions)
        for keys, slot in (
            ((Qt.Key.Key_Return, Qt.Key.Key_Enter), self.edit_row),
            ((Qt.Key.Key_Delete,), self.delete_row),
            ((Qt.KeyboardModifier.ControlModifier | Qt.Key.Key_Up,), lambda: self.move_row(-1)),
            ((Qt.KeyboardModifier.ControlModifier | Qt.Key.Key_Down,), lambda: self.move_row(+1)),
        ):
            for key in keys:
                shortcut = QShortcut(QKeySequence(key), self.table)
                shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
                shortcut.activated.connect(slot)

        self.empty_page = EmptyState(
            self,
            hint=_(
                "Import the matrix your office keeps in Excel (单位负责人, 分管负责人, 责任科室, "
                "责任人, 安全生产重点职责), or add its rows one by one."
            ),
            actions=(
                (_("Import from a file…"), self.import_matrix),
                (_("Add a row"), self.add_row),
            ),
        )
        self.empty_label = self.empty_page.label
        self.empty_label.setText(_("The responsibility matrix is empty."))

        self.body = QStackedWidget(self)
        self.body.addWidget(self.table)
        self.body.addWidget(self.empty_page)
        self.count_label = QLabel(self)
        self.count_label.setStyleSheet("color: palette(placeholder-text);")

    # ------------------------------------------------------------------ state

    @property
    def day(self) -> dt.date:
        """Edits count from today; posts show today's holders."""
        return self.page.today()

    @property
    def lines(self) -> list[MatrixLine]:
        return self.model.lines

    def refresh(self, select: int | None = None) -> None:
        """Read the matrix again; keep (or move to ``select``) the selected row."""
        if select is None:
            select = self.selected_row()
        lines = load_matrix()
        self.model.set_lines(lines, holders_for(lines, self.day))
        self.body.setCurrentWidget(self.table if lines else self.empty_page)
        self._update_spans()
        self._update_count()
        if select is not None:
            self.select_row(select)
        self._update_actions()

    def selected_row(self) -> int | None:
        """The selected row's place in the matrix (0-based), or None."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.proxy.mapToSource(rows[0]).row()

    def select_row(self, row: int) -> None:
        if not self.model.rowCount():
            return
        row = max(0, min(row, self.model.rowCount() - 1))
        index = self.proxy.mapFromSource(self.model.index(row, COL_NUMBER))
        if not index.isValid():
            return
        self.table.selectionModel().select(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)

    def _update_count(self) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        if self.proxy.search and shown != total:
            text = ngettext(
                "{shown} of {count} row shown", "{shown} of {count} rows shown", total
            ).format(shown=shown, count=total)
        else:
            text = ngettext("{count} row", "{count} rows", total).format(count=total)
        self.count_label.setText(text)

    def _update_actions(self) -> None:
        row = self.selected_row()
        busy = self._saving is not None and self._saving.running
        selected = row is not None and not busy
        # Moving only makes sense in the whole matrix, not in a search's few rows.
        ordered = not self.proxy.search
        self.add_button.setEnabled(not busy)
        self.edit_button.setEnabled(selected)
        self.delete_button.setEnabled(selected)
        self.up_button.setEnabled(selected and ordered and row is not None and row > 0)
        self.down_button.setEnabled(
            selected and ordered and row is not None and row < self.model.rowCount() - 1
        )
        has_rows = self.model.rowCount() > 0
        self.export_button.setEnabled(has_rows)
        self.print_button.setEnabled(has_rows)

    def _selection_changed(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        rows = {index.row() for index in (*selected.indexes(), *deselected.indexes())}
        for row in rows:
            self._style_labels(row)
        self._update_actions()

    def _place_labels(self) -> None:
        """Cells naming something that links to nothing (or a vacant post) show it in rich
        text: a label over the cell.  (A label paints itself; a delegate painting in Python
        would run for every cell at every repaint.)  Fully linked cells stay plain text."""
        self._labels.clear()
        proxy, covered = self.proxy, self._covered
        placed = 0
        for row in range(proxy.rowCount()):
            source_row = proxy.mapToSource(proxy.index(row, COL_NUMBER)).row()
            for column in NAME_COLUMNS:
                index = proxy.index(row, column)
                segments = self.model.segments(source_row, column)
                plain = all(kind == SegmentKind.LINKED for _text, kind in segments)
                if plain or (row, column) in covered or placed >= LABEL_LIMIT:
                    if self.table.indexWidget(index) is not None:
                        self.table.setIndexWidget(index, None)  # type: ignore[arg-type]
                    continue
                label = QLabel()
                label.setTextFormat(Qt.TextFormat.RichText)
                label.setWordWrap(True)
                label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                label.setContentsMargins(3, 1, 3, 1)
                label.setAutoFillBackground(True)
                # Inside a view a child paints the viewport's role (Base) unless told.
                label.setBackgroundRole(QPalette.ColorRole.Window)
                # Clicks, double-clicks and tooltips belong to the table underneath.
                label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
                self.table.setIndexWidget(index, label)
                self._labels.setdefault(row, []).append((label, segments))
                placed += 1
            self._style_labels(row)

    def _style_labels(self, row: int) -> None:
        """Colours of a row's labels: the row's background (alternate, selected) and text."""
        labels = self._labels.get(row)
        if not labels:
            return
        palette = self.table.palette()
        selected = self.table.selectionModel().isRowSelected(row)
        if selected:
            background = palette.color(QPalette.ColorRole.Highlight)
            text = muted = palette.color(QPalette.ColorRole.HighlightedText).name()
        else:
            alternate = self.table.alternatingRowColors() and row % 2 == 1
            background = palette.color(
                QPalette.ColorRole.AlternateBase if alternate else QPalette.ColorRole.Base
            )
            text = palette.color(QPalette.ColorRole.Text).name()
            muted = blend(palette.color(QPalette.ColorRole.PlaceholderText), background)
        for label, segments in labels:
            label_palette = label.palette()
            label_palette.setColor(QPalette.ColorRole.Window, background)
            label.setPalette(label_palette)
            label.setText(names_html(segments, text, muted))

    def _update_spans(self) -> None:
        """Equal unit heads one under another share one cell, as clerks lay the table out."""
        self.table.clearSpans()
        self._covered = set()
        proxy = self.proxy
        count = proxy.rowCount()
        texts = [proxy.index(row, COL_PRINCIPALS).data() for row in range(count)]
        start = 0
        for row in range(1, count + 1):
            if row == count or texts[row] != texts[start]:
                if row - start > 1 and texts[start]:
                    self.table.setSpan(start, COL_PRINCIPALS, row - start, 1)
                    self._covered.update((r, COL_PRINCIPALS) for r in range(start + 1, row))
                start = row
        self._place_labels()

    def _search_changed(self, text: str) -> None:
        self.proxy.set_search(text)
        self._update_spans()
        self._update_count()
        self._update_actions()

    def _focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    # ------------------------------------------------------------------ editing

    def save(self, lines: Sequence[MatrixLine], select: int | None, message: str) -> Op:
        """Make ``lines`` the matrix from today (worker thread), then show it again."""
        expected = self.lines
        new = list(lines)
        day = self.day

        def write() -> None:
            if load_matrix() != expected:
                raise MatrixChanged
            save_matrix(new, day)

        self._saving = (
            Op(self, write, label=_("Saving the matrix…"))
            .success(lambda _result: self._saved(select, message))
            .failure(self._save_failed)
        )
        self._update_actions()
        return self._saving.run()

    def _saved(self, select: int | None, message: str) -> None:
        self.refresh(select)
        self.changed.emit()
        self.status_message.emit(message)

    def _save_failed(self, error: BaseException) -> None:
        if isinstance(error, MatrixChanged):
            QMessageBox.warning(
                self,
                _("Cannot save"),
                _(
                    "The matrix was changed elsewhere (an import?) while you were editing. "
                    "It is shown again as it is now: please make your change once more."
                ),
            )
            self.refresh()
            return
        show_error(self, error, _("Cannot save"))
        self._update_actions()

    def add_row(self) -> None:
        from ui.dialogs.matrix_row_dialog import MatrixRowDialog

        dialog = MatrixRowDialog(self, day=self.day)
        if dialogs.run_dialog(dialog) != MatrixRowDialog.DialogCode.Accepted:
            return
        lines = self.lines
        selected = self.selected_row()
        at = len(lines) if selected is None else selected + 1
        lines.insert(at, dialog.line())
        self.save(lines, at, _("Row {number} was added.").format(number=at + 1))

    def edit_row(self) -> None:
        from ui.dialogs.matrix_row_dialog import MatrixRowDialog

        row = self.selected_row()
        if row is None:
            return
        lines = self.lines
        dialog = MatrixRowDialog(self, day=self.day, line=lines[row])
        if dialogs.run_dialog(dialog) != MatrixRowDialog.DialogCode.Accepted:
            return
        new = dialog.line()
        if new == lines[row]:
            return
        lines[row] = new
        self.save(lines, row, _("Row {number} was changed.").format(number=row + 1))

    def delete_row(self) -> None:
        if dialogs.refuse_if_read_only(self):
            return
        row = self.selected_row()
        if row is None:
            return
        lines = self.lines
        from app.responsibility.interchange import describe

        what = describe(lines[row])
        answer = QMessageBox.question(
            self,
            _("Delete the row"),
            _(
                "Delete row {number} ({what})? The responsibilities it states end today; "
                "earlier days keep them."
            ).format(number=row + 1, what=what or "—"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        del lines[row]
        self.save(lines, row, _("Row {number} was deleted.").format(number=row + 1))

    def move_row(self, offset: int) -> None:
        if dialogs.refuse_if_read_only(self):
            return
        row = self.selected_row()
        if row is None or self.proxy.search:
            return
        lines = self.lines
        target = row + offset
        if not 0 <= target < len(lines):
            return
        lines[row], lines[target] = lines[target], lines[row]
        self.save(lines, target, _("Row {number} moved.").format(number=target + 1))

    # ------------------------------------------------------------------ import

    def import_matrix(self) -> None:
        path = ask_spreadsheet_to_open(self, _("Import the responsibility matrix"))
        if path is not None:
            self.start_import(path)

    def start_import(self, path: Path) -> Op:
        # Loaded on first use: the spreadsheet libraries cost start-up time.
        from app.responsibility.interchange import plan_matrix_import

        day = self.day
        return (
            Op(
                self,
                lambda: plan_matrix_import(path, day),
                label=_("Reading {file}…").format(file=path.name),
            )
            .success(self._show_plan)
            .failure(lambda error: self._import_failed(path, error))
            .run()
        )

    def _import_failed(self, path: Path, error: BaseException) -> None:
        if isinstance(error, InterchangeError):
            from ui.dialogs.problems_dialog import ImportProblemsDialog

            dialog = ImportProblemsDialog(self, path=path, error=error)
            self.last_problems = dialog
            dialogs.run_dialog(dialog)
            return
        show_error(self, error, _("Cannot import"))

    def _show_plan(self, plan: MatrixPlan) -> None:
        from app.responsibility.interchange import apply_matrix_plan
        from ui.dialogs.matrix_import_dialog import MatrixImportDialog

        self.last_plan = plan
        dialog = MatrixImportDialog(self, plan)
        self.last_preview = dialog
        if dialogs.run_dialog(dialog) != MatrixImportDialog.DialogCode.Accepted:
            self.status_message.emit(_("Import cancelled: nothing was written."))
            return
        if plan.is_empty:
            return
        (
            Op(self, lambda: apply_matrix_plan(plan), label=_("Importing…"))
            .success(lambda _result: self._applied(plan))
            .failure(lambda error: self._apply_failed(plan.source, error))
            .run()
        )

    def _apply_failed(self, path: Path, error: BaseException) -> None:
        self._import_failed(path, error)
        self.refresh()

    def _applied(self, plan: MatrixPlan) -> None:
        self.refresh()
        self.changed.emit()
        self.status_message.emit(
            _("Imported {file}: {summary}").format(file=plan.source.name, summary=plan.summary())
        )

    # ------------------------------------------------------------------ export and print

    def export_matrix(self) -> None:
        from app.responsibility.interchange import export_title

        name = safe_file_name(f"{export_title()}-{self.day.isoformat()}{EXCEL_SUFFIX}")
        path = ask_spreadsheet_to_save(self, _("Export the responsibility matrix"), name)
        if path is not None:
            self.start_export(path)

    def start_export(self, path: Path) -> Op:
        from app.responsibility.interchange import export_matrix

        return (
            Op(self, lambda: export_matrix(path), label=_("Writing {file}…").format(file=path.name))
            .success(lambda count: self._exported(path, count))
            .failure(lambda error: show_error(self, error, _("Cannot export")))
            .run()
        )

    def _exported(self, path: Path, count: int) -> None:
        self.last_export = path
        self.status_message.emit(
            ngettext(
                "{count} row written to {file}", "{count} rows written to {file}", count
            ).format(count=count, file=path)
        )

    def print_matrix(self) -> Op | None:
        from app.responsibility.interchange import export_title

        if not self.model.rowCount():
            return None
        day = self.day

        def render() -> bytes:
            from app.responsibility.prints import MatrixDocument, matrix_snapshot

            return MatrixDocument(matrix_snapshot(day)).render_bytes()

        return self.printer.preview(
            render,
            title=_("Responsibility matrix"),
            suggested_name=safe_file_name(f"{export_title()}-{day.isoformat()}.pdf"),
        )
