"""Period arithmetic: weeks, months, quarters, half years and years; windows; bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.i18n import set_language
from app.obligations.periods import (
    Period,
    PeriodError,
    check_window,
    parse_period,
    parse_window,
    period_before,
    period_containing,
    period_name,
    window_of,
)

D = dt.date


@pytest.mark.parametrize(
    ("period", "day", "first", "last"),
    [
        # Weeks run Monday to Sunday, across months and years.
        (Period.WEEK, D(2025, 3, 3), D(2025, 3, 3), D(2025, 3, 9)),  # a Monday
        (Period.WEEK, D(2025, 3, 9), D(2025, 3, 3), D(2025, 3, 9)),  # a Sunday
        (Period.WEEK, D(2025, 3, 10), D(2025, 3, 10), D(2025, 3, 16)),
        (Period.WEEK, D(2024, 12, 31), D(2024, 12, 30), D(2025, 1, 5)),
        (Period.WEEK, D(2025, 1, 1), D(2024, 12, 30), D(2025, 1, 5)),
        (Period.WEEK, D(2025, 1, 5), D(2024, 12, 30), D(2025, 1, 5)),
        (Period.WEEK, D(2021, 1, 1), D(2020, 12, 28), D(2021, 1, 3)),
        (Period.WEEK, D(2024, 2, 29), D(2024, 2, 26), D(2024, 3, 3)),
        (Period.WEEK, D(2024, 3, 1), D(2024, 2, 26), D(2024, 3, 3)),
        (Period.WEEK, D(2023, 2, 28), D(2023, 2, 27), D(2023, 3, 5)),
        # Months, with February in leap and common years.
        (Period.MONTH, D(2024, 2, 1), D(2024, 2, 1), D(2024, 2, 29)),
        (Period.MONTH, D(2024, 2, 29), D(2024, 2, 1), D(2024, 2, 29)),
        (Period.MONTH, D(2025, 2, 14), D(2025, 2, 1), D(2025, 2, 28)),
        (Period.MONTH, D(1900, 2, 14), D(1900, 2, 1), D(1900, 2, 28)),  # not a leap year
        (Period.MONTH, D(2000, 2, 14), D(2000, 2, 1), D(2000, 2, 29)),  # a leap year
        (Period.MONTH, D(2025, 4, 30), D(2025, 4, 1), D(2025, 4, 30)),
        (Period.MONTH, D(2025, 12, 31), D(2025, 12, 1), D(2025, 12, 31)),
        (Period.MONTH, D(2026, 1, 1), D(2026, 1, 1), D(2026, 1, 31)),
        # Quarters at both of their ends.
        (Period.QUARTER, D(2025, 1, 1), D(2025, 1, 1), D(2025, 3, 31)),
        (Period.QUARTER, D(2025, 3, 31), D(2025, 1, 1), D(2025, 3, 31)),
        (Period.QUARTER, D(2025, 4, 1), D(2025, 4, 1), D(2025, 6, 30)),
        (Period.QUARTER, D(2025, 6, 30), D(2025, 4, 1), D(2025, 6, 30)),
        (Period.QUARTER, D(2025, 7, 1), D(2025, 7, 1), D(2025, 9, 30)),
        (Period.QUARTER, D(2025, 9, 30), D(2025, 7, 1), D(2025, 9, 30)),
        (Period.QUARTER, D(2025, 10, 1), D(2025, 10, 1), D(2025, 12, 31)),
        (Period.QUARTER, D(2025, 12, 31), D(2025, 10, 1), D(2025, 12, 31)),
        (Period.QUARTER, D(2024, 2, 29), D(2024, 1, 1), D(2024, 3, 31)),
        # Half years.
        (Period.HALF_YEAR, D(2025, 1, 1), D(2025, 1, 1), D(2025, 6, 30)),
        (Period.HALF_YEAR, D(2025, 6, 30), D(2025, 1, 1), D(2025, 6, 30)),
        (Period.HALF_YEAR, D(2025, 7, 1), D(2025, 7, 1), D(2025, 12, 31)),
        (Period.HALF_YEAR, D(2025, 12, 31), D(2025, 7, 1), D(2025, 12, 31)),
        # Years.
        (Period.YEAR, D(2024, 1, 1), D(2024, 1, 1), D(2024, 12, 31)),
        (Period.YEAR, D(2024, 2, 29), D(2024, 1, 1), D(2024, 12, 31)),
        (Period.YEAR, D(2024, 12, 31), D(2024, 1, 1), D(2024, 12, 31)),
    ],
)
def test_period_containing(period: Period, day: dt.date, first: dt.date, last: dt.date) -> None:
    assert period_containing(period, day) == (first, last)


@given(st.sampled_from(list(Period)), st.dates(D(1990, 1, 8), D(2090, 12, 24)))
def test_periods_contain_the_day_and_tile_the_calendar(period: Period, day: dt.date) -> None:
    first, last = period_containing(period, day)
    assert first <= day <= last
    # Every day of the period has the same period; the neighbours start and end next to it.
    assert period_containing(period, first) == (first, last)
    assert period_containing(period, last) == (first, last)
    assert period_containing(period, last + dt.timedelta(days=1))[0] == last + dt.timedelta(days=1)
    assert period_before(period, day)[1] == first - dt.timedelta(days=1)
    if period is Period.WEEK:
        assert first.weekday() == 0 and (last - first).days == 6
    else:
        assert first.day == 1 and (last + dt.timedelta(days=1)).day == 1
        months = {Period.MONTH: 1, Period.QUARTER: 3, Period.HALF_YEAR: 6, Period.YEAR: 12}
        assert (first.month - 1) % months[period] == 0
        assert last.month - first.month + 1 == months[period]


@pytest.mark.parametrize(
    ("period", "day", "before"),
    [
        (Period.WEEK, D(2025, 1, 1), (D(2024, 12, 23), D(2024, 12, 29))),
        (Period.MONTH, D(2024, 3, 15), (D(2024, 2, 1), D(2024, 2, 29))),
        (Period.QUARTER, D(2025, 1, 1), (D(2024, 10, 1), D(2024, 12, 31))),
        (Period.QUARTER, D(2025, 5, 5), (D(2025, 1, 1), D(2025, 3, 31))),
        (Period.HALF_YEAR, D(2025, 1, 31), (D(2024, 7, 1), D(2024, 12, 31))),
        (Period.YEAR, D(2025, 1, 1), (D(2024, 1, 1), D(2024, 12, 31))),
    ],
)
def test_period_before(period: Period, day: dt.date, before: tuple[dt.date, dt.date]) -> None:
    assert period_before(period, day) == before


@pytest.mark.parametrize("code", [p.value for p in Period])
def test_period_codes_are_stable_and_parsed(code: str) -> None:
    assert parse_period(f" {code} ").value == code


@pytest.mark.parametrize("code", ["", "Quarter", "halfyear", "季度", "day"])
def test_unknown_period_is_refused_with_the_choices(code: str) -> None:
    with pytest.raises(PeriodError) as caught:
        parse_period(code)
    assert "half_year" in str(caught.value)


# ---------------------------------------------------------------------------- windows

Y2024 = (D(2024, 1, 1), D(2024, 12, 31))
Y2025 = (D(2025, 1, 1), D(2025, 12, 31))


@pytest.mark.parametrize(
    ("bounds", "window", "expected"),
    [
        (Y2025, "", Y2025),
        ((D(2025, 4, 1), D(2025, 6, 30)), "", (D(2025, 4, 1), D(2025, 6, 30))),
        ((D(2024, 12, 30), D(2025, 1, 5)), "", (D(2024, 12, 30), D(2025, 1, 5))),
        (Y2025, "month:3", (D(2025, 3, 1), D(2025, 3, 31))),
        (Y2025, "month:1", (D(2025, 1, 1), D(2025, 1, 31))),
        (Y2025, "month:12", (D(2025, 12, 1), D(2025, 12, 31))),
        (Y2024, "month:2", (D(2024, 2, 1), D(2024, 2, 29))),
        (Y2025, "month:2", (D(2025, 2, 1), D(2025, 2, 28))),
        (Y2025, "MONTH:03", (D(2025, 3, 1), D(2025, 3, 31))),
        (
            (D(2025, 1, 1), D(2025, 3, 31)),
            "first_month_of_quarter",
            (D(2025, 1, 1), D(2025, 1, 31)),
        ),
        (
            (D(2025, 4, 1), D(2025, 6, 30)),
            "first_month_of_quarter",
            (D(2025, 4, 1), D(2025, 4, 30)),
        ),
        (
            (D(2025, 7, 1), D(2025, 9, 30)),
            "first_month_of_quarter",
            (D(2025, 7, 1), D(2025, 7, 31)),
        ),
        (
            (D(2025, 10, 1), D(2025, 12, 31)),
            "first_month_of_quarter",
            (D(2025, 10, 1), D(2025, 10, 31)),
        ),
        (Y2025, "by:01-31", (D(2025, 1, 1), D(2025, 1, 31))),
        (Y2025, "by:1-31", (D(2025, 1, 1), D(2025, 1, 31))),
        (Y2025, "by:12-31", Y2025),
        (Y2025, "by:01-01", (D(2025, 1, 1), D(2025, 1, 1))),
        # 29 February: there in leap years, the last day of February otherwise.
        (Y2024, "by:02-29", (D(2024, 1, 1), D(2024, 2, 29))),
        (Y2025, "by:02-29", (D(2025, 1, 1), D(2025, 2, 28))),
        ((D(2000, 1, 1), D(2000, 12, 31)), "by:02-29", (D(2000, 1, 1), D(2000, 2, 29))),
        ((D(2100, 1, 1), D(2100, 12, 31)), "by:02-29", (D(2100, 1, 1), D(2100, 2, 28))),
    ],
)
def test_window_of(
    bounds: tuple[dt.date, dt.date], window: str, expected: tuple[dt.date, dt.date]
) -> None:
    assert window_of(bounds, window) == expected
    assert window_of(bounds, parse_window(window)) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", ""),
        ("  ", ""),
        ("month:3", "month:3"),
        ("month:03", "month:3"),
        (" first_month_of_quarter ", "first_month_of_quarter"),
        ("by:1-5", "by:01-05"),
        ("by:02-29", "by:02-29"),
    ],
)
def test_windows_are_stored_in_one_spelling(text: str, code: str) -> None:
    assert parse_window(text).code == code


@pytest.mark.parametrize(
    "text",
    [
        "month:0",
        "month:13",
        "month:",
        "month:March",
        "month:３",  # a full-width digit
        "by:",
        "by:0131",
        "by:13-01",
        "by:02-30",
        "by:04-31",
        "by:00-10",
        "by:01-00",
        "by:01-32",
        "by:x-y",
        "in March",
        "first_month",
        "last_month_of_quarter",
        "month:3:1",
    ],
)
def test_bad_windows_are_refused_with_the_text_named(text: str) -> None:
    with pytest.raises(PeriodError) as caught:
        parse_window(text)
    assert text in str(caught.value)


@pytest.mark.parametrize(
    ("period", "window", "fits"),
    [
        *((period, "", True) for period in Period),
        (Period.YEAR, "month:3", True),
        (Period.YEAR, "by:01-31", True),
        (Period.QUARTER, "first_month_of_quarter", True),
        (Period.QUARTER, "month:3", False),
        (Period.MONTH, "month:3", False),
        (Period.HALF_YEAR, "month:3", False),
        (Period.WEEK, "month:3", False),
        (Period.YEAR, "first_month_of_quarter", False),
        (Period.MONTH, "first_month_of_quarter", False),
        (Period.WEEK, "first_month_of_quarter", False),
        (Period.QUARTER, "by:01-31", False),
        (Period.MONTH, "by:01-31", False),
        (Period.WEEK, "by:01-31", False),
    ],
)
def test_windows_fit_only_their_periods(period: Period, window: str, fits: bool) -> None:
    if fits:
        assert check_window(period, window) == parse_window(window).code
    else:
        with pytest.raises(PeriodError) as caught:
            check_window(period, window)
        assert window in str(caught.value)


def test_a_window_outside_the_bounds_is_refused() -> None:
    # A month window only lies in a year; handed a quarter by mistake, it says so.
    with pytest.raises(PeriodError):
        window_of((D(2025, 4, 1), D(2025, 6, 30)), "month:3")
    with pytest.raises(PeriodError):
        window_of((D(2025, 1, 1), D(2025, 3, 31)), "by:12-31")


def test_labels_name_the_period_and_window() -> None:
    set_language("en")
    try:
        assert parse_window("month:3").label == "in March"
        assert parse_window("by:01-31").label == "by January 31"
        assert parse_window("by:02-29").label == "by February 29"
        assert parse_window("first_month_of_quarter").label == "in the first month of the quarter"
        assert parse_window("").label == ""
        assert Period.QUARTER.at_least(2) == "at least 2 per quarter"
        assert period_name(Period.QUARTER, (D(2025, 4, 1), D(2025, 6, 30))) == "2025 Q2"
        assert period_name(Period.MONTH, (D(2025, 3, 1), D(2025, 3, 31))) == "March 2025"
        assert period_name(Period.YEAR, Y2025) == "2025"
        assert "second half" in period_name(Period.HALF_YEAR, (D(2025, 7, 1), D(2025, 12, 31)))
        assert "2024" in period_name(Period.WEEK, (D(2024, 12, 30), D(2025, 1, 5)))
    finally:
        set_language("zh_CN")
    assert "2025" in period_name(Period.MONTH, (D(2025, 3, 1), D(2025, 3, 31)))
    assert "3" in parse_window("month:3").label or "三" in parse_window("month:3").label
