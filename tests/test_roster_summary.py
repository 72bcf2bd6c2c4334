"""The home page's summary agrees with the full roster on every day of the demo's history."""

from __future__ import annotations

import datetime as dt

from app.demo import create_demo
from app.roster.roles import GroupRole, OfficeRole
from app.roster.service import roster_as_of
from app.roster.summary import roster_summary

TODAY = dt.date(2026, 11, 23)


def test_summary_matches_the_roster_through_the_years() -> None:
    create_demo(scale=1, today=TODAY)
    day = TODAY - dt.timedelta(days=4 * 365)
    checked = 0
    while day <= TODAY:
        snapshot = roster_as_of(day)
        summary = roster_summary(day)
        directors = snapshot.office_holders(OfficeRole.DIRECTOR)
        assert summary.members == len(snapshot.lines), day
        assert summary.leaders == tuple(
            line.name for line in snapshot.lines if line.role == GroupRole.LEADER
        ), day
        assert summary.director == (directors[0].name if directors else None), day
        if snapshot.lines:
            assert summary.last_change is not None and summary.last_change <= day
        checked += 1
        day += dt.timedelta(days=9)
    assert checked > 150


def test_empty_group_has_no_leader_director_or_change() -> None:
    summary = roster_summary(TODAY)
    assert (summary.members, summary.leaders, summary.director, summary.last_change) == (
        0,
        (),
        None,
        None,
    )
