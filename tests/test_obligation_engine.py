"""Obligation rules and the engine: counting meetings against rules, windows, people who
join or leave mid-period, statuses on and after the deadline."""

from __future__ import annotations

import datetime as dt

import pytest

from app.i18n import set_language
from app.meetings.kinds import MeetingKind
from app.obligations.engine import (
    ObligationStatus,
    Status,
    due_soon,
    obligations_as_of,
    obligations_of_previous_periods,
    overdue,
)
from app.obligations.periods import Period
from app.obligations.rules import (
    Activity,
    Rule,
    RuleError,
    SubjectKind,
    default_rules,
    delete_rule,
    install_defaults,
    list_rules,
    save_rule,
)
from app.org.kinds import PostKind
from app.storage.db import database_proxy
from app.storage.models import Assignment, Attendance, Meeting, ObligationRule, Person, Post, Unit

D = dt.date
PARTY = MeetingKind.PARTY_COMMITTEE.value
SPECIAL = MeetingKind.GOVERNMENT_SPECIAL.value
ANNUAL = MeetingKind.ANNUAL_CONFERENCE.value
ROUTINE = MeetingKind.QUARTERLY_ROUTINE.value
GROUP = MeetingKind.LEADING_GROUP.value


@pytest.fixture
def no_rules() -> None:
    """Start from an empty rules table (a new database has the defaults)."""
    ObligationRule.delete().execute()


def body_rule(
    activity_code: str,
    period: Period,
    *,
    at_least: int = 1,
    window: str = "",
    subject_kind: SubjectKind = SubjectKind.PARTY_COMMITTEE,
) -> Rule:
    return save_rule(
        Rule(
            subject_kind,
            Activity.MEETING,
            at_least,
            period,
            activity_code=activity_code,
            window=window,
        )
    )


def meeting(kind: str, day: dt.date, *, chair: Person | None = None) -> Meeting:
    return Meeting.create(kind=kind, held_on=day, chair=chair)


def attend(meeting_row: Meeting, person: Person, *, present: bool = True) -> None:
    Attendance.create(meeting=meeting_row, person=person, present=present)


def post(
    name: str, kind: PostKind, start: dt.date, end: dt.date | None = None, person=None
) -> Person:
    person = person or Person.create(name=name)
    Post.create(
        person=person, title=name + "的职务", kind=kind.value, start_date=start, end_date=end
    )
    return person


def only(items: list[ObligationStatus]) -> ObligationStatus:
    assert len(items) == 1, items
    return items[0]


def by_name(items: list[ObligationStatus]) -> dict[str, ObligationStatus]:
    return {item.subject: item for item in items}


# ---------------------------------------------------------------------------- the defaults


def test_new_database_has_the_defaults_and_installing_again_changes_nothing() -> None:
    rules = list_rules()
    assert len(rules) == len(default_rules())
    active = [r for r in rules if r.active]
    assert {(r.subject_kind, r.activity_code, r.period, r.window) for r in active} == {
        (SubjectKind.PARTY_COMMITTEE, PARTY, Period.QUARTER, ""),
        (SubjectKind.GOVERNMENT, SPECIAL, Period.MONTH, ""),
        (SubjectKind.TOWNSHIP, ANNUAL, Period.YEAR, "month:3"),
        (SubjectKind.TOWNSHIP, ROUTINE, Period.QUARTER, "first_month_of_quarter"),
    }
    assert all(r.activity is Activity.MEETING for r in active)
    # The rest are kept, inactive, each saying why; every default has its clause.
    for rule in rules:
        assert rule.clause
        assert bool(rule.note) == (not rule.active)
    assert {r.activity for r in rules if not r.active} == {
        Activity.INSPECTION,
        Activity.REPORT,
        Activity.LETTER,
    }
    install_defaults()
    assert list_rules() == rules
    # Every default passes the checks a clerk's edit goes through.
    for rule in rules:
        assert save_rule(rule) == rule


def test_defaults_go_only_into_an_empty_table(no_rules: None) -> None:
    mine = body_rule(PARTY, Period.MONTH)
    install_defaults()
    assert list_rules() == [mine]


# ---------------------------------------------------------------------------- counting


def test_a_quarterly_meeting_counts_in_its_quarter(no_rules: None) -> None:
    rule = body_rule(PARTY, Period.QUARTER)
    meeting(PARTY, D(2025, 2, 10))
    meeting(PARTY, D(2024, 12, 31))  # the quarter before
    meeting(PARTY, D(2025, 4, 1))  # the quarter after
    meeting(SPECIAL, D(2025, 2, 11))  # another kind
    item = only(obligations_as_of(D(2025, 3, 15)))
    assert item.rule == rule
    assert item.subject == SubjectKind.PARTY_COMMITTEE.label
    assert item.period == item.counted == (D(2025, 1, 1), D(2025, 3, 31))
    assert (item.required, item.done, item.status) == (1, 1, Status.MET)
    assert (item.kind, item.activity, item.due) == ("meeting", PARTY, D(2025, 3, 31))
    assert item.person_id is None and item.unit_id is None


def test_nothing_dated_after_the_day_counts(no_rules: None) -> None:
    body_rule(PARTY, Period.QUARTER)
    meeting(PARTY, D(2025, 3, 20))
    assert only(obligations_as_of(D(2025, 3, 19))).done == 0
    assert only(obligations_as_of(D(2025, 3, 20))).done == 1


def test_at_least_two(no_rules: None) -> None:
    body_rule(SPECIAL, Period.MONTH, at_least=2, subject_kind=SubjectKind.GOVERNMENT)
    meeting(SPECIAL, D(2025, 5, 2))
    item = only(obligations_as_of(D(2025, 5, 20)))
    assert (item.done, item.status) == (1, Status.DUE)
    meeting(SPECIAL, D(2025, 5, 2))  # two meetings on one day are two meetings
    assert only(obligations_as_of(D(2025, 5, 20))).status is Status.MET


@pytest.mark.parametrize(
    ("held", "counts"),
    [
        (D(2025, 2, 28), False),
        (D(2025, 3, 1), True),
        (D(2025, 3, 31), True),
        (D(2025, 4, 1), False),
        (D(2024, 3, 15), False),
    ],
)
def test_the_annual_conference_counts_only_in_march(
    no_rules: None, held: dt.date, counts: bool
) -> None:
    body_rule(ANNUAL, Period.YEAR, window="month:3", subject_kind=SubjectKind.TOWNSHIP)
    meeting(ANNUAL, held)
    item = only(obligations_as_of(D(2025, 12, 31)))
    assert item.period == (D(2025, 1, 1), D(2025, 12, 31))
    assert item.counted == (D(2025, 3, 1), D(2025, 3, 31))
    assert item.due == D(2025, 3, 31)
    assert item.done == int(counts)
    assert item.status is (Status.MET if counts else Status.OVERDUE)


def test_a_window_not_yet_open_is_due(no_rules: None) -> None:
    body_rule(ANNUAL, Period.YEAR, window="month:3", subject_kind=SubjectKind.TOWNSHIP)
    meeting(ANNUAL, D(2025, 1, 20))  # too early: does not count
    item = only(obligations_as_of(D(2025, 2, 1)))
    assert (item.done, item.status, item.due) == (0, Status.DUE, D(2025, 3, 31))


@pytest.mark.parametrize(
    ("held", "counts"),
    [
        (D(2025, 4, 1), True),
        (D(2025, 4, 30), True),
        (D(2025, 5, 1), False),  # the second month of the quarter does not satisfy it
        (D(2025, 6, 15), False),
        (D(2025, 3, 31), False),
    ],
)
def test_the_routine_meeting_counts_only_in_the_first_month_of_the_quarter(
    no_rules: None, held: dt.date, counts: bool
) -> None:
    body_rule(
        ROUTINE, Period.QUARTER, window="first_month_of_quarter", subject_kind=SubjectKind.TOWNSHIP
    )
    meeting(ROUTINE, held)
    item = only(obligations_as_of(D(2025, 6, 30)))
    assert item.counted == (D(2025, 4, 1), D(2025, 4, 30))
    assert item.done == int(counts)
    assert item.status is (Status.MET if counts else Status.OVERDUE)


@pytest.mark.parametrize(
    ("period", "window", "deadline"),
    [
        (Period.QUARTER, "", D(2025, 3, 31)),
        (Period.MONTH, "", D(2025, 2, 28)),
        (Period.WEEK, "", D(2025, 3, 9)),
        (Period.HALF_YEAR, "", D(2025, 6, 30)),
        (Period.YEAR, "month:3", D(2025, 3, 31)),
        (Period.QUARTER, "first_month_of_quarter", D(2025, 1, 31)),
        (Period.YEAR, "by:01-31", D(2025, 1, 31)),
        (Period.YEAR, "by:02-29", D(2025, 2, 28)),
    ],
)
def test_due_on_the_deadline_and_overdue_the_day_after(
    no_rules: None, period: Period, window: str, deadline: dt.date
) -> None:
    body_rule(PARTY, period, window=window)
    on_the_day = only(obligations_as_of(deadline))
    assert (on_the_day.due, on_the_day.status) == (deadline, Status.DUE)
    after = deadline + dt.timedelta(days=1)
    if after <= on_the_day.period[1]:
        assert only(obligations_as_of(after)).status is Status.OVERDUE
    else:
        # A new period has begun: the one just ended stays visible as overdue.
        assert only(obligations_as_of(after)).period[0] == after
        previous = only(obligations_of_previous_periods(after))
        assert (previous.period, previous.status) == (on_the_day.period, Status.OVERDUE)
    meeting(PARTY, deadline)
    assert only(obligations_as_of(deadline)).status is Status.MET


def test_leap_day_and_the_week_across_the_year_end(no_rules: None) -> None:
    body_rule(PARTY, Period.MONTH)
    body_rule(PARTY, Period.WEEK)
    meeting(PARTY, D(2024, 2, 29))
    month, week = obligations_as_of(D(2024, 2, 29))
    assert month.period == (D(2024, 2, 1), D(2024, 2, 29)) and month.met
    assert week.period == (D(2024, 2, 26), D(2024, 3, 3)) and week.met
    meeting(PARTY, D(2024, 12, 30))
    month, week = obligations_as_of(D(2025, 1, 2))
    assert not month.met  # January has none
    assert week.period == (D(2024, 12, 30), D(2025, 1, 5)) and week.met


# ---------------------------------------------------------------------------- people


def group_rule(kind: PostKind = PostKind.VILLAGE_HEAD, period: Period = Period.QUARTER) -> Rule:
    return save_rule(
        Rule(
            SubjectKind.POST_KIND,
            Activity.MEETING,
            1,
            period,
            subject=kind.value,
            activity_code=GROUP,
        )
    )


def test_people_who_join_or_leave_are_judged_on_their_part(no_rules: None) -> None:
    group_rule()
    leaver = post("甲", PostKind.VILLAGE_HEAD, D(2020, 1, 1), D(2025, 2, 10))
    joiner = post("乙", PostKind.VILLAGE_HEAD, D(2025, 2, 11))
    stayer = post("丙", PostKind.VILLAGE_HEAD, D(2019, 5, 1))
    post("丁", PostKind.VILLAGE_HEAD, D(2020, 1, 1), D(2024, 12, 31))  # gone before the quarter
    post("戊", PostKind.DEPARTMENT_HEAD, D(2020, 1, 1))  # another kind
    early = meeting(GROUP, D(2025, 1, 20))
    attend(early, leaver)
    attend(early, joiner)  # before the post: not in their part
    late = meeting(GROUP, D(2025, 3, 5), chair=joiner)  # chairing counts
    attend(late, stayer, present=False)  # absent: not theirs

    items = by_name(obligations_as_of(D(2025, 3, 31)))
    assert list(items) == ["丙", "甲", "乙"]  # in the order they held the post
    assert items["甲"].counted == (D(2025, 1, 1), D(2025, 2, 10))
    assert (items["甲"].done, items["甲"].status) == (1, Status.MET)
    assert items["乙"].counted == (D(2025, 2, 11), D(2025, 3, 31))
    assert (items["乙"].done, items["乙"].status) == (1, Status.MET)
    assert (items["丙"].done, items["丙"].status) == (0, Status.DUE)
    assert items["乙"].person_id == joiner.id
    assert items["乙"].period == (D(2025, 1, 1), D(2025, 3, 31))


def test_someone_who_left_unmet_is_overdue_from_the_day_after_they_left(no_rules: None) -> None:
    group_rule()
    post("甲", PostKind.VILLAGE_HEAD, D(2020, 1, 1), D(2025, 2, 10))
    post("乙", PostKind.VILLAGE_HEAD, D(2025, 2, 11))
    on_last_day = by_name(obligations_as_of(D(2025, 2, 10)))
    # The successor's part has not begun: they owe nothing yet.
    assert list(on_last_day) == ["甲"]
    assert (on_last_day["甲"].status, on_last_day["甲"].due) == (Status.DUE, D(2025, 2, 10))
    day_after = by_name(obligations_as_of(D(2025, 2, 11)))
    assert day_after["甲"].status is Status.OVERDUE
    assert (day_after["乙"].status, day_after["乙"].due) == (Status.DUE, D(2025, 3, 31))


def test_a_part_outside_the_window_owes_nothing(no_rules: None) -> None:
    save_rule(
        Rule(
            SubjectKind.POST_KIND,
            Activity.MEETING,
            1,
            Period.QUARTER,
            subject=PostKind.VILLAGE_HEAD.value,
            activity_code=ROUTINE,
            window="first_month_of_quarter",
        )
    )
    post("甲", PostKind.VILLAGE_HEAD, D(2025, 2, 1))  # joined after the quarter's first month
    post("乙", PostKind.VILLAGE_HEAD, D(2020, 1, 1), D(2025, 1, 15))
    items = by_name(obligations_as_of(D(2025, 3, 1)))
    assert list(items) == ["乙"]
    assert items["乙"].counted == (D(2025, 1, 1), D(2025, 1, 15))


def test_two_spells_in_one_period_count_only_inside_them(no_rules: None) -> None:
    group_rule()
    person = post("甲", PostKind.VILLAGE_HEAD, D(2020, 1, 1), D(2025, 1, 31))
    post("甲", PostKind.VILLAGE_HEAD, D(2025, 3, 1), person=person)
    attend(meeting(GROUP, D(2025, 2, 15)), person)  # between the spells
    item = only(obligations_as_of(D(2025, 3, 31)))
    assert item.counted == (D(2025, 1, 1), D(2025, 3, 31))
    assert item.done == 0
    attend(meeting(GROUP, D(2025, 3, 2)), person)
    assert only(obligations_as_of(D(2025, 3, 31))).done == 1


def test_a_person_present_and_chairing_counts_once(no_rules: None) -> None:
    group_rule()
    person = post("甲", PostKind.VILLAGE_HEAD, D(2020, 1, 1))
    attend(meeting(GROUP, D(2025, 1, 5), chair=person), person)
    assert only(obligations_as_of(D(2025, 1, 6))).done == 1


def test_the_safety_deputy_is_known_by_supervision_too(no_rules: None) -> None:
    township = Unit.create(name="青禾镇", kind="township")
    group_rule(PostKind.SAFETY_DEPUTY)
    group_rule(PostKind.DEPUTY)
    post("甲", PostKind.SAFETY_DEPUTY, D(2020, 1, 1))
    supervising = post("乙", PostKind.DEPUTY, D(2020, 1, 1))
    Assignment.create(
        person=supervising, unit=township, level="supervision", start_date=D(2025, 2, 1)
    )
    post("丙", PostKind.DEPUTY, D(2020, 1, 1))
    principal = post("丁", PostKind.TOWNSHIP_HEAD, D(2020, 1, 1))
    post("丁", PostKind.DEPUTY, D(2020, 1, 1), person=principal)  # 镇党委副书记 too
    items = obligations_as_of(D(2025, 3, 31))
    safety = {i.subject: i for i in items if i.rule.subject == PostKind.SAFETY_DEPUTY}
    deputies = {i.subject: i for i in items if i.rule.subject == PostKind.DEPUTY}
    assert set(safety) == {"甲", "乙"}
    assert safety["乙"].counted == (D(2025, 2, 1), D(2025, 3, 31))
    # Until supervision began, 乙 was an "other deputy"; a principal never is.
    assert set(deputies) == {"乙", "丙"}
    assert deputies["乙"].counted == (D(2025, 1, 1), D(2025, 1, 31))


def test_a_person_rule_counts_their_meetings(no_rules: None) -> None:
    person = Person.create(name="甲")
    other = Person.create(name="乙")
    save_rule(
        Rule(
            SubjectKind.PERSON,
            Activity.MEETING,
            1,
            Period.MONTH,
            subject=str(person.id),
            activity_code=SPECIAL,
        )
    )
    attend(meeting(SPECIAL, D(2025, 5, 5)), other)
    item = only(obligations_as_of(D(2025, 5, 6)))
    assert (item.subject, item.person_id, item.done) == ("甲", person.id, 0)
    attend(meeting(SPECIAL, D(2025, 5, 6)), person)
    assert only(obligations_as_of(D(2025, 5, 6))).done == 1
    # A rule whose person was removed has no one to judge.
    with database_proxy.atomic():
        Attendance.delete().execute()
        person.delete_instance()
    assert obligations_as_of(D(2025, 5, 6)) == []


def test_queries_do_not_grow_with_people_or_rules(
    no_rules: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def queries() -> int:
        db = database_proxy.obj
        count = 0
        original = db.execute_sql

        def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
            nonlocal count
            count += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(db, "execute_sql", counting)
        try:
            obligations_as_of(D(2025, 3, 31))
        finally:
            monkeypatch.setattr(db, "execute_sql", original)
        return count

    body_rule(PARTY, Period.QUARTER)
    group_rule()
    for number in range(5):
        attend(
            meeting(GROUP, D(2025, 1, 5)), post(f"甲{number}", PostKind.VILLAGE_HEAD, D(2020, 1, 1))
        )
    few = queries()
    for number in range(60):
        attend(
            meeting(GROUP, D(2025, 2, 5)), post(f"乙{number}", PostKind.VILLAGE_HEAD, D(2020, 1, 1))
        )
    group_rule(PostKind.DEPARTMENT_HEAD)
    body_rule(SPECIAL, Period.MONTH, subject_kind=SubjectKind.GOVERNMENT)
    assert queries() == few
    assert len(obligations_as_of(D(2025, 3, 31))) == 1 + 65 + 1


# ---------------------------------------------------------------------------- not recorded yet


def test_an_activity_not_recorded_counts_zero(no_rules: None) -> None:
    # Saved around the checks (as a newer program might): the engine still answers.
    ObligationRule.create(
        subject_kind="safety_office", activity="report", at_least=1, period="month", active=True
    )
    item = only(obligations_as_of(D(2025, 5, 31)))
    assert (item.kind, item.done, item.status) == ("report", 0, Status.DUE)


def test_a_rule_with_a_window_that_cannot_be_read_is_skipped(no_rules: None) -> None:
    ObligationRule.create(
        subject_kind="party_committee",
        activity="meeting",
        activity_code=PARTY,
        at_least=1,
        period="quarter",
        window="month:3",
    )
    body_rule(PARTY, Period.QUARTER)
    assert len(obligations_as_of(D(2025, 5, 1))) == 1


# ---------------------------------------------------------------------------- attention


def test_due_soon_and_overdue(no_rules: None) -> None:
    quarterly = body_rule(PARTY, Period.QUARTER)
    monthly = body_rule(SPECIAL, Period.MONTH, subject_kind=SubjectKind.GOVERNMENT)
    routine = body_rule(
        ROUTINE, Period.QUARTER, window="first_month_of_quarter", subject_kind=SubjectKind.TOWNSHIP
    )
    day = D(2025, 3, 20)
    soon = due_soon(day)
    assert [item.rule for item in soon] == [quarterly, monthly]  # both end on 31 March
    assert due_soon(day, days=11) == soon
    assert due_soon(day, days=10) == []
    meeting(SPECIAL, D(2025, 3, 3))
    assert [item.rule for item in due_soon(day)] == [quarterly]
    late = overdue(day)
    # The routine meeting of January was missed; last quarter's meetings and February's too.
    assert [(item.rule, item.due) for item in late] == [
        (routine, D(2024, 10, 31)),
        (quarterly, D(2024, 12, 31)),
        (routine, D(2025, 1, 31)),
        (monthly, D(2025, 2, 28)),
    ]
    assert [item.due for item in late] == sorted(item.due for item in late)
    assert all(item.status is Status.OVERDUE for item in late)


# ---------------------------------------------------------------------------- editing rules


def test_save_update_and_delete(no_rules: None) -> None:
    first = body_rule(PARTY, Period.QUARTER)
    second = body_rule(SPECIAL, Period.MONTH, subject_kind=SubjectKind.GOVERNMENT)
    assert (first.position, second.position) == (1, 2)
    changed = save_rule(
        Rule(
            second.subject_kind,
            second.activity,
            3,
            second.period,
            activity_code=second.activity_code,
            clause="  政府   每月三次 ",
            position=second.position,
            id=second.id,
        )
    )
    assert changed.clause == "政府 每月三次"
    assert list_rules() == [first, changed]
    delete_rule(first.id or 0)
    assert list_rules() == [changed]
    with pytest.raises(RuleError):
        delete_rule(first.id or 0)


@pytest.mark.parametrize(
    ("rule", "field"),
    [
        (
            Rule(
                SubjectKind.PARTY_COMMITTEE, Activity.MEETING, 0, Period.MONTH, activity_code=PARTY
            ),
            "at_least",
        ),
        (
            Rule(
                SubjectKind.PARTY_COMMITTEE,
                Activity.MEETING,
                1000,
                Period.MONTH,
                activity_code=PARTY,
            ),
            "at_least",
        ),
        (Rule(SubjectKind.PARTY_COMMITTEE, Activity.MEETING, 1, Period.MONTH), "activity_code"),
        (
            Rule(SubjectKind.PARTY_COMMITTEE, Activity.MEETING, 1, Period.MONTH, activity_code="x"),
            "activity_code",
        ),
        (
            Rule(
                SubjectKind.TOWNSHIP,
                Activity.MEETING,
                1,
                Period.QUARTER,
                activity_code=ANNUAL,
                window="month:3",
            ),
            "window",
        ),
        (
            Rule(
                SubjectKind.TOWNSHIP,
                Activity.MEETING,
                1,
                Period.YEAR,
                activity_code=ANNUAL,
                window="march",
            ),
            "window",
        ),
        (
            Rule(
                SubjectKind.POST_KIND,
                Activity.MEETING,
                1,
                Period.MONTH,
                subject="mayor",
                activity_code=PARTY,
            ),
            "subject",
        ),
        (
            Rule(
                SubjectKind.POST_KIND,
                Activity.MEETING,
                1,
                Period.MONTH,
                subject="other",
                activity_code=PARTY,
            ),
            "subject",
        ),
        (
            Rule(
                SubjectKind.PERSON,
                Activity.MEETING,
                1,
                Period.MONTH,
                subject="999",
                activity_code=PARTY,
            ),
            "subject",
        ),
        (
            Rule(
                SubjectKind.PERSON,
                Activity.MEETING,
                1,
                Period.MONTH,
                subject="甲",
                activity_code=PARTY,
            ),
            "subject",
        ),
        (
            Rule(
                SubjectKind.UNIT, Activity.INSPECTION, 1, Period.MONTH, subject="999", active=False
            ),
            "subject",
        ),
        (Rule(SubjectKind.SAFETY_OFFICE, Activity.INSPECTION, 1, Period.MONTH), "active"),
        (
            Rule(
                SubjectKind.SAFETY_OFFICE,
                Activity.REPORT,
                1,
                Period.MONTH,
                activity_code="x",
                active=False,
            ),
            "activity_code",
        ),
        (
            Rule(
                SubjectKind.SAFETY_OFFICE,
                Activity.LETTER,
                1,
                Period.YEAR,
                activity_code=PARTY,
                active=False,
            ),
            "activity_code",
        ),
        (
            Rule(
                SubjectKind.PARTY_COMMITTEE,
                Activity.MEETING,
                1,
                Period.MONTH,
                activity_code=PARTY,
                clause="条" * 201,
            ),
            "clause",
        ),
    ],
)
def test_bad_rules_are_refused_and_nothing_is_saved(no_rules: None, rule: Rule, field: str) -> None:
    with pytest.raises(RuleError) as caught:
        save_rule(rule)
    assert field in caught.value.errors
    assert str(caught.value)
    assert list_rules() == []


def test_unit_rules_take_no_meetings_but_other_activities(no_rules: None) -> None:
    unit = Unit.create(name="常青村", kind="village")
    with pytest.raises(RuleError) as caught:
        save_rule(
            Rule(
                SubjectKind.UNIT,
                Activity.MEETING,
                1,
                Period.MONTH,
                subject=str(unit.id),
                activity_code=GROUP,
            )
        )
    assert "subject_kind" in caught.value.errors
    saved = save_rule(
        Rule(
            SubjectKind.UNIT,
            Activity.INSPECTION,
            2,
            Period.MONTH,
            subject=f" {unit.id} ",
            active=False,
        )
    )
    assert saved.subject == str(unit.id)
    assert saved.describe().startswith("常青村")


def test_rules_describe_themselves_in_the_users_language(no_rules: None) -> None:
    set_language("en")
    try:
        rule = body_rule(PARTY, Period.QUARTER)
        assert rule.describe() == (
            "Party committee: Party committee meeting on work safety, at least 1 per quarter"
        )
        annual = body_rule(ANNUAL, Period.YEAR, window="month:3", subject_kind=SubjectKind.TOWNSHIP)
        assert annual.describe().endswith("at least 1 per year, in March")
        post_rule = group_rule(PostKind.SAFETY_DEPUTY, Period.MONTH)
        assert post_rule.describe().startswith("Deputy in charge of work safety: ")
        item = only(obligations_as_of(D(2025, 1, 1))[:1])
        assert item.label == rule.describe()
    finally:
        set_language("zh_CN")
