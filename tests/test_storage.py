"""Storage: the schema version, migrations with a backup first, refusals, backups, pragmas."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import peewee
import pytest

from app.storage import migrations
from app.storage.backup import backup_to, integrity_problems, restore_from, verify_database_file
from app.storage.db import database_proxy, sqlite_path_from_url
from app.storage.errors import DatabaseDamagedError, NewerDatabaseError, StorageError
from app.storage.migrations import CURRENT_VERSION, close_database, open_database, schema_version
from app.storage.models import Person, SchemaVersion


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    close_database()
    return tmp_path / "store.sqlite3"


def test_new_database_gets_every_table_and_the_current_version(db_file: Path) -> None:
    db = open_database(str(db_file))
    assert schema_version(db) == CURRENT_VERSION
    assert {"unit", "person", "post", "leading_group", "group_membership"} <= set(db.get_tables())
    close_database()


def test_pragmas_protect_committed_data(db_file: Path) -> None:
    open_database(str(db_file))
    conn = database_proxy.connection()
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    close_database()


def test_url_forms_name_the_same_file(tmp_path: Path) -> None:
    target = tmp_path / "a.sqlite3"
    assert sqlite_path_from_url(str(target)) == target
    assert sqlite_path_from_url(f"sqlite:///{target}") == target
    assert sqlite_path_from_url("postgresql://host/db") is None


def test_unsupported_url_is_refused_clearly(db_file: Path) -> None:
    with pytest.raises(StorageError, match="sqlite"):
        open_database("postgresql://localhost/safety")


def test_database_of_a_newer_program_is_refused_and_left_alone(db_file: Path) -> None:
    open_database(str(db_file))
    SchemaVersion.update(version=CURRENT_VERSION + 5).execute()
    close_database()
    before = db_file.read_bytes()
    with pytest.raises(NewerDatabaseError) as caught:
        open_database(str(db_file))
    assert str(CURRENT_VERSION + 5) in str(caught.value)
    assert db_file.read_bytes() == before


def test_file_of_another_program_is_refused(db_file: Path) -> None:
    conn = sqlite3.connect(db_file)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    with pytest.raises(StorageError):
        open_database(str(db_file))


def test_garbage_file_is_refused_as_damaged(db_file: Path) -> None:
    db_file.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(DatabaseDamagedError):
        open_database(str(db_file))


def test_upgrade_backs_up_first_then_runs_each_step_in_order(
    db_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_database(str(db_file))
    Person.create(name="闫旻")
    close_database()
    steps: list[int] = []

    def step(number: int):
        def run(db: peewee.Database) -> None:
            # The backup must already exist when a step runs.
            assert list((db_file.parent / "backups").glob("*before-upgrade*"))
            steps.append(number)

        return run

    monkeypatch.setattr(migrations, "CURRENT_VERSION", CURRENT_VERSION + 2)
    monkeypatch.setattr(
        migrations,
        "MIGRATIONS",
        {
            CURRENT_VERSION + 1: step(CURRENT_VERSION + 1),
            CURRENT_VERSION + 2: step(CURRENT_VERSION + 2),
        },
    )
    db = open_database(str(db_file))
    assert steps == [CURRENT_VERSION + 1, CURRENT_VERSION + 2]
    assert schema_version(db) == CURRENT_VERSION + 2
    assert Person.get().name == "闫旻"
    close_database()
    backups = list((db_file.parent / "backups").glob("*before-upgrade*"))
    assert len(backups) == 1
    assert verify_database_file(backups[0]) == CURRENT_VERSION


def test_failed_upgrade_step_leaves_the_old_version(
    db_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_database(str(db_file))
    close_database()

    def broken(db: peewee.Database) -> None:
        Person.create(name="半途")
        raise RuntimeError("step failed")

    monkeypatch.setattr(migrations, "CURRENT_VERSION", CURRENT_VERSION + 1)
    monkeypatch.setattr(migrations, "MIGRATIONS", {CURRENT_VERSION + 1: broken})
    with pytest.raises(RuntimeError):
        open_database(str(db_file))
    close_database()
    monkeypatch.undo()
    db = open_database(str(db_file))
    assert schema_version(db) == CURRENT_VERSION
    assert Person.select().count() == 0
    close_database()


def test_backup_is_verified_and_restore_keeps_a_copy_of_the_current(
    db_file: Path, tmp_path: Path
) -> None:
    open_database(str(db_file))
    Person.create(name="张三")
    copy = backup_to(tmp_path / "copy.sqlite3").path
    assert verify_database_file(copy) == CURRENT_VERSION
    Person.create(name="李四")
    safety = restore_from(copy)
    assert [p.name for p in Person.select()] == ["张三"]
    assert integrity_problems() == []
    close_database()
    # The copy taken before the restore still holds what was there.
    conn = sqlite3.connect(safety)
    names = sorted(row[0] for row in conn.execute("SELECT name FROM person"))
    conn.close()
    assert names == ["张三", "李四"]


def test_restore_refuses_a_damaged_file_and_changes_nothing(db_file: Path, tmp_path: Path) -> None:
    open_database(str(db_file))
    Person.create(name="张三")
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"\0" * 4096)
    with pytest.raises(StorageError):
        restore_from(bad)
    assert [p.name for p in Person.select()] == ["张三"]
    close_database()


def test_a_write_waits_for_another_writer_instead_of_failing(db_file: Path) -> None:
    import threading
    import time

    from app.roster import service
    from app.roster.roles import GroupRole

    open_database(str(db_file))
    service.get_group()
    other = sqlite3.connect(db_file, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO person (name, phone, notes) VALUES ('另一个程序', '', '')")
    released = threading.Event()

    def release() -> None:
        time.sleep(0.5)
        other.commit()
        released.set()

    threading.Thread(target=release).start()
    # Reads first, then writes: with a deferred BEGIN this failed at once with "locked".
    service.add_member(
        service.MemberInput(name="周建国", role=GroupRole.LEADER), dt.date(2025, 1, 1)
    )
    assert released.is_set()
    assert {p.name for p in Person.select()} == {"另一个程序", "周建国"}
    other.close()
    close_database()


def test_backup_into_a_folder_with_uri_characters(db_file: Path, tmp_path: Path) -> None:
    open_database(str(db_file))
    Person.create(name="张三")
    folder = tmp_path / "备份#1 ?"
    folder.mkdir()
    copy = backup_to(folder / "b.sqlite3").path
    assert verify_database_file(copy) == CURRENT_VERSION
    restore_from(copy)
    assert [p.name for p in Person.select()] == ["张三"]
    close_database()
