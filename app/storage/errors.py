"""Storage failures sorted by whose fault they are.

The user can act on these (a full disk, a locked or damaged file, a database from a newer
program): they carry a calm, translated message.  Anything else is a bug and travels as the
original exception, to be reported with its traceback.
"""

from __future__ import annotations

import sqlite3

from app.i18n import _


class StorageError(Exception):
    """A problem with the database file that the user can understand and act on."""


class NewerDatabaseError(StorageError):
    pass


class DatabaseDamagedError(StorageError):
    pass


def explain_sqlite_error(error: BaseException, path: str) -> StorageError | None:
    """Map an sqlite3/peewee error to a user-facing StorageError, or None if it is a bug."""
    text = str(error).lower()
    if "database or disk is full" in text or "disk i/o error" in text:
        return StorageError(
            _("The disk holding the database is full or failing: {path}").format(path=path)
        )
    if "locked" in text or "busy" in text:
        return StorageError(
            _("The database is busy in another program; close it and try again: {path}").format(
                path=path
            )
        )
    if "malformed" in text or "not a database" in text or "file is encrypted" in text:
        return DatabaseDamagedError(
            _("The file is not a SafeDuty database or it is damaged: {path}").format(path=path)
        )
    if "unable to open" in text or "readonly" in text or "read-only" in text:
        return StorageError(
            _("The database cannot be opened for writing: {path}").format(path=path)
        )
    if isinstance(error, sqlite3.OperationalError | sqlite3.DatabaseError) and "no such" in text:
        return None
    return None
