"""The shapes of a meeting record: what the clerk enters, and what lists and prints read.

Plain values with no database behind them, so dialogs, prints and tests can build them by
hand; app/meetings/service.py checks, saves and reads them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from app.meetings.kinds import MeetingKind


class AttendeeInput(NamedTuple):
    """Someone expected at the meeting; a plain ``(person_id, present, reason)`` works too."""

    person_id: int
    present: bool = True
    absence_reason: str = ""


class FollowUpInput(NamedTuple):
    """A follow-up item; a plain ``(text, owner_id, due, done)`` tuple works too."""

    text: str
    owner_id: int | None
    due_date: dt.date | None = None
    done_date: dt.date | None = None


@dataclass
class MeetingInput:
    """What the clerk enters for one meeting (dialog, import)."""

    kind: MeetingKind | str
    held_on: dt.date | None
    start_time: dt.time | None = None
    title: str = ""
    place: str = ""
    chair_id: int | None = None
    recorder_id: int | None = None
    attendees: Sequence[AttendeeInput | tuple[int, bool, str]] = field(default_factory=tuple)
    invited: str = ""
    topics: str = ""
    minutes: str = ""
    decisions: str = ""
    follow_ups: Sequence[FollowUpInput | tuple[str, int | None, dt.date | None, dt.date | None]] = (
        field(default_factory=tuple)
    )

    def attendee_items(self) -> tuple[AttendeeInput, ...]:
        return tuple(AttendeeInput(*item) for item in self.attendees)

    def follow_up_items(self) -> tuple[FollowUpInput, ...]:
        return tuple(FollowUpInput(*item) for item in self.follow_ups)

    def cleaned(self) -> MeetingInput:
        """Texts trimmed; a present attendee has no absence reason; tuples as named tuples."""
        attendees = []
        for person_id, present, reason in self.attendee_items():
            attendees.append(
                AttendeeInput(person_id, bool(present), "" if present else reason.strip())
            )
        return MeetingInput(
            kind=self.kind,
            held_on=self.held_on,
            start_time=self.start_time,
            title=" ".join(self.title.split()),
            place=" ".join(self.place.split()),
            chair_id=self.chair_id,
            recorder_id=self.recorder_id,
            attendees=tuple(attendees),
            invited=self.invited.strip(),
            topics=_trim_lines(self.topics),
            minutes=_trim_lines(self.minutes),
            decisions=_trim_lines(self.decisions),
            follow_ups=tuple(
                FollowUpInput(text.strip(), owner, due, done)
                for text, owner, due, done in self.follow_up_items()
            ),
        )


def _trim_lines(text: str) -> str:
    # Numbered items are lines; trailing blanks and empty lines at the ends are noise.
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


# ---------------------------------------------------------------------------- what is read


@dataclass(frozen=True)
class MeetingLine:
    """One meeting in a list: what a table row or the command line shows."""

    id: int
    kind: MeetingKind
    title: str  # as entered; may be empty (see display_title)
    held_on: dt.date
    start_time: dt.time | None
    place: str
    chair_id: int | None
    chair_name: str
    recorder_name: str
    expected: int  # attendance rows: present and absent
    absent: int
    follow_ups_total: int
    follow_ups_open: int
    attachments: int

    @property
    def present(self) -> int:
        return self.expected - self.absent

    @property
    def display_title(self) -> str:
        return self.title or self.kind.label


@dataclass(frozen=True)
class AttendeeLine:
    person_id: int
    name: str
    present: bool
    absence_reason: str


@dataclass(frozen=True)
class FollowUpLine:
    id: int
    meeting_id: int
    position: int  # 1-based, as numbered in the minutes
    text: str
    owner_id: int
    owner_name: str
    due_date: dt.date | None
    done_date: dt.date | None

    @property
    def done(self) -> bool:
        return self.done_date is not None

    def overdue(self, today: dt.date) -> bool:
        return self.done_date is None and self.due_date is not None and self.due_date < today


@dataclass(frozen=True)
class AttachmentLine:
    id: int
    file_name: str
    sha256: str
    size: int
    added_at: dt.datetime


@dataclass(frozen=True)
class MeetingRecord:
    """Everything recorded about one meeting (the dialog, the minutes print)."""

    id: int
    kind: MeetingKind
    title: str
    held_on: dt.date
    start_time: dt.time | None
    place: str
    chair_id: int | None
    chair_name: str
    recorder_id: int | None
    recorder_name: str
    invited: str
    topics: str
    minutes: str
    decisions: str
    attendees: tuple[AttendeeLine, ...]
    follow_ups: tuple[FollowUpLine, ...]
    attachments: tuple[AttachmentLine, ...]

    @property
    def display_title(self) -> str:
        return self.title or self.kind.label

    def as_input(self) -> MeetingInput:
        """The record as the dialog edits it (save it back with ``meeting_id=self.id``)."""
        return MeetingInput(
            kind=self.kind,
            held_on=self.held_on,
            start_time=self.start_time,
            title=self.title,
            place=self.place,
            chair_id=self.chair_id,
            recorder_id=self.recorder_id,
            attendees=tuple(
                AttendeeInput(a.person_id, a.present, a.absence_reason) for a in self.attendees
            ),
            invited=self.invited,
            topics=self.topics,
            minutes=self.minutes,
            decisions=self.decisions,
            follow_ups=tuple(
                FollowUpInput(f.text, f.owner_id, f.due_date, f.done_date) for f in self.follow_ups
            ),
        )


def meeting_kind(code: str) -> MeetingKind:
    """The kind of a stored code; a code this version does not know reads as "other"."""
    try:
        return MeetingKind(code)
    except ValueError:
        return MeetingKind.OTHER
