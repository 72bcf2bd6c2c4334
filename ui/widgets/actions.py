"""Actions and the push buttons that stand for them, the same on every page.

An action carries the text, tip, shortcuts and enabled state; a button made for it mirrors
those, so enabling an action is the one place a page decides what can be done.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QPushButton, QWidget


def make_action(
    owner: QWidget, text: str, slot: Callable[[], object], tip: str, *shortcuts: QKeySequence
) -> QAction:
    """An action of ``owner``; its shortcuts work while the focus is inside ``owner``."""
    action = QAction(text, owner)
    action.setToolTip(tip)
    action.setStatusTip(tip)
    if shortcuts:
        action.setShortcuts(list(shortcuts))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    action.triggered.connect(slot)
    owner.addAction(action)
    return action


def action_button(action: QAction, parent: QWidget) -> QPushButton:
    """A push button that mirrors an action (text, tip, enabled) and triggers it."""
    button = QPushButton(action.text(), parent)
    # Never narrower than its text: the window's minimum width grows instead.
    button.setMinimumWidth(button.sizeHint().width())
    button.setToolTip(action.toolTip())
    button.setEnabled(action.isEnabled())
    button.clicked.connect(action.trigger)

    def mirror() -> None:
        button.setEnabled(action.isEnabled())
        button.setToolTip(action.toolTip())

    action.changed.connect(mirror)
    return button
