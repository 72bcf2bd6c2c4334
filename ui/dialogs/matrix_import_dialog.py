"""What importing a matrix file would change, shown before anything is written.

The rows added, changed and removed, the assignments the new matrix would begin and end,
and every name that links to nothing (kept as text: often a typo worth fixing first).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, pgettext
from ui.widgets.forms import hint_label, long_date
from ui.widgets.tables import wrap_rows

if TYPE_CHECKING:
    from app.responsibility.interchange import MatrixPlan

# By RowChange value; the word says the kind too.
CHANGE_COLOURS = {
    "add": QColor(0x1B, 0x6E, 0x2E),
    "change": QColor(0x8A, 0x5A, 0x00),
    "remove": QColor(0xA3, 0x1F, 0x1F),
}


class MatrixImportDialog(QDialog):
    """Accepting means "apply this plan"; the caller writes it (all or nothing)."""

    changes_data = True  # OK writes: not opened while the database is read-only

    def __init__(self, parent: QWidget | None, plan: MatrixPlan):
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle(_("Import preview — {file}").format(file=plan.source.name))
        self.resize(900, 560)

        self.summary_label = QLabel(plan.summary(), self)
        bold = QFont(self.summary_label.font())
        bold.setBold(True)
        bold.setPointSizeF(bold.pointSizeF() * 1.15)
        self.summary_label.setFont(bold)
        self.summary_label.setWordWrap(True)

        facts = [
            _("File: {file}").format(file=str(plan.source)),
            _(
                "The matrix takes effect on {date}: the responsibilities it states begin that "
                "day; earlier days stay as they were."
            ).format(date=long_date(plan.day)),
        ]
        if plan.begun or plan.ended:
            facts.append(plan.assignments_text())
        self.facts_label = QLabel("\n".join(facts), self)
        self.facts_label.setWordWrap(True)

        self.table = QTableWidget(len(plan.changes), 4, self)
        self.table.setHorizontalHeaderLabels([_("Change"), _("Row"), _("Which row"), _("Details")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        separator = pgettext("list of changes", "; ")
        for row, change in enumerate(plan.changes):
            cells = [
                change.kind.label,
                str(change.position),
                change.description,
                separator.join(change.details),
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if column == 0:
                    item.setForeground(QBrush(CHANGE_COLOURS.get(str(change.kind), QColor())))
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(2, 300)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        wrap_rows(self.table)
        self.table.setVisible(bool(plan.changes))

        notes = [item.message() for item in plan.unlinked] + [n.text() for n in plan.notes]
        self.notes_title = QLabel(_("Worth a look before applying:"), self)
        self.notes_list = QListWidget(self)
        self.notes_list.setWordWrap(True)
        self.notes_list.addItems(notes)
        self.notes_list.setMaximumHeight(140)
        self.notes_title.setVisible(bool(notes))
        self.notes_list.setVisible(bool(notes))

        self.buttons = QDialogButtonBox(self)
        self.apply_button = self.buttons.addButton(
            _("Apply"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.apply_button.setEnabled(not plan.is_empty)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.facts_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.notes_title)
        layout.addWidget(self.notes_list)
        if plan.is_empty:
            layout.addStretch(1)
        else:
            layout.addWidget(
                hint_label(
                    _(
                        "Nothing has been written yet. “Apply” replaces the whole matrix at "
                        "once; “Cancel” leaves it as it is."
                    ),
                    self,
                )
            )
        layout.addWidget(self.buttons)

    def row_texts(self) -> list[list[str]]:
        """The table as text (what the clerk reads), row by row."""
        texts = []
        for row in range(self.table.rowCount()):
            items = [self.table.item(row, column) for column in range(self.table.columnCount())]
            texts.append([item.text() if item is not None else "" for item in items])
        return texts

    def notes(self) -> list[str]:
        return [self.notes_list.item(i).text() for i in range(self.notes_list.count())]
