"""The responsibility matrix (责任制分工表) as stored: ordered rows of linked names.

Each row is a field of work: 单位负责人 · 分管负责人 · 责任科室 · 责任人 · 安全生产重点职责.
A name in a cell links to a person, a unit, or a post title (whose holder is looked up on the
day shown, so a successor appears without editing the matrix); anything else ("局、科主要负责人")
stays text.  The matrix also states fields of work: saving it keeps the assignments it implies
(principals lead overall; a deputy leads the row's departments; the 责任人 answers directly)
in step, without touching assignments entered by hand.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from peewee import JOIN, fn

from app.i18n import N_, _
from app.io.text import normalize_name
from app.org.kinds import PostKind, UnitKind
from app.org.people import ONE_DAY
from app.responsibility.assignments import AREA_KINDS, FROM_MATRIX, set_level
from app.responsibility.levels import Level
from app.storage.bulk import insert_rows
from app.storage.db import database_proxy
from app.storage.models import (
    Assignment,
    GroupMembership,
    MatrixEntry,
    MatrixRow,
    Person,
    Post,
    Unit,
    active_on,
    end_before,
)


class Column(StrEnum):
    PRINCIPALS = "principals"  # 单位负责人
    DEPUTIES = "deputies"  # 分管负责人
    DEPARTMENTS = "departments"  # 责任科室
    RESPONSIBLE = "responsible"  # 责任人

    @property
    def chinese(self) -> str:
        return _CHINESE[self]

    @property
    def label(self) -> str:
        return _(_LABELS[self])


_CHINESE = {
    Column.PRINCIPALS: "单位负责人",
    Column.DEPUTIES: "分管负责人",
    Column.DEPARTMENTS: "责任科室",
    Column.RESPONSIBLE: "责任人",
}
_LABELS = {
    Column.PRINCIPALS: N_("Unit heads"),
    Column.DEPUTIES: N_("Overseeing leaders"),
    Column.DEPARTMENTS: N_("Responsible departments"),
    Column.RESPONSIBLE: N_("Responsible persons"),
}
DUTIES_CHINESE = "安全生产重点职责"
PEOPLE_COLUMNS = (Column.PRINCIPALS, Column.DEPUTIES, Column.RESPONSIBLE)
SEPARATOR = "、"
_SEPARATORS = frozenset("、，,；;\n")
_OPENING = frozenset("(（[［【〔《")
_CLOSING = frozenset(")）]］】〕》")
# "张三（副镇长）": a name with the title in brackets.
_NAME_WITH_TITLE = re.compile(r"^(?P<name>[^（(]+)[（(](?P<title>[^）)]+)[）)]$")


@dataclass(frozen=True)
class Entry:
    """One name in a cell, as written, and what it links to (at most one of the three)."""

    text: str
    person_id: int | None = None
    unit_id: int | None = None
    post_title: str | None = None

    @property
    def linked(self) -> bool:
        return self.person_id is not None or self.unit_id is not None or bool(self.post_title)


@dataclass(frozen=True)
class MatrixLine:
    cells: dict[Column, tuple[Entry, ...]]
    duties: str

    def text(self, column: Column) -> str:
        return SEPARATOR.join(entry.text for entry in self.cells.get(column, ()))


class Linker:
    """Finds what a cell's names refer to on a day.  Built once per import or edit."""

    def __init__(self, day: dt.date):
        self.day = day
        namesakes: dict[str, list[int]] = {}
        for pid, name in Person.select(Person.id, Person.name).order_by(Person.id).tuples():
            namesakes.setdefault(name, []).append(pid)
        # A shared name means the one person holding a post or a group place that day (else
        # the earliest recorded); two such people with one name link to neither.
        present = {
            pid for (pid,) in Post.select(Post.person).where(active_on(Post, day)).tuples()
        } | {
            pid
            for (pid,) in GroupMembership.select(GroupMembership.person)
            .where(active_on(GroupMembership, day))
            .tuples()
        }
        self._people: dict[str, int] = {}
        for name, pids in namesakes.items():
            here = [pid for pid in pids if pid in present]
            if len(here) == 1 or (len(pids) == 1):
                self._people[name] = here[0] if here else pids[0]
            elif not here:
                self._people[name] = pids[0]
        holders: dict[str, set[int]] = {}
        for title, pid in Post.select(Post.title, Post.person).where(active_on(Post, day)).tuples():
            holders.setdefault(title, set()).add(pid)
        # A post links whether held or vacant that day (its next holder will answer), but a
        # title held by several people ("副镇长") names nobody in particular.
        known = {title for (title,) in Post.select(Post.title).distinct().tuples()}
        self._posts = {title for title in known if len(holders.get(title, ())) <= 1}
        area_kinds = [kind.value for kind in AREA_KINDS if kind != UnitKind.TOWNSHIP]
        self._units = dict(
            Unit.select(Unit.name, Unit.id).where(Unit.kind.in_(area_kinds)).tuples()
        )

    def entry(self, text: str, column: Column) -> Entry:
        text = " ".join(text.split())
        if column == Column.DEPARTMENTS:
            unit_id = self._units.get(text)
            return Entry(text, unit_id=unit_id)
        name = normalize_name(text)
        if name in self._people:
            return Entry(text, person_id=self._people[name])
        bracketed = _NAME_WITH_TITLE.match(text)
        if bracketed:
            name = normalize_name(bracketed["name"])
            if name in self._people:
                return Entry(text, person_id=self._people[name])
        if text in self._posts:
            return Entry(text, post_title=text)
        return Entry(text)

    def cell(self, text: str, column: Column) -> tuple[Entry, ...]:
        return tuple(self.entry(part, column) for part in split_cell(text))


def split_cell(text: str) -> list[str]:
    """The names in a cell, cleaned, in order.

    "、" (and "，" "," "；" ";" line breaks) separate names, except inside brackets:
    "张三（分管农业、林业）" is one name.  Alignment padding goes ("闫  旻" → "闫旻").
    """
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char in _OPENING:
            depth += 1
        elif char in _CLOSING:
            depth = max(depth - 1, 0)
        elif depth == 0 and char in _SEPARATORS:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return [name for name in (normalize_name(part) for part in parts) if name]


def load_matrix() -> list[MatrixLine]:
    """The stored rows in order (two queries, whatever the size)."""
    rows = list(MatrixRow.select(MatrixRow.id, MatrixRow.duties).order_by(MatrixRow.position))
    cells: dict[int, dict[Column, list[Entry]]] = {row.id: {} for row in rows}
    # A linked unit shows its name of today: renaming a department renames it here too.
    query = (
        MatrixEntry.select(
            MatrixEntry.row,
            MatrixEntry.column,
            MatrixEntry.text,
            MatrixEntry.person,
            MatrixEntry.unit,
            MatrixEntry.post_title,
            Unit.name,
        )
        .join(Unit, JOIN.LEFT_OUTER, on=MatrixEntry.unit == Unit.id)
        .order_by(MatrixEntry.row, MatrixEntry.column, MatrixEntry.position)
        .tuples()
    )
    for row_id, column, text, person, unit, post, unit_name in query:
        entry = Entry(unit_name or text, person, unit, post)
        cells[row_id].setdefault(Column(column), []).append(entry)
    return [
        MatrixLine({col: tuple(entries) for col, entries in cells[row.id].items()}, row.duties)
        for row in rows
    ]


def save_matrix(lines: Sequence[MatrixLine], day: dt.date) -> None:
    """Make ``lines`` the whole matrix from ``day``, and bring the assignments it implies into
    step from that day.  All or nothing."""
    with database_proxy.atomic():
        MatrixEntry.delete().execute()
        MatrixRow.delete().execute()
        entries: list[dict[str, object]] = []
        for position, line in enumerate(lines, start=1):
            row = MatrixRow.create(position=position, duties=line.duties)
            for column, cell in line.cells.items():
                for order, entry in enumerate(cell, start=1):
                    entries.append(
                        {
                            "row": row.id,
                            "column": column.value,
                            "position": order,
                            "text": entry.text,
                            "person": entry.person_id,
                            "unit": entry.unit_id,
                            "post_title": entry.post_title,
                        }
                    )
        insert_rows(MatrixEntry, entries)
        sync_assignments(lines, day)


def post_holders(titles: Iterable[str], day: dt.date) -> dict[str, list[tuple[int, str]]]:
    """Who holds each title on ``day``: (person id, name) in the order they took it."""
    wanted = sorted(set(titles))
    result: dict[str, list[tuple[int, str]]] = {title: [] for title in wanted}
    if not wanted:
        return result
    query = (
        Post.select(Post.title, Person.id, Person.name)
        .join(Person, on=Post.person == Person.id)
        .where(Post.title.in_(wanted) & active_on(Post, day))
        .order_by(Post.start_date, Post.id)
        .tuples()
    )
    for title, pid, name in query:
        result[title].append((pid, name))
    return result


def people_in(cell: Iterable[Entry], holders: dict[str, list[tuple[int, str]]]) -> list[int]:
    """The people a cell names: linked persons, and the holders of linked posts."""
    ids: list[int] = []
    for entry in cell:
        if entry.person_id is not None:
            ids.append(entry.person_id)
        elif entry.post_title:
            ids.extend(pid for pid, _name in holders.get(entry.post_title, ()))
    return ids


def departed(day: dt.date) -> set[int]:
    """People who held posts before ``day`` but hold none then and are not in the group."""
    had_posts = Post.select(Post.person).where(Post.start_date <= day)
    holding = Post.select(Post.person).where(active_on(Post, day))
    in_group = GroupMembership.select(GroupMembership.person).where(active_on(GroupMembership, day))
    query = (
        Person.select(Person.id)
        .where(Person.id.in_(had_posts) & Person.id.not_in(holding) & Person.id.not_in(in_group))
        .tuples()
    )
    return {pid for (pid,) in query}


def pass_entries(predecessor_id: int, successor_id: int) -> int:
    """继任: the matrix names the successor wherever it named the predecessor (the text too:
    "张三（副镇长）" becomes "李四（副镇长）").  Returns how many names changed."""
    old = Person.get_by_id(predecessor_id).name
    new = Person.get_by_id(successor_id).name
    entries = list(MatrixEntry.select().where(MatrixEntry.person == predecessor_id))
    for entry in entries:
        bracketed = _NAME_WITH_TITLE.match(entry.text)
        if bracketed and normalize_name(bracketed["name"]) == old:
            entry.text = new + entry.text[len(bracketed["name"]) :]
        else:
            entry.text = new
        entry.person = successor_id
        entry.save()
    return len(entries)


def follow_post_holders(day: dt.date) -> int:
    """The matrix names posts ("镇长") as well as people: when titles change hands outside a
    hand-over (a roster edit or import), the fields of work those posts carry follow the new
    holders from ``day``.  Returns how many assignments began or ended.

    Left alone when a later save already recorded the matrix's assignments: bringing them in
    step from an earlier day would undo what was decided then.
    """
    if not MatrixEntry.select().where(MatrixEntry.post_title.is_null(False)).exists():
        return 0
    later = Assignment.select().where(
        (Assignment.source == FROM_MATRIX) & (Assignment.start_date > day)
    )
    if later.exists():
        return 0
    begun, ended = sync_assignments(load_matrix(), day)
    return begun + ended


def drop_entries(person_id: int) -> int:
    """Someone who left the township is no longer named in the matrix (the row stays; a cell
    left empty shows in the coverage check).  Returns how many names went."""
    return MatrixEntry.delete().where(MatrixEntry.person == person_id).execute()


def implied_assignments(lines: Sequence[MatrixLine], day: dt.date) -> dict[tuple[int, int], Level]:
    """(person, unit) -> level, as the matrix states them on ``day``.

    Principals lead the township overall; a row's overseeing leaders lead its departments
    (the deputy in charge of work safety by comprehensive supervision); its 责任人 answer
    directly for the departments they work in (for all of the row's if they work in none).
    Where one person is named at two levels for a unit, the higher one counts.
    """
    titles = [
        entry.post_title
        for line in lines
        for cell in line.cells.values()
        for entry in cell
        if entry.post_title
    ]
    holders = post_holders(titles, day)
    # The deputy in charge of work safety: by the kind of post, or (a title says only 副镇长)
    # by comprehensive supervision entered by hand.
    safety_deputies = {
        pid
        for (pid,) in Post.select(Post.person)
        .where(active_on(Post, day) & (Post.kind == PostKind.SAFETY_DEPUTY.value))
        .tuples()
    } | {
        pid
        for (pid,) in Assignment.select(Assignment.person)
        .where(
            active_on(Assignment, day)
            & (Assignment.level == Level.SUPERVISION.value)
            & (Assignment.source != FROM_MATRIX)
        )
        .tuples()
    }
    posts_in: dict[int, set[int]] = {}
    for pid, unit_id in (
        Post.select(Post.person, Post.unit)
        .where(active_on(Post, day) & Post.unit.is_null(False))
        .tuples()
    ):
        posts_in.setdefault(pid, set()).add(unit_id)
    gone = departed(day)
    township = (
        Unit.select(Unit.id).where(Unit.kind == UnitKind.TOWNSHIP.value).order_by(Unit.id).scalar()
    )
    implied: dict[tuple[int, int], Level] = {}

    def add(person_id: int, unit_id: int, level: Level) -> None:
        if person_id in gone:
            return  # named in an old matrix, but no longer here to answer
        known = implied.get((person_id, unit_id))
        if known is None or level.rank < known.rank:
            implied[(person_id, unit_id)] = level

    for line in lines:
        units = [e.unit_id for e in line.cells.get(Column.DEPARTMENTS, ()) if e.unit_id]
        if township is not None:
            for pid in people_in(line.cells.get(Column.PRINCIPALS, ()), holders):
                add(pid, township, Level.OVERALL)
        for pid in people_in(line.cells.get(Column.DEPUTIES, ()), holders):
            level = Level.SUPERVISION if pid in safety_deputies else Level.DIRECT_LEADERSHIP
            for unit_id in units:
                add(pid, unit_id, level)
        for pid in people_in(line.cells.get(Column.RESPONSIBLE, ()), holders):
            # Several departments and several 责任人 in a row: each answers for the ones they
            # work in; someone who works in none of them answers for all of the row's.
            own = [unit_id for unit_id in units if unit_id in posts_in.get(pid, ())]
            for unit_id in own or units:
                add(pid, unit_id, Level.DIRECT)
    return implied


@dataclass
class AssignmentChanges:
    """What saving a matrix from a day does to the assignments it states.

    From that day on the matrix's assignments are exactly what it states: rows a later save
    recorded (an import dated back replaces them) are dropped, rows it no longer states end,
    rows the later save had ended are open again, the missing ones begin.  Assignments a clerk
    entered by hand win: the matrix never changes or ends them.
    """

    begin: dict[tuple[int, int], Level]
    end: list[Assignment]
    drop: list[Assignment]
    reopen: list[Assignment]

    @property
    def begun(self) -> int:
        return len(self.begin)

    @property
    def ended(self) -> int:
        return len(self.end) + len(self.drop)


def assignment_changes(lines: Sequence[MatrixLine], day: dt.date) -> AssignmentChanges:
    """What saving ``lines`` from ``day`` would do (reads only)."""
    implied = implied_assignments(lines, day)
    drop = list(
        Assignment.select().where(
            (Assignment.source == FROM_MATRIX) & (Assignment.start_date > day)
        )
    )
    # The days later saves took effect: a row they ended the day before may open again.
    later_saves = {row.start_date for row in drop}
    dropped_pairs = {(row.person_id, row.unit_id) for row in drop}
    active = list(Assignment.select().where(active_on(Assignment, day)))
    by_pair = {(row.person_id, row.unit_id): row for row in active}
    end = [
        row
        for row in active
        if row.source == FROM_MATRIX and (row.person_id, row.unit_id) not in implied
    ]
    begin: dict[tuple[int, int], Level] = {}
    reopen: list[Assignment] = []
    for pair, level in implied.items():
        row = by_pair.get(pair)
        if row is None or (row.source == FROM_MATRIX and row.level != level.value):
            begin[pair] = level
        elif (
            row.source == FROM_MATRIX
            and row.end_date is not None
            and (row.end_date + ONE_DAY in later_saves or pair in dropped_pairs)
        ):
            reopen.append(row)
    return AssignmentChanges(begin, end, drop, reopen)


def sync_assignments(lines: Sequence[MatrixLine], day: dt.date) -> tuple[int, int]:
    """Bring the matrix's assignments in step from ``day``; returns (begun, ended)."""
    changes = assignment_changes(lines, day)
    for row in changes.drop:
        row.delete_instance()
    for row in changes.end:
        end_before(row, day)
    for row in changes.reopen:
        later = (
            Assignment.select(fn.MIN(Assignment.start_date))
            .where(
                (Assignment.person == row.person_id)
                & (Assignment.unit == row.unit_id)
                & (Assignment.start_date > row.start_date)
            )
            .scalar()
        )
        row.end_date = later - ONE_DAY if later is not None else None
        row.save()
    for (person_id, unit_id), level in changes.begin.items():
        set_level(person_id, unit_id, level, day, source=FROM_MATRIX)
    return changes.begun, changes.ended
