"""The obligation rules: who must do what, how often, within which dates, from which clause.

The home page and the month view count the active rules; inactive ones are kept, greyed, with
the reason they wait (an activity the program does not record yet).  Every change goes
through the rule dialog, and the page tells the others that what is counted changed.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QKeySequence, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.obligations.periods import PeriodError, parse_window
from app.obligations.rules import (
    Rule,
    RuleError,
    SubjectKind,
    delete_rule,
    list_rules,
    save_rule,
    subject_names,
)
from ui import dialogs
from ui.dialogs.rule_dialog import RuleDialog
from ui.errors import show_error
from ui.models.base import OBJECT_ROLE, ListTableModel, ModelIndex
from ui.widgets.actions import action_button, make_action
from ui.widgets.forms import hint_label
from ui.widgets.tables import record_table

if TYPE_CHECKING:
    from ui.pages.meetings import MeetingsPage

COL_WHO, COL_WHAT, COL_FREQUENCY, COL_WINDOW, COL_CLAUSE, COL_ACTIVE, COL_NOTE = range(7)


def window_text(rule: Rule) -> str:
    try:
        return parse_window(rule.window).label or "—"
    except PeriodError:
        return rule.window


class RuleTableModel(ListTableModel[Rule]):
    def __init__(self, parent: Any = None):
        super().__init__(
            [
                _("Who"),
                _("What"),
                _("How often"),
                _("Within"),
                _("Clause"),
                _("Active"),
                _("Note"),
            ],
            parent,
        )
        self._names: dict[tuple[SubjectKind, str], str] = {}

    def set_rules(self, rules: list[Rule]) -> None:
        self._names = subject_names(rules)
        self.set_rows(rules)

    def rules(self) -> list[Rule]:
        return list(self._rows)

    def row_of(self, rule_id: int) -> int:
        for row, rule in enumerate(self._rows):
            if rule.id == rule_id:
                return row
        return -1

    def text(self, rule: Rule, column: int) -> str:
        if column == COL_WHO:
            return self._names.get((rule.subject_kind, rule.subject), rule.subject)
        if column == COL_WHAT:
            return rule.activity_label
        if column == COL_FREQUENCY:
            return rule.period.at_least(rule.at_least)
        if column == COL_WINDOW:
            return window_text(rule)
        if column == COL_CLAUSE:
            return rule.clause
        if column == COL_ACTIVE:
            return "✓" if rule.active else "✗"
        return rule.note

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        rule = self.row_object(index)
        if rule is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(rule, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            text = self.text(rule, column)
            if column == COL_ACTIVE:
                text = _("Active: counted") if rule.active else _("Inactive: not counted")
            return "\n".join(part for part in (text, rule.note) if part) or None
        if role == Qt.ItemDataRole.ForegroundRole and not rule.active:
            return QPalette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_ACTIVE:
            return Qt.AlignmentFlag.AlignCenter
        if role == OBJECT_ROLE:
            return rule
        return None


class RulesTab(QWidget):
    def __init__(self, page: MeetingsPage):
        super().__init__(page)
        self.page = page
        self.last_dialog: RuleDialog | None = None
        self.model = RuleTableModel(self)
        self.table = record_table(self.model, COL_WHO, self)
        self.table.setSortingEnabled(False)  # the rules keep the township's order
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())

        self.add_action = make_action(
            self, _("Add…"), self.add_rule, _("Add a rule"), QKeySequence("Ctrl+N")
        )
        self.edit_action = make_action(
            self, _("Edit…"), self.edit_selected, _("Change the selected rule")
        )
        self.delete_action = make_action(
            self,
            _("Delete"),
            self.delete_selected,
            _("Delete the selected rule"),
            QKeySequence(QKeySequence.StandardKey.Delete),
        )
        self.active_action = make_action(
            self, _("Switch off"), self.toggle_active, _("Stop or start counting the rule")
        )
        buttons = QHBoxLayout()
        for action in (self.add_action, self.edit_action, self.delete_action, self.active_action):
            buttons.addWidget(action_button(action, self))
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(
            hint_label(
                _(
                    "What the township requires, and of whom.  Active rules are counted on "
                    "the home page and in the month view; greyed ones are not."
                ),
                self,
            )
        )
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)

        selection = self.table.selectionModel()
        selection.selectionChanged.connect(lambda *_args: self._update_actions())
        self.model.modelReset.connect(self._update_actions)
        self.refresh()
        self._fit_columns()

    def _fit_columns(self) -> None:
        metrics = self.table.fontMetrics()
        widths = {
            COL_WHO: metrics.horizontalAdvance("分管安全负责人（八个字）") + 18,
            COL_WHAT: metrics.horizontalAdvance("政府安全生产专题会议（十二）") + 18,
            COL_FREQUENCY: metrics.horizontalAdvance("每季度至少 1 次（十个字）") + 18,
            COL_WINDOW: metrics.horizontalAdvance("每季度第一个月内") + 18,
            COL_CLAUSE: metrics.horizontalAdvance("镇安全生产责任制规定：主要负责人") + 18,
            COL_ACTIVE: metrics.horizontalAdvance("✓✓✓") + 24,
        }
        for column, width in widths.items():
            self.table.setColumnWidth(column, width)

    # ------------------------------------------------------------------ reading

    def refresh(self, select: int | None = None) -> None:
        keep = select if select is not None else self._selected_id()
        self.model.set_rules(list_rules())
        if keep is not None:
            self.select_rule(keep)

    def select_rule(self, rule_id: int | None) -> bool:
        row = self.model.row_of(rule_id) if rule_id is not None else -1
        if row < 0:
            return False
        self.table.selectionModel().select(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.setCurrentIndex(self.model.index(row, 0))
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def selected_rule(self) -> Rule | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_object(rows[0]) if rows else None

    def _selected_id(self) -> int | None:
        rule = self.selected_rule()
        return rule.id if rule is not None else None

    def _update_actions(self) -> None:
        rule = self.selected_rule()
        chosen = rule is not None
        self.edit_action.setEnabled(chosen)
        self.delete_action.setEnabled(chosen)
        can_start = rule is not None and (rule.active or rule.activity.counted)
        self.active_action.setEnabled(can_start)
        self.active_action.setText(
            _("Switch on") if rule is not None and not rule.active else _("Switch off")
        )
        if rule is not None and not rule.activity.counted:
            self.active_action.setToolTip(rule.note)
        else:
            self.active_action.setToolTip(_("Stop or start counting the rule"))

    # ------------------------------------------------------------------ changes

    def add_rule(self) -> int | None:
        dialog = RuleDialog(self, today=self.page.today())
        return self._run(dialog, _("The rule was added: {rule}."))

    def edit_selected(self) -> bool:
        rule = self.selected_rule()
        if rule is None:
            return False
        dialog = RuleDialog(self, today=self.page.today(), rule=rule)
        return self._run(dialog, _("The rule was saved: {rule}.")) is not None

    def _run(self, dialog: RuleDialog, message: str) -> int | None:
        self.last_dialog = dialog
        result = dialogs.run_dialog(dialog)
        saved = dialog.saved_rule
        if result != RuleDialog.DialogCode.Accepted or saved is None:
            return None
        self._changed(saved.id, message.format(rule=saved.describe()))
        return saved.id

    def toggle_active(self) -> bool:
        if dialogs.refuse_if_read_only(self):
            return False
        rule = self.selected_rule()
        if rule is None:
            return False
        try:
            saved = save_rule(dataclasses.replace(rule, active=not rule.active))
        except RuleError as error:
            show_error(self, error, _("Cannot change the rule"))
            self.refresh()
            return False
        message = (
            _("The rule is counted again: {rule}.")
            if saved.active
            else _("The rule is no longer counted: {rule}.")
        )
        self._changed(saved.id, message.format(rule=saved.describe()))
        return True

    def delete_selected(self) -> bool:
        if dialogs.refuse_if_read_only(self):
            return False
        rule = self.selected_rule()
        if rule is None or rule.id is None:
            return False
        answer = QMessageBox.question(
            self,
            _("Delete the rule"),
            _("Delete the rule “{rule}”?").format(rule=rule.describe())
            + "\n\n"
            + _("Meetings already recorded stay; only the rule goes."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            delete_rule(rule.id)
        except RuleError as error:
            show_error(self, error, _("Cannot delete the rule"))
            self.refresh()
            return False
        self._changed(None, _("The rule was deleted: {rule}.").format(rule=rule.describe()))
        return True

    def _changed(self, select: int | None, message: str) -> None:
        self.refresh(select)
        self.page.rules_changed(message)
