"""Backups: one verified file with the attachments inside; restore that keeps the current
content first, upgrades old backups and refuses what it cannot use; automatic backups and
their retention; recovering a database too damaged to open.

Tests marked "DEFECT" fail on purpose (see the report that came with them).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import sqlite3
import types
from pathlib import Path

import pytest

from app.audit.verify import trail_problems
from app.cli import main
from app.config import Settings
from app.meetings.attachments import (
    attach,
    attachment_path,
    attachments_dir,
    damaged_attachments,
    verify_attachment,
)
from app.storage import autobackup
from app.storage.autobackup import AutoBackup, kept, prune
from app.storage.backup import (
    FILES_TABLE,
    BackupFile,
    backup_to,
    backups_folder,
    default_backup_name,
    list_backups,
    newest_good_backup,
    replace_damaged,
    restore_from,
    verify_database_file,
)
from app.storage.db import database_path, database_proxy
from app.storage.errors import DatabaseDamagedError, StorageError
from app.storage.health import last_full_check
from app.storage.migrations import (
    CURRENT_VERSION,
    close_database,
    open_database,
    schema_version,
)
from app.storage.models import Attachment, AuditEntry, Meeting, Person

DATA = Path(__file__).parent / "data"
SCAN = b"%PDF-1.4 sign-in sheet " + bytes(range(256)) * 40
PHOTO = b"\xff\xd8\xff\xe0 a photo of the meeting " * 100


# ---------------------------------------------------------------------------- helpers


def db_file() -> Path:
    path = database_path()
    assert path is not None
    return path


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def meeting_with(tmp_path: Path, files: dict[str, bytes]) -> list[Attachment]:
    meeting = Meeting.create(kind="other", held_on=dt.date(2026, 3, 1), title="安全例会")
    usb = tmp_path / "usb"
    usb.mkdir(exist_ok=True)
    made = []
    for name, data in files.items():
        source = usb / name
        source.write_bytes(data)
        made.append(attach(meeting.id, source))
    return made


def state() -> tuple[list[str], int, str]:
    """What a refused operation must leave as it was: the records and the trail."""
    names = sorted(p.name for p in Person.select())
    last = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    return names, AuditEntry.select().count(), last.hash


def names_in(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return sorted(name for (name,) in connection.execute("SELECT name FROM person"))
    finally:
        connection.close()


def tables_in(path: Path) -> set[str]:
    connection = sqlite3.connect(path)
    try:
        return {n for (n,) in connection.execute("SELECT name FROM sqlite_master")}
    finally:
        connection.close()


# ---------------------------------------------------------------------------- backup


def test_a_backup_carries_the_attachments_and_a_restore_puts_them_back(tmp_path: Path) -> None:
    scan, photo = meeting_with(tmp_path, {"签到表.pdf": SCAN, "现场.jpg": PHOTO})
    result = backup_to(tmp_path / "copy.sqlite3")
    assert result.files == 2 and result.missing == ()
    assert verify_database_file(result.path) == CURRENT_VERSION
    # The attachments lost (a new computer, a deleted folder) ...
    shutil.rmtree(attachments_dir())
    assert {a.file_name for a in damaged_attachments()} == {"签到表.pdf", "现场.jpg"}
    restore_from(result.path)
    # ... are back, with the content they were stored with.
    assert attachment_path(Attachment.get_by_id(scan.id)).read_bytes() == SCAN
    assert sha(attachment_path(Attachment.get_by_id(photo.id)).read_bytes()) == sha(PHOTO)
    assert damaged_attachments() == []
    # The live database does not keep the carried copies.
    assert FILES_TABLE not in tables_in(db_file())


def test_a_changed_attachment_is_put_right_by_a_restore(tmp_path: Path) -> None:
    [scan] = meeting_with(tmp_path, {"签到表.pdf": SCAN})
    copy = backup_to(tmp_path / "copy.sqlite3").path
    attachment_path(scan).write_bytes(b"overwritten by a virus scanner")
    assert not verify_attachment(scan)
    restore_from(copy)
    assert verify_attachment(Attachment.get_by_id(scan.id))


def test_a_missing_or_changed_attachment_is_listed_and_the_backup_still_succeeds(
    tmp_path: Path,
) -> None:
    scan, photo, sheet = meeting_with(
        tmp_path, {"签到表.pdf": SCAN, "现场.jpg": PHOTO, "记录.txt": b"minutes"}
    )
    attachment_path(scan).unlink()
    attachment_path(photo).write_bytes(b"not the photo any more")
    result = backup_to(tmp_path / "copy.sqlite3")
    assert sorted(result.missing) == ["现场.jpg", "签到表.pdf"]
    assert result.files == 1
    assert verify_database_file(result.path) == CURRENT_VERSION
    connection = sqlite3.connect(result.path)
    try:
        carried = connection.execute(f"SELECT sha256 FROM {FILES_TABLE}").fetchall()
    finally:
        connection.close()
    assert carried == [(sheet.sha256,)]


def test_a_backup_is_one_checked_file_without_a_journal(tmp_path: Path) -> None:
    Person.create(name="张三")
    target = tmp_path / "out" / "copy.sqlite3"
    target.parent.mkdir()
    result = backup_to(target)
    assert result.path == target and result.files == 0 and result.missing == ()
    assert sorted(p.name for p in target.parent.iterdir()) == ["copy.sqlite3"]
    header = target.read_bytes()[:20]
    assert header[:16] == b"SQLite format 3\x00"
    assert header[18:20] == b"\x01\x01"  # rollback journal, not WAL: nothing to carry beside
    assert names_in(target) == ["张三"]
    assert verify_database_file(target) == CURRENT_VERSION


def test_a_backup_over_the_database_itself_is_refused() -> None:
    Person.create(name="张三")
    before = state()
    with pytest.raises(StorageError):
        backup_to(db_file())
    with pytest.raises(StorageError):
        backup_to(str(db_file().parent / "." / db_file().name))
    assert state() == before


def test_a_backup_whose_carried_file_was_altered_fails_its_check(tmp_path: Path) -> None:
    meeting_with(tmp_path, {"签到表.pdf": SCAN})
    copy = backup_to(tmp_path / "copy.sqlite3").path
    connection = sqlite3.connect(copy)
    connection.execute(f"UPDATE {FILES_TABLE} SET data = ?", (b"tampered",))
    connection.commit()
    connection.close()
    with pytest.raises(DatabaseDamagedError):
        verify_database_file(copy)
    with pytest.raises(StorageError):
        restore_from(copy)


def test_the_cli_backup_names_the_missing_attachment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scan, _photo = meeting_with(tmp_path, {"签到表.pdf": SCAN, "现场.jpg": PHOTO})
    attachment_path(scan).unlink()
    out = tmp_path / "manual.sqlite3"
    assert main(["--db", str(db_file()), "backup", str(out)]) == 0
    captured = capsys.readouterr()
    assert str(out) in captured.out
    assert "签到表.pdf" in captured.err and "现场.jpg" not in captured.err
    assert verify_database_file(out) == CURRENT_VERSION


# ---------------------------------------------------------------------------- restore


def test_restore_keeps_the_current_content_first_then_checks_and_records_itself(
    tmp_path: Path,
) -> None:
    Person.create(name="张三")
    copy = backup_to(tmp_path / "周一.sqlite3").path
    Person.create(name="李四")
    safety = restore_from(copy)
    assert [p.name for p in Person.select()] == ["张三"]
    # The content replaced is kept, verified, where backups go, under a name saying why.
    assert safety.parent == backups_folder() == db_file().parent / "backups"
    assert names_in(safety) == ["张三", "李四"]
    assert verify_database_file(safety) == CURRENT_VERSION
    assert [(b.path, b.reason) for b in list_backups()] == [(safety, "before-restore")]
    # The restore is the trail's newest entry, and the restored trail checks clean.
    last = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    assert last.action == "restore" and last.table_name == "" and last.record_id is None
    assert json.loads(last.after) == {"file": "周一.sqlite3"}
    assert trail_problems() == []
    # The full check ran and was noted.
    checked = last_full_check()
    assert checked is not None and dt.datetime.now() - checked < dt.timedelta(minutes=2)


class _SameSecond(dt.datetime):
    """A clock stuck in one second (its microseconds still run), as a fast computer or a
    script sees it."""

    @classmethod
    def now(cls, tz: dt.tzinfo | None = None) -> _SameSecond:  # type: ignore[override]
        real = dt.datetime.now(tz)
        return cls(2026, 11, 24, 9, 30, 0, real.microsecond, tzinfo=real.tzinfo)


@pytest.fixture
def same_second(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.storage import backup

    clock = types.SimpleNamespace(
        datetime=_SameSecond, date=dt.date, time=dt.time, timedelta=dt.timedelta
    )
    monkeypatch.setattr(backup, "dt", clock)


def test_undoing_a_restore_within_the_same_second_keeps_the_content(
    tmp_path: Path, same_second: None
) -> None:
    """DEFECT: app/storage/backup.py _safety_copy names the copy by default_backup_name,
    which has one-second resolution, and backup_to silently replaces an existing file.
    Restoring the "before-restore" copy within the same second first overwrites that very
    copy with the current content, then restores it: the content being gone back to is
    lost for good."""
    Person.create(name="张三")
    copy = backup_to(tmp_path / "a.sqlite3").path
    Person.create(name="李四")
    safety = restore_from(copy)
    restore_from(safety)
    assert sorted(p.name for p in Person.select()) == ["张三", "李四"]


def test_two_restores_within_the_same_second_keep_both_earlier_contents(
    tmp_path: Path, same_second: None
) -> None:
    """DEFECT (same cause as above): the second restore's copy of the current content is
    written over the first restore's copy, so what the database held before the first
    restore exists nowhere any more (`safeduty restore a && safeduty restore b`)."""
    Person.create(name="张三")
    copy = backup_to(tmp_path / "a.sqlite3").path
    Person.create(name="李四")  # only here: the first restore's copy must keep it
    first = restore_from(copy)
    Person.create(name="王五")
    second = restore_from(copy)
    kept_copies = [b.path for b in list_backups() if b.reason == "before-restore"]
    assert len(kept_copies) == 2, (first, second)
    assert any("李四" in names_in(path) for path in kept_copies)


def test_a_restore_that_fails_the_full_check_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.storage import backup

    copy = backup_to(tmp_path / "a.sqlite3").path
    monkeypatch.setattr(backup, "integrity_problems", lambda: ["row 3 missing from index x"])
    with pytest.raises(backup.RestoreIncomplete) as refused:
        restore_from(copy)
    # The data is the backup's now: the message says so, and where the old content went.
    [safety] = [b for b in list_backups() if b.reason == "before-restore"]
    assert "row 3 missing from index x" in str(refused.value)
    assert str(safety.path) in str(refused.value)


def test_the_cli_restore_names_the_kept_copy_and_the_file_in_the_trail(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Person.create(name="张三")
    copy = backup_to(tmp_path / "星期一.sqlite3").path
    Person.create(name="李四")
    assert main(["--db", str(db_file()), "restore", str(copy)]) == 0
    out = capsys.readouterr().out
    [safety] = list_backups()
    assert str(safety.path) in out
    assert [p.name for p in Person.select()] == ["张三"]
    last = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    assert last.action == "restore"
    assert last.source == "safeduty restore 星期一.sqlite3"  # the command, not the folder
    assert trail_problems() == []


def test_restoring_an_older_schema_upgrades_it_with_every_row(tmp_path: Path) -> None:
    old = tmp_path / "旧备份.sqlite3"
    shutil.copyfile(DATA / "schema-v2.sqlite", old)
    people = len(names_in(old))
    assert people > 10
    restore_from(old)
    assert schema_version(database_proxy.obj) == CURRENT_VERSION
    assert Person.select().count() == people
    assert AuditEntry.select().where(AuditEntry.action == "baseline").count() > people
    last = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    assert last.action == "restore"
    assert trail_problems() == []
    reasons = {b.reason for b in list_backups()}
    assert reasons == {"before-restore", "before-upgrade-v2"}
    # The backup file itself is left as it was.
    assert tables_in(old) == tables_in(DATA / "schema-v2.sqlite")


def newer_backup(tmp_path: Path) -> Path:
    path = backup_to(tmp_path / "newer.sqlite3").path
    connection = sqlite3.connect(path)
    connection.execute("UPDATE schema_version SET version = ?", (CURRENT_VERSION + 1,))
    connection.commit()
    connection.close()
    return path


def garbage(tmp_path: Path) -> Path:
    path = tmp_path / "garbage.sqlite3"
    path.write_bytes(b"\x00\x13 not a database at all " * 400)
    return path


def truncated(tmp_path: Path) -> Path:
    Person.insert_many([{"name": f"人{i}", "notes": "x" * 500} for i in range(300)]).execute()
    whole = backup_to(tmp_path / "whole.sqlite3").path.read_bytes()
    Person.delete().execute()
    path = tmp_path / "truncated.sqlite3"
    path.write_bytes(whole[: len(whole) // 2])
    return path


def another_program(tmp_path: Path) -> Path:
    path = tmp_path / "other.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT)")
    connection.execute("INSERT INTO person (name) VALUES ('外人')")
    connection.commit()
    connection.close()
    return path


def missing(tmp_path: Path) -> Path:
    return tmp_path / "nowhere.sqlite3"


def itself(_tmp_path: Path) -> Path:
    return db_file()


@pytest.mark.parametrize(
    "make", [newer_backup, garbage, truncated, another_program, missing, itself]
)
def test_restore_refuses_what_it_cannot_use_and_changes_nothing(tmp_path: Path, make) -> None:  # type: ignore[no-untyped-def]
    source = make(tmp_path)
    Person.create(name="张三")
    before = state()
    files = sorted(tmp_path.rglob("*"))
    with pytest.raises(StorageError) as refused:
        restore_from(source)
    assert str(refused.value)
    assert state() == before
    # Not even the copy of the current content: nothing was started.
    assert sorted(tmp_path.rglob("*")) == files
    assert list_backups() == []


def test_restore_is_refused_while_another_program_has_the_database(tmp_path: Path) -> None:
    Person.create(name="张三")
    copy = backup_to(tmp_path / "a.sqlite3").path
    Person.create(name="李四")
    close_database()
    open_database(str(db_file()), read_only=True)
    database_proxy.obj.busy_message = "另一个程序（张敏）正在使用此数据库。"
    with pytest.raises(StorageError, match="张敏"):
        restore_from(copy)
    close_database()
    open_database(str(db_file()))
    assert [p.name for p in Person.select()] == ["张三", "李四"]
    assert list_backups() == []


def test_restore_is_refused_on_a_read_only_database(tmp_path: Path) -> None:
    """DEFECT: app/storage/backup.py restore_from only refuses when ``busy_message`` is set;
    a database opened with open_database(read_only=True) (query_only) is overwritten anyway,
    because SQLite's backup API writes pages without going through query_only.  It should
    also refuse when ``database_proxy.obj.read_only`` is true."""
    Person.create(name="张三")
    copy = backup_to(tmp_path / "a.sqlite3").path
    Person.create(name="李四")
    close_database()
    open_database(str(db_file()), read_only=True)
    try:
        with pytest.raises(StorageError):
            restore_from(copy)
    finally:
        close_database()
        open_database(str(db_file()))
        assert [p.name for p in Person.select()] == ["张三", "李四"]


# ---------------------------------------------------------------------------- where, which


def test_backups_go_to_the_folder_chosen_in_the_settings(tmp_path: Path) -> None:
    assert backups_folder() == db_file().parent / "backups"
    chosen = tmp_path / "第二块硬盘" / "备份"
    Settings(backup_folder=str(chosen)).save()
    assert backups_folder() == chosen and chosen.is_dir()
    Person.create(name="张三")
    result = AutoBackup().run(dt.datetime.now())
    assert result.path.parent == chosen
    copy = backup_to(tmp_path / "a.sqlite3").path
    safety = restore_from(copy)
    assert safety.parent == chosen
    assert {b.reason for b in list_backups()} == {"auto", "before-restore"}


def test_an_unusable_backup_folder_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    Settings(backup_folder=str(blocker / "backups")).save()
    with pytest.raises(StorageError):
        backups_folder()


def touch_backup(folder: Path, stem: str, reason: str, when: dt.datetime) -> Path:
    path = folder / f"{stem}-{reason}-{when:%Y%m%d-%H%M%S}.sqlite3"
    path.write_bytes(b"")
    return path


def test_list_backups_is_this_database_s_backups_newest_first(tmp_path: Path) -> None:
    folder = backups_folder()
    base = dt.datetime(2026, 1, 10, 9, 0)
    mine = [
        touch_backup(folder, "t", "auto", base),
        touch_backup(folder, "t", "manual", base + dt.timedelta(hours=2)),
        touch_backup(folder, "t", "before-upgrade-v3", base + dt.timedelta(hours=1)),
        touch_backup(folder, "t", "before-restore", base - dt.timedelta(days=1)),
    ]
    touch_backup(folder, "t2", "auto", base)
    touch_backup(folder, "other", "manual", base)
    touch_backup(folder, "t", "damaged", base)  # kept aside, never offered
    (folder / "t-auto-2026.sqlite3").write_bytes(b"")
    (folder / "notes.txt").write_text("x")
    found = list_backups()
    assert [b.path for b in found] == [mine[1], mine[2], mine[0], mine[3]]
    assert [b.reason for b in found] == ["manual", "before-upgrade-v3", "auto", "before-restore"]
    assert found[0].taken == base + dt.timedelta(hours=2)


def good_backup(folder: Path, when: dt.datetime) -> Path:
    return backup_to(folder / default_backup_name("auto", when)).path


def test_newest_good_backup_skips_a_damaged_or_newer_newest(tmp_path: Path) -> None:
    folder = backups_folder()
    base = dt.datetime(2026, 1, 10, 9, 0)
    assert newest_good_backup() is None
    good = good_backup(folder, base)
    damaged = folder / default_backup_name("auto", base + dt.timedelta(hours=1))
    damaged.write_bytes(garbage(tmp_path).read_bytes())
    newer = folder / default_backup_name("manual", base + dt.timedelta(hours=2))
    shutil.copyfile(newer_backup(tmp_path), newer)
    cut = folder / default_backup_name("manual", base + dt.timedelta(hours=3))
    cut.write_bytes(good.read_bytes()[:4096])
    found = newest_good_backup()
    assert found is not None and found.path == good and found.taken == base


# ---------------------------------------------------------------------------- retention

STEP = dt.timedelta(minutes=30)


def every_half_hour(last: dt.datetime, days: int) -> list[BackupFile]:
    count = days * 48
    return [BackupFile(Path(f"t-auto-{i}.sqlite3"), "auto", last - STEP * i) for i in range(count)]


def newest_per(backups: list[BackupFile], key, count: int) -> set[dt.datetime]:  # type: ignore[no-untyped-def]
    """Independently: the newest backup of each of the ``count`` most recent buckets."""
    newest: dict[object, dt.datetime] = {}
    for backup in backups:
        bucket = key(backup.taken)
        newest[bucket] = max(newest.get(bucket, backup.taken), backup.taken)
    recent = sorted(newest.values(), reverse=True)[:count]
    return set(recent)


def test_retention_of_400_days_of_half_hourly_backups() -> None:
    last = dt.datetime(2026, 11, 24, 23, 30)  # a Tuesday
    backups = every_half_hour(last, 400)
    by_time = {b.taken: b.path for b in backups}
    keep = kept(backups)
    # Written out by hand from a calendar.
    end = dt.time(23, 30)
    expected = {
        last,
        last - STEP,  # the newest two
        *(dt.datetime.combine(dt.date(2026, 11, d), end) for d in range(18, 25)),  # 7 days
        dt.datetime(2026, 11, 15, 23, 30),  # Sunday ending ISO week 46
        dt.datetime(2026, 11, 8, 23, 30),  # ... week 45 (week 47 is in the days)
        *(
            dt.datetime.combine(day, end)  # the last day of each of 11 earlier months
            for day in [
                dt.date(2026, 10, 31),
                dt.date(2026, 9, 30),
                dt.date(2026, 8, 31),
                dt.date(2026, 7, 31),
                dt.date(2026, 6, 30),
                dt.date(2026, 5, 31),
                dt.date(2026, 4, 30),
                dt.date(2026, 3, 31),
                dt.date(2026, 2, 28),
                dt.date(2026, 1, 31),
                dt.date(2025, 12, 31),
            ]
        ),
    }
    assert len(expected) == 21
    assert keep == {by_time[moment] for moment in expected}
    # And by an independent rule: newest 2 ∪ newest of the last 7 days, 4 weeks, 12 months.
    rule = (
        {last, last - STEP}
        | newest_per(backups, lambda t: t.date(), 7)
        | newest_per(backups, lambda t: t.isocalendar()[:2], 4)
        | newest_per(backups, lambda t: (t.year, t.month), 12)
    )
    assert keep == {by_time[moment] for moment in rule}


@pytest.mark.parametrize("days", [1, 3, 10, 40, 100, 800])
def test_retention_keeps_at_least_the_promised_copies(days: int) -> None:
    last = dt.datetime(2027, 1, 2, 0, 30)  # just after a year and an ISO week turned
    backups = every_half_hour(last, days)
    keep = kept(backups)
    taken = {b.path: b.taken for b in backups}
    kept_times = {taken[path] for path in keep}
    assert kept_times <= {b.taken for b in backups}
    for key, count in (
        (lambda t: t.date(), 7),
        (lambda t: t.isocalendar()[:2], 4),
        (lambda t: (t.year, t.month), 12),
    ):
        assert newest_per(backups, key, count) <= kept_times
    assert sorted(kept_times, reverse=True)[:2] == [last, last - STEP]
    # Nothing else: 2 + 7 + 4 + 12 at most.
    assert len(keep) <= 25


def test_retention_counts_days_that_have_a_backup() -> None:
    # A computer switched on every third day, twice a day.
    last = dt.datetime(2026, 6, 30, 17, 0)
    backups = [
        BackupFile(Path(f"t-auto-{d}-{h}.sqlite3"), "auto", last - dt.timedelta(days=d, hours=h))
        for d in range(0, 60, 3)
        for h in (0, 8)
    ]
    keep_times = {b.taken for b in backups if b.path in kept(backups)}
    daily = {last - dt.timedelta(days=d) for d in range(0, 21, 3)}  # 7 days that had one
    assert daily <= keep_times


def test_only_automatic_backups_are_subject_to_retention() -> None:
    last = dt.datetime(2026, 6, 30, 17, 0)
    backups = [
        BackupFile(Path(f"t-{reason}-{i}.sqlite3"), reason, last - dt.timedelta(days=i))
        for i in range(100)
        for reason in ("manual", "before-restore", "before-upgrade-v3")
    ]
    assert kept(backups) == set()
    autos = every_half_hour(dt.datetime(2025, 12, 12, 23, 30), 1)  # all on one day
    # Old automatic copies are still kept when they are the newest ones there are.
    assert kept(backups + autos) == kept(autos) and len(kept(autos)) == 2


def test_prune_removes_only_automatic_copies_of_this_database(tmp_path: Path) -> None:
    folder = backups_folder()
    last = dt.datetime(2026, 11, 24, 23, 0)
    autos = [
        touch_backup(folder, "t", "auto", last - dt.timedelta(hours=6 * i)) for i in range(800)
    ]
    others = [
        touch_backup(folder, "t", reason, last - dt.timedelta(days=300 + i))
        for i, reason in enumerate(["manual", "before-restore", "before-upgrade-v2"])
    ]
    strangers = [
        touch_backup(folder, "other", "auto", last - dt.timedelta(days=d)) for d in range(50)
    ]
    strangers.append(touch_backup(folder, "t", "damaged", last - dt.timedelta(days=400)))
    notes = folder / "说明.txt"
    notes.write_text("x")
    expected = kept(list_backups())
    removed = prune(folder)
    left = {p for p in folder.iterdir()}
    assert {p for p in autos if p.exists()} == expected
    assert set(removed) == set(autos) - expected
    assert len(removed) == len(autos) - len(expected) > 700
    assert set(others) | set(strangers) | {notes} <= left
    # Pruning again removes nothing more.
    assert prune(folder) == []


# ---------------------------------------------------------------------------- automatic


def autos() -> list[BackupFile]:
    return [b for b in list_backups() if b.reason == "auto"]


def test_at_start_a_backup_is_due_only_if_something_changed_since_the_last() -> None:
    now = dt.datetime.now().replace(microsecond=0)
    first = AutoBackup()
    assert first.due(now, at_start=True)  # a new database: never copied
    result = first.run(now)
    assert verify_database_file(result.path) == CURRENT_VERSION
    assert [b.path for b in autos()] == [result.path]
    # The program restarts with nothing changed: no new copy.
    later = now + dt.timedelta(hours=5)
    assert not AutoBackup().due(later, at_start=True)
    # ... with a change since: one is due, at start, whatever the time.
    Person.create(name="张三")
    assert AutoBackup().due(now + dt.timedelta(minutes=1), at_start=True)


def test_while_working_at_most_every_30_minutes_and_only_after_changes() -> None:
    start = dt.datetime.now().replace(microsecond=0) - dt.timedelta(hours=3)
    scheduler = AutoBackup()
    scheduler.run(start)
    assert not scheduler.due(start + dt.timedelta(hours=2))  # nothing changed
    Person.create(name="张三")
    assert not scheduler.due(start + dt.timedelta(minutes=29, seconds=59))
    assert scheduler.due(start + dt.timedelta(minutes=30))
    second = start + dt.timedelta(minutes=45)
    scheduler.run(second)
    assert names_in(autos()[0].path) == ["张三"]
    assert not scheduler.due(second + dt.timedelta(hours=1))  # nothing since
    Person.create(name="李四")
    assert not scheduler.due(second + dt.timedelta(minutes=10))
    assert scheduler.due(second + dt.timedelta(minutes=30))
    assert len(autos()) == 2


def test_a_change_undone_in_the_same_session_is_still_a_change() -> None:
    # The mark is the trail's newest entry: an add then a delete is two entries, not none.
    scheduler = AutoBackup()
    now = dt.datetime.now().replace(microsecond=0)
    scheduler.run(now)
    Person.create(name="张三").delete_instance()
    assert scheduler.due(now + dt.timedelta(minutes=30))


def test_automatic_backups_prune_the_old_ones(tmp_path: Path) -> None:
    folder = backups_folder()
    now = dt.datetime.now().replace(microsecond=0)
    old = [touch_backup(folder, "t", "auto", now - dt.timedelta(hours=h)) for h in range(1, 60)]
    manual = touch_backup(folder, "t", "manual", now - dt.timedelta(days=1000))
    result = AutoBackup().run(now)
    left = {b.path for b in autos()}
    assert result.path in left
    assert left == kept(list_backups()) and len(left) < len(old)
    assert manual.exists()


# ---------------------------------------------------------------------------- damaged


def test_a_database_too_damaged_to_open_is_replaced_and_kept_aside(tmp_path: Path) -> None:
    [scan] = meeting_with(tmp_path, {"签到表.pdf": SCAN})
    Person.create(name="张三")
    copy = backup_to(tmp_path / "good.sqlite3").path
    close_database()
    broken = tmp_path / "office" / "safeduty.sqlite3"
    broken.parent.mkdir()
    junk = b"\x00garbage after a disk failure" * 500
    broken.write_bytes(junk)
    with pytest.raises(StorageError):
        open_database(str(broken))
    close_database()
    (broken.parent / "safeduty.sqlite3-wal").write_bytes(b"wal junk")
    aside = replace_damaged(broken, copy)
    # The damaged file is never deleted: moved aside, with its journal.
    assert aside.parent == broken.parent and aside != broken
    assert aside.read_bytes() == junk
    assert aside.with_name(aside.name + "-wal").read_bytes() == b"wal junk"
    assert not (broken.parent / "safeduty.sqlite3-wal").exists()
    open_database(str(broken))
    try:
        assert [p.name for p in Person.select()] == ["张三"]
        assert FILES_TABLE not in tables_in(broken)
        assert verify_attachment(Attachment.get_by_id(scan.id))
        assert attachment_path(scan).parent.parent == broken.with_name(broken.name + "-attachments")
        assert trail_problems() == []
    finally:
        close_database()


def test_replace_damaged_refuses_a_bad_backup_and_leaves_the_file(tmp_path: Path) -> None:
    close_database()
    broken = tmp_path / "b.sqlite3"
    broken.write_bytes(b"junk" * 1000)
    for source in (garbage(tmp_path), tmp_path / "nowhere.sqlite3"):
        with pytest.raises(StorageError):
            replace_damaged(broken, source)
    assert broken.read_bytes() == b"junk" * 1000
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("b")) == ["b.sqlite3"]


def test_the_auto_backup_module_keeps_its_promised_numbers() -> None:
    # The figures: at least 7 daily, 4 weekly, 12 monthly, every 30 minutes.
    assert autobackup.KEEP_DAILY >= 7
    assert autobackup.KEEP_WEEKLY >= 4
    assert autobackup.KEEP_MONTHLY >= 12
    assert dt.timedelta(minutes=30) == autobackup.INTERVAL


def test_two_databases_of_the_same_name_do_not_share_backups(tmp_path: Path) -> None:
    """DEFECT (design gap): app/storage/backup.py list_backups tells databases apart only by
    the file's stem.  Settings.backup_folder is per user, so two databases with the same
    file name in different folders (the default ``safeduty.sqlite3`` and one on D:, say)
    write into one folder under the same names: ``newest_good_backup`` offers the other
    database's backup for a restore, and pruning counts both as one series."""
    Settings(backup_folder=str(tmp_path / "共享备份")).save()
    close_database()
    first = tmp_path / "office" / "safeduty.sqlite3"
    second = tmp_path / "home" / "safeduty.sqlite3"
    open_database(str(first))
    Person.create(name="办公室的人")
    mine = backup_to(backups_folder() / default_backup_name("manual", dt.datetime(2026, 1, 1)))
    close_database()
    open_database(str(second))
    Person.create(name="家里的人")
    backup_to(backups_folder() / default_backup_name("manual", dt.datetime(2026, 2, 1)))
    close_database()
    open_database(str(first))
    try:
        offered = newest_good_backup()
        assert offered is not None
        assert offered.path == mine.path, names_in(offered.path)
    finally:
        close_database()


def test_copies_left_half_written_by_a_killed_program_are_removed_once_stale(
    tmp_path: Path,
) -> None:
    import os

    folder = backups_folder()
    old = folder / ".t-auto-20261120-080000.sqlite3.k3j4.tmp"
    old_journal = folder / ".t-auto-20261120-080000.sqlite3.k3j4.tmp-journal"
    fresh = folder / ".t-auto-20261124-090000.sqlite3.x9y8.tmp"  # being written right now
    someone_elses = folder / ".notes.txt.tmp"
    for path in (old, old_journal, fresh, someone_elses):
        path.write_bytes(b"half a copy")
    a_day_ago = (dt.datetime.now() - dt.timedelta(days=1)).timestamp()
    for path in (old, old_journal, someone_elses):
        os.utime(path, (a_day_ago, a_day_ago))
    removed = prune(folder)
    assert set(removed) == {old, old_journal}
    assert fresh.exists() and someone_elses.exists()
