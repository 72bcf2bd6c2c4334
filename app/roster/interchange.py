"""The roster in clerks' spreadsheets: read a file into a plan, show it, apply it all or nothing.

A file describes the group as it stands from one day on.  Reading it never writes; the plan
lists who joins, who changes and who leaves; applying it writes everything in one transaction
or nothing at all.  Exports use the same headers, so an export re-imports with no changes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

from peewee import fn

from app.i18n import N_, _, format_date, pgettext
from app.io.errors import InterchangeError, Problem
from app.io.spreadsheet import ColumnSpec, read_table, write_table
from app.io.text import normalize_name, split_titles
from app.org.people import ONE_DAY, UnitMatcher, titles_by_person
from app.responsibility.matrix import follow_post_holders
from app.roster import service
from app.roster.roles import OFFICE_SYNONYMS, ROLE_SYNONYMS, GroupRole, OfficeRole
from app.roster.snapshot import RosterLine, RosterSnapshot
from app.storage.bulk import chunks, insert_rows
from app.storage.db import database_proxy
from app.storage.models import GroupMembership, Person, Post, end_before

COL_ORDER = "序号"
COL_NAME = "姓名"
COL_ROLE = "小组职务"
COL_TITLES = "职务"
COL_PHONE = "联系电话"

COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec(COL_ORDER, ("编号", "排序", "No.")),
    ColumnSpec(COL_NAME, ("名字", "人员姓名", "成员姓名", "姓 名"), required=True),
    ColumnSpec(
        COL_ROLE,
        ("组内职务", "领导小组职务", "小组职位", "组内职位", "领导小组内职务", "组内分工"),
    ),
    ColumnSpec(
        COL_TITLES,
        ("现任职务", "单位及职务", "工作单位及职务", "工作职务", "职务职称", "单位职务"),
    ),
    ColumnSpec(COL_PHONE, ("电话", "手机", "手机号码", "联系方式", "电话号码")),
)

TITLE_SUFFIXES = ("成员名单", "人员名单", "名单", "成员")
_ROLE_SEPARATORS = re.compile(r"[、，,/／;；（）()\s]+|兼")


class ChangeKind(StrEnum):
    ADD = "add"
    CHANGE = "change"
    LEAVE = "leave"

    @property
    def label(self) -> str:
        return _(_CHANGE_LABELS[self])


_CHANGE_LABELS = {
    ChangeKind.ADD: N_("Joins"),
    ChangeKind.CHANGE: N_("Changes"),
    ChangeKind.LEAVE: N_("Leaves"),
}


@dataclass(frozen=True)
class RosterRow:
    """One member as the file describes them.

    A column the file does not have is None here: it keeps what the roster already says
    (a list of names and roles must not wipe everyone's titles and phones).
    """

    row: int  # spreadsheet row number, for messages
    name: str
    role: GroupRole | None
    office_role: OfficeRole | None
    titles: tuple[str, ...] | None
    phone: str | None

    def completed(self, current: RosterLine | None) -> CompleteRow:
        """Every field filled: from the file where it says, else as the roster has it."""
        if self.role is not None:
            role, office = self.role, self.office_role
        elif current is not None:
            role, office = current.role, current.office_role
        else:
            role, office = GroupRole.MEMBER, None
        titles = self.titles if self.titles is not None else (current.titles if current else ())
        phone = self.phone if self.phone is not None else (current.phone if current else "")
        return CompleteRow(self.row, self.name, role, office, titles, phone)


@dataclass(frozen=True)
class CompleteRow:
    """A member as the roster will hold them after the import."""

    row: int
    name: str
    role: GroupRole
    office_role: OfficeRole | None
    titles: tuple[str, ...]
    phone: str

    def as_input(self) -> service.MemberInput:
        return service.MemberInput(
            name=self.name,
            role=self.role,
            office_role=self.office_role,
            titles=self.titles,
            phone=self.phone,
        )


@dataclass(frozen=True)
class PlannedChange:
    kind: ChangeKind
    name: str
    details: tuple[str, ...]  # human-readable "what changes", already translated
    row: CompleteRow | None = None  # None for leavers
    membership_id: int | None = None  # None for newcomers


@dataclass
class ImportPlan:
    source: Path
    effective: dt.date
    rows: list[RosterRow]
    changes: list[PlannedChange] = field(default_factory=list)
    reorder: bool = False  # the township's order of members differs from the file's
    # The file lists only some members: the others stay where they are, newcomers go to
    # the end of their role.
    partial: bool = False
    group_name: str | None = None  # adopt the file's title as the group's name
    basis: int = 0  # fingerprint of the roster the plan was made against

    @property
    def is_empty(self) -> bool:
        return not self.changes and not self.reorder and self.group_name is None

    @property
    def has_leavers(self) -> bool:
        return any(change.kind == ChangeKind.LEAVE for change in self.changes)

    def keeping_absent(self) -> ImportPlan:
        """The same plan, except that members missing from the file stay in the group.

        For a file that lists only some members (newcomers, a department's people).
        """
        return replace(
            self,
            changes=[c for c in self.changes if c.kind != ChangeKind.LEAVE],
            reorder=False,
            partial=True,
        )

    def count(self, kind: ChangeKind) -> int:
        return sum(1 for change in self.changes if change.kind == kind)

    def summary(self) -> str:
        if self.is_empty:
            return _("The file matches the roster: nothing to change.")
        return _("Joining: {joins}; changing: {changes}; leaving: {leaves}.").format(
            joins=self.count(ChangeKind.ADD),
            changes=self.count(ChangeKind.CHANGE),
            leaves=self.count(ChangeKind.LEAVE),
        )

    def lines(self) -> list[str]:
        """The plan as text lines (CLI --dry-run)."""
        out = [
            _("Effective from {date}: {summary}").format(
                date=format_date(self.effective), summary=self.summary()
            )
        ]
        if self.group_name is not None:
            out.append(_("Group name: {name}").format(name=self.group_name))
        for change in self.changes:
            detail = pgettext("list of changes", "; ").join(change.details)
            out.append(f"{change.kind.label}\t{change.name}\t{detail}")
        if self.reorder:
            out.append(_("The order of members follows the file."))
        return out


# ---------------------------------------------------------------------------- reading a file


def parse_role(text: str) -> tuple[GroupRole | None, OfficeRole | None, str | None]:
    """A role cell ("副组长", "成员、办公室主任") → its role, office role, and any bad token."""
    role: GroupRole | None = None
    office: OfficeRole | None = None
    for token in _ROLE_SEPARATORS.split(text.strip().rstrip("：:")):
        if not token:
            continue
        key = token.lower().replace(" ", "")
        if key in ROLE_SYNONYMS and role is None:
            role = ROLE_SYNONYMS[key]
        elif key in OFFICE_SYNONYMS and office is None:
            office = OFFICE_SYNONYMS[key]
        else:
            return None, None, token
    if role is None and office is not None:
        role = GroupRole.MEMBER
    return role, office, None


def role_text(role: GroupRole, office: OfficeRole | None) -> str:
    """The role cell as exports write it (always the Chinese file vocabulary)."""
    return f"{role.chinese}、{office.chinese}" if office else role.chinese


def read_roster_file(path: str | Path) -> tuple[str | None, list[RosterRow]]:
    """The file's title and its members; InterchangeError naming every bad row."""
    table = read_table(Path(path), COLUMNS)
    problems: list[Problem] = []
    rows: list[RosterRow] = []
    seen: dict[str, int] = {}
    last_role: tuple[GroupRole, OfficeRole | None] | None = None
    for sheet_row in table.rows:
        values = sheet_row.values
        name = normalize_name(values.get(COL_NAME, ""))
        role_cell = values.get(COL_ROLE, "")
        if not name:
            problems.append(Problem(sheet_row.number, COL_NAME, _("the name is empty")))
            continue
        if name in seen:
            problems.append(
                Problem(
                    sheet_row.number,
                    COL_NAME,
                    _("{name} already appears in row {first}").format(name=name, first=seen[name]),
                )
            )
            continue
        seen[name] = sheet_row.number
        if role_cell:
            role, office, bad = parse_role(role_cell)
            if role is None:
                problems.append(
                    Problem(
                        sheet_row.number,
                        COL_ROLE,
                        _("“{value}” is not a group role (use {choices})").format(
                            value=bad or role_cell,
                            choices="、".join(r.chinese for r in GroupRole),
                        ),
                    )
                )
                continue
            # An office role belongs to its own row only; the group role carries down
            # to rows below that leave the cell empty (how clerks lay out role blocks).
            last_role = (role, None)
        elif COL_ROLE not in values:
            role, office = None, None  # no role column: roles stay as they are
        elif last_role is None:
            role, office = GroupRole.MEMBER, None
        else:
            role, office = last_role
        titles = tuple(split_titles(values[COL_TITLES])) if COL_TITLES in values else None
        if len(name) > service.MAX_NAME:
            problems.append(
                Problem(
                    sheet_row.number,
                    COL_NAME,
                    _("the name is longer than {limit} characters").format(limit=service.MAX_NAME),
                )
            )
            continue
        if titles and max(len(title) for title in titles) > service.MAX_TITLE:
            problems.append(
                Problem(
                    sheet_row.number,
                    COL_TITLES,
                    _("a title is longer than {limit} characters").format(limit=service.MAX_TITLE),
                )
            )
            continue
        rows.append(
            RosterRow(
                row=sheet_row.number,
                name=name,
                role=role,
                office_role=office,
                titles=titles,
                phone=values.get(COL_PHONE),
            )
        )
    directors = [r for r in rows if r.office_role == OfficeRole.DIRECTOR]
    for extra in directors[1:]:
        problems.append(
            Problem(
                extra.row,
                COL_ROLE,
                _("only one office director is possible; row {first} names {name}").format(
                    first=directors[0].row, name=directors[0].name
                ),
            )
        )
    if problems:
        raise InterchangeError(problems)
    if not rows:
        raise InterchangeError([Problem(None, COL_NAME, _("the file lists no members"))])
    return table.title, rows


def group_name_from_title(title: str | None) -> str | None:
    if not title:
        return None
    name = re.sub(r"\s+", "", title)
    for suffix in TITLE_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)] or None
    return None


# ---------------------------------------------------------------------------- planning


def _differences(line: RosterLine, row: CompleteRow) -> list[str]:
    details = []
    if line.role != row.role or line.office_role != row.office_role:
        details.append(
            _("group role: {old} → {new}").format(
                old=role_text(line.role, line.office_role),
                new=role_text(row.role, row.office_role),
            )
        )
    if line.titles != row.titles:
        details.append(
            _("titles: {old} → {new}").format(
                old=line.titles_text or "—", new="、".join(row.titles) or "—"
            )
        )
    if line.phone != row.phone:
        details.append(
            _("phone: {old} → {new}").format(old=line.phone or "—", new=row.phone or "—")
        )
    return details


def plan_import(path: str | Path, effective: dt.date) -> ImportPlan:
    """Read ``path`` and compare it with the roster as of ``effective``; writes nothing."""
    path = Path(path)
    title, rows = read_roster_file(path)
    current = service.roster_as_of(effective)
    plan = ImportPlan(source=path, effective=effective, rows=rows, basis=hash(current.lines))
    by_name = {line.name: line for line in current.lines}
    in_file = {row.name for row in rows}
    ranks: dict[str, int] = {}  # each member's role rank once the file is applied
    returning = _returning([row.name for row in rows if row.name not in by_name], effective)
    for file_row in rows:
        line = by_name.get(file_row.name)
        row = file_row.completed(line)
        if line is None and row.name in returning:
            row = _completed_returning(file_row, row, *returning[row.name])
        ranks[row.name] = row.role.rank
        if line is None:
            details = [role_text(row.role, row.office_role)]
            if row.titles:
                details.append("、".join(row.titles))
            plan.changes.append(PlannedChange(ChangeKind.ADD, row.name, tuple(details), row))
            continue
        details = _differences(line, row)
        if details:
            plan.changes.append(
                PlannedChange(ChangeKind.CHANGE, row.name, tuple(details), row, line.membership_id)
            )
    for line in current.lines:
        if line.name not in in_file:
            plan.changes.append(
                PlannedChange(
                    ChangeKind.LEAVE,
                    line.name,
                    (_("last day {date}").format(date=format_date(effective - ONE_DAY)),),
                    None,
                    line.membership_id,
                )
            )
    _refuse_later_places(plan, effective)
    plan.reorder = _reorders(current.lines, rows, ranks)
    suggested = group_name_from_title(title)
    never_had_members = not GroupMembership.select().exists()
    if suggested and never_had_members and suggested != current.group_name:
        plan.group_name = suggested
    return plan


def _people_named(names: Sequence[str]) -> dict[str, Person]:
    """The people the database already knows by these names (the first entered, if several)."""
    people: dict[str, Person] = {}
    for chunk in chunks(list(names)):
        for person in Person.select().where(Person.name.in_(chunk)).order_by(Person.id.desc()):
            people[person.name] = person
    return people


def _returning(names: Sequence[str], day: dt.date) -> dict[str, tuple[tuple[str, ...], str]]:
    """Newcomers the database already knows: their titles held on ``day`` and their phone."""
    people = _people_named(names)
    titles = titles_by_person((person.id for person in people.values()), day)
    return {
        name: (tuple(titles.get(person.id, ())), person.phone or "")
        for name, person in people.items()
    }


def _completed_returning(
    file_row: RosterRow, row: CompleteRow, titles: tuple[str, ...], phone: str
) -> CompleteRow:
    """A newcomer the database knows keeps the titles and phone the file has no column for.

    Completed like a stranger, they would lose their titles (the import sets a newcomer's
    titles) without the plan saying so, and a second import of the same file would change
    them again.
    """
    return replace(
        row,
        titles=row.titles if file_row.titles is not None else titles,
        phone=row.phone if file_row.phone is not None else phone,
    )


def _reorders(
    lines: Sequence[RosterLine], rows: Sequence[RosterRow], ranks: dict[str, int]
) -> bool:
    """Whether following the file's order moves any member who stays in the group.

    The roster is printed by role first and by place within a role, so only the order within
    a role can follow the file: a file listing a 成员 above a 副组长 asks for nothing more,
    and comparing it name by name would report a reorder on every import of that file.
    """
    staying = [line for line in lines if line.name in ranks]
    position = {row.name: index for index, row in enumerate(rows)}
    kept = sorted(staying, key=lambda ln: (ranks[ln.name], ln.sort_order, ln.membership_id))
    followed = sorted(staying, key=lambda ln: (ranks[ln.name], position[ln.name]))
    return [ln.name for ln in kept] != [ln.name for ln in followed]


def _refuse_later_places(plan: ImportPlan, effective: dt.date) -> None:
    """A newcomer already entered from a later day would hold two places at once."""
    rows = {c.name: c.row for c in plan.changes if c.kind == ChangeKind.ADD and c.row}
    problems = []
    names = list(rows)
    for chunk in chunks(names):
        later = (
            GroupMembership.select(GroupMembership.start_date, Person.name)
            .join(Person)
            .where(Person.name.in_(chunk))
            .where(GroupMembership.start_date > effective)
        )
        for membership in later:
            row = rows[membership.person.name]
            assert row is not None
            problems.append(
                Problem(
                    row.row,
                    COL_NAME,
                    _("{name} is already entered in the group from {date}").format(
                        name=row.name, date=format_date(membership.start_date)
                    ),
                )
            )
    if problems:
        raise InterchangeError(sorted(problems, key=lambda p: p.row or 0))


# ---------------------------------------------------------------------------- applying


def apply_plan(plan: ImportPlan) -> None:
    """Write the plan in one transaction: every change, or (on any error) none."""
    day = plan.effective
    with database_proxy.atomic():
        # The preview may have stood open while another program changed the roster.
        if hash(service.roster_as_of(day).lines) != plan.basis:
            raise service.RosterError(
                {
                    "file": _(
                        "The roster changed after the preview was made; import the file again "
                        "to see the changes it would make now."
                    )
                }
            )
        if plan.group_name is not None:
            group = service.get_group()
            service.update_group(plan.group_name, group.office_location)
        for change in plan.changes:
            if change.kind == ChangeKind.LEAVE and change.membership_id is not None:
                end_before(GroupMembership.get_by_id(change.membership_id), day)
        units = UnitMatcher()
        updates = [c for c in plan.changes if c.kind == ChangeKind.CHANGE]
        # Members giving up an office role go first, so the one taking it over never clashes.
        updates.sort(key=lambda c: c.row is not None and c.row.office_role is not None)
        for change in updates:
            assert change.row is not None and change.membership_id is not None
            service.update_member(
                change.membership_id, change.row.as_input(), day, units=units, checked=True
            )
        newcomers = [c.row for c in plan.changes if c.kind == ChangeKind.ADD and c.row]
        if plan.partial:
            positions = _places_after_current(newcomers, day)
        else:
            positions = {row.name: index for index, row in enumerate(plan.rows, start=1)}
        _add_newcomers(newcomers, day, units, positions)
        if not plan.partial:
            _follow_file_order(positions, day)
        # Titles may have changed hands: the matrix's posts follow their holders.
        follow_post_holders(day)


def _places_after_current(rows: Sequence[CompleteRow], day: dt.date) -> dict[str, int]:
    """Places for newcomers of a partial file: after everyone already in the group."""
    last = max((line.sort_order for line in service.roster_as_of(day).lines), default=0)
    return {row.name: last + index for index, row in enumerate(rows, start=1)}


def _add_newcomers(
    rows: Sequence[CompleteRow], day: dt.date, units: UnitMatcher, positions: dict[str, int]
) -> None:
    """Add the file's newcomers; thousands of rows take a handful of statements, not thousands."""
    if not rows:
        return
    people = _people_named([row.name for row in rows])
    # People the database already knows keep their history of titles: the careful path.
    for row in rows:
        person = people.get(row.name)
        if person is not None:
            service.add_member(
                row.as_input(),
                day,
                sort_order=positions[row.name],
                units=units,
                person=person,
                checked=True,
            )
            # add_member keeps a known phone when given none; the file's empty phone cell
            # clears it, as it does for a member who stays (the row was completed from the
            # person, so without a phone column this keeps the phone they had).
            if (person.phone or "") != row.phone:
                Person.update(phone=row.phone).where(Person.id == person.id).execute()
    strangers = [row for row in rows if row.name not in people]
    if not strangers:
        return
    # Field lists with tuples: peewee builds far less per value than with dicts.
    last_id = Person.select(fn.MAX(Person.id)).scalar() or 0
    insert_rows(Person, [(r.name, r.phone) for r in strangers], fields=(Person.name, Person.phone))
    new_ids = {
        person.name: person.id
        for person in Person.select(Person.id, Person.name).where(Person.id > last_id)
    }
    insert_rows(
        Post,
        fields=(Post.person, Post.title, Post.unit, Post.kind, Post.sort_order, Post.start_date),
        rows=[
            (new_ids[row.name], title, units.unit_id(title), units.post_kind(title), order, day)
            for row in strangers
            for order, title in enumerate(row.titles)
        ],
    )
    group_id = service.get_group(create=True).id
    insert_rows(
        GroupMembership,
        fields=(
            GroupMembership.group,
            GroupMembership.person,
            GroupMembership.role,
            GroupMembership.office_role,
            GroupMembership.sort_order,
            GroupMembership.start_date,
        ),
        rows=[
            (
                group_id,
                new_ids[row.name],
                row.role.value,
                row.office_role.value if row.office_role else None,
                positions[row.name],
                day,
            )
            for row in strangers
        ],
    )


def _follow_file_order(position: dict[str, int], day: dt.date) -> None:
    """Members take the file's order from ``day`` on; earlier rosters keep theirs."""
    for line in service.roster_as_of(day).lines:
        wanted = position.get(line.name)
        if wanted is not None and line.sort_order != wanted:
            service.set_place(line, wanted, day)


def import_roster(path: str | Path, effective: dt.date) -> ImportPlan:
    plan = plan_import(path, effective)
    if not plan.is_empty:
        apply_plan(plan)
    return plan


# ---------------------------------------------------------------------------- exporting


def export_rows(snapshot: RosterSnapshot) -> list[list[object]]:
    return [
        [index, line.name, role_text(line.role, line.office_role), line.titles_text, line.phone]
        for index, line in enumerate(snapshot.lines, start=1)
    ]


def export_roster(path: str | Path, day: dt.date) -> int:
    """Write the roster as of ``day``; the number of members written."""
    snapshot = service.roster_as_of(day)
    write_table(
        Path(path),
        [spec.name for spec in COLUMNS],
        export_rows(snapshot),
        title=f"{snapshot.group_name}成员名单",
        sheet_name="领导小组成员",
    )
    return len(snapshot.lines)
