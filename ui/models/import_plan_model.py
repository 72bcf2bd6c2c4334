"""The changes an import would make, as a table (join / change / leave, name, details)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from app.i18n import _, pgettext
from ui.models.base import OBJECT_ROLE, ListTableModel, ModelIndex

if TYPE_CHECKING:
    # Typing only: the spreadsheet machinery loads when the first import starts.
    from app.roster.interchange import ImportPlan

COL_KIND = 0
COL_NAME = 1
COL_DETAILS = 2
COLUMN_COUNT = 3

# By ChangeKind value.  Readable on white; the word itself says the kind for the colour-blind.
KIND_COLOURS = {
    "add": QColor(0x1B, 0x6E, 0x2E),
    "change": QColor(0x8A, 0x5A, 0x00),
    "leave": QColor(0xA3, 0x1F, 0x1F),
}


class ImportPlanModel(ListTableModel["PlannedChange"]):
    def __init__(self, plan: ImportPlan | None = None, parent: Any = None):
        super().__init__([_("Change"), _("Name"), _("Details")], parent)
        if plan is not None:
            self.set_plan(plan)

    def set_plan(self, plan: ImportPlan) -> None:
        self.set_rows(plan.changes)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        change = self.row_object(index)
        if change is None:
            return None
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == COL_KIND:
                return change.kind.label
            if column == COL_NAME:
                return change.name
            if column == COL_DETAILS:
                return pgettext("list of changes", "; ").join(change.details)
        if role == Qt.ItemDataRole.ForegroundRole and column == COL_KIND:
            return QBrush(KIND_COLOURS[str(change.kind)])
        if role == OBJECT_ROLE:
            return change
        return None
