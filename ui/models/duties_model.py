"""One kind of post's numbered duties as a Qt table: number, duty, clause, and a problem.

The number "（三）" always follows the row, so it is right after every move.  Problems come
from app.responsibility.duties.DutyError (item number → reason) and show beside their item.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from app.i18n import _
from app.responsibility.duties import DutyItem, duty_number
from ui.models.base import OBJECT_ROLE, ListTableModel, ModelIndex

COL_NUMBER = 0
COL_TEXT = 1
COL_CLAUSE = 2
COL_PROBLEM = 3
COLUMN_COUNT = 4

PROBLEM_COLOR = QColor("#b3261e")
PROBLEM_BACKGROUND = QColor("#fdecea")


def _headers() -> list[str]:
    return [_("No."), _("Duty"), _("Clause"), _("Problem")]


class DutiesModel(ListTableModel[DutyItem]):
    def __init__(self, parent: Any = None):
        super().__init__(_headers(), parent)
        self._problems: dict[int, str] = {}

    @property
    def items(self) -> list[DutyItem]:
        return list(self._rows)

    @property
    def problems(self) -> dict[int, str]:
        """Item number (1-based) → why it cannot be saved."""
        return dict(self._problems)

    def set_items(self, items: Sequence[DutyItem], problems: Mapping[int, str] | None = None):
        self.beginResetModel()
        self._rows = list(items)
        self._problems = dict(problems or {})
        self.endResetModel()

    def problem(self, row: int) -> str:
        return self._problems.get(row + 1, "")

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.row_object(index)
        if item is None:
            return None
        row, column = index.row(), index.column()
        problem = self.problem(row)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COL_NUMBER:
                return duty_number(row + 1)
            if column == COL_TEXT:
                return item.text or _("(empty)")
            if column == COL_CLAUSE:
                return item.clause
            if column == COL_PROBLEM:
                return problem
            return None
        if role == OBJECT_ROLE:
            return item
        if role == Qt.ItemDataRole.ToolTipRole:
            if problem:
                return problem
            if column == COL_CLAUSE and item.clause:
                return _("From: {clause}").format(clause=item.clause)
            return None
        if role == Qt.ItemDataRole.BackgroundRole and problem:
            return PROBLEM_BACKGROUND
        if role == Qt.ItemDataRole.ForegroundRole and (
            column == COL_PROBLEM or (column == COL_TEXT and not item.text)
        ):
            return PROBLEM_COLOR
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_NUMBER:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return None
