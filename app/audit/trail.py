"""Reading the audit trail: entries filtered by day, person, kind of record, action and text;
newest first, a page at a time (a township's trail grows to hundreds of thousands of entries);
exported to .xlsx or .csv.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import peewee

from app.audit.describe import (
    Names,
    action_label,
    change_summary,
    field_changes,
    parse,
    record_label,
    table_label,
)
from app.i18n import _, pgettext
from app.io.spreadsheet import write_table
from app.storage.models import AuditEntry

EXPORT_LIMIT = 1_000_000  # an .xlsx sheet holds 1 048 576 rows


@dataclass(frozen=True)
class TrailFilter:
    since: dt.date | None = None
    until: dt.date | None = None
    actor: str = ""  # part of the person's name or login
    table: str | None = None
    action: str | None = None
    record_id: int | None = None
    text: str = ""  # anywhere in the record's values, the person or the source


@dataclass(frozen=True)
class Entry:
    id: int
    at: str
    actor: str
    source: str
    action: str
    table: str
    record_id: int | None
    before: dict[str, object]
    after: dict[str, object]

    @property
    def values(self) -> dict[str, object]:
        return self.after or self.before

    @property
    def moment(self) -> dt.datetime | None:
        try:
            return dt.datetime.fromisoformat(self.at)
        except ValueError:
            return None


def _where(chosen: TrailFilter) -> peewee.Expression:
    condition: peewee.Expression = AuditEntry.id > 0
    # "at" is ISO 8601 text: a day's entries are the ones from "YYYY-MM-DD" to the next day.
    if chosen.since is not None:
        condition &= AuditEntry.at >= chosen.since.isoformat()
    if chosen.until is not None:
        condition &= AuditEntry.at < (chosen.until + dt.timedelta(days=1)).isoformat()
    if chosen.actor.strip():
        # contains(): a case-insensitive LIKE with % and _ escaped, so they match themselves.
        condition &= AuditEntry.actor.contains(chosen.actor.strip())
    if chosen.table:
        condition &= AuditEntry.table_name == chosen.table
    if chosen.action:
        condition &= AuditEntry.action == chosen.action
    if chosen.record_id is not None:
        condition &= AuditEntry.record_id == chosen.record_id
    text = chosen.text.strip()
    if text:
        condition &= (
            AuditEntry.after.contains(text)
            | AuditEntry.before.contains(text)
            | AuditEntry.actor.contains(text)
            | AuditEntry.source.contains(text)
        )
    return condition


def searching(chosen: TrailFilter) -> bool:
    """A text search reads every entry's values: counting all its matches takes long."""
    return bool(chosen.text.strip())


def count_entries(chosen: TrailFilter, cap: int | None = None) -> int:
    """How many entries match; with ``cap``, counting stops past it (cap + 1: "more than")."""
    query = AuditEntry.select(AuditEntry.id).where(_where(chosen))
    if cap is not None:
        query = query.limit(cap + 1)
    return query.count()


def entries(chosen: TrailFilter, before: int | None = None, limit: int = 500) -> list[Entry]:
    """A page of matching entries, newest first; the next page starts ``before`` the last
    entry's id (not at an offset, which would read every skipped entry again)."""
    condition = _where(chosen)
    if before is not None:
        condition &= AuditEntry.id < before
    query = AuditEntry.select().where(condition).order_by(AuditEntry.id.desc()).limit(limit)
    return [_entry(row) for row in query]


def history(table: str, record_id: int) -> list[Entry]:
    """Everything the trail holds about one record, oldest first."""
    query = (
        AuditEntry.select()
        .where((AuditEntry.table_name == table) & (AuditEntry.record_id == record_id))
        .order_by(AuditEntry.id)
    )
    return [_entry(row) for row in query]


def _entry(row: AuditEntry) -> Entry:
    return Entry(
        row.id,
        row.at,
        row.actor,
        row.source,
        row.action,
        row.table_name,
        row.record_id,
        parse(row.before),
        parse(row.after),
    )


def actors() -> list[str]:
    """Everyone who made a change, in order.  A few people wrote hundreds of thousands of
    entries: the index is skipped through, one step per person, not read whole."""
    cursor = AuditEntry._meta.database.execute_sql(
        "WITH RECURSIVE people(actor) AS ("
        " SELECT MIN(actor) FROM audit_entry"
        " UNION ALL SELECT (SELECT MIN(actor) FROM audit_entry WHERE actor > people.actor)"
        " FROM people WHERE people.actor IS NOT NULL)"
        " SELECT actor FROM people WHERE actor IS NOT NULL"
    )
    return [actor for (actor,) in cursor.fetchall()]


def tables_in_trail() -> list[str]:
    query = AuditEntry.select(AuditEntry.table_name).distinct().where(AuditEntry.table_name != "")
    return sorted(table for (table,) in query.tuples())


def source_label(source: str) -> str:
    return {"gui": _("program window"), "upgrade": _("upgrade"), "": "—"}.get(source, source)


def moment_text(entry: Entry) -> str:
    moment = entry.moment
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment else entry.at


def values_text(values: dict[str, object], names: Names, table: str = "") -> str:
    lines = field_changes({}, values, names, table)
    return "\n".join(
        _("{label}: {value}").format(label=change.label, value=change.after) for change in lines
    )


def export_columns() -> list[str]:
    """The export's headers, in the language of its cells (it is read, not imported again)."""
    return [
        pgettext("audit export", "No."),
        pgettext("audit export", "Time"),
        pgettext("audit export", "Changed by"),
        pgettext("audit export", "Through"),
        pgettext("audit export", "Action"),
        pgettext("audit export", "Kind of record"),
        pgettext("audit export", "Record no."),
        pgettext("audit export", "Record"),
        pgettext("audit export", "Fields changed"),
        pgettext("audit export", "Before"),
        pgettext("audit export", "After"),
    ]


def _export_rows(chosen: TrailFilter, names: Names) -> Iterator[list[object]]:
    written, before = 0, None
    while written < EXPORT_LIMIT:
        page = entries(chosen, before, 2000)
        if not page:
            return
        for entry in page:
            yield [
                entry.id,
                moment_text(entry),
                entry.actor,
                source_label(entry.source),
                action_label(entry.action),
                table_label(entry.table) if entry.table else "",
                entry.record_id if entry.record_id is not None else "",
                record_label(entry.table, entry.values, names),
                change_summary(entry.before, entry.after, entry.table),
                values_text(entry.before, names, entry.table),
                values_text(entry.after, names, entry.table),
            ]
        written += len(page)
        before = page[-1].id


def export_trail(path: str | Path, chosen: TrailFilter | None = None) -> int:
    """Write the matching entries, newest first, to .xlsx or .csv; the number written."""
    return write_table(
        Path(path),
        export_columns(),
        _export_rows(chosen or TrailFilter(), Names()),
        title=pgettext("audit export", "Audit trail"),
        sheet_name=pgettext("audit export", "Audit trail"),
        streaming=True,
    )
