"""The units the responsibility system is about: the township, its departments, villages and
communities, fields of work (industries) and enterprises — listed, added, changed, deleted.

A unit that history still needs (people's posts, assignments, enterprises in it) is never
deleted: the clerk is told what holds it instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from app.i18n import _, ngettext
from app.org import units
from app.org.kinds import UnitKind
from app.org.units import KIND_ORDER, UnitError, UnitLine
from ui import dialogs
from ui.dialogs.unit_dialog import UnitDialog
from ui.models.units_model import (
    COL_EMPLOYEES,
    COL_INDUSTRY,
    COL_KIND,
    COL_MANAGER,
    COL_NAME,
    COL_PARENT,
    COL_RISK,
    COL_SUPERVISOR,
    UnitFilterProxy,
    UnitTableModel,
)
from ui.pages.responsibility import ResponsibilityTab
from ui.widgets.actions import action_button, make_action
from ui.widgets.tables import record_table

if TYPE_CHECKING:
    from ui.pages.responsibility import ResponsibilityPage

TERRITORIAL = "territorial"  # the filter's "villages and communities" choice


class UnitsTab(ResponsibilityTab):
    def __init__(self, page: ResponsibilityPage):
        super().__init__(page)
        self.model = UnitTableModel(self)
        self.proxy = UnitFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.last_dialog: UnitDialog | None = None

        self._build_actions()
        self._build_filters()
        self._build_table()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 10, 0, 4)
        layout.setSpacing(8)
        layout.addLayout(self._bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        self.refresh()

    # ------------------------------------------------------------------ building

    def _action(
        self, text: str, slot: Callable[[], object], tip: str, *keys: QKeySequence
    ) -> QAction:
        return make_action(self, text, slot, tip, *keys)

    def _button_for(self, action: QAction) -> QPushButton:
        button = action_button(action, self)
        self.action_buttons[action] = button
        return button

    def _build_actions(self) -> None:
        key = QKeySequence
        self.action_buttons: dict[QAction, QPushButton] = {}
        self.add_action = self._action(
            _("Add…"),
            self.add_unit,
            _("Add a unit (Ins)"),
            key(key.StandardKey.New),
            key(Qt.Key.Key_Insert),
        )
        self.edit_action = self._action(
            _("Edit…"), self.edit_unit, _("Change the selected unit (Enter)")
        )
        self.delete_action = self._action(
            _("Delete…"),
            self.delete_unit,
            _("Delete the selected unit, if nothing refers to it (Del)"),
        )

    def _build_filters(self) -> None:
        self.kind_combo = QComboBox(self)
        self.kind_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.kind_combo.currentIndexChanged.connect(self._kind_chosen)
        self.search_edit = QLineEdit(self)
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText(
            _("Search name, village, industry, department or person (Ctrl+F)")
        )
        self.search_edit.setMinimumWidth(260)
        self.search_edit.textChanged.connect(self._search_changed)
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(self._focus_search)
        kind_label = QLabel(_("Kind"), self)
        kind_label.setBuddy(self.kind_combo)
        self._bar = QHBoxLayout()
        for action in (self.add_action, self.edit_action, self.delete_action):
            self._bar.addWidget(self._button_for(action))
        self._bar.addSpacing(16)
        self._bar.addWidget(kind_label)
        self._bar.addWidget(self.kind_combo)
        self._bar.addWidget(self.search_edit, 1)

    def _build_table(self) -> None:
        self.table = record_table(self.proxy, COL_KIND, self)
        header = self.table.horizontalHeader()
        header.setResizeContentsPrecision(80)
        for column in (COL_KIND, COL_EMPLOYEES, COL_RISK):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        for column in (COL_PARENT, COL_INDUSTRY, COL_SUPERVISOR, COL_MANAGER):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _index: self.edit_unit())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self.update_actions())
        self.proxy.modelReset.connect(self.update_actions)
        self.proxy.layoutChanged.connect(self.update_actions)
        for keys, slot in (
            ((Qt.Key.Key_Return, Qt.Key.Key_Enter), self.edit_unit),
            ((Qt.Key.Key_Delete,), self.delete_unit),
        ):
            for k in keys:
                shortcut = QShortcut(QKeySequence(k), self.table)
                shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
                shortcut.activated.connect(slot)
        self.count_label = QLabel(self)
        self.count_label.setStyleSheet("color: palette(placeholder-text);")

    # ------------------------------------------------------------------ state

    def selected_line(self) -> UnitLine | None:
        rows = self.table.selectionModel().selectedRows()
        return self.proxy.line_at(rows[0]) if rows else None

    def select_unit(self, unit_id: int | None) -> bool:
        if unit_id is None:
            return False
        row = self.model.row_of(unit_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, COL_NAME))
        if not index.isValid():
            return False
        self.table.selectionModel().select(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        return True

    def focus_item(self, item: object) -> None:
        """A unit id: select it, clearing the filters if they hide it."""
        if not isinstance(item, int) or self.select_unit(item):
            return
        self.search_edit.clear()
        self.kind_combo.setCurrentIndex(0)
        self.select_unit(item)

    def refresh(self, select: int | None = None) -> None:
        if select is None:
            line = self.selected_line()
            select = line.id if line else None
        self.model.set_rows(units.unit_lines(self.page.today()))
        self._update_kind_combo()
        self.select_unit(select)
        self._update_count()
        self.update_actions()

    def _update_kind_combo(self) -> None:
        counts = self.model.kind_counts()
        current = self.kind_combo.currentData()
        self.kind_combo.blockSignals(True)
        self.kind_combo.clear()
        self.kind_combo.addItem(_("Every kind ({count})").format(count=self.model.rowCount()), None)
        for kind in KIND_ORDER:
            if kind == UnitKind.COMMUNITY:
                territorial = counts.get(UnitKind.VILLAGE, 0) + counts.get(kind, 0)
                self.kind_combo.addItem(
                    _("Villages and communities ({count})").format(count=territorial),
                    TERRITORIAL,
                )
            self.kind_combo.addItem(
                _("{kind} ({count})").format(kind=kind.label, count=counts.get(kind, 0)),
                kind.value,
            )
        index = self.kind_combo.findData(current) if current else 0
        self.kind_combo.setCurrentIndex(max(index, 0))
        self.kind_combo.blockSignals(False)

    def _kinds_chosen(self) -> list[UnitKind]:
        code = self.kind_combo.currentData()
        if code is None:
            return []
        if code == TERRITORIAL:
            return [UnitKind.VILLAGE, UnitKind.COMMUNITY]
        return [UnitKind(code)]

    def _kind_chosen(self, _index: int) -> None:
        self.proxy.set_kinds(self._kinds_chosen())
        self._update_count()
        self.update_actions()

    def _search_changed(self, text: str) -> None:
        self.proxy.set_search(text)
        self._update_count()
        self.update_actions()

    def _focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def _update_count(self) -> None:
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        if shown != total:
            text = ngettext(
                "{shown} of {count} unit shown", "{shown} of {count} units shown", total
            ).format(shown=shown, count=total)
        else:
            text = ngettext("{count} unit", "{count} units", total).format(count=total)
        self.count_label.setText(text)

    def update_actions(self) -> None:
        selected = self.selected_line() is not None
        self.edit_action.setEnabled(selected)
        self.delete_action.setEnabled(selected)

    def _changed(self, select: int | None, message: str) -> None:
        self.refresh(select)
        self.changed.emit()
        self.status_message.emit(message)

    # ------------------------------------------------------------------ actions

    def add_unit(self) -> None:
        kinds = self._kinds_chosen()
        dialog = UnitDialog(self, kind=kinds[0] if len(kinds) == 1 else None)
        self.last_dialog = dialog
        if dialogs.run_dialog(dialog) != UnitDialog.DialogCode.Accepted:
            return
        self.refresh(dialog.unit_id)
        if not self.select_unit(dialog.unit_id):
            # The new unit is of a kind the filter hides: show it anyway.
            self.focus_item(dialog.unit_id)
        self._update_count()
        self.changed.emit()
        self.status_message.emit(_("{name} was added.").format(name=dialog.unit_name))

    def edit_unit(self) -> None:
        line = self.selected_line()
        if line is None:
            return
        dialog = UnitDialog(self, line=line)
        self.last_dialog = dialog
        if dialogs.run_dialog(dialog) == UnitDialog.DialogCode.Accepted:
            self._changed(line.id, _("{name} was changed.").format(name=dialog.unit_name))

    def delete_unit(self) -> None:
        if dialogs.refuse_if_read_only(self):
            return
        line = self.selected_line()
        if line is None:
            return
        reasons = units.delete_blockers(line.id)
        if reasons:
            QMessageBox.warning(self, _("Cannot delete"), units.delete_message(line.name, reasons))
            return
        answer = QMessageBox.question(
            self,
            _("Delete a unit"),
            _("Delete {name}? Nothing refers to it yet; this cannot be undone.").format(
                name=line.name
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        row = self.table.currentIndex().row()
        try:
            units.delete_unit(line.id)
        except UnitError as error:
            QMessageBox.warning(self, _("Cannot delete"), str(error))
            self.refresh()
            return
        self.refresh()
        count = self.proxy.rowCount()
        if count:
            below = self.proxy.line_at(self.proxy.index(min(max(row, 0), count - 1), COL_NAME))
            self.select_unit(below.id if below else None)
        self.changed.emit()
        self.status_message.emit(_("{name} was deleted.").format(name=line.name))
