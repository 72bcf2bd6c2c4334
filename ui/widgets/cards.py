"""Cards and page headings shared by the home page and the pages still to come."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

CARD_STYLE = (
    "QFrame#card { background: palette(base); border: 1px solid palette(mid); border-radius: 6px; }"
)
MUTED_STYLE = "color: palette(placeholder-text);"
WARNING_STYLE = "color: #9a3b00;"
# A note above a table that it shows a past day (read only) and the like.
NOTICE_STYLE = (
    "QLabel { background: #fff4d6; color: #5c4400; border: 1px solid #e8cf8a;"
    " border-radius: 4px; padding: 4px 8px; }"
)


def heading(text: str, parent: QWidget | None = None, scale: float = 1.6) -> QLabel:
    label = QLabel(text, parent)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    return label


def muted(text: str, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet(MUTED_STYLE)
    return label


class Card(QFrame):
    """A titled box; put labels and buttons into ``body``."""

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("card")
        self.setStyleSheet(CARD_STYLE)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 14)
        layout.setSpacing(6)
        self.title_label = heading(title, self, 1.15)
        layout.addWidget(self.title_label)
        self.body = QVBoxLayout()
        self.body.setSpacing(4)
        layout.addLayout(self.body)
        layout.addStretch(1)


class EmptyState(QWidget):
    """What a list shows when it has nothing to list: a sentence (``label``, set by the page
    as the reason changes), a hint, and buttons that lead out of it (``buttons``)."""

    def __init__(
        self,
        parent: QWidget,
        *,
        hint: str = "",
        actions: Sequence[tuple[str, Callable[[], object]]] = (),
        emphasised: bool = True,
    ):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.label = QLabel(self)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        if emphasised:
            font = QFont(self.label.font())
            font.setPointSizeF(font.pointSizeF() * 1.15)
            self.label.setFont(font)
        layout.addWidget(self.label)
        if hint:
            hint_text = muted(hint, self)
            hint_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(hint_text)
            layout.addSpacing(8)
        row = QHBoxLayout()
        row.addStretch(1)
        self.buttons: list[QPushButton] = []
        for text, slot in actions:
            button = QPushButton(text, self)
            button.clicked.connect(lambda _checked=False, slot=slot: slot())
            row.addWidget(button)
            self.buttons.append(button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
