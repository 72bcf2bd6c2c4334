"""The data-safety tab: where backups go and which there are, backing up and restoring by
hand, checking the data, and the clerk's name the audit trail records."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.config import Settings
from app.i18n import _, join_names
from app.storage.audit import login, set_operator
from app.storage.backup import (
    BackupFile,
    BackupResult,
    backup_to,
    backups_folder,
    default_backup_name,
    default_backups_folder,
    list_backups,
    new_backup_path,
)
from app.storage.db import database_path, database_proxy
from app.storage.health import HealthReport, last_full_check
from ui.errors import show_error
from ui.models.safety_models import BackupTableModel
from ui.safety import check_and_find_backup, offer_backup, parent_of, restore_into_window
from ui.state import last_folder, remember_folder
from ui.tasks import CHECKS, Op
from ui.widgets.cards import WARNING_STYLE, muted
from ui.widgets.tables import record_table

OK_STYLE = "color: #1e6b2e;"


def read_only() -> bool:
    return bool(getattr(database_proxy.obj, "read_only", False))


def same_disk(first: Path, second: Path) -> bool:
    try:
        return os.stat(first).st_dev == os.stat(second).st_dev
    except OSError:
        return False


class DataTab(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.last_report: HealthReport | None = None
        self.last_good: BackupFile | None = None  # found with the report, off the GUI thread

        # Backups
        backups_box = QGroupBox(_("Backups"), self)
        self.folder_edit = QLineEdit(backups_box)
        self.folder_edit.setReadOnly(True)
        self.choose_folder_button = QPushButton(_("Choose…"), backups_box)
        self.choose_folder_button.clicked.connect(self.choose_folder)
        self.default_folder_button = QPushButton(_("Use default"), backups_box)
        self.default_folder_button.clicked.connect(lambda: self.set_folder(None))
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.choose_folder_button)
        folder_row.addWidget(self.default_folder_button)
        self.folder_warning = QLabel(backups_box)
        self.folder_warning.setWordWrap(True)
        self.folder_warning.setStyleSheet(WARNING_STYLE)
        self.folder_warning.hide()
        explanation = muted(
            _(
                "SafeDuty backs up by itself when it starts and every 30 minutes while "
                "changes are made, and keeps the newest copy of each of the last 7 days, "
                "4 weeks and 12 months. Each copy holds the attached files too and is checked "
                "when written."
            ),
            backups_box,
        )
        self.model = BackupTableModel(self)
        self.table = record_table(self.model, 0, backups_box)
        self.table.setSortingEnabled(False)
        self.table.setMinimumHeight(190)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(lambda *_args: self._update_buttons())
        self.table.doubleClicked.connect(lambda _index: self.restore_selected())
        self.backup_now_button = QPushButton(_("Back up now"), backups_box)
        self.backup_now_button.clicked.connect(self.backup_now)
        self.backup_to_button = QPushButton(_("Save a copy to…"), backups_box)
        self.backup_to_button.setToolTip(_("A backup file on a USB stick or another disk"))
        self.backup_to_button.clicked.connect(self.backup_to_file)
        self.restore_button = QPushButton(_("Restore selected…"), backups_box)
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_file_button = QPushButton(_("Restore from a file…"), backups_box)
        self.restore_file_button.clicked.connect(self.restore_from_file)
        self.open_folder_button = QPushButton(_("Open folder"), backups_box)
        self.open_folder_button.clicked.connect(self.open_folder)
        buttons = QHBoxLayout()
        for button in (self.backup_now_button, self.backup_to_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (self.restore_button, self.restore_file_button, self.open_folder_button):
            buttons.addWidget(button)
        backups_layout = QVBoxLayout(backups_box)
        form = QFormLayout()
        form.addRow(_("Backup folder"), folder_row)
        backups_layout.addLayout(form)
        backups_layout.addWidget(self.folder_warning)
        backups_layout.addWidget(explanation)
        backups_layout.addWidget(self.table, 1)
        self.empty_note = muted(
            _(
                "No backups in this folder yet: the first is made when SafeDuty starts, and "
                "“Back up now” makes one at once."
            ),
            backups_box,
        )
        backups_layout.addWidget(self.empty_note)
        backups_layout.addLayout(buttons)

        # Checking
        check_box = QGroupBox(_("Checking the data"), self)
        self.last_check_label = muted("", check_box)
        self.check_button = QPushButton(_("Check now"), check_box)
        self.check_button.clicked.connect(self.check_now)
        self.result_label = QLabel(check_box)
        self.result_label.setWordWrap(True)
        self.offer_button = QPushButton(_("Go back to a backup…"), check_box)
        self.offer_button.clicked.connect(self._offer)
        self.offer_button.hide()
        check_row = QHBoxLayout()
        check_row.addWidget(self.check_button)
        check_row.addWidget(self.last_check_label, 1)
        check_layout = QVBoxLayout(check_box)
        check_layout.addWidget(
            muted(
                _(
                    "The check reads the whole database file, compares every attached file "
                    "with the fingerprint it had when attached, and follows the audit trail's "
                    "chain, so a change made outside SafeDuty is found."
                ),
                check_box,
            )
        )
        check_layout.addLayout(check_row)
        check_layout.addWidget(self.result_label)
        check_layout.addWidget(self.offer_button)

        # Who is working
        operator_box = QGroupBox(_("Your name"), self)
        self.operator_edit = QLineEdit(Settings.load().operator_name, operator_box)
        self.operator_edit.setMaxLength(40)
        self.operator_edit.setPlaceholderText(_("for example 张敏"))
        self.operator_edit.editingFinished.connect(self.save_operator)
        operator_form = QFormLayout(operator_box)
        operator_form.addRow(_("Name"), self.operator_edit)
        operator_form.addRow(
            "",
            muted(
                _(
                    "Recorded with every change in the audit trail, with this computer's "
                    "login ({login}). Useful when several people share one login."
                ).format(login=login()),
                operator_box,
            ),
        )

        # A long list of findings makes the tab taller than the window: it scrolls, and the
        # backup list keeps its height instead of being squeezed under its buttons.
        content = QWidget(self)
        column = QVBoxLayout(content)
        column.setContentsMargins(16, 12, 16, 16)
        column.setSpacing(12)
        column.addWidget(backups_box, 1)
        column.addWidget(check_box)
        column.addWidget(operator_box)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self.refresh()

    # ------------------------------------------------------------------ backups

    def refresh(self) -> None:
        chosen = Settings.load().backup_folder
        try:
            folder = backups_folder()
        except Exception as error:
            folder = Path(chosen) if chosen else default_backups_folder()
            self.folder_warning.setText(str(error))
            self.folder_warning.show()
            self.model.set_rows([])
        else:
            rows = []
            for backup in list_backups(folder):
                try:
                    rows.append((backup, backup.path.stat().st_size))
                except OSError:
                    continue
            self.model.set_rows(rows)
            database = database_path()
            on_same_disk = database is not None and same_disk(folder, database.parent)
            self.folder_warning.setText(
                _(
                    "The backups are on the same disk as the database, so a broken disk "
                    "would take both. Choose a folder on another disk or a USB drive."
                )
                if on_same_disk
                else ""
            )
            self.folder_warning.setVisible(on_same_disk)
        self.folder_edit.setText(str(folder))
        self.folder_edit.setToolTip(str(folder))
        self.default_folder_button.setEnabled(bool(chosen))
        self.table.resizeColumnsToContents()
        self.empty_note.setVisible(self.model.rowCount() == 0)
        last = last_full_check()
        self.last_check_label.setText(
            _("Last full check: {when}").format(when=last.strftime("%Y-%m-%d %H:%M"))
            if last
            else _("No full check yet.")
        )
        self._update_buttons()

    def _update_buttons(self) -> None:
        writable = not read_only()
        self.restore_button.setEnabled(writable and self._selected() is not None)
        self.restore_file_button.setEnabled(writable)

    def _selected(self) -> Path | None:
        rows = self.table.selectionModel().selectedRows()
        row = self.model.row_object(rows[0]) if rows else None
        return row[0].path if row else None

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, _("Choose the backup folder"), last_folder("backups")
        )
        if chosen:
            remember_folder("backups", chosen)
            self.set_folder(chosen)

    def set_folder(self, folder: str | None) -> bool:
        """Use ``folder`` for backups (None: beside the database); one that cannot be
        written is refused."""
        if folder is not None:
            probe = Path(folder)
            try:
                probe.mkdir(parents=True, exist_ok=True)
                test = probe / f".safeduty-write-test-{os.getpid()}"
                test.write_bytes(b"")
                test.unlink()
            except OSError as error:
                show_error(self, error, _("Cannot use this folder"))
                return False
        settings = Settings.load()
        settings.backup_folder = str(Path(folder)) if folder else None
        settings.save()
        self.refresh()
        return True

    def backup_now(self) -> Op:
        def work() -> BackupResult:
            return backup_to(new_backup_path(backups_folder(), "manual"))

        return self._run_backup(work)

    def backup_to_file(self) -> Op | None:
        name = default_backup_name("manual")
        start = str(Path(last_folder("backup-copy")) / name)
        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("Save a backup copy"), start, _("SafeDuty backups (*.sqlite3)")
        )
        if not chosen:
            return None
        remember_folder("backup-copy", chosen)
        target = Path(chosen)
        if target.suffix.lower() != ".sqlite3":
            target = target.with_name(target.name + ".sqlite3")
        return self._run_backup(lambda: backup_to(target))

    def _run_backup(self, work: Callable[[], BackupResult]) -> Op:
        return (
            Op(self, work, label=_("Backing up…"), lane=CHECKS)
            .success(self._backed_up)
            .failure(lambda error: show_error(self, error, _("Cannot back up")))
            .run()
        )

    def _backed_up(self, result: BackupResult) -> None:
        self.refresh()
        text = _("Backup written and checked: {file}").format(file=result.path)
        if result.missing:
            text += "\n\n" + _(
                "These attached files were missing or changed on this computer and are not in "
                "the backup: {names}"
            ).format(names=join_names(result.missing))
        QMessageBox.information(self, _("Backup"), text)

    def restore_selected(self) -> bool:
        path = self._selected()
        return path is not None and not read_only() and self.restore(path)

    def restore_from_file(self) -> bool:
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            _("Restore from a backup file"),
            last_folder("backup-copy"),
            _("SafeDuty backups (*.sqlite3 *.sqlite *.db);;All files (*)"),
        )
        if not chosen:
            return False
        remember_folder("backup-copy", chosen)
        return self.restore(Path(chosen))

    def restore(self, path: Path) -> bool:
        answer = QMessageBox.question(
            self,
            _("Restore"),
            _(
                "Replace all current data with the backup {file}? What is there now is kept "
                "as a backup copy first, so this can be undone."
            ).format(file=path.name),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        window = parent_of(self)
        if window is None:
            return False
        done = restore_into_window(window, path)
        if done:
            window.show_page("settings/data")
        return done

    def open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(self.folder_edit.text()))

    # ------------------------------------------------------------------ checking

    def check_now(self) -> Op:
        self.result_label.setText(_("Checking…"))
        self.result_label.setStyleSheet("")
        self.offer_button.hide()
        return (
            Op(
                self,
                lambda: check_and_find_backup(True),
                label=_("Checking the data…"),
                lane=CHECKS,
            )
            .success(self._checked)
            .failure(lambda error: show_error(self, error, _("Cannot check")))
            .run()
        )

    def _checked(self, found: tuple[HealthReport, BackupFile | None]) -> None:
        report, self.last_good = found
        self.show_report(report)

    def show_report(self, report: HealthReport) -> None:
        self.last_report = report
        window = parent_of(self)
        if window is not None and window.safety is not None:
            window.safety.report(report)  # the banner and the backups follow the result
        if report.ok:
            self.result_label.setText(
                _(
                    "All is well: the database, the attached files and the audit trail "
                    "passed the check ({when})."
                ).format(when=dt.datetime.now().strftime("%H:%M"))
            )
            self.result_label.setStyleSheet(OK_STYLE)
            self.offer_button.hide()
        else:
            details = report.database[:5] + report.attachments[:5] + report.trail[:10]
            self.result_label.setText("\n".join([*report.summary(), "", *details]))
            self.result_label.setStyleSheet(WARNING_STYLE)
            self.offer_button.setVisible(not read_only())
        self.refresh()

    def _offer(self) -> None:
        window = parent_of(self)
        if window is not None and self.last_report is not None:
            offer_backup(window, self.last_report.summary(), good=self.last_good)

    # ------------------------------------------------------------------ operator

    def save_operator(self) -> None:
        name = " ".join(self.operator_edit.text().split())
        settings = Settings.load()
        if settings.operator_name == name:
            return
        settings.operator_name = name
        settings.save()
        set_operator(name)
