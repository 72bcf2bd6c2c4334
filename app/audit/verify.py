"""Checking the audit trail: the hash chain is whole, and every record matches its last entry.

A broken link means an entry was edited or removed after it was written.  A record that
differs from its last entry (or has none, or is gone while its last entry says it exists)
was changed by something other than this program: a database tool, a copied-in file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from app.storage import audit
from app.storage.db import raw_connection


class Finding(StrEnum):
    BROKEN_LINK = "broken_link"  # the entry's hash or its link to the previous one is wrong
    CHANGED = "changed"  # the record differs from its last entry
    UNRECORDED = "unrecorded"  # the record has no entry at all
    VANISHED = "vanished"  # the last entry says the record exists; it does not
    CUT_OFF = "cut_off"  # entries found before (up to a remembered point) are gone
    RESTARTED = "restarted"  # the trail was removed outside and begun again on opening
    MISSING = "missing"  # there is no trail at all (the file is open read-only)


@dataclass(frozen=True)
class Problem:
    finding: Finding
    table: str
    record_id: int | None
    entry_id: int | None = None


@dataclass(frozen=True)
class ChainPoint:
    """An entry known to be where the chain was verified up to: its id and hash."""

    entry_id: int
    hash: str


def broken_links(
    connection: sqlite3.Connection,
    start: ChainPoint | None = None,
    end: list[ChainPoint] | None = None,
) -> Iterator[Problem]:
    """Entries whose hash does not follow from their content and the entry before them.

    From ``start`` (verified before) on, if given.  ``end`` receives the last entry
    followed, to start from next time.
    """
    # The entry at ``start`` itself is trail_ends' to check: from here the chain goes on
    # from the hash it had then.
    previous, first = ("", 0) if start is None else (start.hash, start.entry_id)
    query = (
        "SELECT id, at, actor, source, action, table_name, record_id, before, after,"
        " prev_hash, hash FROM audit_entry WHERE id > ? ORDER BY id"
    )
    last: ChainPoint | None = start
    for row in connection.execute(query, (first,)):
        entry_id, at, who, source, action, table, record_id, before, after, prev, digest = row
        expected = audit.entry_hash(
            previous, at, who, source, action, table, record_id, before, after
        )
        if prev != previous or digest != expected:
            yield Problem(Finding.BROKEN_LINK, table, record_id, entry_id)
        # Follow the stored hash: one edited entry is one finding, not every entry after it.
        previous = digest
        last = ChainPoint(entry_id, digest)
    if end is not None and last is not None:
        end.append(last)


def records_off_the_trail(connection: sqlite3.Connection) -> Iterator[Problem]:
    """Records that differ from what the trail last says about them."""
    for table, columns in audit.audited_tables(connection).items():
        name = '"' + table.replace('"', '""') + '"'
        last = (
            "SELECT a.record_id, a.after FROM audit_entry AS a"
            " JOIN (SELECT record_id, MAX(id) AS id FROM audit_entry WHERE table_name = ?"
            " AND record_id IS NOT NULL GROUP BY record_id) AS m ON m.id = a.id"
        )
        current = f"SELECT t.id, {audit.row_json(columns, 't')} AS now FROM main.{name} AS t"
        query = (
            f"SELECT c.id, c.now, l.record_id FROM ({current}) AS c"
            f" LEFT JOIN ({last}) AS l ON l.record_id = c.id"
            " WHERE l.after IS NOT c.now"
            f" UNION ALL SELECT l.record_id, NULL, l.record_id FROM ({last}) AS l"
            f" WHERE l.after IS NOT NULL AND l.record_id NOT IN (SELECT id FROM main.{name})"
            " ORDER BY 1"
        )
        for record_id, now, recorded in connection.execute(query, (table, table)):
            if now is None:
                yield Problem(Finding.VANISHED, table, record_id)
            elif recorded is None:
                yield Problem(Finding.UNRECORDED, table, record_id)
            else:
                yield Problem(Finding.CHANGED, table, record_id)


def gaps_between_entries(connection: sqlite3.Connection, after_id: int = 0) -> Iterator[Problem]:
    """Changes made outside between two of the program's own changes to a record: an entry's
    "before" must be the previous entry's "after".  (A record changed outside and then edited
    in the program matches its last entry again; this still finds it.)  Only the records
    with entries after ``after_id`` are followed."""
    scope = (
        ""
        if after_id <= 0
        else (
            " AND (table_name, record_id) IN"
            " (SELECT table_name, record_id FROM audit_entry WHERE id > :after)"
        )
    )
    query = (
        "SELECT table_name, record_id, action, before IS NOT prev_after, prev_id, prev_after"
        " FROM (SELECT id, table_name, record_id, action, before,"
        " LAG(after) OVER w AS prev_after, LAG(id) OVER w AS prev_id"
        f" FROM audit_entry WHERE record_id IS NOT NULL{scope}"
        " WINDOW w AS (PARTITION BY table_name, record_id ORDER BY id))"
        " WHERE id > :after AND ("
        " (action IN ('update', 'delete') AND (prev_id IS NULL OR before IS NOT prev_after))"
        " OR (action = 'insert' AND prev_id IS NOT NULL AND prev_after IS NOT NULL))"
        " ORDER BY table_name, record_id, id"
    )
    for table, record_id, action, differs, prev_id, prev_after in connection.execute(
        query, {"after": after_id}
    ):
        if action == "insert":
            # Added again while the trail says it still existed: deleted outside first.
            yield Problem(Finding.VANISHED, table, record_id)
        elif prev_id is None or prev_after is None:
            yield Problem(Finding.UNRECORDED, table, record_id)
        elif differs:
            yield Problem(Finding.CHANGED, table, record_id)


def _has_trail(connection: sqlite3.Connection) -> bool:
    row = connection.execute(
        "SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = 'audit_entry'"
    ).fetchone()
    return row is not None


def trail_ends(connection: sqlite3.Connection, remembered: ChainPoint | None) -> Iterator[Problem]:
    """The trail still reaches the entry it was last found whole up to, with that entry's
    hash (cutting the newest entries off, with their records, leaves no broken link)."""
    if remembered is None:
        return
    row = connection.execute(
        "SELECT hash FROM audit_entry WHERE id = ?", (remembered.entry_id,)
    ).fetchone()
    if row is None or row[0] != remembered.hash:
        yield Problem(Finding.CUT_OFF, "", None, remembered.entry_id)


def restarts(connection: sqlite3.Connection) -> Iterator[Problem]:
    """The trail was removed outside the program and begun again when it was next opened."""
    row = connection.execute(
        "SELECT MIN(id) FROM audit_entry WHERE source = ?", (audit.TRAIL_RESTARTED,)
    ).fetchone()
    if row is not None and row[0] is not None:
        yield Problem(Finding.RESTARTED, "", None, row[0])


def trail_problems(
    limit: int = 1000,
    start: ChainPoint | None = None,
    end: list[ChainPoint] | None = None,
    remembered: ChainPoint | None = None,
) -> list[Problem]:
    """Everything wrong with the trail and the records, the first ``limit`` of it; the chain
    followed from ``start`` if given (``end`` as in broken_links), and still reaching
    ``remembered`` (where it was last found whole)."""
    connection = raw_connection()
    if not _has_trail(connection):
        return [Problem(Finding.MISSING, "", None)]
    problems: list[Problem] = []
    sources = (
        restarts(connection),
        trail_ends(connection, remembered),
        broken_links(connection, start, end),
        gaps_between_entries(connection, start.entry_id if start else 0),
        records_off_the_trail(connection),
    )
    for source in sources:
        for problem in source:
            problems.append(problem)
            if len(problems) >= limit:
                return problems
    return problems
