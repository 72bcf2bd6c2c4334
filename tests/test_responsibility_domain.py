"""The responsibility system's records: duty lists, assignments over time, succession, the
stored matrix and the assignments it implies, and the coverage check."""

from __future__ import annotations

import datetime as dt

import pytest

from app.demo import create_demo
from app.org.kinds import PostKind, UnitKind
from app.responsibility import assignments as assign
from app.responsibility import duties
from app.responsibility.coverage import Rule, check_coverage
from app.responsibility.levels import Level, parse_level
from app.responsibility.matrix import (
    Column,
    Entry,
    Linker,
    MatrixLine,
    load_matrix,
    save_matrix,
    split_cell,
)
from app.roster import service
from app.roster.roles import GroupRole
from app.storage.models import Assignment, Duty, Person, Post, Unit

D0 = dt.date(2025, 1, 1)
D1 = dt.date(2025, 7, 1)
D2 = dt.date(2026, 1, 1)


def unit(name: str, kind: UnitKind, **fields: object) -> int:
    return int(Unit.create(name=name, kind=kind.value, **fields).id)


def person(name: str, *posts: tuple[str, PostKind, int | None]) -> int:
    pid = int(Person.create(name=name).id)
    for order, (title, kind, unit_id) in enumerate(posts):
        Post.create(
            person=pid,
            title=title,
            kind=kind.value,
            unit=unit_id,
            sort_order=order,
            start_date=D0,
        )
    return pid


@pytest.fixture
def town() -> dict[str, int]:
    ids = {"town": unit("青禾镇", UnitKind.TOWNSHIP)}
    ids["office"] = unit("应急管理办公室", UnitKind.DEPARTMENT, parent=ids["town"])
    ids["economy"] = unit("经济发展办公室", UnitKind.DEPARTMENT, parent=ids["town"])
    ids["village"] = unit("常青村", UnitKind.VILLAGE, parent=ids["town"])
    ids["chem"] = unit("危险化学品", UnitKind.INDUSTRY, parent=ids["town"])
    ids["firm"] = unit(
        "众诚化工有限公司",
        UnitKind.ENTERPRISE,
        parent=ids["village"],
        employees=40,
        industry=ids["chem"],
        supervisor=ids["office"],
    )
    ids["secretary"] = person("王伟", ("镇党委书记", PostKind.PARTY_SECRETARY, ids["town"]))
    ids["head"] = person("闫旻", ("镇长", PostKind.TOWNSHIP_HEAD, ids["town"]))
    ids["safety"] = person("吴海坚", ("副镇长", PostKind.SAFETY_DEPUTY, ids["town"]))
    ids["deputy"] = person("陈思远", ("副镇长", PostKind.DEPUTY, ids["town"]))
    ids["chief"] = person("罗勇", ("应急管理办公室主任", PostKind.DEPARTMENT_HEAD, ids["office"]))
    ids["villager"] = person(
        "李春", ("常青村党总支书记", PostKind.VILLAGE_SECRETARY, ids["village"])
    )
    ids["manager"] = person(
        "赵敏", ("众诚化工有限公司安全总监", PostKind.ENTERPRISE_SAFETY_MANAGER, ids["firm"])
    )
    return ids


# ---------------------------------------------------------------------------- duties


def test_every_kind_of_post_starts_with_its_builtin_duties() -> None:
    for kind in duties.DUTY_KINDS:
        items = duties.duties_of(kind)
        assert items == duties.default_duties(kind) and len(items) >= 3
    assert PostKind.OTHER not in duties.DUTY_KINDS


def test_saving_a_list_numbers_it_in_the_new_order() -> None:
    kind = PostKind.GRID_WORKER
    items = duties.duties_of(kind)
    moved = [items[2], items[0], items[1], duties.DutyItem("  每周 巡查一次  ", "第七条")]
    duties.save_duties(kind, moved)
    stored = duties.duties_of(kind)
    assert [item.text for item in stored[:3]] == [items[2].text, items[0].text, items[1].text]
    assert stored[3] == duties.DutyItem("每周 巡查一次", "第七条")
    positions = [d.position for d in Duty.select().where(Duty.post_kind == kind.value)]
    assert sorted(positions) == [1, 2, 3, 4]
    assert [duties.duty_number(n) for n in (1, 4, 11)] == ["（一）", "（四）", "（十一）"]


def test_an_empty_or_overlong_duty_is_refused_by_number_and_nothing_changes() -> None:
    kind = PostKind.DEPUTY
    before = duties.duties_of(kind)
    with pytest.raises(duties.DutyError) as caught:
        duties.save_duties(
            kind,
            [duties.DutyItem("有效"), duties.DutyItem("   "), duties.DutyItem("长" * 1001)],
        )
    assert set(caught.value.problems) == {2, 3}
    assert "（二）" in str(caught.value) and "（三）" in str(caught.value)
    assert duties.duties_of(kind) == before


def test_restoring_the_builtin_list_replaces_local_edits() -> None:
    kind = PostKind.SAFETY_OFFICER
    duties.save_duties(kind, [duties.DutyItem("本镇自定职责")])
    duties.restore_defaults(kind)
    assert duties.duties_of(kind) == duties.default_duties(kind)
    duties.install_defaults()  # a kind that has a list keeps it
    assert duties.duties_of(kind) == duties.default_duties(kind)


def test_levels_are_read_from_codes_and_chinese_wording() -> None:
    assert parse_level("direct_leadership") is Level.DIRECT_LEADERSHIP
    assert parse_level("综合监管领导责任") is Level.SUPERVISION
    assert parse_level("直接责任人") is Level.DIRECT
    assert parse_level("具体责任") is Level.SPECIFIC
    assert parse_level("全面领导") is Level.OVERALL
    assert parse_level("随便") is None and parse_level("") is None
    assert [level.rank for level in Level] == [0, 1, 2, 3, 4]


# ---------------------------------------------------------------------------- assignments


def test_a_changed_level_keeps_the_old_one_for_earlier_days(town: dict[str, int]) -> None:
    assert assign.set_level(town["deputy"], town["village"], Level.DIRECT_LEADERSHIP, D0)
    assert not assign.set_level(town["deputy"], town["village"], Level.DIRECT_LEADERSHIP, D1)
    assert assign.set_level(town["deputy"], town["village"], Level.SUPERVISION, D1)

    def level_on(day: dt.date) -> list[Level]:
        return [line.level for line in assign.assignments_as_of(day, unit_id=town["village"])]

    assert level_on(D0) == [Level.DIRECT_LEADERSHIP]
    assert level_on(D1) == [Level.SUPERVISION]
    assert assign.set_level(town["deputy"], town["village"], None, D2)
    assert level_on(D2) == [] and level_on(D1) == [Level.SUPERVISION]
    assert not assign.set_level(town["deputy"], town["village"], None, D2)


def test_a_backdated_level_stops_where_a_later_one_begins(town: dict[str, int]) -> None:
    assign.set_level(town["deputy"], town["village"], Level.DIRECT_LEADERSHIP, D2)
    assign.set_level(town["deputy"], town["village"], Level.SPECIFIC, D0)
    levels = {
        day: [line.level for line in assign.assignments_as_of(day, unit_id=town["village"])]
        for day in (D0, D1, D2)
    }
    assert levels == {
        D0: [Level.SPECIFIC],
        D1: [Level.SPECIFIC],
        D2: [Level.DIRECT_LEADERSHIP],
    }


def test_enterprises_are_not_areas_and_missing_records_are_explained(
    town: dict[str, int],
) -> None:
    with pytest.raises(assign.AssignmentError, match="众诚化工有限公司"):
        assign.set_level(town["deputy"], town["firm"], Level.DIRECT, D0)
    with pytest.raises(assign.AssignmentError):
        assign.set_level(99999, town["village"], Level.DIRECT, D0)
    assert Assignment.select().count() == 0


def test_the_grid_has_every_area_and_the_people_who_answer(town: dict[str, int]) -> None:
    assign.set_level(town["secretary"], town["town"], Level.OVERALL, D0)
    assign.set_level(town["deputy"], town["village"], Level.DIRECT_LEADERSHIP, D0)
    assign.set_level(town["villager"], town["village"], Level.DIRECT, D0)
    grid = assign.grid_as_of(D1)
    assert [area.name for area in grid.areas] == [
        "青禾镇",
        "应急管理办公室",
        "经济发展办公室",
        "常青村",
        "危险化学品",
    ]
    assert [p.name for p in grid.people] == ["王伟", "陈思远", "李春"]
    assert grid.people[1].titles == ("副镇长",)
    assert grid.cells[(town["deputy"], town["village"])] is Level.DIRECT_LEADERSHIP
    by_level = grid.people_of(town["village"])
    assert [(level, [p.name for p in people]) for level, people in by_level.items()] == [
        (Level.DIRECT_LEADERSHIP, ["陈思远"]),
        (Level.DIRECT, ["李春"]),
    ]
    assert assign.grid_as_of(dt.date(2024, 1, 1)).cells == {}


def test_a_successor_takes_over_the_areas_from_the_hand_over_day(town: dict[str, int]) -> None:
    assign.set_level(town["deputy"], town["village"], Level.DIRECT_LEADERSHIP, D0)
    assign.set_level(town["deputy"], town["economy"], Level.DIRECT_LEADERSHIP, D0)
    membership = service.add_member(
        service.MemberInput(name="陈思远", role=GroupRole.DEPUTY, titles=("副镇长",)), D0
    )
    service.hand_over(membership, "孙立", D1)
    successor = Person.get(Person.name == "孙立").id
    before = assign.assignments_as_of(D1 - dt.timedelta(days=1), person_id=town["deputy"])
    assert {line.unit_name for line in before} == {"常青村", "经济发展办公室"}
    assert assign.assignments_as_of(D1, person_id=town["deputy"]) == []
    after = assign.assignments_as_of(D1, person_id=successor)
    assert {(line.unit_name, line.level) for line in after} == {
        ("常青村", Level.DIRECT_LEADERSHIP),
        ("经济发展办公室", Level.DIRECT_LEADERSHIP),
    }
    assert all(line.start == D1 for line in after)


def test_a_leaver_s_areas_end_and_can_pass_to_a_newcomer(town: dict[str, int]) -> None:
    assign.set_level(town["deputy"], town["village"], Level.DIRECT_LEADERSHIP, D0)
    assign.set_level(town["deputy"], town["economy"], Level.DIRECT_LEADERSHIP, D2)
    ended = assign.end_areas(town["deputy"], D1)
    assert [line.unit_name for line in ended] == ["常青村"]
    assert assign.assignments_as_of(D1, person_id=town["deputy"])[0].end == D1
    assert assign.assignments_as_of(D2, person_id=town["deputy"]) == []  # later one gone


# ---------------------------------------------------------------------------- matrix


def test_cells_split_on_the_separators_clerks_use() -> None:
    assert split_cell("应急管理办公室、 经济发展办公室，派出所\n司法所") == [
        "应急管理办公室",
        "经济发展办公室",
        "派出所",
        "司法所",
    ]
    assert split_cell("  ") == []


def test_names_link_to_people_posts_and_units_or_stay_text(town: dict[str, int]) -> None:
    linker = Linker(D1)
    assert linker.entry("王  伟", Column.PRINCIPALS).person_id == town["secretary"]
    assert linker.entry("陈思远（副镇长）", Column.DEPUTIES).person_id == town["deputy"]
    assert linker.entry("镇长", Column.PRINCIPALS) == Entry("镇长", post_title="镇长")
    # Two people hold 副镇长: the title names nobody in particular.
    assert not linker.entry("副镇长", Column.DEPUTIES).linked
    assert linker.entry("局、科主要负责人", Column.RESPONSIBLE) == Entry("局、科主要负责人")
    assert linker.cell("应急管理办公室、宣传办", Column.DEPARTMENTS) == (
        Entry("应急管理办公室", unit_id=town["office"]),
        Entry("宣传办"),
    )


def _line(linker: Linker, principals: str, deputies: str, departments: str, who: str) -> MatrixLine:
    return MatrixLine(
        {
            Column.PRINCIPALS: linker.cell(principals, Column.PRINCIPALS),
            Column.DEPUTIES: linker.cell(deputies, Column.DEPUTIES),
            Column.DEPARTMENTS: linker.cell(departments, Column.DEPARTMENTS),
            Column.RESPONSIBLE: linker.cell(who, Column.RESPONSIBLE),
        },
        "负责危险化学品安全监管。",
    )


def test_the_matrix_is_stored_as_written_and_states_its_assignments(
    town: dict[str, int],
) -> None:
    linker = Linker(D0)
    lines = [
        _line(linker, "王伟、镇长", "吴海坚", "应急管理办公室", "罗勇"),
        _line(linker, "王伟、镇长", "陈思远", "经济发展办公室、宣传办", "局、科主要负责人"),
    ]
    save_matrix(lines, D0)
    assert load_matrix() == lines
    held = {(line.person_name, line.unit_name, line.level) for line in assign.assignments_as_of(D0)}
    assert held == {
        ("王伟", "青禾镇", Level.OVERALL),
        ("闫旻", "青禾镇", Level.OVERALL),  # through the post 镇长
        ("吴海坚", "应急管理办公室", Level.SUPERVISION),  # the safety deputy
        ("罗勇", "应急管理办公室", Level.DIRECT),
        ("陈思远", "经济发展办公室", Level.DIRECT_LEADERSHIP),
    }
    count = Assignment.select().count()
    save_matrix(load_matrix(), D1)  # the same matrix again changes nothing
    assert Assignment.select().count() == count


def test_a_new_matrix_ends_what_it_no_longer_states_but_never_hand_entries(
    town: dict[str, int],
) -> None:
    linker = Linker(D0)
    assign.set_level(town["deputy"], town["village"], Level.DIRECT_LEADERSHIP, D0)
    save_matrix(
        [
            _line(linker, "王伟", "陈思远", "经济发展办公室", ""),
            _line(linker, "王伟", "吴海坚", "应急管理办公室", ""),
        ],
        D0,
    )
    # By hand, the deputy is made directly responsible for the office: the matrix won't undo it.
    assign.set_level(town["deputy"], town["office"], Level.DIRECT, D0)
    save_matrix([_line(linker, "王伟", "吴海坚", "应急管理办公室、经济发展办公室", "")], D1)
    held = {(line.person_name, line.unit_name, line.level) for line in assign.assignments_as_of(D1)}
    assert held == {
        ("王伟", "青禾镇", Level.OVERALL),
        ("吴海坚", "应急管理办公室", Level.SUPERVISION),
        ("吴海坚", "经济发展办公室", Level.SUPERVISION),
        ("陈思远", "常青村", Level.DIRECT_LEADERSHIP),
        ("陈思远", "应急管理办公室", Level.DIRECT),
    }
    # The day before, the first matrix still held.
    earlier = assign.assignments_as_of(D1 - dt.timedelta(days=1), unit_id=town["economy"])
    assert [(line.person_name, line.level) for line in earlier] == [
        ("陈思远", Level.DIRECT_LEADERSHIP)
    ]


# ---------------------------------------------------------------------------- coverage


def test_each_coverage_rule_finds_its_gap_and_a_fix_removes_it(town: dict[str, int]) -> None:
    small = unit("小商店", UnitKind.ENTERPRISE, parent=town["village"], employees=9)
    big = unit("大工厂", UnitKind.ENTERPRISE, parent=town["village"], employees=10)
    coverage = check_coverage(D1)
    found = {(gap.rule, gap.unit_name) for gap in coverage.gaps}
    assert found == {
        (Rule.DEPARTMENT_WITHOUT_LEADER, "应急管理办公室"),
        (Rule.DEPARTMENT_WITHOUT_LEADER, "经济发展办公室"),
        (Rule.TERRITORY_WITHOUT_PATRON, "常青村"),
        (Rule.TERRITORY_WITHOUT_DIRECT, "常青村"),
        (Rule.ENTERPRISE_WITHOUT_SUPERVISOR, "小商店"),
        (Rule.ENTERPRISE_WITHOUT_SUPERVISOR, "大工厂"),
        (Rule.ENTERPRISE_WITHOUT_SAFETY_MANAGER, "大工厂"),  # 10 employees; 9 need none
    }
    assert coverage.checked[Rule.ENTERPRISE_WITHOUT_SAFETY_MANAGER] == 2
    assert coverage.counts[Rule.DEPARTMENT_WITHOUT_LEADER] == 2

    assign.set_level(town["safety"], town["office"], Level.SUPERVISION, D1)
    assign.set_level(town["deputy"], town["economy"], Level.DIRECT_LEADERSHIP, D1)
    assign.set_level(town["deputy"], town["village"], Level.DIRECT_LEADERSHIP, D1)
    assign.set_level(town["villager"], town["village"], Level.DIRECT, D1)
    Unit.update(supervisor=town["economy"]).where(Unit.id.in_([small, big])).execute()
    Post.create(
        person=town["manager"],
        title="大工厂安全员",
        kind=PostKind.SAFETY_OFFICER.value,
        unit=big,
        start_date=D1,
    )
    assert check_coverage(D1).complete
    # Coverage is of a day: before the fixes the dated gaps were there (an enterprise's
    # supervising department is a plain fact of the unit, not dated).
    before = check_coverage(D1 - dt.timedelta(days=1))
    assert {gap.rule for gap in before.gaps} == set(Rule) - {Rule.ENTERPRISE_WITHOUT_SUPERVISOR}
    assert len(before.gaps) == 5


def test_patronage_is_not_direct_responsibility_and_an_ended_post_is_a_gap(
    town: dict[str, int],
) -> None:
    assign.set_level(town["deputy"], town["village"], Level.DIRECT_LEADERSHIP, D0)
    rules = {gap.rule for gap in check_coverage(D1).gaps if gap.unit_name == "常青村"}
    assert rules == {Rule.TERRITORY_WITHOUT_DIRECT}
    Post.update(end_date=D1).where(Post.person == town["manager"]).execute()
    after = {gap.unit_name for gap in check_coverage(D2).of(Rule.ENTERPRISE_WITHOUT_SAFETY_MANAGER)}
    assert after == {"众诚化工有限公司"}
    assert check_coverage(D1).of(Rule.ENTERPRISE_WITHOUT_SAFETY_MANAGER) == []


def test_the_demo_township_has_a_matrix_fields_patronage_and_a_few_gaps() -> None:
    today = dt.date(2026, 6, 30)
    create_demo(1, today=today)
    matrix = load_matrix()
    assert len(matrix) >= 5
    assert all(line.cells[Column.DEPARTMENTS] for line in matrix)
    coverage = check_coverage(today)
    assert set(coverage.counts) == set(Rule)  # each rule has something to show
    assert all(count <= 2 for count in coverage.counts.values())
    grid = assign.grid_as_of(today)
    township = next(area for area in grid.areas if area.kind == UnitKind.TOWNSHIP)
    overall = grid.people_of(township.id)[Level.OVERALL]
    # The principals of today: the township head was succeeded after the first year.
    holders = {
        p.person.name
        for p in Post.select().where(
            Post.kind.in_([PostKind.PARTY_SECRETARY.value, PostKind.TOWNSHIP_HEAD.value])
            & (Post.end_date.is_null())
        )
    }
    assert {p.name for p in overall} == holders
    assert grid.people_of(township.id)[Level.SUPERVISION]


def test_each_responsible_person_answers_for_the_departments_they_work_in(
    town: dict[str, int],
) -> None:
    economist = person("钱进", ("经济发展办公室主任", PostKind.DEPARTMENT_HEAD, town["economy"]))
    linker = Linker(D0)
    save_matrix(
        [
            _line(
                linker,
                "",
                "陈思远",
                "应急管理办公室、经济发展办公室",
                "罗勇、钱进、局、科主要负责人",
            )
        ],
        D0,
    )
    direct = {
        (line.person_name, line.unit_name)
        for line in assign.assignments_as_of(D0)
        if line.level == Level.DIRECT
    }
    assert direct == {("罗勇", "应急管理办公室"), ("钱进", "经济发展办公室")}
    assert economist
    # Someone who works in none of the row's departments answers for all of them.
    save_matrix([_line(linker, "", "", "应急管理办公室、经济发展办公室", "李春")], D1)
    direct = {line.unit_name for line in assign.assignments_as_of(D1) if line.person_name == "李春"}
    assert direct == {"应急管理办公室", "经济发展办公室"}


def test_a_hand_over_renames_the_matrix_and_a_leaver_gets_no_new_areas(
    town: dict[str, int],
) -> None:
    linker = Linker(D0)
    save_matrix([_line(linker, "王伟", "陈思远（副镇长）", "经济发展办公室", "")], D0)
    membership = service.add_member(
        service.MemberInput(name="陈思远", role=GroupRole.DEPUTY, titles=("副镇长",)), D0
    )
    service.hand_over(membership, "孙立", D1)
    successor = Person.get(Person.name == "孙立").id
    (entry,) = load_matrix()[0].cells[Column.DEPUTIES]
    assert entry == Entry("孙立（副镇长）", person_id=successor)
    save_matrix(load_matrix(), D2)  # saving it again hands nothing back
    (line,) = assign.assignments_as_of(D2, unit_id=town["economy"])
    assert line.person_name == "孙立" and line.start == D1

    # The principal leaves the township (no post, not in the group): an old matrix that still
    # names him gives him nothing new.
    Post.update(end_date=D1).where(Post.person == town["secretary"]).execute()
    assign.end_areas(town["secretary"], D1)
    save_matrix(load_matrix(), D2)
    assert assign.assignments_as_of(D2, person_id=town["secretary"]) == []


def test_the_grid_and_the_leaders_follow_the_roster_s_order(town: dict[str, int]) -> None:
    assign.set_level(town["secretary"], town["town"], Level.OVERALL, D0)
    assign.set_level(town["deputy"], town["village"], Level.DIRECT_LEADERSHIP, D0)
    assign.set_level(town["safety"], town["office"], Level.SUPERVISION, D0)
    assign.set_level(town["chief"], town["office"], Level.DIRECT, D0)
    # The township lists the deputy first; the secretary is not in the group at all.
    for name, role in (("陈思远", GroupRole.LEADER), ("罗勇", GroupRole.MEMBER)):
        service.add_member(service.MemberInput(name=name, role=role), D0)
    grid = assign.grid_as_of(D1)
    assert [p.name for p in grid.people] == ["陈思远", "罗勇", "王伟", "吴海坚"]
    # Leaders: whoever leads an area (罗勇 only answers directly).
    assert assign.leaders_on(D1) == [town["deputy"], town["secretary"], town["safety"]]


def test_a_changed_level_keeps_a_recorded_last_day(town: dict[str, int]) -> None:
    assign.set_level(town["deputy"], town["village"], Level.DIRECT_LEADERSHIP, D0)
    assign.end_areas(town["deputy"], D2)
    assign.set_level(town["deputy"], town["village"], Level.DIRECT, D1)
    (line,) = assign.assignments_as_of(D1, person_id=town["deputy"])
    assert (line.level, line.start, line.end) == (Level.DIRECT, D1, D2)
    assert assign.assignments_as_of(D2 + dt.timedelta(days=1), person_id=town["deputy"]) == []


def test_a_matrix_saved_for_an_earlier_day_replaces_what_a_later_save_recorded(
    town: dict[str, int],
) -> None:
    linker = Linker(D0)
    save_matrix([_line(linker, "镇长", "陈思远", "经济发展办公室", "")], D1)
    # The township's matrix really took effect earlier and names another deputy.
    save_matrix([_line(linker, "镇长", "吴海坚", "经济发展办公室", "")], D0)
    for day in (D0, D1, D2):
        held = {
            (line.person_name, line.unit_name, line.level) for line in assign.assignments_as_of(day)
        }
        assert held == {
            ("闫旻", "青禾镇", Level.OVERALL),
            ("吴海坚", "经济发展办公室", Level.SUPERVISION),
        }, day


def test_a_later_matrix_that_ended_a_row_gives_way_to_an_earlier_one(
    town: dict[str, int],
) -> None:
    linker = Linker(D0)
    save_matrix([_line(linker, "王伟", "陈思远", "经济发展办公室", "")], D0)
    save_matrix([_line(linker, "镇长", "陈思远", "应急管理办公室", "")], D1)
    save_matrix([_line(linker, "王伟", "陈思远", "经济发展办公室", "")], D0)
    held = {(line.person_name, line.unit_name) for line in assign.assignments_as_of(D2)}
    assert held == {("王伟", "青禾镇"), ("陈思远", "经济发展办公室")}


def test_a_vacant_post_stays_linked_and_its_next_holder_answers(town: dict[str, int]) -> None:
    Post.update(end_date=D1 - dt.timedelta(days=1)).where(Post.person == town["head"]).execute()
    linker = Linker(D1)  # 镇长 is vacant on D1
    assert linker.entry("镇长", Column.PRINCIPALS) == Entry("镇长", post_title="镇长")
    save_matrix([_line(linker, "镇长", "", "经济发展办公室", "")], D1)
    newcomer = person("孙立")
    Post.create(person=newcomer, title="镇长", kind=PostKind.TOWNSHIP_HEAD.value, start_date=D2)
    save_matrix(load_matrix(), D2)
    (line,) = assign.assignments_as_of(D2, unit_id=town["town"])
    assert (line.person_name, line.level) == ("孙立", Level.OVERALL)


def test_a_shared_name_links_the_namesake_who_is_here_that_day(town: dict[str, int]) -> None:
    old = person("张强")
    Post.update(end_date=D0).where(Post.person == old).execute()
    Post.create(person=old, title="老职务", kind=PostKind.OTHER.value, start_date=D0, end_date=D0)
    new = person("张强", ("副镇长", PostKind.DEPUTY, town["town"]))
    Post.update(start_date=D1).where(Post.person == new).execute()
    assert Linker(D1).entry("张强", Column.DEPUTIES).person_id == new
    # Before the new one arrived, the name meant the one who was there.
    assert Linker(D0).entry("张强", Column.DEPUTIES).person_id == old
    # Two namesakes both in post: the name links to neither and the preview says so.
    Post.create(person=old, title="科员", kind=PostKind.OTHER.value, start_date=D1)
    assert not Linker(D2).entry("张强", Column.DEPUTIES).linked


def test_a_renamed_department_is_renamed_in_the_matrix(town: dict[str, int]) -> None:
    save_matrix([_line(Linker(D0), "", "陈思远", "经济发展办公室", "")], D0)
    Unit.update(name="经济发展服务中心").where(Unit.id == town["economy"]).execute()
    (line,) = load_matrix()
    assert line.cells[Column.DEPARTMENTS] == (Entry("经济发展服务中心", unit_id=town["economy"]),)


def test_kinds_of_post_come_from_titles_and_the_supervising_deputy(town: dict[str, int]) -> None:
    from app.org.people import UnitMatcher, set_titles

    newcomer = Person.create(name="孙立")
    set_titles(newcomer, ["镇党委委员", "副镇长"], D0, UnitMatcher())
    kinds = dict(Post.select(Post.title, Post.kind).where(Post.person == newcomer).tuples())
    assert kinds == {"镇党委委员": "other", "副镇长": "deputy"}
    assert duties.kinds_held([newcomer.id], D1)[newcomer.id] == {PostKind.DEPUTY}
    # Made the deputy who supervises the township's work safety: that duty list, and the
    # matrix treats the departments he oversees as comprehensive supervision.
    assign.set_level(newcomer.id, town["town"], Level.SUPERVISION, D0)
    assert duties.kinds_held([newcomer.id], D1)[newcomer.id] == {PostKind.SAFETY_DEPUTY}
    save_matrix([_line(Linker(D1), "", "孙立", "经济发展办公室", "")], D1)
    (line,) = assign.assignments_as_of(D1, unit_id=town["economy"])
    assert (line.person_name, line.level) == ("孙立", Level.SUPERVISION)
    # A principal's deputy-sounding rank title adds no deputy's duties.
    head = Person.create(name="钱进")
    set_titles(head, ["镇党委副书记", "镇长"], D0, UnitMatcher())
    assert duties.kinds_held([head.id], D1)[head.id] == {PostKind.TOWNSHIP_HEAD}


def test_areas_recorded_for_after_the_hand_over_pass_too(town: dict[str, int]) -> None:
    assign.set_level(town["deputy"], town["village"], Level.DIRECT_LEADERSHIP, D2)
    moved = assign.transfer_assignments(town["deputy"], town["safety"], D1)
    assert moved == 1
    assert assign.history_of(town["deputy"]) == []
    (line,) = assign.assignments_as_of(D2, unit_id=town["village"])
    assert (line.person_name, line.start) == ("吴海坚", D2)


def test_someone_who_left_with_their_areas_gets_none_back_from_the_matrix(
    town: dict[str, int],
) -> None:
    save_matrix([_line(Linker(D0), "", "陈思远、吴海坚", "经济发展办公室", "")], D0)
    membership = service.add_member(
        service.MemberInput(name="陈思远", role=GroupRole.DEPUTY, titles=("副镇长",)), D0
    )
    service.end_membership(membership, D1, end_areas=True)
    (line,) = load_matrix()
    assert [entry.text for entry in line.cells[Column.DEPUTIES]] == ["吴海坚"]
    save_matrix(load_matrix(), D2)
    assert assign.assignments_as_of(D2, person_id=town["deputy"]) == []


def test_a_post_that_changes_hands_on_the_roster_carries_its_fields_of_work(
    town: dict[str, int],
) -> None:
    save_matrix([_line(Linker(D0), "镇长", "", "经济发展办公室", "")], D0)
    head = service.add_member(
        service.MemberInput(name="闫旻", role=GroupRole.LEADER, titles=("镇长",)), D0
    )
    # The title moves by editing the members, not by a hand-over.
    service.update_member(
        head, service.MemberInput(name="闫旻", role=GroupRole.LEADER, titles=("镇人大主席",)), D1
    )
    service.add_member(
        service.MemberInput(name="孙立", role=GroupRole.LEADER, titles=("镇长",)), D1
    )
    (line,) = assign.assignments_as_of(D2, unit_id=town["town"])
    assert (line.person_name, line.level, line.start) == ("孙立", Level.OVERALL, D1)
    (before,) = assign.assignments_as_of(D1 - dt.timedelta(days=1), unit_id=town["town"])
    assert before.person_name == "闫旻"
