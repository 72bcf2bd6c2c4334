"""The obligations area on the command line: ``obligations`` and ``obligations rules``."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from app.cli import main
from app.demo import create_demo
from app.meetings.kinds import MeetingKind
from app.obligations.periods import Period
from app.obligations.rules import Activity, Rule, SubjectKind, list_rules, save_rule
from app.org.kinds import PostKind
from app.storage.db import database_path
from app.storage.models import Attendance, Meeting, Person, Post

DAY = dt.date(2025, 5, 20)
ITEM_KEYS = {
    "rule",
    "kind",
    "activity",
    "subject",
    "subject_kind",
    "person_id",
    "unit_id",
    "period",
    "counted",
    "due",
    "required",
    "done",
    "status",
    "label",
}


def run(*args: str) -> int:
    return main(["--db", str(database_path()), *args])


def db_snapshot() -> list[tuple]:
    path = database_path()
    assert path is not None
    conn = sqlite3.connect(path)
    try:
        return sorted(conn.execute("SELECT * FROM obligation_rule").fetchall())
    finally:
        conn.close()


@pytest.fixture
def meetings() -> None:
    """The defaults, with this quarter's party committee meeting held and a village head who
    attended a leading-group meeting."""
    Meeting.create(kind=MeetingKind.PARTY_COMMITTEE.value, held_on=dt.date(2025, 4, 8))
    Meeting.create(kind=MeetingKind.GOVERNMENT_SPECIAL.value, held_on=dt.date(2025, 4, 28))
    head = Person.create(name="林小河")
    Post.create(
        person=head,
        title="常青村主任",
        kind=PostKind.VILLAGE_HEAD.value,
        start_date=dt.date(2025, 5, 1),
    )
    save_rule(
        Rule(
            SubjectKind.POST_KIND,
            Activity.MEETING,
            1,
            Period.QUARTER,
            subject=PostKind.VILLAGE_HEAD.value,
            activity_code=MeetingKind.LEADING_GROUP.value,
        )
    )
    group = Meeting.create(kind=MeetingKind.LEADING_GROUP.value, held_on=dt.date(2025, 5, 10))
    Attendance.create(meeting=group, person=head)


def test_json_lists_every_obligation(meetings: None, capsys: pytest.CaptureFixture[str]) -> None:
    before = db_snapshot()
    assert run("obligations", "--as-of", DAY.isoformat(), "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["as_of"] == DAY.isoformat()
    items = data["items"]
    assert all(set(item) == ITEM_KEYS for item in items)
    assert all(item["status"] in {"met", "due", "overdue"} for item in items)
    by_activity = {item["activity"]: item for item in items}
    assert set(by_activity) == {
        "party_committee",
        "government_special",
        "annual_conference",
        "quarterly_routine",
        "leading_group",
    }
    party = by_activity["party_committee"]
    assert party["kind"] == "meeting"
    assert party["subject_kind"] == "party_committee"
    assert party["subject"] == SubjectKind.PARTY_COMMITTEE.label
    assert party["period"] == ["2025-04-01", "2025-06-30"]
    assert (party["required"], party["done"], party["status"]) == (1, 1, "met")
    assert party["due"] == "2025-06-30"
    assert party["rule"] == list_rules()[0].id
    special = by_activity["government_special"]  # April's meeting is not May's
    assert (special["period"], special["done"], special["status"]) == (
        ["2025-05-01", "2025-05-31"],
        0,
        "due",
    )
    annual = by_activity["annual_conference"]
    assert (annual["counted"], annual["status"]) == (["2025-03-01", "2025-03-31"], "overdue")
    routine = by_activity["quarterly_routine"]
    assert (routine["due"], routine["status"]) == ("2025-04-30", "overdue")
    head = by_activity["leading_group"]
    assert (head["subject"], head["subject_kind"]) == ("林小河", "post_kind")
    assert head["person_id"] == Person.get(Person.name == "林小河").id
    assert head["counted"] == ["2025-05-01", "2025-06-30"]
    assert (head["done"], head["status"]) == (1, "met")
    assert db_snapshot() == before


def test_text_has_one_line_per_obligation(
    meetings: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("obligations", "--as-of", DAY.isoformat()) == 0
    lines = capsys.readouterr().out.splitlines()
    assert DAY.isoformat() in lines[0]
    body = lines[1:-1]
    assert len(body) == 5
    assert any("林小河" in line for line in body)
    assert all(line.count("\t") == 5 for line in body)
    # The last line sums up: 2 met, 1 due, 2 overdue.
    assert [int(part) for part in lines[-1].split() if part.isdigit()] == [2, 1, 2]


def test_no_active_rules_is_said(capsys: pytest.CaptureFixture[str]) -> None:
    from app.storage.models import ObligationRule

    ObligationRule.update(active=False).execute()
    assert run("obligations", "--as-of", DAY.isoformat()) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2
    assert run("obligations", "--as-of", DAY.isoformat(), "--format", "json") == 0
    assert json.loads(capsys.readouterr().out)["items"] == []


def test_rules_list_in_both_formats(capsys: pytest.CaptureFixture[str]) -> None:
    rules = list_rules()
    assert run("obligations", "rules") == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(rules)
    assert all(rule.clause in line for rule, line in zip(rules, lines, strict=True))
    assert run("obligations", "rules", "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)["rules"]
    assert [r["id"] for r in data] == [rule.id for rule in rules]
    first = data[0]
    assert first["subject_kind"] == "party_committee"
    assert first["activity"] == "meeting" and first["activity_code"] == "party_committee"
    assert (first["at_least"], first["period"], first["window"]) == (1, "quarter", "")
    assert first["active"] and first["counted"] and first["note"] == ""
    inactive = [r for r in data if not r["active"]]
    assert inactive and all(r["note"] and not r["counted"] for r in inactive)
    assert any(r["window"] == "by:01-31" for r in data)
    # The area's --format before the verb is kept.
    assert run("obligations", "--format", "json", "rules") == 0
    assert json.loads(capsys.readouterr().out)["rules"] == data


def test_the_demo_answers(capsys: pytest.CaptureFixture[str]) -> None:
    create_demo(1, today=DAY)
    assert run("obligations", "--as-of", DAY.isoformat(), "--format", "json") == 0
    items = json.loads(capsys.readouterr().out)["items"]
    assert items and all(set(item) == ITEM_KEYS for item in items)
    assert all(item["kind"] == "meeting" for item in items)


def test_a_bad_date_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    for command in (
        ["obligations", "--as-of", "2025-02-30"],
        ["obligations", "--as-of", "2025/05/20", "--format", "json"],
    ):
        with pytest.raises(SystemExit) as caught:
            run(*command)
        assert caught.value.code == 2
        err = capsys.readouterr().err
        assert command[2] in err
        assert len(err.strip().splitlines()) == 1


def test_reading_commands_never_create_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "typo" / "safety.sqlite3"
    for command in (
        ["obligations"],
        ["obligations", "--as-of", "2025-01-01", "--format", "json"],
        ["obligations", "rules"],
        ["obligations", "rules", "--format", "json"],
    ):
        assert main(["--db", str(missing), *command]) == 1
        err = capsys.readouterr().err
        assert "safety.sqlite3" in err and len(err.strip().splitlines()) == 1
    assert not missing.parent.exists()
