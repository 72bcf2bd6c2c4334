"""Recording every change as it is made: the audit trail's writing half.

Each of the program's connections gets temporary triggers (``CREATE TEMP TRIGGER``: they live
in the connection, not in the file) on every record table.  A trigger adds one AuditEntry per
row inserted, changed or deleted, inside the same transaction as the change, so a change and
its entry are committed or lost together, whatever writes them (a service's save, a bulk
update, a foreign-key cascade).  The entry's hash covers the previous entry's hash: an entry
edited or removed afterwards breaks the chain, and a record changed by another program (which
has no such triggers) no longer matches its last entry.  app.audit checks both.

Why temporary triggers: triggers stored in the file would call functions another program
does not have, so any other tool could not even read-modify the file; and the hash is
computed here, in Python, where the chain's rule is written once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import sqlite3
import time
from collections.abc import Iterator, Sequence
from enum import StrEnum

# The attachments a backup file carries inside (app.storage.backup).
BACKUP_FILES_TABLE = "safeduty_backup_file"
# Tables that are not records: the schema version, the program's own notes, the trail itself,
# and the attachments inside a backup file.
NOT_AUDITED = frozenset({"schema_version", "housekeeping", "audit_entry", BACKUP_FILES_TABLE})
# The source of the entries that begin a trail again after it was removed outside.
TRAIL_RESTARTED = "trail-restarted"
SEPARATOR = "\x1f"  # the ASCII unit separator: cannot occur in a JSON text or an ISO time


class Action(StrEnum):
    INSERT = "insert"
    UPDATE = "update"
    DELETE = "delete"
    # The record as it was when the trail began (an upgraded database's existing rows).
    BASELINE = "baseline"
    # Not a record change: the whole database was replaced by a backup.
    RESTORE = "restore"


class _Who:
    """Who is making changes now, and through what: read by the triggers at each change."""

    operator = ""  # the clerk's name from the settings, if given
    login: str | None = None  # this computer's login, read when first needed
    actor: str | None = None  # the operator and the login, as entries record them
    source = ""


def login_name() -> str:
    # Imported here: a start that shows the window needs neither before the first change.
    import getpass
    import socket

    try:
        user = getpass.getuser()
    except (OSError, KeyError, ImportError):  # no login name in a service or a container
        user = "?"
    return f"{user}@{socket.gethostname()}"


def login() -> str:
    """This computer's login, as entries record it: "zhangmin@OFFICE-PC"."""
    if _Who.login is None:
        _Who.login = login_name()
    return _Who.login


def set_operator(name: str) -> None:
    _Who.operator = name.strip()
    _Who.actor = None


def actor() -> str:
    """The person of an entry: "张敏 (zhangmin@OFFICE-PC)", or the login when no name is set."""
    if _Who.actor is None:
        _Who.actor = f"{_Who.operator} ({login()})" if _Who.operator else login()
    return _Who.actor


def set_source(text: str) -> None:
    _Who.source = text


@contextlib.contextmanager
def recording_source(text: str) -> Iterator[None]:
    """Entries written inside the block say what made them ("upgrade"); the command line
    names its command ("safeduty roster import 名册.xlsx"), the window "gui"."""
    previous = _Who.source
    _Who.source = text
    try:
        yield
    finally:
        _Who.source = previous


class _Clock:
    # The second last formatted and its text, replaced together (one tuple) so a worker
    # thread never reads one second's number with another's text.
    last: tuple[int, str] = (-1, "")


def now_text() -> str:
    """Local time with its offset, to the second (formatted once a second: an import writes
    thousands of entries in the same second)."""
    second = int(time.time())
    last = _Clock.last
    if last[0] != second:
        last = (second, dt.datetime.fromtimestamp(second).astimezone().isoformat())
        _Clock.last = last
    return last[1]


def entry_hash(
    prev_hash: str,
    at: str,
    who: str,
    source: str,
    action: str,
    table: str,
    record_id: int | None,
    before: str | None,
    after: str | None,
) -> str:
    """The chain's one rule: SHA-256 over the previous hash and every field of the entry."""
    fields = (
        prev_hash,
        at,
        who,
        source,
        action,
        table,
        "" if record_id is None else str(record_id),
        "" if before is None else before,
        "" if after is None else after,
    )
    return hashlib.sha256(SEPARATOR.join(fields).encode("utf-8")).hexdigest()


def register_functions(connection: sqlite3.Connection) -> None:
    connection.create_function("safeduty_now", 0, now_text)
    connection.create_function("safeduty_actor", 0, actor)
    connection.create_function("safeduty_source", 0, lambda: _Who.source)
    connection.create_function("safeduty_audit_hash", 9, entry_hash, deterministic=True)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def row_json(columns: Sequence[str], alias: str) -> str:
    """SQL for a JSON object of a row's columns (in table order), as triggers and checks
    write it."""
    parts = ", ".join(f"'{column}', {alias}.{_quote(column)}" for column in columns)
    return f"json_object({parts})"


def audited_tables(connection: sqlite3.Connection) -> dict[str, list[str]]:
    """Every record table of the file with its columns, read from the file itself."""
    names = [
        name
        for (name,) in connection.execute(
            "SELECT name FROM main.sqlite_master WHERE type = 'table'"
            " AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
        if name not in NOT_AUDITED
    ]
    return {
        name: [row[1] for row in connection.execute(f"PRAGMA main.table_info({_quote(name)})")]
        for name in names
    }


def _entry_insert(action: Action, table: str, record: str, before: str, after: str) -> str:
    return (
        "INSERT INTO audit_entry (at, actor, source, action, table_name, record_id, before,"
        " after, prev_hash, hash)"
        f" SELECT e.at, e.actor, e.source, '{action}', '{table}', {record}, e.before, e.after,"
        f" e.prev, safeduty_audit_hash(e.prev, e.at, e.actor, e.source, '{action}', '{table}',"
        f" {record}, e.before, e.after)"
        " FROM (SELECT safeduty_now() AS at, safeduty_actor() AS actor,"
        f" safeduty_source() AS source, {before} AS before, {after} AS after,"
        " COALESCE((SELECT hash FROM audit_entry ORDER BY id DESC LIMIT 1), '') AS prev) AS e;"
    )


def trigger_statements(table: str, columns: Sequence[str]) -> list[str]:
    old, new = row_json(columns, "OLD"), row_json(columns, "NEW")
    name = _quote(table)
    return [
        f'CREATE TEMP TRIGGER IF NOT EXISTS "audit_{table}_insert" AFTER INSERT ON main.{name}'
        f" BEGIN {_entry_insert(Action.INSERT, table, 'NEW.id', 'NULL', new)} END",
        # An update that changes nothing (a save of an unchanged form) is not a change.
        f'CREATE TEMP TRIGGER IF NOT EXISTS "audit_{table}_update" AFTER UPDATE ON main.{name}'
        f" WHEN {old} IS NOT {new}"
        f" BEGIN {_entry_insert(Action.UPDATE, table, 'NEW.id', old, new)} END",
        f'CREATE TEMP TRIGGER IF NOT EXISTS "audit_{table}_delete" AFTER DELETE ON main.{name}'
        f" BEGIN {_entry_insert(Action.DELETE, table, 'OLD.id', old, 'NULL')} END",
    ]


def install_triggers(connection: sqlite3.Connection) -> None:
    """Start recording on this connection (the schema must be current: the trail exists)."""
    for table, columns in audited_tables(connection).items():
        for statement in trigger_statements(table, columns):
            connection.execute(statement)


def drop_triggers(connection: sqlite3.Connection) -> None:
    names = connection.execute(
        "SELECT name FROM temp.sqlite_master WHERE type = 'trigger' AND name LIKE 'audit_%'"
    ).fetchall()
    for (name,) in names:
        connection.execute(f"DROP TRIGGER temp.{_quote(name)}")


def last_hash(connection: sqlite3.Connection) -> str:
    row = connection.execute("SELECT hash FROM audit_entry ORDER BY id DESC LIMIT 1").fetchone()
    return row[0] if row else ""


def append_entries(
    connection: sqlite3.Connection,
    entries: Sequence[tuple[Action, str, int | None, str | None, str | None]],
) -> None:
    """Add entries (action, table, record id, before, after) written by the program itself."""
    prev = last_hash(connection)
    at, who, source = now_text(), actor(), _Who.source
    rows = []
    for action, table, record_id, before, after in entries:
        digest = entry_hash(prev, at, who, source, action, table, record_id, before, after)
        rows.append((at, who, source, action, table, record_id, before, after, prev, digest))
        prev = digest
    connection.executemany(
        "INSERT INTO audit_entry (at, actor, source, action, table_name, record_id, before,"
        " after, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def record_baseline(connection: sqlite3.Connection) -> int:
    """Enter every record as it is now: the start of the trail for an upgraded database."""
    entries: list[tuple[Action, str, int | None, str | None, str | None]] = []
    for table, columns in audited_tables(connection).items():
        query = (
            f"SELECT t.id, {row_json(columns, 't')} FROM main.{_quote(table)} AS t ORDER BY t.id"
        )
        entries.extend(
            (Action.BASELINE, table, record_id, None, after)
            for record_id, after in connection.execute(query)
        )
    append_entries(connection, entries)
    return len(entries)


def record_restore(connection: sqlite3.Connection, file_name: str) -> None:
    # Written as SQLite's json_object writes the records' values: compact, not escaped.
    note = json.dumps({"file": file_name}, ensure_ascii=False, separators=(",", ":"))
    append_entries(connection, [(Action.RESTORE, "", None, None, note)])
