"""Backups through SQLite's online backup API, each verified by opening it.

A file copy of a live WAL database can miss committed pages; the backup API cannot.  Every
copy is written under a temporary name, checked (quick_check and a readable schema version),
and only then renamed into place.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from app.fileio import atomic_path
from app.i18n import _
from app.storage.db import database_path, raw_connection
from app.storage.errors import DatabaseDamagedError, StorageError


def _read_only_uri(path: Path) -> str:
    # as_uri() percent-encodes: a folder named "备份#1" must not end the path at "#".
    return f"{path.resolve().as_uri()}?mode=ro"


def verify_database_file(path: Path) -> int:
    """Open a database file read-only, run quick_check, return its schema version."""
    if not path.is_file():
        raise StorageError(_("The file does not exist: {path}").format(path=path))
    try:
        connection = sqlite3.connect(_read_only_uri(path), uri=True)
    except sqlite3.Error as error:
        raise DatabaseDamagedError(
            _("The file cannot be opened as a database: {path}").format(path=path)
        ) from error
    try:
        result = connection.execute("PRAGMA quick_check").fetchall()
        if result != [("ok",)]:
            raise DatabaseDamagedError(
                _("The database {path} failed its check: {problem}").format(
                    path=path, problem=result[0][0]
                )
            )
        row = connection.execute("SELECT version FROM schema_version").fetchone()
    except sqlite3.DatabaseError as error:
        raise DatabaseDamagedError(
            _("The file is not a SafeDuty database or it is damaged: {path}").format(path=path)
        ) from error
    finally:
        connection.close()
    if row is None:
        raise DatabaseDamagedError(
            _("The file is not a SafeDuty database or it is damaged: {path}").format(path=path)
        )
    return int(row[0])


def backup_to(target: str | Path) -> Path:
    """Copy the open database to ``target`` with the online backup API, verified."""
    target = Path(target)
    source = raw_connection()
    with atomic_path(target) as tmp:
        destination = sqlite3.connect(tmp)
        try:
            source.backup(destination)
            # A backup is one self-contained file: no WAL beside it.
            destination.execute("PRAGMA journal_mode=DELETE")
        finally:
            destination.close()
        verify_database_file(tmp)
    return target


def default_backup_name(reason: str) -> str:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return f"safeduty-{reason}-{stamp}.sqlite3"


def backups_folder() -> Path:
    """The program's own backups, beside the database (created when first needed)."""
    path = database_path()
    base = path.parent if path is not None else Path.cwd()
    folder = base / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def restore_from(source_file: str | Path) -> Path:
    """Replace the open database's content with a verified backup file.

    The current content is backed up first (the returned path), so a restore can be undone.
    """
    from app.storage.migrations import CURRENT_VERSION

    source_file = Path(source_file)
    version = verify_database_file(source_file)
    if version > CURRENT_VERSION:
        raise StorageError(
            _(
                "The backup was written by a newer SafeDuty (schema {found}); this version "
                "reads up to {supported}."
            ).format(found=version, supported=CURRENT_VERSION)
        )
    safety_copy = backup_to(backups_folder() / default_backup_name("before-restore"))
    source = sqlite3.connect(_read_only_uri(source_file), uri=True)
    try:
        source.backup(raw_connection())
    finally:
        source.close()
    return safety_copy


def integrity_problems() -> list[str]:
    """The full integrity_check of the open database: an empty list when all is well."""
    rows = raw_connection().execute("PRAGMA integrity_check").fetchall()
    problems = [str(row[0]) for row in rows]
    return [] if problems == ["ok"] else problems
