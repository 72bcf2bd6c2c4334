"""Dialogs: member edits, hand-overs, import previews, problems.

Pages open a modal dialog through ``run_dialog`` so that tests can stand in for the user
(fill the fields, press OK) without a nested event loop.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from app.i18n import _
from app.storage.db import database_proxy


def read_only_reason() -> str:
    """Why nothing can be saved now ("" when it can): another SafeDuty has the database."""
    database = database_proxy.obj
    if database is None or not getattr(database, "read_only", False):
        return ""
    return getattr(database, "busy_message", "") or _("The database is open read-only.")


def refuse_if_read_only(parent: QWidget | None) -> bool:
    """Before a change (a delete, a move, a switch): True, having told the clerk why, when
    the database is read-only; False when the change may go ahead."""
    reason = read_only_reason()
    if not reason:
        return False
    QMessageBox.information(
        parent,
        _("Read only"),
        _("{busy} This window only shows and prints; nothing can be changed here.").format(
            busy=reason
        ),
    )
    return True


def run_dialog(dialog: QDialog) -> int:
    """Show ``dialog`` modally; its result code.

    A dialog that would change data (``changes_data``) is not opened while the database is
    read-only: the clerk is told why before typing anything that could not be saved.
    """
    if getattr(dialog, "changes_data", False) and refuse_if_read_only(dialog.parentWidget()):
        return QDialog.DialogCode.Rejected
    return dialog.exec()
