"""Add or change one obligation rule: who — what — at least N — per period — within a window —
from which clause.  The dialog saves the rule itself; app.obligations.rules judges it, and its
messages show beside the fields (nothing is saved while any is shown)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from PySide6.QtCore import QDate, QLocale
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.meetings.kinds import MeetingKind
from app.obligations.periods import (
    FIRST_MONTH_OF_QUARTER,
    WHOLE_PERIOD,
    Period,
    PeriodError,
    parse_window,
)
from app.obligations.rules import (
    MAX_CLAUSE,
    Activity,
    ReportTo,
    Rule,
    RuleError,
    SubjectKind,
    save_rule,
)
from app.org import people as org_people
from app.org.kinds import PostKind
from app.storage.models import Person
from ui.widgets.forms import FieldError, FieldErrors, FormDialog
from ui.widgets.meeting_parts import PeopleModel, PersonCombo, PersonOption

MAX_AT_LEAST_HERE = 99
WINDOW_MONTH = "month"
WINDOW_BY = "by"

# The kinds of window each period offers (the stored window stays offered, flagged, when the
# period changes under it: the rule is refused until the clerk picks one that fits).
WINDOWS_OF = {
    Period.YEAR: (WHOLE_PERIOD, WINDOW_MONTH, WINDOW_BY),
    Period.QUARTER: (WHOLE_PERIOD, FIRST_MONTH_OF_QUARTER),
}


def window_kind_label(kind: str) -> str:
    return {
        WHOLE_PERIOD: _("The whole period"),
        WINDOW_MONTH: _("In a month of the year"),
        FIRST_MONTH_OF_QUARTER: _("In the first month of the quarter"),
        WINDOW_BY: _("By a day of the year"),
    }[kind]


def windows_for(period: Period) -> tuple[str, ...]:
    return WINDOWS_OF.get(period, (WHOLE_PERIOD,))


class RuleDialog(FormDialog):
    """One rule's fields; OK saves it, or shows why it cannot be saved."""

    def __init__(self, parent: QWidget | None, *, today: dt.date, rule: Rule | None = None) -> None:
        super().__init__(parent)
        self.original = rule
        self.saved_rule: Rule | None = None
        self.setWindowTitle(_("New rule") if rule is None else _("Rule"))
        self.setMinimumWidth(620)

        # Who.
        self.subject_kind_combo = QComboBox(self)
        kinds: list[SubjectKind] = [kind for kind in SubjectKind if kind is not SubjectKind.UNIT]
        if rule is not None and rule.subject_kind is SubjectKind.UNIT:
            kinds.append(SubjectKind.UNIT)  # kept as it is: units are not chosen here
        for kind in kinds:
            self.subject_kind_combo.addItem(kind.label, kind.value)
        self.post_kind_combo = QComboBox(self)
        for post in PostKind:
            if post is not PostKind.OTHER:
                self.post_kind_combo.addItem(post.label, post.value)
        self.people = PeopleModel(self)
        options = [PersonOption(p.id, p.name, p.titles_text) for p in org_people.people_on(today)]
        chosen = rule.subject_id if rule and rule.subject_kind is SubjectKind.PERSON else None
        if chosen is not None and all(option.person_id != chosen for option in options):
            # No longer holding a post: still offered, so the rule keeps its person.
            person = Person.get_or_none(Person.id == chosen)
            if person is not None:
                options.append(PersonOption(chosen, person.name, "", in_group=False))
        self.people.set_people(options)
        self.person_combo = PersonCombo(
            self.people, self, placeholder=_("Type part of a name or title")
        )
        self.subject_box = QWidget(self)
        subject_layout = QHBoxLayout(self.subject_box)
        subject_layout.setContentsMargins(0, 0, 0, 0)
        subject_layout.addWidget(self.post_kind_combo)
        subject_layout.addWidget(self.person_combo, 1)

        # What.
        self.activity_combo = QComboBox(self)
        for activity in Activity:
            self.activity_combo.addItem(activity.label, activity.value)
        self.code_combo = QComboBox(self)

        # How often.
        self.at_least_spin = QSpinBox(self)
        self.at_least_spin.setRange(1, MAX_AT_LEAST_HERE)
        self.period_combo = QComboBox(self)
        for period in Period:
            self.period_combo.addItem(period.label, period.value)

        # When.
        self.window_combo = QComboBox(self)
        self.month_combo = QComboBox(self)
        locale = QLocale()
        for month in range(1, 13):
            self.month_combo.addItem(locale.monthName(month), month)
        self.by_edit = QDateEdit(QDate(2000, 1, 31), self)  # 2000: 29 February can be chosen
        self.by_edit.setMinimumDate(QDate(2000, 1, 1))
        self.by_edit.setMaximumDate(QDate(2000, 12, 31))
        self.by_edit.setDisplayFormat(
            "M月d日" if locale.language() == QLocale.Language.Chinese else "MMMM d"
        )
        self.window_box = QWidget(self)
        window_layout = QHBoxLayout(self.window_box)
        window_layout.setContentsMargins(0, 0, 0, 0)
        window_layout.addWidget(self.window_combo)
        window_layout.addWidget(self.month_combo)
        window_layout.addWidget(self.by_edit)
        window_layout.addStretch(1)

        self.clause_edit = QLineEdit(self)
        self.clause_edit.setMaxLength(MAX_CLAUSE + 50)  # longer is refused with a message
        self.clause_edit.setPlaceholderText(_("e.g. 镇安全生产责任制规定第五条"))
        self.active_check = QCheckBox(_("Active: counted on the home page and in the month view"))

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form = form
        self.general_error = FieldError(self)
        self.errors = FieldErrors(self.general_error)
        add = self.errors.add_row
        add(form, "subject_kind", _("Who"), self.subject_kind_combo)
        self.subject_error = add(form, "subject", _("Whom"), self.subject_box)
        add(form, "activity", _("What"), self.activity_combo)
        self.code_error = add(form, "activity_code", _("Which"), self.code_combo)
        add(form, "at_least", _("At least"), self.at_least_spin)
        add(form, "period", _("Per"), self.period_combo)
        add(
            form,
            "window",
            _("Within"),
            self.window_box,
            hint=_("The dates of the period that count; the last one is the deadline."),
        )
        add(form, "clause", _("Clause"), self.clause_edit, hint=_("Where the rule comes from."))
        self.active_error = add(form, "active", "", self.active_check)
        # The rows shown only for some choices (the error label sits in the row's field).
        self.subject_row: QWidget = self.subject_error.parentWidget() or self.subject_box
        self.code_row: QWidget = self.code_error.parentWidget() or self.code_combo

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.accept)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)

        self.subject_kind_combo.currentIndexChanged.connect(lambda _i: self._update_subject())
        self.activity_combo.currentIndexChanged.connect(lambda _i: self._update_codes())
        self.period_combo.currentIndexChanged.connect(lambda _i: self._update_windows())
        self.window_combo.currentIndexChanged.connect(lambda _i: self._update_window_parts())

        self._window_kind = WHOLE_PERIOD
        self._fill(rule)
        self.subject_kind_combo.setFocus()

    # ------------------------------------------------------------------ filling

    def _fill(self, rule: Rule | None) -> None:
        if rule is None:
            rule = Rule(
                subject_kind=SubjectKind.TOWNSHIP,
                activity=Activity.MEETING,
                at_least=1,
                period=Period.QUARTER,
                activity_code=MeetingKind.QUARTERLY_ROUTINE.value,
            )
        self._select(self.subject_kind_combo, rule.subject_kind.value)
        if rule.subject_kind is SubjectKind.POST_KIND:
            self._select(self.post_kind_combo, rule.subject)
        elif rule.subject_kind is SubjectKind.PERSON:
            self.person_combo.set_person_id(rule.subject_id)
        self._select(self.activity_combo, rule.activity.value)
        self._update_codes()
        self._select(self.code_combo, rule.activity_code)
        self.at_least_spin.setValue(min(max(rule.at_least, 1), MAX_AT_LEAST_HERE))
        try:
            window = parse_window(rule.window)
        except PeriodError:
            window = parse_window("")
        self._window_kind = window.kind
        if window.kind == WINDOW_MONTH:
            self._select(self.month_combo, window.month)
        elif window.kind == WINDOW_BY:
            self.by_edit.setDate(QDate(2000, window.month, window.day))
        self._select(self.period_combo, rule.period.value)
        self._update_windows()
        self.clause_edit.setText(rule.clause)
        self.active_check.setChecked(rule.active)
        self._update_subject()

    @staticmethod
    def _select(combo: QComboBox, data: object) -> None:
        index = combo.findData(data)
        if index >= 0:
            combo.setCurrentIndex(index)

    def _update_subject(self) -> None:
        kind = self.subject_kind()
        self.post_kind_combo.setVisible(kind is SubjectKind.POST_KIND)
        self.person_combo.setVisible(kind is SubjectKind.PERSON)
        self.form.setRowVisible(
            self.subject_row,
            kind in (SubjectKind.POST_KIND, SubjectKind.PERSON),
        )

    def _update_codes(self) -> None:
        activity = self.activity()
        current = self.code_combo.currentData()
        self.code_combo.clear()
        if activity is Activity.MEETING:
            for kind in MeetingKind:
                self.code_combo.addItem(kind.label, kind.value)
        elif activity is Activity.REPORT:
            self.code_combo.addItem(_("(anyone)"), "")
            for target in ReportTo:
                self.code_combo.addItem(target.label, target.value)
        self._select(self.code_combo, current)
        self.form.setRowVisible(self.code_row, activity in (Activity.MEETING, Activity.REPORT))
        if not activity.counted:
            self.active_check.setChecked(False)
        self.active_check.setToolTip(activity.pending_note)

    def _update_windows(self) -> None:
        kinds = list(windows_for(self.period()))
        if self._window_kind not in kinds:
            kinds.append(self._window_kind)
        self.window_combo.blockSignals(True)
        self.window_combo.clear()
        for kind in kinds:
            label = window_kind_label(kind)
            if kind not in windows_for(self.period()):
                label = _("{window} (not for this period)").format(window=label)
            self.window_combo.addItem(label, kind)
        self._select(self.window_combo, self._window_kind)
        self.window_combo.blockSignals(False)
        self.window_combo.setEnabled(self.window_combo.count() > 1)
        self._update_window_parts()

    def _update_window_parts(self) -> None:
        kind = self.window_combo.currentData() or WHOLE_PERIOD
        self._window_kind = kind
        self.month_combo.setVisible(kind == WINDOW_MONTH)
        self.by_edit.setVisible(kind == WINDOW_BY)

    # ------------------------------------------------------------------ reading

    def subject_kind(self) -> SubjectKind:
        return SubjectKind(self.subject_kind_combo.currentData())

    def activity(self) -> Activity:
        return Activity(self.activity_combo.currentData())

    def period(self) -> Period:
        return Period(self.period_combo.currentData())

    def set_window(self, code: str) -> None:
        """Show the window a stable code names (``""``, ``"month:3"``, ``"by:01-31"`` …)."""
        window = parse_window(code)
        if window.kind == WINDOW_MONTH:
            self._select(self.month_combo, window.month)
        elif window.kind == WINDOW_BY:
            self.by_edit.setDate(QDate(2000, window.month, window.day))
        self._window_kind = window.kind
        self._update_windows()

    def window_code(self) -> str:
        kind = self.window_combo.currentData() or WHOLE_PERIOD
        if kind == WINDOW_MONTH:
            return f"month:{self.month_combo.currentData()}"
        if kind == WINDOW_BY:
            date = self.by_edit.date()
            return f"by:{date.month():02d}-{date.day():02d}"
        return str(kind)

    def subject_text(self) -> str:
        kind = self.subject_kind()
        if kind is SubjectKind.POST_KIND:
            return str(self.post_kind_combo.currentData() or "")
        if kind is SubjectKind.PERSON:
            person_id = self.person_combo.person_id()
            return "" if person_id is None else str(person_id)
        if kind is SubjectKind.UNIT and self.original is not None:
            return self.original.subject
        return ""

    def rule(self) -> Rule:
        """The rule as the fields say (not checked)."""
        activity = self.activity()
        code = ""
        if activity in (Activity.MEETING, Activity.REPORT):
            code = str(self.code_combo.currentData() or "")
        rule = Rule(
            subject_kind=self.subject_kind(),
            subject=self.subject_text(),
            activity=activity,
            activity_code=code,
            at_least=self.at_least_spin.value(),
            period=self.period(),
            window=self.window_code(),
            clause=self.clause_edit.text(),
            active=self.active_check.isChecked(),
        )
        if self.original is not None:
            rule = dataclasses.replace(rule, id=self.original.id, position=self.original.position)
        return rule

    def accept(self) -> None:
        rule = self.rule()
        if rule.subject_kind is SubjectKind.PERSON and not rule.subject:
            typed = self.person_combo.unknown_text()
            self.errors.show(
                {
                    "subject": _("“{name}” is not in the list; choose a person from it.").format(
                        name=typed
                    )
                    if typed
                    else _("Choose the person the rule binds.")
                }
            )
            return
        try:
            self.saved_rule = save_rule(rule)
        except RuleError as error:
            self.errors.show(error.errors)
            return
        super().accept()
