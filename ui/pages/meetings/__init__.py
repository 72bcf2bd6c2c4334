"""The meetings page: the meetings held (list, filters, details), a month view of what was
held against what the rules require, and the obligation rules themselves.

The page owns what both tabs do with a meeting — record, change, delete, print — so the
home page can ask for it directly: ``open_meeting``, ``new_meeting``, ``show_month``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QMessageBox, QTabWidget, QVBoxLayout, QWidget

from app.i18n import _, ngettext
from app.meetings.kinds import MeetingKind
from app.meetings.records import MeetingLine
from app.meetings.service import MeetingError, delete_meeting, get_meeting
from ui import dialogs
from ui.dialogs.meeting_dialog import MeetingDialog
from ui.errors import show_error
from ui.printing.documents import PdfPrinter, safe_file_name
from ui.tasks import Op
from ui.widgets.cards import heading
from ui.widgets.forms import long_date

if TYPE_CHECKING:
    from ui.pages.meetings.list_tab import MeetingListTab
    from ui.pages.meetings.month_tab import MonthTab
    from ui.pages.meetings.rules_tab import RulesTab

TAB_LIST = "list"
TAB_MONTH = "month"
TAB_RULES = "rules"


def tab_titles() -> dict[str, str]:
    return {TAB_LIST: _("Meetings held"), TAB_MONTH: _("Month view"), TAB_RULES: _("Rules")}


def document_name(kind: str, day: dt.date, title: str) -> str:
    """会议纪要-2026-11-23-2026年第四季度安全生产例会.pdf"""
    return safe_file_name(f"{kind}-{day.isoformat()}-{title}.pdf")


class MeetingsPage(QWidget):
    """Meetings held, and the month view; every change goes through the meeting dialog."""

    meetings_changed = Signal()
    status_message = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, today: dt.date | None = None):
        super().__init__(parent)
        self._today = today
        self.printer = PdfPrinter(self)
        self.last_dialog: MeetingDialog | None = None
        self._month: MonthTab | None = None
        self._month_stale = False

        from ui.pages.meetings.list_tab import MeetingListTab
        from ui.pages.meetings.rules_tab import RulesTab

        self.title_label = heading(_("Meetings"), self)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.list_tab: MeetingListTab = MeetingListTab(self)
        self.tabs.addTab(self.list_tab, tab_titles()[TAB_LIST])
        stand_in = QLabel(self.tabs)
        self.tabs.addTab(stand_in, tab_titles()[TAB_MONTH])
        self.rules_tab: RulesTab = RulesTab(self)
        self.tabs.addTab(self.rules_tab, tab_titles()[TAB_RULES])
        self.tabs.currentChanged.connect(self._tab_shown)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.setSpacing(6)
        layout.addWidget(self.title_label)
        layout.addWidget(self.tabs, 1)

    def today(self) -> dt.date:
        return self._today or dt.date.today()

    # ------------------------------------------------------------------ tabs

    @property
    def month_tab(self) -> MonthTab:
        """The month view, built the first time it is asked for (its check costs a query)."""
        if self._month is None:
            from ui.pages.meetings.month_tab import MonthTab

            month = MonthTab(self)
            current = self.tabs.currentIndex()
            stand_in = self.tabs.widget(1)
            self.tabs.blockSignals(True)
            self.tabs.removeTab(1)
            self.tabs.insertTab(1, month, tab_titles()[TAB_MONTH])
            self.tabs.setCurrentIndex(current)
            self.tabs.blockSignals(False)
            if stand_in is not None:
                stand_in.deleteLater()
            self._month = month
            self._month_stale = False
        return self._month

    def show_tab(self, key: str, item: object = None) -> QWidget:
        """Show the list ("list"), the month view ("month"; ``item`` a day in the month) or
        the rules ("rules"; ``item`` a rule's id)."""
        if key == TAB_RULES:
            self.tabs.setCurrentWidget(self.rules_tab)
            if isinstance(item, int):
                self.rules_tab.select_rule(item)
            return self.rules_tab
        if key == TAB_MONTH:
            month = self.month_tab
            self.tabs.setCurrentWidget(month)
            if isinstance(item, dt.date):
                month.set_month(item)
            return month
        self.tabs.setCurrentWidget(self.list_tab)
        if isinstance(item, int):
            self.list_tab.select_meeting(item, reveal=True)
        return self.list_tab

    def _tab_shown(self, index: int) -> None:
        if index == 1:
            month = self.month_tab
            if self._month_stale:
                self._month_stale = False
                month.refresh()

    def refresh(self) -> None:
        """Everything may have changed (another page wrote): read again what is shown."""
        self.list_tab.refresh()
        self.rules_tab.refresh()
        if self._month is not None:
            if self.tabs.currentWidget() is self._month:
                self._month.refresh()
            else:
                self._month_stale = True

    # ------------------------------------------------------------------ entry points

    def open_meeting(self, meeting_id: int, *, edit: bool = True, section: str = "") -> bool:
        """Show the meeting in the list (clearing filters that hide it) and, with ``edit``,
        open it in the dialog (at ``section``: "attendance", "follow_ups" …).  Whether it
        was found."""
        self.show_tab(TAB_LIST)
        if not self.list_tab.select_meeting(meeting_id, reveal=True):
            self.status_message.emit(_("This meeting is no longer recorded."))
            return False
        if edit:
            self.edit_meeting(meeting_id, section=section)
        return True

    def new_meeting(
        self, kind: MeetingKind | None = None, day: dt.date | None = None
    ) -> int | None:
        """Record a meeting, the dialog preset with ``kind`` and ``day``; the new id, if saved."""
        dialog = MeetingDialog(self, today=self.today(), kind=kind, day=day)
        self.last_dialog = dialog
        result = dialogs.run_dialog(dialog)
        if result == MeetingDialog.DialogCode.Accepted or dialog.saved:
            title = dialog.meeting_input().title or (
                MeetingKind(dialog.meeting_input().kind).label
                if dialog.meeting_input().kind
                else ""
            )
            self._changed(
                dialog.meeting_id,
                _("The meeting of {date} was recorded: {title}.").format(
                    date=long_date(dialog.day), title=title
                ),
            )
            return dialog.meeting_id
        return None

    def show_month(self, day: dt.date) -> None:
        """The month view of the month containing ``day``."""
        self.show_tab(TAB_MONTH, day)

    # ------------------------------------------------------------------ what both tabs do

    def edit_meeting(self, meeting_id: int, *, section: str = "") -> bool:
        """Change a meeting in the dialog; whether something was saved."""
        try:
            record = get_meeting(meeting_id)
        except MeetingError as error:
            show_error(self, error, _("Cannot open the meeting"))
            self.refresh()
            return False
        dialog = MeetingDialog(self, today=self.today(), meeting=record)
        if section:
            dialog.show_tab(section)
        self.last_dialog = dialog
        result = dialogs.run_dialog(dialog)
        if result != MeetingDialog.DialogCode.Accepted and not dialog.saved:
            return False
        self._changed(
            meeting_id,
            _("The meeting of {date} was saved.").format(date=long_date(dialog.day)),
        )
        return True

    def delete_meeting(self, line: MeetingLine) -> bool:
        """Delete the meeting after the clerk confirms; whether it was deleted."""
        if dialogs.refuse_if_read_only(self):
            return False
        details = []
        if line.follow_ups_total:
            details.append(
                ngettext(
                    "{count} follow-up item", "{count} follow-up items", line.follow_ups_total
                ).format(count=line.follow_ups_total)
            )
        if line.attachments:
            details.append(
                ngettext(
                    "{count} attached file", "{count} attached files", line.attachments
                ).format(count=line.attachments)
            )
        text = _("Delete the meeting of {date}, “{title}”, with its attendance?").format(
            date=long_date(line.held_on), title=line.display_title
        )
        if details:
            text += "\n" + _("It also has {things}; they go with it.").format(
                things=_(", ").join(details)
            )
        text += "\n\n" + _("This cannot be undone.")
        answer = QMessageBox.question(
            self,
            _("Delete the meeting"),
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        delete_meeting(line.id)
        self._changed(
            None,
            _("The meeting of {date} was deleted: {title}.").format(
                date=long_date(line.held_on), title=line.display_title
            ),
        )
        return True

    def print_minutes(self, line: MeetingLine) -> Op:
        meeting_id = line.id

        def render() -> bytes:
            from app.meetings.prints import MinutesDocument, minutes_snapshot

            return MinutesDocument(minutes_snapshot(meeting_id)).render_bytes()

        return self.printer.preview(
            render,
            title=_("Minutes: {title}").format(title=line.display_title),
            suggested_name=document_name("会议纪要", line.held_on, line.display_title),
        )

    def print_sign_in(self, line: MeetingLine) -> Op:
        meeting_id = line.id

        def render() -> bytes:
            from app.meetings.prints import SignInDocument, sign_in_snapshot

            return SignInDocument(sign_in_snapshot(meeting_id)).render_bytes()

        return self.printer.preview(
            render,
            title=_("Sign-in sheet: {title}").format(title=line.display_title),
            suggested_name=document_name("签到表", line.held_on, line.display_title),
        )

    def rules_changed(self, message: str = "") -> None:
        """A rule was added, changed or deleted: what is counted changed."""
        self._changed(None, message)

    def _changed(self, select: int | None, message: str = "") -> None:
        self.list_tab.refresh(select)
        if self._month is not None:
            if self.tabs.currentWidget() is self._month:
                self._month.refresh()
            else:
                self._month_stale = True
        self.meetings_changed.emit()
        if message:
            self.status_message.emit(message)
