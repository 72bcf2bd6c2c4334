"""The units list as a Qt table: one row per unit, filtered by kind and by what the clerk types.

The model holds plain UnitLine records (app.org.units), so it can be tested by calling
``data(index, role)`` without any widget.  Names sort in pinyin order, the way clerks expect.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cmp_to_key
from typing import Any

from PySide6.QtCore import QCollator, QLocale, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor

from app.i18n import _, pgettext
from app.org.kinds import UnitKind
from app.org.units import KIND_ORDER, UnitLine
from app.responsibility.coverage import SAFETY_MANAGER_FROM
from ui.models.base import OBJECT_ROLE, SORT_ROLE, ListTableModel, ModelIndex

COL_NAME = 0
COL_KIND = 1
COL_PARENT = 2
COL_INDUSTRY = 3
COL_SUPERVISOR = 4
COL_EMPLOYEES = 5
COL_RISK = 6
COL_MANAGER = 7
COLUMN_COUNT = 8

MISSING_COLOR = QColor("#b3261e")


def _headers() -> list[str]:
    return [
        pgettext("name of a unit", "Name"),
        _("Kind"),
        _("Under / located in"),
        _("Industry"),
        _("Supervising department"),
        _("Employees"),
        _("Risk class"),
        _("Safety manager today"),
    ]


def normalize_search(text: str) -> str:
    """Case and whitespace do not matter: "常青 村" finds 常青村."""
    return "".join(text.split()).casefold()


def pinyin_ranks(texts: Sequence[str]) -> list[int]:
    """Each text's place when all are sorted in pinyin order (ties keep their order).

    Plain ints that a proxy compares natively: no Python comparison per pair of rows.
    """
    collator = QCollator(QLocale(QLocale.Language.Chinese, QLocale.Country.China))

    def compare(a: int, b: int) -> int:
        return collator.compare(texts[a], texts[b]) or a - b

    order = sorted(range(len(texts)), key=cmp_to_key(compare))
    ranks = [0] * len(texts)
    for rank, row in enumerate(order):
        ranks[row] = rank
    return ranks


def needs_safety_manager(line: UnitLine) -> bool:
    return (
        line.kind == UnitKind.ENTERPRISE
        and (line.employees or 0) >= SAFETY_MANAGER_FROM
        and not line.safety_managers
    )


class UnitTableModel(ListTableModel[UnitLine]):
    def __init__(self, parent: Any = None):
        super().__init__(_headers(), parent)
        self._ranks: dict[int, list[int]] = {}

    def set_rows(self, rows: Sequence[UnitLine]) -> None:
        self._ranks.clear()
        super().set_rows(rows)

    def line(self, row: int) -> UnitLine:
        return self._rows[row]

    def row_of(self, unit_id: int) -> int | None:
        for row, line in enumerate(self._rows):
            if line.id == unit_id:
                return row
        return None

    def kind_counts(self) -> dict[UnitKind, int]:
        counts: dict[UnitKind, int] = {}
        for line in self._rows:
            counts[line.kind] = counts.get(line.kind, 0) + 1
        return counts

    # ------------------------------------------------------------------ Qt interface

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        line = self.row_object(index)
        if line is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(line, column)
        if role == SORT_ROLE:
            return self._sort_key(line, index.row(), column)
        if role == OBJECT_ROLE:
            return line
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(line, column)
        if role == Qt.ItemDataRole.ForegroundRole and self._missing(line, column):
            return MISSING_COLOR
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_EMPLOYEES:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def display(self, line: UnitLine, column: int) -> str:
        enterprise = line.kind == UnitKind.ENTERPRISE
        if column == COL_NAME:
            return line.name
        if column == COL_KIND:
            return line.kind.label
        if column == COL_PARENT:
            return line.parent_name
        if not enterprise:
            return ""
        if column == COL_INDUSTRY:
            return line.industry_name
        if column == COL_SUPERVISOR:
            return line.supervisor_name or _("None yet")
        if column == COL_EMPLOYEES:
            return "" if line.employees is None else str(line.employees)
        if column == COL_RISK:
            return line.risk_class.label if line.risk_class else ""
        if column == COL_MANAGER:
            if line.safety_managers:
                return "、".join(line.safety_managers)
            return _("None yet") if needs_safety_manager(line) else ""
        return ""

    def _missing(self, line: UnitLine, column: int) -> bool:
        if line.kind != UnitKind.ENTERPRISE:
            return False
        if column == COL_SUPERVISOR:
            return not line.supervisor_name
        if column == COL_MANAGER:
            return needs_safety_manager(line)
        return False

    def _sort_key(self, line: UnitLine, row: int, column: int) -> Any:
        if column == COL_KIND:
            return KIND_ORDER.index(line.kind) * 1_000_000 + row
        if column == COL_EMPLOYEES:
            return -1 if line.employees is None else line.employees
        if column == COL_RISK:
            return line.risk_class.value if line.risk_class else ""
        ranks = self._ranks.get(column)
        if ranks is None:
            ranks = pinyin_ranks([self.display(other, column) for other in self._rows])
            self._ranks[column] = ranks
        return ranks[row]

    def _tooltip(self, line: UnitLine, column: int) -> str | None:
        if column == COL_NAME and line.notes:
            return line.notes
        if self._missing(line, column):
            if column == COL_SUPERVISOR:
                return _("No department supervises this enterprise yet (行业监管).")
            return _("An enterprise of 10 or more employees needs a safety manager.")
        text = self.display(line, column)
        return text or None


class UnitFilterProxy(QSortFilterProxyModel):
    """Filter by kind (villages and communities may go together) and by typed text."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._kinds: frozenset[UnitKind] = frozenset()
        self._needle = ""
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    @property
    def search(self) -> str:
        return self._needle

    @property
    def kinds(self) -> frozenset[UnitKind]:
        return self._kinds

    def set_kinds(self, kinds: Sequence[UnitKind]) -> None:
        self._kinds = frozenset(kinds)
        self._refilter()

    def set_search(self, text: str) -> None:
        self._needle = normalize_search(text)
        self._refilter()

    def _refilter(self) -> None:
        # A new fixed string re-runs the filter (invalidateRowsFilter is deprecated and its
        # successor is newer than Qt 6.9); the matching itself is ours, in filterAcceptsRow.
        key = "|".join(sorted(self._kinds)) + "\n" + self._needle
        self.setFilterFixedString(key)

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:
        model = self.sourceModel()
        line = model.data(model.index(source_row, COL_NAME, source_parent), OBJECT_ROLE)
        if not isinstance(line, UnitLine):
            return False
        if self._kinds and line.kind not in self._kinds:
            return False
        if not self._needle:
            return True
        haystack = "\n".join(
            (
                line.name,
                line.kind.label,
                line.parent_name,
                line.industry_name,
                line.supervisor_name,
                *line.safety_managers,
                line.notes,
            )
        )
        return self._needle in normalize_search(haystack)

    def line_at(self, index: QModelIndex) -> UnitLine | None:
        if not index.isValid():
            return None
        value = self.data(index, OBJECT_ROLE)
        return value if isinstance(value, UnitLine) else None
