"""The "who answers for what" grid on the reference data: open, refresh, filter, edit a cell.

On a ``demo --scale 10`` database (about 235 areas and 330 people who answer for one) each
figure is the median of several runs, each including the events Qt processes before the
screen is up to date.  Filters are timed from the moment they apply (the search boxes wait
FILTER_DELAY_MS after the last key, which is not work).

Run: python tests/benchmarks/bench_responsibility_grid.py [--runs 7] [--db FILE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
from pathlib import Path

from _common import build_demo_database, line, median, median_ms, timed

BUDGET_MS = 150.0
PEOPLE_SEARCHES = ("村", "书记", "张", "副镇长", "nobody at all")
AREA_SEARCHES = ("村", "办公室", "片区", "no such area")


def measure(today: dt.date, runs: int) -> None:
    from PySide6.QtWidgets import QApplication

    from app.responsibility.levels import Level
    from ui.application import create_app
    from ui.models.grid_model import PeopleShown
    from ui.pages.responsibility import ResponsibilityPage
    from ui.pages.responsibility.grid_tab import GridTab

    app = create_app()
    process = QApplication.processEvents
    pages: list[ResponsibilityPage] = []

    def new_page() -> ResponsibilityPage:
        page = ResponsibilityPage(today=today)
        page.resize(1280, 800)
        page.show()
        process()
        return page

    def open_tab() -> float:
        page = new_page()  # opens on the matrix tab
        pages.append(page)
        _tab, seconds = timed(lambda: (page.show_tab("grid"), process()))
        return seconds * 1000

    open_ms = median([open_tab() for _run in range(runs)])
    page = pages.pop()
    for old in pages:
        old.close()
        old.deleteLater()
    process()
    tab = page.tab("grid")
    assert isinstance(tab, GridTab)
    areas, people = len(tab.model.all_areas), len(tab.model.all_people)
    leaders = tab.model.columnCount()

    refresh_ms = median_ms(lambda: (tab.refresh(), process()), runs)

    def filtering(edit, text: str) -> float:
        edit.clear()
        tab.apply_filters()
        process()
        edit.setText(text)
        _nothing, seconds = timed(lambda: (tab.apply_filters(), process()))
        return seconds * 1000

    def slowest(edit, searches: tuple[str, ...]) -> float:
        return max(median([filtering(edit, text) for _run in range(runs)]) for text in searches)

    people_ms = slowest(tab.people_edit, PEOPLE_SEARCHES)
    tab.people_edit.clear()
    area_ms = slowest(tab.area_edit, AREA_SEARCHES)
    tab.area_edit.clear()
    tab.apply_filters()
    process()

    # Everyone as a column: the widest view, and the dearest filters.
    def switch(to: PeopleShown, start: PeopleShown) -> float:
        tab.set_people_shown(start)
        process()
        _nothing, seconds = timed(lambda: (tab.set_people_shown(to), process()))
        return seconds * 1000

    everyone_ms = median(
        [switch(PeopleShown.EVERYONE, PeopleShown.LEADERS) for _run in range(runs)]
    )
    leaders_ms = median([switch(PeopleShown.LEADERS, PeopleShown.EVERYONE) for _run in range(runs)])
    tab.set_people_shown(PeopleShown.EVERYONE)
    process()
    people_all_ms = slowest(tab.people_edit, PEOPLE_SEARCHES)
    tab.people_edit.clear()
    area_all_ms = slowest(tab.area_edit, AREA_SEARCHES)
    tab.area_edit.clear()
    tab.set_people_shown(PeopleShown.OF_AREAS)
    process()
    area_of_ms = slowest(tab.area_edit, AREA_SEARCHES)
    tab.area_edit.clear()
    tab.set_people_shown(PeopleShown.LEADERS)
    tab.apply_filters()
    process()

    # One cell written and written back, as a clerk does it.
    model = tab.model
    index = next(
        model.index(row, column)
        for row in range(model.rowCount())
        for column in range(model.columnCount())
        if model.index(row, column).data() == ""
    )
    tab.table.setCurrentIndex(index)
    levels = iter([Level.DIRECT_LEADERSHIP, None] * runs)
    set_ms = median_ms(lambda: (tab.set_current_level(next(levels)), process()), runs * 2)

    page.close()
    page.deleteLater()
    process()
    del app

    print(f"demo --scale 10: {areas} areas × {people} people ({leaders} leaders), median")
    for what, ms in (
        ("open the tab (read the grid, build, paint)", open_ms),
        ("refresh (read the grid again)", refresh_ms),
        ("filter by person (leaders only, slowest)", people_ms),
        ("filter by area (leaders only, slowest)", area_ms),
        ("show everyone (from leaders only)", everyone_ms),
        ("back to leaders only", leaders_ms),
        ("filter by person (everyone, slowest)", people_all_ms),
        ("filter by area (everyone, slowest)", area_all_ms),
        ("filter by area (people of those areas)", area_of_ms),
        ("set a level in a cell (write + repaint)", set_ms),
    ):
        line(what, f"{ms:.0f} ms", f"< {BUDGET_MS:.0f} ms", ms < BUDGET_MS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db", type=Path, help="a scale-10 demo database (copied, not changed)")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="safeduty-bench-") as folder:
        os.environ["SAFEDUTY_CONFIG_DIR"] = str(Path(folder) / "config")
        os.environ["SAFEDUTY_DATA_DIR"] = str(Path(folder) / "data")
        from app.storage.migrations import close_database, open_database

        db = Path(folder) / "demo10.sqlite3"
        if args.db is None:
            build_demo_database(db, 10)
        else:
            # The benchmark writes cells: work on a copy of the given database.
            import sqlite3

            source = sqlite3.connect(args.db)
            with sqlite3.connect(db) as target:
                source.backup(target)
            source.close()
        open_database(str(db))
        measure(dt.date.today(), args.runs)
        close_database()


if __name__ == "__main__":
    main()
