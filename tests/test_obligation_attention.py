"""What the home page lists: overdue and soon-due obligations and follow-up items."""

from __future__ import annotations

import datetime as dt

from app.meetings.kinds import MeetingKind
from app.obligations.attention import ItemKind, attention
from app.storage.models import FollowUp, Meeting, Person

TODAY = dt.date(2026, 5, 20)


def test_overdue_items_come_first_then_the_soonest() -> None:
    from app.demo import create_demo

    create_demo(1, today=TODAY)
    found = attention(TODAY)
    assert found.items and found.overdue_count >= 1
    flags = [item.overdue for item in found.items]
    assert flags == sorted(flags, reverse=True)  # every overdue item before the others
    overdue = [item.due for item in found.items if item.overdue]
    assert overdue == sorted(overdue)
    assert all(item.due < TODAY for item in found.items if item.overdue)
    soon = [item for item in found.items if not item.overdue]
    assert all(TODAY <= item.due <= TODAY + dt.timedelta(days=14) for item in soon)
    for item in found.items:
        if item.kind is ItemKind.FOLLOW_UP:
            assert item.meeting_id is not None and Meeting.get_by_id(item.meeting_id)
        else:
            assert item.meeting_kind in {kind.value for kind in MeetingKind}


def test_recording_what_was_missing_settles_the_item() -> None:
    from app.demo import create_demo

    create_demo(1, today=TODAY)
    before = attention(TODAY)
    obligation = next(item for item in before.items if item.kind is ItemKind.OBLIGATION)
    Meeting.create(kind=obligation.meeting_kind, held_on=min(obligation.due, TODAY))
    after = attention(TODAY)
    assert (obligation.text, obligation.due) not in {(i.text, i.due) for i in after.items}

    follow_up = next(item for item in after.items if item.kind is ItemKind.FOLLOW_UP)
    FollowUp.update(done_date=TODAY).where(
        (FollowUp.meeting == follow_up.meeting_id) & FollowUp.done_date.is_null()
    ).execute()
    remaining = attention(TODAY)
    assert all(item.meeting_id != follow_up.meeting_id for item in remaining.items)
    assert Person.select().count() > 0


def test_an_empty_township_needs_nothing_but_its_meetings() -> None:
    found = attention(TODAY)
    # No meetings at all: the rules of the periods already closed are overdue.
    assert all(item.kind is ItemKind.OBLIGATION for item in found.items)
