"""The roster's domain rules: as-of queries, history, ordering, succession, validation."""

from __future__ import annotations

import datetime as dt

import pytest

from app.roster import service
from app.roster.roles import GroupRole, OfficeRole
from app.roster.service import MemberInput, RosterError
from app.storage.models import GroupMembership, Person, Post, Unit

D = dt.date


def member(name: str, role: GroupRole = GroupRole.MEMBER, titles=(), office=None) -> MemberInput:
    return MemberInput(name=name, role=role, titles=tuple(titles), office_role=office)


def names(day: dt.date) -> list[str]:
    return [line.name for line in service.roster_as_of(day).lines]


@pytest.fixture
def group() -> None:
    township = Unit.create(name="青禾镇", kind="township")
    Unit.create(name="常青村", kind="village", parent=township)
    start = D(2023, 1, 1)
    service.add_member(member("周建国", GroupRole.LEADER, ["镇党委书记"]), start)
    service.add_member(member("吴海", GroupRole.LEADER, ["镇党委副书记", "镇长"]), start)
    service.add_member(member("郑平", GroupRole.EXECUTIVE_DEPUTY, ["副镇长"]), start)
    service.add_member(member("王丽", GroupRole.DEPUTY, ["组织委员"]), start)
    service.add_member(
        member("闫  旻", GroupRole.MEMBER, ["组织委员、常青村党总支书记、主任"]), start
    )
    service.add_member(
        member("钱多", GroupRole.MEMBER, ["应急管理办公室主任"], OfficeRole.DIRECTOR), start
    )


def test_group_takes_the_township_name(group: None) -> None:
    snapshot = service.roster_as_of(D(2024, 1, 1))
    assert snapshot.group_name == "青禾镇安全生产领导小组"
    assert snapshot.township_name == "青禾镇"


def test_roster_is_in_role_order_then_the_townships_order(group: None) -> None:
    service.add_member(member("后来的组长", GroupRole.LEADER), D(2023, 2, 1))
    lines = service.roster_as_of(D(2023, 3, 1)).lines
    assert [line.role for line in lines] == sorted(
        (line.role for line in lines), key=lambda r: r.rank
    )
    assert [line.name for line in lines][:3] == ["周建国", "吴海", "后来的组长"]


def test_padded_names_and_several_titles_in_one_cell_are_cleaned(group: None) -> None:
    line = next(ln for ln in service.roster_as_of(D(2023, 6, 1)).lines if ln.name == "闫旻")
    assert line.titles == ("组织委员", "常青村党总支书记", "主任")
    assert line.titles_text == "组织委员、常青村党总支书记、主任"
    # The title naming a known village is linked to it.
    post = Post.get(Post.title == "常青村党总支书记")
    assert post.unit.name == "常青村"


def test_roster_before_anyone_joined_is_empty(group: None) -> None:
    assert names(D(2022, 12, 31)) == []


def test_ending_a_membership_keeps_the_history(group: None) -> None:
    mid = next(
        ln.membership_id for ln in service.roster_as_of(D(2023, 6, 1)).lines if ln.name == "王丽"
    )
    service.end_membership(mid, D(2024, 6, 30))
    assert "王丽" in names(D(2024, 6, 30))
    assert "王丽" not in names(D(2024, 7, 1))
    assert GroupMembership.select().where(GroupMembership.id == mid).exists()


def test_end_before_start_is_refused(group: None) -> None:
    mid = service.roster_as_of(D(2023, 6, 1)).lines[0].membership_id
    with pytest.raises(RosterError) as caught:
        service.end_membership(mid, D(2022, 1, 1))
    assert "date" in caught.value.errors


def test_change_from_a_later_day_keeps_earlier_rosters(group: None) -> None:
    line = next(ln for ln in service.roster_as_of(D(2023, 6, 1)).lines if ln.name == "王丽")
    new_id = service.update_member(
        line.membership_id,
        member("王丽", GroupRole.EXECUTIVE_DEPUTY, ["党委副书记"]),
        D(2024, 3, 1),
    )
    assert new_id != line.membership_id
    before = next(ln for ln in service.roster_as_of(D(2024, 2, 29)).lines if ln.name == "王丽")
    after = next(ln for ln in service.roster_as_of(D(2024, 3, 1)).lines if ln.name == "王丽")
    assert (before.role, before.titles) == (GroupRole.DEPUTY, ("组织委员",))
    assert (after.role, after.titles) == (GroupRole.EXECUTIVE_DEPUTY, ("党委副书记",))
    # The place in the township's order is kept.
    assert after.sort_order == before.sort_order


def test_correction_from_the_first_day_rewrites_in_place(group: None) -> None:
    line = next(ln for ln in service.roster_as_of(D(2023, 6, 1)).lines if ln.name == "王丽")
    same = service.update_member(
        line.membership_id, member("王莉", GroupRole.DEPUTY, ["组织委员"]), D(2023, 1, 1)
    )
    assert same == line.membership_id
    assert "王莉" in names(D(2023, 1, 1)) and "王丽" not in names(D(2023, 1, 1))


def test_validation_names_the_field(group: None) -> None:
    errors = service.validate_member(member(""), D(2023, 6, 1))
    assert set(errors) == {"name"}
    errors = service.validate_member(member("周建国"), D(2023, 6, 1))
    assert "周建国" in errors["name"]
    errors = service.validate_member(member("新人", office=OfficeRole.DIRECTOR), D(2023, 6, 1))
    assert "钱多" in errors["office_role"]
    with pytest.raises(RosterError):
        service.add_member(member("周建国"), D(2023, 6, 1))
    assert Person.select().where(Person.name == "周建国").count() == 1


def test_a_person_can_rejoin_after_leaving(group: None) -> None:
    mid = next(
        ln.membership_id for ln in service.roster_as_of(D(2023, 6, 1)).lines if ln.name == "王丽"
    )
    service.end_membership(mid, D(2023, 12, 31))
    assert service.validate_member(member("王丽"), D(2024, 1, 1)) == {}


def test_moving_stays_inside_the_role_block(group: None) -> None:
    day = D(2023, 6, 1)
    wu = next(ln for ln in service.roster_as_of(day).lines if ln.name == "吴海")
    assert service.move_member(wu.membership_id, -1, day)
    assert names(day)[:2] == ["吴海", "周建国"]
    # The first leader cannot move further up; a leader never moves into the deputies.
    assert not service.move_member(wu.membership_id, -1, day)
    zhou = next(ln for ln in service.roster_as_of(day).lines if ln.name == "周建国")
    assert not service.move_member(zhou.membership_id, +1, day)


def test_hand_over_passes_place_role_and_titles(group: None) -> None:
    day = D(2024, 5, 20)
    wu = next(ln for ln in service.roster_as_of(day).lines if ln.name == "吴海")
    new_id = service.hand_over(wu.membership_id, "孙 立", day, titles=["镇长"])
    before = service.roster_as_of(day - dt.timedelta(days=1))
    after = service.roster_as_of(day)
    assert "吴海" in [ln.name for ln in before.lines] and "孙立" not in [
        ln.name for ln in before.lines
    ]
    successor = next(ln for ln in after.lines if ln.name == "孙立")
    assert successor.membership_id == new_id
    assert successor.role == GroupRole.LEADER
    assert successor.sort_order == wu.sort_order
    assert successor.titles == ("镇长",)
    assert successor.predecessor_name == "吴海"
    assert [ln.name for ln in after.lines].index("孙立") == [ln.name for ln in before.lines].index(
        "吴海"
    )
    # The predecessor keeps the title not handed over, and lost 镇长 from that day.
    wu_person = Person.get(Person.name == "吴海")
    from app.org.people import titles_by_person

    assert titles_by_person([wu_person.id], day)[wu_person.id] == ["镇党委副书记"]
    assert titles_by_person([wu_person.id], day - dt.timedelta(days=1))[wu_person.id] == [
        "镇党委副书记",
        "镇长",
    ]


def test_hand_over_to_a_current_member_moves_them(group: None) -> None:
    day = D(2024, 1, 1)
    zhou = next(ln for ln in service.roster_as_of(day).lines if ln.name == "周建国")
    service.hand_over(zhou.membership_id, "郑平", day)
    lines = service.roster_as_of(day).lines
    zheng = [ln for ln in lines if ln.name == "郑平"]
    assert len(zheng) == 1 and zheng[0].role == GroupRole.LEADER
    assert "周建国" not in [ln.name for ln in lines]


def test_hand_over_is_refused_outside_the_membership(group: None) -> None:
    zhou = service.roster_as_of(D(2023, 6, 1)).lines[0]
    for day in (D(2023, 1, 1), D(2022, 6, 1)):
        with pytest.raises(RosterError):
            service.hand_over(zhou.membership_id, "新人", day)
    with pytest.raises(RosterError):
        service.hand_over(zhou.membership_id, "周建国", D(2024, 1, 1))
    assert not Person.select().where(Person.name == "新人").exists()


def test_group_needs_a_name(group: None) -> None:
    with pytest.raises(RosterError):
        service.update_group("  ", "镇应急管理办公室")
    service.update_group("青禾镇安全生产委员会", "镇应急管理办公室")
    assert service.roster_as_of(D(2024, 1, 1)).office_location == "镇应急管理办公室"


def test_reordering_keeps_the_order_of_earlier_days(group: None) -> None:
    first_day = D(2023, 6, 1)
    later = D(2024, 6, 1)
    wu = next(ln for ln in service.roster_as_of(later).lines if ln.name == "吴海")
    assert service.move_member(wu.membership_id, -1, later)
    assert names(later)[:2] == ["吴海", "周建国"]
    assert names(later - dt.timedelta(days=1))[:2] == ["周建国", "吴海"]
    assert names(first_day)[:2] == ["周建国", "吴海"]
    # Moving back on a still later day leaves the year in between as it was.
    assert service.move_member(wu.membership_id, +1, D(2025, 1, 1))
    assert names(D(2025, 1, 1))[:2] == ["周建国", "吴海"]
    assert names(later)[:2] == ["吴海", "周建国"]


def test_successor_takes_the_place_in_force_that_day(group: None) -> None:
    day = D(2024, 6, 1)
    wu = next(ln for ln in service.roster_as_of(day).lines if ln.name == "吴海")
    service.move_member(wu.membership_id, -1, day)
    service.hand_over(wu.membership_id, "孙立", D(2024, 9, 1))
    assert names(D(2024, 9, 1))[:2] == ["孙立", "周建国"]


# ---------------------------------------------------------------------------- history corners


def titles_of(name: str, day: dt.date) -> list[str]:
    from app.org.people import titles_by_person

    person = Person.get(Person.name == name)
    return titles_by_person([person.id], day)[person.id]


def line_of(name: str, day: dt.date):
    return next(ln for ln in service.roster_as_of(day).lines if ln.name == name)


def test_a_back_dated_title_change_stops_at_the_next_recorded_one(group: None) -> None:
    mid = line_of("王丽", D(2023, 6, 1)).membership_id
    mid = service.update_member(mid, member("王丽", GroupRole.DEPUTY, ["宣传委员"]), D(2025, 6, 1))
    # A correction of an earlier period, entered afterwards.
    service.update_member(
        line_of("王丽", D(2025, 3, 1)).membership_id,
        member("王丽", GroupRole.DEPUTY, ["统战委员"]),
        D(2025, 3, 1),
    )
    assert titles_of("王丽", D(2024, 1, 1)) == ["组织委员"]
    assert titles_of("王丽", D(2025, 3, 1)) == ["统战委员"]
    assert titles_of("王丽", D(2025, 7, 1)) == ["宣传委员"]


def test_reordering_titles_keeps_the_earlier_order(group: None) -> None:
    mid = line_of("吴海", D(2023, 6, 1)).membership_id
    service.update_member(
        mid, member("吴海", GroupRole.LEADER, ["镇长", "镇党委副书记"]), D(2025, 6, 1)
    )
    assert titles_of("吴海", D(2025, 3, 1)) == ["镇党委副书记", "镇长"]
    assert titles_of("吴海", D(2025, 6, 1)) == ["镇长", "镇党委副书记"]


def test_a_back_dated_hand_over_keeps_the_last_day_already_set(group: None) -> None:
    wang = line_of("王丽", D(2023, 6, 1))
    service.end_membership(wang.membership_id, D(2025, 12, 31))
    service.hand_over(wang.membership_id, "新人", D(2025, 3, 1))
    assert "新人" in [ln.name for ln in service.roster_as_of(D(2025, 12, 31)).lines]
    assert "新人" not in [ln.name for ln in service.roster_as_of(D(2026, 1, 1)).lines]


def test_a_hand_over_keeps_the_order_set_after_its_day(group: None) -> None:
    lin = service.add_member(member("林涛", GroupRole.DEPUTY), D(2023, 1, 1))
    service.move_member(lin, -1, D(2025, 7, 1))  # from July 林涛 comes before 王丽
    assert [ln.name for ln in service.roster_as_of(D(2025, 7, 1)).lines][3:5] == ["林涛", "王丽"]
    service.hand_over(lin, "新人", D(2025, 3, 1))
    assert [ln.name for ln in service.roster_as_of(D(2025, 3, 1)).lines][3:5] == ["王丽", "新人"]
    assert [ln.name for ln in service.roster_as_of(D(2025, 7, 1)).lines][3:5] == ["新人", "王丽"]


def test_nobody_holds_two_places_at_once(group: None) -> None:
    service.add_member(member("未来", GroupRole.MEMBER), D(2026, 3, 1))
    errors = service.validate_member(member("未来", GroupRole.DEPUTY), D(2025, 1, 1))
    assert "未来" in errors["name"]
    # Handing a place to someone due to join later moves them instead of doubling them.
    zhou = line_of("周建国", D(2025, 1, 1))
    service.hand_over(zhou.membership_id, "未来", D(2025, 1, 1))
    for day in (D(2025, 1, 1), D(2026, 6, 1)):
        places = [ln for ln in service.roster_as_of(day).lines if ln.name == "未来"]
        assert len(places) == 1 and places[0].role == GroupRole.LEADER


def test_a_successor_holding_the_title_already_gets_it_once(group: None) -> None:
    service.add_member(member("丁", GroupRole.MEMBER, ["财政所所长", "副所长"]), D(2023, 1, 1))
    ma = service.add_member(member("马", GroupRole.MEMBER, ["财政所所长"]), D(2023, 1, 1))
    service.hand_over(ma, "丁", D(2025, 9, 1))
    assert titles_of("丁", D(2025, 9, 1)) == ["财政所所长", "副所长"]
