"""The QApplication: language, Qt's own translations, a CJK font, and the start of the GUI.

``create_app`` may be called more than once (tests, screenshots): it configures the one
application object the first time and returns it afterwards.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox

from app import __version__
from app.config import APP_NAME, Settings
from app.i18n import _, current_language, language_from_environment, set_language
from app.paths import resource_path
from ui.collector import GuiThreadCollector

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
    from app.storage.errors import StorageError
    from app.storage.migrations import close_database, open_database
    from ui.errors import install_exception_hook
    from ui.main_window import MainWindow

    app = create_app()
    try:
        open_database(db_url)
    except StorageError as error:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            _("Work-Safety Responsibility System"),
            _("The database cannot be opened."),
            QMessageBox.StandardButton.Close,
        )
        box.setInformativeText(str(error))
        box.exec()
        return 1
    install_exception_hook()
    try:
        window = MainWindow()
        window.show()
        return app.exec()
    finally:
        from ui.tasks import wait_for_idle, wait_for_workers

        wait_for_idle(5000)
        wait_for_workers()
        close_database()
