"""The roster page: the leading group as of a day, with every change the clerk makes to it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, ngettext
from app.roster import service
from app.roster.snapshot import RosterLine, RosterSnapshot
from ui import dialogs
from ui.dialogs.end_dialog import EndMembershipDialog
from ui.dialogs.group_dialog import GroupSettingsDialog
from ui.dialogs.member_dialog import MemberDialog
from ui.dialogs.succession_dialog import SuccessionDialog
from ui.models.roster_model import (
    COL_NAME,
    COL_PHONE,
    COL_POSITION,
    COL_ROLE,
    COL_START,
    COL_TITLES,
    RosterFilterProxy,
    RosterTableModel,
)
from ui.pages.roster_files import RosterFiles
from ui.widgets.actions import action_button, make_action
from ui.widgets.cards import NOTICE_STYLE, EmptyState
from ui.widgets.forms import date_edit, long_date, to_date, to_qdate
from ui.widgets.tables import record_table


def _shortcut(
    keys: QKeySequence, widget: QWidget, slot: Callable[[], None], context: Qt.ShortcutContext
) -> QShortcut:
    shortcut = QShortcut(keys, widget)
    shortcut.setContext(context)
    shortcut.activated.connect(slot)
    return shortcut


class RosterPage(QWidget):
    """Members as of a day; add, edit, reorder, end, hand over; import, export, print."""

    roster_changed = Signal()
    status_message = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, today: dt.date | None = None):
        super().__init__(parent)
        self._today = today
        self.model = RosterTableModel(self)
        self.proxy = RosterFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.files = RosterFiles(self)

        self._build_actions()
        self._build_header()
        self._build_filters()
        self._build_table()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.setSpacing(8)
        layout.addLayout(self._header_layout)
        layout.addWidget(self.toolbar)
        layout.addLayout(self._filter_layout)
        layout.addWidget(self.past_notice)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.count_label)

        self.refresh()

    # ------------------------------------------------------------------ building

    def _build_header(self) -> None:
        self.group_label = QLabel(self)
        font = QFont(self.group_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.45)
        font.setBold(True)
        self.group_label.setFont(font)
        self.group_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.office_label = QLabel(self)
        self.office_label.setStyleSheet("color: palette(placeholder-text);")
        self.group_button = QPushButton(_("Group settings…"), self)
        self.group_button.setToolTip(_("The group's name and where its office sits"))
        self.group_button.clicked.connect(self.edit_group)
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(self.group_label)
        titles.addWidget(self.office_label)
        self._header_layout = QHBoxLayout()
        self._header_layout.addLayout(titles, 1)
        for button in self.file_buttons:
            self._header_layout.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        self._header_layout.addSpacing(12)
        self._header_layout.addWidget(self.group_button, 0, Qt.AlignmentFlag.AlignTop)

    def _action(
        self, text: str, slot: Callable[[], object], tip: str, *keys: QKeySequence
    ) -> QAction:
        return make_action(self, text, slot, tip, *keys)

    def _build_actions(self) -> None:
        key = QKeySequence
        self.add_action = self._action(
            _("Add"),
            self.add_member,
            _("Add a member to the group"),
            key(key.StandardKey.New),
            key(Qt.Key.Key_Insert),
        )
        self.edit_action = self._action(
            _("Edit"), self.edit_member, _("Change the selected member (Enter)")
        )
        self.up_action = self._action(
            _("Move up"),
            lambda: self.move_member(-1),
            _("Move up within the same group role"),
            key(Qt.KeyboardModifier.ControlModifier | Qt.Key.Key_Up),
        )
        self.down_action = self._action(
            _("Move down"),
            lambda: self.move_member(+1),
            _("Move down within the same group role"),
            key(Qt.KeyboardModifier.ControlModifier | Qt.Key.Key_Down),
        )
        self.end_action = self._action(
            _("End membership"),
            self.end_membership,
            _("The selected member leaves the group (Del); earlier rosters keep them"),
        )
        self.succession_action = self._action(
            _("Hand over…"),
            self.hand_over,
            _("A successor takes the selected member's place and group role (继任)"),
        )
        self.import_action = self._action(
            _("Import…"),
            self.files.import_roster,
            _("Read a roster from an Excel or CSV file; shows the changes before writing"),
        )
        self.export_action = self._action(
            _("Export…"),
            self.files.export_roster,
            _("Write the roster of the chosen day to an Excel or CSV file"),
        )
        self.print_action = self._action(
            _("Print…"),
            self.files.print_roster,
            _("Preview, print or save the roster as PDF"),
            key(key.StandardKey.Print),
        )
        self.toolbar = QWidget(self)
        bar = QHBoxLayout(self.toolbar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(6)
        self.action_buttons: dict[QAction, QPushButton] = {}
        for action in (
            self.add_action,
            self.edit_action,
            self.up_action,
            self.down_action,
            self.end_action,
            self.succession_action,
        ):
            bar.addWidget(self._button_for(action))
        bar.addStretch(1)
        # The file work sits at the top right, beside the group's settings.
        self.file_buttons = [
            self._button_for(action)
            for action in (self.import_action, self.export_action, self.print_action)
        ]

    def _button_for(self, action: QAction) -> QPushButton:
        button = action_button(action, self)
        self.action_buttons[action] = button
        return button

    def _build_filters(self) -> None:
        self.as_of_edit = date_edit(self.today(), self)
        self.as_of_edit.setToolTip(_("Choose a past day to see the roster as it stood then"))
        self.as_of_edit.dateChanged.connect(self._as_of_changed)
        self.today_button = QPushButton(_("Today"), self)
        self.today_button.clicked.connect(lambda: self.set_as_of(self.today()))
        self.search_edit = QLineEdit(self)
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText(_("Search name, title or role (Ctrl+F)"))
        self.search_edit.setMinimumWidth(260)
        self.search_edit.textChanged.connect(self._search_changed)
        _shortcut(
            QKeySequence(QKeySequence.StandardKey.Find),
            self,
            self._focus_search,
            Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        as_of_label = QLabel(_("Roster as of"), self)
        as_of_label.setBuddy(self.as_of_edit)
        self._filter_layout = QHBoxLayout()
        self._filter_layout.addWidget(as_of_label)
        self._filter_layout.addWidget(self.as_of_edit)
        self._filter_layout.addWidget(self.today_button)
        self._filter_layout.addStretch(1)
        self._filter_layout.addWidget(self.search_edit, 2)
        self.past_notice = QLabel(self)
        self.past_notice.setWordWrap(True)
        self.past_notice.setStyleSheet(NOTICE_STYLE)
        self.past_notice.hide()

    def _build_table(self) -> None:
        self.table = record_table(self.proxy, COL_POSITION, self)
        header = self.table.horizontalHeader()
        # Measuring every row on each reset or filter costs more than 150 ms on large groups;
        # the visible rows and a sample are enough to size these short columns.
        header.setResizeContentsPrecision(60)
        for column in (COL_POSITION, COL_NAME, COL_ROLE, COL_PHONE, COL_START):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_TITLES, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _index: self.edit_member())
        self.table.selectionModel().selectionChanged.connect(lambda *_args: self.update_actions())
        self.proxy.layoutChanged.connect(self.update_actions)
        self.proxy.modelReset.connect(self.update_actions)
        # Enter edits, Del ends the membership: keys of the table itself.
        for keys, slot in (
            ((Qt.Key.Key_Return, Qt.Key.Key_Enter), self.edit_member),
            ((Qt.Key.Key_Delete,), self.end_membership),
        ):
            for key in keys:
                _shortcut(QKeySequence(key), self.table, slot, Qt.ShortcutContext.WidgetShortcut)

        self.empty_page = EmptyState(
            self,
            hint=_(
                "Add the members one by one, or import the list your office already keeps "
                "in Excel (姓名, 小组职务, 职务, 联系电话)."
            ),
            actions=(
                (_("Add a member"), self.add_member),
                (_("Import from a file…"), self.files.import_roster),
            ),
        )
        self.empty_label = self.empty_page.label

        self.body = QStackedWidget(self)
        self.body.addWidget(self.table)
        self.body.addWidget(self.empty_page)

        self.count_label = QLabel(self)
        self.count_label.setStyleSheet("color: palette(placeholder-text);")

    # ------------------------------------------------------------------ state

    def today(self) -> dt.date:
        return self._today or dt.date.today()

    @property
    def as_of(self) -> dt.date:
        return to_date(self.as_of_edit.date())

    def set_as_of(self, day: dt.date) -> None:
        self.as_of_edit.setDate(to_qdate(day))

    @property
    def snapshot(self) -> RosterSnapshot | None:
        return self.model.snapshot

    def selected_line(self) -> RosterLine | None:
        indexes = self.table.selectionModel().selectedRows()
        if not indexes:
            return None
        return self.proxy.line_at(indexes[0])

    def select_membership(self, membership_id: int | None) -> None:
        if membership_id is None:
            return
        row = self.model.row_of(membership_id)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, COL_NAME))
        if not index.isValid():
            return
        self.table.selectionModel().select(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)

    def refresh(self, select: int | None = None) -> None:
        """Read the roster of the chosen day again; keep (or move) the selection."""
        if select is None:
            line = self.selected_line()
            select = line.membership_id if line else None
        snapshot = service.roster_as_of(self.as_of)
        self.model.set_snapshot(snapshot)
        self.group_label.setText(snapshot.group_name)
        self.office_label.setText(
            _("Office: {place}").format(place=snapshot.office_location)
            if snapshot.office_location
            else _("Office location not set yet")
        )
        self._update_notice()
        self._update_count()
        self.body.setCurrentWidget(self.table if snapshot.lines else self.empty_page)
        self.empty_label.setText(
            _("Nobody is in the group on {date}.").format(date=long_date(self.as_of))
        )
        self.select_membership(select)
        self.update_actions()

    def _update_notice(self) -> None:
        day, today = self.as_of, self.today()
        if day == today:
            self.past_notice.hide()
            return
        if day < today:
            text = _(
                "You are looking at the roster of {date}, a past day. Changes you make "
                "here count from that day."
            )
        else:
            text = _(
                "You are looking at the roster of {date}, a future day. Changes you make "
                "here count from that day."
            )
        self.past_notice.setText(text.format(date=long_date(day)))
        self.past_notice.show()

    def _update_count(self) -> None:
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        if self.proxy.search and shown != total:
            text = ngettext(
                "{shown} of {count} member shown", "{shown} of {count} members shown", total
            ).format(shown=shown, count=total)
        else:
            text = ngettext("{count} member on {date}", "{count} members on {date}", total).format(
                count=total, date=long_date(self.as_of)
            )
        self.count_label.setText(text)

    def update_actions(self) -> None:
        line = self.selected_line()
        selected = line is not None
        for action in (self.edit_action, self.end_action, self.succession_action):
            action.setEnabled(selected)
        above, below = self._neighbours(line)
        self.up_action.setEnabled(above)
        self.down_action.setEnabled(below)
        self.export_action.setEnabled(self.model.rowCount() > 0)
        self.print_action.setEnabled(self.model.rowCount() > 0)

    def _neighbours(self, line: RosterLine | None) -> tuple[bool, bool]:
        """Whether the member has someone of the same role above and below them."""
        snapshot = self.model.snapshot
        if line is None or snapshot is None:
            return False, False
        block = [other.membership_id for other in snapshot.lines if other.role == line.role]
        if line.membership_id not in block:
            return False, False
        index = block.index(line.membership_id)
        return index > 0, index < len(block) - 1

    def _as_of_changed(self, _date: QDate) -> None:
        self.refresh()

    def _search_changed(self, text: str) -> None:
        self.proxy.set_search(text)
        self._update_count()
        self.update_actions()

    def _focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def _changed(self, select: int | None = None, message: str = "") -> None:
        self.refresh(select)
        self.roster_changed.emit()
        if message:
            self.status_message.emit(message)

    # ------------------------------------------------------------------ actions

    def add_member(self) -> None:
        dialog = MemberDialog(self, day=self.as_of)
        if dialogs.run_dialog(dialog) == MemberDialog.DialogCode.Accepted:
            name = dialog.member_input().name
            self._changed(dialog.membership_id, _("{name} was added.").format(name=name))

    def edit_member(self) -> None:
        line = self.selected_line()
        if line is None:
            return
        dialog = MemberDialog(self, day=self.as_of, line=line)
        if dialogs.run_dialog(dialog) == MemberDialog.DialogCode.Accepted:
            name = dialog.member_input().name
            self._changed(dialog.membership_id, _("{name} was changed.").format(name=name))

    def move_member(self, offset: int) -> None:
        if dialogs.refuse_if_read_only(self):
            return
        line = self.selected_line()
        if line is None:
            return
        # Moving only makes sense in the group's own order.
        self.table.sortByColumn(COL_POSITION, Qt.SortOrder.AscendingOrder)
        if service.move_member(line.membership_id, offset, self.as_of):
            self._changed(line.membership_id)

    def end_membership(self) -> None:
        line = self.selected_line()
        if line is None:
            return
        dialog = EndMembershipDialog(self, line=line, day=self.as_of)
        result = dialogs.run_dialog(dialog)
        if result == EndMembershipDialog.REMOVED:
            self._changed(None, _("{name}'s entry was removed.").format(name=line.name))
        elif result == EndMembershipDialog.DialogCode.Accepted:
            self._changed(
                None,
                _("{name} leaves the group after {date}.").format(
                    name=line.name, date=long_date(dialog.last_day)
                ),
            )

    def hand_over(self) -> None:
        line = self.selected_line()
        if line is None:
            return
        dialog = SuccessionDialog(self, line=line, day=self.as_of)
        if dialogs.run_dialog(dialog) == SuccessionDialog.DialogCode.Accepted:
            if dialog.from_date > self.as_of:
                self.set_as_of(dialog.from_date)
            self._changed(
                dialog.membership_id,
                _("{successor} takes over from {name} on {date}.").format(
                    successor=dialog.successor_edit.text().strip(),
                    name=line.name,
                    date=long_date(dialog.from_date),
                ),
            )

    def edit_group(self) -> None:
        dialog = GroupSettingsDialog(self)
        if dialogs.run_dialog(dialog) == GroupSettingsDialog.DialogCode.Accepted:
            self._changed(None, _("The group settings were saved."))
