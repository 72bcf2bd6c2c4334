"""Dialogs: member edits, hand-overs, import previews, problems.

Pages open a modal dialog through ``run_dialog`` so that tests can stand in for the user
(fill the fields, press OK) without a nested event loop.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog


def run_dialog(dialog: QDialog) -> int:
    """Show ``dialog`` modally; its result code."""
    return dialog.exec()
