"""Data safety on the reference data: the audit-trail tab (open, filter, search, scroll,
export), the checks (quick, full with the trail), a verified backup, and what the audit
triggers cost a write.

A demo database holds only the entries of its own making; a township's trail grows with
years of edits, so ``--pad N`` (default 300 000) first adds N changes through the triggers,
the way real edits arrive.

Run: python tests/benchmarks/bench_data_safety.py [--runs 5] [--pad 300000] [--db FILE]
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from _common import build_demo_database, line, median, median_ms, timed

BUDGET_MS = 150.0
SEARCHES = ("张", "13800", "no such text")


def _report(label: str, ms: float, budget: float | None = BUDGET_MS) -> None:
    if budget is None:
        line(label, f"{ms:.0f} ms", "")
    else:
        line(label, f"{ms:.0f} ms", f"< {budget:.0f} ms", ms < budget)


def pad_trail(changes: int) -> float:
    """Make ``changes`` edits to people's phone numbers, each entered by the triggers."""
    from app.storage.db import database_proxy, raw_connection
    from app.storage.models import Person

    ids = [person_id for (person_id,) in Person.select(Person.id).tuples()]
    connection = raw_connection()

    def edit() -> None:
        with database_proxy.atomic():
            connection.executemany(
                "UPDATE person SET phone = ? WHERE id = ?",
                ((f"138{n:08d}", ids[n % len(ids)]) for n in range(changes)),
            )

    return timed(edit)[1]


def measure_checks(runs: int, folder: Path) -> None:
    from app.audit.verify import trail_problems
    from app.storage.autobackup import AutoBackup
    from app.storage.backup import backup_to
    from app.storage.health import check_health, quick_problems

    quick = median_ms(quick_problems, runs)
    line("quick_check (at every start)", f"{quick:.0f} ms", "")
    line("audit trail: chain and records", f"{median_ms(trail_problems, runs):.0f} ms", "")
    line("full check (integrity, files, trail)", f"{median_ms(check_health, 3):.0f} ms", "")
    start = median_ms(lambda: check_health(full=False), runs)
    line("check at start (quick, chain from last time)", f"{start:.0f} ms", "")
    target = folder / "copy.sqlite3"
    result, seconds = timed(lambda: backup_to(target))
    size = result.path.stat().st_size / (1024 * 1024)
    line(f"verified backup ({size:.1f} MB)", f"{seconds * 1000:.0f} ms", "")
    auto = AutoBackup()
    line(
        "is a backup due? (every minute)", f"{median_ms(lambda: auto.due(_now()), runs):.1f} ms", ""
    )


def _now():  # type: ignore[no-untyped-def]
    import datetime as dt

    return dt.datetime.now()


def measure_tab(runs: int, folder: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from app.audit.trail import TrailFilter, export_trail
    from ui.application import create_app
    from ui.pages.settings.audit_tab import AuditTab

    create_app()
    process = QApplication.processEvents
    tabs: list[AuditTab] = []

    def open_tab() -> None:
        tab = AuditTab()
        tab.resize(1100, 700)
        tab.show()
        tab.reload()  # what showing the tab does
        process()
        tabs.append(tab)

    opened = median_ms(open_tab, runs)
    tab = tabs.pop()
    for old in tabs:
        old.close()
        old.deleteLater()
    process()
    from app.storage.models import AuditEntry

    print(f"  ({AuditEntry.select().count()} entries in the trail)")
    _report("open the tab (count, first page)", opened)

    def choose(combo, index: int) -> float:  # type: ignore[no-untyped-def]
        times = []
        for _run in range(runs):
            combo.setCurrentIndex(0)
            process()
            times.append(timed(lambda: (combo.setCurrentIndex(index), process()))[1])
        combo.setCurrentIndex(0)
        process()
        return median(times) * 1000

    _report("filter: kind “meeting”", choose(tab.table_combo, tab.table_combo.findData("meeting")))
    _report(
        "filter: action “deleted”", choose(tab.action_combo, tab.action_combo.findData("delete"))
    )
    _report("filter: last 7 days", choose(tab.period_combo, tab.period_combo.findData("week")))
    for text in SEARCHES:
        times = []
        for _run in range(runs):
            tab.search_edit.clear()
            tab.refresh()
            process()
            times.append(
                timed(lambda text=text: (tab.search_edit.setText(text), tab.refresh(), process()))[
                    1
                ]
            )
        tab.search_edit.clear()
        tab.refresh()
        process()
        _report(f"search “{text}”", median(times) * 1000)

    def scroll() -> None:
        tab.table.scrollToBottom()
        process()

    _report("scroll: the next page of 500", median_ms(scroll, runs))
    _report(
        "history of one record",
        median_ms(
            lambda: (tab.table.selectRow(0), tab._show_history(), process(), tab.show_record(None)),
            runs,
        ),
    )
    count, seconds = timed(lambda: export_trail(folder / "trail.xlsx", TrailFilter()))
    line(f"export {count} entries to .xlsx", f"{seconds:.1f} s", "")
    tab.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pad", type=int, default=300_000)
    parser.add_argument("--db", type=Path, help="an existing demo database (else one is built)")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="safeduty-bench-") as name:
        folder = Path(name)
        os.environ["SAFEDUTY_CONFIG_DIR"] = str(folder / "config")
        os.environ["SAFEDUTY_DATA_DIR"] = str(folder / "data")
        path = args.db or folder / "demo.sqlite3"
        if args.db is None:
            build_demo_database(path)
        from app.storage.migrations import open_database

        open_database(str(path))
        print("demo --scale 10, data safety")
        if args.pad:
            seconds = pad_trail(args.pad)
            line(f"{args.pad} edits through the triggers", f"{seconds:.2f} s", "")
            line("  per edit", f"{seconds / args.pad * 1e6:.1f} µs", "")
        measure_checks(args.runs, folder)
        measure_tab(args.runs, folder)


if __name__ == "__main__":
    main()
