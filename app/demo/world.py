"""What one demo run knows about the township it builds, shared by every demo step.

The organisation step fills it (units, people, posts by kind); later steps (the roster, and
the meetings, inspections and hazards areas) read it to make their records, drawing from the
same seeded generator so the whole township is reproducible.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from app.demo.names import NameMaker
from app.org.kinds import PostKind, RiskClass, UnitKind


@dataclass
class DemoUnit:
    id: int
    name: str
    kind: UnitKind
    parent_id: int | None = None
    industry: str = ""  # enterprises: 建材, 化工 …
    risk_class: RiskClass | None = None
    employees: int | None = None


@dataclass
class DemoPerson:
    id: int
    name: str
    kind: PostKind  # the main post, the one that decides the person's place in the group
    titles: list[str]  # as printed, in order
    unit_id: int | None
    phone: str = ""


@dataclass
class DemoPost:
    person_id: int
    title: str
    unit_id: int | None
    kind: PostKind


@dataclass
class DemoWorld:
    today: dt.date
    scale: int
    rng: random.Random
    names: NameMaker
    township: DemoUnit | None = None
    units: list[DemoUnit] = field(default_factory=list)
    people: list[DemoPerson] = field(default_factory=list)
    posts: list[DemoPost] = field(default_factory=list)  # every post held when the group formed
    # The day the leading group was formed; history starts here.
    group_formed: dt.date | None = None
    # Figures for the summary line, keyed by what they count.
    counts: dict[str, int] = field(default_factory=dict)
    _holders: dict[tuple[int | None, PostKind], DemoPerson] | None = field(default=None, repr=False)

    def units_of(self, *kinds: UnitKind) -> list[DemoUnit]:
        return [unit for unit in self.units if unit.kind in kinds]

    def people_of(self, *kinds: PostKind) -> list[DemoPerson]:
        return [person for person in self.people if person.kind in kinds]

    def holder(self, unit_id: int, kind: PostKind) -> DemoPerson | None:
        """Who held the first post of that kind in that unit when the group formed."""
        if self._holders is None:
            by_id = {person.id: person for person in self.people}
            self._holders = {}
            for post in self.posts:
                self._holders.setdefault((post.unit_id, post.kind), by_id[post.person_id])
        return self._holders.get((unit_id, kind))

    def person(self, person_id: int) -> DemoPerson:
        return next(person for person in self.people if person.id == person_id)

    def days_ago(self, days: int) -> dt.date:
        return self.today - dt.timedelta(days=days)
