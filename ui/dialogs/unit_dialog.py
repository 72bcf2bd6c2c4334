"""Add or edit a unit; an enterprise's own fields show only for enterprises.

Problems show in red under their field (as in the member dialog); the dialog writes through
app.org.units, which validates again inside its transaction.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, pgettext
from app.io.text import normalize_name
from app.org import units
from app.org.kinds import RiskClass, UnitKind
from app.org.units import HOST_KINDS, UnitError, UnitInput, UnitLine
from ui.widgets.forms import FieldError, FieldErrors, FormDialog

VALIDATE_DELAY_MS = 250
# Kinds a clerk adds; the township exists once (it is offered only while there is none).
ADDABLE_KINDS = (
    UnitKind.DEPARTMENT,
    UnitKind.VILLAGE,
    UnitKind.COMMUNITY,
    UnitKind.ENTERPRISE,
    UnitKind.INDUSTRY,
    UnitKind.OTHER,
)
ENTERPRISE_FIELDS = ("parent", "industry", "supervisor", "employees", "risk_class")


class UnitDialog(FormDialog):
    """Adds a unit, or changes one (``line`` given)."""

    def __init__(
        self,
        parent: QWidget | None,
        *,
        line: UnitLine | None = None,
        kind: UnitKind | None = None,
    ):
        super().__init__(parent)
        self._line = line
        self._touched: set[str] = set()
        self._tried = False
        self.unit_id: int | None = line.id if line else None
        self.setWindowTitle(
            _("Add a unit") if line is None else _("Edit {name}").format(name=line.name)
        )
        self.setMinimumWidth(560)

        self.kind_combo = QComboBox(self)
        kinds = list(ADDABLE_KINDS)
        if (line is not None and line.kind == UnitKind.TOWNSHIP) or (
            line is None and units.township() is None
        ):
            kinds.insert(0, UnitKind.TOWNSHIP)
        for unit_kind in kinds:
            self.kind_combo.addItem(unit_kind.label, unit_kind.value)
        self.name_edit = QLineEdit(self)
        self.host_combo = QComboBox(self)
        self.host_combo.addItem(_("The township itself (no village or community)"), None)
        for choice in units.units_of(*HOST_KINDS):
            if choice.kind != UnitKind.TOWNSHIP:
                self.host_combo.addItem(choice.name, choice.id)
        self.industry_combo = QComboBox(self)
        self.industry_combo.setEditable(True)
        self.industry_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.industry_combo.addItem("", None)
        for choice in units.units_of(UnitKind.INDUSTRY):
            self.industry_combo.addItem(choice.name, choice.id)
        industry_line = self.industry_combo.lineEdit()
        if industry_line is not None:
            industry_line.setPlaceholderText(_("Choose, or type a new one"))
        self.host_combo.setPlaceholderText(_("Choose the village or community"))
        if line is None or line.kind != UnitKind.ENTERPRISE:
            self.host_combo.setCurrentIndex(-1)
        self.supervisor_combo = QComboBox(self)
        self.supervisor_combo.addItem(_("None yet"), None)
        for choice in units.units_of(UnitKind.DEPARTMENT):
            self.supervisor_combo.addItem(choice.name, choice.id)
        for combo in (self.host_combo, self.industry_combo, self.supervisor_combo):
            combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.employees_edit = QLineEdit(self)
        self.employees_edit.setPlaceholderText(_("e.g. 25"))
        self.employees_edit.setMaximumWidth(self.fontMetrics().horizontalAdvance("0") * 14)
        self.risk_combo = QComboBox(self)
        self.risk_combo.addItem(_("Not set"), None)
        for risk in RiskClass:
            self.risk_combo.addItem(risk.label, risk.value)
        self.notes_edit = QLineEdit(self)

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.general_error = FieldError(self)
        self.errors = FieldErrors(self.general_error)
        self._rows: dict[str, int] = {}

        def row(field: str, label: str, widget: QWidget, hint: str = "") -> None:
            self.errors.add_row(self.form, field, label, widget, hint=hint)
            self._rows[field] = self.form.rowCount() - 1

        row("kind", _("Kind"), self.kind_combo)
        row("name", pgettext("name of a unit", "Name"), self.name_edit)
        row(
            "parent",
            _("Located in"),
            self.host_combo,
            hint=_("The village or community where the enterprise works (属地)."),
        )
        row(
            "industry",
            _("Industry"),
            self.industry_combo,
            hint=_("Choose one, or type a new name to add an industry."),
        )
        row(
            "supervisor",
            _("Supervising department"),
            self.supervisor_combo,
            hint=_("The department that answers for safety in its line of business."),
        )
        row(
            "employees",
            _("Employees"),
            self.employees_edit,
            hint=_("From 10 employees on, the enterprise needs a safety manager."),
        )
        row("risk_class", _("Risk class"), self.risk_combo)
        row("notes", _("Notes"), self.notes_edit)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.general_error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        if line is not None:
            self._fill(line)
        elif kind is not None and self.kind_combo.findData(kind.value) >= 0:
            self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind.value))
        self._kind_changed()

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(VALIDATE_DELAY_MS)
        self._timer.timeout.connect(self._validate_live)
        self.kind_combo.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.kind_combo.currentIndexChanged.connect(lambda _i: self._changed("kind"))
        self.name_edit.textEdited.connect(lambda _t: self._changed("name"))
        self.host_combo.currentIndexChanged.connect(lambda _i: self._changed("parent"))
        self.industry_combo.currentTextChanged.connect(lambda _t: self._changed("industry"))
        self.supervisor_combo.currentIndexChanged.connect(lambda _i: self._changed("supervisor"))
        self.employees_edit.textEdited.connect(lambda _t: self._changed("employees"))
        self.name_edit.setFocus()

    def _fill(self, line: UnitLine) -> None:
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(line.kind.value))
        if line.kind == UnitKind.TOWNSHIP:
            self.kind_combo.setEnabled(False)
        self.name_edit.setText(line.name)
        if line.kind == UnitKind.ENTERPRISE:
            host = self.host_combo.findData(line.parent_id)
            self.host_combo.setCurrentIndex(max(host, 0))
            if line.industry_id is not None:
                self.industry_combo.setCurrentIndex(self.industry_combo.findData(line.industry_id))
            supervisor = self.supervisor_combo.findData(line.supervisor_id)
            self.supervisor_combo.setCurrentIndex(max(supervisor, 0))
            if line.employees is not None:
                self.employees_edit.setText(str(line.employees))
            if line.risk_class is not None:
                self.risk_combo.setCurrentIndex(self.risk_combo.findData(line.risk_class.value))
        self.notes_edit.setText(line.notes)

    # ------------------------------------------------------------------ reading the form

    @property
    def kind(self) -> UnitKind:
        return UnitKind(self.kind_combo.currentData())

    def _industry(self) -> tuple[int | None, str]:
        """(an existing industry's id, or the name of a new one)."""
        text = " ".join(self.industry_combo.currentText().split())
        if not text:
            return None, ""
        index = self.industry_combo.findText(text)
        if index > 0:
            return self.industry_combo.itemData(index), ""
        return None, text

    def unit_input(self) -> UnitInput:
        """What the form holds; UnitError if an enterprise's employees are not a number."""
        if self.kind != UnitKind.ENTERPRISE:
            return self._input(None)
        return self._input(units.parse_employees(self.employees_edit.text()))

    def _input(self, employees: int | None) -> UnitInput:
        industry_id, new_industry = self._industry()
        risk = self.risk_combo.currentData()
        return UnitInput(
            name=self.name_edit.text(),
            kind=self.kind,
            parent_id=self.host_combo.currentData(),
            industry_id=industry_id,
            new_industry=new_industry,
            supervisor_id=self.supervisor_combo.currentData(),
            employees=employees,
            risk_class=RiskClass(risk) if risk else None,
            notes=self.notes_edit.text(),
        )

    def problems(self) -> dict[str, str]:
        unreadable: dict[str, str] = {}
        try:
            employees = units.parse_employees(self.employees_edit.text())
        except UnitError as error:
            # Check the rest as if no number were given; the number's own problem wins.
            employees, unreadable = None, error.errors
        if self.kind != UnitKind.ENTERPRISE:
            unreadable = {}
        elif self.host_combo.currentIndex() < 0:
            unreadable["parent"] = _(
                "Choose the village or community the enterprise is in, or the township itself."
            )
        return units.validate_unit(self._input(employees), editing=self.unit_id) | unreadable

    # ------------------------------------------------------------------ behaviour

    def _kind_changed(self) -> None:
        enterprise = self.kind == UnitKind.ENTERPRISE
        for field in ENTERPRISE_FIELDS:
            self.form.setRowVisible(self._rows[field], enterprise)
        self.adjustSize()

    def _changed(self, field: str) -> None:
        self._touched.add(field)
        self._timer.start()

    def _validate_live(self) -> None:
        self.errors.show(self.problems(), None if self._tried else self._touched)

    def accept(self) -> None:
        self._tried = True
        self._timer.stop()
        errors = self.problems()
        if errors:
            self.errors.show(errors)
            return
        try:
            data = self.unit_input()
            if self.unit_id is None:
                self.unit_id = units.add_unit(data)
            else:
                units.update_unit(self.unit_id, data)
        except UnitError as error:
            self.errors.show(error.errors)
            return
        super().accept()

    @property
    def unit_name(self) -> str:
        return normalize_name(self.name_edit.text())
