"""The leading group's name and where its office sits (both print on the roster)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.roster import service
from app.roster.service import RosterError
from ui.widgets.forms import FieldError, FieldErrors, FormDialog


class GroupSettingsDialog(FormDialog):
    def __init__(self, parent: QWidget | None):
        super().__init__(parent)
        self.setWindowTitle(_("Group settings"))
        self.setMinimumWidth(520)
        group = service.get_group()
        self.name_edit = QLineEdit(group.name, self)
        self.name_edit.setPlaceholderText(_("e.g. 青禾镇安全生产领导小组"))
        self.office_edit = QLineEdit(group.office_location, self)
        self.office_edit.setPlaceholderText(_("e.g. 镇应急管理办公室"))

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.general_error = FieldError(self)
        self.errors = FieldErrors(self.general_error)
        self.errors.add_row(
            form,
            "group_name",
            _("Name of the group"),
            self.name_edit,
            hint=_("Printed as the title of the roster."),
        )
        self.errors.add_row(
            form,
            "office_location",
            _("The group's office sits in"),
            self.office_edit,
            hint=_("Printed under the roster: where the group's office is."),
        )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addStretch(1)
        layout.addWidget(buttons)

    def accept(self) -> None:
        try:
            service.update_group(self.name_edit.text(), self.office_edit.text())
        except RosterError as error:
            self.errors.show(error.errors)
            return
        super().accept()
