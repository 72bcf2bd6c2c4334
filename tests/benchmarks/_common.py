"""Shared helpers of the benchmark scripts (not a test module: pytest does not collect here)."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

T = TypeVar("T")


def child_env(**extra: str) -> dict[str, str]:
    """The environment for a child Python that must import this checkout's app/ and ui/."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    env.update(extra)
    return env


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    """``fn()`` and the seconds it took."""
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def median_ms(fn: Callable[[], object], runs: int) -> float:
    """The median of ``runs`` timings of ``fn``, in milliseconds."""
    return median([timed(fn)[1] * 1000 for _run in range(runs)])


def verdict(ok: bool) -> str:
    return "ok" if ok else "OVER BUDGET"


def line(label: str, value: str, budget: str, ok: bool | None = None) -> None:
    """One figure, its budget beside it."""
    mark = "" if ok is None else f"  [{verdict(ok)}]"
    beside = f"   budget: {budget}{mark}" if budget else ""
    print(f"  {label:<44} {value:>14}{beside}")


def build_demo_database(path: Path, scale: int = 10) -> float:
    """Run ``safeduty --db PATH demo --scale N`` in a child process; the seconds it took."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "app", "--db", str(path), "demo", "--scale", str(scale)],
        check=True,
        cwd=ROOT,
        env=child_env(),
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def row_counts() -> dict[str, int]:
    """Rows per table of the open database."""
    from app.storage.models import ALL_MODELS

    return {model._meta.table_name: model.select().count() for model in ALL_MODELS}
