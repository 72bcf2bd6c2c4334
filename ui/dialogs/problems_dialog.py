"""A file that cannot be imported: every problem with its row, column and reason."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.io.errors import InterchangeError
from ui.widgets.tables import wrap_rows


class ImportProblemsDialog(QDialog):
    """Lists what is wrong in the file; nothing was written."""

    def __init__(self, parent: QWidget | None, *, path: Path, error: InterchangeError):
        super().__init__(parent)
        self.setWindowTitle(_("The file cannot be imported"))
        self.resize(720, 420)
        problems = list(error.problems)

        heading = QLabel(
            _(
                "{file} was not imported: nothing was written. Please correct the file and "
                "import it again."
            ).format(file=path.name),
            self,
        )
        heading.setWordWrap(True)
        self.table = QTableWidget(len(problems), 3, self)
        self.table.setHorizontalHeaderLabels([_("Row"), _("Column"), _("Problem")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for row, problem in enumerate(problems):
            cells = [
                str(problem.row) if problem.row is not None else "—",
                problem.column or "—",
                problem.reason,
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        wrap_rows(self.table)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        if not problems:
            layout.addWidget(QLabel(str(error), self))
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

    def problem_texts(self) -> list[str]:
        return [self.table.item(row, 2).text() for row in range(self.table.rowCount())]
