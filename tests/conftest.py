"""Shared test set-up: offscreen Qt, Chinese by default, and nothing touches the user's files.

Every test gets a fresh temporary database (Vorta's autouse ``init_db`` fixture does the same)
and its own config and data folders, so settings, window state, crash logs and backups written
during a test land in ``tmp_path``.
"""

from __future__ import annotations

import atexit
import gc
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# Before anything creates a QApplication: no display is needed, and the default language.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("SAFEDUTY_LANG", "zh_CN")
# A fallback for code that runs at import time, before any fixture; each test gets its own.
_SESSION_DIR = Path(tempfile.mkdtemp(prefix="safeduty-tests-"))
atexit.register(shutil.rmtree, _SESSION_DIR, ignore_errors=True)
os.environ["SAFEDUTY_CONFIG_DIR"] = str(_SESSION_DIR / "config")
os.environ["SAFEDUTY_DATA_DIR"] = str(_SESSION_DIR / "data")


@pytest.fixture(autouse=True)
def fresh_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A new, empty database for every test; private config and data folders."""
    from app.storage import audit
    from app.storage.migrations import close_database, open_database

    # Who and through what, as the audit trail records them: nobody named, no command.
    audit.set_operator("")
    audit.set_source("")
    monkeypatch.setenv("SAFEDUTY_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("SAFEDUTY_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SAFEDUTY_DB", raising=False)
    path = tmp_path / "t.sqlite3"
    open_database(str(path))
    try:
        yield path
    finally:
        close_database()
        audit.set_operator("")
        audit.set_source("")


@pytest.fixture
def gui(qapp, monkeypatch):  # type: ignore[no-untyped-def]
    """The configured QApplication (language, Qt translations, CJK font) for GUI tests.

    A message box nobody expected would wait forever for a click offscreen: here it is
    recorded instead and fails the test, so a broken test fails fast rather than hanging.
    Tests that expect a message box replace these stand-ins with their own.
    """
    from PySide6.QtWidgets import QMessageBox

    from ui.application import create_app

    unexpected: list[str] = []

    def record(*args, **kwargs):  # type: ignore[no-untyped-def]
        texts = [str(a) for a in args if isinstance(a, str)]
        unexpected.append(" | ".join(texts))
        return QMessageBox.StandardButton.No

    for name in ("warning", "critical", "information", "question"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(record))
    monkeypatch.setattr(QMessageBox, "exec", lambda self: record(self.text()))

    app = create_app()
    yield app
    assert not unexpected, f"unexpected message boxes: {unexpected}"
    # Background work of one test must not run into the next test's database.
    from ui.tasks import wait_for_idle

    assert wait_for_idle(10000), "background work still running at the end of the test"
    # Widgets of this test left in reference cycles die here, on the GUI thread, and not
    # inside some later test's worker thread (automatic collection is off in the GUI).
    gc.collect()


@pytest.fixture
def unwritable_backup_folder(tmp_path: Path) -> Path:
    """Backups set to go where no folder can be made (a file is in the way, as when a USB
    stick's letter now belongs to something else); the blocking file."""
    from app.config import Settings

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings = Settings.load()
    settings.backup_folder = str(blocker / "backups")
    settings.save()
    return blocker
