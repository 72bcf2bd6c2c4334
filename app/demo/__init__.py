"""The demo: a fictional township with a few years of history, for trying and benchmarking.

``create_demo`` runs the demo steps in order inside one transaction.  Each area adds its own
module here with a step ``build_…(world)`` and lists it in ``STEPS``; the steps share one
``DemoWorld`` (the units and people made so far, and one seeded random generator), so the
whole township is the same on every run.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from app.demo.group import build_group, formation_day
from app.demo.meetings import build_meetings
from app.demo.names import NameMaker
from app.demo.organisation import TOWNSHIP_NAME, build_organisation
from app.demo.responsibility import build_responsibility
from app.demo.world import DemoWorld
from app.i18n import _
from app.storage.db import database_proxy
from app.storage.models import GroupMembership, Person, Unit

__all__ = ["STEPS", "DemoError", "DemoWorld", "create_demo"]

SEED = 20240601

# The demo, step by step; later areas (meetings, inspections, hazards …) append theirs.  The
# responsibility step comes before the roster's history, whose hand-overs pass areas on.
STEPS: list[Callable[[DemoWorld], None]] = [
    build_organisation,
    build_responsibility,
    build_group,
    build_meetings,
]


class DemoError(Exception):
    """The demo cannot be created here; the message is for the user."""


def create_demo(scale: int = 1, *, today: dt.date | None = None) -> str:
    """Fill an empty database with the demo township; returns a one-line summary.

    ``scale`` multiplies the number of departments, villages, enterprises and people.  Refuses
    (DemoError) a database that already has data, and writes all or nothing.
    """
    if scale < 1:
        raise DemoError(_("The scale must be at least 1."))
    today = today or dt.date.today()
    # An empty leading group (made on first look at the roster page) is no data to keep.
    if any(model.select().exists() for model in (Unit, Person, GroupMembership)):
        raise DemoError(_("The database already has data; choose a new database file with --db."))
    rng = random.Random(SEED)
    world = DemoWorld(
        today=today,
        scale=scale,
        rng=rng,
        names=NameMaker(rng),
        group_formed=formation_day(today),
    )
    with database_proxy.atomic():
        for step in STEPS:
            step(world)
    return _("Created {township}: {units} units, {people} people, {members} group members.").format(
        township=TOWNSHIP_NAME,
        units=Unit.select().count(),
        people=Person.select().count(),
        members=world.counts.get("group_members", 0),
    )
