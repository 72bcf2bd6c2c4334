"""The meetings page on the reference data: open it, filter it by year, kind and search, sort
it, open the month view and the dialog of the largest meeting.

On a ``demo --scale 10`` database (about 1 500 meetings) each figure is the median of several
runs, each including the events Qt processes before the screen is up to date.

Run: python tests/benchmarks/bench_meetings_page.py [--runs 7] [--db FILE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
from pathlib import Path

from _common import build_demo_database, line, median, median_ms, timed

BUDGET_MS = 150.0
SEARCHES = ("村", "专题", "张", "no such meeting")


def _report(label: str, ms: float, budget: float | None = BUDGET_MS) -> None:
    if budget is None:
        line(label, f"{ms:.0f} ms", "")
    else:
        line(label, f"{ms:.0f} ms", f"< {budget:.0f} ms", ms < budget)


def measure(today: dt.date, runs: int) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from app.meetings.kinds import MeetingKind
    from app.meetings.service import get_meeting, meetings_in
    from ui.application import create_app
    from ui.dialogs.meeting_dialog import MeetingDialog
    from ui.models.meetings_model import COL_CHAIR, COL_DATE, COL_TITLE
    from ui.pages.meetings import MeetingsPage

    create_app()
    process = QApplication.processEvents
    pages: list[MeetingsPage] = []

    def open_page() -> None:
        page = MeetingsPage(today=today)
        page.resize(1280, 800)
        page.show()
        process()
        pages.append(page)

    open_ms = median_ms(open_page, runs)
    page = pages.pop()
    for old in pages:  # only one page stays open, as in the program
        old.close()
        old.deleteLater()
    process()
    tab = page.list_tab
    print(f"  ({tab.model.rowCount()} meetings)")
    _report("open the page (list)", open_ms)
    _report("read the list again", median_ms(lambda: (tab.refresh(), process()), runs))

    years = tab.model.years()

    def by_year() -> float:
        times = []
        for _run in range(runs):
            tab.set_year(None)
            process()
            times.append(timed(lambda: (tab.set_year(years[0]), process()))[1])
        tab.set_year(None)
        process()
        return median(times) * 1000

    _report(f"filter: year {years[0]}", by_year())

    def by_kind() -> float:
        times = []
        for _run in range(runs):
            tab.set_kind(None)
            process()
            times.append(timed(lambda: (tab.set_kind(MeetingKind.OTHER), process()))[1])
        tab.set_kind(None)
        process()
        return median(times) * 1000

    _report("filter: kind “other”", by_kind())

    for text in SEARCHES:
        times = []
        for _run in range(runs):
            tab.search_edit.clear()
            process()
            times.append(timed(lambda text=text: (tab.search_edit.setText(text), process()))[1])
        tab.search_edit.clear()
        process()
        _report(f"search “{text}”", median(times) * 1000)

    def sort(column: int) -> float:
        """Sorting one way, then the other: each run changes the order."""
        orders = [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder]
        times = []
        for run in range(runs):
            order = orders[run % 2]
            times.append(
                timed(lambda order=order: (tab.table.sortByColumn(column, order), process()))[1]
            )
        return median(times) * 1000

    for column, name in ((COL_TITLE, "title"), (COL_CHAIR, "chair"), (COL_DATE, "date")):
        _report(f"sort by {name}", sort(column))
    tab.table.sortByColumn(COL_DATE, Qt.SortOrder.DescendingOrder)
    process()

    def month_view() -> None:
        page.show_month(today)
        process()
        page.show_tab("list")
        process()

    _report("open the month view (this month)", median_ms(month_view, runs))
    month = page.month_tab
    _report("month view: the month before", median_ms(lambda: (month.step(-1), process()), runs))

    biggest = max(meetings_in(), key=lambda m: (m.expected, m.follow_ups_total))
    record = get_meeting(biggest.id)

    def open_dialog() -> None:
        dialog = MeetingDialog(page, today=today, meeting=record)
        dialog.show()
        process()
        dialog.close()
        dialog.deleteLater()

    _report(f"open the dialog ({biggest.expected} attendees)", median_ms(open_dialog, runs), None)
    page.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db", type=Path, help="an existing demo database (else one is built)")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    today = dt.date.today()
    with tempfile.TemporaryDirectory(prefix="safeduty-bench-") as folder:
        os.environ["SAFEDUTY_CONFIG_DIR"] = str(Path(folder) / "config")
        os.environ["SAFEDUTY_DATA_DIR"] = str(Path(folder) / "data")
        path = args.db or Path(folder) / "demo.sqlite3"
        if args.db is None:
            build_demo_database(path)
        from app.storage.migrations import open_database

        open_database(str(path))
        print("demo --scale 10, meetings page, median")
        measure(today, args.runs)


if __name__ == "__main__":
    main()
