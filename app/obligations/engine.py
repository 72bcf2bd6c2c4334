"""Who has met each obligation, and who is behind, as of a day.

For every active rule: the period containing the day, the window in it, the subjects (a body;
or each holder of a kind of post, judged on the part of the period they held it; or one person
or unit), and the activities recorded in the dates that count.  "Behind" is computed from the
records, never typed.

Counting rules:
- a body's meeting rule counts the meetings of that kind held in the window;
- a person's meeting rule (a kind of post, or one person) counts the meetings of that kind in
  their part of the window that they chaired or attended — a meeting they missed is not theirs;
- activities the program does not record yet count 0 (such rules are kept inactive);
- nothing dated after the day looked at counts, so "as of 2025-02-15" shows what was done then.

A few queries in all, whatever the number of rules, people and days.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from app.i18n import N_, _
from app.obligations.periods import (
    ONE_DAY,
    Bounds,
    PeriodError,
    period_before,
    period_containing,
    window_of,
)
from app.obligations.rules import Activity, Rule, SubjectKind, list_rules, subject_names
from app.org.kinds import PostKind
from app.storage.bulk import chunks
from app.storage.models import (
    Assignment,
    Attendance,
    Meeting,
    Person,
    Post,
    Unit,
    overlapping,
)

Spans = list[Bounds]  # disjoint, in order


class Status(StrEnum):
    MET = "met"
    DUE = "due"
    OVERDUE = "overdue"

    @property
    def label(self) -> str:
        return _(_STATUS_LABELS[self])


_STATUS_LABELS = {
    Status.MET: N_("Met"),
    Status.DUE: N_("Due"),
    Status.OVERDUE: N_("Overdue"),
}


@dataclass(frozen=True)
class ObligationStatus:
    """One subject's standing against one rule in one period."""

    rule: Rule
    subject: str  # as the user reads it: 党委, or a person's name
    period: Bounds  # the rule's period that contains the day looked at
    counted: Bounds  # the dates that count: the window, narrowed to the subject's part
    required: int
    done: int
    status: Status
    person_id: int | None = None
    unit_id: int | None = None

    @property
    def due(self) -> dt.date:
        """The deadline: the last day that counts."""
        return self.counted[1]

    @property
    def kind(self) -> str:
        """The activity's code ("meeting")."""
        return self.rule.activity.value

    @property
    def activity(self) -> str:
        """The meeting kind code for meetings; else whom a report goes to, or the activity."""
        return self.rule.activity_code or self.rule.activity.value

    @property
    def met(self) -> bool:
        return self.status is Status.MET

    @property
    def label(self) -> str:
        return self.rule.describe(self.subject)


def obligations_as_of(day: dt.date) -> list[ObligationStatus]:
    """Every active rule's standing in its period containing ``day``: in rule order, the
    holders of a kind of post in the order they held it."""
    return _evaluate(
        list_rules(active_only=True), day, lambda rule: period_containing(rule.period, day)
    )


def obligations_of_previous_periods(day: dt.date) -> list[ObligationStatus]:
    """Every active rule's standing in the period just before the one containing ``day``:
    a quarter that ended without its meeting stays visible through the next quarter."""
    return _evaluate(
        list_rules(active_only=True), day, lambda rule: period_before(rule.period, day)
    )


def overdue(day: dt.date) -> list[ObligationStatus]:
    """What is behind on ``day``: past deadlines of the current periods and shortfalls of the
    periods just ended, the oldest deadline first."""
    items = [
        item
        for item in (*obligations_of_previous_periods(day), *obligations_as_of(day))
        if item.status is Status.OVERDUE
    ]
    return sorted(items, key=lambda item: item.due)


def due_soon(day: dt.date, days: int = 14) -> list[ObligationStatus]:
    """What is not met yet and falls due from ``day`` to ``days`` days later, soonest first."""
    last = day + dt.timedelta(days=days)
    items = [
        item
        for item in obligations_as_of(day)
        if item.status is Status.DUE and day <= item.due <= last
    ]
    return sorted(items, key=lambda item: item.due)


# ---------------------------------------------------------------------------- evaluation


@dataclass(frozen=True)
class _Slot:
    """A subject of a rule with the dates that count for them."""

    rule: Rule
    period: Bounds
    spans: Spans
    subject: str
    person_id: int | None = None
    unit_id: int | None = None


def _evaluate(
    rules: Sequence[Rule], day: dt.date, period_of: Callable[[Rule], Bounds]
) -> list[ObligationStatus]:
    windows: list[tuple[Rule, Bounds, Bounds]] = []
    for rule in rules:
        bounds = period_of(rule)
        try:
            windows.append((rule, bounds, window_of(bounds, rule.window)))
        except PeriodError:
            continue  # a window saved outside the program's checks: nothing can be judged
    if not windows:
        return []
    slots = _slots(windows, day)
    done = _counts(slots, day)
    result: list[ObligationStatus] = []
    for slot, count in zip(slots, done, strict=True):
        counted = (slot.spans[0][0], slot.spans[-1][1])
        if count >= slot.rule.at_least:
            status = Status.MET
        elif day > counted[1]:
            status = Status.OVERDUE
        else:
            status = Status.DUE
        result.append(
            ObligationStatus(
                rule=slot.rule,
                subject=slot.subject,
                period=slot.period,
                counted=counted,
                required=slot.rule.at_least,
                done=count,
                status=status,
                person_id=slot.person_id,
                unit_id=slot.unit_id,
            )
        )
    return result


def _slots(windows: Sequence[tuple[Rule, Bounds, Bounds]], day: dt.date) -> list[_Slot]:
    """Each rule's subjects, in rule order."""
    rules = [rule for rule, _bounds, _window in windows]
    names = subject_names(rules)
    kinds = {rule.subject for rule in rules if rule.subject_kind is SubjectKind.POST_KIND}
    lowest = min(window[0] for _rule, _bounds, window in windows)
    highest = max(window[1] for _rule, _bounds, window in windows)
    holders = _holders(kinds, (lowest, highest)) if kinds else {}
    people = _person_names({pid for spans in holders.values() for pid in spans})
    known_people = _existing(Person, rules, SubjectKind.PERSON)
    known_units = _existing(Unit, rules, SubjectKind.UNIT)

    slots: list[_Slot] = []
    for rule, bounds, window in windows:
        kind = rule.subject_kind
        if kind.is_body:
            slots.append(_Slot(rule, bounds, [window], names[(kind, rule.subject)]))
        elif kind is SubjectKind.PERSON:
            if rule.subject_id in known_people:
                subject = names[(kind, rule.subject)]
                slots.append(_Slot(rule, bounds, [window], subject, person_id=rule.subject_id))
        elif kind is SubjectKind.UNIT:
            if rule.subject_id in known_units:
                subject = names[(kind, rule.subject)]
                slots.append(_Slot(rule, bounds, [window], subject, unit_id=rule.subject_id))
        else:
            held = []
            for pid, spans in holders.get(rule.subject, {}).items():
                part = _intersect(spans, window)
                # Someone whose part has not begun on the day looked at owes nothing yet.
                if part and part[0][0] <= day:
                    held.append((part[0][0], people.get(pid, ""), pid, part))
            for _start, name, pid, part in sorted(held):
                slots.append(_Slot(rule, bounds, part, name, person_id=pid))
    return slots


def _existing(
    model: type[Person] | type[Unit], rules: Iterable[Rule], kind: SubjectKind
) -> set[int]:
    ids = sorted(
        {
            rid
            for rule in rules
            if rule.subject_kind is kind and (rid := rule.subject_id) is not None
        }
    )
    found: set[int] = set()
    for chunk in chunks(ids):
        found.update(pid for (pid,) in model.select(model.id).where(model.id.in_(chunk)).tuples())
    return found


def _person_names(ids: Iterable[int]) -> dict[int, str]:
    wanted = list(ids)
    names: dict[int, str] = {}
    for chunk in chunks(wanted):
        names.update(Person.select(Person.id, Person.name).where(Person.id.in_(chunk)).tuples())
    return names


# ---------------------------------------------------------------------------- who held what


_PRINCIPALS = (PostKind.PARTY_SECRETARY.value, PostKind.TOWNSHIP_HEAD.value)
_DEPUTIES = (PostKind.DEPUTY.value, PostKind.SAFETY_DEPUTY.value)


def _holders(kinds: set[str], between: Bounds) -> dict[str, dict[int, Spans]]:
    """For each kind of post, who held it from ``between[0]`` to ``between[1]`` and when.

    Read the way duty lists are (app.responsibility.duties.kinds_held): the deputy who carries
    comprehensive supervision (综合监管) is the safety deputy whatever the title says, and a
    principal or the safety deputy is not also judged as an "other deputy".
    """
    from app.responsibility.levels import Level

    first, last = between
    wanted = set(kinds)
    if wanted & set(_DEPUTIES):
        wanted.update(_DEPUTIES + _PRINCIPALS)
    posts: dict[str, dict[int, Spans]] = {}
    query = Post.select(Post.kind, Post.person, Post.start_date, Post.end_date).where(
        Post.kind.in_(sorted(wanted)) & (Post.start_date <= last) & overlapping(Post, first)
    )
    for kind, pid, start, end in query.tuples():
        posts.setdefault(kind, {}).setdefault(pid, []).append(_clipped(start, end, between))
    posts = {kind: {pid: _merged(s) for pid, s in by.items()} for kind, by in posts.items()}

    if wanted & set(_DEPUTIES):
        supervising: dict[int, Spans] = {}
        assignments = Assignment.select(
            Assignment.person, Assignment.start_date, Assignment.end_date
        ).where(
            (Assignment.level == Level.SUPERVISION.value)
            & (Assignment.start_date <= last)
            & overlapping(Assignment, first)
        )
        for pid, start, end in assignments.tuples():
            supervising.setdefault(pid, []).append(_clipped(start, end, between))
        deputies = posts.get(PostKind.DEPUTY.value, {})
        safety = posts.setdefault(PostKind.SAFETY_DEPUTY.value, {})
        for pid, spans in supervising.items():
            # Supervision makes a deputy the safety deputy while they are a deputy.
            carried = _intersect_spans(_merged(spans), deputies.get(pid, []))
            if carried:
                safety[pid] = _merged([*safety.get(pid, []), *carried])
        for pid in list(deputies):
            others = [
                *safety.get(pid, []),
                *(span for code in _PRINCIPALS for span in posts.get(code, {}).get(pid, [])),
            ]
            rest = _subtract(deputies[pid], _merged(others))
            if rest:
                deputies[pid] = rest
            else:
                del deputies[pid]
    return {kind: posts.get(kind, {}) for kind in kinds}


def _clipped(start: dt.date, end: dt.date | None, between: Bounds) -> Bounds:
    """A dated record's days within ``between`` (an open end is still running)."""
    return max(start, between[0]), min(end or between[1], between[1])


def _merged(spans: Iterable[Bounds]) -> Spans:
    """Overlapping or touching spans joined into one."""
    result: Spans = []
    for start, end in sorted(spans):
        if result and start <= result[-1][1] + ONE_DAY:
            if end > result[-1][1]:
                result[-1] = (result[-1][0], end)
        else:
            result.append((start, end))
    return result


def _intersect(spans: Spans, bounds: Bounds) -> Spans:
    first, last = bounds
    return [
        (max(start, first), min(end, last))
        for start, end in spans
        if start <= last and end >= first
    ]


def _intersect_spans(spans: Spans, others: Spans) -> Spans:
    return _merged(part for other in others for part in _intersect(spans, other))


def _subtract(spans: Spans, minus: Spans) -> Spans:
    result: Spans = []
    for start, end in spans:
        pieces = [(start, end)]
        for cut_start, cut_end in minus:
            next_pieces: Spans = []
            for a, b in pieces:
                if cut_end < a or cut_start > b:
                    next_pieces.append((a, b))
                    continue
                if cut_start > a:
                    next_pieces.append((a, cut_start - ONE_DAY))
                if cut_end < b:
                    next_pieces.append((cut_end + ONE_DAY, b))
            pieces = next_pieces
        result.extend(pieces)
    return result


# ---------------------------------------------------------------------------- counting


def _counts(slots: Sequence[_Slot], day: dt.date) -> list[int]:
    """How many recorded activities each slot has in its dates, up to ``day``."""
    meeting_slots = [s for s in slots if s.rule.activity is Activity.MEETING]
    body_kinds = {s.rule.activity_code for s in meeting_slots if s.person_id is None}
    person_kinds = {s.rule.activity_code for s in meeting_slots if s.person_id is not None}
    lowest = min((s.spans[0][0] for s in meeting_slots), default=day)
    highest = min(max((s.spans[-1][1] for s in meeting_slots), default=day), day)
    held = _meeting_days(body_kinds, (lowest, highest)) if body_kinds else {}
    attended = _attended_days(person_kinds, (lowest, highest)) if person_kinds else {}

    counts: list[int] = []
    for slot in slots:
        if slot.rule.activity is not Activity.MEETING:
            counts.append(0)  # not recorded yet: such rules are kept inactive
            continue
        code = slot.rule.activity_code
        days = (
            held.get(code, [])
            if slot.person_id is None
            else attended.get((slot.person_id, code), [])
        )
        counts.append(sum(_within(days, (start, min(end, day))) for start, end in slot.spans))
    return counts


def _within(days: Sequence[dt.date], bounds: Bounds) -> int:
    first, last = bounds
    if last < first:
        return 0
    return bisect.bisect_right(days, last) - bisect.bisect_left(days, first)


def _meeting_days(kinds: set[str], between: Bounds) -> dict[str, list[dt.date]]:
    """The days meetings of each kind were held, sorted (one query)."""
    result: dict[str, list[dt.date]] = {}
    query = (
        Meeting.select(Meeting.kind, Meeting.held_on)
        .where(Meeting.kind.in_(sorted(kinds)) & Meeting.held_on.between(*between))
        .order_by(Meeting.held_on)
        .tuples()
    )
    for kind, held_on in query:
        result.setdefault(kind, []).append(held_on)
    return result


def _attended_days(kinds: set[str], between: Bounds) -> dict[tuple[int, str], list[dt.date]]:
    """For each person and kind of meeting, the days of the meetings they chaired or attended
    (present), sorted; a meeting counts once per person (two queries)."""
    seen: dict[tuple[int, str], dict[int, dt.date]] = {}
    in_range = Meeting.kind.in_(sorted(kinds)) & Meeting.held_on.between(*between)
    chaired = (
        Meeting.select(Meeting.chair, Meeting.kind, Meeting.id, Meeting.held_on)
        .where(in_range & Meeting.chair.is_null(False))
        .tuples()
    )
    present = (
        Attendance.select(Attendance.person, Meeting.kind, Meeting.id, Meeting.held_on)
        .join(Meeting)
        .where(in_range & (Attendance.present == True))  # noqa: E712 - SQL, not Python
        .tuples()
    )
    for query in (chaired, present):
        for pid, kind, meeting_id, held_on in query:
            seen.setdefault((pid, kind), {})[meeting_id] = held_on
    return {key: sorted(days.values()) for key, days in seen.items()}
