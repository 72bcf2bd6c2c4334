"""Databases of every released schema open in this version with every row kept.

tests/data/schema-v1.sqlite is a demo township written by the first release (schema 1: the
roster).  Each later schema adds a fixture of its own here.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from peewee import fn

from app.audit.verify import trail_problems
from app.responsibility.duties import DUTY_KINDS, duties_of
from app.roster.service import roster_as_of
from app.storage.backup import verify_database_file
from app.storage.migrations import CURRENT_VERSION, close_database, open_database, schema_version
from app.storage.models import AuditEntry, GroupMembership, Meeting, Post, Unit

DATA = Path(__file__).parent / "data"
FIXTURES = {
    1: DATA / "schema-v1.sqlite",
    2: DATA / "schema-v2.sqlite",
    3: DATA / "schema-v3.sqlite",
}
NOT_RECORDS = {"schema_version", "audit_entry", "housekeeping"}


def _rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(path) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            table: connection.execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall()
            for table in tables
        }


@pytest.mark.parametrize("version", sorted(FIXTURES))
def test_every_released_schema_upgrades_with_every_row_kept(version: int, tmp_path: Path) -> None:
    close_database()
    copy = tmp_path / f"v{version}.sqlite"
    shutil.copyfile(FIXTURES[version], copy)
    before = _rows(copy)
    assert before["schema_version"][0][1] == version

    db = open_database(str(copy))
    assert schema_version(db) == CURRENT_VERSION
    # Every row of every old table is still there, with its old values first.
    after = _rows(copy)
    for table, rows in before.items():
        if table == "schema_version":
            continue
        assert len(after[table]) == len(rows), table
        for old, new in zip(rows, after[table], strict=True):
            assert new[: len(old)] == old, table
    # The roster reads as before; what a version added starts as in a new database.
    latest = GroupMembership.select(fn.MAX(GroupMembership.start_date)).scalar()
    assert len(roster_as_of(latest).lines) > 10
    if version < 2:
        assert Unit.select().where(Unit.supervisor.is_null(False)).count() == 0
    assert all(duties_of(kind) for kind in DUTY_KINDS)
    if version < 3:
        assert Meeting.select().count() == 0
    # The audit trail starts with every record as the upgrade left it, and checks clean.
    baseline = AuditEntry.select().where(AuditEntry.action == "baseline").count()
    records = sum(len(rows) for table, rows in after.items() if table not in NOT_RECORDS)
    assert baseline == records > 0
    assert trail_problems() == []
    close_database()
    backups = list((tmp_path / "backups").glob(f"*before-upgrade-v{version}*"))
    assert len(backups) == 1 and verify_database_file(backups[0]) == version


def test_titles_recorded_without_a_kind_get_one_on_upgrade(tmp_path: Path) -> None:
    close_database()
    copy = tmp_path / "v1.sqlite"
    shutil.copyfile(FIXTURES[1], copy)
    with sqlite3.connect(copy) as connection:
        person = connection.execute(
            "INSERT INTO person (name, phone, notes) VALUES ('孙立', '', '')"
        )
        connection.executemany(
            "INSERT INTO post (person_id, title, unit_id, kind, sort_order, start_date)"
            " VALUES (?, ?, NULL, 'other', ?, '2024-01-01')",
            [(person.lastrowid, "副镇长", 0), (person.lastrowid, "镇党委委员", 1)],
        )
    open_database(str(copy))
    kinds = dict(Post.select(Post.title, Post.kind).where(Post.person == person.lastrowid).tuples())
    assert kinds == {"副镇长": "deputy", "镇党委委员": "other"}
    close_database()
