"""Is the data sound?  The database's own checks, the attachments' hashes, the audit trail.

At every start: quick_check (it reads every page but skips the slow index cross-checks),
every record against its last audit entry, and the trail's chain from where it was last found
whole.  Weekly, after a restore and on demand (``safeduty check``, the settings page): the
full integrity_check, every attachment hashed again, the whole chain.  What is found is
described in plain words, with the newest good backup to go back to.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field

import peewee

from app.audit.verify import ChainPoint
from app.i18n import _, ngettext
from app.storage.db import database_proxy, raw_connection
from app.storage.models import Housekeeping

FULL_CHECK_EVERY = dt.timedelta(days=7)
_LAST_FULL_CHECK = "last_full_check"
# How far the audit trail's chain was found whole ("id:hash"): a start follows it from there,
# the weekly and the requested checks from the beginning.
CHAIN_VERIFIED = "chain_verified"


def quick_problems() -> list[str]:
    from app.storage.backup import check_rows

    return check_rows(raw_connection().execute("PRAGMA quick_check").fetchall())


def last_full_check() -> dt.datetime | None:
    row = Housekeeping.get_or_none(Housekeeping.key == _LAST_FULL_CHECK)
    try:
        return dt.datetime.fromisoformat(row.value) if row else None
    except ValueError:
        return None


def full_check_due(now: dt.datetime | None = None) -> bool:
    """A week after the last full check; also when that check is dated ahead of now (the
    clock was wrong then): it must not put the next one off until that date."""
    last = last_full_check()
    now = now or dt.datetime.now()
    return last is None or last > now or now - last >= FULL_CHECK_EVERY


def note_full_check(when: dt.datetime | None = None) -> None:
    """Remember a passed full check (not when the file is open read-only: nothing is written)."""
    _note(_LAST_FULL_CHECK, (when or dt.datetime.now()).isoformat(timespec="seconds"))


def _note(key: str, value: str) -> None:
    if getattr(database_proxy.obj, "read_only", False):
        return
    # A busy database: the check simply runs again next start.
    with contextlib.suppress(peewee.OperationalError):
        Housekeeping.insert(key=key, value=value).on_conflict(
            conflict_target=[Housekeeping.key], update={Housekeeping.value: value}
        ).execute()


def chain_verified() -> ChainPoint | None:
    row = Housekeeping.get_or_none(Housekeeping.key == CHAIN_VERIFIED)
    number, _sep, digest = (row.value if row else "").partition(":")
    return ChainPoint(int(number), digest) if number.isdigit() and digest else None


@dataclass
class HealthReport:
    """What a check found; empty lists when all is well."""

    database: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)  # file names missing or changed
    trail: list[str] = field(default_factory=list)  # described audit-trail findings
    full: bool = True  # integrity_check (True) or quick_check (False)

    @property
    def ok(self) -> bool:
        return not (self.database or self.attachments or self.trail)

    def summary(self) -> list[str]:
        """One calm sentence per kind of problem, for the user."""
        lines = []
        if self.database:
            first = self.database[0]
            lines.append(
                _("The database file is damaged ({problem}).").format(problem=first)
                if len(self.database) == 1
                # SQLite lists every damaged page: the first, and how many in all.
                else _("The database file is damaged ({problem}; {count} problems in all).").format(
                    problem=first, count=len(self.database)
                )
            )
        if self.attachments:
            lines.append(
                ngettext(
                    "{count} attached file is missing or has changed.",
                    "{count} attached files are missing or have changed.",
                    len(self.attachments),
                ).format(count=len(self.attachments))
            )
        if self.trail:
            lines.append(
                ngettext(
                    "The audit trail shows {count} change not made by SafeDuty.",
                    "The audit trail shows {count} changes not made by SafeDuty.",
                    len(self.trail),
                ).format(count=len(self.trail))
            )
        return lines


def check_health(*, full: bool = True) -> HealthReport:
    """Check the database, then (if it is sound) the attachments and the audit trail."""
    from app.audit.describe import describe_problem
    from app.audit.verify import trail_problems
    from app.meetings.attachments import damaged_attachments
    from app.storage.backup import integrity_problems

    report = HealthReport(full=full)
    report.database = integrity_problems() if full else quick_problems()
    if report.database:
        return report  # a damaged file cannot be read reliably for the rest
    if full:  # hashing every scan again takes a while: weekly and on demand
        report.attachments = [row.file_name for row in damaged_attachments()]
    end: list[ChainPoint] = []
    remembered = chain_verified()
    problems = trail_problems(start=None if full else remembered, end=end, remembered=remembered)
    report.trail = [describe_problem(problem) for problem in problems]
    if not problems and end:
        _note(CHAIN_VERIFIED, f"{end[0].entry_id}:{end[0].hash}")
    if full and report.ok:
        note_full_check()
    return report
