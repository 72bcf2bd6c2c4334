"""The demo township's organisation: its units, its people and the posts they hold.

Everything here is invented.  Units, people and posts go in with bulk inserts (a scale-10
township has about 300 units and 1 200 people), inside the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.demo.world import DemoPerson, DemoPost, DemoUnit, DemoWorld
from app.org.kinds import PostKind, RiskClass, UnitKind
from app.storage.bulk import chunks, insert_rows
from app.storage.models import Person, Post, Unit

TOWNSHIP_NAME = "青禾镇"
OFFICE_LOCATION = "镇应急管理办公室"
SAFETY_OFFICE = "应急管理办公室"  # the 安监办: its head directs the group's office

# The township's own bodies: name, the head's title, the staff's title.  The first twelve
# make a scale-1 township; larger scales take the rest, then area offices (below).
DEPARTMENTS: tuple[tuple[str, str, str], ...] = (
    ("党政综合办公室", "主任", "工作人员"),
    (SAFETY_OFFICE, "主任", "工作人员"),
    ("经济发展办公室", "主任", "工作人员"),
    ("农业农村办公室", "主任", "工作人员"),
    ("规划建设办公室", "主任", "工作人员"),
    ("社会事务办公室", "主任", "工作人员"),
    ("综合行政执法队", "队长", "执法队员"),
    ("市场监督管理所", "所长", "工作人员"),
    ("自然资源所", "所长", "工作人员"),
    ("派出所", "所长", "民警"),
    ("财政所", "所长", "工作人员"),
    ("文化站", "站长", "工作人员"),
    ("党建工作办公室", "主任", "工作人员"),
    ("社会治理办公室", "主任", "工作人员"),
    ("便民服务中心", "主任", "工作人员"),
    ("退役军人服务站", "站长", "工作人员"),
    ("农业综合服务中心", "主任", "技术员"),
    ("水利站", "站长", "技术员"),
    ("林业站", "站长", "护林员"),
    ("司法所", "所长", "工作人员"),
    ("卫生院", "院长", "医生"),
    ("中心学校", "校长", "教师"),
    ("供电所", "所长", "电工"),
    ("劳动保障事务所", "所长", "工作人员"),
    ("专职消防队", "队长", "消防员"),
    ("畜牧兽医站", "站长", "兽医"),
    ("统计站", "站长", "统计员"),
    ("交通运输管理站", "站长", "工作人员"),
    ("社会保障服务中心", "主任", "工作人员"),
    ("综治中心", "主任", "工作人员"),
)
AREAS = ("东", "西", "南", "北", "中", "滨河", "城郊", "工业园", "集镇", "山前", "河湾", "老街")
AREA_OFFICES: tuple[tuple[str, str, str], ...] = (
    ("片区综合执法中队", "中队长", "执法队员"),
    ("片区网格服务站", "站长", "网格员"),
    ("片区安全生产监管站", "站长", "监管员"),
    ("片区便民服务站", "站长", "工作人员"),
    ("片区应急救援队", "队长", "队员"),
    ("片区消防工作站", "站长", "消防员"),
    ("片区交通安全劝导站", "站长", "劝导员"),
    ("片区河道管理站", "站长", "巡河员"),
)


@dataclass(frozen=True)
class Industry:
    name: str  # 建材, 化工 …
    risk: RiskClass
    employees: tuple[int, int]
    pattern: str  # the company name, from a trade word {brand} or a village {place}
    principal: str  # the principal's title after the company name
    safety: str  # the safety manager's title after the company name


INDUSTRIES: tuple[Industry, ...] = (
    Industry("化工", RiskClass.HIGH_RISK, (30, 300), "{brand}化工有限公司", "总经理", "安全总监"),
    Industry("加油站", RiskClass.HIGH_RISK, (3, 16), "{brand}加油站", "站长", "安全员"),
    Industry("建材", RiskClass.KEY, (15, 160), "{brand}新型建材有限公司", "总经理", "安全管理员"),
    Industry("食品加工", RiskClass.KEY, (10, 120), "{brand}食品有限公司", "总经理", "安全管理员"),
    Industry("物流", RiskClass.GENERAL, (6, 80), "{brand}物流有限公司", "经理", "安全管理员"),
    Industry("商超", RiskClass.KEY, (5, 60), "{brand}购物中心", "店长", "安全管理员"),
    Industry("养老院", RiskClass.KEY, (6, 40), "{brand}颐养院", "院长", "安全管理员"),
    Industry("学校食堂", RiskClass.KEY, (4, 18), "{place}小学食堂", "负责人", "食品安全员"),
    Industry("烟花爆竹", RiskClass.HIGH_RISK, (2, 6), "{brand}烟花爆竹零售店", "负责人", "安全员"),
    Industry(
        "机械加工", RiskClass.GENERAL, (10, 90), "{brand}机械制造有限公司", "总经理", "安全管理员"
    ),
    Industry("木材加工", RiskClass.KEY, (8, 70), "{brand}木业有限公司", "总经理", "安全管理员"),
    Industry("餐饮", RiskClass.GENERAL, (3, 30), "{brand}酒家", "经理", "安全员"),
    Industry("燃气", RiskClass.HIGH_RISK, (5, 40), "{brand}液化气供应站", "站长", "安全员"),
    Industry(
        "建筑施工", RiskClass.KEY, (20, 200), "{brand}建筑工程有限公司", "项目经理", "专职安全员"
    ),
)
# How often each industry is drawn once the first of each has been placed.
INDUSTRY_WEIGHTS = (2, 2, 3, 3, 3, 3, 1, 1, 1, 3, 2, 3, 1, 2)

# The township's leaders: their titles (main post last) and the kind of the main post.
LEADERS: tuple[tuple[tuple[str, ...], PostKind], ...] = (
    (("镇党委书记",), PostKind.PARTY_SECRETARY),
    (("镇党委副书记", "镇长"), PostKind.TOWNSHIP_HEAD),
    (("镇党委委员", "副镇长"), PostKind.SAFETY_DEPUTY),
    (("镇党委副书记",), PostKind.DEPUTY),
    (("镇人大主席",), PostKind.DEPUTY),
    (("镇党委委员", "纪委书记"), PostKind.DEPUTY),
    (("组织委员",), PostKind.DEPUTY),  # also secretary and head of the first village
    (("镇党委委员", "宣传委员"), PostKind.DEPUTY),
    (("镇党委委员", "武装部长"), PostKind.DEPUTY),
    (("副镇长",), PostKind.DEPUTY),
    (("副镇长",), PostKind.DEPUTY),
    (("镇人大副主席",), PostKind.DEPUTY),
)
# Titles that are a party rank rather than the post that counts (kind "other").
RANK_TITLES = {"镇党委委员"}


@dataclass
class _NewPerson:
    name: str
    phone: str
    kind: PostKind
    start: dt.date
    posts: Sequence[tuple[str, int | None, PostKind]]  # title, unit id, kind


def build_organisation(world: DemoWorld) -> None:
    """Create the township, its units, people and posts; record them in ``world``."""
    assert world.group_formed is not None
    rng = world.rng
    township = Unit.create(name=TOWNSHIP_NAME, kind=UnitKind.TOWNSHIP.value, notes="")
    world.township = DemoUnit(int(township.id), TOWNSHIP_NAME, UnitKind.TOWNSHIP)
    world.units.append(world.township)

    departments = _department_specs(12 * world.scale)
    n_communities = 3 * world.scale
    n_villages = 7 * world.scale
    places = [world.names.place() for _ in range(n_villages + n_communities)]
    territorial = [(f"{place}村", UnitKind.VILLAGE) for place in places[:n_villages]] + [
        (f"{place}社区", UnitKind.COMMUNITY) for place in places[n_villages:]
    ]

    rows: list[dict[str, object]] = []
    for order, (name, _head, _staff) in enumerate(departments, start=1):
        notes = "又称安监办" if name == SAFETY_OFFICE else ""
        rows.append(_unit_row(name, UnitKind.DEPARTMENT, township.id, order, notes=notes))
    for order, (name, kind) in enumerate(territorial, start=1):
        rows.append(_unit_row(name, kind, township.id, 100 + order))
    ids = _insert_units(rows)
    for name, _head, _staff in departments:
        world.units.append(DemoUnit(ids[name], name, UnitKind.DEPARTMENT, township.id))
    for name, kind in territorial:
        world.units.append(DemoUnit(ids[name], name, kind, township.id))

    # Enterprises sit in the village or community where they work (属地).
    hosts = world.units_of(UnitKind.VILLAGE, UnitKind.COMMUNITY)
    enterprises: list[DemoUnit] = []
    rows = []
    used: set[str] = set(ids)
    for index in range(8 * world.scale):
        industry = (
            INDUSTRIES[index] if index < 8 else rng.choices(INDUSTRIES, weights=INDUSTRY_WEIGHTS)[0]
        )
        host = hosts[index % len(hosts)] if index < len(hosts) else rng.choice(hosts)
        name = _enterprise_name(world, industry, host, used)
        employees = rng.randint(*industry.employees)
        unit = DemoUnit(
            0, name, UnitKind.ENTERPRISE, host.id, industry.name, industry.risk, employees
        )
        enterprises.append(unit)
        rows.append(
            _unit_row(
                name,
                UnitKind.ENTERPRISE,
                host.id,
                1000 + index,
                notes=f"行业：{industry.name}",
                risk=industry.risk,
                employees=employees,
            )
        )
    ids = _insert_units(rows)
    for unit in enterprises:
        unit.id = ids[unit.name]
    world.units.extend(enterprises)

    _insert_people(world, _people(world, departments, enterprises))


# ---------------------------------------------------------------------------- units


def _department_specs(count: int) -> list[tuple[str, str, str]]:
    specs = list(DEPARTMENTS[:count])
    for area in AREAS:
        for suffix, head, staff in AREA_OFFICES:
            if len(specs) >= count:
                return specs
            specs.append((area + suffix, head, staff))
    number = 1
    while len(specs) < count:
        suffix, head, staff = AREA_OFFICES[number % len(AREA_OFFICES)]
        specs.append((f"第{number}{suffix}", head, staff))
        number += 1
    return specs


def _enterprise_name(world: DemoWorld, industry: Industry, host: DemoUnit, used: set[str]) -> str:
    place = host.name.removesuffix("村").removesuffix("社区")
    name = industry.pattern.format(brand=world.names.brand(), place=place)
    while name in used:
        name = industry.pattern.replace("{place}", "{brand}").format(brand=world.names.brand())
    used.add(name)
    return name


def _unit_row(
    name: str,
    kind: UnitKind,
    parent: int,
    order: int,
    *,
    notes: str = "",
    risk: RiskClass | None = None,
    employees: int | None = None,
) -> dict[str, object]:
    return {
        "name": name,
        "kind": kind.value,
        "parent": parent,
        "sort_order": order,
        "risk_class": risk.value if risk else None,
        "employees": employees,
        "notes": notes,
    }


def _insert_units(rows: Sequence[dict[str, object]]) -> dict[str, int]:
    """Insert the rows; their ids by name (names are unique across the demo)."""
    insert_rows(Unit, rows)
    names = [str(row["name"]) for row in rows]
    ids: dict[str, int] = {}
    for chunk in chunks(names):
        for unit in Unit.select(Unit.id, Unit.name).where(Unit.name.in_(chunk)):
            ids[unit.name] = unit.id
    return ids


# ---------------------------------------------------------------------------- people


def _people(
    world: DemoWorld,
    departments: Sequence[tuple[str, str, str]],
    enterprises: Sequence[DemoUnit],
) -> list[_NewPerson]:
    assert world.township is not None and world.group_formed is not None
    rng = world.rng
    names = world.names
    formed = world.group_formed

    def began(low: int = 60, high: int = 2400) -> dt.date:
        return formed - dt.timedelta(days=rng.randint(low, high))

    villages = world.units_of(UnitKind.VILLAGE, UnitKind.COMMUNITY)
    people: list[_NewPerson] = []
    township = world.township.id
    for titles, kind in LEADERS:
        posts = [
            (title, township, PostKind.OTHER if title in RANK_TITLES else kind) for title in titles
        ]
        if titles == ("组织委员",):
            # One leader also heads the first village: "组织委员、常青村党总支书记、主任".
            first = villages[0]
            posts.append((f"{first.name}党总支书记", first.id, PostKind.VILLAGE_SECRETARY))
            posts.append(("主任", first.id, PostKind.VILLAGE_HEAD))
        people.append(_NewPerson(names.person(), names.phone(), kind, began(200), posts))

    by_name = {unit.name: unit for unit in world.units}
    for name, head, staff in departments:
        unit = by_name[name]
        people.append(
            _NewPerson(
                names.person(),
                names.phone(),
                PostKind.DEPARTMENT_HEAD,
                began(),
                [(name + head, unit.id, PostKind.DEPARTMENT_HEAD)],
            )
        )
        if name == SAFETY_OFFICE:
            people.append(
                _NewPerson(
                    names.person(),
                    names.phone(),
                    PostKind.DEPARTMENT_STAFF,
                    began(),
                    [(name + "副主任", unit.id, PostKind.DEPARTMENT_STAFF)],
                )
            )
        for _index in range(rng.randint(2, 4)):
            people.append(
                _NewPerson(
                    names.person(),
                    _maybe_phone(world),
                    PostKind.DEPARTMENT_STAFF,
                    began(),
                    [(name + staff, unit.id, PostKind.DEPARTMENT_STAFF)],
                )
            )

    for index, unit in enumerate(villages):
        village = unit.kind == UnitKind.VILLAGE
        secretary = f"{unit.name}党总支书记" if village else f"{unit.name}党委书记"
        head = f"{unit.name}村委会主任" if village else f"{unit.name}居委会主任"
        if index > 0:  # the first village is led by the 组织委员 (above)
            if rng.random() < 0.4:
                # One person holds both posts, printed "常青村党总支书记、主任".
                people.append(
                    _NewPerson(
                        names.person(),
                        names.phone(),
                        PostKind.VILLAGE_SECRETARY,
                        began(),
                        [
                            (secretary, unit.id, PostKind.VILLAGE_SECRETARY),
                            ("主任", unit.id, PostKind.VILLAGE_HEAD),
                        ],
                    )
                )
            else:
                people.append(
                    _NewPerson(
                        names.person(),
                        names.phone(),
                        PostKind.VILLAGE_SECRETARY,
                        began(),
                        [(secretary, unit.id, PostKind.VILLAGE_SECRETARY)],
                    )
                )
                people.append(
                    _NewPerson(
                        names.person(),
                        names.phone(),
                        PostKind.VILLAGE_HEAD,
                        began(),
                        [(head, unit.id, PostKind.VILLAGE_HEAD)],
                    )
                )
        officer = (
            [
                (f"{unit.name}村委会委员", unit.id, PostKind.OTHER),
                ("安全员", unit.id, PostKind.SAFETY_OFFICER),
            ]
            if village and rng.random() < 0.3
            else [(f"{unit.name}安全员", unit.id, PostKind.SAFETY_OFFICER)]
        )
        people.append(
            _NewPerson(names.person(), names.phone(), PostKind.SAFETY_OFFICER, began(), officer)
        )
        grid = "网格员" if village else "专职网格员"
        for _index in range(rng.randint(1, 3)):
            people.append(
                _NewPerson(
                    names.person(),
                    _maybe_phone(world),
                    PostKind.GRID_WORKER,
                    began(),
                    [(unit.name + grid, unit.id, PostKind.GRID_WORKER)],
                )
            )

    for unit in enterprises:
        industry = next(i for i in INDUSTRIES if i.name == unit.industry)
        people.append(
            _NewPerson(
                names.person(),
                names.phone(),
                PostKind.ENTERPRISE_PRINCIPAL,
                began(),
                [(unit.name + industry.principal, unit.id, PostKind.ENTERPRISE_PRINCIPAL)],
            )
        )
        if (unit.employees or 0) >= 10:
            people.append(
                _NewPerson(
                    names.person(),
                    _maybe_phone(world),
                    PostKind.ENTERPRISE_SAFETY_MANAGER,
                    began(),
                    [(unit.name + industry.safety, unit.id, PostKind.ENTERPRISE_SAFETY_MANAGER)],
                )
            )
    return people


def _maybe_phone(world: DemoWorld) -> str:
    return world.names.phone() if world.rng.random() < 0.6 else ""


def _insert_people(world: DemoWorld, new_people: Iterable[_NewPerson]) -> None:
    people = list(new_people)
    insert_rows(Person, [{"name": p.name, "phone": p.phone, "notes": ""} for p in people])
    ids: dict[str, int] = {}
    for names in chunks([p.name for p in people]):
        for row in Person.select(Person.id, Person.name).where(Person.name.in_(names)):
            ids[row.name] = row.id
    rows: list[dict[str, object]] = []
    for person in people:
        pid = ids[person.name]
        main_unit = next(
            (unit for _title, unit, kind in person.posts if kind == person.kind),
            person.posts[0][1],
        )
        world.people.append(
            DemoPerson(
                pid,
                person.name,
                person.kind,
                [t for t, _u, _k in person.posts],
                main_unit,
                person.phone,
            )
        )
        for order, (title, unit, kind) in enumerate(person.posts):
            world.posts.append(DemoPost(pid, title, unit, kind))
            rows.append(
                {
                    "person": pid,
                    "title": title,
                    "unit": unit,
                    "kind": kind.value,
                    "sort_order": order,
                    "start_date": person.start,
                    "end_date": None,
                }
            )
    insert_rows(Post, rows)
