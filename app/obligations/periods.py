"""Periods and windows of obligations: pure date arithmetic.

A rule counts activities per period (week, month, quarter, half year, year).  A window narrows
the dates that count within the period, and its last day is the deadline:

    ""                        the whole period
    "month:3"                 in March (year periods: the annual conference)
    "first_month_of_quarter"  in the quarter's first month (quarter periods: the routine meeting)
    "by:01-31"                from the period's first day up to 31 January (year periods: the
                              annual report); "by:02-29" means the last day of February

Weeks run Monday to Sunday, as Chinese offices count them, so a week can span two years.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from app.i18n import N_, _, babel_locale

Bounds = tuple[dt.date, dt.date]  # first and last day, both inclusive

ONE_DAY = dt.timedelta(days=1)
WHOLE_PERIOD = ""
FIRST_MONTH_OF_QUARTER = "first_month_of_quarter"
_MONTH_PREFIX = "month:"
_BY_PREFIX = "by:"


class PeriodError(ValueError):
    """A period or window that cannot be used; the message is for the user."""


class Period(StrEnum):
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    YEAR = "year"

    @property
    def label(self) -> str:
        return _(_LABELS[self])

    def at_least(self, count: int) -> str:
        """The frequency as rules describe it: "at least 2 per month"."""
        return _(_AT_LEAST[self]).format(count=count)


_LABELS = {
    Period.WEEK: N_("Week"),
    Period.MONTH: N_("Month"),
    Period.QUARTER: N_("Quarter"),
    Period.HALF_YEAR: N_("Half year"),
    Period.YEAR: N_("Year"),
}
_AT_LEAST = {
    Period.WEEK: N_("at least {count} per week"),
    Period.MONTH: N_("at least {count} per month"),
    Period.QUARTER: N_("at least {count} per quarter"),
    Period.HALF_YEAR: N_("at least {count} per half year"),
    Period.YEAR: N_("at least {count} per year"),
}


def parse_period(code: str) -> Period:
    """The period a stable code names, or PeriodError listing the codes."""
    try:
        return Period(code.strip())
    except ValueError:
        raise PeriodError(
            _("Unknown period “{value}”; use one of {choices}.").format(
                value=code, choices=", ".join(p.value for p in Period)
            )
        ) from None


def period_containing(period: Period, day: dt.date) -> Bounds:
    """The first and last day of the period of that kind that contains ``day``."""
    if period is Period.WEEK:
        monday = day - dt.timedelta(days=day.weekday())
        return monday, monday + dt.timedelta(days=6)
    months = _MONTHS[period]
    first_month = (day.month - 1) // months * months + 1
    last_month = first_month + months - 1
    return (
        dt.date(day.year, first_month, 1),
        dt.date(day.year, last_month, _days_in(day.year, last_month)),
    )


def period_before(period: Period, day: dt.date) -> Bounds:
    """The period just before the one containing ``day``."""
    first, _last = period_containing(period, day)
    return period_containing(period, first - ONE_DAY)


_MONTHS = {Period.MONTH: 1, Period.QUARTER: 3, Period.HALF_YEAR: 6, Period.YEAR: 12}


def _days_in(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


# ---------------------------------------------------------------------------- windows


@dataclass(frozen=True)
class Window:
    """A parsed window: the whole period, a month of the year, the quarter's first month, or
    "by" a day of the year."""

    kind: str  # WHOLE_PERIOD, "month", FIRST_MONTH_OF_QUARTER or "by"
    month: int = 0
    day: int = 0

    @property
    def code(self) -> str:
        """The stable text stored with a rule."""
        if self.kind == "month":
            return f"{_MONTH_PREFIX}{self.month}"
        if self.kind == "by":
            return f"{_BY_PREFIX}{self.month:02d}-{self.day:02d}"
        return self.kind

    @property
    def label(self) -> str:
        """The window as a phrase: "in March", "in the first month of the quarter", "by 31
        January"; empty for the whole period."""
        if self.kind == "month":
            from babel.dates import get_month_names

            name = get_month_names("wide", locale=babel_locale())[self.month]
            return _("in {month}").format(month=name)
        if self.kind == FIRST_MONTH_OF_QUARTER:
            return _("in the first month of the quarter")
        if self.kind == "by":
            from babel.dates import format_skeleton

            # 2000 is a leap year, so "by:02-29" can be written out.
            day = format_skeleton(
                "MMMMd", dt.date(2000, self.month, self.day), locale=babel_locale()
            )
            return _("by {day}").format(day=day)
        return ""


# The periods each kind of window makes sense in.
_WINDOW_PERIODS = {
    WHOLE_PERIOD: tuple(Period),
    "month": (Period.YEAR,),
    FIRST_MONTH_OF_QUARTER: (Period.QUARTER,),
    "by": (Period.YEAR,),
}


def parse_window(text: str) -> Window:
    """The window a text names ("", "month:3", "first_month_of_quarter", "by:01-31")."""
    code = text.strip().lower()
    if code == WHOLE_PERIOD:
        return Window(WHOLE_PERIOD)
    if code == FIRST_MONTH_OF_QUARTER:
        return Window(FIRST_MONTH_OF_QUARTER)
    if code.startswith(_MONTH_PREFIX):
        month = _number(code[len(_MONTH_PREFIX) :])
        if month is None or not 1 <= month <= 12:
            raise PeriodError(
                _("“{value}” names no month; write month:1 to month:12.").format(value=text)
            )
        return Window("month", month=month)
    if code.startswith(_BY_PREFIX):
        month_text, dash, day_text = code[len(_BY_PREFIX) :].partition("-")
        month, day = _number(month_text), _number(day_text)
        # Checked against a leap year: 29 February is a day some years have.
        if not dash or month is None or day is None or not 1 <= month <= 12:
            raise PeriodError(
                _("“{value}” names no day; write by:MM-DD, e.g. by:01-31.").format(value=text)
            )
        if not 1 <= day <= _days_in(2000, month):
            raise PeriodError(
                _("“{value}” names no day; write by:MM-DD, e.g. by:01-31.").format(value=text)
            )
        return Window("by", month=month, day=day)
    raise PeriodError(
        _(
            "Unknown window “{value}”; leave it empty or write month:M, "
            "first_month_of_quarter or by:MM-DD."
        ).format(value=text)
    )


def _number(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() else None


def check_window(period: Period, text: str) -> str:
    """The window's stable code if it fits the period; PeriodError says why it does not."""
    window = parse_window(text)
    if period not in _WINDOW_PERIODS[window.kind]:
        raise PeriodError(_(_MISFIT[window.kind]).format(window=window.code))
    return window.code


_MISFIT = {
    "month": N_("The window “{window}”, a month of the year, applies only to yearly rules."),
    FIRST_MONTH_OF_QUARTER: N_(
        "The window “{window}”, the first month of the quarter, applies only to quarterly rules."
    ),
    "by": N_("The window “{window}”, a day to be done by, applies only to yearly rules."),
}


def window_of(period_bounds: Bounds, window: str | Window) -> Bounds:
    """The dates within the period in which activities count; the last one is the deadline."""
    parsed = window if isinstance(window, Window) else parse_window(window)
    first, last = period_bounds
    if parsed.kind == WHOLE_PERIOD:
        return first, last
    if parsed.kind == FIRST_MONTH_OF_QUARTER:
        return first, min(last, dt.date(first.year, first.month, _days_in(first.year, first.month)))
    if parsed.kind == "month":
        start = dt.date(first.year, parsed.month, 1)
        end = dt.date(first.year, parsed.month, _days_in(first.year, parsed.month))
    else:
        # "by:02-29" in a year without it: the last day of February.
        start = first
        end = dt.date(first.year, parsed.month, min(parsed.day, _days_in(first.year, parsed.month)))
    if start < first or end > last:
        raise PeriodError(
            _("The window “{window}” lies outside the period {first} to {last}.").format(
                window=parsed.code, first=first.isoformat(), last=last.isoformat()
            )
        )
    return start, end


def period_name(period: Period, bounds: Bounds) -> str:
    """The period as people name it: "2025 Q1", "March 2025", "the week of 3 March 2025"."""
    from babel.dates import format_skeleton

    first, _last = bounds
    locale = babel_locale()
    if period is Period.YEAR:
        return _("{year}").format(year=first.year)
    if period is Period.HALF_YEAR:
        if first.month == 1:
            return _("first half of {year}").format(year=first.year)
        return _("second half of {year}").format(year=first.year)
    if period is Period.QUARTER:
        return _("{year} Q{quarter}").format(year=first.year, quarter=(first.month - 1) // 3 + 1)
    if period is Period.MONTH:
        return format_skeleton("yMMMM", first, locale=locale)
    return _("the week of {monday}").format(monday=format_skeleton("yMMMd", first, locale=locale))
