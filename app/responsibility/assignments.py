"""Who answers for which area, at which level, from when to when (fields and patronage).

An area is a unit: the township as a whole, a department, a village or community, or an
industry.  A person holds one level for an area at a time; changing it ends the old row the
day before, so "who answered for 常青村 on 2024-06-30" stays a query.  A successor takes over
the predecessor's areas from the hand-over day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import peewee
from peewee import fn

from app.i18n import _
from app.org.kinds import UnitKind
from app.org.people import ONE_DAY, PersonChoice, titles_by_person
from app.responsibility.levels import Level
from app.storage.bulk import chunks
from app.storage.db import database_proxy
from app.storage.models import (
    Assignment,
    GroupMembership,
    Person,
    Unit,
    active_on,
    end_before,
    overlapping,
)

# Kinds of unit a person can answer for; enterprises answer to a supervising department.
AREA_KINDS: tuple[UnitKind, ...] = (
    UnitKind.TOWNSHIP,
    UnitKind.DEPARTMENT,
    UnitKind.VILLAGE,
    UnitKind.COMMUNITY,
    UnitKind.INDUSTRY,
)
# Levels that make someone a leader of an area (the township's leaders, patrons): their duty
# cards are the batch print, and the grid's first view shows them.
LEADER_LEVELS = (Level.OVERALL, Level.SUPERVISION, Level.DIRECT_LEADERSHIP)
MANUAL = "manual"
FROM_MATRIX = "matrix"


class AssignmentError(ValueError):
    """An assignment that cannot be made; the message is for the user."""


@dataclass(frozen=True)
class AssignmentLine:
    id: int
    person_id: int
    person_name: str
    unit_id: int
    unit_name: str
    unit_kind: UnitKind
    level: Level
    source: str
    note: str
    start: dt.date
    end: dt.date | None


@dataclass(frozen=True)
class Area:
    id: int
    name: str
    kind: UnitKind
    sort_order: int


# A column of the grid: a person with the titles held on the grid's day.
GridPerson = PersonChoice


@dataclass(frozen=True)
class ResponsibilityGrid:
    """People × areas on a day, with the level in each filled cell."""

    day: dt.date
    areas: list[Area]
    people: list[GridPerson]
    cells: dict[tuple[int, int], Level]  # (person id, unit id) -> level
    # (person id, unit id) -> the first and last day of the assignment in force on ``day``
    spans: dict[tuple[int, int], tuple[dt.date, dt.date | None]] = field(default_factory=dict)

    def people_of(self, unit_id: int) -> dict[Level, list[GridPerson]]:
        """Who answers for an area, by level (levels in order, people in column order)."""
        by_level: dict[Level, list[GridPerson]] = {}
        for person in self.people:
            level = self.cells.get((person.id, unit_id))
            if level is not None:
                by_level.setdefault(level, []).append(person)
        return dict(sorted(by_level.items(), key=lambda item: item[0].rank))


def areas() -> list[Area]:
    """Every area, the township first, then departments, villages, communities, industries."""
    order = {kind.value: rank for rank, kind in enumerate(AREA_KINDS)}
    query = (
        Unit.select(Unit.id, Unit.name, Unit.kind, Unit.sort_order)
        .where(Unit.kind.in_(list(order)))
        .tuples()
    )
    rows = sorted(query, key=lambda row: (order[row[2]], row[3], row[0]))
    return [Area(uid, name, UnitKind(kind), sort) for uid, name, kind, sort in rows]


def _lines(where: peewee.Expression) -> list[AssignmentLine]:
    query = (
        Assignment.select(
            Assignment.id,
            Assignment.person,
            Person.name,
            Assignment.unit,
            Unit.name,
            Unit.kind,
            Assignment.level,
            Assignment.source,
            Assignment.note,
            Assignment.start_date,
            Assignment.end_date,
        )
        .join(Person, on=Assignment.person == Person.id)
        .switch(Assignment)
        .join(Unit, on=Assignment.unit == Unit.id)
        .where(where)
        .order_by(Unit.sort_order, Assignment.start_date, Assignment.id)
        .tuples()
    )
    return [
        AssignmentLine(
            aid, pid, pname, uid, uname, UnitKind(ukind), Level(level), source, note, start, end
        )
        for aid, pid, pname, uid, uname, ukind, level, source, note, start, end in query
    ]


def assignments_as_of(
    day: dt.date, *, person_id: int | None = None, unit_id: int | None = None
) -> list[AssignmentLine]:
    where = active_on(Assignment, day)
    if person_id is not None:
        where &= Assignment.person == person_id
    if unit_id is not None:
        where &= Assignment.unit == unit_id
    lines = _lines(where)
    return sorted(lines, key=lambda line: (line.level.rank, line.unit_kind != UnitKind.TOWNSHIP))


def history_of(person_id: int) -> list[AssignmentLine]:
    return _lines(Assignment.person == person_id)


def _area(unit_id: int) -> Unit:
    unit = Unit.get_or_none(Unit.id == unit_id)
    if unit is None:
        raise AssignmentError(_("The area no longer exists."))
    if unit.kind not in {kind.value for kind in AREA_KINDS}:
        raise AssignmentError(
            _("{unit} is an enterprise: it answers to a supervising department instead.").format(
                unit=unit.name
            )
        )
    return unit


def set_level(
    person_id: int,
    unit_id: int,
    level: Level | None,
    day: dt.date,
    *,
    note: str = "",
    source: str = MANUAL,
) -> bool:
    """From ``day`` on, the person answers for the area at ``level`` (None: no longer).

    The level held before ends the day before; the new one keeps its recorded last day, and
    what was recorded for a later day still begins then (the new level stops the day before
    it).  Returns whether anything changed.
    """
    with database_proxy.atomic():
        _area(unit_id)
        if Person.get_or_none(Person.id == person_id) is None:
            raise AssignmentError(_("The person no longer exists."))
        pair = (Assignment.person == person_id) & (Assignment.unit == unit_id)
        current = list(Assignment.select().where(pair & active_on(Assignment, day)))
        if level is not None and [row.level for row in current] == [level.value]:
            return False
        if level is None and not current:
            return False
        # A last day already recorded (someone leaving at the year's end) still holds.
        ends = [row.end_date for row in current if row.end_date is not None]
        for row in current:
            end_before(row, day)
        if level is not None:
            later = (
                Assignment.select(fn.MIN(Assignment.start_date))
                .where(pair & (Assignment.start_date > day))
                .scalar()
            )
            if later is not None:
                ends.append(later - ONE_DAY)
            Assignment.create(
                person=person_id,
                unit=unit_id,
                level=level.value,
                source=source,
                note=note,
                start_date=day,
                end_date=min(ends) if ends else None,
            )
        return True


def end_assignment(assignment_id: int, last_day: dt.date) -> None:
    with database_proxy.atomic():
        row = Assignment.get_by_id(assignment_id)
        if last_day < row.start_date:
            raise AssignmentError(_("The last day cannot come before the first day."))
        row.end_date = last_day
        row.save()


def end_areas(person_id: int, last_day: dt.date) -> list[AssignmentLine]:
    """The person no longer answers for anything after ``last_day`` (leaving the township);
    returns what was ended, so a newcomer can be given the same areas."""
    with database_proxy.atomic():
        ending = [line for line in assignments_as_of(last_day, person_id=person_id)]
        for line in ending:
            end_assignment(line.id, last_day)
        later = Assignment.delete().where(
            (Assignment.person == person_id) & (Assignment.start_date > last_day)
        )
        later.execute()
    return ending


def delete_assignment(assignment_id: int) -> None:
    """Remove an assignment entered by mistake (an ending is end_assignment)."""
    Assignment.delete().where(Assignment.id == assignment_id).execute()


def transfer_assignments(predecessor_id: int, successor_id: int, day: dt.date) -> int:
    """继任: the predecessor's areas pass to the successor from ``day``; returns how many.

    Areas recorded for later days pass too.  An area the successor already answers for keeps
    the successor's own level.
    """
    passing = list(
        Assignment.select().where(
            (Assignment.person == predecessor_id) & overlapping(Assignment, day)
        )
    )
    held = {
        unit_id
        for (unit_id,) in Assignment.select(Assignment.unit)
        .where((Assignment.person == successor_id) & overlapping(Assignment, day))
        .tuples()
    }
    for row in passing:
        if row.unit_id not in held:
            Assignment.create(
                person=successor_id,
                unit=row.unit_id,
                level=row.level,
                source=row.source,
                note=row.note,
                start_date=max(day, row.start_date),
                end_date=row.end_date,
            )
        end_before(row, day)
    return len(passing)


def grid_as_of(day: dt.date, *, people_ids: Sequence[int] | None = None) -> ResponsibilityGrid:
    """The matrix view: every area, and as columns everyone who answers for one on ``day`` or
    sits in the leading group then (in the roster's order, then by highest level)."""
    cells: dict[tuple[int, int], Level] = {}
    spans: dict[tuple[int, int], tuple[dt.date, dt.date | None]] = {}
    best: dict[int, int] = {}
    for person_id, unit_id, level, start, end in (
        Assignment.select(
            Assignment.person,
            Assignment.unit,
            Assignment.level,
            Assignment.start_date,
            Assignment.end_date,
        )
        .where(active_on(Assignment, day))
        .tuples()
    ):
        parsed = Level(level)
        cells[(person_id, unit_id)] = parsed
        spans[(person_id, unit_id)] = (start, end)
        best[person_id] = min(best.get(person_id, len(Level)), parsed.rank)
    ids = set(best)
    ids.update(
        pid
        for (pid,) in GroupMembership.select(GroupMembership.person)
        .where(active_on(GroupMembership, day))
        .tuples()
    )
    if people_ids is not None:
        ids &= set(people_ids)
    names: dict[int, str] = {}
    for chunk in chunks(sorted(ids)):
        names.update(Person.select(Person.id, Person.name).where(Person.id.in_(chunk)).tuples())
    titles = titles_by_person(ids, day)
    # The township's own order (the roster's) first, then the others by their highest level.
    place = _roster_places(day)
    people = [
        GridPerson(pid, names[pid], tuple(titles.get(pid, ())))
        for pid in sorted(
            names,
            key=lambda pid: (place.get(pid, len(place)), best.get(pid, len(Level)), pid),
        )
    ]
    return ResponsibilityGrid(day, areas(), people, cells, spans)


def _roster_places(day: dt.date) -> dict[int, int]:
    """Each group member's place in the roster on ``day``."""
    from app.roster.service import roster_as_of  # the roster reads assignments lazily too

    places: dict[int, int] = {}
    for place, line in enumerate(roster_as_of(day).lines):
        places.setdefault(line.person_id, place)
    return places


def leaders_on(day: dt.date) -> list[int]:
    """Everyone who leads an area on ``day``: members of the leading group in the roster's
    order first, then the others by their highest level."""
    best: dict[int, int] = {}
    query = (
        Assignment.select(Assignment.person, Assignment.level)
        .where(
            active_on(Assignment, day)
            & Assignment.level.in_([level.value for level in LEADER_LEVELS])
        )
        .tuples()
    )
    for person_id, level in query:
        best[person_id] = min(best.get(person_id, len(Level)), Level(level).rank)
    place = _roster_places(day)
    return sorted(best, key=lambda pid: (place.get(pid, len(place)), best[pid], pid))
