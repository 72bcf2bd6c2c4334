"""Render GUI pages to PNG offscreen (``safeduty screenshot``): README images, visual checks.

The database is already open when this runs; nothing is remembered from or for the user's
own window layout.
"""

from __future__ import annotations

import os
from pathlib import Path

from app.fileio import atomic_path


def render_pages(targets: dict[str, Path], size: tuple[int, int] = (1280, 800)) -> list[Path]:
    """Render each page named in ``targets`` to its PNG file; the files written."""
    # Before Qt is loaded: no display needed unless the caller chose a platform.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication

    from app.i18n import _
    from app.storage.db import database_path
    from ui.application import create_app
    from ui.main_window import MainWindow
    from ui.tasks import wait_for_idle

    create_app()
    window = MainWindow(remember=False)
    # Pictures are shared (the README): they name the database file, not where it lies.
    path = database_path()
    if path is not None:
        window.database_label.setText(_("Database: {path}").format(path=path.name))
    window.resize(*size)
    window.show()
    written: list[Path] = []
    try:
        for key in targets:
            if key.partition("/")[0] not in window.pages:
                raise ValueError(_("Unknown page: {page}").format(page=key))
        for key, out in targets.items():
            window.show_page(key)
            wait_for_idle(10000)
            # A first rendering paints the page, which is when pages finish work they defer
            # until they are on screen (the home page's checks); the second one is kept.
            window.grab()
            for _round in range(3):
                QCoreApplication.processEvents()
            wait_for_idle(10000)
            image = window.grab()
            target = Path(out)
            with atomic_path(target) as tmp:
                if not image.save(str(tmp), "PNG"):
                    raise OSError(_("Cannot write the image {file}").format(file=target))
            written.append(target)
    finally:
        window.close()
        window.deleteLater()
        QCoreApplication.processEvents()
    return written
