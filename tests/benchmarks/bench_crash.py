"""kill -9 at random moments: many crash trials across the kinds of work, every one checked.

Each trial (tests/crash_harness.py) starts a worker doing one kind of work — small edits,
roster imports, a batch of prints and exports, backups, the demo — kills it with SIGKILL after
a random delay, and checks that the database passes integrity_check, that every record the
worker reported committed is there (an import or the demo whole or not at all), that every
file under its real name is whole, and that ``safeduty check`` exits 0.

Figures per kind: trials, failures (must be 0), commits checked, the kill delays, the mean
time per trial, where the kills landed (inside a unit of work, between units, or after the
work had ended), how many cut a transaction off with its pages already in the WAL (a kill
inside a transaction, seen in the file itself), what the database held afterwards, and the
temporary files the atomic writes left.

Run: python tests/benchmarks/bench_crash.py [--trials 200] [--seed 1] [--kinds edit,demo]
     [--keep DIR]   (failed trials' folders are kept there for a look)
"""

from __future__ import annotations

import argparse
import collections
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, line

sys.path.insert(0, str(ROOT / "tests"))

from crash_harness import KINDS, TrialResult, run_trial
from crash_records import demo_reference


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1, help="the run's seed (trial seeds follow)")
    parser.add_argument("--kinds", default=",".join(KINDS), help="comma-separated kinds")
    parser.add_argument("--keep", type=Path, help="keep failed trials' folders here")
    args = parser.parse_args()
    kinds = [kind.strip() for kind in args.kinds.split(",") if kind.strip()]
    unknown = set(kinds) - set(KINDS)
    if unknown:
        parser.error(f"unknown kinds: {', '.join(sorted(unknown))}")

    with tempfile.TemporaryDirectory(prefix="safeduty-crash-") as folder:
        base = Path(folder)
        # The harness opens killed databases in this process: keep its settings here too.
        os.environ["SAFEDUTY_CONFIG_DIR"] = str(base / "config")
        os.environ["SAFEDUTY_DATA_DIR"] = str(base / "data")
        if "demo" in kinds:
            demo_reference(base)  # once, before the clock of any trial starts
        results: list[TrialResult] = []
        started = time.perf_counter()
        for number in range(args.trials):
            kind = kinds[number % len(kinds)]
            seed = args.seed * 100_000 + number
            result = run_trial(kind, seed, base)
            results.append(result)
            if not result.ok and args.keep is not None:
                shutil.copytree(result.workdir, args.keep / result.workdir.name, dirs_exist_ok=True)
            # A trial leaves a database and a folder of prints: a few MB each, 200 of them.
            shutil.rmtree(result.workdir, ignore_errors=True)
            if (number + 1) % 20 == 0:
                failed = sum(1 for r in results if not r.ok)
                print(f"  … {number + 1} trials, {failed} failed", file=sys.stderr, flush=True)
        elapsed = time.perf_counter() - started

    report(results, kinds, elapsed)
    return 1 if any(not r.ok for r in results) else 0


def report(results: list[TrialResult], kinds: list[str], elapsed: float) -> None:
    print(f"crash trials: {len(results)} in {elapsed:.0f} s (kill -9 after a random delay)")
    for kind in kinds:
        mine = [r for r in results if r.kind == kind]
        if not mine:
            continue
        delays = [r.delay for r in mine]
        moments = collections.Counter(r.moment for r in mine)
        outcomes = collections.Counter(r.outcome for r in mine if r.outcome)
        cut_off = sum(1 for r in mine if r.wal_uncommitted)
        print(f"\n{kind}")
        line("trials", f"{len(mine)}", "")
        failed = sum(1 for r in mine if not r.ok)
        line("failures", f"{failed}", "0", failed == 0)
        line("commits reported and found", f"{sum(r.commits for r in mine)}", "")
        line("kill delay", f"{min(delays):.3f}–{max(delays):.3f} s", "")
        line("mean time per trial", f"{statistics.mean(r.seconds for r in mine):.2f} s", "")
        for moment, count in sorted(moments.items()):
            line(f"kills {moment}", f"{count}", "")
        line("kills cutting off a transaction in the WAL", f"{cut_off}", "")
        for outcome, count in sorted(outcomes.items()):
            line(f"afterwards: {outcome}", f"{count}", "")
        line("temporaries left (.NAME.*.tmp)", f"{sum(r.leftovers for r in mine)}", "")

    failures = [r for r in results if not r.ok]
    print()
    line("all kinds: failures", f"{len(failures)}", "0", not failures)
    for result in failures[:20]:
        print(f"\nFAILED {result.kind} seed {result.seed} (delay {result.delay:.3f} s):")
        for failure in result.failures[:5]:
            print("  " + failure.replace("\n", "\n  ")[:2000])


if __name__ == "__main__":
    sys.exit(main())
