"""The units the responsibility system is about: read, add, change, delete, and the two fixes
an enterprise may need (its supervising department, its safety manager).

Every write runs in one transaction and validates first; a problem comes back as a UnitError
that maps a field to its message, so a dialog can show each message beside its field.  A
unit that still carries history (people's posts, assignments, enterprises) is never deleted:
"who answered for 常青村 on 2024-06-30" must stay answerable.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, replace

from peewee import JOIN, fn

from app.i18n import _, ngettext
from app.io.text import normalize_name
from app.org.kinds import PostKind, RiskClass, UnitKind
from app.storage.db import database_proxy
from app.storage.models import (
    Assignment,
    LeadingGroup,
    MatrixEntry,
    Person,
    Post,
    Unit,
    active_on,
)

MAX_NAME = 120
MAX_PERSON_NAME = 60
MAX_PHONE = 40
MAX_TITLE = 120
# Unit.employees is an SQLite INTEGER; no township enterprise comes near this, and a number
# beyond it is a slip of the keyboard (or would not even fit the column).
MAX_EMPLOYEES = 1_000_000
GENERAL = "_general"  # the key of a problem that belongs to no single field

# The order units are listed in, and where a new unit of each kind starts numbering.
KIND_ORDER: tuple[UnitKind, ...] = (
    UnitKind.TOWNSHIP,
    UnitKind.DEPARTMENT,
    UnitKind.VILLAGE,
    UnitKind.COMMUNITY,
    UnitKind.INDUSTRY,
    UnitKind.ENTERPRISE,
    UnitKind.OTHER,
)
_FIRST_SORT_ORDER = {
    UnitKind.TOWNSHIP: 0,
    UnitKind.DEPARTMENT: 1,
    UnitKind.VILLAGE: 101,
    UnitKind.COMMUNITY: 101,
    UnitKind.INDUSTRY: 501,
    UnitKind.ENTERPRISE: 1001,
    UnitKind.OTHER: 2001,
}
TERRITORIAL = (UnitKind.VILLAGE, UnitKind.COMMUNITY)
# Where an enterprise can sit (属地): a village, a community, or the township itself.
HOST_KINDS = (UnitKind.TOWNSHIP, *TERRITORIAL)
# Kinds a person can answer for (app.responsibility.assignments.AREA_KINDS, without the
# import: the responsibility area builds on this one).
_AREA_KINDS = (
    UnitKind.TOWNSHIP,
    UnitKind.DEPARTMENT,
    UnitKind.VILLAGE,
    UnitKind.COMMUNITY,
    UnitKind.INDUSTRY,
)
SAFETY_MANAGER_KINDS = (PostKind.ENTERPRISE_SAFETY_MANAGER, PostKind.SAFETY_OFFICER)


class UnitError(Exception):
    """A change to the units that cannot be made; ``errors`` maps a field to its reason."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("\n".join(errors.values()))


# ---------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class UnitLine:
    """One unit as the units list shows it (names resolved, safety managers on a day)."""

    id: int
    name: str
    kind: UnitKind
    sort_order: int
    parent_id: int | None = None
    parent_name: str = ""
    industry_id: int | None = None
    industry_name: str = ""
    supervisor_id: int | None = None
    supervisor_name: str = ""
    employees: int | None = None
    risk_class: RiskClass | None = None
    safety_managers: tuple[str, ...] = ()
    notes: str = ""


@dataclass(frozen=True)
class UnitChoice:
    """A unit offered in a list of choices (host villages, industries, departments)."""

    id: int
    name: str
    kind: UnitKind


def _kind_rank(kind: str) -> int:
    try:
        return KIND_ORDER.index(UnitKind(kind))
    except ValueError:
        return len(KIND_ORDER)


def _unit_kind(code: str) -> UnitKind:
    try:
        return UnitKind(code)
    except ValueError:
        return UnitKind.OTHER


def _risk_class(code: str | None) -> RiskClass | None:
    try:
        return RiskClass(code) if code else None
    except ValueError:
        return None


def unit_lines(day: dt.date) -> list[UnitLine]:
    """Every unit, kind by kind in the township's order, with its safety managers on ``day``."""
    parent = Unit.alias("parent")
    industry = Unit.alias("industry")
    supervisor = Unit.alias("supervisor")
    query = (
        Unit.select(
            Unit.id,
            Unit.name,
            Unit.kind,
            Unit.sort_order,
            Unit.parent,
            parent.name,
            Unit.industry,
            industry.name,
            Unit.supervisor,
            supervisor.name,
            Unit.employees,
            Unit.risk_class,
            Unit.notes,
        )
        .join(parent, JOIN.LEFT_OUTER, on=Unit.parent == parent.id)
        .switch(Unit)
        .join(industry, JOIN.LEFT_OUTER, on=Unit.industry == industry.id)
        .switch(Unit)
        .join(supervisor, JOIN.LEFT_OUTER, on=Unit.supervisor == supervisor.id)
        .tuples()
    )
    managers = safety_managers_on(day)
    lines = [
        UnitLine(
            id=uid,
            name=name,
            kind=_unit_kind(kind),
            sort_order=sort_order,
            parent_id=parent_id,
            parent_name=parent_name or "",
            industry_id=industry_id,
            industry_name=industry_name or "",
            supervisor_id=supervisor_id,
            supervisor_name=supervisor_name or "",
            employees=employees,
            risk_class=_risk_class(risk),
            safety_managers=tuple(managers.get(uid, ())),
            notes=notes or "",
        )
        for (
            uid,
            name,
            kind,
            sort_order,
            parent_id,
            parent_name,
            industry_id,
            industry_name,
            supervisor_id,
            supervisor_name,
            employees,
            risk,
            notes,
        ) in query
    ]
    lines.sort(key=lambda line: (_kind_rank(line.kind), line.sort_order, line.id))
    return lines


def safety_managers_on(day: dt.date) -> dict[int, list[str]]:
    """Unit id → the names of its safety managers (or safety officers) on ``day``."""
    query = (
        Post.select(Post.unit, Person.name)
        .join(Person)
        .where(
            active_on(Post, day)
            & Post.unit.is_null(False)
            & Post.kind.in_([kind.value for kind in SAFETY_MANAGER_KINDS])
        )
        .order_by(Post.unit, Post.start_date, Post.id)
        .tuples()
    )
    result: dict[int, list[str]] = {}
    for unit_id, name in query:
        names = result.setdefault(unit_id, [])
        if name not in names:
            names.append(name)
    return result


def units_of(*kinds: UnitKind) -> list[UnitChoice]:
    """The units of these kinds, kind by kind in the township's order."""
    query = (
        Unit.select(Unit.id, Unit.name, Unit.kind, Unit.sort_order)
        .where(Unit.kind.in_([kind.value for kind in kinds]))
        .tuples()
    )
    rows = sorted(query, key=lambda row: (_kind_rank(row[2]), row[3], row[0]))
    return [UnitChoice(uid, name, UnitKind(kind)) for uid, name, kind, _order in rows]


def township() -> Unit | None:
    return (
        Unit.select()
        .where((Unit.kind == UnitKind.TOWNSHIP.value) & Unit.parent.is_null())
        .order_by(Unit.id)
        .first()
    )


# ---------------------------------------------------------------------------- checking


@dataclass(frozen=True)
class UnitInput:
    """What the clerk enters for one unit.

    For an enterprise: the host village or community (``parent_id``; None puts it directly
    under the township), its industry (an existing one by id, or a new one by name), the
    supervising department, employees and risk class.  Other kinds sit under the township.
    """

    name: str
    kind: UnitKind
    parent_id: int | None = None
    industry_id: int | None = None
    new_industry: str = ""
    supervisor_id: int | None = None
    employees: int | None = None
    risk_class: RiskClass | None = None
    notes: str = ""

    def cleaned(self) -> UnitInput:
        enterprise = self.kind == UnitKind.ENTERPRISE
        new_industry = normalize_name(self.new_industry) if enterprise else ""
        return replace(
            self,
            name=normalize_name(self.name),
            parent_id=self.parent_id if enterprise else None,
            industry_id=self.industry_id if enterprise and not new_industry else None,
            new_industry=new_industry,
            supervisor_id=self.supervisor_id if enterprise else None,
            employees=self.employees if enterprise else None,
            risk_class=self.risk_class if enterprise else None,
            notes=self.notes.strip(),
        )


def parse_employees(text: str) -> int | None:
    """The number of employees as typed: empty is "not known"; else a whole number ≥ 0."""
    cleaned = text.strip().replace(",", "").replace("，", "")
    if not cleaned:
        return None
    # Full-width digits (from a Chinese input method) count as digits.
    cleaned = cleaned.translate({ord("０") + n: ord("0") + n for n in range(10)})
    if not cleaned.isascii() or not cleaned.isdigit():
        raise UnitError({"employees": _("Enter the number of employees as a whole number.")})
    # Compare lengths first: a pasted run of thousands of digits is no number Python reads.
    digits = cleaned.lstrip("0") or "0"
    if len(digits) > len(str(MAX_EMPLOYEES)) or int(digits) > MAX_EMPLOYEES:
        raise UnitError({"employees": _too_many_employees()})
    return int(digits)


def _too_many_employees() -> str:
    return _("The number of employees cannot be more than {limit}.").format(
        limit=f"{MAX_EMPLOYEES:,}"
    )


def _parent_for(data: UnitInput, current: Unit | None = None) -> int | None:
    """Where a unit of this input sits: an enterprise's host, else the township (a unit
    being edited that keeps its kind also keeps its place)."""
    if data.kind == UnitKind.ENTERPRISE and data.parent_id is not None:
        return data.parent_id
    if data.kind == UnitKind.TOWNSHIP:
        return None
    if current is not None and current.kind == data.kind.value != UnitKind.ENTERPRISE.value:
        return current.parent_id
    top = township()
    return top.id if top is not None else None


def validate_unit(data: UnitInput, *, editing: int | None = None) -> dict[str, str]:
    """Field → reason for every problem with ``data``; empty if it can be saved."""
    data = data.cleaned()
    errors: dict[str, str] = {}
    current = Unit.get_or_none(Unit.id == editing) if editing is not None else None
    if editing is not None and current is None:
        return {GENERAL: _("The unit no longer exists.")}

    if not data.name:
        errors["name"] = _("Enter the unit's name.")
    elif len(data.name) > MAX_NAME:
        errors["name"] = _("The name is longer than {limit} characters.").format(limit=MAX_NAME)

    kind_error = _kind_problem(data, current)
    if kind_error:
        errors["kind"] = kind_error

    parent_id = _parent_for(data, current)
    if data.kind == UnitKind.ENTERPRISE and data.parent_id is not None:
        host = Unit.get_or_none(Unit.id == data.parent_id)
        if host is None or host.kind not in {kind.value for kind in HOST_KINDS}:
            errors["parent"] = _("Choose the village or community the enterprise is in.")
    if "name" not in errors and "parent" not in errors:
        same = Unit.select(Unit.id, Unit.kind).where(Unit.name == data.name)
        same = same.where(Unit.parent.is_null() if parent_id is None else Unit.parent == parent_id)
        if editing is not None:
            same = same.where(Unit.id != editing)
        clash = same.first()
        if clash is not None:
            errors["name"] = _("There is already a unit called {name} in the same place.").format(
                name=data.name
            )

    if data.kind == UnitKind.ENTERPRISE:
        if data.new_industry:
            if len(data.new_industry) > MAX_NAME:
                errors["industry"] = _(
                    "The industry's name is longer than {limit} characters."
                ).format(limit=MAX_NAME)
        elif data.industry_id is not None:
            industry = Unit.get_or_none(Unit.id == data.industry_id)
            if industry is None or industry.kind != UnitKind.INDUSTRY.value:
                errors["industry"] = _("The industry chosen no longer exists; choose another.")
        if data.supervisor_id is not None:
            supervisor = Unit.get_or_none(Unit.id == data.supervisor_id)
            if supervisor is None or supervisor.kind != UnitKind.DEPARTMENT.value:
                errors["supervisor"] = _("The department chosen no longer exists; choose another.")
        if data.employees is not None and data.employees < 0:
            errors["employees"] = _("The number of employees cannot be negative.")
        elif data.employees is not None and data.employees > MAX_EMPLOYEES:
            errors["employees"] = _too_many_employees()
    return errors


def _kind_problem(data: UnitInput, current: Unit | None) -> str:
    """Why the unit cannot be (or become) of ``data.kind``; empty if it can."""
    kind = data.kind
    if current is None:
        if kind == UnitKind.TOWNSHIP and township() is not None:
            return _("There is already a township; a database keeps one.")
        return ""
    old = current.kind
    if old == kind.value:
        return ""
    if UnitKind.TOWNSHIP.value in (old, kind.value):
        return _("The township stays the township; its kind cannot change.")
    name = current.name
    if kind == UnitKind.ENTERPRISE:
        if Assignment.select().where(Assignment.unit == current.id).exists():
            return _(
                "People answer for {unit} at a responsibility level; an enterprise answers "
                "through its supervising department instead. End those assignments first."
            ).format(unit=name)
        if Unit.select().where(Unit.parent == current.id).exists():
            return _("Other units are under {unit}; an enterprise cannot hold units.").format(
                unit=name
            )
    hosted = _count(Unit.select().where(Unit.parent == current.id))
    if hosted and kind.value not in {k.value for k in HOST_KINDS}:
        return ngettext(
            "{count} unit is located in {unit}; move it first.",
            "{count} units are located in {unit}; move them first.",
            hosted,
        ).format(count=hosted, unit=name)
    if old == UnitKind.INDUSTRY.value:
        members = _count(Unit.select().where(Unit.industry == current.id))
        if members:
            return ngettext(
                "{count} enterprise belongs to the industry {unit}; change it first.",
                "{count} enterprises belong to the industry {unit}; change them first.",
                members,
            ).format(count=members, unit=name)
    if old == UnitKind.DEPARTMENT.value:
        supervised = _count(Unit.select().where(Unit.supervisor == current.id))
        if supervised:
            return ngettext(
                "{unit} supervises {count} enterprise; give it another department first.",
                "{unit} supervises {count} enterprises; give them another department first.",
                supervised,
            ).format(count=supervised, unit=name)
    if kind.value not in {k.value for k in _AREA_KINDS} and (
        Assignment.select().where(Assignment.unit == current.id).exists()
    ):
        return _(
            "People answer for {unit} at a responsibility level; a unit of this kind cannot "
            "be answered for. End those assignments first."
        ).format(unit=name)
    return ""


def _count(query: object) -> int:
    return int(query.count())  # type: ignore[attr-defined]


def _raise_if_invalid(data: UnitInput, editing: int | None = None) -> None:
    errors = validate_unit(data, editing=editing)
    if errors:
        raise UnitError(errors)


# ---------------------------------------------------------------------------- changing


def _next_sort_order(kind: UnitKind) -> int:
    last = Unit.select(fn.MAX(Unit.sort_order)).where(Unit.kind == kind.value).scalar()
    return _FIRST_SORT_ORDER[kind] if last is None else int(last) + 1


def find_or_create_industry(name: str) -> int:
    """The industry (a unit of kind industry) of that name, created under the township if new."""
    name = normalize_name(name)
    if not name:
        raise UnitError({"industry": _("Enter the industry's name.")})
    with database_proxy.atomic():
        found = (
            Unit.select(Unit.id)
            .where((Unit.kind == UnitKind.INDUSTRY.value) & (Unit.name == name))
            .order_by(Unit.id)
            .first()
        )
        if found is not None:
            return int(found.id)
        parent_id = _parent_for(UnitInput(name, UnitKind.INDUSTRY))
        clash = Unit.select().where(
            (Unit.name == name)
            & (Unit.parent.is_null() if parent_id is None else Unit.parent == parent_id)
        )
        if clash.exists():
            raise UnitError(
                {
                    "industry": _(
                        "{name} is already the name of another unit; name the industry differently."
                    ).format(name=name)
                }
            )
        unit = Unit.create(
            name=name,
            kind=UnitKind.INDUSTRY.value,
            parent=parent_id,
            sort_order=_next_sort_order(UnitKind.INDUSTRY),
        )
        return int(unit.id)


def _values(data: UnitInput, current: Unit | None = None) -> dict[str, object]:
    industry_id = data.industry_id
    if data.kind == UnitKind.ENTERPRISE and data.new_industry:
        industry_id = find_or_create_industry(data.new_industry)
    return {
        "name": data.name,
        "kind": data.kind.value,
        "parent": _parent_for(data, current),
        "industry": industry_id,
        "supervisor": data.supervisor_id,
        "employees": data.employees,
        "risk_class": data.risk_class.value if data.risk_class else None,
        "notes": data.notes,
    }


def add_unit(data: UnitInput) -> int:
    """Store a new unit at the end of its kind; its id."""
    data = data.cleaned()
    with database_proxy.atomic():
        _raise_if_invalid(data)
        unit = Unit.create(sort_order=_next_sort_order(data.kind), **_values(data))
        return int(unit.id)


def update_unit(unit_id: int, data: UnitInput) -> None:
    """Change a unit; a unit that changes kind moves to the end of its new kind."""
    data = data.cleaned()
    with database_proxy.atomic():
        _raise_if_invalid(data, unit_id)
        unit = Unit.get_by_id(unit_id)
        values = _values(data, unit)
        if unit.kind != data.kind.value:
            values["sort_order"] = _next_sort_order(data.kind)
        Unit.update(**values).where(Unit.id == unit_id).execute()


def delete_blockers(unit_id: int) -> list[str]:
    """Why the unit cannot be deleted, one sentence each; empty if it can."""
    reasons: list[str] = []
    people = _count(Post.select(Post.person).where(Post.unit == unit_id).distinct())
    if people:
        reasons.append(
            ngettext(
                "{count} person holds or held a post in it",
                "{count} people hold or held posts in it",
                people,
            ).format(count=people)
        )
    answering = _count(
        Assignment.select(Assignment.person).where(Assignment.unit == unit_id).distinct()
    )
    if answering:
        reasons.append(
            ngettext(
                "{count} person answers or answered for it in the responsibility system",
                "{count} people answer or answered for it in the responsibility system",
                answering,
            ).format(count=answering)
        )
    children = Counter(
        kind for (kind,) in Unit.select(Unit.kind).where(Unit.parent == unit_id).tuples()
    )
    enterprises = children.pop(UnitKind.ENTERPRISE.value, 0)
    if enterprises:
        reasons.append(
            ngettext(
                "{count} enterprise is located in it",
                "{count} enterprises are located in it",
                enterprises,
            ).format(count=enterprises)
        )
    others = sum(children.values())
    if others:
        reasons.append(
            ngettext("{count} unit is under it", "{count} units are under it", others).format(
                count=others
            )
        )
    members = _count(Unit.select().where(Unit.industry == unit_id))
    if members:
        reasons.append(
            ngettext(
                "{count} enterprise belongs to this industry",
                "{count} enterprises belong to this industry",
                members,
            ).format(count=members)
        )
    supervised = _count(Unit.select().where(Unit.supervisor == unit_id))
    if supervised:
        reasons.append(
            ngettext(
                "it supervises {count} enterprise",
                "it supervises {count} enterprises",
                supervised,
            ).format(count=supervised)
        )
    if MatrixEntry.select().where(MatrixEntry.unit == unit_id).exists():
        reasons.append(_("the responsibility matrix names it"))
    if LeadingGroup.select().where(LeadingGroup.unit == unit_id).exists():
        reasons.append(_("the leading group belongs to it"))
    return reasons


def delete_message(name: str, reasons: list[str]) -> str:
    """The sentence a clerk reads when a unit cannot be deleted."""
    listed = "\n".join("• " + reason for reason in reasons)
    return _(
        "{unit} cannot be deleted, because:\n{reasons}\n\nThe records of earlier days "
        "still need it. Move or end these first."
    ).format(unit=name, reasons=listed)


def delete_unit(unit_id: int) -> None:
    """Remove a unit entered by mistake; refused (UnitError) while anything refers to it."""
    with database_proxy.atomic():
        unit = Unit.get_or_none(Unit.id == unit_id)
        if unit is None:
            return
        reasons = delete_blockers(unit_id)
        if reasons:
            raise UnitError({GENERAL: delete_message(unit.name, reasons)})
        unit.delete_instance()


# ---------------------------------------------------------------------------- choosing people
