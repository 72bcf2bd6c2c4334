"""Meetings and their minutes: record, replace and delete them, list them, check them first.

A meeting is saved as a whole: its attendance and its follow-up items are replaced together
with it in one transaction, so a refused or failed save leaves the earlier record as it was.
Attendees are picked from the leading group's roster of the meeting day (who was in the group
then, not today); the chair, the recorder and the owners of follow-up items may be anyone
recorded — a leader from the district may chair, a village secretary may own an item.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from peewee import fn

from app.i18n import _, format_date
from app.meetings.kinds import MeetingKind
from app.meetings.records import (
    AttachmentLine,
    AttendeeInput,
    AttendeeLine,
    FollowUpInput,
    FollowUpLine,
    MeetingInput,
    MeetingLine,
    MeetingRecord,
    meeting_kind,
)
from app.roster.service import roster_as_of
from app.roster.snapshot import RosterLine
from app.storage.bulk import chunks, insert_rows
from app.storage.db import database_proxy
from app.storage.models import Attachment, Attendance, FollowUp, Meeting, Person

__all__ = [
    "AttachmentLine",
    "AttendeeInput",
    "AttendeeLine",
    "FollowUpInput",
    "FollowUpLine",
    "MeetingError",
    "MeetingInput",
    "MeetingLine",
    "MeetingRecord",
    "delete_meeting",
    "expected_attendees",
    "get_meeting",
    "meeting_kind",
    "meetings_in",
    "open_follow_ups",
    "save_meeting",
    "set_follow_up_done",
    "validate_meeting",
]

# Limits: the model's column widths, and for free text a size no real minutes reach (a
# pasted document of megabytes is a mistake, and would make every list slow).
MAX_TITLE = 200
MAX_PLACE = 200
MAX_REASON = 200
MAX_INVITED = 2_000
MAX_TEXT = 20_000
MAX_FOLLOW_UP = 1_000
# Dates before this are typing mistakes (a year of 0202 or 1025), not old minutes.
EARLIEST = dt.date(1990, 1, 1)


class MeetingError(Exception):
    """A meeting that cannot be saved as given; ``errors`` maps a field to its reason.

    Follow-up items are named ``follow_up.N.part`` (N from 1, as the clerk sees them).
    """

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("\n".join(errors.values()))


def expected_attendees(day: dt.date) -> list[RosterLine]:
    """Whom a meeting on ``day`` may list as attendees: the group's members then, in order."""
    return list(roster_as_of(day).lines)


def meetings_in(
    year: int | None = None, kind: MeetingKind | str | None = None
) -> list[MeetingLine]:
    """The meetings of a year (or all), of a kind (or all), by date and time."""
    query = Meeting.select(
        Meeting.id,
        Meeting.kind,
        Meeting.title,
        Meeting.held_on,
        Meeting.start_time,
        Meeting.place,
        Meeting.chair,
        Meeting.recorder,
    )
    condition = None
    if year is not None:
        condition = Meeting.held_on.between(dt.date(year, 1, 1), dt.date(year, 12, 31))
    if kind is not None:
        by_kind = Meeting.kind == MeetingKind(kind).value
        condition = by_kind if condition is None else condition & by_kind
    if condition is not None:
        query = query.where(condition)
    rows = list(query.order_by(Meeting.held_on, Meeting.start_time, Meeting.id).tuples())
    ids = [row[0] for row in rows]
    # Counts per meeting in one grouped query each, not one query per meeting.
    attendance: dict[int, tuple[int, int]] = {}
    follow_ups: dict[int, tuple[int, int]] = {}
    attachments: dict[int, int] = {}
    for chunk in chunks(ids):
        absent = fn.SUM(Attendance.present == False)  # noqa: E712 - SQL, not Python
        for mid, total, missing in (
            Attendance.select(Attendance.meeting, fn.COUNT(Attendance.id), absent)
            .where(Attendance.meeting.in_(chunk))
            .group_by(Attendance.meeting)
            .tuples()
        ):
            attendance[mid] = (total, int(missing or 0))
        open_items = fn.SUM(FollowUp.done_date.is_null())
        for mid, total, still_open in (
            FollowUp.select(FollowUp.meeting, fn.COUNT(FollowUp.id), open_items)
            .where(FollowUp.meeting.in_(chunk))
            .group_by(FollowUp.meeting)
            .tuples()
        ):
            follow_ups[mid] = (total, int(still_open or 0))
        attachments.update(
            Attachment.select(Attachment.meeting, fn.COUNT(Attachment.id))
            .where(Attachment.meeting.in_(chunk))
            .group_by(Attachment.meeting)
            .tuples()
        )
    names = _names({pid for row in rows for pid in (row[6], row[7]) if pid})
    return [
        MeetingLine(
            id=mid,
            kind=meeting_kind(code),
            title=title,
            held_on=held_on,
            start_time=start_time,
            place=place,
            chair_id=chair,
            chair_name=names.get(chair, "") if chair else "",
            recorder_name=names.get(recorder, "") if recorder else "",
            expected=attendance.get(mid, (0, 0))[0],
            absent=attendance.get(mid, (0, 0))[1],
            follow_ups_total=follow_ups.get(mid, (0, 0))[0],
            follow_ups_open=follow_ups.get(mid, (0, 0))[1],
            attachments=attachments.get(mid, 0),
        )
        for mid, code, title, held_on, start_time, place, chair, recorder in rows
    ]


def get_meeting(meeting_id: int) -> MeetingRecord:
    """Everything about one meeting; MeetingError if it is not (or no longer) recorded."""
    meeting = Meeting.get_or_none(Meeting.id == meeting_id)
    if meeting is None:
        raise MeetingError({"meeting": _("This meeting is no longer recorded.")})
    attendance = list(
        Attendance.select(
            Attendance.person, Person.name, Attendance.present, Attendance.absence_reason
        )
        .join(Person)
        .where(Attendance.meeting == meeting_id)
        .order_by(Attendance.position, Attendance.id)
        .tuples()
    )
    items = list(
        FollowUp.select(
            FollowUp.id,
            FollowUp.position,
            FollowUp.text,
            FollowUp.owner,
            Person.name,
            FollowUp.due_date,
            FollowUp.done_date,
        )
        .join(Person)
        .where(FollowUp.meeting == meeting_id)
        .order_by(FollowUp.position, FollowUp.id)
        .tuples()
    )
    files = list(
        Attachment.select(
            Attachment.id,
            Attachment.file_name,
            Attachment.sha256,
            Attachment.size,
            Attachment.added_at,
        )
        .where(Attachment.meeting == meeting_id)
        .order_by(Attachment.id)
        .tuples()
    )
    names = _names({pid for pid in (meeting.chair_id, meeting.recorder_id) if pid})
    return MeetingRecord(
        id=meeting.id,
        kind=meeting_kind(meeting.kind),
        title=meeting.title,
        held_on=meeting.held_on,
        start_time=meeting.start_time,
        place=meeting.place,
        chair_id=meeting.chair_id,
        chair_name=names.get(meeting.chair_id, ""),
        recorder_id=meeting.recorder_id,
        recorder_name=names.get(meeting.recorder_id, ""),
        invited=meeting.invited,
        topics=meeting.topics,
        minutes=meeting.minutes,
        decisions=meeting.decisions,
        attendees=tuple(AttendeeLine(*row) for row in attendance),
        follow_ups=tuple(
            FollowUpLine(fid, meeting.id, number, text, owner, name, due, done)
            for number, (fid, _position, text, owner, name, due, done) in enumerate(items, 1)
        ),
        attachments=tuple(AttachmentLine(*row) for row in files),
    )


def open_follow_ups(due_by: dt.date | None = None) -> list[FollowUpLine]:
    """Follow-up items not done yet (those due by ``due_by``, if given), earliest due first."""
    condition = FollowUp.done_date.is_null()
    if due_by is not None:
        condition &= FollowUp.due_date.is_null(False) & (FollowUp.due_date <= due_by)
    query = (
        FollowUp.select(
            FollowUp.id,
            FollowUp.meeting,
            FollowUp.position,
            FollowUp.text,
            FollowUp.owner,
            Person.name,
            FollowUp.due_date,
            FollowUp.done_date,
        )
        .join(Person)
        .where(condition)
        # Items without a due date last (NULL sorts first in SQLite, last in PostgreSQL).
        .order_by(FollowUp.due_date.is_null(), FollowUp.due_date, FollowUp.meeting, FollowUp.id)
        .tuples()
    )
    return [FollowUpLine(*row) for row in query]


def _names(person_ids: set[int]) -> dict[int, str]:
    names: dict[int, str] = {}
    for chunk in chunks(sorted(person_ids)):
        names.update(Person.select(Person.id, Person.name).where(Person.id.in_(chunk)).tuples())
    return names


# ---------------------------------------------------------------------------- checking


def latest_allowed(today: dt.date) -> dt.date:
    """The last day a meeting may be dated: a year from today (planned meetings are entered
    ahead; a date further on is a mistyped year)."""
    try:
        return today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year + 1, day=28)


def validate_meeting(data: MeetingInput, today: dt.date) -> dict[str, str]:
    """Field → reason for every problem with ``data``; empty if it can be saved."""
    data = data.cleaned()
    errors: dict[str, str] = {}
    try:
        MeetingKind(data.kind)
    except ValueError:
        errors["kind"] = _("“{kind}” is not a kind of meeting.").format(kind=data.kind)
    day = data.held_on
    if not isinstance(day, dt.date):
        errors["held_on"] = _("Enter the date of the meeting.")
        day = None
    elif day < EARLIEST:
        errors["held_on"] = _("The meeting date {date} is too early; check the year.").format(
            date=format_date(day)
        )
    elif day > latest_allowed(today):
        errors["held_on"] = _(
            "The meeting date {date} is more than a year ahead; check the year."
        ).format(date=format_date(day))
    _check_length(errors, "title", data.title, MAX_TITLE, _("The title"))
    _check_length(errors, "place", data.place, MAX_PLACE, _("The place"))
    _check_length(errors, "invited", data.invited, MAX_INVITED, _("The list of others invited"))
    _check_length(errors, "topics", data.topics, MAX_TEXT, _("The topics"))
    _check_length(errors, "minutes", data.minutes, MAX_TEXT, _("The minutes"))
    _check_length(errors, "decisions", data.decisions, MAX_TEXT, _("The decisions"))

    people = {pid for pid in (data.chair_id, data.recorder_id) if pid is not None}
    follow_ups = data.follow_up_items()
    people |= {item.owner_id for item in follow_ups if item.owner_id is not None}
    known = _names(people)
    if data.chair_id is not None and data.chair_id not in known:
        errors["chair"] = _("The chair is not among the people recorded.")
    if data.recorder_id is not None and data.recorder_id not in known:
        errors["recorder"] = _("The recorder is not among the people recorded.")
    if day is not None:
        _check_attendees(errors, data.attendee_items(), day)
    for number, item in enumerate(follow_ups, start=1):
        _check_follow_up(errors, number, item, day, today, known)
    return errors


def _check_length(errors: dict[str, str], key: str, text: str, limit: int, what: str) -> None:
    if len(text) > limit:
        errors[key] = _("{what} is longer than {limit} characters.").format(what=what, limit=limit)


def _check_attendees(
    errors: dict[str, str], attendees: Sequence[AttendeeInput], day: dt.date
) -> None:
    members = {line.person_id for line in roster_as_of(day).lines}
    seen: set[int] = set()
    problems: list[str] = []
    names = _names({item.person_id for item in attendees})
    for item in attendees:
        name = names.get(item.person_id) or _("person no. {number}").format(number=item.person_id)
        if item.person_id in seen:
            problems.append(_("{name} is listed twice.").format(name=name))
        elif item.person_id not in members:
            problems.append(
                _(
                    "{name} is not in the leading group on {date}; attendees come from "
                    "the roster of the meeting day (list others under “Others invited”)."
                ).format(name=name, date=format_date(day))
            )
        elif not item.present and not item.absence_reason:
            problems.append(_("Give the reason {name} was absent.").format(name=name))
        elif len(item.absence_reason) > MAX_REASON:
            problems.append(
                _("The reason {name} was absent is longer than {limit} characters.").format(
                    name=name, limit=MAX_REASON
                )
            )
        seen.add(item.person_id)
    if problems:
        errors["attendees"] = " ".join(problems)


def _check_follow_up(
    errors: dict[str, str],
    number: int,
    item: FollowUpInput,
    day: dt.date | None,
    today: dt.date,
    known: dict[int, str],
) -> None:
    key = f"follow_up.{number}"
    if not item.text:
        errors[f"{key}.text"] = _("Follow-up item {number}: say what is to be done.").format(
            number=number
        )
    elif len(item.text) > MAX_FOLLOW_UP:
        errors[f"{key}.text"] = _(
            "Follow-up item {number}: the text is longer than {limit} characters."
        ).format(number=number, limit=MAX_FOLLOW_UP)
    if item.owner_id is None:
        errors[f"{key}.owner"] = _("Follow-up item {number}: choose who is responsible.").format(
            number=number
        )
    elif item.owner_id not in known:
        errors[f"{key}.owner"] = _(
            "Follow-up item {number}: the person responsible is not among the people recorded."
        ).format(number=number)
    if day is not None and item.due_date is not None and item.due_date < day:
        errors[f"{key}.due_date"] = _(
            "Follow-up item {number}: the due date {date} is before the meeting."
        ).format(number=number, date=format_date(item.due_date))
    if item.done_date is not None:
        if day is not None and item.done_date < day:
            errors[f"{key}.done_date"] = _(
                "Follow-up item {number}: the done date {date} is before the meeting."
            ).format(number=number, date=format_date(item.done_date))
        elif item.done_date > today:
            errors[f"{key}.done_date"] = _(
                "Follow-up item {number}: the done date {date} has not come yet."
            ).format(number=number, date=format_date(item.done_date))


# ---------------------------------------------------------------------------- changing


def save_meeting(data: MeetingInput, *, meeting_id: int | None = None, today: dt.date) -> int:
    """Record a new meeting, or replace meeting ``meeting_id`` as a whole; returns its id.

    Attendance and follow-up items are replaced with the meeting (follow-up items get new
    ids); its attachments stay.  All or nothing: MeetingError and nothing written on a refusal.
    """
    data = data.cleaned()
    with database_proxy.atomic():
        # Checked inside the transaction: the roster read is the one the rows are written on.
        errors = validate_meeting(data, today)
        if errors:
            raise MeetingError(errors)
        assert data.held_on is not None  # validated
        values = {
            "kind": MeetingKind(data.kind).value,
            "title": data.title,
            "held_on": data.held_on,
            "start_time": data.start_time,
            "place": data.place,
            "chair": data.chair_id,
            "recorder": data.recorder_id,
            "invited": data.invited,
            "topics": data.topics,
            "minutes": data.minutes,
            "decisions": data.decisions,
        }
        if meeting_id is None:
            meeting_id = int(Meeting.insert(values).execute())
        else:
            changed = Meeting.update(values).where(Meeting.id == meeting_id).execute()
            if not changed:
                raise MeetingError({"meeting": _("This meeting is no longer recorded.")})
            Attendance.delete().where(Attendance.meeting == meeting_id).execute()
            FollowUp.delete().where(FollowUp.meeting == meeting_id).execute()
        insert_rows(
            Attendance,
            [
                {
                    "meeting": meeting_id,
                    "person": item.person_id,
                    "present": item.present,
                    "absence_reason": item.absence_reason,
                    "position": position,
                }
                for position, item in enumerate(data.attendee_items(), start=1)
            ],
        )
        insert_rows(
            FollowUp,
            [
                {
                    "meeting": meeting_id,
                    "position": position,
                    "text": item.text,
                    "owner": item.owner_id,
                    "due_date": item.due_date,
                    "done_date": item.done_date,
                }
                for position, item in enumerate(data.follow_up_items(), start=1)
            ],
        )
    return meeting_id


def set_follow_up_done(follow_up_id: int, done_on: dt.date | None, *, today: dt.date) -> None:
    """Mark a follow-up item done on ``done_on`` (None: not done after all)."""
    with database_proxy.atomic():
        item = FollowUp.get_or_none(FollowUp.id == follow_up_id)
        if item is None:
            raise MeetingError({"follow_up": _("This follow-up item is no longer recorded.")})
        if done_on is not None:
            held_on = item.meeting.held_on
            if done_on < held_on:
                raise MeetingError(
                    {
                        "done_date": _(
                            "The done date {date} is before the meeting ({meeting})."
                        ).format(date=format_date(done_on), meeting=format_date(held_on))
                    }
                )
            if done_on > today:
                raise MeetingError(
                    {
                        "done_date": _("The done date {date} has not come yet.").format(
                            date=format_date(done_on)
                        )
                    }
                )
        item.done_date = done_on
        item.save()


def delete_meeting(meeting_id: int) -> None:
    """Delete a meeting with its attendance, follow-up items and attachments.

    Stored files go after the rows, once no other record refers to them: a failure in
    between leaves a spare file, never a record without its file.
    """
    from app.meetings.attachments import discard_unreferenced

    with database_proxy.atomic():
        stored = [
            name
            for (name,) in Attachment.select(Attachment.stored_as)
            .where(Attachment.meeting == meeting_id)
            .tuples()
        ]
        # Children first: explicit, so it does not depend on the database's cascade.
        Attachment.delete().where(Attachment.meeting == meeting_id).execute()
        Attendance.delete().where(Attendance.meeting == meeting_id).execute()
        FollowUp.delete().where(FollowUp.meeting == meeting_id).execute()
        Meeting.delete().where(Meeting.id == meeting_id).execute()
    discard_unreferenced(stored)
