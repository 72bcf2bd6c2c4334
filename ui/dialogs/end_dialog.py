"""End a membership on a last day; the member stays in the rosters of earlier days."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, ngettext, pgettext
from app.org.people import ONE_DAY
from app.responsibility.assignments import assignments_as_of
from app.roster import service
from app.roster.service import RosterError
from app.roster.snapshot import RosterLine
from ui.widgets.forms import FieldError, FieldErrors, FormDialog, date_edit, hint_label, to_date


def default_last_day(line: RosterLine, day: dt.date) -> dt.date:
    """The day before the roster's date, so the member is gone from the roster being looked at;
    never before the member joined."""
    return max(line.start_date, day - ONE_DAY)


class EndMembershipDialog(FormDialog):
    # done() code when the clerk removed an entry made by mistake instead of ending it.
    REMOVED = 2

    def __init__(self, parent: QWidget | None, *, line: RosterLine, day: dt.date):
        super().__init__(parent)
        self._line = line
        self.setWindowTitle(_("End membership"))
        self.setMinimumWidth(460)

        intro = QLabel(
            _("{name} leaves the leading group. Rosters of earlier days keep them.").format(
                name=line.name
            ),
            self,
        )
        intro.setWordWrap(True)
        self.date_edit = date_edit(default_last_day(line, day), self)
        form = QFormLayout()
        self.general_error = FieldError(self)
        self.errors = FieldErrors(self.general_error)
        self.errors.add_row(
            form,
            "date",
            _("Last day in the group"),
            self.date_edit,
            hint=_("From the next day on, {name} no longer appears in the roster.").format(
                name=line.name
            ),
        )
        # Someone who leaves the township also stops answering for their areas; someone who
        # only leaves the group (a village secretary, say) keeps them: the clerk decides.
        areas = assignments_as_of(default_last_day(line, day), person_id=line.person_id)
        self.areas_check = QCheckBox(self)
        self.areas_check.setVisible(bool(areas))
        if areas:
            names = pgettext("list of names", ", ").join(area.unit_name for area in areas)
            self.areas_check.setText(
                ngettext(
                    "Also end the area {name} answers for: {areas}",
                    "Also end the {count} areas {name} answers for: {areas}",
                    len(areas),
                ).format(name=line.name, count=len(areas), areas=names)
            )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("End membership"))
        self.remove_button = buttons.addButton(
            _("Remove the entry…"), QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.remove_button.setToolTip(
            _("Only for an entry made by mistake: it disappears from every roster.")
        )
        self.remove_button.clicked.connect(self.remove_entry)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.areas_check)
        layout.addWidget(self.general_error)
        layout.addWidget(
            hint_label(
                _("To record that someone else takes over this place, use “Hand over” instead."),
                self,
            )
        )
        layout.addStretch(1)
        layout.addWidget(buttons)

    @property
    def last_day(self) -> dt.date:
        return to_date(self.date_edit.date())

    def remove_entry(self) -> None:
        answer = QMessageBox.question(
            self,
            _("Remove the entry"),
            _(
                "Remove {name}'s entry from the roster of every day? Do this only for an "
                "entry made by mistake; a member who leaves is ended instead."
            ).format(name=self._line.name),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        service.delete_membership(self._line.membership_id)
        self.done(self.REMOVED)

    def accept(self) -> None:
        try:
            service.end_membership(
                self._line.membership_id, self.last_day, end_areas=self.areas_check.isChecked()
            )
        except RosterError as error:
            self.errors.show(error.errors)
            return
        super().accept()
