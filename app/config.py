"""Per-user settings shared by the GUI and the command line (language, print fonts, database).

Window geometry and similar Qt-only state stay in QSettings inside ui/; what the command line
also needs lives here, as a small JSON file in the user's config folder.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from platformdirs import user_config_dir, user_data_dir

from app.fileio import write_text_atomic

APP_NAME = "SafeDuty"
DB_ENV = "SAFEDUTY_DB"
CONFIG_ENV = "SAFEDUTY_CONFIG_DIR"
DATA_ENV = "SAFEDUTY_DATA_DIR"


def config_dir() -> Path:
    return Path(os.environ.get(CONFIG_ENV) or user_config_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    return Path(os.environ.get(DATA_ENV) or user_data_dir(APP_NAME, appauthor=False))


def default_database_path() -> Path:
    """The embedded default database: needs no set-up, lives in the per-user data folder."""
    return data_dir() / "safeduty.sqlite3"


def resolve_database(cli_value: str | None) -> str:
    """--db, else $SAFEDUTY_DB, else the per-user default (as DESIGN.md fixes)."""
    return cli_value or os.environ.get(DB_ENV) or str(default_database_path())


@dataclass
class Settings:
    language: str | None = None
    # Font files chosen by the user for prints, by role: body, title, heading1, heading2.
    print_fonts: dict[str, str] = field(default_factory=dict)
    # Where automatic backups go (a second disk); None: "backups" beside the database.
    backup_folder: str | None = None
    # The clerk's name, entered with every change in the audit trail (offices often share
    # one computer login).
    operator_name: str = ""

    @classmethod
    def load(cls) -> Settings:
        path = config_dir() / "settings.json"
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(raw, dict):
            return cls()
        known = {key: raw[key] for key in cls.__dataclass_fields__ if key in raw}
        try:
            return cls(**known)
        except TypeError:
            return cls()

    def save(self) -> None:
        path = config_dir() / "settings.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, json.dumps(asdict(self), ensure_ascii=False, indent=2))
