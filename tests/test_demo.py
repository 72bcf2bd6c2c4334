"""The demo township: complete, with history, reproducible, and never poured over real data."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from app.cli import main
from app.demo import DemoError, create_demo
from app.demo.names import RARE
from app.org.kinds import PostKind, RiskClass, UnitKind
from app.roster import service
from app.roster.roles import GroupRole, OfficeRole
from app.storage.db import database_path, database_proxy
from app.storage.migrations import close_database, open_database
from app.storage.models import ALL_MODELS, GroupMembership, LeadingGroup, Person, Post, Unit

TODAY = dt.date(2026, 3, 15)


@contextmanager
def another_database(path: Path) -> Iterator[None]:
    """Work in a second database for a while, then return to the test's own (conftest's)."""
    previous = database_proxy.obj
    open_database(str(path))
    try:
        yield
    finally:
        close_database()
        database_proxy.initialize(previous)


def row_counts() -> dict[str, int]:
    return {model.__name__: model.select().count() for model in ALL_MODELS}


def unit_count() -> int:
    return int(Unit.select().count())


def test_demo_has_units_of_every_kind() -> None:
    summary = create_demo(today=TODAY)
    kinds = {unit.kind for unit in Unit.select()}
    assert kinds >= {
        UnitKind.TOWNSHIP,
        UnitKind.DEPARTMENT,
        UnitKind.VILLAGE,
        UnitKind.COMMUNITY,
        UnitKind.ENTERPRISE,
    }
    township = Unit.get(Unit.kind == UnitKind.TOWNSHIP.value)
    assert township.parent is None
    assert 25 <= unit_count() <= 40
    assert township.name in summary and str(unit_count()) in summary
    enterprises = list(Unit.select().where(Unit.kind == UnitKind.ENTERPRISE.value))
    assert {e.risk_class for e in enterprises} == {r.value for r in RiskClass}
    assert all(3 <= e.employees <= 300 for e in enterprises)
    villages = Unit.select().where(Unit.kind == UnitKind.VILLAGE.value)
    assert all(len(v.name) == 3 and v.name.endswith("村") for v in villages)


def test_people_hold_posts_of_every_kind() -> None:
    create_demo(today=TODAY)
    assert 100 <= Person.select().count() <= 150
    without_posts = Person.select().where(~Person.id.in_(Post.select(Post.person)))
    assert without_posts.count() == 0
    kinds = {post.kind for post in Post.select(Post.kind)}
    assert kinds >= {kind.value for kind in PostKind if kind != PostKind.OTHER}
    # Every post of a unit's people names that unit; leaders belong to the township.
    assert Post.select().where(Post.unit.is_null()).count() == 0
    # A village led by one person: "…村党总支书记、主任" is one person with two titles.
    combined = Post.select().where((Post.title == "主任") & Post.end_date.is_null())
    assert combined.count() >= 1
    names = [person.name for person in Person.select()]
    assert len(names) == len(set(names))
    assert {len(name) for name in names} >= {2, 3}
    assert any(ch in name for name in names for ch in RARE)


def test_todays_roster_has_leaders_and_an_office_director() -> None:
    create_demo(today=TODAY)
    snapshot = service.roster_as_of(TODAY)
    assert snapshot.group_name == "青禾镇安全生产领导小组"
    assert snapshot.office_location
    roles = [line.role for line in snapshot.lines]
    assert roles[0] == GroupRole.LEADER
    assert set(roles) == set(GroupRole)
    directors = snapshot.office_holders(OfficeRole.DIRECTOR)
    assert len(directors) == 1
    assert any("应急管理办公室" in title for title in directors[0].titles)
    assert any(line.titles[1:] == ("主任",) for line in snapshot.lines)


def test_roster_history_changes_and_shows_succession() -> None:
    create_demo(today=TODAY)
    now = service.roster_as_of(TODAY)
    before = service.roster_as_of(TODAY - dt.timedelta(days=2 * 365))
    formed = service.roster_as_of(TODAY - dt.timedelta(days=3 * 365 + 40))
    assert before.lines and not formed.lines
    assert [(line.name, line.role) for line in now.lines] != [
        (line.name, line.role) for line in before.lines
    ]
    # The township head who led with the party secretary two years ago has a successor now.
    assert [line.role for line in before.lines].count(GroupRole.LEADER) == 1
    assert [line.role for line in now.lines].count(GroupRole.LEADER) == 2
    assert GroupMembership.select().where(GroupMembership.predecessor.is_null(False)).exists()
    successors = [line for line in now.lines if line.predecessor_name]
    assert successors
    before_names = {line.name for line in before.lines}
    assert all(line.predecessor_name in before_names for line in successors)
    assert all(line.name not in before_names for line in successors)
    # Posts pass over with the membership: the predecessor no longer holds them today.
    head = next(line for line in now.lines if "镇长" in line.titles)
    assert head.predecessor_name
    old_head = Person.get(Person.name == head.predecessor_name)
    assert not Post.select().where((Post.person == old_head) & Post.end_date.is_null()).exists()


def test_demo_is_the_same_every_time(tmp_path: Path) -> None:
    create_demo(today=TODAY)
    first = [person.name for person in Person.select().order_by(Person.id)]
    first_units = [unit.name for unit in Unit.select().order_by(Unit.id)]
    with another_database(tmp_path / "again.sqlite3"):
        create_demo(today=TODAY)
        second = [person.name for person in Person.select().order_by(Person.id)]
        second_units = [unit.name for unit in Unit.select().order_by(Unit.id)]
    assert first == second
    assert first_units == second_units


def test_demo_refuses_a_database_with_data() -> None:
    Unit.create(name="白鹭乡", kind=UnitKind.TOWNSHIP.value)
    before = row_counts()
    with pytest.raises(DemoError) as caught:
        create_demo(today=TODAY)
    assert "--db" in str(caught.value)
    assert row_counts() == before


def test_demo_accepts_a_database_with_only_an_empty_group() -> None:
    service.roster_as_of(TODAY)  # a first look at the roster makes the group's row
    create_demo(today=TODAY)
    assert LeadingGroup.select().count() == 1
    assert LeadingGroup.get().name == "青禾镇安全生产领导小组"


def test_demo_refuses_to_run_twice() -> None:
    create_demo(today=TODAY)
    before = row_counts()
    with pytest.raises(DemoError):
        create_demo(today=TODAY)
    assert row_counts() == before


def test_scale_multiplies_the_township(tmp_path: Path) -> None:
    create_demo(scale=1, today=TODAY)
    units_1, people_1 = unit_count(), Person.select().count()
    members_1 = len(service.roster_as_of(TODAY).lines)
    with another_database(tmp_path / "scale2.sqlite3"):
        create_demo(scale=2, today=TODAY)
        units_2, people_2 = unit_count(), Person.select().count()
        members_2 = len(service.roster_as_of(TODAY).lines)
    assert 1.8 <= (units_2 - 1) / (units_1 - 1) <= 2.2
    assert 1.6 <= people_2 / people_1 <= 2.2
    assert members_2 > members_1


def test_cli_demo_then_roster_list(capsys: pytest.CaptureFixture[str]) -> None:
    db = str(database_path())
    assert main(["--db", db, "demo"]) == 0
    summary = capsys.readouterr().out
    assert "青禾镇" in summary
    assert main(["--db", db, "roster", "list", "--format", "json"]) == 0
    listing = json.loads(capsys.readouterr().out)
    assert listing["group"] == "青禾镇安全生产领导小组"
    assert len(listing["members"]) >= 25
    assert listing["members"][0]["role"] == GroupRole.LEADER.value
    assert any(m["office_role"] == OfficeRole.DIRECTOR.value for m in listing["members"])


def test_demo_fits_old_sqlite_parameter_limits() -> None:
    import sqlite3

    from app.storage.db import database_proxy

    # SQLite before 3.32 (UOS V20, Kylin V10) binds at most 999 parameters a statement.
    database_proxy.connection().setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)
    create_demo(scale=3, today=dt.date(2026, 11, 23))
    assert Unit.select().count() > 80
