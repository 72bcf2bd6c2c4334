"""The coverage check's gaps as a Qt table, with a filter by rule.

The model holds plain Gap records (app.responsibility.coverage), so it can be tested by
calling ``data(index, role)`` without any widget.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt

from app.i18n import _
from app.responsibility.coverage import Gap, Rule
from ui.models.base import OBJECT_ROLE, SORT_ROLE, ListTableModel, ModelIndex
from ui.models.units_model import pinyin_ranks

COL_RULE = 0
COL_UNIT = 1
COL_KIND = 2
COL_EMPLOYEES = 3
COLUMN_COUNT = 4


def _headers() -> list[str]:
    return [_("What is missing"), _("Unit"), _("Kind"), _("Employees")]


class GapTableModel(ListTableModel[Gap]):
    def __init__(self, parent: Any = None):
        super().__init__(_headers(), parent)
        self._ranks: list[int] = []

    def set_rows(self, rows: Sequence[Gap]) -> None:
        self._ranks = pinyin_ranks([gap.unit_name for gap in rows])
        super().set_rows(rows)

    def gap(self, row: int) -> Gap:
        return self._rows[row]

    def row_of(self, rule: Rule, unit_id: int) -> int | None:
        for row, gap in enumerate(self._rows):
            if gap.rule == rule and gap.unit_id == unit_id:
                return row
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        gap = self.row_object(index)
        if gap is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(gap, column)
        if role == SORT_ROLE:
            if column == COL_RULE:
                return list(Rule).index(gap.rule) * 100_000 + index.row()
            if column == COL_UNIT:
                return self._ranks[index.row()]
            if column == COL_KIND:
                return gap.unit_kind.value
            return -1 if gap.employees is None else gap.employees
        if role == OBJECT_ROLE:
            return gap
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_RULE:
            return gap.rule.label
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_EMPLOYEES:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def display(self, gap: Gap, column: int) -> str:
        if column == COL_RULE:
            return gap.rule.label
        if column == COL_UNIT:
            return gap.unit_name
        if column == COL_KIND:
            return gap.unit_kind.label
        if column == COL_EMPLOYEES:
            return "" if gap.employees is None else str(gap.employees)
        return ""


class GapFilterProxy(QSortFilterProxyModel):
    """Shows the gaps of one rule, or all (``rule`` None)."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._rule: Rule | None = None
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    @property
    def rule(self) -> Rule | None:
        return self._rule

    def set_rule(self, rule: Rule | None) -> None:
        self._rule = rule
        # A new fixed string re-runs the filter (invalidateRowsFilter is deprecated and its
        # successor is newer than Qt 6.9); the matching itself is in filterAcceptsRow.
        self.setFilterFixedString(rule.value if rule else "")

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:
        if self._rule is None:
            return True
        model = self.sourceModel()
        gap = model.data(model.index(source_row, COL_RULE, source_parent), OBJECT_ROLE)
        return isinstance(gap, Gap) and gap.rule == self._rule

    def gap_at(self, index: QModelIndex) -> Gap | None:
        if not index.isValid():
            return None
        value = self.data(index, OBJECT_ROLE)
        return value if isinstance(value, Gap) else None
