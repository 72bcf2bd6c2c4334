"""The demo leading group and about three years of its history, made with the roster service.

Formed about three years before ``today`` with the party secretary as 组长 and the township
head as 常务副组长; a year later the township head is transferred and succeeded and villages
elect new secretaries; a year after that the group turns to two 组长 (党政同责), a deputy
leaves and a new one joins; lately the safety office's director hands over.  The service
functions write all of it, so the history is exactly what a clerk's edits would leave.
"""

from __future__ import annotations

import datetime as dt

from app.demo.organisation import OFFICE_LOCATION, SAFETY_OFFICE, TOWNSHIP_NAME
from app.demo.world import DemoPerson, DemoWorld
from app.org.kinds import PostKind, UnitKind
from app.org.people import UnitMatcher, set_titles, titles_by_person
from app.responsibility.assignments import end_areas, set_level
from app.responsibility.matrix import pass_entries
from app.roster import service
from app.roster.roles import GroupRole, OfficeRole
from app.storage.models import GroupMembership, Person, Post

DAY = dt.timedelta(days=1)


def formation_day(today: dt.date) -> dt.date:
    """About three years before ``today`` (a little more, so "two years ago" is still year one)."""
    try:
        three_years = today.replace(year=today.year - 3)
    except ValueError:  # 29 February
        three_years = today.replace(year=today.year - 3, day=28)
    return three_years - dt.timedelta(days=20)


def build_group(world: DemoWorld) -> None:
    formed = world.group_formed
    assert formed is not None and world.township is not None
    service.update_group(f"{TOWNSHIP_NAME}安全生产领导小组", OFFICE_LOCATION)
    units = UnitMatcher()
    members = _founding_members(world)
    for order, (person, role, office) in enumerate(members, start=1):
        service.add_member(
            _input(person, role, office, person.titles),
            formed,
            sort_order=order,
            units=units,
            person=Person.get_by_id(person.id),
            checked=True,
        )
    _first_year(world, formed + dt.timedelta(days=365 + 45))
    _second_year(world, formed + dt.timedelta(days=2 * 365 + 10))
    _lately(world, world.today - dt.timedelta(days=60))
    world.counts["group_members"] = len(service.roster_as_of(world.today).lines)


def _founding_members(
    world: DemoWorld,
) -> list[tuple[DemoPerson, GroupRole, OfficeRole | None]]:
    members: list[tuple[DemoPerson, GroupRole, OfficeRole | None]] = []
    (secretary,) = world.people_of(PostKind.PARTY_SECRETARY)
    (head,) = world.people_of(PostKind.TOWNSHIP_HEAD)
    (safety,) = world.people_of(PostKind.SAFETY_DEPUTY)
    members.append((secretary, GroupRole.LEADER, None))
    members.append((head, GroupRole.EXECUTIVE_DEPUTY, None))
    members.append((safety, GroupRole.DEPUTY, None))
    members.extend((p, GroupRole.DEPUTY, None) for p in world.people_of(PostKind.DEPUTY))
    in_group = {person.id for person, _role, _office in members}
    for unit in world.units_of(UnitKind.DEPARTMENT):
        person = world.holder(unit.id, PostKind.DEPARTMENT_HEAD)
        if person is None:
            continue
        office = OfficeRole.DIRECTOR if unit.name == SAFETY_OFFICE else None
        members.append((person, GroupRole.MEMBER, office))
        in_group.add(person.id)
        if unit.name == SAFETY_OFFICE:
            deputy = world.holder(unit.id, PostKind.DEPARTMENT_STAFF)
            if deputy is not None:
                members.append((deputy, GroupRole.MEMBER, OfficeRole.DEPUTY_DIRECTOR))
                in_group.add(deputy.id)
    for unit in world.units_of(UnitKind.VILLAGE, UnitKind.COMMUNITY):
        person = world.holder(unit.id, PostKind.VILLAGE_SECRETARY)
        if person is not None and person.id not in in_group:
            members.append((person, GroupRole.MEMBER, None))
            in_group.add(person.id)
    return members


def _input(
    person: DemoPerson | Person,
    role: GroupRole,
    office: OfficeRole | None,
    titles: list[str],
) -> service.MemberInput:
    return service.MemberInput(
        name=person.name, role=role, office_role=office, titles=tuple(titles), phone=person.phone
    )


def _current(person_id: int, day: dt.date) -> GroupMembership:
    membership: GroupMembership = (
        GroupMembership.select()
        .where(
            (GroupMembership.person == person_id)
            & (GroupMembership.start_date <= day)
            & (GroupMembership.end_date.is_null() | (GroupMembership.end_date >= day))
        )
        .get()
    )
    return membership


def _change_role(person_id: int, role: GroupRole, day: dt.date) -> int:
    membership = _current(person_id, day)
    person = membership.person
    titles = titles_by_person([person.id], day)[person.id]
    office = OfficeRole(membership.office_role) if membership.office_role else None
    return service.update_member(
        membership.id, _input(person, role, office, titles), day, checked=True
    )


def _first_year(world: DemoWorld, day: dt.date) -> None:
    """The township head is transferred; some villages elect new secretaries; a reorder."""
    names = world.names
    (head,) = world.people_of(PostKind.TOWNSHIP_HEAD)
    service.hand_over(_current(head.id, day).id, names.person(), day, phone=names.phone())
    villages = world.units_of(UnitKind.VILLAGE, UnitKind.COMMUNITY)
    for unit in villages[1 : 1 + 2 * world.scale]:
        secretary = world.holder(unit.id, PostKind.VILLAGE_SECRETARY)
        if secretary is None:
            continue
        service.hand_over(
            _current(secretary.id, day).id,
            names.person(),
            day + dt.timedelta(days=14),
            phone=names.phone(),
        )
    # The 人大主席 is listed before the full-time deputy secretary from now on.
    chair = next(p for p in world.people_of(PostKind.DEPUTY) if p.titles == ["镇人大主席"])
    service.move_member(_current(chair.id, day).id, -1, day)


def _second_year(world: DemoWorld, day: dt.date) -> None:
    """Two 组长 from now on; the 武装部长 leaves; months later a new 副镇长 joins."""
    successor = _current_holder("镇长", day)
    _change_role(successor, GroupRole.LEADER, day)
    (safety,) = world.people_of(PostKind.SAFETY_DEPUTY)
    _change_role(safety.id, GroupRole.EXECUTIVE_DEPUTY, day)

    leaving = next(p for p in world.people_of(PostKind.DEPUTY) if "武装部长" in p.titles)
    last_day = day + dt.timedelta(days=30)
    service.end_membership(_current(leaving.id, last_day).id, last_day)
    set_titles(Person.get_by_id(leaving.id), [], last_day + DAY)
    # The departments and villages the leaver answered for wait for the newcomer.
    vacant = end_areas(leaving.id, last_day)

    joined = last_day + dt.timedelta(days=120)
    assert world.township is not None
    newcomer = Person.create(name=world.names.person(), phone=world.names.phone())
    Post.insert_many(
        [
            {
                "person": newcomer.id,
                "title": "镇党委委员",
                "unit": world.township.id,
                "kind": PostKind.OTHER.value,
                "sort_order": 0,
                "start_date": joined,
            },
            {
                "person": newcomer.id,
                "title": "武装部长",
                "unit": world.township.id,
                "kind": PostKind.DEPUTY.value,
                "sort_order": 1,
                "start_date": joined,
            },
        ]
    ).execute()
    service.add_member(
        _input(newcomer, GroupRole.DEPUTY, None, ["镇党委委员", "武装部长"]),
        joined,
        person=newcomer,
        checked=True,
    )
    for line in vacant:
        set_level(newcomer.id, line.unit_id, line.level, joined, source=line.source)
    pass_entries(leaving.id, newcomer.id)  # the 分工表 names the newcomer from now on


def _lately(world: DemoWorld, day: dt.date) -> None:
    """The safety office's director hands over to a successor (keeping the office role)."""
    director = _current_holder(f"{SAFETY_OFFICE}主任", day)
    service.hand_over(
        _current(director, day).id, world.names.person(), day, phone=world.names.phone()
    )


def _current_holder(title: str, day: dt.date) -> int:
    post = (
        Post.select(Post.person)
        .where(
            (Post.title == title)
            & (Post.start_date <= day)
            & (Post.end_date.is_null() | (Post.end_date >= day))
        )
        .get()
    )
    return int(post.person_id)
