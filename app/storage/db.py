"""The one database behind every model: a peewee proxy, opened from a path or URL.

SQLite is the embedded default (foreign keys on, WAL, a busy timeout, synchronous=FULL so a
power cut loses nothing committed).  Models use only portable field types so a server database
can follow later.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import unquote, urlparse

import peewee

from app.i18n import _
from app.storage import audit
from app.storage.errors import StorageError, explain_sqlite_error

database_proxy = peewee.DatabaseProxy()

SQLITE_PRAGMAS = {
    "foreign_keys": 1,
    "journal_mode": "wal",
    "synchronous": 2,  # FULL
    "busy_timeout": 5000,
    "cache_size": -16000,  # 16 MB
}


def sqlite_path_from_url(url: str) -> Path | None:
    """The file path of a SQLite URL or plain path; None for other schemes."""
    if "://" not in url:
        return Path(url).expanduser()
    parsed = urlparse(url)
    if parsed.scheme != "sqlite":
        return None
    # sqlite:///relative.db and sqlite:////absolute.db as SQLAlchemy writes them.
    raw = unquote(url[len("sqlite:///") :]) if url.startswith("sqlite:///") else parsed.path
    return Path(raw).expanduser()


class SafeDutyDatabase(peewee.SqliteDatabase):
    """SQLite with the audit trail's functions on every connection, and its triggers once the
    schema is current (``recording`` set by open_database; each worker thread's connection
    gets them too).  ``read_only`` connections refuse every write (another program has the
    file open for writing)."""

    recording = False
    read_only = False
    busy_message = ""  # why it is read-only: whose program has it open

    def _add_conn_hooks(self, conn: sqlite3.Connection) -> None:
        # peewee's own hook for each new connection (not in its type stubs).
        super()._add_conn_hooks(conn)  # type: ignore[misc]
        audit.register_functions(conn)
        if self.recording:
            audit.install_triggers(conn)
        if self.read_only:
            conn.execute("PRAGMA query_only = 1")


def make_database(url: str, *, create: bool = True) -> SafeDutyDatabase:
    path = sqlite_path_from_url(url)
    if path is None:
        raise StorageError(
            _("Unsupported database address {url}: use a file path or sqlite:///FILE").format(
                url=url
            )
        )
    if not create and not path.is_file():
        # Connecting would create an empty file: a mistyped path must not look like data.
        raise StorageError(_("There is no database file at {path}.").format(path=path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StorageError(
            _("Cannot create the folder for the database {path}: {reason}").format(
                path=path, reason=error.strerror or error
            )
        ) from error
    # BEGIN IMMEDIATE: a write transaction takes the write lock when it starts, so a second
    # writer (the import worker, another program) waits out the busy timeout instead of
    # failing at its first write after a read.
    return SafeDutyDatabase(
        str(path), pragmas=SQLITE_PRAGMAS, check_same_thread=False, lock_type="IMMEDIATE"
    )


def database_path() -> Path | None:
    """The file of the open SQLite database, if it is one."""
    db = database_proxy.obj
    if isinstance(db, peewee.SqliteDatabase) and db.database != ":memory:":
        return Path(db.database)
    return None


def raw_connection() -> sqlite3.Connection:
    return database_proxy.connection()  # type: ignore[no-any-return]


def wrap_errors(error: BaseException) -> BaseException:
    """Turn a user-actionable database error into StorageError; leave bugs as they are."""
    path = database_path()
    explained = explain_sqlite_error(error, str(path) if path else "")
    return explained if explained is not None else error
