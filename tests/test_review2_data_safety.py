"""Second review of the data-safety change (the two worker lanes, the read-only window, the
audit check, backups).  Each test states something the program promises (README "Data
safety") that the code does not keep yet: every test here fails on purpose until its defect
is fixed; the docstrings start with "DEFECT:" and say why.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from app.storage.backup import backup_to, backups_folder, default_backup_name, list_backups
from app.storage.models import Person
from ui import tasks
from ui.main_window import MainWindow


def outside(database: Path, *statements: str) -> None:
    """Changes made by another program (a database tool): no triggers, no trail."""
    with sqlite3.connect(database) as connection:
        for statement in statements:
            connection.execute(statement)


def idle(qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: tasks.idle(), timeout=30000)


@pytest.fixture
def window(gui, qtbot):  # type: ignore[no-untyped-def]
    window = MainWindow(remember=False)
    qtbot.addWidget(window)
    return window


def click_restore(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The clerk answers the "found a problem" box with "Restore that backup"; every other
    message box is recorded."""
    said: list[str] = []

    def exec_(box: QMessageBox) -> int:
        said.append(box.text())
        for button in box.buttons():
            if box.buttonRole(button) == QMessageBox.ButtonRole.AcceptRole:
                button.click()
                break
        return 0

    def record(*args, **kwargs):  # type: ignore[no-untyped-def]
        said.append(" | ".join(str(a) for a in args if isinstance(a, str)))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    for name in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(record))
    return said


# ---------------------------------------------------------------------------- the lanes


def test_the_restore_offered_by_the_start_check_is_carried_out(
    window: MainWindow, qtbot, monkeypatch: pytest.MonkeyPatch, fresh_database: Path
) -> None:
    """Found in review: ui/safety.py DataSafety._checked calls offer_backup (and so
    restore_into_window) from inside the check operation's own success callback.
    ui/tasks.py Op._finish removes the operation from ``_active`` only *after* the callback
    returns, so restore_into_window's wait_for_idle(10_000) waits for the very operation
    that is calling it: the window freezes for 10 s and then says "SafeDuty is still
    writing. Try again in a moment." — every time.  The one button the start check offers
    ("Restore that backup") can never work; _check_failed has the same problem.  Fix: let
    Op._finish leave ``_active`` before running the callbacks, or post the offer with
    QTimer.singleShot(0, …) so it runs after the check has finished."""
    import ui.safety
    from ui.safety import DataSafety

    person = Person.create(name="张敏")
    backup_to(backups_folder() / default_backup_name("manual"))
    outside(fresh_database, f"UPDATE person SET name = '王五' WHERE id = {person.id}")
    said = click_restore(monkeypatch)
    restored: list[Path] = []
    monkeypatch.setattr(ui.safety, "restore_from", lambda path: restored.append(path) or path)
    # The real wait, shortened: 10 s or 0.5 s, the check never leaves _active meanwhile.
    real_wait = tasks.wait_for_idle
    monkeypatch.setattr(ui.safety, "wait_for_idle", lambda timeout_ms=0: real_wait(500))
    safety = DataSafety(window, backups=False)
    safety.start()
    qtbot.waitUntil(lambda: len(said) >= 2 or bool(restored), timeout=30000)
    idle(qtbot)
    assert restored, said


def test_a_restore_that_put_things_right_takes_the_finding_out_of_the_banner(
    window: MainWindow, qtbot, monkeypatch: pytest.MonkeyPatch, fresh_database: Path
) -> None:
    """Found in review: after the start check found a change made outside,
    ui/safety.py _checked puts
    "The audit trail shows 1 change not made by SafeDuty…" in the window's banner (key
    "check") and makes the automatic backups stop pruning.  When the clerk then restores the
    good backup (Settings › Data safety, which runs the full check and finds all well),
    restore_into_window only reloads the pages: the banner keeps announcing the problem for
    the rest of the session and no old automatic backup is ever deleted again.  "Check now"
    finding all well does not clear it either.  A restore (and a passed check) should
    clear the "check" note and let DataSafety.auto prune again."""
    import ui.safety
    from ui.safety import DataSafety

    person = Person.create(name="张敏")
    good = backup_to(backups_folder() / default_backup_name("manual")).path
    outside(fresh_database, f"UPDATE person SET name = '王五' WHERE id = {person.id}")
    monkeypatch.setattr(ui.safety, "offer_backup", lambda window, problems, **_found: None)
    safety = DataSafety(window)
    window.safety = safety
    safety.start()
    qtbot.waitUntil(lambda: safety.auto is not None, timeout=10000)
    idle(qtbot)
    assert window.banner.isVisibleTo(window)
    click_restore(monkeypatch)
    assert ui.safety.restore_into_window(window, good)
    assert [p.name for p in Person.select()] == ["张敏"]
    # The restored data is checked as at a start; all well, the note goes.
    idle(qtbot)
    assert not window.banner.isVisibleTo(window), window.banner.text()
    assert safety.auto is not None and safety.auto.prune


# ---------------------------------------------------------------------------- backups


def test_the_automatic_backup_just_taken_survives_a_clock_set_back(tmp_path: Path) -> None:
    """Found in review: app/storage/autobackup.py kept() ranks the automatic backups by the time in
    their names and prune() runs right after AutoBackup.run.  On an office PC whose clock
    went back (a flat CMOS battery resets it at every boot; no network to correct it), the
    copy just written carries an older date than the year of copies already in the folder:
    it is neither among the "newest two" nor the newest of a day, week or month, so prune
    deletes it the moment it was verified, and the status bar still says "Backed up
    automatically".  With the clock behind, no automatic backup of the current data ever
    survives (and AutoBackup.due's `now - last_time` is negative, so none is even taken
    after the start).  The copy just taken must always be kept (e.g. keep it explicitly,
    or rank by file modification time / never let copies dated after `now` take slots)."""
    from app.storage.autobackup import AutoBackup

    Person.create(name="张敏")
    folder = backups_folder()
    template = backup_to(tmp_path / "template.sqlite3").path
    # A year of automatic copies, taken while the clock was right.
    for month in range(1, 13):
        for day in (1, 15):
            when = dt.datetime(2026, month, day, 9, 0)
            shutil.copy(template, folder / default_backup_name("auto", when))
    Person.create(name="李强")  # today's work
    result = AutoBackup().run(dt.datetime(2009, 1, 1, 8, 30))  # the clock reset
    assert result.path.exists(), "the backup just taken was pruned at once"
    assert result.path in {backup.path for backup in list_backups(folder)}


# ---------------------------------------------------------------------------- the checks


def test_the_weekly_check_does_not_report_an_attachment_the_clerk_just_deleted(
    fresh_database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found in review: the weekly full check runs in its own lane (ui/tasks.py CHECKS) *beside* the
    clerk's work — that is the point of the lane — and hashes every attachment again, which
    takes minutes on a few GB of scans.  app/meetings/attachments.py damaged_attachments()
    reads the attachment rows once, then opens each stored file.  When the clerk deletes a
    meeting with a scan (or removes the scan) meanwhile, delete_meeting removes the file
    after its transaction commits, and the check reports "1 attached file is missing or
    has changed": a warning dialog, the banner, and backups no longer pruned — for a change
    the clerk made in SafeDuty.  (backup.py _carry_attachments has the same race: "Not in
    the automatic backup (missing or changed on this computer)".)  A file found missing
    should be checked against the record again (still there?) before it is reported."""
    from app.meetings import attachments
    from app.meetings.attachments import attach
    from app.meetings.service import delete_meeting
    from app.storage.db import database_proxy
    from app.storage.health import check_health
    from app.storage.models import Meeting

    first = Meeting.create(kind="other", held_on=dt.date(2026, 3, 2), title="三月会")
    second = Meeting.create(kind="other", held_on=dt.date(2026, 4, 6), title="四月会")
    for meeting, content in ((first, b"sign-in sheet"), (second, b"photo")):
        scan = tmp_path / f"{meeting.id}.jpg"
        scan.write_bytes(content * 1000)
        attach(meeting.id, scan)

    def clerk_deletes_the_april_meeting() -> None:  # the clerk's lane, its own connection
        database_proxy.connect(reuse_if_open=True)
        try:
            delete_meeting(second.id)
        finally:
            database_proxy.close()

    real_verify = attachments.verify_attachment
    calls: list[int] = []

    def slow_verify(attachment):  # type: ignore[no-untyped-def]
        if not calls:  # while the check is hashing the first scan, the clerk works on
            clerk = threading.Thread(target=clerk_deletes_the_april_meeting)
            clerk.start()
            clerk.join()
        calls.append(attachment.id)
        return real_verify(attachment)

    monkeypatch.setattr(attachments, "verify_attachment", slow_verify)
    report = check_health(full=True)
    assert not Meeting.select().where(Meeting.id == second.id).exists()
    assert report.attachments == [], report.summary()


# ---------------------------------------------------------------------------- wording


@pytest.fixture
def english():  # type: ignore[no-untyped-def]
    from app import i18n

    i18n.set_language("en")
    yield
    i18n.set_language(i18n.DEFAULT_LANGUAGE)


def test_the_failed_backup_note_reads_as_sentences_in_english(
    window: MainWindow, english, qtbot, unwritable_backup_folder: Path
) -> None:
    """Found in review: ui/safety.py _backup_failed writes "The automatic backup failed: {reason}
    Choose a backup folder …" and the reasons (app/storage/backup.py "The backup folder
    {folder} cannot be used: {reason}", app/errors.py os_reason "the disk is full" …) end
    without a full stop.  The banner that stays on top of the window all day when the USB
    stick is not plugged in — the most common case — reads in English: "The automatic
    backup failed: The backup folder E:/备份 cannot be used: the file or its folder does not
    exist Choose a backup folder that can be written in Settings › Data safety."  (The
    Chinese catalog adds the "。" itself; RestoreIncomplete's "{reason} The previous
    content …" has the same run-on.)  End the reason with a full stop when it has none."""
    from ui.safety import DataSafety

    Person.create(name="张敏")
    safety = DataSafety(window)
    safety.start()
    qtbot.waitUntil(lambda: "backup" in window.banner.text().lower(), timeout=10000)
    idle(qtbot)
    text = window.banner.text()
    reason_end = text.index(" Choose a backup folder")
    assert text[reason_end - 1] in ".!?。", text


# ---------------------------------------------------------------------------- read-only window


@pytest.fixture
def read_only_window(gui, qtbot, fresh_database: Path):  # type: ignore[no-untyped-def]
    """The window of a second SafeDuty on a database another one has open (as
    ui/application.run opens it)."""
    from app.demo import create_demo
    from app.storage.db import database_proxy
    from app.storage.migrations import close_database, open_database

    create_demo()
    close_database()
    open_database(str(fresh_database), read_only=True)
    database_proxy.obj.busy_message = "另一个程序正在使用此数据库（张敏）。"
    window = MainWindow(remember=False)
    qtbot.addWidget(window)
    return window


def test_the_read_only_window_does_not_let_the_grid_be_edited(read_only_window) -> None:
    """Found in review: ui/pages/responsibility/grid_tab.py sets GridModel.read_only only for a past
    day (`as_of < today`), never for a database opened read-only.  In the second program's
    window the grid shows its "double-click a cell to set the level" hint, the cells are
    editable and the level editor opens; choosing a level then fails in set_level with
    "attempt to write a readonly database" (an exception out of a model's setData, turned
    into "Cannot finish" by the exception hook).  README: the second program "does not open
    a form that would save" — the in-place editor is one.  GridTab.read_only should also be
    True when the database is read-only."""
    from PySide6.QtCore import Qt

    read_only_window.show_page("responsibility")
    grid = read_only_window.responsibility_page.show_tab("grid")
    model = grid.model
    assert model.rowCount() and model.columnCount()
    index = model.index(0, 0)
    assert not model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert not grid.edit_hint.isVisibleTo(grid)


def test_the_read_only_window_says_so_before_asking_to_delete(
    read_only_window, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found in review: the deletes and moves that do not go through a dialog (a meeting, a duty, a
    rule, a matrix row, "restore the built-in list", moving a group member or a duty) are
    not checked against the read-only database: in the second program's window the clerk is
    first asked "Delete the meeting of …? This cannot be undone.", answers Yes, and only
    then gets an error out of SQLite ("attempt to write a readonly database", shown by the
    exception hook as "Cannot finish").  The window should say it is read-only, as
    ui/dialogs.run_dialog does, before asking anything (or disable these actions)."""
    from app.storage.models import Meeting

    asked: list[str] = []
    told: list[str] = []

    def question(*args, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(" | ".join(str(a) for a in args if isinstance(a, str)))
        return QMessageBox.StandardButton.No

    def information(*args, **kwargs):  # type: ignore[no-untyped-def]
        told.append(" | ".join(str(a) for a in args if isinstance(a, str)))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    monkeypatch.setattr(QMessageBox, "information", staticmethod(information))
    read_only_window.show_page("meetings")
    tab = read_only_window.meetings_page.show_tab("list")
    assert tab.select_row(0)
    meetings = Meeting.select().count()
    tab.delete_meeting()
    assert Meeting.select().count() == meetings
    assert not asked, asked
    assert told and "张敏" in told[0]


def test_no_problem_dialog_pops_up_after_the_window_was_closed(
    window: MainWindow, qtbot, monkeypatch: pytest.MonkeyPatch, fresh_database: Path
) -> None:
    """Found in review: MainWindow.closeEvent does not wait for the checks' lane
    (tasks.busy() counts
    only the clerk's work) and DataSafety.last_backup simply returns while the start check
    is still running (auto is None).  ui/application.run's `finally` then calls
    wait_for_idle(5000), which delivers the check's result: DataSafety._checked runs for a
    window the clerk has closed — with a finding it opens the modal "SafeDuty found a
    problem with the data." box (parented to the hidden window) after the program seemed
    gone, whose "Restore that backup" then hangs 10 s in wait_for_idle (see the first
    test); without one it starts the first automatic backup and the 60 s timer during
    shutdown.  A closed window should take no further part: _checked should do nothing
    (the next start checks again) once the window is closing."""
    import ui.safety
    from ui.safety import DataSafety

    person = Person.create(name="张敏")
    outside(fresh_database, f"UPDATE person SET name = '王五' WHERE id = {person.id}")
    offered: list[list[str]] = []
    monkeypatch.setattr(
        ui.safety, "offer_backup", lambda w, problems, **_found: offered.append(problems)
    )
    window.show()
    safety = DataSafety(window)
    window.safety = safety
    safety.start()
    assert window.close()  # before the check has reported
    assert tasks.wait_for_idle(10000)  # what application.run's `finally` does
    assert not offered
    assert not safety.timer.isActive()
