"""One program per database: the lock, what a second program may still do (read, copy out)
and what it is refused (any change, with the holder's name); a killed holder leaves no
stale lock; a database on a network share is recognised and warned about.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cli import main
from app.config import Settings
from app.storage import audit
from app.storage.location import NETWORK_FILE_SYSTEMS, linux_file_system, on_network_share
from app.storage.lock import DatabaseLock, in_use_message
from app.storage.migrations import close_database, open_database

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def database(tmp_path: Path) -> Path:
    """A database with a few records (but no township yet: ``demo`` would fill it), closed:
    a file another program may hold."""
    import datetime as dt

    from app.storage.models import Meeting

    path = tmp_path / "office" / "safeduty.sqlite3"
    open_database(str(path))
    Meeting.create(kind="other", held_on=dt.date(2026, 3, 1), title="三月例会")
    Meeting.create(kind="other", held_on=dt.date(2026, 4, 1), title="四月例会")
    close_database()
    return path


def contents(path: Path) -> tuple[list[tuple[object, ...]], int, str]:
    connection = sqlite3.connect(path)
    try:
        records = connection.execute("SELECT * FROM meeting ORDER BY id").fetchall()
        records += connection.execute("SELECT * FROM person ORDER BY id").fetchall()
        count, last = connection.execute(
            "SELECT COUNT(*), (SELECT hash FROM audit_entry ORDER BY id DESC LIMIT 1)"
            " FROM audit_entry"
        ).fetchone()
    finally:
        connection.close()
    return records, count, last


@pytest.fixture
def held(database: Path) -> Iterator[DatabaseLock]:
    """Another SafeDuty (of the clerk 张敏) has the database open."""
    audit.set_operator("张敏")
    lock = DatabaseLock(database)
    assert lock.acquire()
    audit.set_operator("")
    yield lock
    lock.release()


# ---------------------------------------------------------------------------- the lock


def test_a_second_lock_fails_while_the_first_is_held(database: Path) -> None:
    audit.set_operator("张敏")
    first = DatabaseLock(database)
    assert first.acquire() and first.held
    # Another lock object on the same file (another fd) cannot have it, even in-process.
    second = DatabaseLock(database)
    assert not second.acquire() and not second.held
    holder = second.holder()
    assert holder is not None
    assert holder.who == f"张敏 ({audit.login_name()})"
    assert holder.pid == os.getpid()
    assert holder.since.startswith(time.strftime("%Y-%m-%d"))
    assert "张敏" in in_use_message(second) and "张敏" in holder.describe()
    # Released: the note goes, and the next program gets it.
    first.release()
    assert not first.held and not first.note_path.exists()
    assert second.acquire()
    second.release()


def test_release_without_holding_is_harmless_and_never_frees_another_s_lock(
    database: Path,
) -> None:
    first = DatabaseLock(database)
    assert first.acquire()
    second = DatabaseLock(database)
    assert not second.acquire()
    second.release()  # never had it
    assert first.note_path.exists()
    assert not DatabaseLock(database).acquire()
    first.release()
    first.release()
    assert DatabaseLock(database).acquire()


def test_without_a_note_the_message_still_says_the_database_is_in_use(database: Path) -> None:
    first = DatabaseLock(database)
    assert first.acquire()
    first.note_path.unlink()
    second = DatabaseLock(database)
    assert not second.acquire()
    assert second.holder() is None
    assert in_use_message(second)
    first.note_path.write_text("{not json", encoding="utf-8")
    assert second.holder() is None
    first.release()


CHILD = """
import sys, time
from pathlib import Path
from app.storage import audit
from app.storage.lock import DatabaseLock
audit.set_operator("王五")
lock = DatabaseLock(Path(sys.argv[1]))
print("held" if lock.acquire() else "refused", flush=True)
time.sleep(120)
"""


def test_a_lock_of_a_killed_program_is_free_again(database: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(database)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "held"
        ours = DatabaseLock(database)
        assert not ours.acquire()
        holder = ours.holder()
        assert holder is not None and holder.pid == child.pid and "王五" in holder.who
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
        # No stale lock for the clerk to delete by hand: the OS let go of it.
        assert ours.acquire()
        holder = ours.holder()
        assert holder is not None and holder.pid == os.getpid()
        ours.release()
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(10)
        if child.stdout is not None:
            child.stdout.close()


# ---------------------------------------------------------------------------- the CLI


def run(database: Path, *words: str) -> int:
    return main(["--db", str(database), *words])


def one_line(err: str) -> str:
    text = err.strip()
    assert text and "\n" not in text, err
    assert "Traceback" not in err
    return text


def test_a_held_database_can_still_be_read(
    held: DatabaseLock, database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = contents(database)
    assert run(database, "roster", "list", "--format", "json") == 0
    assert '"members"' in capsys.readouterr().out
    assert run(database, "audit", "list", "--record", "meeting", "--format", "json") == 0
    assert "三月例会" in capsys.readouterr().out
    assert contents(database) == before
    assert held.held and held.note_path.exists()  # the holder's lock and note untouched


def test_a_held_database_refuses_changes_naming_the_holder(
    held: DatabaseLock, database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = contents(database)
    assert run(database, "demo") == 1
    captured = capsys.readouterr()
    assert "张敏" in one_line(captured.err)
    assert contents(database) == before


def test_a_held_database_can_be_backed_up_but_not_restored(
    held: DatabaseLock, database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "copy.sqlite3"
    assert run(database, "backup", str(copy)) == 0
    capsys.readouterr()
    assert contents(copy)[0] == contents(database)[0]
    before = contents(database)
    assert run(database, "restore", str(copy)) == 1
    assert "张敏" in one_line(capsys.readouterr().err)
    assert contents(database) == before
    assert not (database.parent / "backups").exists()  # not even the copy before restoring


def test_a_held_database_is_checked_without_writing(
    held: DatabaseLock, database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = contents(database)
    assert run(database, "check") == 0
    assert capsys.readouterr().err == ""
    assert contents(database) == before
    connection = sqlite3.connect(database)
    try:
        notes = connection.execute(
            "SELECT COUNT(*) FROM housekeeping WHERE key != 'database_id'"
        ).fetchone()[0]
    finally:
        connection.close()
    assert notes == 0  # the passed check is not noted in a file another program has open


def test_a_command_takes_the_lock_and_gives_it_back(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(database, "roster", "list") == 0
    lock = DatabaseLock(database)
    assert lock.acquire()  # released at the end of the command
    lock.release()
    assert not lock.note_path.exists()


def test_a_holder_in_another_process_is_named_by_a_command_in_this_one(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(database)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "held"
        before = contents(database)
        assert run(database, "demo") == 1
        assert "王五" in one_line(capsys.readouterr().err)
        assert run(database, "roster", "list") == 0
        assert contents(database) == before
    finally:
        child.kill()
        child.wait(10)
        if child.stdout is not None:
            child.stdout.close()


def test_a_second_program_as_a_separate_process_is_refused(
    held: DatabaseLock, database: Path, tmp_path: Path
) -> None:
    before = contents(database)
    env = {
        **os.environ,
        "SAFEDUTY_CONFIG_DIR": str(tmp_path / "config2"),
        "SAFEDUTY_DATA_DIR": str(tmp_path / "data2"),
        "SAFEDUTY_LANG": "zh_CN",
        "QT_QPA_PLATFORM": "offscreen",
    }
    result = subprocess.run(
        [sys.executable, "-m", "app", "--db", str(database), "demo"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "张敏" in one_line(result.stderr)
    assert contents(database) == before


def test_a_database_on_a_network_share_is_warned_about(
    database: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.storage import location

    seen: list[Path] = []

    def on_share(path: Path) -> bool:
        seen.append(path)
        return True

    monkeypatch.setattr(location, "on_network_share", on_share)
    assert run(database, "roster", "list") == 0
    captured = capsys.readouterr()
    assert one_line(captured.err)
    assert captured.out  # the command still ran
    assert seen == [database]
    monkeypatch.setattr(location, "on_network_share", lambda path: False)
    assert run(database, "roster", "list") == 0
    assert capsys.readouterr().err == ""


def test_settings_operator_name_is_the_holder_a_second_program_sees(
    database: Path, tmp_path: Path
) -> None:
    Settings(operator_name="赵六").save()
    # A command holds the lock while it runs: look from inside it.
    from app.storage import lock as lock_module

    seen: list[str] = []
    real_acquire = lock_module.DatabaseLock.acquire

    def acquire_then_look(self: DatabaseLock) -> bool:
        got = real_acquire(self)
        other = DatabaseLock(self.database)
        seen.append(in_use_message(other) if not real_acquire(other) else "")
        return got

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(lock_module.DatabaseLock, "acquire", acquire_then_look)
        assert run(database, "roster", "list") == 0
    assert seen and "赵六" in seen[0]


# ---------------------------------------------------------------------------- network shares

MOUNTINFO = r"""
22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro
23 22 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw
30 22 8:2 / /home rw,relatime shared:2 - ext4 /dev/sda2 rw
40 30 0:50 / /home/clerk/share rw,relatime shared:30 - nfs4 srv:/export rw,vers=4.2
41 30 0:51 / /home/clerk/share2 rw,relatime shared:31 - cifs //srv/office rw,vers=3.0
42 22 0:52 / /mnt/my\040office rw,relatime shared:32 - fuse.sshfs clerk@srv:/data rw
43 40 8:3 / /home/clerk/share/local rw,relatime shared:33 - ext4 /dev/sdb1 rw
44 22 0:53 / /media/usb rw,relatime - vfat /dev/sdc1 rw
45 44 0:54 / /media/usb rw,relatime - smb3 //srv/over rw
46 22 0:55 / /srv/tab\011name rw master:7 shared:40 - 9p tag rw
"""


@pytest.mark.parametrize(
    "path, kind",
    [
        ("/", "ext4"),
        ("/etc/hosts", "ext4"),
        ("/home/clerk/db.sqlite3", "ext4"),
        ("/home/clerk/share", "nfs4"),
        ("/home/clerk/share/安全/db.sqlite3", "nfs4"),
        ("/home/clerk/share2/db.sqlite3", "cifs"),  # not inside ".../share"
        ("/home/clerk/sharex/db.sqlite3", "ext4"),
        ("/home/clerk/share/local/db.sqlite3", "ext4"),  # a disk mounted inside the share
        ("/mnt/my office/db.sqlite3", "fuse.sshfs"),  # "\040" is a space
        ("/mnt/my\\040office/db.sqlite3", "ext4"),  # ... not the four characters
        ("/media/usb/db.sqlite3", "smb3"),  # mounted over: the later mount is what is seen
        ("/srv/tab\tname/x", "9p"),
        ("/proc/self", "proc"),
    ],
)
def test_the_file_system_of_a_path_is_its_longest_mount_point(path: str, kind: str) -> None:
    assert linux_file_system(Path(path), MOUNTINFO) == kind


def test_mountinfo_oddities_do_not_break_the_lookup() -> None:
    assert linux_file_system(Path("/x"), "") is None
    assert linux_file_system(Path("/x"), "garbage line\n\n1 2 3\n") is None
    assert linux_file_system(Path("/x"), "1 2 3:4 / / rw -") is None  # no type after " - "


def test_network_file_systems_include_the_common_ones() -> None:
    assert {"nfs", "nfs4", "cifs", "smb3", "fuse.sshfs"} <= NETWORK_FILE_SYSTEMS
    assert not {"ext4", "xfs", "btrfs", "vfat", "ntfs", "tmpfs"} & NETWORK_FILE_SYSTEMS


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/self/mountinfo")
def test_a_local_folder_is_not_a_network_share(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert on_network_share(tmp_path) is False
    assert on_network_share(tmp_path / "not-yet" / "db.sqlite3") is False
    # With the system's mount table saying otherwise, it is.
    real_read = Path.read_text
    fake = f"1 0 0:1 / / rw - ext4 /dev/x rw\n2 1 0:2 / {tmp_path} rw - nfs4 srv:/x rw\n"

    def read_text(self: Path, *args: object, **kwargs: object) -> str:
        if str(self) == "/proc/self/mountinfo":
            return fake
        return real_read(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "read_text", read_text)
    assert on_network_share(tmp_path / "db.sqlite3") is True
    assert on_network_share(tmp_path.parent / "elsewhere.sqlite3") is False


def test_a_window_waits_briefly_for_a_command_line_run_but_not_for_another_window(
    tmp_path: Path,
) -> None:
    import threading

    database = tmp_path / "x.sqlite3"
    database.write_bytes(b"")
    command = DatabaseLock(database)
    assert command.acquire("cli")
    threading.Timer(0.4, command.release).start()  # a nightly backup finishing
    window = DatabaseLock(database)
    started = time.monotonic()
    assert window.acquire("gui", wait_for_commands=10)
    assert 0.3 < time.monotonic() - started < 5
    holder = window.holder()
    assert holder is not None and holder.program == "gui"
    # Another window holding it: the second one does not wait, it opens read-only at once.
    second = DatabaseLock(database)
    started = time.monotonic()
    assert not second.acquire("gui", wait_for_commands=10)
    assert time.monotonic() - started < 1
    window.release()


def test_an_import_into_a_held_database_is_refused_before_its_plan_is_shown(
    held: DatabaseLock, database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roster = tmp_path / "名册.csv"
    roster.write_text("姓名,小组职务,职务\n王五,成员,副镇长\n", encoding="utf-8")
    before = contents(database)
    assert run(database, "roster", "import", str(roster)) == 1
    captured = capsys.readouterr()
    assert captured.out == ""  # no plan that would read as if it had been applied
    assert "张敏" in one_line(captured.err)
    # A dry run only reads: it still shows what the file would change.
    assert run(database, "roster", "import", str(roster), "--dry-run") == 0
    assert capsys.readouterr().out
    assert contents(database) == before
