"""Choose a person to give a column in the grid: someone who answers for nothing yet (a new
village secretary, a grid worker), so that an area can be assigned to them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cmp_to_key

from PySide6.QtCore import QCollator, QLocale, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.org import people as org_people
from app.responsibility.assignments import GridPerson
from ui.widgets.forms import hint_label

# Enough to find anyone by a few characters; the list never grows past this many rows.
SHOWN_LIMIT = 300


def people_on(day: dt.date) -> list[GridPerson]:
    """Everyone recorded, with the titles they hold on ``day``; those with titles first."""
    people = org_people.people_on(day, everyone=True)
    # Pinyin order, the way clerks look names up.
    compare = QCollator(QLocale(QLocale.Language.Chinese, QLocale.Country.China)).compare
    people.sort(key=cmp_to_key(lambda a, b: compare(a.name, b.name) or a.id - b.id))
    return sorted(people, key=lambda person: not person.titles)


def _key(text: str) -> str:
    return "".join(text.split()).casefold()


class GridPersonDialog(QDialog):
    changes_data = True  # OK writes: not opened while the database is read-only

    def __init__(self, parent: QWidget | None, *, day: dt.date, exclude: Iterable[int] = ()):
        super().__init__(parent)
        self.setWindowTitle(_("Add a person to the grid"))
        self.resize(520, 520)
        hidden = set(exclude)
        self.people = [person for person in people_on(day) if person.id not in hidden]
        self._keys = [_key("\n".join((p.name, *p.titles))) for p in self.people]

        self.search_edit = QLineEdit(self)
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText(_("Name or title, e.g. 常青村"))
        self.search_edit.textChanged.connect(self._filter)
        self.list = QListWidget(self)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        self.list.currentRowChanged.connect(lambda _row: self._update_ok())
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(
            hint_label(
                _(
                    "The person gets a column; set their level in the row of the area they "
                    "answer for. Only people already recorded (on the roster or holding a "
                    "post in a unit) are listed."
                ),
                self,
            )
        )
        layout.addWidget(self.search_edit)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.buttons)
        self._filter("")

    def _filter(self, text: str) -> None:
        needle = _key(text)
        self.list.clear()
        shown = 0
        for person, key in zip(self.people, self._keys, strict=True):
            if needle not in key:
                continue
            label = person.name
            if person.titles:
                label = f"{person.name}　{'、'.join(person.titles)}"
            item = QListWidgetItem(label, self.list)
            item.setData(Qt.ItemDataRole.UserRole, person.id)
            shown += 1
            if shown >= SHOWN_LIMIT:
                break
        if self.list.count():
            self.list.setCurrentRow(0)
        self._update_ok()

    def _update_ok(self) -> None:
        button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        button.setEnabled(self.list.currentItem() is not None)

    def chosen_person(self) -> GridPerson | None:
        item = self.list.currentItem()
        if item is None:
            return None
        person_id = item.data(Qt.ItemDataRole.UserRole)
        return next((p for p in self.people if p.id == person_id), None)

    def accept(self) -> None:
        if self.chosen_person() is None:
            return
        super().accept()
