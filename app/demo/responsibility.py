"""The demo's responsibility system: industries, supervising departments, the matrix
(分工表), fields of work and patronage, with a few gaps left for the coverage check to find.

Runs after the organisation and before the roster history, so the roster's hand-overs pass
each post's areas to the successor the way a clerk's would.
"""

from __future__ import annotations

import datetime as dt

from app.demo.organisation import SAFETY_OFFICE
from app.demo.world import DemoPerson, DemoUnit, DemoWorld
from app.org.kinds import PostKind, UnitKind
from app.responsibility.assignments import MANUAL
from app.responsibility.levels import Level
from app.responsibility.matrix import Column, Entry, MatrixLine, save_matrix
from app.storage.bulk import chunks, insert_rows
from app.storage.models import Assignment, Post, Unit

# The demo's trades (organisation.INDUSTRIES) as fields of work, and the department that
# supervises each (行业监管).
FIELDS: dict[str, tuple[str, str]] = {
    "化工": ("危险化学品", SAFETY_OFFICE),
    "加油站": ("成品油经营", SAFETY_OFFICE),
    "烟花爆竹": ("烟花爆竹经营", SAFETY_OFFICE),
    "燃气": ("城镇燃气", "综合行政执法队"),
    "建材": ("建材生产", "经济发展办公室"),
    "机械加工": ("机械制造", "经济发展办公室"),
    "木材加工": ("木材加工", "经济发展办公室"),
    "食品加工": ("食品生产", "市场监督管理所"),
    "商超": ("商贸流通", "市场监督管理所"),
    "餐饮": ("餐饮服务", "市场监督管理所"),
    "学校食堂": ("校园安全", "社会事务办公室"),
    "养老院": ("养老服务", "社会事务办公室"),
    "物流": ("道路运输", "综合行政执法队"),
    "建筑施工": ("建筑施工", "规划建设办公室"),
}
# Departments the safety deputy oversees directly (综合监管 plus these lines of work).
SAFETY_DEPUTY_DEPARTMENTS = (SAFETY_OFFICE, "综合行政执法队")
# Every this-many-th item is left uncovered, so the coverage check has something to show.
GAP_EVERY = 13


def build_responsibility(world: DemoWorld) -> None:
    formed = world.group_formed
    assert formed is not None and world.township is not None
    industries = _industries(world)
    overseer = _matrix(world, formed)
    rows: list[dict[str, object]] = []

    def assign(person: DemoPerson | None, unit_id: int, level: Level) -> None:
        if person is not None:
            rows.append(_row(person.id, unit_id, level, formed))

    # The matrix names the principals (overall); the safety deputy supervises the whole
    # township as well as the departments of the matrix.
    (safety,) = world.people_of(PostKind.SAFETY_DEPUTY)
    assign(safety, world.township.id, Level.SUPERVISION)
    departments = {unit.name: unit for unit in world.units_of(UnitKind.DEPARTMENT)}
    for industry_id, department in industries:
        unit = departments.get(department)
        if unit is not None and unit.id in overseer:
            assign(overseer[unit.id], industry_id, Level.DIRECT_LEADERSHIP)

    patrons = world.people_of(PostKind.DEPUTY)
    territorial = world.units_of(UnitKind.VILLAGE, UnitKind.COMMUNITY)
    for index, unit in enumerate(territorial):
        if index % GAP_EVERY != 8:
            assign(patrons[index % len(patrons)], unit.id, Level.DIRECT_LEADERSHIP)
        if index % GAP_EVERY != 5:
            assign(world.holder(unit.id, PostKind.VILLAGE_SECRETARY), unit.id, Level.DIRECT)
        assign(world.holder(unit.id, PostKind.SAFETY_OFFICER), unit.id, Level.SPECIFIC)
    insert_rows(Assignment, rows)
    _safety_manager_leaves(world)


def _row(person_id: int, unit_id: int, level: Level, day: dt.date) -> dict[str, object]:
    return {
        "person": person_id,
        "unit": unit_id,
        "level": level.value,
        "source": MANUAL,
        "note": "",
        "start_date": day,
        "end_date": None,
    }


def _industries(world: DemoWorld) -> list[tuple[int, str]]:
    """Make the fields of work the enterprises belong to; link each enterprise to its field and
    supervising department.  Returns (industry unit id, supervising department name)."""
    assert world.township is not None
    enterprises = world.units_of(UnitKind.ENTERPRISE)
    used = list(dict.fromkeys(unit.industry for unit in enterprises))
    insert_rows(
        Unit,
        [
            {
                "name": FIELDS[trade][0],
                "kind": UnitKind.INDUSTRY.value,
                "parent": world.township.id,
                "sort_order": 500 + order,
                "notes": "",
            }
            for order, trade in enumerate(used)
        ],
    )
    ids = dict(Unit.select(Unit.name, Unit.id).where(Unit.kind == UnitKind.INDUSTRY.value).tuples())
    for trade in used:
        world.units.append(DemoUnit(ids[FIELDS[trade][0]], FIELDS[trade][0], UnitKind.INDUSTRY))
    departments = dict(
        Unit.select(Unit.name, Unit.id).where(Unit.kind == UnitKind.DEPARTMENT.value).tuples()
    )
    by_field: dict[tuple[int, int | None], list[int]] = {}
    for index, unit in enumerate(enterprises):
        field, department = FIELDS[unit.industry]
        supervisor = None if index % GAP_EVERY == 7 else departments.get(department)
        by_field.setdefault((ids[field], supervisor), []).append(unit.id)
    for (industry_id, supervisor), unit_ids in by_field.items():
        for chunk in chunks(unit_ids):
            Unit.update(industry=industry_id, supervisor=supervisor).where(
                Unit.id.in_(chunk)
            ).execute()
    return [(ids[FIELDS[trade][0]], FIELDS[trade][1]) for trade in used]


def _matrix(world: DemoWorld, formed: dt.date) -> dict[int, DemoPerson]:
    """The 分工表: one row per overseeing leader.  Returns each department's overseer."""
    (safety,) = world.people_of(PostKind.SAFETY_DEPUTY)
    deputies = world.people_of(PostKind.DEPUTY)
    departments = world.units_of(UnitKind.DEPARTMENT)
    share: dict[int, list[DemoUnit]] = {safety.id: []}
    overseer: dict[int, DemoPerson] = {}
    for index, unit in enumerate(departments):
        if unit.name in SAFETY_DEPUTY_DEPARTMENTS:
            leader = safety
        elif index % GAP_EVERY == 11:
            continue  # nobody oversees this one yet: a gap for the coverage check
        else:
            leader = deputies[index % len(deputies)]
        share.setdefault(leader.id, []).append(unit)
        overseer[unit.id] = leader
    principals = (Entry("镇党委书记", post_title="镇党委书记"), Entry("镇长", post_title="镇长"))
    fields = {field: department for field, department in FIELDS.values()}
    lines: list[MatrixLine] = []
    for leader in [safety, *deputies]:
        units = share.get(leader.id, [])
        if not units:
            continue
        heads = [world.holder(unit.id, PostKind.DEPARTMENT_HEAD) for unit in units]
        names = {unit.name for unit in units}
        trades = [field for field, department in fields.items() if department in names]
        lines.append(
            MatrixLine(
                {
                    Column.PRINCIPALS: principals,
                    Column.DEPUTIES: (Entry(leader.name, person_id=leader.id),),
                    Column.DEPARTMENTS: tuple(Entry(u.name, unit_id=u.id) for u in units),
                    Column.RESPONSIBLE: tuple(
                        Entry(head.name, person_id=head.id) for head in heads if head is not None
                    ),
                },
                _duties_text(leader is safety, trades),
            )
        )
    save_matrix(lines, formed)
    return overseer


def _duties_text(safety: bool, trades: list[str]) -> str:
    lead = (
        "统筹全镇安全生产综合监管，组织开展联合检查和隐患排查治理"
        if safety
        else "组织分管科室落实行业安全监管责任，每月检查分管领域安全生产工作"
    )
    if trades:
        return f"{lead}；重点抓好{'、'.join(trades)}等领域的安全监管。"
    return f"{lead}；督促分管科室落实本单位安全管理责任。"


def _safety_manager_leaves(world: DemoWorld) -> None:
    """One sizeable enterprise's safety manager left recently and has not been replaced."""
    left = world.today - dt.timedelta(days=25)
    for unit in world.units_of(UnitKind.ENTERPRISE):
        manager = world.holder(unit.id, PostKind.ENTERPRISE_SAFETY_MANAGER)
        if manager is not None and (unit.employees or 0) >= 10:
            Post.update(end_date=left).where(
                (Post.person == manager.id) & (Post.unit == unit.id)
            ).execute()
            return
