"""继任: a successor takes a member's place and group role from a day, with chosen titles."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, ngettext, pgettext
from app.org.people import ONE_DAY
from app.responsibility.assignments import assignments_as_of
from app.roster import service
from app.roster.service import RosterError
from app.roster.snapshot import RosterLine
from ui.models.roster_model import role_label
from ui.widgets.forms import FieldError, FieldErrors, FormDialog, date_edit, hint_label, to_date


class SuccessionDialog(FormDialog):
    def __init__(self, parent: QWidget | None, *, line: RosterLine, day: dt.date):
        super().__init__(parent)
        self._line = line
        self.membership_id: int | None = None
        self.setWindowTitle(_("Hand over the place of {name}").format(name=line.name))
        self.setMinimumWidth(520)

        intro = QLabel(
            _(
                "From the chosen day the successor takes the place of {name} in the group, "
                "with the group role “{role}”. {name} leaves the group the day before."
            ).format(name=line.name, role=role_label(line)),
            self,
        )
        intro.setWordWrap(True)

        self.successor_edit = QLineEdit(self)
        self.phone_edit = QLineEdit(self)
        self.date_edit = date_edit(max(day, line.start_date + ONE_DAY), self)
        titles_box = QWidget(self)
        titles_layout = QVBoxLayout(titles_box)
        titles_layout.setContentsMargins(0, 0, 0, 0)
        self.title_checks: list[QCheckBox] = []
        for title in line.titles:
            check = QCheckBox(title.replace("&", "&&"), titles_box)
            check.setChecked(True)
            titles_layout.addWidget(check)
            self.title_checks.append(check)
        if not line.titles:
            none = _("{name} holds no titles.").format(name=line.name)
            titles_layout.addWidget(hint_label(none, titles_box))

        # The areas pass with the post; a clerk handing over only a village post of someone
        # who stays a township leader unticks this.
        areas = assignments_as_of(day, person_id=line.person_id)
        self.areas_check = QCheckBox(self)
        self.areas_check.setChecked(True)
        self.areas_check.setVisible(bool(areas))
        if areas:
            names = pgettext("list of names", ", ").join(area.unit_name for area in areas)
            self.areas_check.setText(
                ngettext(
                    "The area {name} answers for passes too: {areas}",
                    "The {count} areas {name} answers for pass too: {areas}",
                    len(areas),
                ).format(name=line.name, count=len(areas), areas=names)
            )

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.general_error = FieldError(self)
        self.errors = FieldErrors(self.general_error)
        self.errors.add_row(form, "successor", _("Successor"), self.successor_edit)
        self.errors.add_row(form, "phone", _("Successor's phone"), self.phone_edit)
        self.errors.add_row(form, "date", _("Takes over from"), self.date_edit)
        self.errors.add_row(
            form,
            "titles",
            _("Titles that pass over"),
            titles_box,
            hint=_("The successor's own titles stay; the ones ticked here are added."),
        )

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Hand over"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.areas_check)
        layout.addWidget(self.general_error)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.successor_edit.setFocus()

    @property
    def from_date(self) -> dt.date:
        return to_date(self.date_edit.date())

    def chosen_titles(self) -> list[str]:
        return [
            title
            for title, check in zip(self._line.titles, self.title_checks, strict=True)
            if check.isChecked()
        ]

    def accept(self) -> None:
        try:
            self.membership_id = service.hand_over(
                self._line.membership_id,
                self.successor_edit.text(),
                self.from_date,
                titles=self.chosen_titles(),
                phone=self.phone_edit.text().strip(),
                pass_areas=self.areas_check.isChecked(),
            )
        except RosterError as error:
            self.errors.show(error.errors)
            return
        super().accept()
