"""Crash trials: kill -9 a worker in the middle of its work, then prove nothing was lost.

One trial starts tests/crash_child.py doing one kind of work against a new database (edits,
roster imports, a batch of prints and exports, backups, the demo), waits until its set-up is
committed, kills it with SIGKILL after a random delay, and then checks, from outside:

(a) ``PRAGMA integrity_check`` is ``ok`` (the database opened normally, so the WAL is
    recovered the way the next start of the program recovers it), and no foreign key dangles;
(b) every record the child reported as committed is there, and nothing it had not begun is:
    an edit, an import, the demo is found whole or not at all (never a mix);
(c) every file under its real name in the output folder is whole (a PDF parses and ends with
    ``%%EOF``, a workbook opens, a CSV has every row, a backup passes quick_check and holds
    what was committed before it); the atomic-write temporaries ``.NAME.*.tmp`` may be left;
(d) ``safeduty --db DB check`` exits 0.

A child reports ``committed`` only after the call has returned, so what the harness read
before the kill is what the program promised (see crash_child.py).  The harness reads the
pipe to its end after the kill: every whole line the child wrote before dying counts.  The
checks of (b), one per kind of work, are in crash_records.py.

Used by tests/test_crash_safety.py (a few trials) and tests/benchmarks/bench_crash.py (many).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import random
import re
import signal
import sqlite3
import struct
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CHILD = Path(__file__).with_name("crash_child.py")

KINDS = ("edit", "import", "print", "backup", "demo")
# Kill delays in seconds after the child's set-up, per kind: a few of its units of work long
# (an edit takes ~6 ms, an import ~120 ms, a print ~15–60 ms, a backup ~7 ms, the demo ~0.45 s
# from the command line's start), so kills land at every stage of the work.
DELAYS: dict[str, tuple[float, float]] = {
    "edit": (0.0, 0.4),
    "import": (0.0, 1.0),
    "print": (0.0, 0.8),
    "backup": (0.0, 0.4),
    "demo": (0.0, 0.5),
    "liar": (0.05, 0.2),
}
SETUP_TIMEOUT = 60.0
CHECK_TIMEOUT = 120.0
# What the atomic writes leave behind when killed: app/fileio.py's temporary name, and for a
# backup the temporary database's rollback journal beside it.
TEMPORARY = re.compile(r"^\..+\.tmp(-journal|-wal|-shm)?$")


@dataclass(frozen=True)
class Event:
    """One whole line the child wrote: ``committed {"op": "add_unit", …}``."""

    tag: str
    data: dict[str, Any]


@dataclass
class TrialResult:
    kind: str
    seed: int
    delay: float  # seconds from the end of the set-up (or the n-th commit) to the kill
    workdir: Path
    events: list[Event] = field(default_factory=list)
    killed: bool = False  # False: the child had already ended by itself
    moment: str = ""  # where the kill landed, as far as the child's reports tell
    outcome: str = ""  # what the database held afterwards (kind-specific, for the figures)
    wal_frames: int = 0  # committed frames not yet checkpointed (recovered on opening)
    wal_uncommitted: int = 0  # frames of a transaction the kill cut off (rolled back)
    leftovers: int = 0  # temporary files the atomic writes left
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def commits(self) -> int:
        return sum(1 for event in self.events if event.tag == "committed")

    @property
    def db(self) -> Path:
        return self.workdir / "safeduty.sqlite3"

    @property
    def out(self) -> Path:
        return self.workdir / "out"


def child_env(workdir: Path) -> dict[str, str]:
    """This checkout's app/ on the path; settings and data inside the trial's folder."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    env["SAFEDUTY_CONFIG_DIR"] = str(workdir / "config")
    env["SAFEDUTY_DATA_DIR"] = str(workdir / "data")
    env["SAFEDUTY_LANG"] = "en"  # messages in failure reports read the same everywhere
    env.pop("SAFEDUTY_DB", None)
    return env


# ---------------------------------------------------------------------------- running


class _Reader(threading.Thread):
    """Collects the child's protocol lines as they come; flags the ones waited for."""

    def __init__(self, stream: io.BufferedReader) -> None:
        super().__init__(daemon=True)
        self.stream = stream
        self.events: list[Event] = []
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)
        self.ended = False

    def run(self) -> None:
        try:
            for raw in self.stream:
                # A line cut off by the kill was never reported whole: it promises nothing.
                if not raw.endswith(b"\n"):
                    continue
                tag, _space, rest = raw.decode("utf-8", "replace").rstrip("\n").partition(" ")
                if tag not in {"ready", "begin", "committed", "failed", "reference"}:
                    continue  # the command line's own output (the demo's summary)
                try:
                    data = json.loads(rest) if rest else {}
                except ValueError:
                    continue
                with self.changed:
                    self.events.append(Event(tag, data))
                    self.changed.notify_all()
        finally:
            with self.changed:
                self.ended = True
                self.changed.notify_all()

    def wait_for(self, tag: str, count: int, timeout: float) -> bool:
        """Until ``count`` events tagged ``tag`` arrived (True) or the output ended (False)."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while sum(1 for e in self.events if e.tag == tag) < count:
                left = deadline - time.monotonic()
                if self.ended or left <= 0:
                    return False
                self.changed.wait(left)
            return True


def kill_hard(process: subprocess.Popen[bytes]) -> bool:
    """kill -9 (TerminateProcess on Windows): no handler, no flush, no atexit runs."""
    if process.poll() is not None:
        return False
    if hasattr(signal, "SIGKILL"):
        # An exited but not yet reaped child is a zombie: killing it is harmless, no race.
        os.kill(process.pid, signal.SIGKILL)
    else:
        process.kill()
    return True


def run_child(
    kind: str,
    workdir: Path,
    seed: int,
    delay: float,
    *,
    flags: Sequence[str] = (),
    after_commits: int = 0,
) -> tuple[list[Event], bool, str]:
    """Start the child, wait for its set-up (and ``after_commits`` commits), sleep, kill.

    Returns the events it reported, whether it was killed (rather than ending by itself),
    and the tail of its stderr.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / "safeduty.sqlite3"
    command = [sys.executable, str(CHILD), kind, str(db), str(workdir), str(seed), *flags]
    with open(workdir / "child-stderr.txt", "wb") as stderr:
        process = subprocess.Popen(
            command, cwd=ROOT, env=child_env(workdir), stdout=subprocess.PIPE, stderr=stderr
        )
        assert process.stdout is not None
        reader = _Reader(process.stdout)  # type: ignore[arg-type]
        reader.start()
        killed = False
        try:
            started = reader.wait_for("ready", 1, SETUP_TIMEOUT)
            if started and after_commits:
                started = reader.wait_for("committed", after_commits, SETUP_TIMEOUT)
            if started:
                time.sleep(delay)
            killed = kill_hard(process)
        finally:
            if process.poll() is None:
                process.kill()  # set-up hung: do not leave it behind
            process.wait()
            reader.join(timeout=30)
            process.stdout.close()
    error = (workdir / "child-stderr.txt").read_text("utf-8", "replace")
    with reader.lock:
        return list(reader.events), killed, error[-2000:]


def run_trial(
    kind: str,
    seed: int,
    base: Path,
    *,
    delay: float | None = None,
    after_commits: int = 0,
    run_check: bool = True,
) -> TrialResult:
    """One trial of ``kind`` in a new folder under ``base``; the result lists every failure.

    The seed fixes the kill delay (unless ``delay`` is given), the child's choices and, for
    the demo, whether the database exists before the demo starts.
    """
    rng = random.Random(f"{kind}:{seed}")
    low, high = DELAYS[kind]
    chosen = rng.uniform(low, high) if delay is None else delay
    flags = []
    if kind == "demo" and rng.random() < 0.5:
        flags.append("fresh")
    if kind in {"import", "demo"} and rng.random() < 0.5:
        flags.append("small-cache")
    result = TrialResult(kind, seed, chosen, base / f"{kind}-{seed}")
    # A new folder every time: a database left by an earlier trial would be checked as this one's.
    result.workdir.mkdir(parents=True)
    start = time.perf_counter()
    events, killed, stderr = run_child(
        kind, result.workdir, seed, chosen, flags=flags, after_commits=after_commits
    )
    result.events, result.killed = events, killed
    result.moment = kill_moment(events, killed)
    if not any(e.tag == "ready" for e in events):
        result.failures.append(f"the child did not finish its set-up:\n{stderr}")
    elif not killed and not (kind == "demo" and any(e.tag == "committed" for e in events)):
        result.failures.append(f"the child stopped by itself before the kill:\n{stderr}")
    else:
        verify_trial(result, run_check=run_check)
    result.seconds = time.perf_counter() - start
    return result


def kill_moment(events: Sequence[Event], killed: bool) -> str:
    """Where the kill landed: inside a unit of work (after its ``begin``) or between units."""
    if not killed:
        return "after the work"
    last = next((e.tag for e in reversed(events) if e.tag in {"ready", "begin", "committed"}), "")
    return "mid-operation" if last == "begin" else "between operations"


# ---------------------------------------------------------------------------- checking


def verify_trial(result: TrialResult, *, run_check: bool = True) -> None:
    """(a)–(d) on a killed child's database and output folder; failures go into ``result``."""
    db = result.db
    if db.exists():
        result.wal_frames, result.wal_uncommitted = wal_frames(db)
        result.failures += integrity_failures(db)
    if result.failures:
        return  # a damaged file makes every later finding noise
    # Imported here: the per-kind checks build on this module (and the child imports this
    # module, which must stay light).
    from crash_records import VERIFIERS

    VERIFIERS[result.kind](result)
    if result.out.exists():
        failures, leftovers = output_failures(result.out, members=ready_of(result).get("members"))
        result.failures += failures
        result.leftovers += leftovers
    if run_check and db.exists():
        result.failures += check_command_failures(db, result.workdir)


def ready_of(result: TrialResult) -> dict[str, Any]:
    return next((e.data for e in result.events if e.tag == "ready"), {})


def committed_of(result: TrialResult, op: str | None = None) -> list[dict[str, Any]]:
    return [e.data for e in result.events if e.tag == "committed" and op in (None, e.data["op"])]


def in_flight_of(result: TrialResult) -> dict[str, Any] | None:
    """The unit of work begun and not reported done when the kill came (None if none)."""
    last = next((e for e in reversed(result.events) if e.tag in {"begin", "committed"}), None)
    return last.data if last is not None and last.tag == "begin" else None


def integrity_failures(db: Path) -> list[str]:
    """(a): opened the ordinary way, so the WAL is recovered first; then the full check."""
    connection = sqlite3.connect(db)
    try:
        problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        dangling = connection.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        connection.close()
    failures = []
    if problems != ["ok"]:
        failures.append("integrity_check: " + "; ".join(map(str, problems[:10])))
    if dangling:
        failures.append(f"foreign_key_check: {dangling[:10]}")
    return failures


def wal_frames(db: Path) -> tuple[int, int]:
    """Frames in the WAL the kill left: (committed, uncommitted), read before any opening.

    Uncommitted frames are pages of a transaction the kill cut off on its way to the disk —
    proof that the kill landed inside a transaction — which recovery must ignore.  Frames
    count only while their salts match the header and their checksums chain (SQLite's own
    rule); frames of an earlier round of the WAL are stale and not counted.
    """
    path = db.with_name(db.name + "-wal")
    try:
        data = path.read_bytes()
    except OSError:
        return 0, 0
    if len(data) < 32:
        return 0, 0
    magic, _version, page_size, _seq, salt1, salt2, sum1, sum2 = struct.unpack(">8I", data[:32])
    if magic not in (0x377F0682, 0x377F0683):
        return 0, 0
    order = ">" if magic & 1 else "<"
    s1, s2 = _wal_checksum(order, data[:24], 0, 0)
    if (s1, s2) != (sum1, sum2):
        return 0, 0
    frame_size = 24 + page_size
    valid = last_commit = 0
    offset = 32
    while offset + frame_size <= len(data):
        header = data[offset : offset + 24]
        _page, commit_size, f_salt1, f_salt2, f_sum1, f_sum2 = struct.unpack(">6I", header)
        if (f_salt1, f_salt2) != (salt1, salt2):
            break
        s1, s2 = _wal_checksum(order, header[:8], s1, s2)
        s1, s2 = _wal_checksum(order, data[offset + 24 : offset + frame_size], s1, s2)
        if (s1, s2) != (f_sum1, f_sum2):
            break
        valid += 1
        if commit_size:
            last_commit = valid
        offset += frame_size
    return last_commit, valid - last_commit


def _wal_checksum(order: str, data: bytes, s1: int, s2: int) -> tuple[int, int]:
    words = struct.unpack(f"{order}{len(data) // 4}I", data)
    for index in range(0, len(words), 2):
        s1 = (s1 + words[index] + s2) & 0xFFFFFFFF
        s2 = (s2 + words[index + 1] + s1) & 0xFFFFFFFF
    return s1, s2


def check_command_failures(db: Path, workdir: Path) -> list[str]:
    """(d): the program's own check, as a clerk (or a script) runs it after a crash."""
    done = subprocess.run(
        [sys.executable, "-m", "app", "--db", str(db), "check"],
        cwd=ROOT,
        env=child_env(workdir),
        capture_output=True,
        timeout=CHECK_TIMEOUT,
    )
    if done.returncode == 0:
        return []
    return [
        f"safeduty check exited {done.returncode}: "
        + done.stderr.decode("utf-8", "replace").strip()[-1500:]
    ]


def table_counts(path: Path) -> dict[str, int]:
    """Rows per table, through a connection of its own (what any reader of the file sees)."""
    with connect(path) as connection:
        names = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            name: int(scalar(connection, f'SELECT COUNT(*) FROM "{name}"'))
            for name in sorted(names)
        }


@contextlib.contextmanager
def connect(db: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(db)
    try:
        yield connection
    finally:
        connection.close()


def scalar(connection: sqlite3.Connection, sql: str, *args: object) -> Any:
    row = connection.execute(sql, args).fetchone()
    return row[0] if row else None


@contextlib.contextmanager
def connect_read_only(path: Path) -> Iterator[sqlite3.Connection]:
    # Read-only: checking a backup must not change it (or leave a journal beside it).
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        yield connection
    finally:
        connection.close()


# -- output files ------------------------------------------------------------------------


def output_failures(folder: Path, *, members: int | None = None) -> tuple[list[str], int]:
    """(c): every file under its real name is whole; returns the failures and the number of
    temporaries left.  ``members``: the rows a roster CSV must have."""
    failures: list[str] = []
    leftovers = 0
    for path in sorted(folder.iterdir()):
        if TEMPORARY.match(path.name):
            leftovers += 1
            continue
        problem = file_problem(path, members=members)
        if problem:
            failures.append(f"{path.name}: {problem}")
    return failures, leftovers


def file_problem(path: Path, *, members: int | None = None) -> str:
    """Why ``path`` is not a whole file of its kind ('' if it is)."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".pdf":
            return _pdf_problem(path)
        if suffix == ".xlsx":
            return _xlsx_problem(path)
        if suffix == ".csv":
            return _csv_problem(path, members)
        if suffix == ".sqlite3":
            return _database_problem(path)
    except Exception as error:  # any failure to read it is the finding
        return f"cannot be read: {type(error).__name__}: {error}"
    return "a file the program should not have written"


def _pdf_problem(path: Path) -> str:
    data = path.read_bytes()
    if not data.startswith(b"%PDF-"):
        return "does not start with %PDF-"
    if not data.rstrip().endswith(b"%%EOF"):
        return "does not end with %%EOF (cut short)"
    try:
        import pypdf
    except ImportError:
        return ""
    # strict: a damaged cross-reference table is an error, not something to repair quietly.
    if not pypdf.PdfReader(io.BytesIO(data), strict=True).pages:
        return "has no pages"
    return ""


def _xlsx_problem(path: Path) -> str:
    import openpyxl

    with zipfile.ZipFile(path) as archive:
        damaged = archive.testzip()
    if damaged:
        return f"member {damaged} is damaged"
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        rows = sum(1 for _row in book.active.iter_rows(values_only=True))
    finally:
        book.close()
    return "" if rows >= 2 else "has no header and rows"


def _csv_problem(path: Path, members: int | None) -> str:
    text = path.read_bytes().decode("utf-8-sig")
    if not text.endswith("\n"):
        return "does not end with a line break (cut short)"
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or "姓名" not in rows[0]:
        return "has no header"
    numbers = [row[0] for row in rows[1:]]
    if numbers != [str(n) for n in range(1, len(numbers) + 1)]:
        return "rows are missing"
    if members is not None and len(numbers) != members:
        return f"{len(numbers)} rows for {members} members"
    return ""


def _database_problem(path: Path) -> str:
    with connect_read_only(path) as connection:
        result = connection.execute("PRAGMA quick_check").fetchall()
        if result != [("ok",)]:
            return f"quick_check: {result[:5]}"
        if connection.execute("SELECT version FROM schema_version").fetchone() is None:
            return "has no schema version"
    return ""
