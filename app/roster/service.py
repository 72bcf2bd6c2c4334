"""The leading-group roster: read it as of any day, and change it keeping its history.

Corrections and changes differ only by their date: a change "from" the day a membership began
rewrites it in place; a change from a later day ends the old membership the day before and
starts a new one, so the roster of every earlier day stays reproducible.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from app.i18n import _, format_date
from app.io.text import normalize_name, split_titles
from app.org.kinds import UnitKind
from app.org.people import (
    ONE_DAY,
    UnitMatcher,
    add_posts,
    find_or_create_person,
    find_person,
    set_titles,
    titles_by_person,
    transfer_posts,
)
from app.roster.roles import GroupRole, OfficeRole
from app.roster.snapshot import RosterLine, RosterSnapshot
from app.storage.bulk import chunks
from app.storage.db import database_proxy
from app.storage.models import (
    GroupMembership,
    LeadingGroup,
    MembershipOrder,
    Person,
    Unit,
    active_on,
    end_before,
    overlapping,
)

MAX_NAME = 60
MAX_TITLE = 120


class RosterError(Exception):
    """A change to the roster that cannot be made; ``errors`` maps a field to its reason."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(errors.values()))


@dataclass
class MemberInput:
    """What the clerk types for one member (dialog, import row)."""

    name: str
    role: GroupRole
    office_role: OfficeRole | None = None
    titles: Sequence[str] = field(default_factory=tuple)
    phone: str = ""

    def cleaned(self) -> MemberInput:
        titles: list[str] = []
        for title in self.titles:
            for part in split_titles(title):
                if part not in titles:
                    titles.append(part)
        return MemberInput(
            name=normalize_name(self.name),
            role=self.role,
            office_role=self.office_role,
            titles=tuple(titles),
            phone=self.phone.strip(),
        )


# ---------------------------------------------------------------------------- the group itself


def township_unit() -> Unit | None:
    return (
        Unit.select()
        .where((Unit.kind == UnitKind.TOWNSHIP.value) & Unit.parent.is_null())
        .order_by(Unit.id)
        .first()
    )


def get_group(*, create: bool = False) -> LeadingGroup:
    """The township's leading group.

    Before the first member is entered there is none yet: readers get an unsaved one with a
    sensible name (reading never writes), writers pass ``create=True`` to store it.
    """
    group = LeadingGroup.select().order_by(LeadingGroup.id).first()
    if group is None:
        township = township_unit()
        name = f"{township.name}安全生产领导小组" if township else "安全生产领导小组"
        group = LeadingGroup(name=name, unit=township, office_location="")
        if create:
            group.save()
    return group


def update_group(name: str, office_location: str) -> None:
    name = name.strip()
    if not name:
        raise RosterError({"group_name": _("The group needs a name.")})
    with database_proxy.atomic():
        group = get_group(create=True)
        group.name = name
        group.office_location = office_location.strip()
        group.save()


# ---------------------------------------------------------------------------- reading


def places_on(membership_ids: Sequence[int], day: dt.date) -> dict[int, int]:
    """The reordered places in force on ``day`` (memberships never reordered are absent)."""
    places: dict[int, int] = {}
    for chunk in chunks(membership_ids):
        query = (
            MembershipOrder.select(MembershipOrder.membership, MembershipOrder.sort_order)
            .where(MembershipOrder.membership.in_(chunk) & (MembershipOrder.start_date <= day))
            .order_by(MembershipOrder.start_date)
        )
        for order in query:
            places[order.membership_id] = order.sort_order
    return places


def set_place(line: RosterLine, place: int, day: dt.date) -> None:
    """Put a member at ``place`` in the order from ``day`` on, keeping earlier days' order."""
    if day <= line.start_date:
        GroupMembership.update(sort_order=place).where(
            GroupMembership.id == line.membership_id
        ).execute()
        return
    MembershipOrder.delete().where(
        (MembershipOrder.membership == line.membership_id) & (MembershipOrder.start_date == day)
    ).execute()
    MembershipOrder.create(membership=line.membership_id, start_date=day, sort_order=place)


def roster_as_of(day: dt.date) -> RosterSnapshot:
    """The roster as it stood on ``day``: members in print order, titles held that day."""
    group = get_group()
    # Plain tuples, not model objects: a roster read is on the path of every page refresh,
    # print and import, and building thousands of model objects dominated it.
    rows = list(
        GroupMembership.select(
            GroupMembership.id,
            GroupMembership.person,
            GroupMembership.role,
            GroupMembership.office_role,
            GroupMembership.sort_order,
            GroupMembership.start_date,
            GroupMembership.end_date,
            GroupMembership.predecessor,
            Person.name,
            Person.phone,
        )
        .join(Person)
        .where((GroupMembership.group == group) & active_on(GroupMembership, day))
        .tuples()
    )
    places = places_on([row[0] for row in rows], day)
    rows.sort(key=lambda r: (GroupRole(r[2]).rank, places.get(r[0], r[4]), r[0]))
    titles = titles_by_person((row[1] for row in rows), day)
    predecessor_names: dict[int, str] = {}
    for chunk in chunks([row[7] for row in rows if row[7]]):
        query = (
            GroupMembership.select(GroupMembership.id, Person.name)
            .join(Person)
            .where(GroupMembership.id.in_(chunk))
            .tuples()
        )
        predecessor_names.update(query)
    lines = tuple(
        RosterLine(
            membership_id=mid,
            person_id=person_id,
            name=name,
            role=GroupRole(role),
            office_role=OfficeRole(office) if office else None,
            titles=tuple(titles.get(person_id, [])),
            phone=phone,
            start_date=start,
            end_date=end,
            sort_order=places.get(mid, sort_order),
            predecessor_name=predecessor_names.get(predecessor, "") if predecessor else "",
        )
        for mid, person_id, role, office, sort_order, start, end, predecessor, name, phone in rows
    )
    township = group.unit.name if group.unit_id else ""
    return RosterSnapshot(
        group_name=group.name,
        township_name=township,
        office_location=group.office_location,
        as_of=day,
        lines=lines,
    )


def membership_history(person_id: int) -> list[GroupMembership]:
    return list(
        GroupMembership.select()
        .where(GroupMembership.person == person_id)
        .order_by(GroupMembership.start_date, GroupMembership.id)
    )


# ---------------------------------------------------------------------------- checking


def validate_member(
    data: MemberInput, day: dt.date, *, editing: int | None = None
) -> dict[str, str]:
    """Field → reason for every problem with ``data`` as a member from ``day``; empty if fine."""
    errors: dict[str, str] = {}
    if not data.name:
        errors["name"] = _("Enter the member's name.")
    elif len(data.name) > MAX_NAME:
        errors["name"] = _("The name is longer than {limit} characters.").format(limit=MAX_NAME)
    long_titles = [title for title in data.titles if len(title) > MAX_TITLE]
    if long_titles:
        errors["titles"] = _("A title is longer than {limit} characters: {title}").format(
            limit=MAX_TITLE, title=long_titles[0][:20] + "…"
        )
    group = get_group()
    if data.name and "name" not in errors:
        editing_person = (
            GroupMembership.get_by_id(editing).person_id if editing is not None else None
        )
        # Not only on ``day``: a membership due to begin later would overlap this one too.
        condition = (
            (GroupMembership.group == group)
            & (Person.name == data.name)
            & overlapping(GroupMembership, day)
        )
        if editing_person is not None:
            condition &= GroupMembership.person != editing_person
        clash = (
            GroupMembership.select(GroupMembership.start_date)
            .join(Person)
            .where(condition)
            .order_by(GroupMembership.start_date)
            .first()
        )
        if clash is not None:
            errors["name"] = _("{name} is already in the group on {date}.").format(
                name=data.name, date=format_date(max(day, clash.start_date))
            )
    if data.office_role == OfficeRole.DIRECTOR:
        director = (
            Person.select(Person.name)
            .join(GroupMembership)
            .where(
                (GroupMembership.group == group)
                & active_on(GroupMembership, day)
                & (GroupMembership.office_role == OfficeRole.DIRECTOR.value)
                & (GroupMembership.id != (editing or 0))  # ids start at 1
            )
            .first()
        )
        if director is not None:
            errors["office_role"] = _(
                "{name} is already the office director; change that member first."
            ).format(name=director.name)
    return errors


def _raise_if_invalid(data: MemberInput, day: dt.date, editing: int | None = None) -> None:
    errors = validate_member(data, day, editing=editing)
    if errors:
        raise RosterError(errors)


# ---------------------------------------------------------------------------- changing


def _next_sort_order(group: LeadingGroup) -> int:
    last = (
        GroupMembership.select(GroupMembership.sort_order)
        .where(GroupMembership.group == group)
        .order_by(GroupMembership.sort_order.desc())
        .first()
    )
    return (last.sort_order + 1) if last else 1


def add_member(
    data: MemberInput,
    start: dt.date,
    *,
    sort_order: int | None = None,
    units: UnitMatcher | None = None,
    person: Person | None = None,
    checked: bool = False,
) -> int:
    """Put a person (``person``, or found by name, or new) into the group from ``start``.

    ``checked`` skips the per-member checks when the caller has checked a whole file at
    once (imports).  Returns the membership id.
    """
    data = data.cleaned()
    with database_proxy.atomic():
        if not checked:
            _raise_if_invalid(data, start)
        group = get_group(create=True)
        if person is None:
            person = find_person(data.name)
        if person is None:
            person = Person.create(name=data.name, phone=data.phone)
            add_posts(person, data.titles, start, units)
        else:
            if data.phone and person.phone != data.phone:
                person.phone = data.phone
                person.save()
            set_titles(person, data.titles, start, units)
        membership = GroupMembership.create(
            group=group,
            person=person,
            role=data.role.value,
            office_role=data.office_role.value if data.office_role else None,
            sort_order=sort_order if sort_order is not None else _next_sort_order(group),
            start_date=start,
        )
        if not checked:  # an import brings the matrix in step once, at its end
            _follow_matrix(start)
    return int(membership.id)


def _follow_matrix(day: dt.date) -> None:
    """Titles changed hands: the matrix's posts carry their fields of work to the holders."""
    from app.responsibility.matrix import follow_post_holders

    follow_post_holders(day)


def update_member(
    membership_id: int,
    data: MemberInput,
    effective: dt.date,
    *,
    units: UnitMatcher | None = None,
    checked: bool = False,
) -> int:
    """Change a member from ``effective`` on; returns the membership id that holds the change.

    Name and phone belong to the person and change everywhere; titles and the group role
    change from ``effective``, so earlier rosters still print as they were.
    """
    data = data.cleaned()
    with database_proxy.atomic():
        membership = GroupMembership.get_by_id(membership_id)
        _check_active(membership, effective)
        if not checked:
            _raise_if_invalid(data, effective, editing=membership_id)
        person = membership.person
        if person.name != data.name or person.phone != data.phone:
            person.name = data.name
            person.phone = data.phone
            person.save()
        if set_titles(person, data.titles, effective, units) and not checked:
            _follow_matrix(effective)
        office = data.office_role.value if data.office_role else None
        if membership.role == data.role.value and membership.office_role == office:
            return membership_id
        if effective <= membership.start_date:
            membership.role = data.role.value
            membership.office_role = office
            membership.save()
            return membership_id
        changed = _continue_from(
            membership, effective, role=data.role.value, office_role=office, person=person.id
        )
        return int(changed.id)


def _continue_from(membership: GroupMembership, day: dt.date, **fields: object) -> GroupMembership:
    """End ``membership`` the day before ``day`` and continue it from ``day`` with ``fields``.

    The continuation keeps the place in the order, its later reorders and its last day, so
    every day after ``day`` reads as before except for what ``fields`` change.
    """
    values: dict[str, object] = {
        "group": membership.group_id,
        "person": membership.person_id,
        "role": membership.role,
        "office_role": membership.office_role,
        "sort_order": _place_on(membership, day),
        "start_date": day,
        "end_date": membership.end_date,
        "predecessor": membership.predecessor_id,
    }
    values.update(fields)
    continuation = GroupMembership.create(**values)
    MembershipOrder.update(membership=continuation.id).where(
        (MembershipOrder.membership == membership.id) & (MembershipOrder.start_date > day)
    ).execute()
    membership.end_date = day - ONE_DAY
    membership.save()
    return continuation


def _place_on(membership: GroupMembership, day: dt.date) -> int:
    return places_on([membership.id], day).get(membership.id, membership.sort_order)


def _check_active(membership: GroupMembership, day: dt.date) -> None:
    if day < membership.start_date or (membership.end_date and day > membership.end_date):
        raise RosterError(
            {
                "date": _("{name} is not in the group on {date}.").format(
                    name=membership.person.name, date=format_date(day)
                )
            }
        )


def end_membership(membership_id: int, last_day: dt.date, *, end_areas: bool = False) -> None:
    """The member leaves the group after ``last_day``; the history stays.

    ``end_areas``: the person also stops answering for their areas (fields of work,
    patronage) after that day, and today's matrix stops naming them — someone who leaves the
    township rather than just the group.
    """
    with database_proxy.atomic():
        membership = GroupMembership.get_by_id(membership_id)
        if last_day < membership.start_date:
            raise RosterError(
                {
                    "date": _("The last day cannot be before the member joined ({date}).").format(
                        date=format_date(membership.start_date)
                    )
                }
            )
        membership.end_date = last_day
        membership.save()
        if end_areas:
            from app.responsibility.assignments import end_areas as end_person_areas
            from app.responsibility.matrix import drop_entries

            end_person_areas(membership.person_id, last_day)
            # Today's matrix no longer names someone who has gone (a later save would give
            # the areas back); one still to leave stays in it until then.
            if last_day < dt.date.today():
                drop_entries(membership.person_id)


def move_member(membership_id: int, offset: int, day: dt.date) -> bool:
    """Move a member up (−1) or down (+1) among those of the same role, from ``day`` on."""
    with database_proxy.atomic():
        lines = roster_as_of(day).lines
        moving = next((line for line in lines if line.membership_id == membership_id), None)
        if moving is None:
            return False
        block = [line for line in lines if line.role == moving.role]
        index = block.index(moving)
        if not 0 <= index + offset < len(block):
            return False
        # Keep the slots this block already uses; only who sits in them changes.
        slots = sorted(line.sort_order for line in block)
        if len(set(slots)) < len(slots):
            slots = list(range(slots[0], slots[0] + len(slots)))
        block.insert(index + offset, block.pop(index))
        for slot, line in zip(slots, block, strict=True):
            if line.sort_order != slot:
                set_place(line, slot, day)
        return True


def hand_over(
    membership_id: int,
    successor_name: str,
    from_date: dt.date,
    *,
    titles: Sequence[str] | None = None,
    phone: str = "",
    pass_areas: bool = True,
) -> int:
    """继任: from ``from_date`` the successor takes the member's place, group role and titles,
    and the areas the member answered for (fields of work, patronage); the responsibility
    matrix names the successor where it named the member.

    ``titles`` chooses which of the predecessor's titles pass over (all of them by default);
    the successor's own titles stay after them.  ``pass_areas`` False keeps the areas with the
    predecessor (who hands over one post and keeps another).  Returns the successor's
    membership id.
    """
    successor_name = normalize_name(successor_name)
    with database_proxy.atomic():
        membership = GroupMembership.get_by_id(membership_id)
        if not successor_name:
            raise RosterError({"successor": _("Enter the successor's name.")})
        if successor_name == membership.person.name:
            raise RosterError({"successor": _("The successor must be another person.")})
        if from_date <= membership.start_date or (
            membership.end_date is not None and from_date > membership.end_date
        ):
            raise RosterError(
                {
                    "date": _(
                        "The hand-over date must fall after {name} joined ({start}) "
                        "while still in the group."
                    ).format(name=membership.person.name, start=format_date(membership.start_date))
                }
            )
        predecessor = membership.person
        successor = find_or_create_person(successor_name, phone)
        # A successor already in the group (or due to join later) moves to the new place.
        for current in GroupMembership.select().where(
            (GroupMembership.person == successor)
            & (GroupMembership.group == membership.group)
            & overlapping(GroupMembership, from_date)
        ):
            end_before(current, from_date)
        transfer_posts(predecessor, successor, from_date, titles)
        # The post's fields of work and patronage pass with it (继任).  Imported here: the
        # roster is read at start-up, hand-overs are rare.
        from app.responsibility.assignments import transfer_assignments
        from app.responsibility.matrix import pass_entries

        if pass_areas:
            transfer_assignments(predecessor.id, successor.id, from_date)
            # The matrix is today's document: a hand-over still to come leaves it as it is.
            if from_date <= dt.date.today():
                pass_entries(predecessor.id, successor.id)
        new = _continue_from(membership, from_date, person=successor.id, predecessor=membership.id)
    return int(new.id)


def delete_membership(membership_id: int) -> None:
    """Remove a membership entered by mistake (not a departure: use end_membership)."""
    with database_proxy.atomic():
        GroupMembership.delete().where(GroupMembership.id == membership_id).execute()
