"""How long ``demo --scale 10`` takes, and what it makes.

Run: python tests/benchmarks/bench_demo.py [--scale N] [--runs R]
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
from pathlib import Path

from _common import build_demo_database, line, median, row_counts, timed

from app.demo import create_demo
from app.storage.migrations import close_database, open_database

BUDGET_SECONDS = 5.0  # "a few seconds" (the scale-10 demo is the reference data of every budget)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    today = dt.date.today()
    in_process: list[float] = []
    summary = ""
    counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="safeduty-bench-") as folder:
        for run in range(args.runs):
            open_database(str(Path(folder) / f"demo-{run}.sqlite3"))
            summary, seconds = timed(lambda: create_demo(scale=args.scale, today=today))
            in_process.append(seconds)
            counts = row_counts()
            close_database()
        cli = [
            build_demo_database(Path(folder) / f"cli-{run}.sqlite3", args.scale)
            for run in range(args.runs)
        ]
    print(f"demo --scale {args.scale}  ({args.runs} runs, median)")
    print(f"  {summary}")
    seconds = median(in_process)
    line(
        "create_demo() in process",
        f"{seconds:.2f} s",
        f"< {BUDGET_SECONDS:.0f} s",
        seconds < BUDGET_SECONDS,
    )
    cli_s = median(cli)
    line(
        "safeduty demo (whole process)",
        f"{cli_s:.2f} s",
        f"< {BUDGET_SECONDS:.0f} s",
        cli_s < BUDGET_SECONDS,
    )
    print("rows:")
    for table, count in counts.items():
        print(f"  {table:<24} {count:>8}")


if __name__ == "__main__":
    main()
