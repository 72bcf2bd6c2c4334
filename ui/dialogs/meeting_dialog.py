"""Record a meeting, or change one: kind, date, who chaired and recorded, who was there, the
minutes, the follow-up items and the files kept with it.

The attendees are the leading group of the meeting day; choosing another day fills the list
again, keeping who was ticked absent and why.  Problems show beside their field (a follow-up
item's on its row, its tab title turns red); nothing is written until every one is solved,
and the meeting is then saved whole (app.meetings.service.save_meeting).  Files added or
removed follow once the meeting is saved: copying a scan from a USB stick takes time, so it
runs off the GUI thread.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, QTime, QTimer
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QTableView,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, ngettext, pgettext
from app.meetings.kinds import MeetingKind
from app.meetings.records import AttachmentLine, MeetingInput, MeetingRecord
from app.meetings.service import MeetingError, expected_attendees, get_meeting, save_meeting
from app.meetings.service import validate_meeting as check_meeting
from app.org import people as org_people
from app.roster.roles import GroupRole, OfficeRole
from app.roster.snapshot import RosterLine
from ui.errors import show_error
from ui.models.meetings_model import (
    COL_A_NAME,
    COL_A_PRESENT,
    COL_A_REASON,
    COL_A_ROLE,
    COL_A_TITLES,
    AttendanceModel,
)
from ui.models.units_model import pinyin_ranks
from ui.tasks import Op
from ui.widgets.cards import NOTICE_STYLE
from ui.widgets.forms import (
    FieldError,
    FieldErrors,
    FormDialog,
    date_edit,
    hint_label,
    long_date,
    to_date,
    to_qdate,
)
from ui.widgets.meeting_parts import (
    AttachmentsEditor,
    FollowUpEditor,
    PeopleModel,
    PersonCombo,
    PersonOption,
    ReasonDelegate,
)

REFILL_DELAY_MS = 150  # the date is typed digit by digit: wait until it settles
RECHECK_DELAY_MS = 300
DEFAULT_TIME = QTime(9, 0)
NO_TIME = QTime(0, 0)  # shown as "—": no time recorded
ERROR_TAB_COLOR = QColor("#b3261e")

TAB_MEETING = "meeting"
TAB_ATTENDANCE = "attendance"
TAB_MINUTES = "minutes"
TAB_FOLLOW_UPS = "follow_ups"
TAB_ATTACHMENTS = "attachments"
TABS = (TAB_MEETING, TAB_ATTENDANCE, TAB_MINUTES, TAB_FOLLOW_UPS, TAB_ATTACHMENTS)
MEETING_FIELDS = ("kind", "title", "held_on", "place", "chair", "recorder", "invited")
TEXT_FIELDS = ("topics", "minutes", "decisions")


def tab_of(field: str) -> str | None:
    """The tab that shows a problem of ``field`` (None: shown below the tabs)."""
    if field in MEETING_FIELDS:
        return TAB_MEETING
    if field == "attendees":
        return TAB_ATTENDANCE
    if field in TEXT_FIELDS:
        return TAB_MINUTES
    if field.startswith("follow_up."):
        return TAB_FOLLOW_UPS
    if field == "attachments":
        return TAB_ATTACHMENTS
    return None


def people_options(day: dt.date, group: Sequence[RosterLine]) -> list[PersonOption]:
    """The group of the day in its order, then everyone else recorded in pinyin order."""
    options = [PersonOption(line.person_id, line.name, line.titles_text) for line in group]
    seen = {line.person_id for line in group}
    others = [p for p in org_people.people_on(day, everyone=True) if p.id not in seen]
    ranks = pinyin_ranks([p.name for p in others])
    for _rank, person in sorted(zip(ranks, others, strict=True), key=lambda pair: pair[0]):
        options.append(PersonOption(person.id, person.name, person.titles_text, in_group=False))
    return options


def apply_file_changes(
    meeting_id: int, added: Sequence[Path], removed: Sequence[int]
) -> list[tuple[Path, str]]:
    """Attach and remove files (on the worker thread); the files that could not be attached."""
    from app.meetings.attachments import AttachmentError, attach, remove_attachment

    for attachment_id in removed:
        remove_attachment(attachment_id)
    failed: list[tuple[Path, str]] = []
    for path in added:
        try:
            attach(meeting_id, path)
        except (AttachmentError, OSError) as error:
            failed.append((path, str(error)))
    return failed


class MeetingDialog(FormDialog):
    """A new meeting (``meeting`` None; ``kind`` and ``day`` preset it) or an existing one.

    After OK, ``meeting_id`` is the meeting saved.  ``saved`` is also True when the meeting
    was saved but a file could not be attached and the clerk then cancelled.
    """

    def __init__(
        self,
        parent: QWidget | None,
        *,
        today: dt.date,
        meeting: MeetingRecord | None = None,
        kind: MeetingKind | None = None,
        day: dt.date | None = None,
    ):
        super().__init__(parent)
        self.today = today
        self.meeting_id: int | None = meeting.id if meeting else None
        self.saved = False
        self.saving: Op | None = None
        self._tried = False
        self._shown_day: dt.date | None = None
        self.setWindowTitle(
            _("Record a meeting")
            if meeting is None
            else _("Meeting of {date}: {title}").format(
                date=long_date(meeting.held_on), title=meeting.display_title
            )
        )
        self.setMinimumSize(720, 500)
        # Roomy, yet whole on a 1024 × 680 screen with its taskbar and the title bar.
        screen = (
            parent.screen() if parent is not None else None
        ) or QGuiApplication.primaryScreen()
        room = screen.availableGeometry() if screen is not None else None
        self.resize(
            min(920, room.width() - 40) if room else 920,
            min(640, room.height() - 60) if room else 640,
        )

        self.people = PeopleModel(self)
        self.attendance = AttendanceModel(self)
        self.tabs = QTabWidget(self)
        self.tab_pages: dict[str, QWidget] = {}
        self.general_error = FieldError(self)
        self.form_errors = FieldErrors(self.general_error)
        self.error_labels: dict[str, FieldError] = {}

        self._build_meeting_tab(day or (meeting.held_on if meeting else today))
        self._build_attendance_tab()
        self._build_minutes_tab()
        self.follow_ups = FollowUpEditor(self.people, lambda: self.day, self)
        self.follow_ups.changed.connect(self._changed)
        self.follow_ups.changed.connect(self._update_tab_titles)
        follow_up_page = QWidget(self)
        follow_up_layout = QVBoxLayout(follow_up_page)
        follow_up_layout.addWidget(
            hint_label(
                _(
                    "What the meeting gave someone to do, by when. The items print with the "
                    "minutes, numbered; the home page reminds of those falling due."
                ),
                follow_up_page,
            )
        )
        follow_up_layout.addWidget(self.follow_ups, 1)
        self._add_tab(TAB_FOLLOW_UPS, follow_up_page, _("Follow-up items"))
        self.attachments = AttachmentsEditor(self)
        self.attachments.changed.connect(self._update_tab_titles)
        self.attachments.changed.connect(self._changed)
        attachment_page = QWidget(self)
        attachment_layout = QVBoxLayout(attachment_page)
        attachment_layout.addWidget(
            hint_label(
                _(
                    "Files are copied into a folder beside the database and checked by their "
                    "SHA-256, so the record stays complete after the USB stick is taken out. "
                    "They are copied (or removed) when you press OK."
                ),
                attachment_page,
            )
        )
        attachment_layout.addWidget(self.attachments, 1)
        self._add_tab(TAB_ATTACHMENTS, attachment_page, _("Attachments"))

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

        self._refill_timer = QTimer(self)
        self._refill_timer.setSingleShot(True)
        self._refill_timer.setInterval(REFILL_DELAY_MS)
        self._refill_timer.timeout.connect(self.refill)
        self._recheck_timer = QTimer(self)
        self._recheck_timer.setSingleShot(True)
        self._recheck_timer.setInterval(RECHECK_DELAY_MS)
        self._recheck_timer.timeout.connect(self._recheck)

        self.refill()
        if meeting is not None:
            self._fill(meeting)
        else:
            self._preset(kind)
        self._connect_changes()
        self._update_tab_titles()
        if self.kind_combo.currentIndex() < 0:
            self.kind_combo.setFocus()
        else:
            self.title_edit.setFocus()

    # ------------------------------------------------------------------ building

    def _add_tab(self, key: str, page: QWidget, title: str) -> None:
        self.tab_pages[key] = page
        self.tabs.addTab(page, title)

    def _build_meeting_tab(self, day: dt.date) -> None:
        page = QWidget(self)
        self.kind_combo = QComboBox(page)
        self.kind_combo.setPlaceholderText(_("Choose the kind of meeting"))
        for kind in MeetingKind:
            self.kind_combo.addItem(kind.label, kind.value)
            self.kind_combo.setItemData(
                self.kind_combo.count() - 1, kind.chinese, Qt.ItemDataRole.ToolTipRole
            )
        self.kind_combo.setCurrentIndex(-1)
        self.title_edit = QLineEdit(page)
        self.date_edit = date_edit(day, page)
        self.time_edit = QTimeEdit(page)
        self.time_edit.setDisplayFormat("HH:mm")
        self.time_edit.setMinimumTime(NO_TIME)
        self.time_edit.setSpecialValueText("—")
        self.time_edit.setTime(DEFAULT_TIME)
        self.time_edit.setToolTip(_("“—” when no time is recorded"))
        when = QWidget(page)
        when_layout = QHBoxLayout(when)
        when_layout.setContentsMargins(0, 0, 0, 0)
        when_layout.addWidget(self.date_edit)
        time_label = QLabel(_("at"), when)
        time_label.setBuddy(self.time_edit)
        when_layout.addWidget(time_label)
        when_layout.addWidget(self.time_edit)
        when_layout.addStretch(1)
        when.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.place_edit = QLineEdit(page)
        self.place_edit.setPlaceholderText(_("e.g. 镇政府三楼会议室"))
        self.chair_combo = PersonCombo(self.people, page, _("Type a name or choose"))
        self.recorder_combo = PersonCombo(self.people, page, _("Type a name or choose"))
        for combo in (self.chair_combo, self.recorder_combo):
            combo.setMinimumWidth(260)
        self.invited_edit = QPlainTextEdit(page)
        self.invited_edit.setTabChangesFocus(True)
        self.invited_edit.setPlaceholderText(_("e.g. 区应急管理局 王某某；各村党支部书记"))
        self.invited_edit.setFixedHeight(self.invited_edit.fontMetrics().lineSpacing() * 3 + 14)
        # Fixed, so the form does not hand it (and its hint) the tab's spare height.
        self.invited_edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        add = self.form_errors.add_row
        add(
            form,
            "kind",
            _("Kind"),
            self.kind_combo,
            hint=_("The rules count meetings by their kind (党委会议每季度至少1次 …)."),
        )
        add(
            form,
            "title",
            pgettext("title of a meeting", "Title"),
            self.title_edit,
            hint=_("Left empty, the kind's name."),
        )
        add(
            form,
            "held_on",
            _("Date"),
            when,
            hint=_("The attendees are the leading group on this day."),
        )
        add(form, "place", _("Place"), self.place_edit)
        add(form, "chair", _("Chair"), self.chair_combo)
        add(form, "recorder", _("Recorder"), self.recorder_combo)
        add(
            form,
            "invited",
            _("Others invited"),
            self.invited_edit,
            hint=_("Anyone attending who is not in the leading group."),
        )
        self._add_tab(TAB_MEETING, page, _("Meeting"))

    def _build_attendance_tab(self) -> None:
        page = QWidget(self)
        self.group_label = QLabel(page)
        self.group_label.setWordWrap(True)
        self.all_present_button = QPushButton(_("All present"), page)
        self.all_present_button.setToolTip(_("Tick everyone as present"))
        self.all_present_button.clicked.connect(self._all_present)
        top = QHBoxLayout()
        top.addWidget(self.group_label, 1)
        top.addWidget(self.all_present_button)

        self.attendance_table = QTableView(page)
        self.attendance_table.setModel(self.attendance)
        self.attendance_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.attendance_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.attendance_table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.attendance_table.setItemDelegateForColumn(COL_A_REASON, ReasonDelegate(self))
        self.attendance_table.setAlternatingRowColors(True)
        self.attendance_table.setShowGrid(False)
        self.attendance_table.setWordWrap(False)
        self.attendance_table.verticalHeader().hide()
        self.attendance_table.verticalHeader().setDefaultSectionSize(
            self.attendance_table.fontMetrics().height() + 12
        )
        header = self.attendance_table.horizontalHeader()
        header.setHighlightSections(False)
        for column in (COL_A_PRESENT, COL_A_NAME, COL_A_ROLE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_A_TITLES, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_A_REASON, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(COL_A_REASON, 200)
        self.attendance.dataChanged.connect(self._attendance_edited)

        self.dropped_label = QLabel(page)
        self.dropped_label.setWordWrap(True)
        self.dropped_label.setStyleSheet(NOTICE_STYLE)
        self.dropped_label.hide()
        self.present_label = QLabel(page)
        attendees_error = FieldError(page)
        self.error_labels["attendees"] = attendees_error

        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.dropped_label)
        layout.addWidget(self.attendance_table, 1)
        layout.addWidget(attendees_error)
        layout.addWidget(self.present_label)
        self._add_tab(TAB_ATTENDANCE, page, _("Attendance"))

    def _build_minutes_tab(self) -> None:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        self.text_edits: dict[str, QPlainTextEdit] = {}
        texts = (
            ("topics", _("Topics (议题)"), _("One topic a line: 1. … 2. …"), 1),
            (
                "minutes",
                _("Minutes (会议内容)"),
                _("What was reported and discussed; numbered items print as they are typed."),
                3,
            ),
            ("decisions", _("Decisions (会议决定)"), _("One decision a line."), 2),
        )
        for key, title, placeholder, stretch in texts:
            label = QLabel(title, page)
            edit = QPlainTextEdit(page)
            edit.setTabChangesFocus(True)
            edit.setPlaceholderText(placeholder)
            label.setBuddy(edit)
            error = FieldError(page)
            layout.addWidget(label)
            layout.addWidget(edit, stretch)
            layout.addWidget(error)
            self.text_edits[key] = edit
            self.error_labels[key] = error
        self.topics_edit = self.text_edits["topics"]
        self.minutes_edit = self.text_edits["minutes"]
        self.decisions_edit = self.text_edits["decisions"]
        self._add_tab(TAB_MINUTES, page, _("Minutes"))

    def _connect_changes(self) -> None:
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.date_edit.dateChanged.connect(lambda _date: self._refill_timer.start())
        for edit in (self.title_edit, self.place_edit):
            edit.textChanged.connect(self._changed)
        for combo in (self.chair_combo, self.recorder_combo):
            combo.currentTextChanged.connect(self._changed)
        for text_edit in (self.invited_edit, *self.text_edits.values()):
            text_edit.textChanged.connect(self._changed)

    # ------------------------------------------------------------------ content

    def _preset(self, kind: MeetingKind | None) -> None:
        if kind is not None:
            self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind.value))
        self._kind_changed()
        rows = expected_attendees(self.day)
        leader = next((line for line in rows if line.role is GroupRole.LEADER), None)
        director = next((line for line in rows if line.office_role is OfficeRole.DIRECTOR), None)
        if leader is not None:
            self.chair_combo.set_person_id(leader.person_id)
        if director is not None:
            self.recorder_combo.set_person_id(director.person_id)

    def _fill(self, meeting: MeetingRecord) -> None:
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(meeting.kind.value))
        self._kind_changed()
        self.title_edit.setText(meeting.title)
        self.time_edit.setTime(
            QTime(meeting.start_time.hour, meeting.start_time.minute)
            if meeting.start_time
            else NO_TIME
        )
        self.place_edit.setText(meeting.place)
        self.chair_combo.set_person_id(meeting.chair_id)
        self.recorder_combo.set_person_id(meeting.recorder_id)
        self.invited_edit.setPlainText(meeting.invited)
        self.topics_edit.setPlainText(meeting.topics)
        self.minutes_edit.setPlainText(meeting.minutes)
        self.decisions_edit.setPlainText(meeting.decisions)
        self.attendance.set_attendance(meeting.as_input().attendee_items())
        listed = {row.person_id for row in self.attendance.rows()}
        missing = [a.name for a in meeting.attendees if a.person_id not in listed]
        if missing:
            self._show_dropped(missing)
        self.follow_ups.set_items(meeting.as_input().follow_up_items())
        self.attachments.set_existing(meeting.attachments)
        self._attendance_changed()

    @property
    def day(self) -> dt.date:
        return to_date(self.date_edit.date())

    def set_day(self, day: dt.date) -> None:
        """Choose the meeting day and fill the attendees of that day now."""
        self.date_edit.setDate(to_qdate(day))
        self.refill()

    def refill(self) -> None:
        """The group of the chosen day as attendees, and first in every list of people."""
        self._refill_timer.stop()
        day = self.day
        if day == self._shown_day:
            return
        self._shown_day = day
        lines = expected_attendees(day)
        dropped = self.attendance.set_roster(lines)
        self.people.set_people(people_options(day, lines))
        self._show_dropped(dropped)
        self.group_label.setText(
            ngettext(
                "The leading group on {date}: {count} member. Untick whoever was absent and "
                "give the reason.",
                "The leading group on {date}: {count} members. Untick whoever was absent and "
                "give the reason.",
                len(lines),
            ).format(date=long_date(day), count=len(lines))
            if lines
            else _("Nobody is in the leading group on {date}.").format(date=long_date(day))
        )
        self._attendance_changed()
        self._changed()

    def _show_dropped(self, names: Sequence[str]) -> None:
        if names:
            self.dropped_label.setText(
                _(
                    "Not in the leading group on {date}, so no longer listed: {names}. List "
                    "them under “Others invited” if they attended."
                ).format(date=long_date(self.day), names="、".join(names))
            )
        self.dropped_label.setVisible(bool(names))

    def _kind_changed(self, _index: int = -1) -> None:
        code = self.kind_combo.currentData()
        self.title_edit.setPlaceholderText(
            MeetingKind(code).chinese if code else _("e.g. 2026年第四季度安全生产例会")
        )
        self._changed()

    def _attendance_edited(self, top: QModelIndex, bottom: QModelIndex, *_roles: object) -> None:
        # Unticked by the clerk in the table: the reason is asked for at once.
        if top.row() == bottom.row() and self.attendance_table.hasFocus():
            row = self.attendance.rows()[top.row()]
            if not row.present and not row.reason:
                reason = self.attendance.index(top.row(), COL_A_REASON)
                QTimer.singleShot(0, lambda: self.attendance_table.edit(reason))
        self._attendance_changed()

    def _all_present(self) -> None:
        self.attendance.set_all_present()

    def _attendance_changed(self) -> None:
        total = self.attendance.rowCount()
        present = self.attendance.present_count()
        self.present_label.setText(
            ngettext(
                "{present} of {count} member present", "{present} of {count} members present", total
            ).format(present=present, count=total)
        )
        self.all_present_button.setEnabled(present < total)
        self._update_tab_titles()
        self._changed()

    def _update_tab_titles(self) -> None:
        if not hasattr(self, "attachments"):
            return
        titles = {
            TAB_MEETING: _("Meeting"),
            TAB_ATTENDANCE: _("Attendance ({present}/{count})").format(
                present=self.attendance.present_count(), count=self.attendance.rowCount()
            ),
            TAB_MINUTES: _("Minutes"),
            TAB_FOLLOW_UPS: _("Follow-up items ({count})").format(count=len(self.follow_ups.rows)),
            TAB_ATTACHMENTS: _("Attachments ({count})").format(count=self.attachments.count()),
        }
        for key, title in titles.items():
            self.tabs.setTabText(self.tab_index(key), title)

    def tab_index(self, key: str) -> int:
        return self.tabs.indexOf(self.tab_pages[key])

    def show_tab(self, key: str) -> None:
        self.tabs.setCurrentIndex(self.tab_index(key))

    # ------------------------------------------------------------------ reading the form

    def start_time(self) -> dt.time | None:
        value = self.time_edit.time()
        return None if value == NO_TIME else dt.time(value.hour(), value.minute())

    def meeting_input(self) -> MeetingInput:
        return MeetingInput(
            kind=self.kind_combo.currentData() or "",
            held_on=self.day,
            start_time=self.start_time(),
            title=self.title_edit.text(),
            place=self.place_edit.text(),
            chair_id=self.chair_combo.person_id(),
            recorder_id=self.recorder_combo.person_id(),
            attendees=tuple(self.attendance.attendees()),
            invited=self.invited_edit.toPlainText(),
            topics=self.topics_edit.toPlainText(),
            minutes=self.minutes_edit.toPlainText(),
            decisions=self.decisions_edit.toPlainText(),
            follow_ups=tuple(self.follow_ups.items()),
        )

    def problems(self) -> dict[str, str]:
        """Field → why the meeting cannot be saved: the dialog's own checks, then the
        service's (the same ones save_meeting makes)."""
        self.refill()  # a day typed a moment ago: its group, not the last one's
        errors: dict[str, str] = {}
        if self.kind_combo.currentIndex() < 0:
            errors["kind"] = _("Choose the kind of meeting.")
        for key, combo in (("chair", self.chair_combo), ("recorder", self.recorder_combo)):
            typed = combo.unknown_text()
            if typed:
                errors[key] = _(
                    "“{name}” is not in the list of people; choose from the list."
                ).format(name=typed)
        errors.update(self.follow_ups.problems())
        errors.update(self.attachments.problems())
        for key, message in check_meeting(self.meeting_input(), self.today).items():
            errors.setdefault(key, message)
        return errors

    # ------------------------------------------------------------------ problems

    def show_errors(self, errors: dict[str, str]) -> None:
        own = set(self.error_labels)
        self.form_errors.show(
            {
                key: message
                for key, message in errors.items()
                if key not in own and not key.startswith("follow_up.")
            }
        )
        for key, label in self.error_labels.items():
            label.set_message(errors.get(key))
        self.follow_ups.show_errors(errors)
        self.attachments.error.set_message(errors.get("attachments"))
        failing = {tab_of(key) for key in errors}
        for key in TABS:
            color = ERROR_TAB_COLOR if key in failing else QColor()
            self.tabs.tabBar().setTabTextColor(self.tab_index(key), color)

    def messages(self) -> dict[str, str]:
        """Every problem shown (for tests and the accessible summary)."""
        found = self.form_errors.messages()
        for key, label in self.error_labels.items():
            if label.text():
                found[key] = label.text()
        if self.follow_ups.error.text():
            found["follow_ups"] = self.follow_ups.error.text()
        if self.attachments.error.text():
            found["attachments"] = self.attachments.error.text()
        return found

    def _changed(self, *_args: object) -> None:
        if self._tried:
            self._recheck_timer.start()

    def _recheck(self) -> None:
        """After a refused OK, the messages follow the clerk's corrections."""
        if self.saving is None:
            self.show_errors(self.problems())

    def _show_first_problem(self, errors: dict[str, str]) -> None:
        tabs = [tab_of(key) for key in errors]
        current = TABS[self.tabs.currentIndex()] if self.tabs.currentIndex() >= 0 else None
        if current in tabs:
            return
        for key in TABS:
            if key in tabs:
                self.show_tab(key)
                return

    # ------------------------------------------------------------------ saving

    def accept(self) -> None:
        if self.saving is not None:
            return
        self._tried = True
        self._recheck_timer.stop()
        errors = self.problems()
        self.show_errors(errors)
        if errors:
            self._show_first_problem(errors)
            return
        try:
            self.meeting_id = save_meeting(
                self.meeting_input(), meeting_id=self.meeting_id, today=self.today
            )
        except MeetingError as error:
            self.show_errors(error.errors)
            self._show_first_problem(error.errors)
            return
        self.saved = True
        if self.attachments.has_changes():
            self._save_files(self.meeting_id)
            return
        super().accept()

    def _save_files(self, meeting_id: int) -> None:
        added = list(self.attachments.pending)
        removed = [line.id for line in self.attachments.removed]
        self.buttons.setEnabled(False)
        self.saving = (
            Op(
                self,
                lambda: apply_file_changes(meeting_id, added, removed),
                label=_("Copying the files beside the database…"),
            )
            .success(lambda failed: self._files_saved(meeting_id, failed))
            .failure(lambda error: self._files_failed(meeting_id, error))
            .run()
        )

    def _reload_files(self, meeting_id: int) -> list[AttachmentLine]:
        self.saving = None
        self.buttons.setEnabled(True)
        try:
            lines = list(get_meeting(meeting_id).attachments)
        except MeetingError:
            lines = []
        self.attachments.removed = []
        self.attachments.pending = []
        self.attachments.set_existing(lines)
        return lines

    def _files_saved(self, meeting_id: int, failed: list[tuple[Path, str]]) -> None:
        self._reload_files(meeting_id)
        if not failed:
            super().accept()
            return
        self.attachments.add_paths([path for path, _reason in failed])
        self.attachments.error.set_message(
            _(
                "The meeting was saved, but these files could not be attached: {files}. "
                "Press OK to try again, or remove them."
            ).format(files="; ".join(reason for _path, reason in failed))
        )
        self.show_tab(TAB_ATTACHMENTS)
        self._update_tab_titles()

    def _files_failed(self, meeting_id: int, error: BaseException) -> None:
        self._reload_files(meeting_id)
        self._update_tab_titles()
        show_error(self, error, _("Cannot attach the files"))

    def reject(self) -> None:
        if self.saving is not None:
            return  # the files are being copied: the meeting is saved either way
        super().reject()
