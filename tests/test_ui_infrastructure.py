"""The GUI's plumbing: the application object, background operations, errors, settings."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QThread
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QMessageBox, QWidget

from app.config import Settings, data_dir
from app.paths import resource_path
from app.roster import service
from app.roster.roles import GroupRole
from app.roster.service import MemberInput, RosterError
from app.storage.errors import StorageError
from app.storage.models import Person
from ui import application, errors, tasks
from ui.pages.settings.general_tab import GeneralTab
from ui.tasks import Op

# ---------------------------------------------------------------------------- application


def test_create_app_is_idempotent_and_chinese_by_default(gui) -> None:
    assert application.create_app() is gui
    assert application.create_app() is QApplication.instance()
    assert gui.applicationName() == "SafeDuty"
    assert QLocale().language() == QLocale.Language.Chinese
    # Qt's own dialogs speak Chinese.
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    assert box.buttons()[0].text() == "取消"


def test_chinese_text_has_a_font(gui) -> None:
    from PySide6.QtGui import QFontDatabase, QFontMetrics

    assert application.has_chinese_font()
    # Every character of a typical roster line has a glyph in the font chain in use.
    metrics = QFontMetrics(gui.font())
    for char in "安全生产领导小组闫旻":
        assert metrics.inFontUcs4(ord(char)) or QFontDatabase.families(
            QFontDatabase.WritingSystem.SimplifiedChinese
        )


def test_bundled_cjk_font_is_registered_when_the_system_has_none(gui, monkeypatch) -> None:
    monkeypatch.setattr(application, "chinese_families", lambda: [])
    before = gui.font()
    try:
        family = application.ensure_cjk_font(gui)
        assert family == "Droid Sans Fallback"
        assert gui.font().families()[-1] == family
    finally:
        gui.setFont(before)
    assert resource_path("fonts", application.BUNDLED_CJK_FONT).is_file()


def test_run_refuses_a_bad_database_calmly(gui, monkeypatch, tmp_path: Path) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.informativeText()))
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"this is not a database at all" * 100)
    assert application.run(str(bad)) == 1
    assert shown and str(bad) in shown[0]


def test_run_opens_the_database_and_shows_the_main_window(gui, monkeypatch, tmp_path) -> None:
    from ui.main_window import MainWindow

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    shown: list[str] = []

    def fake_exec(app) -> int:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.isVisible():
                shown.append(widget.windowTitle())
        return 0

    monkeypatch.setattr(QApplication, "exec", fake_exec)
    assert application.run(str(tmp_path / "new.sqlite3")) == 0
    assert len(shown) == 1 and shown[0]
    assert sys.excepthook is errors._hook
    assert (tmp_path / "new.sqlite3").is_file()


# ---------------------------------------------------------------------------- operations


def test_op_runs_off_the_gui_thread_and_reports_back_on_it(gui, qtbot) -> None:
    service.add_member(MemberInput(name="周建国", role=GroupRole.LEADER), service_day())
    gui_thread = threading.get_ident()
    seen: dict[str, object] = {}

    def work() -> list[str]:
        seen["worker"] = threading.get_ident()
        return [p.name for p in Person.select()]  # its own database connection

    def done(result: list[str]) -> None:
        seen["result"] = result
        seen["callback"] = threading.get_ident()

    op = Op(None, work).success(done)
    with qtbot.waitSignal(op.finished, timeout=5000):
        op.run()
    assert seen["result"] == ["周建国"]
    assert seen["worker"] != gui_thread
    assert seen["callback"] == gui_thread
    assert not tasks.busy()


def test_op_failure_reaches_the_failure_callback(gui, qtbot) -> None:
    failures: list[BaseException] = []

    def boom() -> None:
        raise RosterError({"name": "nope"})

    op = Op(None, boom, uses_database=False).success(lambda _r: None).failure(failures.append)
    with qtbot.waitSignal(op.finished, timeout=5000):
        op.run()
    assert isinstance(failures[0], RosterError)
    with pytest.raises(RuntimeError):
        op.run()


def test_op_writes_are_serialised_on_one_worker(gui, qtbot) -> None:
    threads: set[int] = set()

    def write(number: int) -> None:
        threads.add(threading.get_ident())
        service.add_member(MemberInput(name=f"成员{number}", role=GroupRole.MEMBER), service_day())

    ops = [Op(None, lambda n=n: write(n)).run() for n in range(5)]
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=10000)
    assert all(not op.running for op in ops)
    assert len(threads) == 1
    assert Person.select().count() == 5


def test_slow_work_shows_a_progress_dialog_quick_work_does_not(gui, qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    quick = Op(parent, lambda: 1, uses_database=False, label="quick").run()
    qtbot.waitUntil(lambda: not quick.running, timeout=5000)
    qtbot.wait(tasks.PROGRESS_DELAY_MS + 100)
    assert quick._progress is None
    slow = Op(
        parent,
        lambda: QThread.msleep(tasks.PROGRESS_DELAY_MS + 500),
        uses_database=False,
        label="slow",
    ).run()
    qtbot.waitUntil(lambda: slow._progress is not None, timeout=5000)
    assert slow._progress.labelText() == "slow"
    qtbot.waitUntil(lambda: not slow.running, timeout=5000)
    assert slow._progress is None


def test_result_for_a_closed_widget_is_dropped(gui, qtbot) -> None:
    parent = QWidget()
    called: list[object] = []
    op = Op(parent, lambda: QThread.msleep(100), uses_database=False).success(called.append)
    op.run()
    parent.deleteLater()
    QCoreApplication.processEvents()
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=5000)
    assert called == []


def service_day():
    import datetime as dt

    return dt.date(2025, 1, 1)


# ---------------------------------------------------------------------------- errors


def test_a_bug_gets_a_calm_dialog_with_details_and_a_crash_log(gui, monkeypatch, capsys) -> None:
    boxes: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: boxes.append(box) or 0)
    try:
        raise ZeroDivisionError("bug")
    except ZeroDivisionError:
        kind, error, tb = sys.exc_info()
    errors._hook(kind, error, tb)
    assert len(boxes) == 1
    box = boxes[0]
    assert "ZeroDivisionError" in box.detailedText()
    assert "Traceback" not in box.text()
    logs = list((data_dir() / "logs").glob("crash-*.log"))
    assert len(logs) == 1 and "ZeroDivisionError" in logs[0].read_text(encoding="utf-8")


def test_a_users_problem_gets_a_plain_message(gui, monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda p, t, m: shown.append(m)))
    errors.show_error(None, StorageError("The disk is full"))
    errors.show_error(None, FileNotFoundError(2, "No such file", "/nowhere.xlsx"))
    assert shown[0] == "The disk is full"
    assert "/nowhere.xlsx" in shown[1]
    assert not (data_dir() / "logs").exists()


def test_install_exception_hook(gui, monkeypatch) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    errors.install_exception_hook()
    assert sys.excepthook is errors._hook


# ---------------------------------------------------------------------------- settings page


@pytest.fixture
def settings_page(gui, qtbot) -> GeneralTab:
    page = GeneralTab()
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=20000)
    return page


def test_language_choice_is_saved(settings_page: GeneralTab) -> None:
    combo = settings_page.language_combo
    assert combo.currentData() == "zh_CN"
    combo.setCurrentIndex(combo.findData("en"))
    assert Settings.load().language == "en"
    assert settings_page.language_note.text()


def test_fonts_in_use_are_shown(settings_page: GeneralTab) -> None:
    for row in settings_page.font_rows.values():
        assert ".tt" in row.in_use.text()
        assert not row.default_button.isEnabled()


def test_a_font_file_that_cannot_print_is_refused(settings_page: GeneralTab, tmp_path) -> None:
    bad = tmp_path / "broken.ttf"
    bad.write_bytes(b"OTTO" + b"\0" * 100)  # PostScript outlines: reportlab cannot embed them
    assert not settings_page.set_font("body", str(bad))
    assert settings_page.font_rows["body"].error.text()
    assert Settings.load().print_fonts == {}


def test_a_font_file_is_chosen_and_reset(settings_page: GeneralTab, monkeypatch, qtbot) -> None:
    font = resource_path("fonts", "gkai00mp.ttf")
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(font), ""))
    )
    settings_page.font_rows["title"].choose_button.click()
    assert Settings.load().print_fonts == {"title": str(font)}
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=20000)
    row = settings_page.font_rows["title"]
    assert row.path_edit.text() == str(font)
    assert "gkai00mp.ttf" in row.in_use.text()
    row.default_button.click()
    assert Settings.load().print_fonts == {}
    assert row.path_edit.text() == ""


def test_database_location_is_shown(settings_page: GeneralTab, fresh_database: Path) -> None:
    assert settings_page.database_edit.text() == str(fresh_database)
    assert settings_page.database_edit.isReadOnly()
    assert settings_page.open_folder_button.isEnabled()


def test_cycles_are_collected_on_the_gui_thread_only(gui) -> None:
    import gc

    from ui.collector import GuiThreadCollector

    # Automatic collection would run in whichever thread allocates, workers included.
    assert not gc.isenabled()
    collectors = gui.findChildren(GuiThreadCollector)
    assert len(collectors) == 1
    gc.collect()
    keep = [[] for _ in range(gc.get_threshold()[0] + 10)]  # containers count as allocations
    assert gc.get_count()[0] > gc.get_threshold()[0]
    collectors[0].collect_if_due()
    assert gc.get_count()[0] < gc.get_threshold()[0]
    assert len(keep) > 0


def test_qt_calls_leave_the_reference_count_of_none_alone(gui) -> None:
    """A binding that drops a reference to None per call aborts the program after a few
    thousand calls on Python before 3.12 (PySide6 6.12.0 did): pyproject.toml excludes it."""
    import sys

    from PySide6.QtWidgets import QLabel

    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(200):
        label.setText("安全")
        label.setEnabled(True)
    assert sys.getrefcount(None) >= before - 20
