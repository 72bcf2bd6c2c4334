"""The meetings held: newest first, filtered by year, kind and what the clerk types, with the
selected meeting's details below the list."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, ngettext
from app.meetings.kinds import MeetingKind
from app.meetings.records import MeetingLine, MeetingRecord
from app.meetings.service import MeetingError, get_meeting, meetings_in
from ui.models.meetings_model import (
    COL_ATTACHMENTS,
    COL_CHAIR,
    COL_DATE,
    COL_FOLLOW_UPS,
    COL_KIND,
    COL_PRESENT,
    COL_TIME,
    COL_TITLE,
    DATE_FORMAT,
    TIME_FORMAT,
    MeetingFilterProxy,
    MeetingTableModel,
    kind_short,
)
from ui.widgets.actions import action_button, make_action
from ui.widgets.cards import MUTED_STYLE, EmptyState
from ui.widgets.tables import record_table

if TYPE_CHECKING:
    from ui.pages.meetings import MeetingsPage

DETAIL_HEIGHT = 150


def _shortcut(keys: QKeySequence, widget: QWidget, slot: Callable[[], object]) -> None:
    shortcut = QShortcut(keys, widget)
    shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
    shortcut.activated.connect(slot)


def detail_html(record: MeetingRecord, today: dt.date) -> str:
    """The selected meeting in a few lines: when and where, who, absences, decisions, items."""
    e = html.escape
    when = record.held_on.strftime(DATE_FORMAT)
    if record.start_time:
        when += " " + record.start_time.strftime(TIME_FORMAT)
    lines = [f"<b>{e(record.display_title)}</b> &nbsp; <span>{e(record.kind.label)}</span>"]
    where = [when] + ([record.place] if record.place else [])
    lines.append(e(" · ".join(where)))
    people = []
    if record.chair_name:
        people.append(_("Chair: {name}").format(name=record.chair_name))
    if record.recorder_name:
        people.append(_("Recorder: {name}").format(name=record.recorder_name))
    if people:
        lines.append(e(" · ".join(people)))
    if record.attendees:
        present = sum(a.present for a in record.attendees)
        text = _("{present} of {count} present").format(
            present=present, count=len(record.attendees)
        )
        absent = [
            _("{name} ({reason})").format(name=a.name, reason=a.absence_reason)
            for a in record.attendees
            if not a.present
        ]
        if absent:
            text += _("; absent: {names}").format(names="、".join(absent))
        lines.append(e(text))
    if record.invited:
        lines.append(e(_("Others invited: {names}").format(names=record.invited)))
    if record.decisions:
        heading = e(_("Decisions"))  # outside the f-string: the extractor reads only calls
        lines.append(
            f"<b>{heading}</b><br>" + "<br>".join(e(t) for t in record.decisions.splitlines())
        )
    if record.follow_ups:
        items = []
        for item in record.follow_ups:
            if item.done_date is not None:
                state = _("done {date}").format(date=item.done_date.strftime(DATE_FORMAT))
                color = "#1e7b34"
            elif item.overdue(today):
                state = _("overdue since {date}").format(
                    date=item.due_date.strftime(DATE_FORMAT) if item.due_date else ""
                )
                color = "#b3261e"
            elif item.due_date is not None:
                state = _("due {date}").format(date=item.due_date.strftime(DATE_FORMAT))
                color = "#8a5a00"
            else:
                state, color = _("open"), "#8a5a00"
            items.append(
                f"{item.position}. {e(item.text)} — {e(item.owner_name)} "
                f'<span style="color: {color}">({e(state)})</span>'
            )
        lines.append(f"<b>{e(_('Follow-up items'))}</b><br>" + "<br>".join(items))
    if record.attachments:
        lines.append(
            e(
                _("Files: {names}").format(
                    names="、".join(item.file_name for item in record.attachments)
                )
            )
        )
    return "<br>".join(lines)


def fit_columns(table: QTableView) -> None:
    """Widths from the font, not from measuring rows: the short columns fit what they can
    hold (measuring thousands of cells on each refresh cost tens of milliseconds); the title
    takes the rest."""
    header = table.horizontalHeader()
    metrics = table.fontMetrics()
    header_metrics = header.fontMetrics()
    samples = {
        COL_DATE: ["2026-12-31"],
        COL_TIME: ["23:59"],
        COL_KIND: [kind_short(kind) for kind in MeetingKind],
        COL_CHAIR: ["欧阳建国"],
        COL_PRESENT: ["888 / 888"],
        COL_FOLLOW_UPS: ["88 / 88"],
        COL_ATTACHMENTS: ["88"],
    }
    model = table.model()
    for column, texts in samples.items():
        title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        width = max(
            max(metrics.horizontalAdvance(text) for text in texts) + 18,
            header_metrics.horizontalAdvance(title) + 28,  # room for the sort arrow
        )
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(column, width)
    header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)


class MeetingListTab(QWidget):
    def __init__(self, page: MeetingsPage):
        super().__init__(page)
        self.page = page
        self.model = MeetingTableModel(self)
        self.proxy = MeetingFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self._detail_id: int | None = None

        self._build_actions()
        self._build_filters()
        self._build_table()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 10, 0, 4)
        layout.setSpacing(8)
        layout.addWidget(self.toolbar)
        layout.addLayout(self._filter_layout)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.count_label)
        self.refresh()

    # ------------------------------------------------------------------ building

    def _action(
        self, text: str, slot: Callable[[], object], tip: str, *keys: QKeySequence
    ) -> QAction:
        return make_action(self, text, slot, tip, *keys)

    def _build_actions(self) -> None:
        key = QKeySequence
        self.new_action = self._action(
            _("New meeting…"),
            self.new_meeting,
            _("Record a meeting: who attended, the minutes, the follow-up items"),
            key(key.StandardKey.New),
            key(Qt.Key.Key_Insert),
        )
        self.edit_action = self._action(
            _("Edit…"), self.edit_meeting, _("Change the selected meeting (Enter)")
        )
        self.delete_action = self._action(
            _("Delete"), self.delete_meeting, _("Delete the selected meeting (Del)")
        )
        self.minutes_action = self._action(
            _("Print minutes…"),
            self.print_minutes,
            _("Preview, print or save the minutes (会议纪要) as PDF"),
            key(key.StandardKey.Print),
        )
        self.sign_in_action = self._action(
            _("Print sign-in sheet…"),
            self.print_sign_in,
            _("Preview, print or save the sign-in sheet (签到表) with the expected attendees"),
        )
        self.toolbar = QWidget(self)
        bar = QHBoxLayout(self.toolbar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(6)
        self.action_buttons: dict[QAction, QPushButton] = {}
        for action in (self.new_action, self.edit_action, self.delete_action):
            bar.addWidget(self._button_for(action))
        bar.addStretch(1)
        for action in (self.minutes_action, self.sign_in_action):
            bar.addWidget(self._button_for(action))

    def _button_for(self, action: QAction) -> QPushButton:
        button = action_button(action, self.toolbar)
        self.action_buttons[action] = button
        return button

    def _build_filters(self) -> None:
        self.year_combo = QComboBox(self)
        self.year_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.year_combo.currentIndexChanged.connect(self._filters_changed)
        self.kind_combo = QComboBox(self)
        self.kind_combo.addItem(_("All kinds"), "")
        for kind in MeetingKind:
            self.kind_combo.addItem(kind.label, kind.value)
        self.kind_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.kind_combo.currentIndexChanged.connect(self._filters_changed)
        self.search_edit = QLineEdit(self)
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText(_("Search title, place or chair (Ctrl+F)"))
        self.search_edit.setMinimumWidth(200)
        self.search_edit.textChanged.connect(self._search_changed)
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(self._focus_search)
        year_label = QLabel(_("Year"), self)
        year_label.setBuddy(self.year_combo)
        kind_label = QLabel(_("Kind"), self)
        kind_label.setBuddy(self.kind_combo)
        self._filter_layout = QHBoxLayout()
        self._filter_layout.addWidget(year_label)
        self._filter_layout.addWidget(self.year_combo)
        self._filter_layout.addSpacing(8)
        self._filter_layout.addWidget(kind_label)
        self._filter_layout.addWidget(self.kind_combo)
        self._filter_layout.addStretch(1)
        self._filter_layout.addWidget(self.search_edit, 2)

    def _build_table(self) -> None:
        self.table = record_table(self.proxy, COL_DATE, self)
        self.table.sortByColumn(COL_DATE, Qt.SortOrder.DescendingOrder)
        fit_columns(self.table)
        self.table.doubleClicked.connect(lambda _index: self.edit_meeting())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._selection_changed())
        self.proxy.modelReset.connect(self._selection_changed)
        self.proxy.layoutChanged.connect(self._selection_changed)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            _shortcut(QKeySequence(key), self.table, self.edit_meeting)
        _shortcut(QKeySequence(Qt.Key.Key_Delete), self.table, self.delete_meeting)

        self.detail = QTextBrowser(self)
        self.detail.setOpenLinks(False)
        self.detail.setMinimumHeight(60)
        self.detail.setPlaceholderText(_("Select a meeting to see its details here."))
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setCollapsible(0, False)
        self.splitter.setSizes([400, DETAIL_HEIGHT])

        self.empty_page = EmptyState(
            self,
            hint=_(
                "Record each safety meeting of the party committee and the government: who "
                "attended, the minutes and the follow-up items. The month view then shows "
                "which meetings the rules still require."
            ),
            actions=((_("Record a meeting"), self.new_meeting),),
        )
        self.empty_label = self.empty_page.label

        self.body = QStackedWidget(self)
        self.body.addWidget(self.splitter)
        self.body.addWidget(self.empty_page)
        self.count_label = QLabel(self)
        self.count_label.setStyleSheet(MUTED_STYLE)

    # ------------------------------------------------------------------ state

    def selected_line(self) -> MeetingLine | None:
        rows = self.table.selectionModel().selectedRows()
        return self.proxy.line_at(rows[0]) if rows else None

    def select_meeting(self, meeting_id: int | None, *, reveal: bool = False) -> bool:
        """Select a meeting; with ``reveal``, clear the filters that hide it.  Whether shown."""
        if meeting_id is None:
            return False
        row = self.model.row_of(meeting_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, COL_TITLE))
        if not index.isValid() and reveal:
            self.clear_filters()
            index = self.proxy.mapFromSource(self.model.index(row, COL_TITLE))
        if not index.isValid():
            return False
        self.table.selectionModel().select(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        return True

    def select_row(self, row: int) -> bool:
        """Select the meeting shown at ``row`` (the newest first, unless sorted otherwise)."""
        if not 0 <= row < self.proxy.rowCount():
            return False
        index = self.proxy.index(row, COL_TITLE)
        self.table.selectionModel().select(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.setCurrentIndex(index)
        return True

    def clear_filters(self) -> None:
        for combo in (self.year_combo, self.kind_combo):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.search_edit.blockSignals(True)
        self.search_edit.clear()
        self.search_edit.blockSignals(False)
        self.proxy.set_filters()
        self._update_count()

    def set_year(self, year: int | None) -> None:
        index = self.year_combo.findData(year or 0)
        self.year_combo.setCurrentIndex(max(index, 0))

    def set_kind(self, kind: MeetingKind | None) -> None:
        index = self.kind_combo.findData(kind.value if kind else "")
        self.kind_combo.setCurrentIndex(max(index, 0))

    def refresh(self, select: int | None = None) -> None:
        """Read the meetings again; keep (or move) the selection."""
        if select is None:
            line = self.selected_line()
            select = line.id if line else None
        self.model.set_rows(meetings_in())
        self._update_years()
        self.body.setCurrentWidget(self.splitter if self.model.rowCount() else self.empty_page)
        self.empty_label.setText(_("No meetings are recorded yet."))
        self._detail_id = None
        if not self.select_meeting(select) and not self.select_row(0):
            self._selection_changed()
        self._update_count()

    def _update_years(self) -> None:
        current = self.year_combo.currentData() or 0
        years = self.model.years()
        this_year = self.page.today().year
        if this_year not in years:
            years = sorted([*years, this_year], reverse=True)
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        self.year_combo.addItem(_("All years"), 0)
        for year in years:
            self.year_combo.addItem(str(year), year)
        self.year_combo.setCurrentIndex(max(self.year_combo.findData(current), 0))
        self.year_combo.blockSignals(False)

    def _update_count(self) -> None:
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        if self.proxy.filtered:
            text = ngettext(
                "{shown} of {count} meeting shown", "{shown} of {count} meetings shown", total
            ).format(shown=shown, count=total)
        else:
            text = ngettext("{count} meeting recorded", "{count} meetings recorded", total).format(
                count=total
            )
        self.count_label.setText(text)

    def _selection_changed(self) -> None:
        line = self.selected_line()
        for action in (self.edit_action, self.delete_action, self.minutes_action):
            action.setEnabled(line is not None)
        self.sign_in_action.setEnabled(line is not None and line.expected > 0)
        self._show_detail(line)

    def _show_detail(self, line: MeetingLine | None) -> None:
        if line is None:
            self._detail_id = None
            self.detail.clear()
            return
        if line.id == self._detail_id:
            return
        self._detail_id = line.id
        try:
            record = get_meeting(line.id)
        except MeetingError:
            self.detail.clear()
            return
        self.detail.setHtml(detail_html(record, self.page.today()))

    def _filters_changed(self, _index: int = 0) -> None:
        year = self.year_combo.currentData() or None
        code = self.kind_combo.currentData()
        self.proxy.set_filters(
            year=year, kind=MeetingKind(code) if code else None, search=self.search_edit.text()
        )
        self._update_count()
        self._selection_changed()

    def _search_changed(self, text: str) -> None:
        self.proxy.set_search(text)
        self._update_count()
        self._selection_changed()

    def _focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    # ------------------------------------------------------------------ actions

    def new_meeting(self) -> int | None:
        code = self.kind_combo.currentData()
        return self.page.new_meeting(MeetingKind(code) if code else None)

    def edit_meeting(self) -> bool:
        line = self.selected_line()
        return line is not None and self.page.edit_meeting(line.id)

    def delete_meeting(self) -> bool:
        line = self.selected_line()
        return line is not None and self.page.delete_meeting(line)

    def print_minutes(self) -> None:
        line = self.selected_line()
        if line is not None:
            self.page.print_minutes(line)

    def print_sign_in(self) -> None:
        line = self.selected_line()
        if line is not None:
            self.page.print_sign_in(line)
