"""The parts of the meeting dialog: a date that may stay empty, a person chosen from the
group of the day (then everyone), the follow-up items table and the attached files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QDate, QEvent, QObject, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, ngettext
from app.meetings.records import AttachmentLine, FollowUpInput
from ui.models.base import ModelIndex
from ui.state import last_folder, remember_folder
from ui.widgets.forms import DATE_DISPLAY, FieldError, to_date, to_qdate

EMPTY_DATE = QDate(1900, 1, 1)  # stands for "no date" (shown as EMPTY_TEXT)
EMPTY_TEXT = "—"
ERROR_BORDER = "border: 1px solid #b3261e;"
PERSON_ROLE = Qt.ItemDataRole.UserRole
NAME_ROLE = Qt.ItemDataRole.UserRole + 1
# What absences are usually recorded as (the minutes are Chinese, whatever the interface).
ABSENCE_REASONS = ("请假", "出差", "病假", "公务外出", "学习培训", "下村工作")

# ---------------------------------------------------------------------------- optional date


class OptionalDateEdit(QDateEdit):
    """A date that may be left empty (shown "—"); Delete empties it.

    Stepping or typing into an empty field starts from ``default()`` (the meeting day), and
    the calendar opens on that month, not in 1900.
    """

    def __init__(
        self,
        day: dt.date | None,
        parent: QWidget | None = None,
        *,
        default: Callable[[], dt.date] = dt.date.today,
    ):
        super().__init__(parent)
        self._default = default
        self.setCalendarPopup(True)
        self.setDisplayFormat(DATE_DISPLAY)
        self.setMinimumDate(EMPTY_DATE)
        self.setMaximumDate(QDate(2199, 12, 31))
        self.setSpecialValueText(EMPTY_TEXT)
        self.setToolTip(_("Leave empty with “—”; Delete empties the field"))
        self.set_value(day)
        self.calendarWidget().installEventFilter(self)

    def value(self) -> dt.date | None:
        date = self.date()
        return None if date == EMPTY_DATE else to_date(date)

    def set_value(self, day: dt.date | None) -> None:
        self.setDate(EMPTY_DATE if day is None else to_qdate(day))

    def is_empty(self) -> bool:
        return self.date() == EMPTY_DATE

    def stepBy(self, steps: int) -> None:
        if self.is_empty():
            self.set_value(self._default())
            return
        super().stepBy(steps)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Delete:
            self.set_value(None)
            return
        if self.is_empty() and event.text().isdigit():
            self.set_value(self._default())
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and self.is_empty():
            day = self._default()
            self.calendarWidget().setCurrentPage(day.year, day.month)
        return super().eventFilter(watched, event)


# ---------------------------------------------------------------------------- people


@dataclass(frozen=True)
class PersonOption:
    person_id: int
    name: str
    titles: str = ""
    in_group: bool = True  # a member of the group on the meeting day (listed first)


class PeopleModel(QStandardItemModel):
    """The people offered in every person field of a dialog: nobody, the group of the
    meeting day in its order, then everyone else recorded.  One model for all the fields,
    refilled when the day changes."""

    def set_people(self, options: Sequence[PersonOption]) -> None:
        self.beginResetModel()
        # Rows removed and added inside the reset: the views hear of the reset only.
        self.blockSignals(True)
        self.setRowCount(0)
        self.appendRow(self._item("", None, "", ""))
        group = [option for option in options if option.in_group]
        others = [option for option in options if not option.in_group]
        for option in group:
            self.appendRow(self._item(option.name, option.person_id, option.name, option.titles))
        if group and others:
            separator = QStandardItem()
            separator.setFlags(Qt.ItemFlag.NoItemFlags)
            separator.setData("separator", Qt.ItemDataRole.AccessibleDescriptionRole)
            self.appendRow(separator)
        for option in others:
            first_title = option.titles.split("、")[0] if option.titles else ""
            text = f"{option.name} · {first_title}" if first_title else option.name
            self.appendRow(self._item(text, option.person_id, option.name, option.titles))
        self.blockSignals(False)
        self.endResetModel()

    @staticmethod
    def _item(text: str, person_id: int | None, name: str, titles: str) -> QStandardItem:
        item = QStandardItem(text)
        item.setData(person_id, PERSON_ROLE)
        item.setData(name, NAME_ROLE)
        if titles:
            item.setToolTip(titles)
        item.setEditable(False)
        return item

    def name_of(self, person_id: int) -> str:
        for row in range(self.rowCount()):
            item = self.item(row)
            if item is not None and item.data(PERSON_ROLE) == person_id:
                return str(item.data(NAME_ROLE))
        return ""


class PersonCombo(QComboBox):
    """Choose a person from the list, or type part of a name or title to find them."""

    def __init__(self, people: PeopleModel, parent: QWidget | None = None, placeholder: str = ""):
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setModel(people)
        self.setMaxVisibleItems(20)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(10)
        completer = QCompleter(people, self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        line_edit = self.lineEdit()
        if placeholder and line_edit is not None:
            line_edit.setPlaceholderText(placeholder)
        self._people = people
        self._kept: tuple[int | None, str] = (None, "")
        people.modelAboutToBeReset.connect(self._keep)
        people.modelReset.connect(self._restore)
        self.setCurrentIndex(0)

    def person_id(self) -> int | None:
        """The person chosen; None for an empty field or a name not in the list."""
        text = self.currentText().strip()
        if not text:
            return None
        index = self.currentIndex()
        if index >= 0 and self.itemText(index) == text:
            return self.itemData(index, PERSON_ROLE)
        index = self.findText(text, Qt.MatchFlag.MatchFixedString)
        if index < 0:
            index = self.findData(text, NAME_ROLE, Qt.MatchFlag.MatchFixedString)
        return self.itemData(index, PERSON_ROLE) if index >= 0 else None

    def unknown_text(self) -> str:
        """What was typed when it names nobody in the list ("" otherwise)."""
        text = self.currentText().strip()
        return text if text and self.person_id() is None else ""

    def set_person_id(self, person_id: int | None) -> None:
        index = self.findData(person_id, PERSON_ROLE) if person_id is not None else 0
        self.setCurrentIndex(max(index, 0))
        self.setEditText(self.itemText(max(index, 0)))

    def _keep(self) -> None:
        self._kept = (self.person_id(), self.currentText())

    def _restore(self) -> None:
        person_id, text = self._kept
        if person_id is not None:
            self.set_person_id(person_id)
        else:
            self.setCurrentIndex(0)
            self.setEditText(text)


def mark(widget: QWidget, message: str | None) -> None:
    """A red border and the message as tooltip on a field inside a table; none without."""
    widget.setStyleSheet(ERROR_BORDER if message else "")
    widget.setToolTip(message or "")


# ---------------------------------------------------------------------------- absence


class ReasonDelegate(QStyledItemDelegate):
    """The reason for an absence: one of the usual ones, or anything typed."""

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: ModelIndex
    ) -> QWidget:
        combo = QComboBox(parent)
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.addItems(ABSENCE_REASONS)
        return combo

    def setEditorData(self, editor: QWidget, index: ModelIndex) -> None:
        if isinstance(editor, QComboBox):
            editor.setEditText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
            line_edit = editor.lineEdit()
            if line_edit is not None:
                line_edit.selectAll()

    def setModelData(self, editor: QWidget, model: object, index: ModelIndex) -> None:
        if isinstance(editor, QComboBox):
            index.model().setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)


# ---------------------------------------------------------------------------- follow-ups

FU_TEXT = 0
FU_OWNER = 1
FU_DUE = 2
FU_DONE = 3
PARTS = {"text": FU_TEXT, "owner": FU_OWNER, "due_date": FU_DUE, "done_date": FU_DONE}


@dataclass
class _FollowUpRow:
    text: QLineEdit
    owner: PersonCombo
    due: OptionalDateEdit
    done: OptionalDateEdit

    def widgets(self) -> tuple[QWidget, QWidget, QWidget, QWidget]:
        return self.text, self.owner, self.due, self.done


class FollowUpEditor(QWidget):
    """Follow-up items (落实事项): what, who answers for it, by when, done when.  Rows are
    numbered as the minutes number them; a problem marks its field and is listed below."""

    changed = Signal()

    def __init__(
        self, people: PeopleModel, default_day: Callable[[], dt.date], parent: QWidget | None
    ):
        super().__init__(parent)
        self._people = people
        self._default_day = default_day
        self.rows: list[_FollowUpRow] = []
        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels(
            [_("What is to be done"), _("Responsible"), _("Due by"), _("Done on")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(FU_TEXT, QHeaderView.ResizeMode.Stretch)
        for column in (FU_OWNER, FU_DUE, FU_DONE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        probe, combo_probe = OptionalDateEdit(None), QComboBox()
        date_width = probe.sizeHint().width() + 12
        row_height = max(probe.sizeHint().height(), combo_probe.sizeHint().height()) + 6
        probe.deleteLater()
        combo_probe.deleteLater()
        header.resizeSection(FU_OWNER, 190)
        header.resizeSection(FU_DUE, date_width)
        header.resizeSection(FU_DONE, date_width)
        self.table.verticalHeader().setDefaultSectionSize(row_height)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.itemSelectionChanged.connect(self._update_buttons)

        self.add_button = QPushButton(_("Add item"), self)
        self.add_button.setToolTip(_("Add a follow-up item (what, who, by when)"))
        self.add_button.clicked.connect(lambda: self.add_row(focus=True))
        self.remove_button = QPushButton(_("Remove item"), self)
        self.remove_button.setToolTip(_("Remove the selected follow-up item"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.error = FieldError(self)

        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self._update_buttons()

    # ------------------------------------------------------------------ rows

    def add_row(self, item: FollowUpInput | None = None, *, focus: bool = False) -> _FollowUpRow:
        number = self.table.rowCount()
        self.table.insertRow(number)
        text = QLineEdit(self.table)
        text.setFrame(False)
        text.setPlaceholderText(_("e.g. 开展燃气安全专项检查"))
        owner = PersonCombo(self._people, self.table, _("Type a name"))
        due = OptionalDateEdit(None, self.table, default=self._default_day)
        done = OptionalDateEdit(None, self.table, default=self._default_day)
        row = _FollowUpRow(text, owner, due, done)
        if item is not None:
            text.setText(item.text)
            owner.set_person_id(item.owner_id)
            due.set_value(item.due_date)
            done.set_value(item.done_date)
        for column, widget in enumerate(row.widgets()):
            self.table.setCellWidget(number, column, widget)
        text.textChanged.connect(self.changed)
        owner.currentTextChanged.connect(self.changed)
        due.dateChanged.connect(self.changed)
        done.dateChanged.connect(self.changed)
        self.rows.append(row)
        self._number_rows()
        if focus:
            self.table.selectRow(number)
            self.table.scrollToBottom()
            text.setFocus()
        self.changed.emit()
        return row

    def remove_selected(self) -> None:
        selected = self.table.selectionModel().selectedRows()
        number = selected[0].row() if selected else self.table.currentRow()
        if not 0 <= number < len(self.rows):
            return
        self.table.removeRow(number)
        del self.rows[number]
        self._number_rows()
        self.changed.emit()

    def remove_row(self, number: int) -> None:
        """Remove the item numbered ``number`` (from 1)."""
        self.table.selectRow(number - 1)
        self.remove_selected()

    def set_items(self, items: Sequence[FollowUpInput]) -> None:
        self.table.setRowCount(0)
        self.rows.clear()
        for item in items:
            self.add_row(item)

    def items(self) -> list[FollowUpInput]:
        return [
            FollowUpInput(row.text.text(), row.owner.person_id(), row.due.value(), row.done.value())
            for row in self.rows
        ]

    def _number_rows(self) -> None:
        for number in range(self.table.rowCount()):
            self.table.setVerticalHeaderItem(number, QTableWidgetItem(str(number + 1)))
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(bool(self.rows) and self.table.currentRow() >= 0)

    # ------------------------------------------------------------------ problems

    def problems(self) -> dict[str, str]:
        """What the service cannot see: a name typed that matches nobody in the list."""
        errors: dict[str, str] = {}
        for number, row in enumerate(self.rows, start=1):
            typed = row.owner.unknown_text()
            if typed:
                errors[f"follow_up.{number}.owner"] = _(
                    "Follow-up item {number}: “{name}” is not in the list of people; choose "
                    "the person responsible from the list."
                ).format(number=number, name=typed)
        return errors

    def show_errors(self, errors: dict[str, str]) -> None:
        """Mark the fields of the ``follow_up.N.part`` errors and list their messages."""
        marks: dict[tuple[int, int], str] = {}
        for key, message in errors.items():
            parts = key.split(".")
            if len(parts) != 3 or parts[0] != "follow_up" or not parts[1].isdigit():
                continue
            marks[(int(parts[1]) - 1, PARTS.get(parts[2], FU_TEXT))] = message
        messages = [marks[key] for key in sorted(marks)]  # by item, then field
        for number, row in enumerate(self.rows):
            for column, widget in enumerate(row.widgets()):
                mark(widget, marks.get((number, column)))
            header = self.table.verticalHeaderItem(number)
            if header is not None:
                failing = any(key[0] == number for key in marks)
                header.setText(f"{number + 1} ⚠" if failing else str(number + 1))
                header.setForeground(Qt.GlobalColor.red if failing else Qt.GlobalColor.black)
        self.error.set_message("\n".join(messages) if messages else None)


# ---------------------------------------------------------------------------- attachments

AT_NAME = 0
AT_SIZE = 1
AT_STATE = 2


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return _("{size} MB").format(size=f"{size / (1024 * 1024):.1f}")
    if size >= 1024:
        return _("{size} KB").format(size=max(1, round(size / 1024)))
    return _("{size} bytes").format(size=size)


class AttachmentsEditor(QWidget):
    """The files kept with the meeting.  Files added are copied beside the database, and
    files removed are deleted, only when the meeting is saved (OK); Cancel changes nothing."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.existing: list[AttachmentLine] = []
        self.pending: list[Path] = []
        self.removed: list[AttachmentLine] = []
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels([_("File"), _("Size"), _("Kept since")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(AT_NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(AT_SIZE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(AT_STATE, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())

        self.add_button = QPushButton(_("Add file…"), self)
        self.add_button.setToolTip(
            _("A scanned sign-in sheet, photos, the minutes as signed: copied beside the database")
        )
        self.add_button.clicked.connect(self.choose_files)
        self.open_button = QPushButton(_("Open"), self)
        self.open_button.setToolTip(_("Open the kept copy with the program your computer uses"))
        self.open_button.clicked.connect(self.open_selected)
        self.remove_button = QPushButton(_("Remove"), self)
        self.remove_button.setToolTip(_("Remove the selected file from the meeting (on OK)"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.error = FieldError(self)
        self.last_opened: Path | None = None

        buttons = QHBoxLayout()
        for button in (self.add_button, self.open_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self._fill()

    # ------------------------------------------------------------------ content

    def set_existing(self, lines: Sequence[AttachmentLine]) -> None:
        self.existing = list(lines)
        removed = {line.id for line in self.removed}
        self.removed = [line for line in self.existing if line.id in removed]
        self._fill()

    def add_paths(self, paths: Sequence[Path]) -> None:
        known = set(self.pending)
        for path in paths:
            if path not in known:
                self.pending.append(path)
                known.add(path)
        self._fill()
        self.changed.emit()

    def has_changes(self) -> bool:
        return bool(self.pending or self.removed)

    def count(self) -> int:
        removed = {line.id for line in self.removed}
        return len([line for line in self.existing if line.id not in removed]) + len(self.pending)

    def _entries(self) -> list[AttachmentLine | Path]:
        removed = {line.id for line in self.removed}
        kept: list[AttachmentLine | Path] = [
            line for line in self.existing if line.id not in removed
        ]
        return kept + list(self.pending)

    def _fill(self) -> None:
        entries = self._entries()
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            if isinstance(entry, Path):
                try:
                    size = size_text(entry.stat().st_size)
                except OSError:
                    size = ""
                cells = [entry.name, size, _("copied when you press OK")]
                tip = str(entry)
            else:
                cells = [
                    entry.file_name,
                    size_text(entry.size),
                    entry.added_at.strftime("%Y-%m-%d %H:%M"),
                ]
                tip = _("SHA-256: {digest}").format(digest=entry.sha256)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(tip)
                if isinstance(entry, Path) and column == AT_STATE:
                    item.setForeground(Qt.GlobalColor.darkYellow)
                self.table.setItem(row, column, item)
        self._update_buttons()

    def selected_entry(self) -> AttachmentLine | Path | None:
        row = self.table.currentRow()
        entries = self._entries()
        if not self.table.selectionModel().selectedRows() or not 0 <= row < len(entries):
            return None
        return entries[row]

    def _update_buttons(self) -> None:
        chosen = self.selected_entry() is not None
        self.open_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    # ------------------------------------------------------------------ actions

    def choose_files(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileNames(
            self,
            _("Attach files to the meeting"),
            last_folder("attachments"),
            ";;".join(
                (
                    _(
                        "Scans, photos and documents (*.pdf *.jpg *.jpeg *.png *.tif *.tiff *.doc "
                        "*.docx *.xls *.xlsx *.ofd *.wps)"
                    ),
                    _("All files (*)"),
                )
            ),
        )
        if not chosen:
            return
        remember_folder("attachments", chosen[0])
        self.add_paths([Path(name) for name in chosen])

    def remove_selected(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        if isinstance(entry, Path):
            self.pending.remove(entry)
        else:
            self.removed.append(entry)
        self._fill()
        self.changed.emit()

    def open_selected(self) -> Path | None:
        """Open the selected file (the kept copy, checked against its SHA-256 first)."""
        entry = self.selected_entry()
        if entry is None:
            return None
        path = entry if isinstance(entry, Path) else self._stored_copy(entry)
        if path is None:
            return None
        self.last_opened = path
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        return path

    def _stored_copy(self, line: AttachmentLine) -> Path | None:
        from app.meetings.attachments import AttachmentError, attachment_path, verify_attachment
        from app.storage.models import Attachment

        record = Attachment.get_or_none(Attachment.id == line.id)  # type: ignore[attr-defined]
        try:
            if record is None:
                raise AttachmentError({"file": _("This file is no longer recorded.")})
            path = attachment_path(record)
            if not verify_attachment(record):
                raise AttachmentError(
                    {
                        "file": _(
                            "The kept copy of {name} is missing or has changed since it was "
                            "attached. Remove it and attach the file again."
                        ).format(name=line.file_name)
                    }
                )
        except AttachmentError as error:
            QMessageBox.warning(self, _("Cannot open the file"), str(error))
            return None
        return path

    def problems(self) -> dict[str, str]:
        """Files to be added that cannot be (gone, a folder, too large): before any saving."""
        from app.meetings.attachments import MAX_SIZE

        problems = []
        for path in self.pending:
            try:
                size = path.stat().st_size
            except OSError:
                problems.append(_("The file {file} is no longer there.").format(file=path))
                continue
            if path.is_dir():
                problems.append(_("{file} is a folder; choose a file.").format(file=path))
            elif size > MAX_SIZE:
                problems.append(
                    _("{file} is larger than {limit} MB; attach a smaller scan or photo.").format(
                        file=path, limit=MAX_SIZE // (1024 * 1024)
                    )
                )
        return {"attachments": "\n".join(problems)} if problems else {}

    def summary(self) -> str:
        count = self.count()
        return ngettext("{count} file", "{count} files", count).format(count=count)

    def sizeHint(self) -> QSize:
        return QSize(520, 260)
