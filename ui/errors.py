"""Errors in the GUI, sorted by whose fault they are (qutebrowser's way).

What the user can act on (a full disk, a locked database, a bad spreadsheet, an unreadable
file) gets a calm message in their language.  Anything else is a bug: a calm dialog says so,
offers the traceback under "details" and writes it to a crash log; it never lands only on a
console nobody reads.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.errors import user_message, write_crash_log
from app.i18n import _

_showing = False


def show_error(parent: QWidget | None, error: BaseException, title: str | None = None) -> None:
    """Show any error the right way: a calm warning, or the bug report dialog."""
    message = user_message(error)
    if message is None:
        report_bug(type(error), error, error.__traceback__, parent)
        return
    QMessageBox.warning(parent, title or _("Cannot finish"), message)


def report_bug(
    kind: type[BaseException],
    error: BaseException,
    tb: TracebackType | None,
    parent: QWidget | None = None,
) -> Path | None:
    """Write the crash log and tell the user calmly; returns the log's path."""
    global _showing
    details = "".join(traceback.format_exception(kind, error, tb))
    log = write_crash_log(details)
    # Also on stderr, for whoever started the program from a terminal.
    print(details, file=sys.stderr)
    if _showing or QApplication.instance() is None:
        return log
    _showing = True
    try:
        box = QMessageBox(parent or QApplication.activeWindow())
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(_("Internal error"))
        box.setText(
            _(
                "Something went wrong inside the program. What you saved before is safe; "
                "the last action may not have finished."
            )
        )
        if log is not None:
            box.setInformativeText(
                _("A report was written to {path}. Please send it to your support.").format(
                    path=log
                )
            )
        box.setDetailedText(details)
        box.setStandardButtons(QMessageBox.StandardButton.Close)
        box.exec()
    finally:
        _showing = False
    return log


def _hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        QApplication.quit()
        return
    message = user_message(error)
    if message is not None and QApplication.instance() is not None:
        QMessageBox.warning(QApplication.activeWindow(), _("Cannot finish"), message)
        return
    report_bug(kind, error, tb)


def install_exception_hook() -> None:
    """Errors escaping a slot or an event handler reach the user as a dialog and a log."""
    sys.excepthook = _hook
