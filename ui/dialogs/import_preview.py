"""What an import will add, change and remove, shown before anything is written."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from ui.models.import_plan_model import COL_DETAILS, COL_KIND, COL_NAME, ImportPlanModel
from ui.widgets.forms import hint_label, long_date
from ui.widgets.tables import wrap_rows

if TYPE_CHECKING:
    from app.roster.interchange import ImportPlan


class ImportPreviewDialog(QDialog):
    """Accepting means "apply this plan"; the caller writes it (all or nothing)."""

    changes_data = True  # OK writes: not opened while the database is read-only

    def __init__(self, parent: QWidget | None, plan: ImportPlan):
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle(_("Import preview — {file}").format(file=plan.source.name))
        self.resize(820, 520)

        summary = QLabel(plan.summary(), self)
        bold = QFont(summary.font())
        bold.setBold(True)
        bold.setPointSizeF(bold.pointSizeF() * 1.15)
        summary.setFont(bold)
        summary.setWordWrap(True)
        self.summary_label = summary

        facts = [
            _("File: {file}").format(file=str(plan.source)),
            _(
                "The changes take effect on {date}; rosters of earlier days stay as they were."
            ).format(date=long_date(plan.effective)),
        ]
        if plan.group_name is not None:
            facts.append(_("The group will be named “{name}”.").format(name=plan.group_name))
        if plan.reorder:
            facts.append(_("The order of members will follow the file."))
        self.facts_label = QLabel("\n".join(facts), self)
        self.facts_label.setWordWrap(True)

        self.model = ImportPlanModel(plan, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_KIND, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_DETAILS, QHeaderView.ResizeMode.Stretch)
        wrap_rows(self.table)
        self.table.setVisible(bool(plan.changes))

        self.buttons = QDialogButtonBox(self)
        self.apply_button = self.buttons.addButton(
            _("Apply"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.apply_button.setEnabled(not plan.is_empty)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        # A file may list only some members; then nobody should leave because of it.
        self._full_plan = plan
        self.keep_absent_box = QCheckBox(
            _("Keep the members who are not in the file (the file lists only some)"), self
        )
        self.keep_absent_box.setVisible(plan.has_leavers)
        self.keep_absent_box.toggled.connect(self._keep_absent_toggled)

        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.facts_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.keep_absent_box)
        if plan.is_empty:
            layout.addStretch(1)
        else:
            layout.addWidget(
                hint_label(
                    _(
                        "Nothing has been written yet. “Apply” writes every change at "
                        "once; “Cancel” leaves the roster as it is."
                    ),
                    self,
                )
            )
        layout.addWidget(self.buttons)

    def _keep_absent_toggled(self, keep: bool) -> None:
        self.plan = self._full_plan.keeping_absent() if keep else self._full_plan
        self.model.set_plan(self.plan)
        self.summary_label.setText(self.plan.summary())
        self.table.setVisible(bool(self.plan.changes))
        self.apply_button.setEnabled(not self.plan.is_empty)
