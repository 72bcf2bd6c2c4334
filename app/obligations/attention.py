"""What needs attention on a day (the home page): obligations overdue or falling due within
two weeks, and follow-up items overdue or due within two weeks, each pointing at the record
that would settle it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from app.i18n import _
from app.meetings.service import open_follow_ups
from app.obligations.engine import due_soon, overdue
from app.obligations.rules import Activity

SOON_DAYS = 14


class ItemKind(StrEnum):
    OBLIGATION = "obligation"  # settled by recording an activity (a meeting of a kind)
    FOLLOW_UP = "follow_up"  # settled by marking the item done in its meeting


@dataclass(frozen=True)
class AttentionItem:
    kind: ItemKind
    text: str
    due: dt.date
    overdue: bool
    meeting_kind: str | None = None  # an obligation to meet: the kind of meeting to record
    meeting_id: int | None = None  # a follow-up item: the meeting it belongs to


@dataclass(frozen=True)
class Attention:
    day: dt.date
    items: list[AttentionItem]

    @property
    def overdue_count(self) -> int:
        return sum(item.overdue for item in self.items)

    @property
    def soon_count(self) -> int:
        return len(self.items) - self.overdue_count


def attention(day: dt.date, days: int = SOON_DAYS) -> Attention:
    """Overdue items first (oldest deadline first), then what falls due soonest."""
    items = [_obligation(status, overdue=True) for status in overdue(day)]
    items += [_obligation(status, overdue=False) for status in due_soon(day, days)]
    for line in open_follow_ups(due_by=day + dt.timedelta(days=days)):
        assert line.due_date is not None  # only items with a due date come back
        text = _("Follow-up item of {owner}: {text}").format(owner=line.owner_name, text=line.text)
        items.append(
            AttentionItem(
                ItemKind.FOLLOW_UP, text, line.due_date, line.due_date < day, None, line.meeting_id
            )
        )
    return Attention(day, sorted(items, key=lambda item: (not item.overdue, item.due)))


def _obligation(status, *, overdue: bool) -> AttentionItem:  # type: ignore[no-untyped-def]
    meeting_kind = status.rule.activity_code if status.rule.activity is Activity.MEETING else None
    return AttentionItem(ItemKind.OBLIGATION, status.label, status.due, overdue, meeting_kind)
