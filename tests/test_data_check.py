"""Is the data sound?  The database's own checks, the attachments' hashes and the audit trail,
as check_health and ``safeduty check`` report them, with the newest good backup offered.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from app.cli import main
from app.meetings.attachments import attach, attachment_path
from app.storage.backup import backup_to, backups_folder, default_backup_name
from app.storage.db import database_path, database_proxy
from app.storage.health import (
    FULL_CHECK_EVERY,
    check_health,
    full_check_due,
    last_full_check,
    note_full_check,
)
from app.storage.migrations import close_database, open_database
from app.storage.models import AuditEntry, Housekeeping, Meeting, Person

SCAN = b"%PDF-1.4 sign-in sheet " + bytes(range(256)) * 20


def db_file() -> Path:
    path = database_path()
    assert path is not None
    return path


def outside(path: Path, *statements: str) -> None:
    """Changes by another program: a plain connection, no audit triggers."""
    connection = sqlite3.connect(path)
    try:
        for statement in statements:
            connection.execute(statement)
        connection.commit()
    finally:
        connection.close()


def damage_an_index(path: Path) -> None:
    """An index that no longer matches its table: integrity_check finds it, quick_check
    (which skips the index cross-checks) does not."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA writable_schema = ON")
        connection.execute(
            'UPDATE sqlite_master SET sql = \'CREATE INDEX "person_name" ON "person"'
            " (\"phone\")' WHERE name = 'person_name'"
        )
        connection.commit()
    finally:
        connection.close()


def scanned_meeting(tmp_path: Path, name: str = "签到表.pdf") -> int:
    meeting = Meeting.create(kind="other", held_on=dt.date(2026, 3, 1), title="例会")
    source = tmp_path / name
    source.write_bytes(SCAN)
    return int(attach(meeting.id, source).id)


# ---------------------------------------------------------------------------- check_health


def test_a_sound_database_passes_and_the_full_check_is_noted(tmp_path: Path) -> None:
    scanned_meeting(tmp_path)
    Person.create(name="张三")
    assert last_full_check() is None
    report = check_health(full=True)
    assert report.ok and report.full
    assert (report.database, report.attachments, report.trail) == ([], [], [])
    assert report.summary() == []
    noted = last_full_check()
    assert noted is not None and dt.datetime.now() - noted < dt.timedelta(minutes=1)
    assert not full_check_due()


def test_the_quick_check_skips_the_attachments_and_is_not_noted_as_full(
    tmp_path: Path,
) -> None:
    from app.storage.models import Attachment

    attachment = Attachment.get_by_id(scanned_meeting(tmp_path))
    attachment_path(attachment).write_bytes(b"changed")
    report = check_health(full=False)
    assert not report.full
    assert report.attachments == [] and report.ok  # hashing every scan waits for the full one
    assert last_full_check() is None and full_check_due()
    full = check_health(full=True)
    assert full.attachments == ["签到表.pdf"] and not full.ok


def test_a_changed_or_missing_attachment_is_reported(tmp_path: Path) -> None:
    from app.storage.models import Attachment

    changed = Attachment.get_by_id(scanned_meeting(tmp_path, "签到表.pdf"))
    same = Attachment.get_by_id(scanned_meeting(tmp_path, "现场照片.pdf"))
    assert changed.stored_as == same.stored_as  # the same content is stored once
    other = tmp_path / "记录.txt"
    other.write_bytes(b"minutes of the meeting")
    kept = attach(changed.meeting_id, other)
    path = attachment_path(changed)
    path.write_bytes(bytes(reversed(SCAN)))  # same size, other content
    report = check_health(full=True)
    assert sorted(report.attachments) == ["现场照片.pdf", "签到表.pdf"]
    assert report.database == [] and report.trail == []
    assert len(report.summary()) == 1
    attachment_path(kept).unlink()
    assert len(check_health(full=True).attachments) == 3


def test_changes_behind_the_program_s_back_are_reported(tmp_path: Path) -> None:
    person = Person.create(name="张三")
    outside(db_file(), f"UPDATE person SET phone = '110' WHERE id = {person.id}")
    report = check_health(full=False)
    assert report.database == [] and len(report.trail) == 1 and not report.ok
    assert f"#{person.id}" in report.trail[0]
    assert len(report.summary()) == 1


def test_an_edited_audit_entry_is_reported(tmp_path: Path) -> None:
    Person.create(name="张三")
    Person.create(name="李四")
    middle = AuditEntry.select().order_by(AuditEntry.id.desc()).offset(1).first()
    outside(db_file(), f"UPDATE audit_entry SET actor = '别人' WHERE id = {middle.id}")
    report = check_health(full=True)
    assert len(report.trail) == 1 and str(middle.id) in report.trail[0]


def test_a_damaged_database_is_reported_and_the_rest_is_not_read(tmp_path: Path) -> None:
    scanned_meeting(tmp_path)
    Person.create(name="张三", phone="1")
    Person.create(name="李四", phone="2")
    path = db_file()
    close_database()
    damage_an_index(path)
    # The record changes that come with it would be trail findings on a sound file.
    outside(path, "UPDATE person SET notes = 'x'")
    open_database(str(path))
    for stored in path.with_name(path.name + "-attachments").rglob("*.pdf"):
        stored.write_bytes(b"changed")
    full = check_health(full=True)
    assert full.database and not full.ok
    assert full.attachments == [] and full.trail == []  # a damaged file is not read further
    assert last_full_check() is None  # a failed check is not a passed one
    assert len(full.summary()) == 1
    # The quick check at start does not see this kind of damage; it does read the trail.
    quick = check_health(full=False)
    assert quick.database == [] and len(quick.trail) == 2


# ---------------------------------------------------------------------------- weekly


def test_the_full_check_is_due_weekly() -> None:
    now = dt.datetime(2026, 11, 24, 9, 0)
    assert full_check_due(now)  # never run
    note_full_check(now - FULL_CHECK_EVERY + dt.timedelta(minutes=1))
    assert not full_check_due(now)
    note_full_check(now - FULL_CHECK_EVERY)
    assert full_check_due(now)
    note_full_check(now - dt.timedelta(days=30))
    assert full_check_due(now)
    note_full_check(now)
    assert not full_check_due(now + dt.timedelta(days=6, hours=23))
    assert full_check_due(now + dt.timedelta(days=7))
    notes = Housekeeping.select().where(Housekeeping.key == "last_full_check")
    assert notes.count() == 1  # one note, updated
    assert last_full_check() == now
    assert dt.timedelta(days=7) == FULL_CHECK_EVERY


def test_noting_a_check_is_not_a_change_in_the_trail() -> None:
    before = AuditEntry.select().count()
    note_full_check()
    note_full_check()
    assert AuditEntry.select().count() == before


def test_an_unreadable_note_makes_the_check_due() -> None:
    Housekeeping.create(key="last_full_check", value="not a time")
    assert last_full_check() is None and full_check_due()


def test_a_read_only_database_notes_nothing() -> None:
    path = db_file()
    close_database()
    open_database(str(path), read_only=True)
    note_full_check()
    report = check_health(full=True)
    assert report.ok
    close_database()
    open_database(str(path))
    assert last_full_check() is None


# ---------------------------------------------------------------------------- safeduty check


@pytest.fixture
def demo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "demo" / "qinghe.sqlite3"
    assert main(["--db", str(path), "demo", "--today", "2026-11-20"]) == 0
    capsys.readouterr()
    return path


def check(path: Path) -> int:
    return main(["--db", str(path), "check"])


def test_check_passes_a_clean_demo_database(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert check(demo) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() and captured.err == ""
    connection = sqlite3.connect(demo)
    try:
        (noted,) = connection.execute(
            "SELECT COUNT(*) FROM housekeeping WHERE key = 'last_full_check'"
        ).fetchone()
    finally:
        connection.close()
    assert noted == 1


def trail_length(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute("SELECT COUNT(*) FROM audit_entry").fetchone()[0])
    finally:
        connection.close()


def newest_backup_of(path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A good backup where the program keeps them (beside the database), named as it names them."""
    older = path.parent / "backups" / f"{path.stem}-manual-20261101-080000.sqlite3"
    older.parent.mkdir(exist_ok=True)
    newest = path.parent / "backups" / f"{path.stem}-auto-20261120-180000.sqlite3"
    for target in (older, newest):
        assert main(["--db", str(path), "backup", str(target)]) == 0
    capsys.readouterr()
    return newest


def test_check_finds_a_change_made_behind_the_program_s_back(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    newest = newest_backup_of(demo, capsys)
    # Another backup named later but damaged is not offered.
    (demo.parent / "backups" / f"{demo.stem}-auto-20261121-090000.sqlite3").write_bytes(
        b"\0" * 8192
    )
    outside(demo, "UPDATE person SET phone = '13800000000' WHERE id = 3")
    entries_before = trail_length(demo)
    assert check(demo) == 1
    captured = capsys.readouterr()
    err = captured.err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) >= 3  # the finding, the summary, the way back, the verdict
    assert any("#3" in line for line in lines)
    offered = [line for line in lines if newest.name in line]
    assert len(offered) == 1 and f"safeduty restore {newest}" in offered[0]
    assert trail_length(demo) == entries_before  # the check changed nothing


def test_check_reports_records_added_and_removed_outside(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside(
        demo,
        "INSERT INTO person (name, phone, notes) VALUES ('外来', '', '')",
        "DELETE FROM follow_up WHERE id = 1",
    )
    assert check(demo) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    # Two findings, then the summary and the verdict; no backup to offer here.
    assert len(err.strip().splitlines()) == 4


def test_check_reports_a_changed_attachment_by_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.storage.models import Attachment

    attachment = Attachment.get_by_id(scanned_meeting(tmp_path, "三月签到表.pdf"))
    assert check(db_file()) == 0
    capsys.readouterr()
    attachment_path(attachment).write_bytes(b"scribbled over")
    assert check(db_file()) == 1
    err = capsys.readouterr().err
    assert "三月签到表.pdf" in err and "Traceback" not in err


def test_check_of_a_damaged_database_offers_the_newest_good_backup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Person.create(name="张三", phone="1")
    path = db_file()
    good = backup_to(backups_folder() / default_backup_name("manual")).path
    close_database()
    damage_an_index(path)
    assert check(path) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert good.name in err and "person_name" in err


def test_check_refuses_a_database_that_is_not_there(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere" / "x.sqlite3"
    assert check(missing) == 1
    err = capsys.readouterr().err
    assert err.strip() and "\n" not in err.strip() and "Traceback" not in err
    assert not missing.exists()  # checking never creates a database


def test_the_check_leaves_the_database_open_in_the_proxy_closed() -> None:
    # main() closes what it opened; the next command starts clean.
    assert check(db_file()) == 0
    assert database_proxy.obj.is_closed()


def test_a_database_too_damaged_to_open_points_to_its_backup_and_restore_brings_it_back(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    newest = newest_backup_of(demo, capsys)
    garbage = b"not a database at all " * 300
    demo.write_bytes(garbage)
    assert check(demo) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and newest.name in err
    assert f"safeduty restore {newest}" in err
    # The same restore command gets it back, keeping the damaged file beside it.
    assert main(["--db", str(demo), "restore", str(newest)]) == 0
    out = capsys.readouterr().out
    damaged = list(demo.parent.glob(f"{demo.stem}-damaged-*{demo.suffix}"))
    assert len(damaged) == 1 and damaged[0].read_bytes() == garbage
    assert damaged[0].name in out
    assert check(demo) == 0
    assert main(["--db", str(demo), "audit", "list", "--limit", "1", "--format", "json"]) == 0
    assert '"action": "restore"' in capsys.readouterr().out


def test_a_trail_removed_outside_begins_again_and_is_always_reported(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside(demo, "DROP TABLE audit_entry")
    # Opening begins the trail again (changes are recorded), and the check says why.
    assert check(demo) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "操作记录曾在本系统之外被删除" in err
    assert main(["--db", str(demo), "roster", "list"]) == 0
    assert check(demo) == 1  # not forgotten after a check
    capsys.readouterr()
    assert trail_length(demo) > 100


def test_backup_will_not_overwrite_a_file_that_is_not_a_backup(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workbook = tmp_path / "名册.xlsx"
    workbook.write_bytes(b"PK\x03\x04 a clerk's workbook")
    assert main(["--db", str(demo), "backup", str(workbook)]) == 1
    assert workbook.read_bytes() == b"PK\x03\x04 a clerk's workbook"
    assert "名册.xlsx" in capsys.readouterr().err
    # An older backup of the same name is replaced: what a nightly script does.
    nightly = tmp_path / "nightly.sqlite3"
    assert main(["--db", str(demo), "backup", str(nightly)]) == 0
    assert main(["--db", str(demo), "backup", str(nightly)]) == 0
