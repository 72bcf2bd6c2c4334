"""The roster page on the reference data: open it, filter it, sort it by name.

On a ``demo --scale 10`` database (and, as a stress case, on a 10 000-member roster imported
from a clerk-style workbook) each figure is the median of several runs, each including the
events Qt processes before the screen is up to date.

Run: python tests/benchmarks/bench_roster_page.py [--runs 7] [--db FILE] [--no-stress]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
from pathlib import Path

from _common import build_demo_database, line, median, median_ms, timed

BUDGET_MS = 150.0
SEARCHES = ("村", "主任", "张", "办公室主任", "no such member")


def measure_page(label: str, today: dt.date, runs: int) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from ui.application import create_app
    from ui.models.roster_model import COL_NAME, COL_POSITION
    from ui.pages.roster import RosterPage

    app = create_app()
    pages: list[RosterPage] = []

    def open_page() -> None:
        page = RosterPage(today=today)
        page.resize(1280, 800)
        page.show()
        QApplication.processEvents()
        pages.append(page)

    open_ms = median_ms(open_page, runs)
    page = pages.pop()
    for old in pages:  # only one page stays open, as in the program
        old.close()
        old.deleteLater()
    QApplication.processEvents()
    rows = page.model.rowCount()

    def refresh() -> None:
        page.refresh()
        QApplication.processEvents()

    refresh_ms = median_ms(refresh, runs)

    def typing(text: str) -> float:
        page.search_edit.clear()
        QApplication.processEvents()
        _nothing, seconds = timed(
            lambda: (page.search_edit.setText(text), QApplication.processEvents())
        )
        return seconds * 1000

    def clearing(text: str) -> float:
        page.search_edit.setText(text)
        QApplication.processEvents()
        _nothing, seconds = timed(lambda: (page.search_edit.clear(), QApplication.processEvents()))
        return seconds * 1000

    # Typing a search narrows the list; clearing it brings every row back (the dearer way).
    filter_ms = max(median([typing(text) for _run in range(runs)]) for text in SEARCHES)
    clear_ms = max(median([clearing(text) for _run in range(runs)]) for text in SEARCHES)

    orders = iter([Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder] * runs)

    def sort_by_name() -> None:
        page.table.sortByColumn(COL_NAME, next(orders))
        QApplication.processEvents()

    sort_ms = median_ms(sort_by_name, runs)
    page.table.sortByColumn(COL_POSITION, Qt.SortOrder.AscendingOrder)
    page.close()
    page.deleteLater()
    QApplication.processEvents()
    del app

    print(f"{label}: {rows} members ({runs} runs, median)")
    for what, ms in (
        ("open the page (build, read, show)", open_ms),
        ("refresh (read the roster again)", refresh_ms),
        ("filter: type a search (slowest)", filter_ms),
        ("filter: clear the search (slowest)", clear_ms),
        ("sort by name", sort_ms),
    ):
        line(what, f"{ms:.0f} ms", f"< {BUDGET_MS:.0f} ms", ms < BUDGET_MS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db", type=Path, help="a scale-10 demo database")
    parser.add_argument("--no-stress", action="store_true", help="skip the 10 000-member case")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="safeduty-bench-") as folder:
        os.environ["SAFEDUTY_CONFIG_DIR"] = str(Path(folder) / "config")
        os.environ["SAFEDUTY_DATA_DIR"] = str(Path(folder) / "data")
        from app.storage.migrations import close_database, open_database

        db = args.db
        if db is None:
            db = Path(folder) / "demo10.sqlite3"
            build_demo_database(db, 10)
        open_database(str(db))
        measure_page("demo --scale 10", dt.date.today(), args.runs)
        close_database()
        if args.no_stress:
            return

        from bench_import import EFFECTIVE, build_workbook

        from app.roster.interchange import import_roster

        workbook = Path(folder) / "roster.xlsx"
        build_workbook(workbook, 9_999)
        open_database(str(Path(folder) / "stress.sqlite3"))
        import_roster(workbook, EFFECTIVE)
        measure_page("stress: imported 10 000-member roster", EFFECTIVE, max(3, args.runs // 2))
        close_database()


if __name__ == "__main__":
    main()
