"""``safeduty meetings list``: text, JSON and CSV, filters, and bad input."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from app.cli import main
from app.demo import create_demo
from app.meetings.commands import CSV_COLUMNS, FIELDS
from app.meetings.kinds import MeetingKind
from app.meetings.service import MeetingInput, save_meeting
from app.storage.db import database_path
from app.storage.models import Person

TODAY = dt.date(2026, 3, 15)


def run(*args: str) -> int:
    return main(["--db", str(database_path()), *args])


@pytest.fixture
def demo() -> None:
    create_demo(today=TODAY)


def test_json_lists_every_meeting_by_date(demo: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("meetings", "list", "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"meetings"}
    meetings = data["meetings"]
    assert len(meetings) >= 100
    assert all(set(m) == set(FIELDS) for m in meetings)
    dates = [dt.date.fromisoformat(m["date"]) for m in meetings]
    assert dates == sorted(dates)
    assert {m["type"] for m in meetings} == {kind.value for kind in MeetingKind}
    assert len({m["id"] for m in meetings}) == len(meetings)
    party = next(m for m in meetings if m["type"] == "party_committee")
    assert party["chair"] and party["recorder"] and party["title"] and party["place"]
    assert dt.time.fromisoformat(party["time"])
    assert party["attendees"] > party["absent"] >= 1
    assert party["follow_ups"]["total"] >= party["follow_ups"]["open"] >= 0


def test_year_and_kind_filters(demo: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("meetings", "list", "--year", "2025", "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["year"] == 2025
    assert data["meetings"] and all(m["date"].startswith("2025-") for m in data["meetings"])
    assert run("meetings", "list", "--kind", "annual_conference", "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert [m["date"][5:7] for m in data["meetings"]] == ["03", "03"]
    assert run("meetings", "list", "--year", "2019", "--format", "json") == 0
    assert json.loads(capsys.readouterr().out) == {"year": 2019, "meetings": []}


def test_csv_has_the_same_meetings(demo: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("meetings", "list", "--format", "json") == 0
    meetings = json.loads(capsys.readouterr().out)["meetings"]
    assert run("meetings", "list", "--format", "csv") == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert [int(row["id"]) for row in rows] == [m["id"] for m in meetings]
    for row, record in zip(rows, meetings, strict=True):
        assert row["type"] == record["type"] and row["date"] == record["date"]
        assert int(row["follow_ups_open"]) == record["follow_ups"]["open"]
        assert int(row["follow_ups_total"]) == record["follow_ups"]["total"]
        assert int(row["absent"]) == record["absent"]


def test_text_is_one_line_a_meeting(demo: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("meetings", "list", "--kind", "party_committee") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines and all("党委" in line for line in lines)
    assert all(line.split()[1].startswith(("2025-", "2026-")) for line in lines)


def test_a_small_record_counts_attendance_and_follow_ups(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Anyone recorded may chair; an empty database lists nothing.
    assert run("meetings", "list") == 0
    assert capsys.readouterr().out.strip()
    chair = Person.create(name="周建国")
    save_meeting(
        MeetingInput(
            kind=MeetingKind.OTHER,
            held_on=dt.date(2025, 5, 6),
            chair_id=chair.id,
            follow_ups=[
                ("整改", chair.id, None, dt.date(2025, 5, 7)),
                ("复查", chair.id, None, None),
            ],
        ),
        today=TODAY,
    )
    assert run("meetings", "list", "--format", "json") == 0
    (record,) = json.loads(capsys.readouterr().out)["meetings"]
    assert record["chair"] == "周建国" and record["recorder"] is None
    assert record["time"] is None and record["title"] == ""
    assert (record["attendees"], record["absent"]) == (0, 0)
    assert record["follow_ups"] == {"open": 1, "total": 2}


def test_bad_input_is_one_line_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for option, value in (("--kind", "tea_party"), ("--year", "20x")):
        with pytest.raises(SystemExit) as caught:
            run("meetings", "list", option, value)
        assert caught.value.code == 2
        err = capsys.readouterr().err.strip()
        assert value in err and len(err.splitlines()) == 1
    missing = tmp_path / "none.sqlite3"
    assert main(["--db", str(missing), "meetings", "list"]) == 1
    assert not missing.exists()
