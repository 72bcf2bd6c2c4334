"""Add or edit one member of the leading group; problems show in red under their field."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.roster import service
from app.roster.roles import GroupRole, OfficeRole
from app.roster.service import MemberInput, RosterError
from app.roster.snapshot import RosterLine
from ui.widgets.forms import FieldError, FieldErrors, FormDialog, date_edit, to_date

VALIDATE_DELAY_MS = 250
FIELDS = ("name", "titles", "role", "office_role", "phone", "date")


class MemberDialog(FormDialog):
    """Adds a member from a day, or changes one from a day (``line`` given)."""

    def __init__(self, parent: QWidget | None, *, day: dt.date, line: RosterLine | None = None):
        super().__init__(parent)
        self._line = line
        self._touched: set[str] = set()
        self._tried = False
        self.membership_id: int | None = None
        self.setWindowTitle(
            _("Add a member") if line is None else _("Edit {name}").format(name=line.name)
        )
        self.setMinimumWidth(520)

        self.name_edit = QLineEdit(self)
        self.titles_edit = QLineEdit(self)
        self.titles_edit.setPlaceholderText(_("e.g. 组织委员、常青村党总支书记"))
        self.role_combo = QComboBox(self)
        for role in sorted(GroupRole, key=lambda r: r.rank):
            self.role_combo.addItem(role.label, role.value)
        self.office_combo = QComboBox(self)
        self.office_combo.addItem(_("None"), "")
        for office in OfficeRole:
            self.office_combo.addItem(office.label, office.value)
        self.phone_edit = QLineEdit(self)
        self.date_edit = date_edit(day, self)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.general_error = FieldError(self)
        self.errors = FieldErrors(self.general_error)
        self.errors.add_row(form, "name", _("Name"), self.name_edit)
        self.errors.add_row(
            form,
            "titles",
            _("Titles"),
            self.titles_edit,
            hint=_("Several titles in one line, separated by “、”, in the order they print."),
        )
        self.errors.add_row(form, "role", _("Group role"), self.role_combo)
        self.errors.add_row(form, "office_role", _("Office role"), self.office_combo)
        self.errors.add_row(form, "phone", _("Phone"), self.phone_edit)
        if line is None:
            date_label = _("In the group from")
            date_hint = _("The member appears in rosters from this day on.")
        else:
            date_label = _("Changes apply from")
            date_hint = _(
                "A new role or new titles count from this day; rosters of earlier days stay "
                "as they were. Name and phone change everywhere."
            )
        self.errors.add_row(form, "date", date_label, self.date_edit, hint=date_hint)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        if line is not None:
            self._fill(line)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(VALIDATE_DELAY_MS)
        self._timer.timeout.connect(self._validate_live)
        self.name_edit.textEdited.connect(lambda _text: self._changed("name"))
        self.titles_edit.textEdited.connect(lambda _text: self._changed("titles"))
        self.phone_edit.textEdited.connect(lambda _text: self._changed("phone"))
        self.role_combo.currentIndexChanged.connect(lambda _i: self._changed("role"))
        self.office_combo.currentIndexChanged.connect(lambda _i: self._changed("office_role"))
        self.date_edit.dateChanged.connect(lambda _d: self._changed("date"))
        self.name_edit.setFocus()

    def _fill(self, line: RosterLine) -> None:
        self.name_edit.setText(line.name)
        self.titles_edit.setText(line.titles_text)
        self.role_combo.setCurrentIndex(self.role_combo.findData(line.role.value))
        office = line.office_role.value if line.office_role else ""
        self.office_combo.setCurrentIndex(self.office_combo.findData(office))
        self.phone_edit.setText(line.phone)

    # ------------------------------------------------------------------ reading the form

    @property
    def day(self) -> dt.date:
        return to_date(self.date_edit.date())

    def member_input(self) -> MemberInput:
        office = self.office_combo.currentData()
        return MemberInput(
            name=self.name_edit.text(),
            role=GroupRole(self.role_combo.currentData()),
            office_role=OfficeRole(office) if office else None,
            titles=(self.titles_edit.text(),),
            phone=self.phone_edit.text(),
        ).cleaned()

    def problems(self) -> dict[str, str]:
        editing = self._line.membership_id if self._line is not None else None
        return service.validate_member(self.member_input(), self.day, editing=editing)

    # ------------------------------------------------------------------ validation

    def _changed(self, field: str) -> None:
        self._touched.add(field)
        self._timer.start()

    def _validate_live(self) -> None:
        # Before the first OK, only complain about what the user has already touched.
        self.errors.show(self.problems(), None if self._tried else self._touched)

    def accept(self) -> None:
        self._tried = True
        self._timer.stop()
        errors = self.problems()
        if errors:
            self.errors.show(errors)
            return
        try:
            if self._line is None:
                self.membership_id = service.add_member(self.member_input(), self.day)
            else:
                self.membership_id = service.update_member(
                    self._line.membership_id, self.member_input(), self.day
                )
        except RosterError as error:
            self.errors.show(error.errors)
            return
        super().accept()
