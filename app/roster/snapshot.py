"""A plain, immutable picture of the roster on one day: what prints, exports and the GUI read.

Renderers and exporters take this snapshot, never live ORM queries, so they can be tested
with data built by hand and run off the GUI thread.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from app.roster.roles import GroupRole, OfficeRole


@dataclass(frozen=True)
class RosterLine:
    membership_id: int
    person_id: int
    name: str
    role: GroupRole
    office_role: OfficeRole | None
    titles: tuple[str, ...]  # as the township prints them, in order
    phone: str = ""
    start_date: dt.date = dt.date(2000, 1, 1)
    end_date: dt.date | None = None  # last day in the group (inclusive); None while current
    sort_order: int = 0
    predecessor_name: str = ""  # whom this member succeeded (继任), if anyone

    @property
    def titles_text(self) -> str:
        """Several titles joined the way townships print them: 组织委员、常青村党总支书记、主任."""
        return "、".join(self.titles)


@dataclass(frozen=True)
class RosterSnapshot:
    group_name: str  # 青禾镇安全生产领导小组
    township_name: str  # 青禾镇
    office_location: str  # where the office sits: 镇应急管理办公室
    as_of: dt.date
    lines: tuple[RosterLine, ...] = field(default_factory=tuple)  # in print order

    def by_role(self) -> list[tuple[GroupRole, list[RosterLine]]]:
        """The lines grouped by role, in role order, keeping the township's order inside."""
        groups: dict[GroupRole, list[RosterLine]] = {}
        for line in self.lines:
            groups.setdefault(line.role, []).append(line)
        return [(role, groups[role]) for role in sorted(groups, key=lambda r: r.rank)]

    def office_holders(self, office_role: OfficeRole) -> list[RosterLine]:
        return [line for line in self.lines if line.office_role == office_role]
