"""The responsibility page's other tabs on the reference data: open, search, sort; and a
matrix import of the largest file accepted.

On a ``demo --scale 10`` database each figure is the median of several runs, including the
events Qt processes before the screen is up to date.  (The grid has its own script,
bench_responsibility_grid.py.)

Run: python tests/benchmarks/bench_responsibility_tabs.py [--runs 7] [--db FILE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
from pathlib import Path

from _common import build_demo_database, line, median, median_ms, timed

BUDGET_MS = 150.0
IMPORT_BUDGET_S = 3.0


def _report(label: str, ms: float, budget: float = BUDGET_MS) -> None:
    line(label, f"{ms:.0f} ms", f"< {budget:.0f} ms", ms < budget)


def measure_tabs(today: dt.date, runs: int) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QLineEdit

    from ui.application import create_app
    from ui.pages.responsibility import ResponsibilityPage

    create_app()
    process = QApplication.processEvents
    kept: list[ResponsibilityPage] = []

    def open_page() -> ResponsibilityPage:
        page = ResponsibilityPage(today=today)
        page.resize(1280, 800)
        page.show()
        process()
        kept.append(page)
        return page

    _report("open the page (matrix tab)", median_ms(open_page, runs))
    for key in ("coverage", "duties", "units"):
        # Time only the tab: the page is built first, outside the measurement.
        times = []
        for _run in range(runs):
            page = open_page()
            times.append(timed(lambda page=page, key=key: (page.show_tab(key), process()))[1])
        _report(f"open the {key} tab", median(times) * 1000)

    def search(edit: QLineEdit, text: str) -> float:
        """A search typed into an empty box (the same text again would change nothing)."""
        times = []
        for _run in range(runs):
            edit.clear()
            process()
            times.append(timed(lambda: (edit.setText(text), process()))[1])
        edit.clear()
        process()
        return median(times) * 1000

    page = open_page()
    matrix = page.tab("matrix")
    for text in ("村", "应急", "no such text"):
        _report(f"matrix: search “{text}”", search(matrix.search_edit, text))
    units = page.show_tab("units")
    for text in ("村", "有限公司", "no such text"):
        _report(f"units: search “{text}”", search(units.search_edit, text))
    order = [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder]
    _report(
        "units: sort by name",
        median_ms(
            lambda: (units.table.sortByColumn(0, order.reverse() or order[0]), process()), runs
        ),
    )
    coverage = page.show_tab("coverage")
    _report("coverage: check again", median_ms(lambda: (coverage.refresh(), process()), runs))
    for old in kept:
        old.close()


def measure_import(today: dt.date, folder: Path) -> None:
    from app.demo.organisation import DEPARTMENTS
    from app.io.spreadsheet import write_table
    from app.responsibility.interchange import COLUMNS, MAX_ROWS, import_matrix

    header = [column.name for column in COLUMNS]
    rows = []
    for number in range(1, MAX_ROWS + 1):
        department = DEPARTMENTS[number % len(DEPARTMENTS)][0]
        rows.append(
            [
                number,
                "镇党委书记、镇长",
                f"领导{number % 40}",
                f"{department}、{DEPARTMENTS[(number + 1) % len(DEPARTMENTS)][0]}",
                f"负责人{number}",
                "组织开展行业领域安全生产检查，督促隐患整改，落实监管责任。" * 2,
            ]
        )
    path = folder / "matrix.xlsx"
    write_table(path, header, rows)
    _plan, seconds = timed(lambda: import_matrix(path, today))
    line(
        f"matrix import of {MAX_ROWS} rows (plan + apply)",
        f"{seconds:.2f} s",
        f"< {IMPORT_BUDGET_S:.0f} s",
        seconds < IMPORT_BUDGET_S,
    )


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
        print("demo --scale 10, responsibility page, median")
        measure_tabs(today, args.runs)
        measure_import(today, Path(folder))


if __name__ == "__main__":
    main()
