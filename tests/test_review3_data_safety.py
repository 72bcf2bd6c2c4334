"""Third review of the data-safety change: the lock that is now SQLite's own (65b8e85), the
holder's note written after the first paint, and the texts of the data-safety features.
Each test states something the program promises (README "Data safety": "One program per
database … a second one opens the database read-only, says whose it is") that the code does
not keep yet: every test here fails on purpose until its defect is fixed; the docstrings
start with "DEFECT:" and say why.
"""

from __future__ import annotations

import csv
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.storage import audit
from app.storage.lock import DatabaseLock, in_use_message
from app.storage.migrations import close_database, open_database
from app.storage.models import Person

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def database(tmp_path: Path) -> Path:
    """A closed database file in an office folder: a file another program may hold."""
    path = tmp_path / "office" / "safeduty.sqlite3"
    open_database(str(path))
    Person.create(name="张三", phone="1")
    close_database()
    return path


def child_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["SAFEDUTY_CONFIG_DIR"] = str(tmp_path / "child-config")
    env["SAFEDUTY_DATA_DIR"] = str(tmp_path / "child-data")
    return env


# ---------------------------------------------------------------------------- the lock


def test_a_lock_file_that_is_not_a_sqlite_file_still_keeps_a_second_program_out(
    database: Path,
) -> None:
    """Found in review:
    app/storage/lock.py acquire() treats every sqlite3.Error but "locked"/"busy" as
    "a folder where no lock file can be made: nothing to guard" and returns True without
    holding anything.  A lock file beside the database that is not a SQLite file — a few
    bytes left by an older version's lock library, a sync tool's or an antivirus' leftover, a
    file someone typed into — makes BEGIN EXCLUSIVE fail with "file is not a database", so
    *every* program gets True: two windows both write, silently, for as long as that file is
    there (nothing ever repairs it).  (A zero-byte leftover is fine: it is an empty database.)
    Fix: when the lock file is not a database, truncate it in place (same inode, so two
    programs doing it at once still meet on one lock) and take the lock again; and let
    ``acquire`` return True without holding only for a folder that really cannot be
    written."""
    lock_path = database.with_name(database.name + ".lock")
    lock_path.write_text("12345\n", encoding="utf-8")
    first, second = DatabaseLock(database), DatabaseLock(database)
    try:
        assert first.acquire() and first.held, "the first program holds nothing"
        assert not second.acquire(), "a second program also gets write access"
    finally:
        first.release()
        second.release()


UNPRIVILEGED = (
    [
        "setpriv",
        "--bounding-set=-dac_override,-dac_read_search",
        "--inh-caps=-dac_override,-dac_read_search",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0
    else []
)


@pytest.mark.skipif(sys.platform == "win32", reason="file modes")
@pytest.mark.skipif(
    bool(UNPRIVILEGED) and shutil.which("setpriv") is None,
    reason="root ignores file modes; setpriv is needed to drop that",
)
def test_a_read_only_lock_file_still_keeps_a_second_program_out(
    database: Path, tmp_path: Path
) -> None:
    """Found in review:
    app/storage/lock.py _take() opens the lock file with a plain sqlite3.connect,
    which falls back to read-only when the file cannot be opened for writing.  BEGIN
    EXCLUSIVE on a read-only (empty) file then *succeeds* but takes only a SHARED lock
    (/proc/locks shows a READ lock on the shared range; nothing is ever written, so SQLite
    never says "readonly").  Every program gets "held": two windows both write.  A lock file
    left read-only — created by another login in a shared folder (umask 022), copied with the
    read-only attribute, a folder's files all set read-only and the database set back — is
    enough.  Fix: open it with ``sqlite3.connect(f"file:{path}?mode=rwc", uri=True)`` (no
    read-only fallback: the error is then seen), and for a lock file that exists but cannot be
    written, replace it (the folder is writable) or refuse to write."""
    lock_path = database.with_name(database.name + ".lock")
    lock_path.write_bytes(b"")
    lock_path.chmod(0o444)
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from app.storage.lock import DatabaseLock
        first, second = DatabaseLock(Path({str(database)!r})), DatabaseLock(Path({str(database)!r}))
        print(first.acquire(), first.held, second.acquire(), second.held)
        """
    )
    done = subprocess.run(
        [*UNPRIVILEGED, sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=child_env(tmp_path),
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    first_got, first_held, second_got, _ = done.stdout.split()
    assert first_got == "True" and first_held == "True"
    assert second_got == "False", "with a read-only lock file both programs hold the lock"


@pytest.fixture
def killed_command_line_run(database: Path, tmp_path: Path) -> Iterator[Path]:
    """A command-line run of 李四 that was killed (kill -9): its holder's note stays."""
    script = textwrap.dedent(
        f"""
        import time
        from pathlib import Path
        from app.storage import audit
        from app.storage.lock import DatabaseLock
        audit.set_operator("李四")
        lock = DatabaseLock(Path({str(database)!r}))
        print(lock.acquire("cli"), flush=True)
        time.sleep(600)
        """
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=child_env(tmp_path),
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "True"
        child.send_signal(signal.SIGKILL if hasattr(signal, "SIGKILL") else signal.SIGTERM)
        child.wait(30)
        note = database.with_name(database.name + ".in-use")
        assert note.exists()  # nothing could remove it
        yield database
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        if child.stdout is not None:
            child.stdout.close()


def test_a_stale_holder_note_is_not_taken_for_the_window_that_holds_the_lock(
    killed_command_line_run: Path,
) -> None:
    """Found in review:
    app/storage/lock.py acquire(note=False) (ui/application.py run()) takes the lock
    but leaves the note of the previous holder in place until the window's first paint
    (never, while the window stays minimised).  When that previous holder was killed, the
    note is stale, and a second program reads it as the current holder: a command-line run
    says "Another SafeDuty has this database open: 李四 (…), since <days ago>." — the wrong
    person — and when the stale note says "cli", a second window waits the full 30 s (no
    window on screen meanwhile) for a command that is not running, then opens read-only
    naming the wrong person anyway.  Fix: remove any note in ``acquire`` when ``note`` is
    False (an unlink, no sync: cheap), or write it at once; and/or have ``holder()`` ignore a
    note whose pid is not running on this computer."""
    database = killed_command_line_run
    audit.set_operator("张敏")
    window = DatabaseLock(database)
    second = DatabaseLock(database)
    try:
        assert window.acquire("gui", wait_for_commands=30, note=False)
        started = time.monotonic()
        assert not second.acquire("gui", wait_for_commands=3)
        waited = time.monotonic() - started
        message = in_use_message(second)
        assert "李四" not in message, f"names a program that was killed: {message}"
        assert waited < 1.5, f"waited {waited:.1f} s for a command-line run that is gone"
    finally:
        second.release()
        window.release()
        audit.set_operator("")


# ---------------------------------------------------------------------------- wording


def scramble_the_second_half(path: Path) -> None:
    """Pages damaged on the disk (a failing sector): every fifth byte of the second half of
    the file's pages overwritten.  The file still opens; integrity_check finds the damage."""
    import random

    connection = sqlite3.connect(path)
    try:
        size = connection.execute("PRAGMA page_size").fetchone()[0]
        count = connection.execute("PRAGMA page_count").fetchone()[0]
    finally:
        connection.close()
    data = bytearray(path.read_bytes())
    scramble = random.Random(1)
    for page in range(count // 2, count):
        for at in range(page * size + 8, (page + 1) * size, 5):
            data[at] = scramble.randrange(256)
    path.write_bytes(bytes(data))


def test_a_damaged_database_is_told_in_one_sentence_not_in_sqlite_s_hundred_lines(
    fresh_database: Path,
) -> None:
    """Found in review:
    app/storage/health.py HealthReport.summary() puts ``self.database[0]`` into
    "The database file is damaged ({problem})." — but PRAGMA integrity_check/quick_check
    return all their findings as ONE row of up to 100 newline-separated lines ("*** in
    database main ***\\nPage 8: free space corruption\\nOn tree page 5 cell 35: …").  The
    "calm sentence" becomes a 100-line parenthesis: the start-up banner (ui/safety.py
    report(): summary joined into show_banner) grows taller than the window and pushes the
    pages out of sight (seen rendered offscreen: 1280×800, only the banner visible; in
    Chinese it reads "数据库文件已损坏（*** in database main ***\\nOn tree page 179 …"),
    the offer_backup dialog and ``safeduty check`` (which also prints the same blob first, so
    it appears twice) likewise — in both languages.  Fix: split the rows on newlines in
    quick_problems()/integrity_problems(), drop the "*** in database main ***" heading, and
    name only the first finding (and how many more) in the sentence."""
    from app.storage.health import check_health

    for number in range(300):
        Person.create(name=f"人员{number}", phone=str(number), notes="备注" * 80)
    close_database()
    scramble_the_second_half(fresh_database)
    open_database(str(fresh_database))
    report = check_health(full=True)
    assert not report.ok
    for line in report.summary():
        assert "\n" not in line and len(line) < 300, f"{len(line.splitlines())} lines: {line!r}"


def test_the_audit_export_is_in_one_language(tmp_path: Path) -> None:
    """Found in review:
    app/audit/trail.py EXPORT_COLUMNS and the title are fixed Chinese ("编号, 时间,
    操作人 …", "操作记录（审计追踪）") while every cell is in the program's language: in
    English the export reads "编号,时间,操作人,来源,操作,记录类型 …" over "Added, Follow-up
    item, Number：212" — Chinese headers over English values, and English field lines
    joined with the full-width "：" (values_text).  (The roster export, an interchange file,
    is Chinese throughout, headers and values alike.)  Fix: translate the headers and the
    title like the cells (or keep the whole export Chinese), and use ": " in English."""
    from app import i18n
    from app.audit.trail import export_trail

    Person.create(name="张三", phone="1")
    out = tmp_path / "trail.csv"
    i18n.set_language("en")
    try:
        export_trail(out)
    finally:
        i18n.set_language(i18n.DEFAULT_LANGUAGE)
    with out.open(encoding="utf-8-sig", newline="") as fp:
        rows = list(csv.reader(fp))
    header, first = rows[0], rows[1]
    action = first[header.index("操作")] if "操作" in header else ""
    assert not (header[0] == "编号" and action.isascii()), (header, first)
    assert "：" not in first[-1], first[-1]
