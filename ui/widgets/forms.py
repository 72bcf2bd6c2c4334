"""Form helpers: messages in red right under their field, hints, date fields."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QFormLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

DATE_DISPLAY = "yyyy-MM-dd"
ERROR_STYLE = "color: #b3261e;"
HINT_STYLE = "color: palette(placeholder-text);"


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def to_date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def date_edit(day: dt.date, parent: QWidget | None = None) -> QDateEdit:
    edit = QDateEdit(to_qdate(day), parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(DATE_DISPLAY)
    edit.setMinimumDate(QDate(1949, 10, 1))
    edit.setMaximumDate(QDate(2199, 12, 31))
    return edit


def hint_label(text: str, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet(HINT_STYLE)
    return label


def grow_to_fit(window: QWidget) -> None:
    """Make a shown window tall enough for wrapped text that appeared after it opened."""
    layout = window.layout()
    if layout is None or not window.isVisible():
        return
    layout.activate()
    needed = layout.totalHeightForWidth(window.width()) if layout.hasHeightForWidth() else -1
    needed = max(needed, layout.totalMinimumSize().height())
    if needed > window.height():
        window.resize(window.width(), needed)


class FormDialog(QDialog):
    """A dialog of fields whose wrapped hints and messages are never cut off."""

    # Its OK saves something (ui.dialogs.run_dialog keeps it closed while read-only); a form
    # that only chooses what to print says False.
    changes_data = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        grow_to_fit(self)


class FieldError(QLabel):
    """A field's problem, in red under it; takes no room while there is none."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet(ERROR_STYLE)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.setAccessibleName("error")
        self.hide()

    def set_message(self, message: str | None) -> None:
        self.setText(message or "")
        self.setVisible(bool(message))


class FieldErrors:
    """The error labels of a form, by the field names the core's validation uses."""

    def __init__(self, general: FieldError):
        self._labels: dict[str, FieldError] = {}
        self._general = general

    def add_row(
        self, form: QFormLayout, field: str, label: str, widget: QWidget, hint: str = ""
    ) -> FieldError:
        """Add ``widget`` with its label, an optional hint and its (hidden) error line."""
        error = FieldError(widget.parentWidget())
        column = QWidget(widget.parentWidget())
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        # The row takes the form's full width, so hints and messages wrap sensibly; a
        # widget that does not want to grow (a combo box, a date) keeps its own width.
        column.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        grows = (QSizePolicy.Policy.Expanding, QSizePolicy.Policy.MinimumExpanding)
        if widget.sizePolicy().horizontalPolicy() in grows:
            layout.addWidget(widget)
        else:
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignLeft)
        if hint:
            layout.addWidget(hint_label(hint, column))
        layout.addWidget(error)
        form.addRow(label, column)
        self._labels[field] = error
        return error

    def label(self, field: str) -> FieldError:
        return self._labels[field]

    def show(self, errors: Mapping[str, str], only: set[str] | None = None) -> None:
        """Show ``errors`` under their fields (all, or just those in ``only``)."""
        unplaced: list[str] = []
        for field, message in errors.items():
            if field not in self._labels:
                unplaced.append(message)
        for field, label in self._labels.items():
            if only is not None and field not in only:
                label.set_message(None)
                continue
            label.set_message(errors.get(field))
        self._general.set_message("\n".join(unplaced) if unplaced else None)
        grow_to_fit(self._general.window())

    def messages(self) -> dict[str, str]:
        found = {field: label.text() for field, label in self._labels.items() if label.text()}
        if self._general.text():
            found["_general"] = self._general.text()
        return found


def long_date(day: dt.date) -> str:
    """A date as people write it in the interface language: 2026年11月23日 / November 23, 2026."""
    locale = QLocale()
    pattern = "yyyy年M月d日" if locale.language() == QLocale.Language.Chinese else "MMMM d, yyyy"
    return locale.toString(to_qdate(day), pattern)
