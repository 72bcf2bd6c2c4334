"""The roster at a glance (the home page): counts and names, without building the roster.

The home page is the first thing drawn at start-up, so this asks only what it shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.org.people import ONE_DAY
from app.roster.roles import GroupRole, OfficeRole
from app.roster.service import get_group, places_on
from app.storage.models import GroupMembership, Person, active_on


@dataclass(frozen=True)
class RosterSummary:
    day: dt.date
    group_name: str
    members: int
    leaders: tuple[str, ...]  # 组长, in the township's order
    director: str | None  # 办公室主任
    last_change: dt.date | None


def last_roster_change(day: dt.date) -> dt.date | None:
    """The latest day on or before ``day`` when someone joined, changed or left."""
    joined = (
        GroupMembership.select(GroupMembership.start_date)
        .where(GroupMembership.start_date <= day)
        .order_by(GroupMembership.start_date.desc())
        .first()
    )
    left = (
        GroupMembership.select(GroupMembership.end_date)
        .where(GroupMembership.end_date < day)
        .order_by(GroupMembership.end_date.desc())
        .first()
    )
    candidates = []
    if joined is not None:
        candidates.append(joined.start_date)
    if left is not None:
        candidates.append(left.end_date + ONE_DAY)  # the first day without them
    return max(candidates) if candidates else None


def roster_summary(day: dt.date) -> RosterSummary:
    group = get_group()
    on_day = (GroupMembership.group == group) & active_on(GroupMembership, day)
    members = GroupMembership.select().where(on_day).count()
    leaders = list(
        GroupMembership.select(GroupMembership.id, GroupMembership.sort_order, Person.name)
        .join(Person)
        .where(on_day & (GroupMembership.role == GroupRole.LEADER.value))
    )
    places = places_on([m.id for m in leaders], day)
    leaders.sort(key=lambda m: (places.get(m.id, m.sort_order), m.id))
    director = (
        Person.select(Person.name)
        .join(GroupMembership)
        .where(on_day & (GroupMembership.office_role == OfficeRole.DIRECTOR.value))
        .first()
    )
    return RosterSummary(
        day=day,
        group_name=group.name,
        members=members,
        leaders=tuple(m.person.name for m in leaders),
        director=director.name if director else None,
        last_change=last_roster_change(day),
    )
