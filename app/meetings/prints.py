"""A meeting's printed documents, one entry point each.

* ``print_minutes``: 会议纪要, the minutes in the official layout (print_minutes.py);
* ``print_sign_in``: 签到表, the expected attendees with room to sign (print_sign_in.py).

Each reads a plain snapshot of the meeting from the database and renders it with its document
class, writing the PDF atomically.  The GUI's preview uses the same pieces:
``MinutesDocument(minutes_snapshot(meeting_id)).render_bytes()``.  An unknown meeting is the
service's MeetingError, raised before anything is written.  The wording is Chinese whatever
the interface language: these are official documents.
"""

from __future__ import annotations

import os

from app.meetings.print_minutes import (
    FOLLOW_UP_HEADER,
    Absentee,
    FollowUpRow,
    MinutesDocument,
    MinutesSnapshot,
    Participant,
    meeting_name,
    minutes_snapshot,
    minutes_title,
    text_lines,
    when_text,
)
from app.meetings.print_sign_in import (
    SIGN_IN_HEADER,
    SignInDocument,
    SignInSnapshot,
    sign_in_snapshot,
)
from app.prints.fonts import FontSet

__all__ = [
    "FOLLOW_UP_HEADER",
    "SIGN_IN_HEADER",
    "Absentee",
    "FollowUpRow",
    "MinutesDocument",
    "MinutesSnapshot",
    "Participant",
    "SignInDocument",
    "SignInSnapshot",
    "meeting_name",
    "minutes_snapshot",
    "minutes_title",
    "print_minutes",
    "print_sign_in",
    "sign_in_snapshot",
    "text_lines",
    "when_text",
]

Path = str | os.PathLike[str]


def print_minutes(path: Path, meeting_id: int, *, fonts: FontSet | None = None) -> None:
    """会议纪要 of meeting ``meeting_id``."""
    MinutesDocument(minutes_snapshot(meeting_id), fonts=fonts).render(path)


def print_sign_in(path: Path, meeting_id: int, *, fonts: FontSet | None = None) -> None:
    """签到表 of meeting ``meeting_id``."""
    SignInDocument(sign_in_snapshot(meeting_id), fonts=fonts).render(path)
