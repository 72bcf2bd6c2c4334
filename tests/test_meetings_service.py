"""Meetings: saving, replacing and deleting them whole, the checks, lists, and the demo's year."""

from __future__ import annotations

import datetime as dt

import pytest

from app.demo import create_demo
from app.demo.meetings import REASONS
from app.errors import user_message
from app.meetings import service
from app.meetings.kinds import MeetingKind
from app.meetings.service import (
    AttendeeInput,
    FollowUpInput,
    MeetingError,
    MeetingInput,
    meetings_in,
    save_meeting,
)
from app.roster import service as roster
from app.roster.roles import GroupRole, OfficeRole
from app.storage.models import ALL_MODELS, Attendance, FollowUp, Meeting, Person, Unit

D = dt.date
TODAY = D(2025, 6, 30)
HELD = D(2025, 6, 10)


def counts() -> dict[str, int]:
    return {model.__name__: model.select().count() for model in ALL_MODELS}


def pid(name: str) -> int:
    return int(Person.get(Person.name == name).id)


@pytest.fixture
def group() -> None:
    township = Unit.create(name="青禾镇", kind="township")
    Unit.create(name="常青村", kind="village", parent=township)
    start = D(2024, 1, 1)
    for name, role, titles, office in [
        ("周建国", GroupRole.LEADER, ["镇党委书记"], None),
        ("吴海", GroupRole.LEADER, ["镇党委副书记", "镇长"], None),
        ("郑平", GroupRole.EXECUTIVE_DEPUTY, ["副镇长"], None),
        ("钱多", GroupRole.MEMBER, ["应急管理办公室主任"], OfficeRole.DIRECTOR),
        ("闫旻", GroupRole.MEMBER, ["常青村党总支书记"], None),
    ]:
        roster.add_member(
            roster.MemberInput(name=name, role=role, titles=tuple(titles), office_role=office),
            start,
        )
    # Joins the group after the meeting of HELD.
    roster.add_member(
        roster.MemberInput(name="后来者", role=GroupRole.MEMBER, titles=("财政所所长",)),
        D(2025, 6, 20),
    )
    Person.create(name="区应急局李科长")  # recorded, never in the group


def meeting(**changes: object) -> MeetingInput:
    values: dict[str, object] = {
        "kind": MeetingKind.GOVERNMENT_SPECIAL,
        "held_on": HELD,
        "start_time": dt.time(9, 30),
        "title": "  2025年6月  安全生产专题会议 ",
        "place": "镇政府三楼会议室",
        "chair_id": pid("吴海"),
        "recorder_id": pid("钱多"),
        "attendees": [
            (pid("周建国"), False, "参加上级会议"),
            AttendeeInput(pid("吴海")),
            AttendeeInput(pid("郑平")),
            AttendeeInput(pid("钱多")),
            AttendeeInput(pid("闫旻"), False, " 请假 "),
        ],
        "invited": "区应急管理局李科长",
        "topics": "1. 防汛\n2. 防溺水\n\n",
        "minutes": "一、会议听取了汇报。\n二、会议作出部署。",
        "decisions": "1. 开展检查。",
        "follow_ups": [
            FollowUpInput("检查常青村山塘", pid("闫旻"), D(2025, 6, 20), D(2025, 6, 18)),
            ("报送防汛值班表", pid("郑平"), D(2025, 7, 10), None),
        ],
    }
    values.update(changes)
    return MeetingInput(**values)  # type: ignore[arg-type]


def refused(data: MeetingInput, *, meeting_id: int | None = None) -> dict[str, str]:
    before = counts()
    with pytest.raises(MeetingError) as caught:
        save_meeting(data, meeting_id=meeting_id, today=TODAY)
    assert counts() == before
    return caught.value.errors


# ---------------------------------------------------------------------------- saving


def test_a_meeting_is_saved_whole_and_read_back(group: None) -> None:
    mid = save_meeting(meeting(), today=TODAY)
    record = service.get_meeting(mid)
    assert record.kind == MeetingKind.GOVERNMENT_SPECIAL
    assert record.title == "2025年6月 安全生产专题会议"
    assert record.held_on == HELD and record.start_time == dt.time(9, 30)
    assert (record.chair_name, record.recorder_name) == ("吴海", "钱多")
    assert [a.name for a in record.attendees] == ["周建国", "吴海", "郑平", "钱多", "闫旻"]
    absent = {a.name: a.absence_reason for a in record.attendees if not a.present}
    assert absent == {"周建国": "参加上级会议", "闫旻": "请假"}
    assert record.topics == "1. 防汛\n2. 防溺水"
    assert [(f.position, f.owner_name, f.done) for f in record.follow_ups] == [
        (1, "闫旻", True),
        (2, "郑平", False),
    ]
    assert record.follow_ups[1].overdue(D(2025, 7, 11))
    assert not record.follow_ups[1].overdue(D(2025, 7, 10))
    # What the dialog edits saves back to the same record.
    assert service.validate_meeting(record.as_input(), TODAY) == {}
    assert service.get_meeting(save_meeting(record.as_input(), meeting_id=mid, today=TODAY))


def test_replacing_a_meeting_replaces_attendance_and_follow_ups(group: None) -> None:
    mid = save_meeting(meeting(), today=TODAY)
    changed = meeting(
        kind=MeetingKind.PARTY_COMMITTEE,
        attendees=[(pid("周建国"), True, "ignored when present")],
        follow_ups=[("新的事项", pid("周建国"), None, None)],
    )
    assert save_meeting(changed, meeting_id=mid, today=TODAY) == mid
    record = service.get_meeting(mid)
    assert record.kind == MeetingKind.PARTY_COMMITTEE
    assert [(a.name, a.present, a.absence_reason) for a in record.attendees] == [
        ("周建国", True, "")
    ]
    assert [f.text for f in record.follow_ups] == ["新的事项"]
    assert Attendance.select().count() == 1 and FollowUp.select().count() == 1
    assert Meeting.select().count() == 1


def test_a_refused_replacement_leaves_the_meeting_as_it_was(group: None) -> None:
    mid = save_meeting(meeting(), today=TODAY)
    before = service.get_meeting(mid)
    refused(meeting(follow_ups=[("无人负责", None, None, None)]), meeting_id=mid)
    assert service.get_meeting(mid) == before


def test_replacing_a_deleted_meeting_is_refused(group: None) -> None:
    mid = save_meeting(meeting(), today=TODAY)
    service.delete_meeting(mid)
    assert "meeting" in refused(meeting(), meeting_id=mid)
    with pytest.raises(MeetingError):
        service.get_meeting(mid)


def test_delete_removes_the_meeting_with_its_rows(group: None) -> None:
    keep = save_meeting(meeting(), today=TODAY)
    mid = save_meeting(meeting(held_on=D(2025, 6, 12)), today=TODAY)
    service.delete_meeting(mid)
    assert [line.id for line in meetings_in()] == [keep]
    assert {a.meeting_id for a in Attendance.select()} == {keep}
    assert {f.meeting_id for f in FollowUp.select()} == {keep}


def test_a_failure_half_way_saves_nothing(group: None, monkeypatch: pytest.MonkeyPatch) -> None:
    real = service.insert_rows

    def failing(model, rows, **kwargs):  # type: ignore[no-untyped-def]
        if model is FollowUp:
            raise OSError(28, "No space left on device")
        return real(model, rows, **kwargs)

    monkeypatch.setattr(service, "insert_rows", failing)
    before = counts()
    with pytest.raises(OSError):
        save_meeting(meeting(), today=TODAY)
    assert counts() == before


# ---------------------------------------------------------------------------- refusals


def test_a_date_more_than_a_year_ahead_is_refused(group: None) -> None:
    errors = refused(meeting(held_on=D(2026, 7, 1), attendees=[], follow_ups=[]))
    assert set(errors) == {"held_on"}
    assert "2026" in errors["held_on"]
    # A year ahead exactly is a planned meeting, not a typing mistake.
    save_meeting(meeting(held_on=D(2026, 6, 30), attendees=[], follow_ups=[]), today=TODAY)
    assert "held_on" in refused(meeting(held_on=D(1025, 6, 10), attendees=[], follow_ups=[]))
    assert "held_on" in refused(meeting(held_on=None))


def test_a_leap_day_today_allows_a_year_ahead() -> None:
    assert service.latest_allowed(D(2024, 2, 29)) == D(2025, 2, 28)


def test_an_attendee_must_be_in_the_roster_on_the_meeting_day(group: None) -> None:
    late = pid("后来者")
    errors = refused(meeting(attendees=[(late, True, "")]))
    assert set(errors) == {"attendees"}
    assert "后来者" in errors["attendees"] and "2025" in errors["attendees"]
    outsider = pid("区应急局李科长")
    assert "区应急局李科长" in refused(meeting(attendees=[(outsider, True, "")]))["attendees"]
    assert "attendees" in refused(meeting(attendees=[(99999, True, "")]))
    # After joining, the same person may attend.
    save_meeting(
        meeting(held_on=D(2025, 6, 25), attendees=[(late, True, "")], follow_ups=[]), today=TODAY
    )


def test_chair_and_recorder_may_be_anyone_recorded(group: None) -> None:
    outsider = pid("区应急局李科长")
    mid = save_meeting(meeting(chair_id=outsider, recorder_id=None), today=TODAY)
    assert service.get_meeting(mid).chair_name == "区应急局李科长"
    errors = refused(meeting(chair_id=99999, recorder_id=99998))
    assert set(errors) == {"chair", "recorder"}


def test_attendee_list_mistakes_are_refused(group: None) -> None:
    twice = refused(meeting(attendees=[(pid("吴海"), True, ""), (pid("吴海"), True, "")]))
    assert "吴海" in twice["attendees"]
    no_reason = refused(meeting(attendees=[(pid("郑平"), False, "  ")]))
    assert "郑平" in no_reason["attendees"]
    long_reason = refused(meeting(attendees=[(pid("郑平"), False, "病" * 201)]))
    assert "200" in long_reason["attendees"]


def test_follow_up_mistakes_name_the_item(group: None) -> None:
    owner = pid("郑平")
    errors = refused(
        meeting(
            follow_ups=[
                ("正常事项", owner, None, None),
                ("无人负责", None, None, None),
                ("   ", owner, None, None),
                ("完成得比开会还早", owner, None, D(2025, 6, 9)),
                ("完成日期还没到", owner, None, D(2025, 7, 1)),
                ("期限早于会议", owner, D(2025, 6, 1), None),
                ("x" * 1001, 99999, None, None),
            ]
        )
    )
    assert set(errors) == {
        "follow_up.2.owner",
        "follow_up.3.text",
        "follow_up.4.done_date",
        "follow_up.5.done_date",
        "follow_up.6.due_date",
        "follow_up.7.text",
        "follow_up.7.owner",
    }
    assert "2" in errors["follow_up.2.owner"]
    assert "4" in errors["follow_up.4.done_date"]
    # The messages are for the user, as the command line and the GUI show them.
    caught = MeetingError(errors)
    assert user_message(caught) == str(caught)


def test_over_long_fields_and_unknown_kinds_are_refused(group: None) -> None:
    errors = refused(
        meeting(
            kind="tea_party",
            title="题" * 201,
            place="地" * 201,
            invited="请" * 2001,
            topics="议" * 20001,
            minutes="记" * 20001,
            decisions="定" * 20001,
        )
    )
    assert set(errors) == {"kind", "title", "place", "invited", "topics", "minutes", "decisions"}
    assert "tea_party" in errors["kind"]
    assert "200" in errors["title"]


# ---------------------------------------------------------------------------- reading


def test_expected_attendees_are_the_roster_of_the_day(group: None) -> None:
    before = [line.name for line in service.expected_attendees(HELD)]
    assert before == ["周建国", "吴海", "郑平", "钱多", "闫旻"]
    after = [line.name for line in service.expected_attendees(D(2025, 6, 20))]
    assert after == [*before, "后来者"]


def test_meetings_in_a_year_and_of_a_kind_by_date(group: None) -> None:
    later = save_meeting(meeting(held_on=D(2025, 6, 12), start_time=None), today=TODAY)
    first = save_meeting(meeting(held_on=D(2025, 6, 12), start_time=dt.time(8, 0)), today=TODAY)
    earliest = save_meeting(meeting(held_on=D(2024, 12, 30), attendees=[]), today=TODAY)
    party = save_meeting(meeting(kind=MeetingKind.PARTY_COMMITTEE), today=TODAY)
    assert meetings_in()[0].id == earliest
    ids_2025 = [line.id for line in meetings_in(2025)]
    assert ids_2025[0] == party  # 10 June
    assert set(ids_2025[1:]) == {later, first}
    assert [line.id for line in meetings_in(2024)] == [earliest]
    assert [line.id for line in meetings_in(kind=MeetingKind.PARTY_COMMITTEE)] == [party]
    assert [line.id for line in meetings_in(2024, "party_committee")] == []
    line = next(line for line in meetings_in() if line.id == party)
    assert (line.expected, line.absent, line.present) == (5, 2, 3)
    assert (line.follow_ups_total, line.follow_ups_open) == (2, 1)
    assert (line.chair_name, line.recorder_name, line.attachments) == ("吴海", "钱多", 0)
    assert line.display_title == "2025年6月 安全生产专题会议"
    assert meetings_in(2023) == []


def test_open_follow_ups_and_marking_one_done(group: None) -> None:
    mid = save_meeting(meeting(), today=TODAY)
    items = service.open_follow_ups()
    assert [(item.meeting_id, item.text) for item in items] == [(mid, "报送防汛值班表")]
    assert service.open_follow_ups(due_by=D(2025, 7, 9)) == []
    assert len(service.open_follow_ups(due_by=D(2025, 7, 10))) == 1
    with pytest.raises(MeetingError):
        service.set_follow_up_done(items[0].id, D(2025, 6, 1), today=TODAY)
    with pytest.raises(MeetingError):
        service.set_follow_up_done(items[0].id, D(2025, 7, 1), today=TODAY)
    service.set_follow_up_done(items[0].id, D(2025, 6, 28), today=TODAY)
    assert service.open_follow_ups() == []
    service.set_follow_up_done(items[0].id, None, today=TODAY)
    assert len(service.open_follow_ups()) == 1


# ---------------------------------------------------------------------------- the demo

DEMO_TODAY = D(2026, 3, 15)


def test_the_demo_has_a_year_of_meetings_of_every_kind() -> None:
    create_demo(today=DEMO_TODAY)
    lines = meetings_in()
    assert {line.kind for line in lines} == set(MeetingKind)
    assert all(D(2025, 1, 1) <= line.held_on <= DEMO_TODAY for line in lines)
    assert [line.held_on for line in lines] == sorted(line.held_on for line in lines)
    assert all(line.held_on.weekday() < 5 for line in lines)

    def of(kind: MeetingKind) -> list[service.MeetingLine]:
        return [line for line in lines if line.kind == kind]

    # Most months have the government's special meeting, not all of them.
    months = {
        (line.held_on.year, line.held_on.month) for line in of(MeetingKind.GOVERNMENT_SPECIAL)
    }
    assert 9 <= len(months) <= 13
    assert (2026, 2) not in months  # last month's was missed
    # The party committee skipped the last quarter.
    party = of(MeetingKind.PARTY_COMMITTEE)
    assert len(party) >= 3
    assert not [line for line in party if D(2025, 10, 1) <= line.held_on <= D(2025, 12, 31)]
    # The annual conference in March.
    assert [line.held_on.month for line in of(MeetingKind.ANNUAL_CONFERENCE)] == [3, 3]
    # One quarter's routine meeting came in its second month.
    routine_months = [(line.held_on.month - 1) % 3 for line in of(MeetingKind.QUARTERLY_ROUTINE)]
    assert routine_months.count(1) == 1 and routine_months.count(0) >= 3
    assert 2 <= len(of(MeetingKind.LEADING_GROUP)) <= 6
    assert 100 <= len(lines) <= 300


def test_the_demos_township_meetings_have_the_shape_of_real_minutes() -> None:
    create_demo(today=DEMO_TODAY)
    township = [line for line in meetings_in() if line.kind != MeetingKind.OTHER]
    done = still_open = 0
    for line in township:
        record = service.get_meeting(line.id)
        roster_day = roster.roster_as_of(record.held_on)
        director = roster_day.office_holders(OfficeRole.DIRECTOR)[0]
        assert record.recorder_id == director.person_id
        chair_titles = {
            title
            for member in roster_day.lines
            if member.person_id == record.chair_id
            for title in member.titles
        }
        assert chair_titles & {"镇党委书记", "镇长"}
        absent = [a for a in record.attendees if not a.present]
        assert 1 <= len(absent) <= 3
        assert {a.absence_reason for a in absent} <= set(REASONS)
        assert record.title and record.place and record.start_time
        assert record.topics.startswith("1. ") and record.decisions.startswith("1. ")
        assert record.minutes.startswith("一、")
        assert 1 <= len(record.follow_ups) <= 3
        attendees = {a.person_id for a in record.attendees}
        for item in record.follow_ups:
            assert item.owner_id in attendees
            done += item.done
            still_open += not item.done
        # The demo's records pass the checks a clerk's would.
        assert service.validate_meeting(record.as_input(), DEMO_TODAY) == {}
    assert done and still_open


def test_the_demos_records_all_pass_the_services_checks() -> None:
    create_demo(today=DEMO_TODAY)
    lines = meetings_in()
    others = [line for line in lines if line.kind == MeetingKind.OTHER]
    assert len(others) >= 80
    for line in lines[::7]:
        record = service.get_meeting(line.id)
        assert service.validate_meeting(record.as_input(), DEMO_TODAY) == {}
    overdue = service.open_follow_ups(due_by=DEMO_TODAY - dt.timedelta(days=1))
    assert 1 <= len(overdue) <= 30
