"""The responsibility matrix (分工表) as a Qt table: one row per field of work.

Each names cell is a list of segments, so the view can show what links and what stays text:
a person or unit as written, a post with whoever holds it on the day ("镇长（李四）"), and
text that links to nothing in a muted italic.  Plain text (``DisplayRole``) joins the same
segments with "、" for searching, copying and tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt

from app.i18n import _
from app.responsibility.matrix import SEPARATOR, Column, Entry, MatrixLine, post_holders
from ui.models.base import OBJECT_ROLE, ListTableModel, ModelIndex

COL_NUMBER = 0
COL_PRINCIPALS = 1
COL_DEPUTIES = 2
COL_DEPARTMENTS = 3
COL_RESPONSIBLE = 4
COL_DUTIES = 5
COLUMN_COUNT = 6

NAME_COLUMNS: dict[int, Column] = {
    COL_PRINCIPALS: Column.PRINCIPALS,
    COL_DEPUTIES: Column.DEPUTIES,
    COL_DEPARTMENTS: Column.DEPARTMENTS,
    COL_RESPONSIBLE: Column.RESPONSIBLE,
}

# A names cell as [(text, SegmentKind)], for the delegate that draws it.
SEGMENTS_ROLE = Qt.ItemDataRole.UserRole + 4

Holders = dict[str, list[tuple[int, str]]]


class SegmentKind(StrEnum):
    LINKED = "linked"  # a person, a unit, or a post someone holds
    VACANT = "vacant"  # a post nobody holds on the day
    TEXT = "text"  # links to nothing: kept as written


def headers() -> list[str]:
    return [
        _("No."),
        Column.PRINCIPALS.label,
        Column.DEPUTIES.label,
        Column.DEPARTMENTS.label,
        Column.RESPONSIBLE.label,
        _("Key work-safety duties"),
    ]


def holders_for(lines: Sequence[MatrixLine], day: dt.date) -> Holders:
    """Who holds each post the matrix names, on ``day`` (one query)."""
    titles = [
        entry.post_title
        for line in lines
        for cell in line.cells.values()
        for entry in cell
        if entry.post_title
    ]
    return post_holders(titles, day)


def segment(entry: Entry, holders: Holders) -> tuple[str, SegmentKind]:
    """How one name shows: "镇长（李四）" for a post held today.

    The brackets are the Chinese ones in every language: the names and the posts are
    Chinese, as in the printed matrix.
    """
    if entry.post_title:
        names = [name for _pid, name in holders.get(entry.post_title, ())]
        if not names:
            vacant = _("vacant")
            return f"{entry.text}（{vacant}）", SegmentKind.VACANT
        return f"{entry.text}（{SEPARATOR.join(names)}）", SegmentKind.LINKED
    if entry.linked:
        return entry.text, SegmentKind.LINKED
    return entry.text, SegmentKind.TEXT


def explain(entry: Entry, holders: Holders) -> str:
    """One line of a cell's tooltip: what the name links to."""
    if entry.person_id is not None:
        return _("{name}: linked to the person on the roster").format(name=entry.text)
    if entry.unit_id is not None:
        return _("{name}: linked to the unit").format(name=entry.text)
    if entry.post_title:
        names = [name for _pid, name in holders.get(entry.post_title, ())]
        if not names:
            return _("{post}: a post nobody holds on this day").format(post=entry.text)
        return _("{post}: the post, held by {holders}").format(
            post=entry.text, holders=SEPARATOR.join(names)
        )
    return _("{name}: not linked to the roster or the units (kept as text)").format(name=entry.text)


def search_key(text: str) -> str:
    return "".join(text.split()).casefold()


class MatrixModel(ListTableModel[MatrixLine]):
    def __init__(self, parent: Any = None):
        super().__init__(headers(), parent)
        self._holders: Holders = {}
        self._segments: list[dict[int, list[tuple[str, SegmentKind]]]] = []
        self._search: list[str] = []

    def set_lines(self, lines: Sequence[MatrixLine], holders: Holders) -> None:
        self._holders = holders
        self._segments = [
            {
                column: [segment(entry, holders) for entry in line.cells.get(key, ())]
                for column, key in NAME_COLUMNS.items()
            }
            for line in lines
        ]
        self._search = [
            search_key(
                "\n".join(
                    [text for cell in segs.values() for text, _kind in cell]
                    + [entry.text for cell in line.cells.values() for entry in cell]
                    + [line.duties]
                )
            )
            for line, segs in zip(lines, self._segments, strict=True)
        ]
        self.set_rows(lines)

    @property
    def lines(self) -> list[MatrixLine]:
        return list(self._rows)

    @property
    def holders(self) -> Holders:
        return self._holders

    def matches(self, row: int, needle: str) -> bool:
        return needle in self._search[row]

    def segments(self, row: int, column: int) -> list[tuple[str, SegmentKind]]:
        return self._segments[row].get(column, [])

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        line = self.row_object(index)
        if line is None:
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COL_NUMBER:
                return str(row + 1)
            if column == COL_DUTIES:
                return line.duties
            return SEPARATOR.join(text for text, _kind in self.segments(row, column))
        if role == SEGMENTS_ROLE and column in NAME_COLUMNS:
            return self.segments(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column in NAME_COLUMNS:
                cell = line.cells.get(NAME_COLUMNS[column], ())
                return "\n".join(explain(entry, self._holders) for entry in cell) or None
            if column == COL_DUTIES:
                return line.duties or None
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column == COL_NUMBER:
                return int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        if role == OBJECT_ROLE:
            return line
        return None


class MatrixFilterProxy(QSortFilterProxyModel):
    """Rows whose names (as written or as shown) or duties contain what the clerk types."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._needle = ""

    @property
    def search(self) -> str:
        return self._needle

    def set_search(self, text: str) -> None:
        needle = search_key(text)
        if needle == self._needle:
            return
        self._needle = needle
        self.setFilterFixedString(needle)  # re-runs the filter; the matching is ours

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:
        if not self._needle:
            return True
        model = self.sourceModel()
        return isinstance(model, MatrixModel) and model.matches(source_row, self._needle)
