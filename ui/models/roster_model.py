"""The roster as a Qt table: one row per member, in the township's print order.

The model holds a RosterSnapshot (a plain, immutable picture of one day), so it can be tested
by calling ``data(index, role)`` without any widget.  The proxy filters on what the clerk
types and sorts names in pinyin order, the way they expect.
"""

from __future__ import annotations

from functools import cmp_to_key
from typing import Any

from PySide6.QtCore import QCollator, QLocale, QModelIndex, QSortFilterProxyModel, Qt

from app.i18n import _
from app.roster.roles import display_role
from app.roster.snapshot import RosterLine, RosterSnapshot
from ui.models.base import OBJECT_ROLE, SORT_ROLE, ListTableModel, ModelIndex

COL_POSITION = 0
COL_NAME = 1
COL_ROLE = 2
COL_TITLES = 3
COL_PHONE = 4
COL_START = 5
COLUMN_COUNT = 6

DATE_FORMAT = "%Y-%m-%d"


def _headers() -> list[str]:
    return [_("No."), _("Name"), _("Group role"), _("Titles"), _("Phone"), _("Since")]


def role_label(line: RosterLine) -> str:
    """The group role as shown in the table: "成员（办公室主任）"."""
    return display_role(line.role, line.office_role)


def search_text(line: RosterLine) -> str:
    """Everything a search matches: name, titles and the role (translated and as in files)."""
    parts = [line.name, line.titles_text, line.role.label, line.role.chinese]
    if line.office_role is not None:
        parts += [line.office_role.label, line.office_role.chinese]
    return normalize_search("\n".join(parts))


def normalize_search(text: str) -> str:
    """Case and whitespace do not matter: "闫 旻" finds 闫旻, "zhang" finds "Zhang"."""
    return "".join(text.split()).casefold()


class RosterTableModel(ListTableModel[RosterLine]):
    """Members of the leading group on one day."""

    def __init__(self, parent: Any = None):
        super().__init__(_headers(), parent)
        self._snapshot: RosterSnapshot | None = None
        self._collator = QCollator(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        # Per text column, each row's place in pinyin order (worked out when first sorted).
        self._ranks: dict[int, list[int]] = {}

    # ------------------------------------------------------------------ content

    def set_snapshot(self, snapshot: RosterSnapshot) -> None:
        self._snapshot = snapshot
        self._ranks.clear()
        self.set_rows(snapshot.lines)

    @property
    def snapshot(self) -> RosterSnapshot | None:
        return self._snapshot

    def line(self, row: int) -> RosterLine:
        return self._rows[row]

    def row_of(self, membership_id: int) -> int | None:
        for row, line in enumerate(self._rows):
            if line.membership_id == membership_id:
                return row
        return None

    # ------------------------------------------------------------------ Qt interface

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        line = self.row_object(index)
        if line is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(line, index.row(), column)
        if role == SORT_ROLE:
            return self._sort_key(line, index.row(), column)
        if role == OBJECT_ROLE:
            return line
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(line, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (COL_POSITION, COL_START):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _display(self, line: RosterLine, row: int, column: int) -> str:
        if column == COL_POSITION:
            return str(row + 1)
        if column == COL_NAME:
            return line.name
        if column == COL_ROLE:
            return role_label(line)
        if column == COL_TITLES:
            return line.titles_text
        if column == COL_PHONE:
            return line.phone
        if column == COL_START:
            return line.start_date.strftime(DATE_FORMAT)
        return ""

    def _sort_key(self, line: RosterLine, row: int, column: int) -> Any:
        if column == COL_POSITION:
            return row  # the snapshot is in group order: role rank, then the township's order
        if column == COL_ROLE:
            return line.role.rank * 10 + (1 if line.office_role is None else 0)
        if column == COL_START:
            return line.start_date.toordinal()
        return self._text_rank(column, row)

    def _text_rank(self, column: int, row: int) -> int:
        """The row's place when the column's text is sorted in pinyin order (ties by row).

        An int that Qt compares natively: the proxy needs no Python comparison per pair of
        rows, which made sorting thousands of rows slow.
        """
        ranks = self._ranks.get(column)
        if ranks is None:
            texts = [self._display(line, r, column) for r, line in enumerate(self._rows)]
            compare = self._collator.compare
            order = sorted(
                range(len(texts)),
                key=cmp_to_key(lambda a, b: compare(texts[a], texts[b]) or a - b),
            )
            ranks = [0] * len(texts)
            for rank, source_row in enumerate(order):
                ranks[source_row] = rank
            self._ranks[column] = ranks
        return ranks[row]

    def _tooltip(self, line: RosterLine, column: int) -> str | None:
        if column == COL_NAME and line.predecessor_name:
            return _("Took over from {name}").format(name=line.predecessor_name)
        if column == COL_TITLES and line.titles_text:
            return line.titles_text
        return None


class RosterFilterProxy(QSortFilterProxyModel):
    """Search on name, titles and role; names sort in pinyin order, positions by group order."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._needle = ""
        # SORT_ROLE values are plain ints (pinyin ranks for text): Qt sorts them itself.
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    @property
    def search(self) -> str:
        return self._needle

    def set_search(self, text: str) -> None:
        needle = normalize_search(text)
        if needle == self._needle:
            return
        self._needle = needle
        # Setting the fixed string re-runs the filter (invalidateFilter is deprecated);
        # the matching itself is ours, in filterAcceptsRow.
        self.setFilterFixedString(needle)

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:
        if not self._needle:
            return True
        model = self.sourceModel()
        line = model.data(model.index(source_row, COL_NAME, source_parent), OBJECT_ROLE)
        return line is not None and self._needle in search_text(line)

    def line_at(self, index: QModelIndex) -> RosterLine | None:
        if not index.isValid():
            return None
        value = self.data(index, OBJECT_ROLE)
        return value if isinstance(value, RosterLine) else None
