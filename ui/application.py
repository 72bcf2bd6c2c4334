"""The QApplication: language, Qt's own translations, a CJK font, and the start of the GUI.

``create_app`` may be called more than once (tests, screenshots): it configures the one
application object the first time and returns it afterwards.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox

from app import __version__
from app.config import APP_NAME, Settings
from app.i18n import _, current_language, language_from_environment, set_language
from app.paths import resource_path
from ui.collector import GuiThreadCollector

if TYPE_CHECKING:
    from app.storage.backup import BackupFile
    from app.storage.lock import DatabaseLock
    from ui.main_window import MainWindow

ORGANISATION = "SafeDuty"
BUNDLED_CJK_FONT = "DroidSansFallbackFull.ttf"
_CONFIGURED = "safeduty_configured"

# Kept alive for the life of the process: Qt does not own installed translators.
_translators: list[QTranslator] = []


def create_app(argv: Sequence[str] | None = None) -> QApplication:
    """The configured application object, created on the first call."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(list(argv) if argv is not None else sys.argv[:1])
    assert isinstance(app, QApplication)
    if app.property(_CONFIGURED):
        return app
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationVersion(__version__)
    language = set_language(language_from_environment(Settings.load().language))
    _apply_language(app, language)
    ensure_cjk_font(app)
    # Kept by its parent, the application, for the life of the process.
    GuiThreadCollector(app)
    app.setProperty(_CONFIGURED, True)
    return app


def qt_locale(language: str | None = None) -> QLocale:
    code = language or current_language()
    if code.startswith("zh"):
        return QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


def _apply_language(app: QApplication, language: str) -> None:
    QLocale.setDefault(qt_locale(language))
    if not language.startswith("zh"):
        return
    # Qt's own dialogs (file dialogs, OK/Cancel, the calendar) in Chinese.
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if translator.load("qtbase_zh_CN", folder):
        QCoreApplication.installTranslator(translator)
        _translators.append(translator)


# Sans-serif Chinese families that read well on screen, best first.  A system with only
# Song/Kai fonts (or none) gets the shipped Droid Sans Fallback instead.
SCREEN_CJK_FAMILIES = (
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
)


def chinese_families() -> list[str]:
    return list(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))


def has_chinese_font() -> bool:
    return bool(chinese_families())


def ensure_cjk_font(app: QApplication) -> str | None:
    """Make Chinese text show in a screen font; returns the fallback family put in place.

    The system's own family stays first (for Latin text); when it cannot write Chinese, a
    sans-serif Chinese family goes behind it: an installed one, else the shipped one.
    """
    installed = chinese_families()
    font = QFont(app.font())
    if font.family() in installed:
        return None
    family = next((name for name in SCREEN_CJK_FAMILIES if name in installed), None)
    if family is None:
        font_id = QFontDatabase.addApplicationFont(str(resource_path("fonts", BUNDLED_CJK_FONT)))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if not families:
            return None
        family = families[0]
    font.setFamilies([font.family(), family])
    app.setFont(font)
    return family


def run(db_url: str) -> int:
    """Open the database, show the main window and run the event loop; the exit status."""
    from app.storage.audit import set_operator, set_source
    from app.storage.db import database_proxy, sqlite_path_from_url
    from app.storage.location import on_network_share
    from app.storage.lock import in_use_message, lock_for
    from app.storage.migrations import close_database
    from ui.errors import install_exception_hook
    from ui.main_window import MainWindow

    app = create_app()
    set_operator(Settings.load().operator_name)
    set_source("gui")
    path = sqlite_path_from_url(db_url)
    lock = lock_for(path, create=True)
    # One program per database: a second one only reads.
    # The holder's note (a synced file) is written after the first paint, with the checks.
    read_only = lock is not None and not lock.acquire("gui", wait_for_commands=30, note=False)
    try:
        if not _open_or_recover(db_url, path, read_only=read_only):
            return 1
        install_exception_hook()
        window = MainWindow()
        notes = []
        if read_only and lock is not None:
            database_proxy.obj.busy_message = in_use_message(lock)
            notes.append(
                _("{busy} This window only shows and prints; nothing can be changed here.").format(
                    busy=database_proxy.obj.busy_message
                )
            )
        if path is not None and on_network_share(path):
            from app.cli import network_share_warning

            notes.append(network_share_warning())
        window.show_banner("\n".join(notes))
        # After the first paint: the checks and the first backup never delay the window.
        window.first_painted.connect(
            lambda: _watch_over_the_data(window, lock, backups=not read_only)
        )
        window.show()
        return app.exec()
    finally:
        from ui.tasks import wait_for_idle, wait_for_workers

        wait_for_idle(5000)
        wait_for_workers()
        close_database()
        if lock is not None:
            lock.release()


def _watch_over_the_data(window: MainWindow, lock: DatabaseLock | None, *, backups: bool) -> None:
    # Imported here: the checks and backups are not needed to show the window.
    from ui.safety import DataSafety

    if lock is not None:
        lock.write_note()
    window.safety = DataSafety(window, backups=backups)
    window.safety.start()


def _open_or_recover(db_url: str, path: Path | None, *, read_only: bool) -> bool:
    """Open the database; one too damaged to open can be replaced by its newest good backup."""
    from app.storage.backup import newest_good_backup, recover_damaged
    from app.storage.errors import DatabaseDamagedError, StorageError
    from app.storage.migrations import open_database

    try:
        open_database(db_url, read_only=read_only)
        return True
    except DatabaseDamagedError as error:
        good = None if read_only or path is None else _newest_good(newest_good_backup)
        if good is None:
            _cannot_open(str(error))
            return False
        if path is None or not _ask_to_replace(str(error), good):
            return False
        try:
            recover_damaged(db_url, path, good.path)
        except StorageError as again:
            _cannot_open(str(again))
            return False
        return True
    except StorageError as error:
        _cannot_open(str(error))
        return False


def _ask_to_replace(reason: str, good: BackupFile) -> bool:
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        _("Work-Safety Responsibility System"),
        _("The database is damaged and cannot be opened."),
    )
    box.setInformativeText(
        reason
        + "\n\n"
        + _(
            "The newest good backup is from {when}. Put it in the damaged file's place? "
            "The damaged file is kept beside it."
        ).format(when=good.taken.strftime("%Y-%m-%d %H:%M"))
    )
    use = box.addButton(_("Restore that backup"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.exec()
    return box.clickedButton() is use


def _newest_good(find: Callable[[], BackupFile | None]) -> BackupFile | None:
    from app.storage.errors import StorageError

    try:
        return find()
    except StorageError:
        return None


def _cannot_open(reason: str) -> None:
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        _("Work-Safety Responsibility System"),
        _("The database cannot be opened."),
        QMessageBox.StandardButton.Close,
    )
    box.setInformativeText(reason)
    box.exec()
