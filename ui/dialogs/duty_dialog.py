"""Add or change one duty: its text and the clause it comes from."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.org.kinds import PostKind
from app.responsibility.duties import (
    MAX_TEXT,
    DutyError,
    DutyItem,
    cleaned,
    duty_number,
)
from ui.widgets.forms import FieldError, FieldErrors, FormDialog


class DutyDialog(FormDialog):
    """Write one duty and where it comes from; an empty or too long duty is refused here."""

    def __init__(
        self,
        parent: QWidget | None,
        *,
        kind: PostKind,
        position: int,
        item: DutyItem | None = None,
    ):
        super().__init__(parent)
        self.item: DutyItem | None = None
        number = duty_number(position)
        self.setWindowTitle(
            _("New duty {number} — {kind}").format(number=number, kind=kind.label)
            if item is None
            else _("Duty {number} — {kind}").format(number=number, kind=kind.label)
        )
        self.setMinimumWidth(600)
        self.text_edit = QPlainTextEdit(self)
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setPlaceholderText(_("e.g. 每季度至少带队开展1次安全生产检查。"))
        self.text_edit.setMinimumHeight(self.fontMetrics().lineSpacing() * 5 + 12)
        self.clause_edit = QLineEdit(self)
        self.clause_edit.setPlaceholderText(_("e.g. 《实施办法》第十条"))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.general_error = FieldError(self)
        self.errors = FieldErrors(self.general_error)
        self.errors.add_row(
            form,
            "text",
            _("Duty"),
            self.text_edit,
            hint=_("One duty, as it prints after its number; line breaks become spaces."),
        )
        self.errors.add_row(
            form,
            "clause",
            _("Clause"),
            self.clause_edit,
            hint=_("Optional: the rule it comes from."),
        )
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
        if item is not None:
            self.text_edit.setPlainText(item.text)
            self.clause_edit.setText(item.clause)
        self.text_edit.setFocus()

    def problems(self) -> dict[str, str]:
        item = DutyItem(self.text_edit.toPlainText(), self.clause_edit.text())
        try:
            cleaned([item])
        except DutyError as error:
            text = " ".join(item.text.split())
            field = "clause" if text and len(text) <= MAX_TEXT else "text"
            return {field: error.problems[1]}
        return {}

    def accept(self) -> None:
        errors = self.problems()
        if errors:
            self.errors.show(errors)
            return
        (self.item,) = cleaned([DutyItem(self.text_edit.toPlainText(), self.clause_edit.text())])
        super().accept()
