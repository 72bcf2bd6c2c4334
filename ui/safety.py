"""The window's watch over its data: the checks at start, the automatic backups, and going
back to a backup when something is wrong.

All of it runs in the background after the window has been painted (a start must stay
quick), in a worker lane of its own (ui.tasks.CHECKS), beside the clerk's work rather than in
front of it.  Problems are told calmly, once, with the newest good backup offered, and stay
in the window's banner until a check finds all well again.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.i18n import _, join_names, sentence
from app.storage.autobackup import AutoBackup
from app.storage.backup import (
    BackupFile,
    BackupResult,
    RestoreIncomplete,
    newest_good_backup,
    restore_from,
)
from app.storage.health import HealthReport, check_health, full_check_due
from ui.dialogs import read_only_reason
from ui.errors import show_error
from ui.tasks import CHECKS, Op, wait_for_idle

if TYPE_CHECKING:
    from ui.main_window import MainWindow

CHECK_EVERY_MS = 60_000  # how often "is a backup due?" is asked; cheap: one indexed read


class DataSafety(QObject):
    """Start-up checks and automatic backups for one open database."""

    backup_taken = Signal(object)  # BackupResult
    checked = Signal(object)  # HealthReport

    def __init__(self, window: MainWindow, *, backups: bool = True):
        super().__init__(window)
        self.window = window
        self.auto: AutoBackup | None = None
        self._backups = backups
        self._prune = True  # False while a check has findings: every earlier copy is kept
        self._busy = False
        self._closing = False
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.backup_if_due)

    def start(self) -> None:
        """The checks of a start (quick, or the weekly full one), then the first backup."""
        full = full_check_due()
        Op(None, lambda: check_and_find_backup(full), lane=CHECKS).success(self._checked).failure(
            self._check_failed
        ).run()

    def _checked(self, found: tuple[HealthReport, BackupFile | None]) -> None:
        report, good = found
        if self._closing:
            return  # the window is gone: nobody to tell, nothing to start
        self.checked.emit(report)
        self.report(report)
        if not report.ok:
            # After this operation has finished: a restore chosen in the dialog waits for
            # every operation to finish, this one included.
            QTimer.singleShot(0, lambda: offer_backup(self.window, report.summary(), good=good))

    def report(self, report: HealthReport) -> None:
        """What a check found (at start, or asked for in the settings) decides the banner and
        the backups: a finding stays in sight and keeps every copy; a damaged file is not
        copied over the good backups; all well again clears both."""
        if report.ok:
            self.window.show_banner("", key="check")
        else:
            self.window.show_banner(
                " ".join(report.summary())
                + " "
                + _("Settings › Data safety › Check now shows the details."),
                key="check",
            )
        self._prune = report.ok
        if self.auto is not None:
            self.auto.prune = report.ok
        if report.database or not self._backups:
            self.timer.stop()
            return
        if not self.timer.isActive():
            self.backup_if_due(at_start=True)
            self.timer.start()

    def _check_failed(self, error: BaseException) -> None:
        if self._closing:
            return
        from app.errors import user_message

        message = user_message(error)
        if message is None:
            from ui.errors import report_bug

            report_bug(type(error), error, error.__traceback__, self.window)
            return
        good = find_newest_good_backup()
        QTimer.singleShot(0, lambda: offer_backup(self.window, [message], good=good))

    def backup_if_due(self, at_start: bool = False) -> None:
        if self._busy or self._closing or not self._backups:
            return
        self._busy = True
        prune = self._prune

        def work() -> BackupResult | None:
            # Made here, off the GUI thread: it lists the backup folder (a slow USB stick).
            if self.auto is None:
                self.auto = AutoBackup(prune=prune)
            now = dt.datetime.now()
            return self.auto.run(now) if self.auto.due(now, at_start=at_start) else None

        Op(None, work, lane=CHECKS).success(self._backed_up).failure(self._backup_failed).run()

    def last_backup(self) -> None:
        """On closing: the changes of this session since the last copy, backed up now."""
        self._closing = True
        self.timer.stop()
        if not wait_for_idle(5000):
            return  # a long check still reading: the next start backs up
        auto = self.auto
        if auto is None or not self._backups:
            return
        now = dt.datetime.now()
        try:
            if auto.due(now, at_start=True):
                auto.run(now)
        except Exception as error:  # closing must not fail; the next start backs up
            print(f"SafeDuty: the backup on closing failed: {error}", file=sys.stderr)

    def _backed_up(self, result: BackupResult | None) -> None:
        self._busy = False
        if result is None or self._closing:
            return
        self.window.show_banner(
            _("Not in the automatic backup (missing or changed on this computer): {names}").format(
                names=join_names(result.missing)
            )
            if result.missing
            else "",
            key="backup",
        )
        self.backup_taken.emit(result)
        self.window.show_message(_("Backed up automatically: {file}").format(file=result.path.name))

    def _backup_failed(self, error: BaseException) -> None:
        # A full or missing backup disk must not interrupt the clerk's work every half hour:
        # said in the status bar, and tried again at the next turn.
        self._busy = False
        if self._closing:
            return
        from app.errors import user_message

        message = user_message(error) or str(error)
        # Said where it stays in sight until a backup succeeds again.
        self.window.show_banner(
            _(
                "The automatic backup failed: {reason} Choose a backup folder that can be "
                "written in Settings › Data safety."
            ).format(reason=sentence(message)),
            key="backup",
        )


def check_and_find_backup(full: bool) -> tuple[HealthReport, BackupFile | None]:
    """The checks, and when they find something the backup to offer: both off the GUI thread
    (finding it opens and checks backup files, newest first)."""
    report = check_health(full=full)
    return report, (None if report.ok else find_newest_good_backup())


def find_newest_good_backup() -> BackupFile | None:
    try:
        return newest_good_backup()
    except Exception:  # a broken backup folder must not hide the problem itself
        return None


def offer_backup(window: MainWindow, problems: list[str], *, good: BackupFile | None) -> None:
    """Tell what is wrong and offer ``good``, the newest good backup (None: there is none)."""
    box = QMessageBox(window)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(_("Checking the data"))
    box.setText(_("SafeDuty found a problem with the data."))
    details = "\n".join(problems)
    if read_only_reason():
        # Another program has the database: it alone may restore.
        box.setInformativeText(
            details
            + "\n\n"
            + _("This window is read-only; a restore can be made in the program that has it open.")
        )
        box.addButton(QMessageBox.StandardButton.Ok)
        box.exec()
        return
    if good is None:
        box.setInformativeText(
            details
            + "\n\n"
            + _(
                "There is no backup to go back to. Settings › Data safety "
                "shows the details; keep working carefully and make a backup copy to a USB stick."
            )
        )
        box.addButton(QMessageBox.StandardButton.Ok)
        box.exec()
        return
    box.setInformativeText(
        details
        + "\n\n"
        + _(
            "The newest good backup is from {when}. Restoring it replaces the current data "
            "(which is kept as a backup copy first)."
        ).format(when=good.taken.strftime("%Y-%m-%d %H:%M"))
    )
    restore = box.addButton(_("Restore that backup"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_("Not now"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if box.clickedButton() is restore:
        restore_into_window(window, good.path)


def restore_into_window(window: MainWindow, path: Path) -> bool:
    """Replace the database with a backup and show it; False when it was refused."""
    if not wait_for_idle(10_000):
        QMessageBox.information(
            window,
            _("Restore"),
            _(
                "SafeDuty is still busy with the data (saving, checking or backing up). "
                "Try again in a moment."
            ),
        )
        return False
    # On the GUI thread: the database is closed and opened again under every page.
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        safety = restore_from(path)
    except Exception as error:
        QApplication.restoreOverrideCursor()
        if isinstance(error, RestoreIncomplete):
            window.reload()  # the pages show the backup's data, which is what is there now
        show_error(window, error, _("Cannot restore"))
        return False
    QApplication.restoreOverrideCursor()
    window.reload()
    if window.safety is not None:
        window.safety.start()  # the restored data checked as at a start: the banner follows
    QMessageBox.information(
        window,
        _("Restore"),
        _("The data of {file} is back. What was there before is kept in {copy}.").format(
            file=path.name, copy=safety
        ),
    )
    return True


def describe_backup(backup: BackupFile) -> str:
    return {
        "auto": _("automatic"),
        "manual": _("manual"),
        "before-restore": _("before a restore"),
    }.get(
        backup.reason,
        _("before an upgrade") if backup.reason.startswith("before-upgrade") else backup.reason,
    )


def parent_of(widget: QWidget) -> MainWindow | None:
    from ui.main_window import MainWindow

    window = widget.window()
    return window if isinstance(window, MainWindow) else None
