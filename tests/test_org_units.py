"""The unit service: validation by field, atomic writes, deletes refused while history needs
the unit, and the two enterprise fixes (supervising department, safety manager)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.org import enterprises, people, units
from app.org.kinds import PostKind, RiskClass, UnitKind
from app.org.units import UnitError, UnitInput
from app.responsibility.assignments import set_level
from app.responsibility.coverage import Rule, check_coverage
from app.responsibility.levels import Level
from app.storage.models import Assignment, MatrixEntry, MatrixRow, Person, Post, Unit

TODAY = dt.date(2025, 6, 30)
START = dt.date(2024, 1, 1)


@pytest.fixture
def org() -> dict[str, int]:
    town = Unit.create(name="青禾镇", kind="township")
    ids = {"青禾镇": town.id}
    for order, (name, kind) in enumerate(
        [
            ("应急管理办公室", "department"),
            ("经济发展办公室", "department"),
            ("常青村", "village"),
            ("东湖社区", "community"),
            ("建材生产", "industry"),
        ],
        start=1,
    ):
        ids[name] = Unit.create(name=name, kind=kind, parent=town, sort_order=order).id
    ids["宏达建材有限公司"] = Unit.create(
        name="宏达建材有限公司",
        kind="enterprise",
        parent=ids["常青村"],
        industry=ids["建材生产"],
        supervisor=ids["经济发展办公室"],
        employees=40,
        risk_class="key",
        sort_order=1001,
    ).id
    return ids


def snapshot() -> list[tuple]:
    return list(Unit.select().order_by(Unit.id).tuples())


# ---------------------------------------------------------------------------- reading


def test_unit_lines_resolve_names_and_safety_managers(org: dict[str, int]) -> None:
    person = Person.create(name="赵安", phone="")
    Post.create(
        person=person,
        title="宏达建材有限公司安全管理员",
        unit=org["宏达建材有限公司"],
        kind=PostKind.ENTERPRISE_SAFETY_MANAGER.value,
        start_date=START,
    )
    lines = {line.name: line for line in units.unit_lines(TODAY)}
    firm = lines["宏达建材有限公司"]
    assert firm.kind == UnitKind.ENTERPRISE
    assert firm.parent_name == "常青村"
    assert firm.industry_name == "建材生产"
    assert firm.supervisor_name == "经济发展办公室"
    assert firm.employees == 40 and firm.risk_class == RiskClass.KEY
    assert firm.safety_managers == ("赵安",)
    # The township first, then departments, villages, communities, industries, enterprises.
    kinds = [line.kind for line in units.unit_lines(TODAY)]
    assert kinds == sorted(kinds, key=units.KIND_ORDER.index)
    # A manager who left is not today's manager.
    assert units.unit_lines(dt.date(2023, 1, 1))[-1].safety_managers == ()


# ---------------------------------------------------------------------------- adding


def test_add_an_enterprise_with_a_new_industry(org: dict[str, int]) -> None:
    unit_id = units.add_unit(
        UnitInput(
            name="  顺发 物流有限公司 ",
            kind=UnitKind.ENTERPRISE,
            parent_id=org["东湖社区"],
            new_industry="道路运输",
            supervisor_id=org["应急管理办公室"],
            employees=12,
            risk_class=RiskClass.GENERAL,
        )
    )
    unit = Unit.get_by_id(unit_id)
    assert unit.name == "顺发物流有限公司"
    assert unit.parent_id == org["东湖社区"]
    industry = Unit.get_by_id(unit.industry_id)
    assert (industry.name, industry.kind, industry.parent_id) == (
        "道路运输",
        "industry",
        org["青禾镇"],
    )
    assert unit.employees == 12 and unit.risk_class == "general"
    # Typing an existing industry's name reuses it.
    other = units.add_unit(
        UnitInput(name="安达物流", kind=UnitKind.ENTERPRISE, new_industry="道路运输")
    )
    assert Unit.get_by_id(other).industry_id == industry.id
    assert Unit.get_by_id(other).parent_id == org["青禾镇"]  # no host: under the township
    assert Unit.select().where(Unit.kind == "industry").count() == 2


def test_other_kinds_sit_under_the_township_and_drop_enterprise_fields(
    org: dict[str, int],
) -> None:
    unit_id = units.add_unit(
        UnitInput(
            name="南山村",
            kind=UnitKind.VILLAGE,
            parent_id=org["常青村"],
            employees=5,
            supervisor_id=org["应急管理办公室"],
        )
    )
    unit = Unit.get_by_id(unit_id)
    assert unit.parent_id == org["青禾镇"]
    assert (unit.employees, unit.supervisor_id, unit.industry_id) == (None, None, None)
    # At the end of its kind.
    assert unit.sort_order > Unit.get_by_id(org["常青村"]).sort_order


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (UnitInput(name="  ", kind=UnitKind.DEPARTMENT), "name"),
        (UnitInput(name="应急管理办公室", kind=UnitKind.DEPARTMENT), "name"),
        (UnitInput(name="长" * 121, kind=UnitKind.VILLAGE), "name"),
        (UnitInput(name="第二镇", kind=UnitKind.TOWNSHIP), "kind"),
        (UnitInput(name="某公司", kind=UnitKind.ENTERPRISE, employees=-1), "employees"),
        (UnitInput(name="某公司", kind=UnitKind.ENTERPRISE, parent_id=10_000), "parent"),
    ],
)
def test_invalid_input_is_refused_by_field_and_writes_nothing(
    org: dict[str, int], data: UnitInput, field: str
) -> None:
    before = snapshot()
    assert field in units.validate_unit(data)
    with pytest.raises(UnitError) as raised:
        units.add_unit(data)
    assert field in raised.value.errors
    assert snapshot() == before


def test_a_host_must_be_a_village_community_or_the_township(org: dict[str, int]) -> None:
    data = UnitInput(name="某公司", kind=UnitKind.ENTERPRISE, parent_id=org["经济发展办公室"])
    assert "parent" in units.validate_unit(data)


def test_the_same_name_is_allowed_in_another_place(org: dict[str, int]) -> None:
    # 宏达建材有限公司 sits in 常青村; another of that name may sit in 东湖社区.
    units.add_unit(
        UnitInput(name="宏达建材有限公司", kind=UnitKind.ENTERPRISE, parent_id=org["东湖社区"])
    )


@pytest.mark.parametrize(
    ("text", "expected"), [("", None), (" 12 ", 12), ("１２", 12), ("1,200", 1200), ("0", 0)]
)
def test_parse_employees(text: str, expected: int | None) -> None:
    assert units.parse_employees(text) == expected


@pytest.mark.parametrize("text", ["-3", "十二", "1.5", "abc"])
def test_parse_employees_refuses_what_is_not_a_whole_number(text: str) -> None:
    with pytest.raises(UnitError) as raised:
        units.parse_employees(text)
    assert "employees" in raised.value.errors


@pytest.mark.parametrize("text", ["99999999999999999999", "1000001", "9" * 5000, "１" + "０" * 7])
def test_parse_employees_refuses_a_number_too_large(text: str) -> None:
    # 20 digits overflowed SQLite's INTEGER on saving (a bug dialog); 5,000 digits are more
    # than Python reads as an int.  Both are a field message now.
    with pytest.raises(UnitError) as raised:
        units.parse_employees(text)
    assert "1,000,000" in raised.value.errors["employees"]


def test_the_largest_number_of_employees_is_accepted() -> None:
    assert units.parse_employees("1,000,000") == units.MAX_EMPLOYEES == 1_000_000
    assert units.parse_employees("0001000000") == 1_000_000
    assert units.parse_employees("0" * 5000 + "12") == 12


@pytest.mark.parametrize("employees", [1_000_001, 99999999999999999999])
def test_too_many_employees_is_refused_by_field_and_writes_nothing(
    org: dict[str, int], employees: int
) -> None:
    data = UnitInput(
        name="某公司", kind=UnitKind.ENTERPRISE, parent_id=org["常青村"], employees=employees
    )
    before = snapshot()
    assert set(units.validate_unit(data)) == {"employees"}
    with pytest.raises(UnitError) as raised:
        units.add_unit(data)
    assert set(raised.value.errors) == {"employees"}
    with pytest.raises(UnitError):
        units.update_unit(org["宏达建材有限公司"], data)
    assert snapshot() == before


# ---------------------------------------------------------------------------- changing


def test_update_keeps_the_history_and_renames(org: dict[str, int]) -> None:
    firm = org["宏达建材有限公司"]
    units.update_unit(
        firm,
        UnitInput(
            name="宏达新型建材有限公司",
            kind=UnitKind.ENTERPRISE,
            parent_id=org["常青村"],
            industry_id=org["建材生产"],
            supervisor_id=None,
            employees=45,
            risk_class=RiskClass.KEY,
        ),
    )
    unit = Unit.get_by_id(firm)
    assert unit.name == "宏达新型建材有限公司"
    assert unit.supervisor_id is None and unit.employees == 45
    assert [
        gap.unit_id for gap in check_coverage(TODAY).of(Rule.ENTERPRISE_WITHOUT_SUPERVISOR)
    ] == [firm]


def test_an_area_someone_answers_for_cannot_become_an_enterprise(org: dict[str, int]) -> None:
    person = Person.create(name="李强")
    set_level(person.id, org["东湖社区"], Level.DIRECT_LEADERSHIP, START)
    errors = units.validate_unit(
        UnitInput(name="东湖社区", kind=UnitKind.ENTERPRISE), editing=org["东湖社区"]
    )
    assert "kind" in errors


def test_a_host_village_cannot_become_a_department(org: dict[str, int]) -> None:
    errors = units.validate_unit(
        UnitInput(name="常青村", kind=UnitKind.DEPARTMENT), editing=org["常青村"]
    )
    assert "1" in errors["kind"]


def test_a_supervising_department_cannot_change_kind(org: dict[str, int]) -> None:
    errors = units.validate_unit(
        UnitInput(name="经济发展办公室", kind=UnitKind.OTHER), editing=org["经济发展办公室"]
    )
    assert "kind" in errors


# ---------------------------------------------------------------------------- deleting


def test_a_unit_nothing_refers_to_can_be_deleted(org: dict[str, int]) -> None:
    unit_id = units.add_unit(UnitInput(name="错录的科室", kind=UnitKind.DEPARTMENT))
    assert units.delete_blockers(unit_id) == []
    units.delete_unit(unit_id)
    assert Unit.get_or_none(Unit.id == unit_id) is None


def test_delete_is_refused_while_people_held_posts_there(org: dict[str, int]) -> None:
    person = Person.create(name="王丽")
    Post.create(
        person=person,
        title="应急管理办公室主任",
        unit=org["应急管理办公室"],
        kind="department_head",
        start_date=START,
        end_date=dt.date(2024, 12, 31),  # even a past post keeps the unit
    )
    before = snapshot(), list(Post.select().tuples())
    with pytest.raises(UnitError) as raised:
        units.delete_unit(org["应急管理办公室"])
    message = raised.value.errors[units.GENERAL]
    assert "应急管理办公室" in message
    assert "1" in message
    assert (snapshot(), list(Post.select().tuples())) == before


def test_delete_names_every_reason(org: dict[str, int]) -> None:
    person = Person.create(name="李强")
    set_level(person.id, org["常青村"], Level.DIRECT_LEADERSHIP, START)
    reasons = units.delete_blockers(org["常青村"])
    assert len(reasons) == 2  # an assignment and a hosted enterprise
    assert len(units.delete_blockers(org["建材生产"])) == 1  # an enterprise belongs to it
    assert len(units.delete_blockers(org["经济发展办公室"])) == 1  # it supervises one
    row = MatrixRow.create(position=1)
    MatrixEntry.create(
        row=row, column="departments", position=1, text="东湖社区", unit=org["东湖社区"]
    )
    assert len(units.delete_blockers(org["东湖社区"])) == 1
    before = snapshot(), Assignment.select().count()
    with pytest.raises(UnitError):
        units.delete_unit(org["常青村"])
    assert (snapshot(), Assignment.select().count()) == before


# ---------------------------------------------------------------------------- enterprise fixes


def test_set_supervisor_closes_the_gap(org: dict[str, int]) -> None:
    firm = units.add_unit(
        UnitInput(name="新材料公司", kind=UnitKind.ENTERPRISE, industry_id=org["建材生产"])
    )
    assert enterprises.suggested_supervisor(firm) == org["经济发展办公室"]
    enterprises.set_supervisor(firm, org["经济发展办公室"])
    gaps = check_coverage(TODAY).of(Rule.ENTERPRISE_WITHOUT_SUPERVISOR)
    assert firm not in [gap.unit_id for gap in gaps]
    with pytest.raises(UnitError):
        enterprises.set_supervisor(firm, org["常青村"])  # not a department
    assert Unit.get_by_id(firm).supervisor_id == org["经济发展办公室"]


def test_add_safety_manager_creates_the_person_and_the_post(org: dict[str, int]) -> None:
    firm = org["宏达建材有限公司"]
    assert firm in [
        g.unit_id for g in check_coverage(TODAY).of(Rule.ENTERPRISE_WITHOUT_SAFETY_MANAGER)
    ]
    person_id = enterprises.add_safety_manager(firm, "赵  安", "13800000001", TODAY)
    person = Person.get_by_id(person_id)
    assert (person.name, person.phone) == ("赵安", "13800000001")
    post = Post.get(Post.person == person_id)
    assert post.unit_id == firm
    assert post.kind == PostKind.ENTERPRISE_SAFETY_MANAGER.value
    assert post.title == "宏达建材有限公司安全管理员"
    assert (post.start_date, post.end_date) == (TODAY, None)
    assert firm not in [
        g.unit_id for g in check_coverage(TODAY).of(Rule.ENTERPRISE_WITHOUT_SAFETY_MANAGER)
    ]
    # The same person twice is refused, and nothing more is written.
    with pytest.raises(UnitError) as raised:
        enterprises.add_safety_manager(firm, "赵安", "", TODAY)
    assert "name" in raised.value.errors
    assert Post.select().count() == 1


def test_add_safety_manager_finds_a_known_person(org: dict[str, int]) -> None:
    known = Person.create(name="钱多", phone="")
    person_id = enterprises.add_safety_manager(
        org["宏达建材有限公司"], "钱多", "139", TODAY, title="安全总监"
    )
    assert person_id == known.id
    assert Person.get_by_id(known.id).phone == "139"
    assert Post.get(Post.person == known.id).title == "安全总监"
    assert Person.select().count() == 1


def test_add_safety_manager_refuses_an_empty_name_and_a_non_enterprise(
    org: dict[str, int],
) -> None:
    with pytest.raises(UnitError) as raised:
        enterprises.add_safety_manager(org["宏达建材有限公司"], "  ", "", TODAY)
    assert "name" in raised.value.errors
    with pytest.raises(UnitError):
        enterprises.add_safety_manager(org["常青村"], "赵安", "", TODAY)
    assert Person.select().count() == 0 and Post.select().count() == 0


def test_people_on_a_day_and_post_holders(org: dict[str, int]) -> None:
    secretary = Person.create(name="孙书记")
    Post.create(
        person=secretary,
        title="常青村党总支书记",
        unit=org["常青村"],
        kind=PostKind.VILLAGE_SECRETARY.value,
        start_date=START,
    )
    Person.create(name="无职务")
    assert [p.name for p in people.people_on(TODAY)] == ["孙书记"]
    assert people.people_on(TODAY)[0].titles_text == "常青村党总支书记"
    assert {p.name for p in people.people_on(TODAY, everyone=True)} == {"孙书记", "无职务"}
    assert people.holders_in(org["常青村"], TODAY, (PostKind.VILLAGE_SECRETARY,)) == [secretary.id]
    assert (
        people.holders_in(org["常青村"], START.replace(year=2023), (PostKind.VILLAGE_SECRETARY,))
        == []
    )
