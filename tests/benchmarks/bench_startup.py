"""Start-up: process start to the first painted main window, against a bare PySide6 window.

Each measurement is a fresh child process (QT_QPA_PLATFORM=offscreen unless set otherwise):
the parent notes the clock, starts the child, and the child prints the same system-wide
clock when its window receives its first paint event, and its peak memory.

Run: python tests/benchmarks/bench_startup.py [--runs 5] [--db FILE]
(without --db a scale-10 demo database is made in a temporary folder).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, build_demo_database, child_env, line, median

RATIO_BUDGET = 2.5
MEMORY_BUDGET_MB = 300

# What every child does once its window is up: wait for the first paint, report, quit.
_REPORT = r"""
import json, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer

def _peak_mb():
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024

class _FirstPaint(QObject):
    def __init__(self, app):
        super().__init__()
        self.app = app
        self.done = False

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and not self.done:
            self.done = True
            painted = time.perf_counter()
            QTimer.singleShot(0, lambda: self.finish(painted))
        return False

    def finish(self, painted):
        print(json.dumps({"painted": painted, "peak_mb": _peak_mb()}), flush=True)
        self.app.quit()

def watch(app, window):
    spy = _FirstPaint(app)
    window.installEventFilter(spy)
    app._first_paint_spy = spy  # keep it alive
"""

BARE = (
    _REPORT
    + r"""
import sys
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
window.resize(1280, 800)
watch(app, window)
window.show()
sys.exit(app.exec())
"""
)

# The SafeDuty window exactly as the program opens it: the console script's own entry point
# (settings, arguments, database, main window), with a watch on the first top-level paint.
SAFEDUTY = (
    _REPORT
    + r"""
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
import ui.application as application

class _AnyWindow(_FirstPaint):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and obj.isWidgetType() and obj.isWindow():
            return super().eventFilter(obj, event)
        return False

_create_app = application.create_app

def create_app(*args, **kwargs):
    app = _create_app(*args, **kwargs)
    if not hasattr(app, "_first_paint_spy"):
        app._first_paint_spy = _AnyWindow(app)
        app.installEventFilter(app._first_paint_spy)
    return app

application.create_app = create_app
from app.cli import main
sys.exit(main(["--db", sys.argv[1]]))
"""
)


# An installed program starts from compiled modules (pip compiles them when it installs); a
# checkout run with PYTHONDONTWRITEBYTECODE set would compile every module on every start.
# The children keep their bytecode here instead, made by the warm-up run.
_BYTECODE = tempfile.TemporaryDirectory(prefix="safeduty-bench-pycache-")


def run_child(code: str, *args: str) -> tuple[float, float | None]:
    """Seconds from spawning the child to its first paint, and its peak memory in MB."""
    env = child_env()
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = _BYTECODE.name
    with tempfile.TemporaryDirectory(prefix="safeduty-bench-config-") as config:
        # A clean configuration (no remembered window state) and data folder of its own.
        env["SAFEDUTY_CONFIG_DIR"] = str(Path(config) / "config")
        env["SAFEDUTY_DATA_DIR"] = str(Path(config) / "data")
        return _run(code, env, args)


def _run(code: str, env: dict[str, str], args: tuple[str, ...]) -> tuple[float, float | None]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip() or f"child exited with {done.returncode}")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    return report["painted"] - start, report["peak_mb"]


def measure(label: str, code: str, runs: int, *args: str) -> tuple[float, float | None]:
    times: list[float] = []
    peaks: list[float] = []
    for _run in range(runs):
        seconds, peak = run_child(code, *args)
        times.append(seconds)
        if peak is not None:
            peaks.append(peak)
    print(f"{label}: " + ", ".join(f"{t * 1000:.0f}" for t in times) + " ms")
    return median(times), max(peaks) if peaks else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", type=Path, help="a scale-10 demo database to open")
    args = parser.parse_args()
    run_child(BARE)  # warm the disk cache so the first run is not unfair to either side
    bare, bare_peak = measure("bare QMainWindow", BARE, args.runs)
    with tempfile.TemporaryDirectory(prefix="safeduty-bench-") as folder:
        db = args.db
        if db is None:
            db = Path(folder) / "demo10.sqlite3"
            seconds = build_demo_database(db, 10)
            print(f"(demo --scale 10 built in {seconds:.1f} s)")
        try:
            run_child(SAFEDUTY, str(db))
            ours, our_peak = measure("SafeDuty main window", SAFEDUTY, args.runs, str(db))
        except (RuntimeError, ImportError) as error:
            print(f"SafeDuty main window: cannot measure yet: {error}".splitlines()[-1])
            ours, our_peak = None, None
    print(f"start to first painted window ({args.runs} runs, median):")
    line("bare PySide6 QMainWindow", f"{bare * 1000:.0f} ms", "reference")
    if ours is not None:
        ratio = ours / bare
        line("SafeDuty main window (demo scale 10)", f"{ours * 1000:.0f} ms", "")
        line("ratio SafeDuty / bare", f"{ratio:.2f}x", f"<= {RATIO_BUDGET}x", ratio <= RATIO_BUDGET)
    if bare_peak is not None:
        line("peak RSS, bare window", f"{bare_peak:.0f} MB", "reference")
    if our_peak is not None:
        line(
            "peak RSS, SafeDuty",
            f"{our_peak:.0f} MB",
            f"< {MEMORY_BUDGET_MB} MB",
            our_peak < MEMORY_BUDGET_MB,
        )


if __name__ == "__main__":
    main()
