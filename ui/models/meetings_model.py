"""Meetings as Qt tables: the list of meetings held, the attendance of one meeting (ticked
in the meeting dialog), and the obligations a month view checks.

The models hold plain records from app/ (MeetingLine, roster lines, ObligationStatus), so they
can be tested by calling ``data(index, role)`` without any widget.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor, QFont

from app.i18n import N_, _, ngettext, pgettext
from app.meetings.kinds import MeetingKind
from app.meetings.records import AttendeeInput, MeetingLine
from app.obligations.engine import ObligationStatus, Status
from app.obligations.periods import period_name
from app.roster.roles import display_role
from app.roster.snapshot import RosterLine
from ui.models.base import OBJECT_ROLE, SORT_ROLE, ListTableModel, ModelIndex
from ui.models.units_model import normalize_search, pinyin_ranks

DATE_FORMAT = "%Y-%m-%d"
TIME_FORMAT = "%H:%M"
GOOD_COLOR = QColor("#1e7b34")
DUE_COLOR = QColor("#8a5a00")
BAD_COLOR = QColor("#b3261e")
MUTED_COLOR = QColor("#767676")
KIND_ORDER = {kind: number for number, kind in enumerate(MeetingKind)}
# The kind as a list shows it, short, so the title keeps its room; the tooltip has it whole.
_KIND_SHORT = {
    MeetingKind.PARTY_COMMITTEE: N_("Party committee"),
    MeetingKind.GOVERNMENT_SPECIAL: N_("Government special"),
    MeetingKind.ANNUAL_CONFERENCE: N_("Annual conference"),
    MeetingKind.QUARTERLY_ROUTINE: N_("Quarterly routine"),
    MeetingKind.LEADING_GROUP: N_("Leading group"),
    MeetingKind.OTHER: N_("Other"),
}


def kind_short(kind: MeetingKind) -> str:
    return _(_KIND_SHORT[kind])


# ---------------------------------------------------------------------------- meetings held

COL_DATE = 0
COL_TIME = 1
COL_KIND = 2
COL_TITLE = 3
COL_CHAIR = 4
COL_PRESENT = 5
COL_FOLLOW_UPS = 6
COL_ATTACHMENTS = 7
COLUMN_COUNT = 8


def _meeting_headers() -> list[str]:
    return [
        _("Date"),
        _("Time"),
        _("Kind"),
        pgettext("title of a meeting", "Title"),
        _("Chair"),
        _("Present"),
        _("Open items"),
        _("Files"),
    ]


def meeting_search_text(line: MeetingLine) -> str:
    """What a search matches: title, kind (translated and Chinese), place, chair, recorder, date."""
    parts = (
        line.display_title,
        line.kind.label,
        line.kind.chinese,
        line.place,
        line.chair_name,
        line.recorder_name,
        line.held_on.isoformat(),
    )
    return normalize_search("\n".join(parts))


def present_text(line: MeetingLine) -> str:
    """ "22 / 24": present of expected; empty when nobody was expected."""
    if not line.expected:
        return ""
    return _("{present} / {expected}").format(present=line.present, expected=line.expected)


def follow_ups_text(line: MeetingLine) -> str:
    """ "1 / 3": items still open of all; empty when the meeting has none."""
    if not line.follow_ups_total:
        return ""
    return _("{open} / {total}").format(open=line.follow_ups_open, total=line.follow_ups_total)


class MeetingTableModel(ListTableModel[MeetingLine]):
    """Meetings, in the order of the column the clerk sorted by (newest first to start).

    The model sorts itself (``sort_rows``; MeetingFilterProxy hands its ``sort`` here): a
    proxy sorting 1 500 rows asks Python for a key some 30 000 times, which alone took most
    of the 150 ms a list may take to open.  Here each column's keys are plain ints worked out
    once per refresh, and a sort is one ``sorted`` call.
    """

    def __init__(self, parent: Any = None):
        super().__init__(_meeting_headers(), parent)
        self._base: list[MeetingLine] = []  # as the service lists them: by date, time, id
        self._order: list[int] = []  # the row shown at each place, as an index into _base
        self._search: list[str] = []  # by index into _base
        # Per column, each meeting's sort key (by index into _base), made when first needed.
        self._keys: dict[int, list[int]] = {}
        self._sort = (COL_DATE, Qt.SortOrder.DescendingOrder)

    def set_rows(self, rows: Sequence[MeetingLine]) -> None:
        self._base = list(rows)
        self._search = [meeting_search_text(line) for line in rows]
        self._keys = {COL_DATE: list(range(len(rows)))}  # the service lists by date and time
        self._order = self._sorted(*self._sort)
        super().set_rows([self._base[index] for index in self._order])

    @property
    def sort_order(self) -> tuple[int, Qt.SortOrder]:
        return self._sort

    def sort_rows(self, column: int, order: Qt.SortOrder) -> None:
        """Show the rows sorted by ``column``; selections and other persistent indexes follow
        their rows."""
        if not 0 <= column < self.columnCount():
            return
        self._sort = (column, order)
        new_order = self._sorted(column, order)
        if new_order == self._order:
            return
        self.layoutAboutToBeChanged.emit()
        place = {base: row for row, base in enumerate(new_order)}
        before = self.persistentIndexList()
        after = [
            self.index(place[self._order[index.row()]], index.column())
            if 0 <= index.row() < len(self._order)
            else QModelIndex()
            for index in before
        ]
        self._order = new_order
        self._rows = [self._base[index] for index in new_order]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_rows(column, order)

    def _sorted(self, column: int, order: Qt.SortOrder) -> list[int]:
        keys = self._column_keys(column)
        return sorted(
            range(len(self._base)),
            key=keys.__getitem__,
            reverse=order == Qt.SortOrder.DescendingOrder,
        )

    def _column_keys(self, column: int) -> list[int]:
        keys = self._keys.get(column)
        if keys is None:
            keys = self._keys[column] = self._sort_keys(column)
        return keys

    def line(self, row: int) -> MeetingLine:
        return self._rows[row]

    def search_text(self, row: int) -> str:
        return self._search[self._order[row]]

    def row_of(self, meeting_id: int) -> int | None:
        for row, line in enumerate(self._rows):
            if line.id == meeting_id:
                return row
        return None

    def years(self) -> list[int]:
        """The years with meetings, newest first."""
        return sorted({line.held_on.year for line in self._rows}, reverse=True)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == SORT_ROLE:
            if not 0 <= index.row() < len(self._order):
                return None
            return self._column_keys(index.column())[self._order[index.row()]]
        line = self.row_object(index)
        if line is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(line, column)
        if role == OBJECT_ROLE:
            return line
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(line, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            COL_DATE,
            COL_TIME,
            COL_PRESENT,
            COL_FOLLOW_UPS,
            COL_ATTACHMENTS,
        ):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == COL_PRESENT and line.absent:
                return DUE_COLOR
            if column == COL_FOLLOW_UPS and line.follow_ups_open:
                return DUE_COLOR
        return None

    def display(self, line: MeetingLine, column: int) -> str:
        if column == COL_DATE:
            return line.held_on.strftime(DATE_FORMAT)
        if column == COL_TIME:
            return line.start_time.strftime(TIME_FORMAT) if line.start_time else ""
        if column == COL_KIND:
            return kind_short(line.kind)
        if column == COL_TITLE:
            return line.display_title
        if column == COL_CHAIR:
            return line.chair_name
        if column == COL_PRESENT:
            return present_text(line)
        if column == COL_FOLLOW_UPS:
            return follow_ups_text(line)
        if column == COL_ATTACHMENTS:
            return str(line.attachments) if line.attachments else ""
        return ""

    def _sort_keys(self, column: int) -> list[int]:
        """Each row's key for ``column``: plain ints that Qt compares natively (no Python
        call per pair of rows); ties keep the order by date."""
        rows = self._base
        if column == COL_TIME:
            values = [
                line.start_time.hour * 60 + line.start_time.minute if line.start_time else -1
                for line in rows
            ]
        elif column == COL_KIND:
            values = [KIND_ORDER[line.kind] for line in rows]
        elif column == COL_PRESENT:
            values = [line.present for line in rows]
        elif column == COL_FOLLOW_UPS:
            values = [line.follow_ups_open * 1_000 + line.follow_ups_total for line in rows]
        elif column == COL_ATTACHMENTS:
            values = [line.attachments for line in rows]
        elif column in (COL_TITLE, COL_CHAIR):
            return pinyin_ranks([self.display(line, column) for line in rows])
        else:
            return list(range(len(rows)))
        return [value * 100_000 + row for row, value in enumerate(values)]

    def _tooltip(self, line: MeetingLine, column: int) -> str | None:
        if column == COL_KIND:
            return line.kind.label
        if column == COL_TITLE:
            parts = [line.display_title]
            if line.place:
                parts.append(_("Place: {place}").format(place=line.place))
            if line.recorder_name:
                parts.append(_("Recorder: {name}").format(name=line.recorder_name))
            return "\n".join(parts)
        if column == COL_PRESENT and line.expected:
            return ngettext(
                "{present} present, {absent} absent of {count} expected",
                "{present} present, {absent} absent of {count} expected",
                line.expected,
            ).format(present=line.present, absent=line.absent, count=line.expected)
        if column == COL_FOLLOW_UPS and line.follow_ups_total:
            return ngettext(
                "{open} of {count} follow-up item still open",
                "{open} of {count} follow-up items still open",
                line.follow_ups_total,
            ).format(open=line.follow_ups_open, count=line.follow_ups_total)
        if column == COL_ATTACHMENTS and line.attachments:
            return ngettext(
                "{count} file attached", "{count} files attached", line.attachments
            ).format(count=line.attachments)
        return None


class MeetingFilterProxy(QSortFilterProxyModel):
    """Meetings of a year, of a kind, in a date range, matching what the clerk types."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._year: int | None = None
        self._kind: MeetingKind | None = None
        self._needle = ""
        self._range: tuple[dt.date, dt.date] | None = None
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """The source model sorts itself (see MeetingTableModel); the proxy only filters,
        keeping the source's order."""
        model = self.sourceModel()
        if isinstance(model, MeetingTableModel):
            model.sort_rows(column, order)
        else:
            super().sort(column, order)

    @property
    def year(self) -> int | None:
        return self._year

    @property
    def kind(self) -> MeetingKind | None:
        return self._kind

    @property
    def search(self) -> str:
        return self._needle

    @property
    def filtered(self) -> bool:
        return bool(self._year or self._kind or self._needle or self._range)

    def set_filters(
        self,
        *,
        year: int | None = None,
        kind: MeetingKind | None = None,
        search: str = "",
        within: tuple[dt.date, dt.date] | None = None,
    ) -> None:
        self._year, self._kind, self._range = year, kind, within
        self._needle = normalize_search(search)
        self._refilter()

    def set_year(self, year: int | None) -> None:
        self._year = year
        self._refilter()

    def set_kind(self, kind: MeetingKind | None) -> None:
        self._kind = kind
        self._refilter()

    def set_search(self, text: str) -> None:
        needle = normalize_search(text)
        if needle != self._needle:
            self._needle = needle
            self._refilter()

    def _refilter(self) -> None:
        # A new fixed string re-runs the filter (invalidateFilter is deprecated, and its
        # successor is newer than Qt 6.9); the matching itself is in filterAcceptsRow.
        key = f"{self._year}\n{self._kind}\n{self._range}\n{self._needle}"
        self.setFilterFixedString(key)

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:
        model = self.sourceModel()
        if not isinstance(model, MeetingTableModel) or source_parent.isValid():
            return True
        line = model.line(source_row)
        if self._year is not None and line.held_on.year != self._year:
            return False
        if self._kind is not None and line.kind is not self._kind:
            return False
        if self._range is not None and not self._range[0] <= line.held_on <= self._range[1]:
            return False
        return not self._needle or self._needle in model.search_text(source_row)

    def line_at(self, index: QModelIndex) -> MeetingLine | None:
        if not index.isValid():
            return None
        value = self.data(index, OBJECT_ROLE)
        return value if isinstance(value, MeetingLine) else None


# ---------------------------------------------------------------------------- attendance

COL_A_PRESENT = 0
COL_A_NAME = 1
COL_A_ROLE = 2
COL_A_TITLES = 3
COL_A_REASON = 4


@dataclass
class AttendeeRow:
    """A member of the group on the meeting day, and whether they came."""

    person_id: int
    name: str
    role: str
    titles: str
    present: bool = True
    reason: str = ""


def _attendance_headers() -> list[str]:
    return [_("Present"), _("Name"), _("Group role"), _("Titles"), _("Reason for absence")]


class AttendanceModel(ListTableModel[AttendeeRow]):
    """The group of the meeting day: tick who was there, give the reason for who was not.

    Choices survive a change of the day: someone ticked absent stays absent, with the reason,
    if they are in the group on the new day too.
    """

    def __init__(self, parent: Any = None):
        super().__init__(_attendance_headers(), parent)
        # Every choice made, by person: kept when the day changes and changes back.
        self._choices: dict[int, tuple[bool, str]] = {}

    def set_roster(self, lines: Sequence[RosterLine]) -> list[str]:
        """The group of a new day; the names of those listed before who are not in it."""
        self._remember()
        before = [(row.person_id, row.name) for row in self._rows]
        rows = []
        for line in lines:
            present, reason = self._choices.get(line.person_id, (True, ""))
            rows.append(
                AttendeeRow(
                    line.person_id,
                    line.name,
                    display_role(line.role, line.office_role),
                    line.titles_text,
                    present,
                    reason,
                )
            )
        kept = {row.person_id for row in rows}
        self.set_rows(rows)
        return [name for pid, name in before if pid not in kept]

    def set_attendance(self, attendees: Sequence[AttendeeInput]) -> None:
        """What was recorded: applied to the rows now and to any day chosen later."""
        for item in attendees:
            self._choices[item.person_id] = (item.present, item.absence_reason)
        for row in self._rows:
            if row.person_id in self._choices:
                row.present, row.reason = self._choices[row.person_id]
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, COL_A_REASON))

    def _remember(self) -> None:
        for row in self._rows:
            self._choices[row.person_id] = (row.present, row.reason)

    def attendees(self) -> list[AttendeeInput]:
        return [AttendeeInput(row.person_id, row.present, row.reason) for row in self._rows]

    def rows(self) -> list[AttendeeRow]:
        return list(self._rows)

    def present_count(self) -> int:
        return sum(row.present for row in self._rows)

    def set_present(self, row: int, present: bool, reason: str = "") -> None:
        self.setData(
            self.index(row, COL_A_PRESENT),
            Qt.CheckState.Checked.value if present else Qt.CheckState.Unchecked.value,
            Qt.ItemDataRole.CheckStateRole,
        )
        if not present:
            self.setData(self.index(row, COL_A_REASON), reason, Qt.ItemDataRole.EditRole)

    def set_all_present(self) -> None:
        for row in self._rows:
            row.present = True
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, COL_A_REASON))

    def row_of(self, person_id: int) -> int | None:
        for number, row in enumerate(self._rows):
            if row.person_id == person_id:
                return number
        return None

    # ------------------------------------------------------------------ Qt interface

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        row = self.row_object(index)
        if row is None:
            return Qt.ItemFlag.NoItemFlags
        if index.column() == COL_A_PRESENT:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        if index.column() == COL_A_REASON and not row.present:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_object(index)
        if row is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.CheckStateRole and column == COL_A_PRESENT:
            return Qt.CheckState.Checked if row.present else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COL_A_PRESENT:
                return _("Present") if row.present else _("Absent")
            if column == COL_A_NAME:
                return row.name
            if column == COL_A_ROLE:
                return row.role
            if column == COL_A_TITLES:
                return row.titles
            if column == COL_A_REASON:
                if row.present:
                    return ""
                return row.reason or _("Give the reason (double-click)")
        if role == Qt.ItemDataRole.EditRole and column == COL_A_REASON:
            return row.reason
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_A_TITLES and row.titles:
            return row.titles
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == COL_A_PRESENT and not row.present:
                return DUE_COLOR
            if column == COL_A_REASON and not row.present and not row.reason:
                return BAD_COLOR
        if role == Qt.ItemDataRole.FontRole and column == COL_A_REASON and not row.reason:
            font = QFont()
            font.setItalic(True)
            return font
        if role == OBJECT_ROLE:
            return row
        return None

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        row = self.row_object(index)
        if row is None:
            return False
        column = index.column()
        if column == COL_A_PRESENT and role == Qt.ItemDataRole.CheckStateRole:
            state = value.value if isinstance(value, Qt.CheckState) else int(value)
            row.present = state == Qt.CheckState.Checked.value
            self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), COL_A_REASON))
            return True
        if column == COL_A_REASON and role == Qt.ItemDataRole.EditRole and not row.present:
            row.reason = str(value or "").strip()
            self.dataChanged.emit(index, index)
            return True
        return False


# ---------------------------------------------------------------------------- obligations

COL_O_RULE = 0
COL_O_PERIOD = 1
COL_O_COUNTED = 2
COL_O_DONE = 3
COL_O_STATUS = 4
COL_O_ACTION = 5


def _obligation_headers() -> list[str]:
    return [_("Required"), _("Period"), _("Dates that count"), _("Held"), _("Status"), ""]


def status_color(status: Status) -> QColor:
    return {Status.MET: GOOD_COLOR, Status.DUE: DUE_COLOR, Status.OVERDUE: BAD_COLOR}[status]


def counted_text(item: ObligationStatus) -> str:
    """ "2026-10-01 – 12-31": the year once when both dates share it."""
    first, last = item.counted
    if first == last:
        return first.strftime(DATE_FORMAT)
    end = last.strftime("%m-%d" if last.year == first.year else DATE_FORMAT)
    return f"{first.strftime(DATE_FORMAT)} – {end}"


class ObligationTableModel(ListTableModel[ObligationStatus]):
    """The meeting obligations of a day, in the rules' order."""

    def __init__(self, parent: Any = None):
        super().__init__(_obligation_headers(), parent)

    def item(self, row: int) -> ObligationStatus:
        return self._rows[row]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.row_object(index)
        if item is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(item, column)
        if role == OBJECT_ROLE:
            return item
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == COL_O_RULE:
                clause = item.rule.clause
                return f"{item.label}\n{clause}" if clause else item.label
            if column == COL_O_STATUS:
                return _("Deadline: {date}").format(date=item.due.strftime(DATE_FORMAT))
        if role == Qt.ItemDataRole.ForegroundRole and column == COL_O_STATUS:
            return status_color(item.status)
        if role == Qt.ItemDataRole.FontRole and column == COL_O_STATUS:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (COL_O_DONE, COL_O_STATUS):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def display(self, item: ObligationStatus, column: int) -> str:
        if column == COL_O_RULE:
            return item.label
        if column == COL_O_PERIOD:
            return period_name(item.rule.period, item.period)
        if column == COL_O_COUNTED:
            return counted_text(item)
        if column == COL_O_DONE:
            return _("{done} of {required}").format(done=item.done, required=item.required)
        if column == COL_O_STATUS:
            return item.status.label
        return ""
