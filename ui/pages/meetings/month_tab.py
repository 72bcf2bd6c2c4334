"""The month view: the meetings held in a month, and the meeting rules whose current period
covers it — how many each requires, how many were held, met, due or overdue.

The rules are judged by app.obligations.engine as of the month's last day (today, for the
current month), so a past month shows how it ended and this month shows where it stands.
Each rule not met offers to record a meeting of its kind, dated inside the dates that count.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QItemSelectionModel, QLocale, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, ngettext
from app.meetings.kinds import MeetingKind
from app.meetings.records import MeetingLine, meeting_kind
from app.meetings.service import meetings_in
from app.obligations.engine import ObligationStatus, Status, obligations_as_of
from app.obligations.rules import Activity
from ui.models.meetings_model import (
    COL_ATTACHMENTS,
    COL_DATE,
    COL_O_ACTION,
    COL_O_COUNTED,
    COL_O_DONE,
    COL_O_PERIOD,
    COL_O_RULE,
    COL_O_STATUS,
    MeetingFilterProxy,
    MeetingTableModel,
    ObligationTableModel,
)
from ui.pages.meetings.list_tab import fit_columns
from ui.widgets.cards import MUTED_STYLE, NOTICE_STYLE
from ui.widgets.forms import long_date, to_date, to_qdate
from ui.widgets.tables import record_table, wrap_rows

if TYPE_CHECKING:
    from ui.pages.meetings import MeetingsPage


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    first = day.replace(day=1)
    return first, first.replace(day=calendar.monthrange(day.year, day.month)[1])


def judged_on(month_day: dt.date, today: dt.date) -> dt.date:
    """The day a month is judged on: today in the current month, else its last day."""
    first, last = month_bounds(month_day)
    return today if first <= today <= last else last


def suggested_day(item: ObligationStatus, today: dt.date) -> dt.date:
    """A date for the meeting that would settle ``item``: today if it counts, else the
    nearest day that does."""
    first, last = item.counted
    return min(max(today, first), last)


def closed(item: ObligationStatus, judged: dt.date, today: dt.date) -> ObligationStatus:
    """A past month judged on its last day: a shortfall whose dates that count ended that
    day is overdue now (the engine still calls it due, on the day itself)."""
    if item.status is Status.DUE and item.due <= judged < today:
        return dataclasses.replace(item, status=Status.OVERDUE)
    return item


def month_title(day: dt.date) -> str:
    """ "2026年11月" / "November 2026", in the interface language."""
    locale = QLocale()
    pattern = "yyyy年M月" if locale.language() == QLocale.Language.Chinese else "MMMM yyyy"
    return locale.toString(QDate(day.year, day.month, 1), pattern)


def _heading(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    font = QFont(label.font())
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.1)
    label.setFont(font)
    return label


class MonthTab(QWidget):
    def __init__(self, page: MeetingsPage):
        super().__init__(page)
        self.page = page
        self.obligations: list[ObligationStatus] = []
        self.record_buttons: dict[int, QPushButton] = {}

        self.previous_button = QPushButton("◀", self)
        self.previous_button.setToolTip(_("The month before"))
        self.previous_button.clicked.connect(lambda: self.step(-1))
        self.month_edit = QDateEdit(to_qdate(page.today()), self)
        self.month_edit.setDisplayFormat("yyyy-MM")
        self.month_edit.setCalendarPopup(True)
        self.month_edit.setMinimumDate(QDate(1990, 1, 1))
        self.month_edit.setMaximumDate(QDate(2199, 12, 31))
        self.month_edit.dateChanged.connect(lambda _date: self.refresh())
        self.next_button = QPushButton("▶", self)
        self.next_button.setToolTip(_("The month after"))
        self.next_button.clicked.connect(lambda: self.step(+1))
        for button in (self.previous_button, self.next_button):
            button.setFixedWidth(button.sizeHint().height() + 8)
        self.this_month_button = QPushButton(_("This month"), self)
        self.this_month_button.clicked.connect(lambda: self.set_month(self.page.today()))
        month_label = QLabel(_("Month"), self)
        month_label.setBuddy(self.month_edit)
        self.judged_label = QLabel(self)
        self.judged_label.setWordWrap(True)
        self.judged_label.setStyleSheet(NOTICE_STYLE)
        top = QHBoxLayout()
        top.addWidget(month_label)
        top.addWidget(self.previous_button)
        top.addWidget(self.month_edit)
        top.addWidget(self.next_button)
        top.addWidget(self.this_month_button)
        top.addStretch(1)

        # Meetings held in the month.
        self.meetings_model = MeetingTableModel(self)
        self.meetings_proxy = MeetingFilterProxy(self)
        self.meetings_proxy.setSourceModel(self.meetings_model)
        self.meetings_table = record_table(self.meetings_proxy, COL_DATE, self)
        fit_columns(self.meetings_table)
        self.meetings_table.setColumnHidden(COL_ATTACHMENTS, True)
        self.meetings_table.doubleClicked.connect(lambda _index: self.open_selected_meeting())
        self.held_label = _heading("", self)
        self.no_meetings_label = QLabel(self)
        self.no_meetings_label.setStyleSheet(MUTED_STYLE)
        held = QWidget(self)
        held_layout = QVBoxLayout(held)
        held_layout.setContentsMargins(0, 0, 0, 0)
        held_layout.addWidget(self.held_label)
        held_layout.addWidget(self.no_meetings_label)
        held_layout.addWidget(self.meetings_table, 1)

        # What the rules require.
        self.obligations_model = ObligationTableModel(self)
        self.obligations_table = QTableView(self)
        self.obligations_table.setModel(self.obligations_model)
        self.obligations_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.obligations_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.obligations_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.obligations_table.setAlternatingRowColors(True)
        self.obligations_table.setShowGrid(False)
        self.obligations_table.setWordWrap(False)
        self.obligations_table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.obligations_table.verticalHeader().hide()
        row_height = self.obligations_table.fontMetrics().height() + 16
        self.obligations_table.verticalHeader().setDefaultSectionSize(row_height)
        # Rows fit their wrapped text, never lower than one line with its button.
        self.obligations_table.verticalHeader().setMinimumSectionSize(row_height)
        header = self.obligations_table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(COL_O_RULE, QHeaderView.ResizeMode.Stretch)
        # A rule is a sentence: on a narrow screen it wraps rather than losing its end.
        wrap_rows(self.obligations_table)
        for column in (COL_O_PERIOD, COL_O_COUNTED, COL_O_DONE, COL_O_STATUS, COL_O_ACTION):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.obligations_table.doubleClicked.connect(lambda index: self.record_for(index.row()))
        self.required_label = _heading(_("What the rules require"), self)
        self.summary_label = QLabel(self)
        self.summary_label.setWordWrap(True)
        required = QWidget(self)
        required_layout = QVBoxLayout(required)
        required_layout.setContentsMargins(0, 0, 0, 0)
        required_layout.addWidget(self.required_label)
        required_layout.addWidget(self.summary_label)
        required_layout.addWidget(self.obligations_table, 1)

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(held)
        self.splitter.addWidget(required)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([250, 300])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 10, 0, 4)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.judged_label)
        layout.addWidget(self.splitter, 1)
        self.refresh()

    # ------------------------------------------------------------------ state

    @property
    def month(self) -> tuple[dt.date, dt.date]:
        return month_bounds(to_date(self.month_edit.date()))

    @property
    def judged_on(self) -> dt.date:
        return judged_on(self.month[0], self.page.today())

    def set_month(self, day: dt.date) -> None:
        if month_bounds(day) == self.month:
            self.refresh()
        else:
            self.month_edit.setDate(to_qdate(day))

    def step(self, months: int) -> None:
        first = self.month[0]
        index = first.year * 12 + first.month - 1 + months
        self.set_month(dt.date(index // 12, index % 12 + 1, 1))

    def refresh(self) -> None:
        first, last = self.month
        today = self.page.today()
        day = self.judged_on
        lines = [line for line in meetings_in(first.year) if first <= line.held_on <= last]
        self.meetings_model.set_rows(lines)
        title = month_title(first)
        self.held_label.setText(
            ngettext(
                "Meetings held in {month}: {count}", "Meetings held in {month}: {count}", len(lines)
            ).format(month=title, count=len(lines))
        )
        self.no_meetings_label.setText(_("No meeting is recorded in {month}.").format(month=title))
        self.no_meetings_label.setVisible(not lines)
        self.meetings_table.setVisible(bool(lines))

        self.obligations = [
            closed(item, day, today)
            for item in obligations_as_of(day)
            if item.rule.activity is Activity.MEETING
        ]
        self.obligations_model.set_rows(self.obligations)
        self._add_record_buttons()
        if first <= today <= last:
            judged = _(
                "This month is judged as of today, {date}: meetings still to come can change it."
            )
        elif last < today:
            judged = _(
                "The rules are judged as the month closed on {date}: what was not done by "
                "then is overdue."
            )
        else:
            judged = _(
                "A month ahead: judged as of {date}, the month's last day, counting the "
                "meetings already entered for it."
            )
        self.judged_label.setText(judged.format(date=long_date(day)))
        self._update_summary()

    def _update_summary(self) -> None:
        counts = {status: 0 for status in Status}
        for item in self.obligations:
            counts[item.status] += 1
        if not self.obligations:
            text = _("No meeting rule is active. Add one or switch one on in the Rules tab.")
        else:
            text = _("{met} met, {due} due, {overdue} overdue.").format(
                met=counts[Status.MET], due=counts[Status.DUE], overdue=counts[Status.OVERDUE]
            )
        self.summary_label.setText(text)

    def _add_record_buttons(self) -> None:
        self.record_buttons.clear()
        for row, item in enumerate(self.obligations):
            if item.met:
                continue
            button = QPushButton(_("Record a meeting…"), self.obligations_table)
            button.setToolTip(
                _("Record a meeting of this kind ({kind}), dated {first} to {last}").format(
                    kind=self.kind_of(item).label,
                    first=item.counted[0].isoformat(),
                    last=item.counted[1].isoformat(),
                )
            )
            button.clicked.connect(lambda _checked=False, row=row: self.record_for(row))
            self.obligations_table.setIndexWidget(
                self.obligations_model.index(row, COL_O_ACTION), button
            )
            self.record_buttons[row] = button
        self.obligations_table.resizeColumnToContents(COL_O_ACTION)

    @staticmethod
    def kind_of(item: ObligationStatus) -> MeetingKind:
        return meeting_kind(item.rule.activity_code)

    def selected_meeting(self) -> MeetingLine | None:
        rows = self.meetings_table.selectionModel().selectedRows()
        return self.meetings_proxy.line_at(rows[0]) if rows else None

    def select_obligation(self, row: int) -> None:
        index = self.obligations_model.index(row, COL_O_RULE)
        self.obligations_table.selectionModel().select(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )

    # ------------------------------------------------------------------ actions

    def open_selected_meeting(self) -> bool:
        line = self.selected_meeting()
        return line is not None and self.page.edit_meeting(line.id)

    def record_for(self, row: int) -> int | None:
        """Record a meeting that would count for the rule on ``row`` (if it is not met)."""
        if not 0 <= row < len(self.obligations):
            return None
        item = self.obligations[row]
        if item.met:
            return None
        return self.page.new_meeting(self.kind_of(item), suggested_day(item, self.page.today()))
