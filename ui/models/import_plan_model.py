"""The changes an import would make, as a table (join / change / leave, name, details)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.i18n import _, pgettext

if TYPE_CHECKING:
    # Typing only: the spreadsheet machinery loads when the first import starts.
    from app.roster.interchange import ImportPlan, PlannedChange

ModelIndex = QModelIndex | QPersistentModelIndex

COL_KIND = 0
COL_NAME = 1
COL_DETAILS = 2
COLUMN_COUNT = 3

OBJECT_ROLE = Qt.ItemDataRole.UserRole + 2

# By ChangeKind value.  Readable on white; the word itself says the kind for the colour-blind.
KIND_COLOURS = {
    "add": QColor(0x1B, 0x6E, 0x2E),
    "change": QColor(0x8A, 0x5A, 0x00),
    "leave": QColor(0xA3, 0x1F, 0x1F),
}


class ImportPlanModel(QAbstractTableModel):
    def __init__(self, plan: ImportPlan | None = None, parent: Any = None):
        super().__init__(parent)
        self._changes: list[PlannedChange] = list(plan.changes) if plan else []
        self._headers = [_("Change"), _("Name"), _("Details")]

    def set_plan(self, plan: ImportPlan) -> None:
        self.beginResetModel()
        self._changes = list(plan.changes)
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._changes)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._changes):
            return None
        change = self._changes[index.row()]
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
