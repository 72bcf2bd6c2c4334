"""A page for an area that a later version fills: it says what will be here, plainly."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.i18n import _
from ui.pages.areas import Area
from ui.widgets.cards import heading, muted

NOTE_STYLE = (
    "QLabel { background: palette(alternate-base); border: 1px solid palette(mid);"
    " border-radius: 6px; padding: 12px 14px; }"
)


class PlaceholderPage(QWidget):
    def __init__(self, area: Area, parent: QWidget | None = None):
        super().__init__(parent)
        self.area = area
        self.title_label = heading(area.title, self)
        self.purpose_label = QLabel(area.purpose, self)
        self.purpose_label.setWordWrap(True)
        self.purpose_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note_label = QLabel(
            _(
                "This area is not available in this version yet; it arrives in a later "
                "version. The roster you keep now will be used there."
            ),
            self,
        )
        self.note_label.setWordWrap(True)
        self.note_label.setStyleSheet(NOTE_STYLE)

        column = QFrame(self)
        column.setMaximumWidth(760)
        inner = QVBoxLayout(column)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.setSpacing(12)
        inner.addWidget(self.title_label)
        inner.addWidget(self.purpose_label)
        inner.addSpacing(4)
        inner.addWidget(self.note_label)
        if area.attention:
            inner.addWidget(
                muted(
                    _("When it arrives, the home page will also show: {what}").format(
                        what=area.attention
                    ),
                    column,
                )
            )
        inner.addStretch(1)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 24)
        layout.addWidget(column, 1)
        layout.addStretch(0)
