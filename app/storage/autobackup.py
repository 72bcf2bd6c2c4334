"""Automatic backups: at start and at most every 30 minutes while changes are being made,
kept as the newest of each of the last 7 days, 4 weeks and 12 months (plus the newest two).

"Changes are being made" is read from the audit trail: the database's state is marked by the
hash of its newest entry, and a backup is only taken when that mark has moved since the last
one.  Only automatic copies are ever deleted; manual ones, and those taken before a restore
or an upgrade, stay until the user removes them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path

from app.storage.backup import (
    AUTO,
    BackupFile,
    BackupResult,
    backup_to,
    backups_folder,
    list_backups,
    new_backup_path,
    open_read_only,
)
from app.storage.db import raw_connection
from app.storage.errors import StorageError

INTERVAL = dt.timedelta(minutes=30)
KEEP_NEWEST = 2
KEEP_DAILY = 7
KEEP_WEEKLY = 4
KEEP_MONTHLY = 12


def _day(moment: dt.datetime) -> Hashable:
    return moment.date()


def _week(moment: dt.datetime) -> Hashable:
    return moment.isocalendar()[:2]


def _month(moment: dt.datetime) -> Hashable:
    return moment.year, moment.month


def kept(backups: Iterable[BackupFile]) -> set[Path]:
    """The automatic backups to keep: the newest two, and the newest of each of the last
    7 days, 4 weeks and 12 months that have one."""
    autos = sorted(
        (backup for backup in backups if backup.reason == AUTO),
        key=lambda backup: backup.taken,
        reverse=True,
    )
    keep = {backup.path for backup in autos[:KEEP_NEWEST]}
    buckets: tuple[tuple[Callable[[dt.datetime], Hashable], int], ...] = (
        (_day, KEEP_DAILY),
        (_week, KEEP_WEEKLY),
        (_month, KEEP_MONTHLY),
    )
    for bucket, count in buckets:
        seen: set[Hashable] = set()
        for backup in autos:  # newest first: the first of a bucket is its newest
            key = bucket(backup.taken)
            if key in seen:
                continue
            if len(seen) == count:
                break
            seen.add(key)
            keep.add(backup.path)
    return keep


# A copy being written has a temporary name (app.fileio.atomic_path); one left behind by a
# program killed while writing it is removed once it is clearly nobody's.
_STALE_AFTER = dt.timedelta(hours=6)


def _stale_temporaries(folder: Path, now: dt.datetime) -> list[Path]:
    found = []
    for path in folder.glob(".*.sqlite3.*.tmp*"):  # the copy and its "-journal"
        try:
            written = dt.datetime.fromtimestamp(path.stat().st_mtime)
        except OSError:
            continue
        if now - written > _STALE_AFTER:
            found.append(path)
    return found


def prune(
    folder: Path, now: dt.datetime | None = None, just_taken: Path | None = None
) -> list[Path]:
    """Delete the automatic backups retention no longer keeps, and copies left half-written
    by a program that was killed; the files deleted.  ``just_taken`` always stays: with the
    clock set back (a flat clock battery) older copies look newer than it."""
    removed = []
    for stale in _stale_temporaries(folder, now or dt.datetime.now()):
        with contextlib.suppress(OSError):
            stale.unlink()
            removed.append(stale)
    backups = list_backups(folder)
    keep = kept(backups)
    if just_taken is not None:
        keep.add(just_taken)
    for backup in backups:
        if backup.reason == AUTO and backup.path not in keep:
            try:
                backup.path.unlink()
            except OSError:
                continue  # open in another program: it goes next time
            removed.append(backup.path)
    return removed


def state_mark(connection: sqlite3.Connection) -> str:
    """The database's state as the audit trail marks it: the newest entry's hash."""
    try:
        row = connection.execute("SELECT hash FROM audit_entry ORDER BY id DESC LIMIT 1").fetchone()
    except sqlite3.Error:
        return ""
    return row[0] if row else ""


def _file_mark(path: Path) -> str | None:
    try:
        connection = open_read_only(path)
    except StorageError:
        return None
    try:
        return state_mark(connection)
    finally:
        connection.close()


class AutoBackup:
    """When the next automatic backup is due, and taking it.  Starts from the newest
    automatic backup in the folder, so a restart does not copy an unchanged database."""

    def __init__(self, *, prune: bool = True) -> None:
        self.prune = prune  # False while a check has findings: every earlier copy is kept
        self.last_mark: str | None = None
        self.last_time: dt.datetime | None = None
        try:
            newest = next((b for b in list_backups() if b.reason == AUTO), None)
        except StorageError:
            newest = None  # the folder cannot be used now: the first backup will say so
        if newest is not None:
            self.last_mark = _file_mark(newest.path)
            self.last_time = newest.taken

    def due(self, now: dt.datetime, *, at_start: bool = False) -> bool:
        if state_mark(raw_connection()) == self.last_mark:
            return False  # nothing has changed since the last copy
        if at_start or self.last_time is None:
            return True
        # A clock set back since the last copy must not stop the copies until it catches up.
        return now < self.last_time or now - self.last_time >= INTERVAL

    def run(self, now: dt.datetime) -> BackupResult:
        """Take the backup (verified), then prune the old ones."""
        folder = backups_folder()
        result = backup_to(new_backup_path(folder, AUTO, now))
        self.last_mark = _file_mark(result.path)
        self.last_time = now
        if self.prune:
            prune(folder, just_taken=result.path)
        return result
