"""Who answers for what, as a Qt table: areas down, people across, a level in each cell.

The model holds a ResponsibilityGrid (a plain picture of one day) and the lists of the rows
and columns the filters let through, worked out in one pass when a filter changes: a proxy
asking Python about each of ~300 rows and ~300 columns one call at a time costs more than
the whole table.  Editing a cell writes the assignment at once (one small write).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QPalette

from app.i18n import _, pgettext
from app.org.kinds import UnitKind
from app.responsibility.assignments import (
    LEADER_LEVELS,
    Area,
    AssignmentError,
    GridPerson,
    ResponsibilityGrid,
    set_level,
)
from app.responsibility.levels import Level
from ui.models.base import OBJECT_ROLE, ModelIndex
from ui.widgets.forms import long_date

# A cell's level (or None), an area's kind in the vertical header.
LEVEL_ROLE = OBJECT_ROLE
KIND_ROLE = Qt.ItemDataRole.UserRole + 3

# The people a "leaders only" view keeps: whoever leads something (their highest level).
_LEADER_RANK = max(level.rank for level in LEADER_LEVELS)


class PeopleShown(StrEnum):
    """Which people get a column."""

    LEADERS = "leaders"  # whoever leads an area (the readable first view)
    OF_AREAS = "of_areas"  # whoever answers for one of the areas shown
    EVERYONE = "everyone"

    @property
    def label(self) -> str:
        labels = {
            PeopleShown.LEADERS: _("Leaders only"),
            PeopleShown.OF_AREAS: _("People of the areas shown"),
            PeopleShown.EVERYONE: _("Everyone"),
        }
        return labels[self]


class KindFilter:
    """The choices of the kind filter, as sets of unit kinds (None: every kind)."""

    ALL: frozenset[UnitKind] | None = None
    TOWNSHIP = frozenset({UnitKind.TOWNSHIP})
    DEPARTMENTS = frozenset({UnitKind.DEPARTMENT})
    TERRITORIES = frozenset({UnitKind.VILLAGE, UnitKind.COMMUNITY})
    INDUSTRIES = frozenset({UnitKind.INDUSTRY})


def kind_tag(kind: UnitKind) -> str:
    """The area's kind, short, before its name in the row header: 镇, 科室, 村, 社区, 行业."""
    # Literal contexts: the message extractor reads only those.
    tags = {
        UnitKind.TOWNSHIP: pgettext("area kind, short", "Township"),
        UnitKind.DEPARTMENT: pgettext("area kind, short", "Department"),
        UnitKind.VILLAGE: pgettext("area kind, short", "Village"),
        UnitKind.COMMUNITY: pgettext("area kind, short", "Community"),
        UnitKind.INDUSTRY: pgettext("area kind, short", "Field of work"),
    }
    return tags.get(kind) or kind.label


# Background and text per level: light pastels with dark text on a light palette, deep
# tones with light text on a dark one.  The short label says the level too, for anyone who
# cannot tell the colours apart and on black-and-white print-outs of a screenshot.
_LIGHT = {
    Level.OVERALL: ("#f4c7c3", "#5a120c"),
    Level.SUPERVISION: ("#f9d9b5", "#5a2f00"),
    Level.DIRECT_LEADERSHIP: ("#f3e7a6", "#433800"),
    Level.DIRECT: ("#cce6cc", "#123d12"),
    Level.SPECIFIC: ("#cfdff3", "#0e2c52"),
}
_DARK = {
    Level.OVERALL: ("#7a2a24", "#ffe4e0"),
    Level.SUPERVISION: ("#7a4712", "#ffe8cc"),
    Level.DIRECT_LEADERSHIP: ("#6b5e12", "#fff6c7"),
    Level.DIRECT: ("#2b5e2b", "#def5de"),
    Level.SPECIFIC: ("#24476f", "#dde9fa"),
}


def dark_palette() -> bool:
    palette = QGuiApplication.palette()
    return palette.color(palette.ColorRole.Base).lightness() < 128


def level_colours(level: Level, dark: bool | None = None) -> tuple[QColor, QColor]:
    """(background, text) of a cell at ``level`` in the current (or the given) palette."""
    table = _DARK if (dark_palette() if dark is None else dark) else _LIGHT
    background, text = table[level]
    return QColor(background), QColor(text)


def normalize_search(text: str) -> str:
    """Case and whitespace do not matter: "常青 村" finds 常青村."""
    return "".join(text.split()).casefold()


@dataclass(frozen=True)
class GridFilters:
    area_text: str = ""
    kinds: frozenset[UnitKind] | None = None
    people_text: str = ""
    people: PeopleShown = PeopleShown.EVERYONE
    pinned: frozenset[int] = field(default_factory=frozenset)  # people shown whatever the filters

    @property
    def hides_areas(self) -> bool:
        return bool(normalize_search(self.area_text)) or self.kinds is not None


class GridModel(QAbstractTableModel):
    """Rows are the areas the filters let through, columns the people."""

    level_written = Signal(int, int)  # (person id, unit id) after a cell was written
    write_failed = Signal(str)  # the message of a refused write, for the user

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._grid: ResponsibilityGrid | None = None
        self._areas: list[Area] = []
        self._people: list[GridPerson] = []
        self._cells: dict[tuple[int, int], Level] = {}
        self._spans: dict[tuple[int, int], tuple[dt.date, dt.date | None]] = {}
        self._best: dict[int, int] = {}
        self._units_of: dict[int, set[int]] = {}
        self._area_keys: list[str] = []
        self._person_keys: list[str] = []
        self._rows: list[int] = []  # indexes into _areas
        self._columns: list[int] = []  # indexes into _people
        self._filters = GridFilters()
        self._dark = dark_palette()
        # Pinned people (shown whatever the filters) have their name in italics; bold is the
        # header's own mark of the current column.
        self._pinned_font = QFont()
        self._pinned_font.setItalic(True)
        self.read_only = False
        self.write_day: dt.date | None = None

    # ------------------------------------------------------------------ content

    @property
    def grid(self) -> ResponsibilityGrid | None:
        return self._grid

    @property
    def filters(self) -> GridFilters:
        return self._filters

    def set_grid(
        self,
        grid: ResponsibilityGrid,
        extra: Iterable[GridPerson] = (),
        filters: GridFilters | None = None,
    ) -> None:
        """Show ``grid`` (through ``filters``, else the current ones); ``extra`` people get a
        column even if they answer for nothing yet."""
        self.beginResetModel()
        if filters is not None:
            self._filters = filters
        self._grid = grid
        self._areas = list(grid.areas)
        known = {person.id for person in grid.people}
        self._people = list(grid.people) + [p for p in extra if p.id not in known]
        self._cells = dict(grid.cells)
        self._spans = dict(grid.spans)
        self._best = {}
        self._units_of = {}
        for (person_id, unit_id), level in self._cells.items():
            self._best[person_id] = min(self._best.get(person_id, len(Level)), level.rank)
            self._units_of.setdefault(person_id, set()).add(unit_id)
        self._area_keys = [normalize_search(area.name) for area in self._areas]
        self._person_keys = [
            normalize_search("\n".join((person.name, *person.titles))) for person in self._people
        ]
        self._dark = dark_palette()
        self._apply_filters()
        self.endResetModel()

    def set_filters(self, filters: GridFilters) -> None:
        if filters == self._filters:
            return
        self.beginResetModel()
        self._filters = filters
        self._apply_filters()
        self.endResetModel()

    def _apply_filters(self) -> None:
        f = self._filters
        needle = normalize_search(f.area_text)
        kinds = f.kinds
        self._rows = [
            i
            for i, area in enumerate(self._areas)
            if (kinds is None or area.kind in kinds) and needle in self._area_keys[i]
        ]
        needle = normalize_search(f.people_text)
        best = self._best
        pinned = f.pinned
        if f.people == PeopleShown.LEADERS:

            def shown(person_id: int) -> bool:
                return best.get(person_id, len(Level)) <= _LEADER_RANK

        elif f.people == PeopleShown.OF_AREAS:
            units = {self._areas[i].id for i in self._rows}

            def shown(person_id: int) -> bool:
                return not self._units_of.get(person_id, set()).isdisjoint(units)

        else:

            def shown(person_id: int) -> bool:
                return True

        self._columns = [
            i
            for i, person in enumerate(self._people)
            if person.id in pinned or (needle in self._person_keys[i] and shown(person.id))
        ]

    # ------------------------------------------------------------------ lookups

    @property
    def all_people(self) -> list[GridPerson]:
        return list(self._people)

    @property
    def all_areas(self) -> list[Area]:
        return list(self._areas)

    def area_at(self, row: int) -> Area | None:
        return self._areas[self._rows[row]] if 0 <= row < len(self._rows) else None

    def person_at(self, column: int) -> GridPerson | None:
        return self._people[self._columns[column]] if 0 <= column < len(self._columns) else None

    def visible_areas(self) -> list[Area]:
        return [self._areas[i] for i in self._rows]

    def visible_people(self) -> list[GridPerson]:
        return [self._people[i] for i in self._columns]

    def row_of_area(self, unit_id: int) -> int | None:
        for row, i in enumerate(self._rows):
            if self._areas[i].id == unit_id:
                return row
        return None

    def column_of_person(self, person_id: int) -> int | None:
        for column, i in enumerate(self._columns):
            if self._people[i].id == person_id:
                return column
        return None

    def has_area(self, unit_id: int) -> bool:
        return any(area.id == unit_id for area in self._areas)

    def level(self, person_id: int, unit_id: int) -> Level | None:
        return self._cells.get((person_id, unit_id))

    def highest_level(self, person_id: int) -> Level | None:
        rank = self._best.get(person_id)
        return None if rank is None else list(Level)[rank]

    def is_leader(self, person_id: int) -> bool:
        return self._best.get(person_id, len(Level)) <= _LEADER_RANK

    def leaders(self) -> list[GridPerson]:
        """Everyone who leads something, in column order (for their duty cards)."""
        return [person for person in self._people if self.is_leader(person.id)]

    def people_of_area(self, unit_id: int) -> list[int]:
        """Who answers for the area at any level."""
        return [pid for (pid, uid) in self._cells if uid == unit_id]

    # ------------------------------------------------------------------ Qt interface

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def _pair(self, index: ModelIndex) -> tuple[GridPerson, Area] | None:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < len(self._rows) and 0 <= column < len(self._columns)):
            return None
        return self._people[self._columns[column]], self._areas[self._rows[row]]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        pair = self._pair(index)
        if pair is None:
            return None
        person, area = pair
        level = self._cells.get((person.id, area.id))
        if role == Qt.ItemDataRole.DisplayRole:
            return level.short_label if level is not None else ""
        if role == LEVEL_ROLE or role == Qt.ItemDataRole.EditRole:
            return level
        if level is None:
            if role == Qt.ItemDataRole.ToolTipRole:
                return _("{person} does not answer for {area}").format(
                    person=person.name, area=area.name
                )
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(level_colours(level, self._dark)[0])
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(level_colours(level, self._dark)[1])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            text = _("{person} — {area}: {level}").format(
                person=person.name, area=area.name, level=level.label
            )
            span = self._spans.get((person.id, area.id))
            if span is not None:
                start, end = span
                text += "\n" + (
                    _("From {start} to {end}").format(start=long_date(start), end=long_date(end))
                    if end is not None
                    else _("Since {start}").format(start=long_date(start))
                )
            return text
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            person = self.person_at(section)
            if person is None:
                return None
            if role == Qt.ItemDataRole.DisplayRole:
                return person.name
            if role == Qt.ItemDataRole.ToolTipRole:
                return self._person_tooltip(person)
            if role == OBJECT_ROLE:
                return person
            if role == Qt.ItemDataRole.FontRole and person.id in self._filters.pinned:
                return self._pinned_font
            return None
        area = self.area_at(section)
        if area is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return area.name
        if role == KIND_ROLE:
            return kind_tag(area.kind)

        if role == Qt.ItemDataRole.ToolTipRole:
            return _("{area} ({kind})").format(area=area.name, kind=area.kind.label)
        if role == OBJECT_ROLE:
            return area
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _person_tooltip(self, person: GridPerson) -> str:
        lines = [person.name]
        if person.titles:
            lines.append("、".join(person.titles))
        best = self.highest_level(person.id)
        if best is not None:
            lines.append(_("Highest level: {level}").format(level=best.label))
        else:
            lines.append(_("Answers for no area yet"))
        if person.id in self._filters.pinned:
            lines.append(_("Shown whatever the filters (right-click the name to stop)"))
        return "\n".join(lines)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not self.read_only:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Write the cell's level (a Level, or None for "no longer") from ``write_day``."""
        pair = self._pair(index)
        if pair is None or role != Qt.ItemDataRole.EditRole or self.read_only:
            return False
        if self.write_day is None:
            return False
        person, area = pair
        level = Level(value) if value else None
        try:
            set_level(person.id, area.id, level, self.write_day)
        except AssignmentError as error:
            self.write_failed.emit(str(error))
            return False
        self.set_cell(person.id, area.id, level)
        self.level_written.emit(person.id, area.id)
        return True

    def set_cell(self, person_id: int, unit_id: int, level: Level | None) -> None:
        """Show a level written elsewhere (the columns stay where they are until a refresh)."""
        if level is None:
            self._cells.pop((person_id, unit_id), None)
            self._spans.pop((person_id, unit_id), None)
            self._units_of.get(person_id, set()).discard(unit_id)
        else:
            self._cells[(person_id, unit_id)] = level
            self._spans[(person_id, unit_id)] = (self._grid.day, None)  # written from the day
            self._units_of.setdefault(person_id, set()).add(unit_id)
        ranks = [lv.rank for (pid, _uid), lv in self._cells.items() if pid == person_id]
        if ranks:
            self._best[person_id] = min(ranks)
        else:
            self._best.pop(person_id, None)
        row, column = self.row_of_area(unit_id), self.column_of_person(person_id)
        if row is not None and column is not None:
            index = self.index(row, column)
            self.dataChanged.emit(index, index)
        if column is not None:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, column, column)


AREA_COL_KIND = 0
AREA_COL_NAME = 1


class AreaListModel(QAbstractTableModel):
    """The rows of a GridModel as a two-column table (kind, name): the part of the grid that
    stays in place when the people scroll sideways."""

    def __init__(self, grid: GridModel, parent: Any = None):
        super().__init__(parent)
        self._grid = grid
        grid.modelAboutToBeReset.connect(self.beginResetModel)
        grid.modelReset.connect(self.endResetModel)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._grid.rowCount()

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 2

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        area = self._grid.area_at(index.row())
        if area is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return kind_tag(area.kind) if column == AREA_COL_KIND else area.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return _("{area} ({kind})").format(area=area.name, kind=area.kind.label)
        if role == Qt.ItemDataRole.ForegroundRole and column == AREA_COL_KIND:
            palette = QGuiApplication.palette()
            return QBrush(palette.color(QPalette.ColorRole.PlaceholderText))
        if role == OBJECT_ROLE:
            return area
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _("Kind") if section == AREA_COL_KIND else _("Area")
        return None
