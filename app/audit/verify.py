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


@dataclass(frozen=True)
class Problem:
    finding: Finding
    table: str
    record_id: int | None
    entry_id: int | None = None


def broken_links(connection: sqlite3.Connection) -> Iterator[Problem]:
    """Entries whose hash does not follow from their content and the entry before them."""
    previous = ""
    query = (
        "SELECT id, at, actor, source, action, table_name, record_id, before, after,"
        " prev_hash, hash FROM audit_entry ORDER BY id"
    )
    for row in connection.execute(query):
        entry_id, at, who, source, action, table, record_id, before, after, prev, digest = row
        expected = audit.entry_hash(
            previous, at, who, source, action, table, record_id, before, after
        )
        if prev != previous or digest != expected:
            yield Problem(Finding.BROKEN_LINK, table, record_id, entry_id)
        # Follow the stored hash: one edited entry is one finding, not every entry after it.
        previous = digest


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


def trail_problems(limit: int = 1000) -> list[Problem]:
    """Everything wrong with the trail and the records, the first ``limit`` of it."""
    connection = raw_connection()
    problems: list[Problem] = []
    for source in (broken_links(connection), records_off_the_trail(connection)):
        for problem in source:
            problems.append(problem)
            if len(problems) >= limit:
                return problems
    return problems
