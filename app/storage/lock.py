"""One program per database: a lock beside the file, held while the program has it open.

The lock is SQLite's own: an exclusive transaction held open on a small lock file beside the
database.  SQLite takes it with the operating system's file locks (fcntl on Linux,
LockFileEx on Windows) — the same locks that guard the database itself — so it goes when
the program goes, even when it is killed or the power fails: no stale lock for a clerk to
delete by hand.  (The sqlite3 module is loaded anyway; a lock library would add its import
to every start.)  Who holds it (computer, login, since when) is written to a small note
beside it, so the second program can say whose it is.

Nothing else in this process may open and close the lock file: on POSIX, closing any handle
to a file drops every lock the process holds on it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from app.fileio import write_bytes_atomic, write_text_atomic
from app.i18n import _
from app.storage.audit import actor


@dataclass(frozen=True)
class Holder:
    who: str  # "张敏 (zhangmin@OFFICE-PC)"
    since: str  # local time, "2026-11-24 09:12"
    pid: int
    program: str = ""  # "gui" or "cli"

    def describe(self) -> str:
        return _("{who}, since {since}").format(who=self.who, since=self.since)


class DatabaseLock:
    """The lock of one database file; ``acquire`` says whether this program got it."""

    def __init__(self, database: Path):
        self.database = database
        self.lock_path = database.with_name(database.name + ".lock")
        self.note_path = database.with_name(database.name + ".in-use")
        self._held: sqlite3.Connection | None = None
        self._program = "cli"

    @property
    def held(self) -> bool:
        return self._held is not None

    def acquire(
        self, program: str = "cli", wait_for_commands: float = 0, *, note: bool = True
    ) -> bool:
        """Take the lock for ``program`` ("gui" or "cli"); False if another holds it.

        With ``wait_for_commands``, a lock held by a command-line run (a nightly backup, a
        listing) is waited for that many seconds: such a run ends in moments, and the window
        opening meanwhile must not stay read-only all day because of it.  ``note`` False:
        the holder's note is written later (``write_note``), once the window is up."""
        if self._held is not None:
            return True
        try:
            self._held = self._take(0)
            if self._held is None:
                holder = self.holder()
                if not wait_for_commands or holder is None or holder.program != "cli":
                    return False
                self._held = self._take(wait_for_commands)
                if self._held is None:
                    return False
        except (sqlite3.Error, OSError):
            # A folder where no lock file can be made (read-only media): nothing to guard.
            return True
        self._program = program
        if note:
            self.write_note()
        else:
            # A note left by a program that was killed must not name the wrong holder (or
            # make a second window wait for a command-line run long gone) until ours is written.
            with contextlib.suppress(OSError):
                self.note_path.unlink()
        return True

    def _take(self, wait: float) -> sqlite3.Connection | None:
        """An exclusive transaction on the lock file, kept open; None while another has it.

        SQLite opens a file it may not write read-only, and BEGIN EXCLUSIVE there takes only
        a shared lock — every program would think it held the lock.  So the transaction
        writes one number (the process id) to prove it can.  A lock file that is read-only
        is replaced by a fresh one; one that is not a database (a few bytes written by
        something else) is emptied in place — the same file, so programs still meet on one
        lock.  The file itself is never opened here otherwise (see the module's note).
        """
        for attempt in range(2):
            connection: sqlite3.Connection | None = None
            try:
                connection = sqlite3.connect(
                    self.lock_path, timeout=wait, isolation_level=None, check_same_thread=False
                )
                connection.execute("BEGIN EXCLUSIVE")
                connection.execute(f"PRAGMA user_version = {os.getpid() % 2**31}")
            except sqlite3.DatabaseError as error:
                if connection is not None:
                    connection.close()
                text = str(error).lower()
                if "locked" in text or "busy" in text:
                    return None
                if attempt == 0 and "not a database" in text:
                    with open(self.lock_path, "r+b") as stray:
                        stray.truncate(0)
                    continue
                if attempt == 0 and "readonly" in text:
                    # Nobody can have held a real lock on it: SQLite only took shared ones.
                    write_bytes_atomic(self.lock_path, b"")
                    continue
                raise
            return connection
        return None

    def write_note(self) -> None:
        """Say who holds the lock, for a second program to tell its user."""
        if self._held is None:
            return
        holder = {
            "who": actor(),
            "since": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
            "pid": os.getpid(),
            "program": self._program,
        }
        with contextlib.suppress(OSError):
            write_text_atomic(self.note_path, json.dumps(holder, ensure_ascii=False))

    def holder(self) -> Holder | None:
        """Who has the database open, as the holder's note says (None if it cannot be read)."""
        try:
            raw = json.loads(self.note_path.read_text(encoding="utf-8"))
            return Holder(
                str(raw["who"]), str(raw["since"]), int(raw["pid"]), str(raw.get("program", ""))
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def release(self) -> None:
        if self._held is None:
            return
        with contextlib.suppress(OSError):
            self.note_path.unlink()
        with contextlib.suppress(sqlite3.Error):
            self._held.rollback()
        self._held.close()
        self._held = None


def lock_for(path: Path | None, *, create: bool) -> DatabaseLock | None:
    """The lock of the database file at ``path``; None where there is nothing to guard yet
    (no such file, and the command would not create it: no stray lock file beside a typo)."""
    if path is None:
        return None
    if create:
        with contextlib.suppress(OSError):  # the folder's problem is told by opening
            path.parent.mkdir(parents=True, exist_ok=True)
    elif not path.exists():
        return None
    return DatabaseLock(path) if path.parent.is_dir() else None


def in_use_message(lock: DatabaseLock) -> str:
    holder = lock.holder()
    if holder is None:
        return _("Another SafeDuty has this database open.")
    return _("Another SafeDuty has this database open: {holder}.").format(holder=holder.describe())
