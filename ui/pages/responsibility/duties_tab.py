"""The duties of each kind of post (岗位安全职责): numbered lists a township adapts, and the
duty cards that print them.

Every change is saved at once, like every other change in the program: adding, editing,
deleting or moving a duty writes the kind's whole list in one transaction, so closing the
window or switching kind never loses work.  A list that cannot be saved as it is (an item
stored empty by another program, say) shows each problem beside its item and stays unsaved
— marked so, with Discard — until the items in red are put right.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt
from PySide6.QtGui import QAction, QCloseEvent, QFont, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, ngettext, pgettext
from app.org.kinds import PostKind
from app.responsibility.assignments import leaders_on
from app.responsibility.duties import (
    DUTY_KINDS,
    DutyError,
    DutyItem,
    cleaned,
    default_duties,
    duties_by_kind,
    duties_of,
    duty_number,
    save_duties,
)
from ui import dialogs
from ui.dialogs.assign_dialog import Candidate, ChoosePersonDialog, people_with_posts
from ui.dialogs.duty_dialog import DutyDialog
from ui.models.base import OBJECT_ROLE
from ui.models.duties_model import COL_CLAUSE, COL_NUMBER, COL_PROBLEM, COL_TEXT, DutiesModel
from ui.pages.responsibility import ResponsibilityTab
from ui.printing.documents import PdfPrinter, safe_file_name
from ui.tasks import Op
from ui.widgets.actions import action_button, make_action
from ui.widgets.forms import hint_label, long_date
from ui.widgets.tables import wrap_rows

if TYPE_CHECKING:
    from ui.pages.responsibility import ResponsibilityPage


def card_document_name(name: str, day: dt.date) -> str:
    return safe_file_name(f"{name}岗位安全职责清单-{day}")


class DutiesTab(ResponsibilityTab):
    """Kinds of post on the left; the selected kind's numbered duties on the right."""

    def __init__(self, page: ResponsibilityPage):
        super().__init__(page)
        self.model = DutiesModel(self)
        self.unsaved = False  # the list shown differs from the stored one (it has problems)
        self.last_dialog: QWidget | None = None
        self.printer = PdfPrinter(self)
        self._kind: PostKind = DUTY_KINDS[0]
        self._watched: QWidget | None = None

        self._build_actions()
        self._build_kinds()
        self._build_list()

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.kind_list)
        splitter.addWidget(self.right)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([220, 900])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 10, 0, 4)
        layout.setSpacing(8)
        layout.addLayout(self._print_bar)
        layout.addWidget(splitter, 1)
        self.refresh()

    # ------------------------------------------------------------------ building

    def _action(
        self, text: str, slot: Callable[[], object], tip: str, *keys: QKeySequence
    ) -> QAction:
        return make_action(self, text, slot, tip, *keys)

    def _button_for(self, action: QAction, parent: QWidget) -> QPushButton:
        button = action_button(action, parent)
        self.action_buttons[action] = button
        return button

    def _build_actions(self) -> None:
        key = QKeySequence
        ctrl = Qt.KeyboardModifier.ControlModifier
        self.action_buttons: dict[QAction, QPushButton] = {}
        self.add_action = self._action(
            _("Add…"),
            self.add_duty,
            _("Add a duty after the selected one (Ins)"),
            key(key.StandardKey.New),
            key(Qt.Key.Key_Insert),
        )
        self.edit_action = self._action(
            _("Edit…"), self.edit_duty, _("Change the selected duty (Enter)")
        )
        self.delete_action = self._action(
            _("Delete"), self.delete_duty, _("Remove the selected duty (Del)")
        )
        self.up_action = self._action(
            _("Move up"),
            lambda: self.move_duty(-1),
            _("Move up (Ctrl+Up)"),
            key(ctrl | Qt.Key.Key_Up),
        )
        self.down_action = self._action(
            _("Move down"),
            lambda: self.move_duty(+1),
            _("Move down (Ctrl+Down)"),
            key(ctrl | Qt.Key.Key_Down),
        )
        self.restore_action = self._action(
            _("Restore built-in list…"),
            self.restore_builtin,
            _("Replace this list with the one the program ships with"),
        )
        self.card_action = self._action(
            _("Print duty card…"),
            self.print_card,
            _("Choose a person and print their duty card (岗位安全职责清单)"),
        )
        self.cards_action = self._action(
            _("Print all leaders' duty cards…"),
            self.print_leaders_cards,
            _("One card for everyone who leads an area today, each on its own page"),
        )
        self.discard_action = self._action(
            _("Discard changes"),
            self.discard,
            _("Show the list as it is stored again"),
        )
        self._print_bar = QHBoxLayout()
        self._print_bar.addWidget(
            hint_label(
                _("Each kind of post has its numbered duties; they print on the duty cards."),
                self,
            ),
            1,
        )
        self._print_bar.addWidget(self._button_for(self.card_action, self))
        self._print_bar.addWidget(self._button_for(self.cards_action, self))

    def _build_kinds(self) -> None:
        self.kind_list = QListWidget(self)
        self.kind_list.setMinimumWidth(180)
        self.kind_list.setStyleSheet("QListWidget::item { padding: 5px 6px; }")
        for kind in DUTY_KINDS:
            item = QListWidgetItem(kind.label)
            item.setData(Qt.ItemDataRole.UserRole, kind.value)
            self.kind_list.addItem(item)
        self.kind_list.setCurrentRow(0)
        self.kind_list.currentRowChanged.connect(self._kind_row_changed)

    def _build_list(self) -> None:
        self.right = QWidget(self)
        self.kind_title = QLabel(self.right)
        font = QFont(self.kind_title.font())
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.kind_title.setFont(font)
        self.kind_title.setWordWrap(True)

        bar = QHBoxLayout()
        for action in (
            self.add_action,
            self.edit_action,
            self.delete_action,
            self.up_action,
            self.down_action,
        ):
            bar.addWidget(self._button_for(action, self.right))
        bar.addStretch(1)
        bar.addWidget(self._button_for(self.restore_action, self.right))

        self.unsaved_frame = QWidget(self.right)
        self.unsaved_frame.setObjectName("unsaved")
        self.unsaved_frame.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.unsaved_frame.setStyleSheet(
            "#unsaved { background: #fdecea; border: 1px solid #f0b4ae; border-radius: 4px; }"
        )
        unsaved_layout = QHBoxLayout(self.unsaved_frame)
        unsaved_layout.setContentsMargins(8, 4, 8, 4)
        self.unsaved_label = QLabel(self.unsaved_frame)
        self.unsaved_label.setWordWrap(True)
        self.unsaved_label.setStyleSheet("color: #7a1c14;")
        unsaved_layout.addWidget(self.unsaved_label, 1)
        unsaved_layout.addWidget(self._button_for(self.discard_action, self.unsaved_frame))
        self.unsaved_frame.hide()

        self.table = QTableView(self.right)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        # One-line duties keep some air; longer ones grow to their wrapped height.
        self.table.verticalHeader().setMinimumSectionSize(self.fontMetrics().height() + 12)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(COL_NUMBER, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_TEXT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_CLAUSE, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_PROBLEM, QHeaderView.ResizeMode.Interactive)
        # The duty's own text keeps most of the width; clause and problem wrap in theirs.
        header.resizeSection(COL_CLAUSE, self.fontMetrics().horizontalAdvance("中") * 9)
        header.resizeSection(COL_PROBLEM, self.fontMetrics().horizontalAdvance("中") * 12)
        wrap_rows(self.table)
        self.table.doubleClicked.connect(lambda _index: self.edit_duty())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self.update_actions())
        self.model.modelReset.connect(self.update_actions)
        for keys, slot in (
            ((Qt.Key.Key_Return, Qt.Key.Key_Enter), self.edit_duty),
            ((Qt.Key.Key_Delete,), self.delete_duty),
        ):
            for k in keys:
                shortcut = QShortcut(QKeySequence(k), self.table)
                shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
                shortcut.activated.connect(slot)

        self.count_label = QLabel(self.right)
        self.count_label.setStyleSheet("color: palette(placeholder-text);")

        layout = QVBoxLayout(self.right)
        layout.setContentsMargins(8, 0, 0, 0)
        layout.addWidget(self.kind_title)
        layout.addLayout(bar)
        layout.addWidget(self.unsaved_frame)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

    # ------------------------------------------------------------------ state

    @property
    def kind(self) -> PostKind:
        return self._kind

    @property
    def items(self) -> list[DutyItem]:
        return self.model.items

    def selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def select_row(self, row: int | None) -> None:
        count = self.model.rowCount()
        if row is None or not count:
            return
        index = self.model.index(min(max(row, 0), count - 1), COL_TEXT)
        self.table.selectionModel().select(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)

    def set_kind(self, kind: PostKind) -> bool:
        """Show another kind's list; False if the clerk chose to stay (unsaved problems)."""
        row = DUTY_KINDS.index(kind)
        if self.kind_list.currentRow() != row:
            self.kind_list.setCurrentRow(row)
        return self._kind == kind

    def focus_item(self, item: object) -> None:
        if isinstance(item, str) and item in {kind.value for kind in DUTY_KINDS}:
            self.set_kind(PostKind(item))

    def refresh(self) -> None:
        """Read the lists again (another tab or page may have written); keep unsaved work."""
        self._update_counts()
        if not self.unsaved:
            self._load(self.selected_row() or 0)

    def _load(self, select: int | None = 0) -> None:
        items = duties_of(self._kind)
        try:
            cleaned(items)
            problems: dict[int, str] = {}
        except DutyError as error:
            problems = error.problems
        self.model.set_items(items, problems)
        self._set_unsaved(False)
        self._show_problems()
        self._update_header()
        self.select_row(select)
        self.update_actions()

    def _update_counts(self) -> None:
        lists = duties_by_kind()
        for row, kind in enumerate(DUTY_KINDS):
            count = len(lists.get(kind, ()))
            item = self.kind_list.item(row)
            item.setText(_("{kind} ({count})").format(kind=kind.label, count=count))
            item.setToolTip(ngettext("{count} duty", "{count} duties", count).format(count=count))

    def _update_header(self) -> None:
        self.kind_title.setText(_("Duties of: {kind}").format(kind=self._kind.label))
        count = self.model.rowCount()
        self.count_label.setText(
            ngettext(
                "{count} duty, numbered as it prints",
                "{count} duties, numbered as they print",
                count,
            ).format(count=count)
            if count
            else _("No duties yet: add them, or restore the built-in list.")
        )

    def _show_problems(self) -> None:
        problems = self.model.problems
        self.table.setColumnHidden(COL_PROBLEM, not problems)
        if problems and not self.unsaved:
            self.unsaved_label.setText(
                ngettext(
                    "{count} duty cannot be saved as it is stored (marked in red): edit it.",
                    "{count} duties cannot be saved as they are stored (marked in red): edit them.",
                    len(problems),
                ).format(count=len(problems))
            )
        self.unsaved_frame.setVisible(bool(problems) or self.unsaved)
        self.discard_action.setEnabled(self.unsaved)
        self.action_buttons[self.discard_action].setVisible(self.unsaved)

    def _set_unsaved(self, unsaved: bool) -> None:
        self.unsaved = unsaved
        if unsaved:
            self.unsaved_label.setText(
                _(
                    "Not saved: the duties marked in red must be put right first. Your other "
                    "changes are kept here until then."
                )
            )

    def update_actions(self) -> None:
        row = self.selected_row()
        count = self.model.rowCount()
        selected = row is not None
        self.edit_action.setEnabled(selected)
        self.delete_action.setEnabled(selected)
        self.up_action.setEnabled(selected and row > 0)  # type: ignore[operator]
        self.down_action.setEnabled(selected and row < count - 1)  # type: ignore[operator]
        self.restore_action.setEnabled(bool(default_duties(self._kind)))
        self.restore_action.setToolTip(
            _("Replace this list with the one the program ships with")
            if default_duties(self._kind)
            else _("The program has no built-in list for this kind of post")
        )

    # ------------------------------------------------------------------ switching kind

    def _kind_row_changed(self, row: int) -> None:
        if row < 0:
            return
        kind = DUTY_KINDS[row]
        if kind == self._kind:
            return
        if self.unsaved and not self._confirm_discard():
            self.kind_list.blockSignals(True)
            self.kind_list.setCurrentRow(DUTY_KINDS.index(self._kind))
            self.kind_list.blockSignals(False)
            return
        self._kind = kind
        self._load(0)

    def _confirm_discard(self) -> bool:
        answer = QMessageBox.question(
            self,
            _("Unsaved duties"),
            _(
                "The duties of {kind} are not saved: some items must be put right first. "
                "Discard the changes?"
            ).format(kind=self._kind.label),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        window = self.window()
        if window is not self._watched and window is not self:
            window.installEventFilter(self)
            self._watched = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Closing the window with a list that could not be saved asks first.
        if (
            watched is self._watched
            and event.type() == QEvent.Type.Close
            and self.unsaved
            and not self._confirm_discard()
        ):
            assert isinstance(event, QCloseEvent)
            event.ignore()
            return True
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------------ changing

    def _save(self, items: Sequence[DutyItem], select: int | None, message: str) -> bool:
        """Store ``items`` as the kind's list; on problems keep them unsaved, marked."""
        try:
            save_duties(self._kind, items)
        except DutyError as error:
            self.model.set_items(items, error.problems)
            self._set_unsaved(True)
            self._show_problems()
            self._update_header()
            self.select_row(select)
            self.status_message.emit(
                _("Not saved: {problems}").format(
                    problems=pgettext("list of problems", "; ").join(str(error).splitlines())
                )
            )
            return False
        self._load(select)
        self._update_counts()
        self.changed.emit()
        if message:
            self.status_message.emit(message)
        return True

    def add_duty(self) -> None:
        row = self.selected_row()
        position = (row + 2) if row is not None else self.model.rowCount() + 1
        dialog = DutyDialog(self, kind=self._kind, position=position)
        self.last_dialog = dialog
        if dialogs.run_dialog(dialog) != DutyDialog.DialogCode.Accepted or dialog.item is None:
            return
        items = self.items
        items.insert(position - 1, dialog.item)
        self._save(
            items,
            position - 1,
            _("Duty {number} was added.").format(number=duty_number(position)),
        )

    def edit_duty(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        item = self.model.data(self.model.index(row, COL_TEXT), OBJECT_ROLE)
        dialog = DutyDialog(self, kind=self._kind, position=row + 1, item=item)
        self.last_dialog = dialog
        if dialogs.run_dialog(dialog) != DutyDialog.DialogCode.Accepted or dialog.item is None:
            return
        items = self.items
        if items[row] == dialog.item and not self.model.problem(row):
            return
        items[row] = dialog.item
        self._save(items, row, _("Duty {number} was changed.").format(number=duty_number(row + 1)))

    def delete_duty(self) -> None:
        if dialogs.refuse_if_read_only(self):
            return
        row = self.selected_row()
        if row is None:
            return
        item = self.items[row]
        number = duty_number(row + 1)
        preview = item.text if len(item.text) <= 60 else item.text[:60] + "…"
        answer = QMessageBox.question(
            self,
            _("Delete a duty"),
            _("Delete duty {number} of {kind}?\n\n{text}\n\nThe duties after it move up.").format(
                number=number, kind=self._kind.label, text=preview or _("(empty)")
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        items = self.items
        del items[row]
        self._save(items, row, _("Duty {number} was deleted.").format(number=number))

    def move_duty(self, offset: int) -> None:
        if dialogs.refuse_if_read_only(self):
            return
        row = self.selected_row()
        if row is None:
            return
        target = row + offset
        items = self.items
        if not 0 <= target < len(items):
            return
        items[row], items[target] = items[target], items[row]
        self._save(
            items,
            target,
            _("The duty is now number {number}.").format(number=duty_number(target + 1)),
        )

    def restore_builtin(self) -> None:
        if dialogs.refuse_if_read_only(self):
            return
        builtin = default_duties(self._kind)
        if not builtin:
            return
        answer = QMessageBox.question(
            self,
            _("Restore the built-in list"),
            ngettext(
                "Replace the {count} duty of {kind} with the program's built-in list of "
                "{builtin}? Your own wording of this list is lost.",
                "Replace the {count} duties of {kind} with the program's built-in list of "
                "{builtin}? Your own wording of this list is lost.",
                self.model.rowCount(),
            ).format(count=self.model.rowCount(), kind=self._kind.label, builtin=len(builtin)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self._save(
            builtin, 0, _("The built-in list of {kind} was restored.").format(kind=self._kind.label)
        )

    def discard(self) -> None:
        if self.unsaved:
            self._load(self.selected_row() or 0)
            self.status_message.emit(_("The changes were discarded."))

    # ------------------------------------------------------------------ printing

    def print_card(self) -> None:
        day = self.page.today()
        dialog = ChoosePersonDialog(
            self,
            title=_("Print a duty card"),
            intro=_(
                "Whose duty card? Everyone holding a post on {date} is listed; the card shows "
                "the duties of their posts and the areas they answer for."
            ).format(date=long_date(day)),
            candidates=people_with_posts(day),
            ok_text=_("Print…"),
        )
        dialog.changes_data = False  # it only chooses whose card to print
        self.last_dialog = dialog
        if dialogs.run_dialog(dialog) != ChoosePersonDialog.DialogCode.Accepted:
            return
        if dialog.chosen is not None:
            self.start_card_print(dialog.chosen, day)

    def start_card_print(self, person: Candidate, day: dt.date) -> Op:
        return self._print_cards([person.person_id], day, person.name)

    def print_leaders_cards(self) -> Op | None:
        day = self.page.today()
        count = len(leaders_on(day))
        if not count:
            QMessageBox.information(
                self,
                _("Print all leaders' duty cards"),
                _("Nobody leads an area on {date}: there is no card to print.").format(
                    date=long_date(day)
                ),
            )
            return None

        return self._print_cards(None, day, None, count)

    def _print_cards(
        self, person_ids: list[int] | None, day: dt.date, name: str | None, count: int = 1
    ) -> Op:
        """One person's card (``name``), or every leader's (``person_ids`` None)."""

        def render() -> bytes:
            from app.responsibility.prints import DutyCardsDocument, duty_cards_snapshot

            return DutyCardsDocument(duty_cards_snapshot(day, person_ids)).render_bytes()

        if name is not None:
            title = _("Duty card of {name}").format(name=name)
            label = None
        else:
            title = _("Leaders' duty cards")
            label = ngettext(
                "Preparing {count} duty card…", "Preparing {count} duty cards…", count
            ).format(count=count)
        return self.printer.preview(
            render,
            title=title,
            suggested_name=card_document_name(name or "领导", day) + ".pdf",
            label=label,
        )
