"""Importing a 10 000-row roster workbook: time to read, plan and apply; all or nothing.

The workbook looks like a clerk's: a merged title row above the header, the role column in
merged blocks, names padded for alignment ("闫  旻", "闫　旻"), several titles in one cell.
A second file, the same with one bad row at the end, must be refused with the database
unchanged.

Run: python tests/benchmarks/bench_import.py [--rows 10000] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import pstats
import random
import tempfile
from pathlib import Path

import openpyxl
from _common import line, row_counts, timed

from app.demo.names import NameMaker
from app.io.errors import InterchangeError
from app.roster.interchange import apply_plan, plan_import, read_roster_file
from app.storage.migrations import close_database, open_database

BUDGET_SECONDS = 3.0
EFFECTIVE = dt.date(2026, 1, 1)
HEADER = ("序号", "姓  名", "领导小组职务", "现任职务", "联系电话")


def _padded(name: str, rng: random.Random) -> str:
    """Names as clerks align them: two-character names spread out, sometimes a stray space."""
    if len(name) == 2:
        return name[0] + rng.choice(("  ", "\u3000", " ")) + name[1]
    return name if rng.random() < 0.9 else f" {name} "


def _titles(rng: random.Random, places: list[str]) -> str:
    place = rng.choice(places)
    pool = (
        f"{place}村党总支书记",
        "主任",
        f"{place}村安全员",
        "组织委员",
        f"{place}社区网格员",
        "应急管理办公室工作人员",
        "派出所民警",
        f"{place}村村委会委员",
    )
    count = rng.choice((1, 1, 2, 3))
    return "、".join(rng.sample(pool, count))


def build_workbook(path: Path, rows: int, *, bad_last_row: bool = False) -> None:
    """A roster of ``rows`` members laid out the way townships keep them."""
    rng = random.Random(7)
    names = NameMaker(rng)
    places = [names.place() for _ in range(60)]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "领导小组成员"
    sheet.append(["青禾镇安全生产领导小组成员名单"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet.append(list(HEADER))
    # Role blocks: 2 组长, 1 常务副组长, 30 副组长, then 成员 (one office director among them).
    blocks = [("组长", 2), ("常务副组长", 1), ("副组长", 30)]
    blocks.append(("成员", rows - sum(size for _role, size in blocks)))
    number = 0
    for role, size in blocks:
        first = sheet.max_row + 1
        for offset in range(size):
            number += 1
            phone = f"1390000{rng.randrange(10000):04d}" if rng.random() < 0.5 else ""
            cell_role = role if offset == 0 else None
            sheet.append(
                [number, _padded(names.person(), rng), cell_role, _titles(rng, places), phone]
            )
        # The role cell is one merged block per role, cut every 500 rows as long lists are.
        for start in range(first, first + size, 500):
            end = min(start + 499, first + size - 1)
            if start != first:
                sheet.cell(row=start, column=3, value=role)
            if end > start:
                sheet.merge_cells(start_row=start, start_column=3, end_row=end, end_column=3)
    # The office director: his own row, with its own role cell, inside no merged block.
    sheet.append([number + 1, names.person(), "成员、办公室主任", "应急管理办公室主任", ""])
    if bad_last_row:
        sheet.append([number + 2, names.person(), "顾问", "镇人大代表", ""])
    book.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--profile", action="store_true", help="print the hot spots")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="safeduty-bench-") as folder:
        good = Path(folder) / "roster.xlsx"
        bad = Path(folder) / "roster-bad-row.xlsx"
        _nothing, built = timed(lambda: build_workbook(good, args.rows - 1))
        build_workbook(bad, args.rows - 1, bad_last_row=True)
        print(f"built {good.name} ({args.rows} members) in {built:.1f} s")

        open_database(str(Path(folder) / "import.sqlite3"))
        (_title, read_rows), read_s = timed(lambda: read_roster_file(good))
        profiler = cProfile.Profile() if args.profile else None
        if profiler:
            profiler.enable()
        plan, plan_s = timed(lambda: plan_import(good, EFFECTIVE))
        _nothing, apply_s = timed(lambda: apply_plan(plan))
        if profiler:
            profiler.disable()
        counts = row_counts()

        print(f"import of {len(read_rows)} rows: {plan.summary()}")
        total = plan_s + apply_s
        line("read the workbook", f"{read_s:.2f} s", "")
        line("plan (read again + compare)", f"{plan_s:.2f} s", "")
        line("  of which compare", f"{max(plan_s - read_s, 0):.2f} s", "")
        line("apply (one transaction)", f"{apply_s:.2f} s", "")
        line(
            "total (plan + apply)",
            f"{total:.2f} s",
            f"< {BUDGET_SECONDS:.0f} s",
            total < BUDGET_SECONDS,
        )
        print(f"rows after import: {counts}")

        # All or nothing: the same file with one bad row at the end changes nothing.
        before = row_counts()
        try:
            plan_import(bad, EFFECTIVE + dt.timedelta(days=1))
        except InterchangeError as error:
            refused = str(error).splitlines()[0]
        else:
            refused = ""
        after = row_counts()
        print(f"file with a bad last row: {'refused: ' + refused if refused else 'NOT refused'}")
        print(f"  rows before: {before}")
        print(f"  rows after:  {after}")
        line(
            "database unchanged",
            "yes" if before == after else "NO",
            "must be unchanged",
            before == after and bool(refused),
        )
        close_database()

    if profiler:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(20)
        print(out.getvalue())


if __name__ == "__main__":
    main()
