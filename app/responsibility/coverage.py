"""The coverage check (横向到边、纵向到底): what has nobody answerable, computed from the records.

Nothing here is typed by a clerk: every gap comes from the units, posts and assignments in
force on the day asked about, so fixing the record makes the gap disappear.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

from app.i18n import N_, _
from app.org.kinds import PostKind, UnitKind
from app.responsibility.levels import OVERSIGHT, PATRONAGE, Level
from app.storage.models import Assignment, Post, Unit, active_on

# Enterprises of this many employees or more must have a safety manager.
SAFETY_MANAGER_FROM = 10
SAFETY_MANAGER_KINDS = (PostKind.ENTERPRISE_SAFETY_MANAGER, PostKind.SAFETY_OFFICER)
TERRITORIAL = (UnitKind.VILLAGE, UnitKind.COMMUNITY)


class Rule(StrEnum):
    DEPARTMENT_WITHOUT_LEADER = "department_without_leader"
    TERRITORY_WITHOUT_PATRON = "territory_without_patron"
    TERRITORY_WITHOUT_DIRECT = "territory_without_direct"
    ENTERPRISE_WITHOUT_SUPERVISOR = "enterprise_without_supervisor"
    ENTERPRISE_WITHOUT_SAFETY_MANAGER = "enterprise_without_safety_manager"

    @property
    def label(self) -> str:
        return _(_LABELS[self])

    @property
    def chinese(self) -> str:
        """For print, which stays Chinese."""
        return _CHINESE[self]


_LABELS = {
    Rule.DEPARTMENT_WITHOUT_LEADER: N_("Department without an overseeing leader"),
    Rule.TERRITORY_WITHOUT_PATRON: N_("Village or community without a patron leader"),
    Rule.TERRITORY_WITHOUT_DIRECT: N_("Village or community without a directly responsible person"),
    Rule.ENTERPRISE_WITHOUT_SUPERVISOR: N_("Enterprise without a supervising department"),
    Rule.ENTERPRISE_WITHOUT_SAFETY_MANAGER: N_(
        "Enterprise of 10 or more employees without a safety manager"
    ),
}
_CHINESE = {
    Rule.DEPARTMENT_WITHOUT_LEADER: "科室未明确分管领导",
    Rule.TERRITORY_WITHOUT_PATRON: "村（社区）未明确包保领导",
    Rule.TERRITORY_WITHOUT_DIRECT: "村（社区）未明确直接责任人",
    Rule.ENTERPRISE_WITHOUT_SUPERVISOR: "企业未明确行业监管科室",
    Rule.ENTERPRISE_WITHOUT_SAFETY_MANAGER: "从业人员10人以上企业未配备安全管理人员",
}


@dataclass(frozen=True)
class Gap:
    rule: Rule
    unit_id: int
    unit_name: str
    unit_kind: UnitKind
    employees: int | None = None


@dataclass(frozen=True)
class Coverage:
    day: dt.date
    gaps: list[Gap]
    checked: dict[Rule, int] = field(default_factory=dict)  # how many units each rule looked at

    @property
    def counts(self) -> Counter[Rule]:
        return Counter(gap.rule for gap in self.gaps)

    def of(self, rule: Rule) -> list[Gap]:
        return [gap for gap in self.gaps if gap.rule == rule]

    @property
    def complete(self) -> bool:
        return not self.gaps


def _covered(day: dt.date, levels: tuple[Level, ...]) -> set[int]:
    query = (
        Assignment.select(Assignment.unit)
        .where(active_on(Assignment, day) & Assignment.level.in_([lv.value for lv in levels]))
        .distinct()
        .tuples()
    )
    return {unit_id for (unit_id,) in query}


def check_coverage(day: dt.date) -> Coverage:
    """Every gap on ``day``, rule by rule, units in their order within each rule."""
    units = list(
        Unit.select(Unit.id, Unit.name, Unit.kind, Unit.employees, Unit.supervisor)
        .where(
            Unit.kind.in_(
                [
                    UnitKind.DEPARTMENT.value,
                    *(k.value for k in TERRITORIAL),
                    UnitKind.ENTERPRISE.value,
                ]
            )
        )
        .order_by(Unit.sort_order, Unit.id)
        .tuples()
    )
    overseen = _covered(day, OVERSIGHT)
    patroned = _covered(day, (PATRONAGE,))
    direct = _covered(day, (Level.DIRECT,))
    managed = {
        unit_id
        for (unit_id,) in Post.select(Post.unit)
        .where(
            active_on(Post, day)
            & Post.kind.in_([kind.value for kind in SAFETY_MANAGER_KINDS])
            & Post.unit.is_null(False)
        )
        .distinct()
        .tuples()
    }
    supervisors = {
        unit_id
        for (unit_id,) in Unit.select(Unit.id)
        .where(Unit.kind == UnitKind.DEPARTMENT.value)
        .tuples()
    }
    gaps: list[Gap] = []
    checked: Counter[Rule] = Counter()

    def gap(rule: Rule, row: tuple[int, str, str, int | None, int | None]) -> None:
        gaps.append(Gap(rule, row[0], row[1], UnitKind(row[2]), row[3]))

    for rule in Rule:
        for row in units:
            unit_id, _name, kind, employees, supervisor = row
            if rule == Rule.DEPARTMENT_WITHOUT_LEADER and kind == UnitKind.DEPARTMENT:
                checked[rule] += 1
                if unit_id not in overseen:
                    gap(rule, row)
            elif rule in (Rule.TERRITORY_WITHOUT_PATRON, Rule.TERRITORY_WITHOUT_DIRECT) and (
                kind in TERRITORIAL
            ):
                checked[rule] += 1
                covered = patroned if rule == Rule.TERRITORY_WITHOUT_PATRON else direct
                if unit_id not in covered:
                    gap(rule, row)
            elif rule == Rule.ENTERPRISE_WITHOUT_SUPERVISOR and kind == UnitKind.ENTERPRISE:
                checked[rule] += 1
                if supervisor not in supervisors:
                    gap(rule, row)
            elif (
                rule == Rule.ENTERPRISE_WITHOUT_SAFETY_MANAGER
                and kind == UnitKind.ENTERPRISE
                and (employees or 0) >= SAFETY_MANAGER_FROM
            ):
                checked[rule] += 1
                if unit_id not in managed:
                    gap(rule, row)
    return Coverage(day, gaps, dict(checked))
