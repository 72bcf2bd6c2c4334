"""Table view helpers."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QTableView


def wrap_rows(table: QTableView) -> None:
    """Let long cells wrap: row heights follow the column widths as they change."""
    table.setWordWrap(True)
    timer = QTimer(table)
    timer.setSingleShot(True)
    timer.setInterval(0)
    timer.timeout.connect(table.resizeRowsToContents)
    # Column widths are only known once the table is laid out, and change with the window.
    table.horizontalHeader().sectionResized.connect(lambda *_args: timer.start())
    model = table.model()
    if model is not None:
        model.modelReset.connect(timer.start)
        model.layoutChanged.connect(timer.start)
    timer.start()
