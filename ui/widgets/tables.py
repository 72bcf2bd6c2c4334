"""Table view helpers."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget

# Measuring every row's height costs about 0.1 ms a row: beyond this many rows (an import
# of thousands of members) the table keeps one line per row and shows the rest as a tooltip.
WRAP_LIMIT = 500


def record_table(model: QAbstractItemModel, sort_column: int, parent: QWidget) -> QTableView:
    """A list of records: whole rows selected one at a time, sortable, read only (edits go
    through dialogs), one line a row with long text elided."""
    table = QTableView(parent)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setSortingEnabled(True)
    table.sortByColumn(sort_column, Qt.SortOrder.AscendingOrder)
    table.setWordWrap(False)
    table.setShowGrid(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 14)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setMinimumSectionSize(48)
    return table


def wrap_rows(table: QTableView) -> None:
    """Let long cells wrap: row heights follow the column widths as they change."""
    table.setWordWrap(True)
    timer = QTimer(table)
    timer.setSingleShot(True)
    timer.setInterval(0)

    def resize() -> None:
        model = table.model()
        if model is not None and model.rowCount() <= WRAP_LIMIT:
            table.resizeRowsToContents()

    timer.timeout.connect(resize)
    # Column widths are only known once the table is laid out, and change with the window.
    table.horizontalHeader().sectionResized.connect(lambda *_args: timer.start())
    model = table.model()
    if model is not None:
        model.modelReset.connect(timer.start)
        model.layoutChanged.connect(timer.start)
    timer.start()
