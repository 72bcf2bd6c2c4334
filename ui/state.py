"""What the GUI remembers between runs: window layout, last page, last folders.

An INI file in the program's config folder (never the registry), so tests and portable
installs stay isolated by ``SAFEDUTY_CONFIG_DIR``.  Settings the command line needs too
(language, print fonts) live in app.config.Settings instead.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from app.config import config_dir

STATE_FILE = "window-state.ini"


def ui_settings() -> QSettings:
    return QSettings(str(config_dir() / STATE_FILE), QSettings.Format.IniFormat)


def last_folder(kind: str) -> str:
    """The folder last used for ``kind`` (import, export, print), else the home folder."""
    value = ui_settings().value(f"folders/{kind}", "", type=str)
    if value and Path(value).is_dir():
        return str(value)
    return str(Path.home())


def remember_folder(kind: str, file_path: str | Path) -> None:
    settings = ui_settings()
    settings.setValue(f"folders/{kind}", str(Path(file_path).parent))
    settings.sync()
