"""Audit entries in words: which kind of record, which one, which fields changed from what.

The trail stores each record as the JSON of its columns (``person_id``: 12).  People read it
as "成员 · 张敏: 职务 from 副镇长 to 镇长", so references are shown with the name they point
to today, dates and yes/no as words, and the columns with their labels.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.audit.verify import Finding, Problem
from app.i18n import _, current_language, pgettext
from app.storage.audit import Action
from app.storage.models import Meeting, Person, Unit


@functools.cache
def _table_labels(language: str) -> dict[str, str]:
    return {
        "unit": pgettext("audit: kind of record", "Unit"),
        "person": pgettext("audit: kind of record", "Person"),
        "post": pgettext("audit: kind of record", "Post"),
        "leading_group": pgettext("audit: kind of record", "Leading group"),
        "group_membership": pgettext("audit: kind of record", "Group membership"),
        "membership_order": pgettext("audit: kind of record", "Order in the group"),
        "duty": pgettext("audit: kind of record", "Duty of a post"),
        "assignment": pgettext("audit: kind of record", "Area of responsibility"),
        "matrix_row": pgettext("audit: kind of record", "Matrix row"),
        "matrix_entry": pgettext("audit: kind of record", "Matrix entry"),
        "meeting": pgettext("audit: kind of record", "Meeting"),
        "attendance": pgettext("audit: kind of record", "Attendance"),
        "follow_up": pgettext("audit: kind of record", "Follow-up item"),
        "attachment": pgettext("audit: kind of record", "Attachment"),
        "obligation_rule": pgettext("audit: kind of record", "Obligation rule"),
    }


@functools.cache
def _action_labels(language: str) -> dict[str, str]:
    return {
        Action.INSERT: pgettext("audit: action", "Added"),
        Action.UPDATE: pgettext("audit: action", "Changed"),
        Action.DELETE: pgettext("audit: action", "Deleted"),
        Action.BASELINE: pgettext("audit: action", "As found when the trail began"),
        Action.RESTORE: pgettext("audit: action", "Restored from a backup"),
    }


@functools.cache
def _field_labels(language: str) -> dict[str, str]:
    return {
        "id": pgettext("audit: field", "Number"),
        "name": pgettext("audit: field", "Name"),
        "phone": pgettext("audit: field", "Phone"),
        "notes": pgettext("audit: field", "Notes"),
        "kind": pgettext("audit: field", "Kind"),
        "parent_id": pgettext("audit: field", "Belongs to"),
        "sort_order": pgettext("audit: field", "Order"),
        "risk_class": pgettext("audit: field", "Risk class"),
        "employees": pgettext("audit: field", "Employees"),
        "industry_id": pgettext("audit: field", "Industry"),
        "supervisor_id": pgettext("audit: field", "Supervising department"),
        "person_id": pgettext("audit: field", "Person"),
        "title": pgettext("audit: field", "Title"),
        "unit_id": pgettext("audit: field", "Unit"),
        "start_date": pgettext("audit: field", "From"),
        "end_date": pgettext("audit: field", "Until"),
        "office_location": pgettext("audit: field", "Office"),
        "group_id": pgettext("audit: field", "Group"),
        "role": pgettext("audit: field", "Role in the group"),
        "office_role": pgettext("audit: field", "Role in the office"),
        "predecessor_id": pgettext("audit: field", "Predecessor"),
        "membership_id": pgettext("audit: field", "Membership"),
        "post_kind": pgettext("audit: field", "Kind of post"),
        "position": pgettext("audit: field", "Position"),
        "text": pgettext("audit: field", "Text"),
        "clause": pgettext("audit: field", "Clause"),
        "level": pgettext("audit: field", "Level"),
        "source": pgettext("audit: field", "Source"),
        "note": pgettext("audit: field", "Note"),
        "duties": pgettext("audit: field", "Key duties"),
        "row_id": pgettext("audit: field", "Matrix row"),
        "column": pgettext("audit: field", "Column"),
        "post_title": pgettext("audit: field", "Post title"),
        "held_on": pgettext("audit: field", "Date"),
        "start_time": pgettext("audit: field", "Time"),
        "place": pgettext("audit: field", "Place"),
        "chair_id": pgettext("audit: field", "Chair"),
        "recorder_id": pgettext("audit: field", "Recorder"),
        "invited": pgettext("audit: field", "Others invited"),
        "topics": pgettext("audit: field", "Topics"),
        "minutes": pgettext("audit: field", "Minutes"),
        "decisions": pgettext("audit: field", "Decisions"),
        "created_at": pgettext("audit: field", "Recorded at"),
        "meeting_id": pgettext("audit: field", "Meeting"),
        "present": pgettext("audit: field", "Present"),
        "absence_reason": pgettext("audit: field", "Reason for absence"),
        "owner_id": pgettext("audit: field", "Owner"),
        "due_date": pgettext("audit: field", "Due"),
        "done_date": pgettext("audit: field", "Done on"),
        "file_name": pgettext("audit: field", "File"),
        "stored_as": pgettext("audit: field", "Stored as"),
        "sha256": pgettext("audit: field", "SHA-256"),
        "size": pgettext("audit: field", "Size (bytes)"),
        "added_at": pgettext("audit: field", "Added at"),
        "subject_kind": pgettext("audit: field", "Who (kind)"),
        "subject": pgettext("audit: field", "Who"),
        "activity": pgettext("audit: field", "Activity"),
        "activity_code": pgettext("audit: field", "Activity code"),
        "at_least": pgettext("audit: field", "At least"),
        "period": pgettext("audit: field", "Period"),
        "window": pgettext("audit: field", "Window"),
        "active": pgettext("audit: field", "Active"),
    }


# Columns that point to a person, a unit or a meeting: shown with the name they point to.
_PERSON_COLUMNS = {"person_id", "chair_id", "recorder_id", "owner_id"}
_UNIT_COLUMNS = {"unit_id", "parent_id", "industry_id", "supervisor_id"}
_BOOLEAN_COLUMNS = {"present", "active"}
# What names a record, in order of preference.
_NAMING_COLUMNS = ("name", "title", "post_title", "file_name", "text", "subject", "duties")


def table_labels() -> dict[str, str]:
    """Every kind of record, by table, in the language in use."""
    return _table_labels(current_language())


def table_label(table: str) -> str:
    return table_labels().get(table, table)


def action_label(action: str) -> str:
    return _action_labels(current_language()).get(action, action)


@functools.cache
def _table_field_labels(language: str) -> dict[tuple[str, str], str]:
    """Where a column means something else in one kind of record."""
    return {
        ("person", "name"): pgettext("audit: field", "Full name"),
        ("meeting", "title"): pgettext("audit: field", "Title of the meeting"),
        ("meeting", "kind"): pgettext("audit: field", "Kind of meeting"),
        ("unit", "kind"): pgettext("audit: field", "Kind of unit"),
        ("post", "kind"): pgettext("audit: field", "Kind of post"),
        ("leading_group", "name"): pgettext("audit: field", "Name of the group"),
    }


def field_label(column: str, table: str = "") -> str:
    language = current_language()
    special = _table_field_labels(language).get((table, column))
    return special or _field_labels(language).get(column, column)


@functools.cache
def _code_enums() -> tuple[dict[str, Any], dict[str, Any]]:
    """The enums whose codes columns hold: by table for "kind", by column for the rest."""
    from app.meetings.kinds import MeetingKind
    from app.obligations.periods import Period
    from app.obligations.rules import Activity, SubjectKind
    from app.org.kinds import PostKind, RiskClass, UnitKind
    from app.responsibility.levels import Level
    from app.responsibility.matrix import Column
    from app.roster.roles import GroupRole, OfficeRole

    kinds = {"meeting": MeetingKind, "unit": UnitKind, "post": PostKind}
    codes = {
        "post_kind": PostKind,
        "risk_class": RiskClass,
        "level": Level,
        "role": GroupRole,
        "office_role": OfficeRole,
        "period": Period,
        "subject_kind": SubjectKind,
        "activity": Activity,
        "column": Column,  # the matrix's columns
    }
    return kinds, codes


def _code_label(table: str, column: str, code: str) -> str | None:
    """The label of a code ("government_special" → "政府安全生产专题会议"), if it is one."""
    kinds, codes = _code_enums()
    enum = kinds.get(table) if column == "kind" else codes.get(column)
    if enum is None:
        return None
    try:
        return str(enum(code).label)
    except ValueError:
        return None  # a code this version does not know: shown as it is


def parse(values: str | None) -> dict[str, object]:
    if not values:
        return {}
    try:
        parsed = json.loads(values)
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


class Names:
    """Today's names of people, units and meetings, read once for a screenful of entries."""

    def __init__(self) -> None:
        self.people = dict(Person.select(Person.id, Person.name).tuples())
        self.units = dict(Unit.select(Unit.id, Unit.name).tuples())
        self._meetings: dict[int, str] | None = None

    def meeting(self, meeting_id: int) -> str | None:
        if self._meetings is None:
            rows = Meeting.select(Meeting.id, Meeting.held_on, Meeting.title).tuples()
            self._meetings = {
                number: f"{held_on} {title}".strip() for number, held_on, title in rows
            }
        return self._meetings.get(meeting_id)


def value_text(column: str, value: object, names: Names | None = None, table: str = "") -> str:
    """A column's value as a person reads it."""
    if value is None or value == "":
        return "—"
    if column in _BOOLEAN_COLUMNS:
        return _("yes") if value in (1, True, "1") else _("no")
    label = _code_label(table, column, value) if isinstance(value, str) else None
    if label is not None:
        return label
    if names is not None and isinstance(value, int):
        name = None
        if column in _PERSON_COLUMNS:
            name = names.people.get(value)
        elif column in _UNIT_COLUMNS:
            name = names.units.get(value)
        elif column == "meeting_id":
            name = names.meeting(value)
        if name:
            return f"{name} (#{value})"
    text = str(value)
    return text if len(text) <= 200 else text[:199] + "…"


def record_label(table: str, values: Mapping[str, object], names: Names | None = None) -> str:
    """What names the record: "张敏", "常青村", "2026-03-05 安全生产例会" or "#12"; the file
    for a restore."""
    if not table:
        return str(values.get("file", ""))
    for column in _NAMING_COLUMNS:
        value = values.get(column)
        if isinstance(value, str) and value.strip():
            text = " ".join(value.split())
            text = text if len(text) <= 40 else text[:39] + "…"
            if table == "meeting" and values.get("held_on"):
                return f"{values['held_on']} {text}"
            return text
    for column in ("person_id", "owner_id", "meeting_id", "unit_id"):
        value = values.get(column)
        if value is not None:
            return value_text(column, value, names)
    if table == "meeting" and values.get("held_on"):
        return str(values["held_on"])
    record_id = values.get("id")
    return f"#{record_id}" if record_id is not None else ""


@dataclass(frozen=True)
class FieldChange:
    column: str
    label: str
    before: str
    after: str
    changed: bool


def field_changes(
    before: Mapping[str, object],
    after: Mapping[str, object],
    names: Names | None = None,
    table: str = "",
) -> list[FieldChange]:
    """Every column of the record, before and after, marking the ones that differ."""
    columns = list(after) + [column for column in before if column not in after]
    return [
        FieldChange(
            column,
            field_label(column, table),
            value_text(column, before.get(column), names, table) if before else "",
            value_text(column, after.get(column), names, table) if after else "",
            bool(before) and bool(after) and before.get(column) != after.get(column),
        )
        for column in columns
    ]


def change_summary(
    before: Mapping[str, object], after: Mapping[str, object], table: str = ""
) -> str:
    """The changed fields' labels for a list ("职务、结束日期"); empty unless both sides exist."""
    if not before or not after:
        return ""
    changed = [
        field_label(column, table)
        for column in after
        if column != "id" and before.get(column) != after.get(column)
    ]
    return "、".join(changed)


def _recorded_name(table: str, record_id: int | None) -> str:
    """What the trail last called the record ("张敏"), for a person to find it."""
    from app.storage.models import AuditEntry

    row = (
        AuditEntry.select(AuditEntry.before, AuditEntry.after)
        .where((AuditEntry.table_name == table) & (AuditEntry.record_id == record_id))
        .order_by(AuditEntry.id.desc())
        .first()
    )
    if row is None:
        return ""
    values = parse(row.after) or parse(row.before)
    name = record_label(table, values)
    return "" if name == f"#{record_id}" else name


def describe_problem(problem: Problem) -> str:
    """One line for the check's report: which record, what is wrong."""
    record = f"{table_label(problem.table)} #{problem.record_id}"
    if problem.record_id is not None and problem.finding != Finding.BROKEN_LINK:
        name = _recorded_name(problem.table, problem.record_id)
        record = _("{record} ({name})").format(record=record, name=name) if name else record
    if problem.finding == Finding.MISSING:
        return _("The audit trail has been removed from the database.")
    if problem.finding == Finding.RESTARTED:
        return _(
            "The audit trail was removed outside SafeDuty; it began again at entry {entry} "
            "from the records as they were then."
        ).format(entry=problem.entry_id)
    if problem.finding == Finding.CUT_OFF:
        return _(
            "The newest audit entries were removed: entry {entry}, found whole at the last "
            "check, is gone or altered."
        ).format(entry=problem.entry_id)
    if problem.finding == Finding.BROKEN_LINK:
        return _(
            "Audit entry {entry} ({record}) was altered or removed after it was written."
        ).format(entry=problem.entry_id, record=record if problem.table else "—")
    if problem.finding == Finding.CHANGED:
        return _("{record} was changed outside SafeDuty.").format(record=record)
    if problem.finding == Finding.UNRECORDED:
        return _("{record} was added outside SafeDuty.").format(record=record)
    return _("{record} was deleted outside SafeDuty.").format(record=record)
