"""The obligation engine on the reference data: who has met each obligation, as of a day.

On a ``demo --scale 10`` database, each figure is the median of several runs of
``obligations_as_of`` (what the CLI and the home page ask), of ``overdue`` (which also looks
at the periods just ended) and of ``due_soon``, on days spread over the demo's year, with
the default rules and with every rule of a kind of post made countable (each holder judged).

Run: python tests/benchmarks/bench_obligations.py [--runs 7] [--db FILE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
from functools import partial
from pathlib import Path

from _common import build_demo_database, line, median, row_counts, timed

BUDGET_MS = 200.0


def measure(today: dt.date, runs: int) -> None:
    from app.obligations.engine import due_soon, obligations_as_of, overdue
    from app.storage.db import database_proxy
    from app.storage.models import ObligationRule

    counts = row_counts()
    days = [today - dt.timedelta(days=offset) for offset in (0, 45, 120, 200, 300)]
    items = len(obligations_as_of(today))

    def slowest(fn) -> float:  # type: ignore[no-untyped-def]
        figures = []
        for day in days:
            figures.append(median([timed(partial(fn, day))[1] * 1000 for _run in range(runs)]))
        return max(figures)

    as_of_ms = slowest(obligations_as_of)
    overdue_ms = slowest(overdue)
    soon_ms = slowest(due_soon)

    # The dearest case: every rule of a kind of post counted as a meeting rule, so each holder
    # of those posts is judged on their part of the period (written around the rule checks,
    # inside a transaction that is rolled back: the database is left as it was).
    with database_proxy.atomic() as transaction:
        ObligationRule.update(active=True, activity="meeting", activity_code="leading_group").where(
            ObligationRule.subject_kind == "post_kind"
        ).execute()
        people_items = len(obligations_as_of(today))
        people_ms = slowest(obligations_as_of)
        transaction.rollback()

    print(
        f"demo --scale 10: {counts['meeting']} meetings, {counts['attendance']} attendances, "
        f"{counts['post']} posts, {counts['obligation_rule']} rules; median, slowest of "
        f"{len(days)} days"
    )
    for what, ms in (
        (f"obligations_as_of ({items} items)", as_of_ms),
        ("overdue (this and the last periods)", overdue_ms),
        ("due_soon (14 days)", soon_ms),
        (f"every post rule counted ({people_items} items)", people_ms),
    ):
        line(what, f"{ms:.1f} ms", f"< {BUDGET_MS:.0f} ms", ms < BUDGET_MS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db", type=Path, help="a scale-10 demo database (read, not changed)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="safeduty-bench-") as folder:
        os.environ["SAFEDUTY_CONFIG_DIR"] = str(Path(folder) / "config")
        os.environ["SAFEDUTY_DATA_DIR"] = str(Path(folder) / "data")
        from app.storage.migrations import close_database, open_database

        db = args.db
        if db is None:
            db = Path(folder) / "demo10.sqlite3"
            build_demo_database(db, 10)
        open_database(str(db), create=False)
        measure(dt.date.today(), args.runs)
        close_database()


if __name__ == "__main__":
    main()
