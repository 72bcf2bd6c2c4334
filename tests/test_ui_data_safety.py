"""The data-safety tab, the audit-trail tab and the window's watch over its data, as a clerk
uses them: back up, restore, check, see who changed what."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from app.config import Settings
from app.storage.audit import actor
from app.storage.backup import list_backups
from app.storage.models import AuditEntry, Person
from ui import tasks
from ui.main_window import MainWindow
from ui.safety import DataSafety


@pytest.fixture
def window(gui, qtbot):  # type: ignore[no-untyped-def]
    window = MainWindow(remember=False)
    qtbot.addWidget(window)
    return window


def idle(qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: tasks.idle(), timeout=30000)


def answer(monkeypatch: pytest.MonkeyPatch, name: str, button: QMessageBox.StandardButton):
    said: list[str] = []

    def record(*args, **kwargs):  # type: ignore[no-untyped-def]
        said.append(" | ".join(str(a) for a in args if isinstance(a, str)))
        return button

    monkeypatch.setattr(QMessageBox, name, staticmethod(record))
    return said


def data_tab(window: MainWindow):  # type: ignore[no-untyped-def]
    window.show_page("settings/data")
    return window.settings_page.data


def tamper(database: Path, statement: str) -> None:
    with sqlite3.connect(database) as connection:
        connection.execute(statement)


def test_back_up_now_lists_the_copy_and_it_restores(
    window: MainWindow, qtbot, monkeypatch, fresh_database: Path
) -> None:
    Person.create(name="张敏")
    tab = data_tab(window)
    assert tab.empty_note.isVisibleTo(tab)  # nothing yet, and said so
    said = answer(monkeypatch, "information", QMessageBox.StandardButton.Ok)
    tab.backup_now()
    idle(qtbot)
    assert tab.model.rowCount() == 1 and not tab.empty_note.isVisibleTo(tab)
    backup = tab.model.row_object(tab.model.index(0, 0))[0]
    assert backup.reason == "manual" and backup.path.parent == fresh_database.parent / "backups"
    assert backup.path.name in said[0]

    Person.create(name="李强")
    tab.table.selectRow(0)
    answer(monkeypatch, "question", QMessageBox.StandardButton.Yes)
    assert tab.restore_selected()
    assert [person.name for person in Person.select()] == ["张敏"]
    # The page was built again from the restored data, and what was there is kept.
    fresh = window.settings_page.data
    assert fresh is not tab and window.settings_page.tabs.currentWidget() is fresh
    kinds = {backup.reason for backup in list_backups()}
    assert kinds == {"manual", "before-restore"}
    assert fresh.model.rowCount() == 2


def test_restore_asks_first_and_a_no_changes_nothing(window: MainWindow, monkeypatch) -> None:
    Person.create(name="张敏")
    tab = data_tab(window)
    copy = tab.folder_edit.text()
    answer(monkeypatch, "question", QMessageBox.StandardButton.No)
    assert not tab.restore(Path(copy) / "whatever.sqlite3")
    assert [person.name for person in Person.select()] == ["张敏"]


def test_a_backup_folder_that_cannot_be_written_is_refused(
    window: MainWindow, monkeypatch, tmp_path: Path
) -> None:
    tab = data_tab(window)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    said = answer(monkeypatch, "warning", QMessageBox.StandardButton.Ok)
    assert not tab.set_folder(str(blocker / "backups"))
    assert said and Settings.load().backup_folder is None
    chosen = tmp_path / "second disk"
    assert tab.set_folder(str(chosen))
    assert Settings.load().backup_folder == str(chosen)
    assert tab.folder_edit.text() == str(chosen)
    assert tab.default_folder_button.isEnabled()


def test_check_now_reports_a_change_made_outside(
    window: MainWindow, qtbot, fresh_database: Path
) -> None:
    person = Person.create(name="张敏")
    tab = data_tab(window)
    tab.check_now()
    idle(qtbot)
    assert tab.last_report is not None and tab.last_report.ok
    assert not tab.offer_button.isVisibleTo(tab)
    tamper(fresh_database, f"UPDATE person SET name = '王五' WHERE id = {person.id}")
    tab = data_tab(window)
    tab.check_now()
    idle(qtbot)
    assert tab.last_report is not None and not tab.last_report.ok
    assert f"#{person.id}" in tab.result_label.text()
    assert tab.offer_button.isVisibleTo(tab)


def test_the_clerks_name_goes_into_the_trail(window: MainWindow) -> None:
    tab = data_tab(window)
    tab.operator_edit.setText("  张  敏 ")
    tab.save_operator()
    assert Settings.load().operator_name == "张 敏"
    assert actor().startswith("张 敏 (")
    Person.create(name="李强")
    last = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    assert last.actor.startswith("张 敏 (") and last.action == "insert"


def test_audit_tab_lists_filters_and_shows_before_and_after(window: MainWindow, qtbot) -> None:
    person = Person.create(name="张敏", phone="123")
    person.phone = "456"
    person.save()
    Person.create(name="李强")
    window.show_page("settings/audit")
    tab = window.settings_page.audit
    assert tab.model.total == AuditEntry.select().count()
    # Newest first, and the newest is shown in detail.
    assert tab.model.display(tab.model.row_object(tab.model.index(0, 0)), 4) == "李强"
    tab.search_edit.setText("456")
    tab.refresh()
    assert tab.model.total == 1
    entry = tab.model.row_object(tab.model.index(0, 0))
    assert entry.action == "update"
    tab.show_entry(entry)
    rows = {
        tab.fields.item(row, 0).text(): (
            tab.fields.item(row, 1).text(),
            tab.fields.item(row, 2).text(),
        )
        for row in range(tab.fields.rowCount())
    }
    changed = [row for row in rows.values() if row[0] != row[1]]
    assert changed == [("123", "456")]
    # The history of that record: its insert and its change, nothing else.
    tab.history_button.click()
    assert tab.record == ("person", person.id) and tab.model.total == 2
    assert tab.record_holder.isVisibleTo(tab)
    tab.all_button.click()
    assert tab.record is None and tab.model.total == 1  # the search still applies
    tab.search_edit.setText("")
    tab.refresh()
    tab.action_combo.setCurrentIndex(tab.action_combo.findData("update"))
    assert tab.model.total == 1


def test_audit_period_filters(window: MainWindow) -> None:
    Person.create(name="张敏")
    window.show_page("settings/audit")
    tab = window.settings_page.audit
    everything = tab.model.total
    tab.period_combo.setCurrentIndex(tab.period_combo.findData("today"))
    assert tab.model.total == everything
    tab.period_combo.setCurrentIndex(tab.period_combo.findData("custom"))
    assert tab.since_edit.isVisibleTo(tab)
    tab.since_edit.setDate(dt.date.today() + dt.timedelta(days=1))
    tab.until_edit.setDate(dt.date.today() + dt.timedelta(days=2))
    assert tab.model.total == 0
    tab.until_edit.setDate(dt.date.today())
    assert tab.model.rowCount() == 0 and tab.count_label.text()


def test_audit_export(window: MainWindow, qtbot, monkeypatch, tmp_path: Path) -> None:
    Person.create(name="=HYPERLINK(1)")
    window.show_page("settings/audit")
    tab = window.settings_page.audit
    target = tmp_path / "trail"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    said = answer(monkeypatch, "information", QMessageBox.StandardButton.Ok)
    tab.export()
    idle(qtbot)
    written = target.with_name("trail.xlsx")
    sheet = openpyxl.load_workbook(written).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "编号"
    assert len(rows) - 2 == AuditEntry.select().count()
    assert any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row) is False
    assert "=HYPERLINK(1)" in [row[7] for row in rows[2:]]
    assert str(written) in said[0]


def test_start_backs_up_once_and_not_again_without_changes(
    window: MainWindow, qtbot, fresh_database: Path
) -> None:
    Person.create(name="张敏")
    safety = DataSafety(window)
    safety.start()
    idle(qtbot)
    qtbot.waitUntil(lambda: not safety._busy, timeout=10000)
    autos = [b for b in list_backups() if b.reason == "auto"]
    assert len(autos) == 1
    safety.backup_if_due()
    idle(qtbot)
    qtbot.waitUntil(lambda: not safety._busy, timeout=10000)
    assert len([b for b in list_backups() if b.reason == "auto"]) == 1
    assert safety.timer.isActive()
    # Closing after a change backs the change up.
    Person.create(name="李强")
    safety.last_backup()
    assert not safety.timer.isActive()
    newest = next(b for b in list_backups() if b.reason == "auto")
    with sqlite3.connect(newest.path) as copy:
        names = {name for (name,) in copy.execute("SELECT name FROM person")}
    assert names == {"张敏", "李强"}


def test_start_offers_the_newest_good_backup_when_the_check_fails(
    window: MainWindow, qtbot, monkeypatch, fresh_database: Path
) -> None:
    person = Person.create(name="张敏")
    safety = DataSafety(window)
    safety.start()
    idle(qtbot)
    qtbot.waitUntil(lambda: not safety._busy, timeout=10000)
    tamper(fresh_database, f"DELETE FROM person WHERE id = {person.id}")
    offered: list[list[str]] = []
    monkeypatch.setattr(
        "ui.safety.offer_backup", lambda w, problems, **_found: offered.append(problems)
    )
    second = DataSafety(window)
    second.start()
    idle(qtbot)
    qtbot.waitUntil(lambda: bool(offered), timeout=10000)
    assert offered[0]
    # A finding in the trail (the file itself is sound): backups go on, none is deleted, and
    # the finding stays in sight after the dialog.
    assert second.auto is not None and not second.auto.prune
    assert window.banner.isVisibleTo(window) and "设置" in window.banner.text()


def test_the_banner_and_a_reload(window: MainWindow) -> None:
    assert not window.banner.isVisibleTo(window)
    window.show_banner("只读")
    assert window.banner.isVisibleTo(window) and window.banner.text() == "只读"
    window.show_page("roster")
    roster = window.roster_page
    window.reload()
    assert window.current_page() == "roster" and window.roster_page is not roster


def test_a_database_too_damaged_to_open_is_replaced_by_its_newest_good_backup(
    gui, monkeypatch, fresh_database: Path
) -> None:
    from app.storage.backup import backup_to, backups_folder, default_backup_name
    from app.storage.migrations import close_database
    from ui import application

    Person.create(name="张敏")
    backup_to(backups_folder() / default_backup_name("auto"))
    close_database()
    fresh_database.write_bytes(b"this is not a database" * 200)
    asked: list[str] = []
    monkeypatch.setattr(
        application, "_ask_to_replace", lambda reason, good: asked.append(reason) or True
    )
    assert application._open_or_recover(str(fresh_database), fresh_database, read_only=False)
    assert asked and [person.name for person in Person.select()] == ["张敏"]
    damaged = list(fresh_database.parent.glob("t-damaged-*.sqlite3"))
    assert len(damaged) == 1 and damaged[0].read_bytes().startswith(b"this is not")
    assert AuditEntry.select().order_by(AuditEntry.id.desc()).first().action == "restore"


def test_a_damaged_database_without_a_backup_is_not_opened(
    gui, monkeypatch, fresh_database: Path
) -> None:
    from app.storage.migrations import close_database
    from ui import application

    close_database()
    fresh_database.write_bytes(b"garbage" * 1000)
    told: list[str] = []
    monkeypatch.setattr(application, "_cannot_open", told.append)
    assert not application._open_or_recover(str(fresh_database), fresh_database, read_only=False)
    assert told and fresh_database.read_bytes().startswith(b"garbage")


def test_a_failing_automatic_backup_stays_in_sight_until_one_succeeds(
    window: MainWindow, qtbot, unwritable_backup_folder: Path
) -> None:
    Person.create(name="张敏")
    blocker = unwritable_backup_folder
    safety = DataSafety(window)
    safety.start()
    idle(qtbot)
    qtbot.waitUntil(lambda: window.banner.isVisibleTo(window), timeout=10000)
    assert str(blocker) in window.banner.text()
    window.show_banner("只读", key="start")
    settings = Settings.load()
    settings.backup_folder = None
    settings.save()
    safety.backup_if_due(at_start=True)
    idle(qtbot)
    qtbot.waitUntil(lambda: not safety._busy, timeout=10000)
    assert window.banner.text() == "只读"  # the other notes stay
    assert [b.reason for b in list_backups()] == ["auto"]


def test_the_checks_run_beside_the_clerks_work_not_in_front_of_it(gui, qtbot) -> None:
    import threading

    from ui.tasks import CHECKS, Op

    release = threading.Event()
    Op(None, lambda: release.wait(10), lane=CHECKS, uses_database=False).run()
    assert not tasks.busy() and not tasks.idle()  # closing the window does not wait for it
    done: list[str] = []
    Op(None, lambda: "saved", uses_database=False).success(done.append).run()
    # The clerk's work finishes while the long check is still reading.
    qtbot.waitUntil(lambda: done == ["saved"], timeout=5000)
    assert not tasks.idle()
    release.set()
    qtbot.waitUntil(tasks.idle, timeout=5000)


def test_a_read_only_window_says_so_before_a_form_is_filled_in(
    gui, qtbot, monkeypatch, fresh_database: Path
) -> None:
    from PySide6.QtWidgets import QDialog

    from app.storage.migrations import close_database, open_database
    from ui import dialogs

    Person.create(name="张敏")
    close_database()
    open_database(str(fresh_database), read_only=True)
    from app.storage.db import database_proxy

    database_proxy.obj.busy_message = "另一个程序正在使用此数据库（张敏）。"
    window = MainWindow(remember=False)
    qtbot.addWidget(window)
    window.show_page("roster")
    opened: list[QDialog] = []
    monkeypatch.setattr(QDialog, "exec", lambda self: opened.append(self) or 0)
    said = answer(monkeypatch, "information", QMessageBox.StandardButton.Ok)
    window.roster_page.add_member()
    assert not opened and "张敏" in said[0]
    # Choosing whose duty card to print changes nothing: that form opens.
    from ui.dialogs.assign_dialog import ChoosePersonDialog

    chooser = ChoosePersonDialog(window, title="", intro="", candidates=[], ok_text="")
    chooser.changes_data = False
    dialogs.run_dialog(chooser)
    assert opened == [chooser]
    assert Person.select().count() == 1


def test_a_person_chooser_with_nobody_suggested_opens(gui, qtbot) -> None:
    # Found while testing the read-only window: with nobody suggested the chooser ticked
    # "show everyone" before its count line existed, and failed to open.
    from ui.dialogs.assign_dialog import ChoosePersonDialog

    dialog = ChoosePersonDialog(None, title="", intro="", candidates=[], ok_text="")
    qtbot.addWidget(dialog)
    assert dialog.chooser.everyone_check.isChecked()
    assert dialog.chooser.count_label.text()


def test_the_window_says_once_when_it_has_first_been_painted(gui, qtbot) -> None:
    window = MainWindow(remember=False)
    qtbot.addWidget(window)
    seen: list[bool] = []
    window.first_painted.connect(lambda: seen.append(True))
    window.show()
    qtbot.waitUntil(lambda: seen == [True], timeout=5000)
    window.repaint()
    window.show_page("roster")
    qtbot.wait(50)
    assert seen == [True]


def test_a_window_never_painted_still_starts_its_background_work(gui, qtbot, monkeypatch) -> None:
    from ui import main_window

    monkeypatch.setattr(main_window, "FIRST_PAINT_FALLBACK_MS", 50)
    window = MainWindow(remember=False)
    qtbot.addWidget(window)
    window.brand_label.removeEventFilter(window)  # as if never painted (started minimised)
    seen: list[bool] = []
    window.first_painted.connect(lambda: seen.append(True))
    window.show()
    qtbot.waitUntil(lambda: seen == [True], timeout=3000)
