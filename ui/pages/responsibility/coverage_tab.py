"""The coverage check (横向到边、纵向到底): what has nobody answerable on a day, and a fix for
each gap right here.

Every gap is computed from the records (app.responsibility.coverage), so a fix writes the
record that was missing — an assignment, a supervising department, a safety manager's post —
and the gap disappears on the refresh that follows.  A past day is read only: history is
changed where it is kept, not from a check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QItemSelectionModel, Qt
from PySide6.QtGui import QAction, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, ngettext
from app.io.text import normalize_name
from app.org.kinds import UnitKind
from app.responsibility.coverage import Coverage, Gap, Rule, check_coverage
from app.responsibility.levels import Level
from ui import dialogs
from ui.dialogs.assign_dialog import (
    AssignDialog,
    SafetyManagerDialog,
    SupervisorDialog,
    direct_candidates,
    leader_candidates,
)
from ui.models.coverage_model import (
    COL_EMPLOYEES,
    COL_KIND,
    COL_RULE,
    COL_UNIT,
    GapFilterProxy,
    GapTableModel,
)
from ui.pages.responsibility import ResponsibilityTab
from ui.printing.documents import PdfPrinter
from ui.tasks import Op
from ui.widgets.actions import action_button, make_action
from ui.widgets.cards import MUTED_STYLE, NOTICE_STYLE
from ui.widgets.forms import date_edit, long_date, to_date, to_qdate

if TYPE_CHECKING:
    from ui.pages.responsibility import ResponsibilityPage

GOOD_COLOR = "#1e7b34"
BAD_COLOR = "#b3261e"
AREA_RULES = (
    Rule.DEPARTMENT_WITHOUT_LEADER,
    Rule.TERRITORY_WITHOUT_PATRON,
    Rule.TERRITORY_WITHOUT_DIRECT,
)


def rule_sentence(rule: Rule, gaps: int, checked: int) -> str:
    """ "3 of 12 departments have no overseeing leader", or that all have one."""
    if rule == Rule.DEPARTMENT_WITHOUT_LEADER:
        if not checked:
            return _("No departments are recorded yet.")
        if gaps:
            return ngettext(
                "{gaps} of {count} departments has no overseeing leader",
                "{gaps} of {count} departments have no overseeing leader",
                gaps,
            ).format(gaps=gaps, count=checked)
        return ngettext(
            "{count} department has an overseeing leader",
            "All {count} departments have an overseeing leader",
            checked,
        ).format(count=checked)
    if rule == Rule.TERRITORY_WITHOUT_PATRON:
        if not checked:
            return _("No villages or communities are recorded yet.")
        if gaps:
            return ngettext(
                "{gaps} of {count} villages and communities has no patron leader",
                "{gaps} of {count} villages and communities have no patron leader",
                gaps,
            ).format(gaps=gaps, count=checked)
        return ngettext(
            "{count} village or community has a patron leader",
            "All {count} villages and communities have a patron leader",
            checked,
        ).format(count=checked)
    if rule == Rule.TERRITORY_WITHOUT_DIRECT:
        if not checked:
            return _("No villages or communities are recorded yet.")
        if gaps:
            return ngettext(
                "{gaps} of {count} villages and communities has no directly responsible person",
                "{gaps} of {count} villages and communities have no directly responsible person",
                gaps,
            ).format(gaps=gaps, count=checked)
        return ngettext(
            "{count} village or community has a directly responsible person",
            "All {count} villages and communities have a directly responsible person",
            checked,
        ).format(count=checked)
    if rule == Rule.ENTERPRISE_WITHOUT_SUPERVISOR:
        if not checked:
            return _("No enterprises are recorded yet.")
        if gaps:
            return ngettext(
                "{gaps} of {count} enterprises has no supervising department",
                "{gaps} of {count} enterprises have no supervising department",
                gaps,
            ).format(gaps=gaps, count=checked)
        return ngettext(
            "{count} enterprise has a supervising department",
            "All {count} enterprises have a supervising department",
            checked,
        ).format(count=checked)
    if not checked:
        return _("No enterprise has 10 or more employees.")
    if gaps:
        return ngettext(
            "{gaps} of {count} enterprises with 10 or more employees has no safety manager",
            "{gaps} of {count} enterprises with 10 or more employees have no safety manager",
            gaps,
        ).format(gaps=gaps, count=checked)
    return ngettext(
        "{count} enterprise with 10 or more employees has a safety manager",
        "All {count} enterprises with 10 or more employees have a safety manager",
        checked,
    ).format(count=checked)


def fix_tip(rule: Rule) -> str:
    """What "Fix…" does for a gap of this rule."""
    return {
        Rule.DEPARTMENT_WITHOUT_LEADER: _("Choose the leader who oversees the department"),
        Rule.TERRITORY_WITHOUT_PATRON: _("Choose the leader who is patron of it (包保)"),
        Rule.TERRITORY_WITHOUT_DIRECT: _("Choose the person directly responsible for it"),
        Rule.ENTERPRISE_WITHOUT_SUPERVISOR: _("Choose the department that supervises it"),
        Rule.ENTERPRISE_WITHOUT_SAFETY_MANAGER: _("Enter its safety manager"),
    }[rule]


def coverage_document_name(day: dt.date) -> str:
    return f"安全生产责任体系覆盖检查-{day.isoformat()}.pdf"


class CoverageTab(ResponsibilityTab):
    """Counts per rule, the gaps, and a fix for each."""

    def __init__(self, page: ResponsibilityPage):
        super().__init__(page)
        self.coverage: Coverage | None = None
        self.last_dialog: QWidget | None = None
        self.printer = PdfPrinter(self)
        self.model = GapTableModel(self)
        self.proxy = GapFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self._build_actions()
        self._build_header()
        self._build_summary()
        self._build_table()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 10, 0, 4)
        layout.setSpacing(8)
        layout.addLayout(self._header_layout)
        layout.addWidget(self.past_notice)
        layout.addWidget(self.headline)
        layout.addLayout(self.summary_grid)
        layout.addSpacing(4)
        layout.addWidget(self.table_bar)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.hint_label)
        self.refresh()

    # ------------------------------------------------------------------ building

    def _action(
        self, text: str, slot: Callable[[], object], tip: str, *keys: QKeySequence
    ) -> QAction:
        return make_action(self, text, slot, tip, *keys)

    def _button_for(self, action: QAction, parent: QWidget | None = None) -> QPushButton:
        button = action_button(action, parent or self)
        self.action_buttons[action] = button
        return button

    def _build_actions(self) -> None:
        self.action_buttons: dict[QAction, QPushButton] = {}
        self.fix_action = self._action(
            _("Fix…"), lambda: self.fix_gap(), _("Record who answers for the selected gap")
        )
        self.grid_action = self._action(
            _("Open in grid"),
            self.open_in_grid,
            _("Show the unit in the grid of who answers for what"),
        )
        self.units_action = self._action(
            _("Show in units"), self.show_in_units, _("Show the enterprise in the list of units")
        )
        self.print_action = self._action(
            _("Print…"), self.print_check, _("Preview, print or save the check as PDF")
        )
        self.print_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Print))
        self.print_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def _build_header(self) -> None:
        self.as_of_edit = date_edit(self.page.today(), self)
        self.as_of_edit.setToolTip(_("Choose a past day to see the check as it stood then"))
        self.as_of_edit.dateChanged.connect(self._as_of_changed)
        self.today_button = QPushButton(_("Today"), self)
        self.today_button.clicked.connect(lambda: self.set_as_of(self.page.today()))
        as_of_label = QLabel(_("Check as of"), self)
        as_of_label.setBuddy(self.as_of_edit)
        self._header_layout = QHBoxLayout()
        self._header_layout.addWidget(as_of_label)
        self._header_layout.addWidget(self.as_of_edit)
        self._header_layout.addWidget(self.today_button)
        self._header_layout.addStretch(1)
        self._header_layout.addWidget(self._button_for(self.print_action))
        self.past_notice = QLabel(self)
        self.past_notice.setWordWrap(True)
        self.past_notice.setStyleSheet(NOTICE_STYLE)
        self.past_notice.hide()

    def _build_summary(self) -> None:
        self.headline = QLabel(self)
        self.headline.setWordWrap(True)
        font = QFont(self.headline.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.headline.setFont(font)
        self.summary_grid = QGridLayout()
        self.summary_grid.setHorizontalSpacing(8)
        self.summary_grid.setVerticalSpacing(2)
        self.summary_grid.setColumnStretch(1, 1)
        self.rule_marks: dict[Rule, QLabel] = {}
        self.rule_labels: dict[Rule, QLabel] = {}
        for row, rule in enumerate(Rule):
            mark = QLabel("●", self)
            label = QLabel(self)
            label.setWordWrap(True)
            self.summary_grid.addWidget(mark, row, 0, Qt.AlignmentFlag.AlignTop)
            self.summary_grid.addWidget(label, row, 1)
            self.rule_marks[rule] = mark
            self.rule_labels[rule] = label

    def _build_table(self) -> None:
        self.rule_combo = QComboBox(self)
        self.rule_combo.currentIndexChanged.connect(self._rule_chosen)
        self.rule_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        show_label = QLabel(_("Show"), self)
        show_label.setBuddy(self.rule_combo)
        self.table_bar = QWidget(self)
        self._table_bar = QHBoxLayout(self.table_bar)
        self._table_bar.setContentsMargins(0, 0, 0, 0)
        for action in (self.fix_action, self.grid_action, self.units_action):
            self._table_bar.addWidget(self._button_for(action, self.table_bar))
        self._table_bar.addStretch(1)
        show_label.setParent(self.table_bar)
        self.rule_combo.setParent(self.table_bar)
        self._table_bar.addWidget(show_label)
        self._table_bar.addWidget(self.rule_combo)

        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_RULE, Qt.SortOrder.AscendingOrder)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 14)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(COL_RULE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_UNIT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_KIND, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_EMPLOYEES, QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(lambda _index: self.fix_gap())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self.update_actions())
        self.proxy.modelReset.connect(self.update_actions)
        self.proxy.layoutChanged.connect(self.update_actions)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(key), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(lambda: self.fix_gap())

        self.complete_page = QWidget(self)
        complete_layout = QVBoxLayout(self.complete_page)
        complete_layout.addStretch(1)
        self.complete_label = QLabel(self.complete_page)
        self.complete_label.setWordWrap(True)
        self.complete_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = QFont(self.complete_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.complete_label.setFont(font)
        complete_layout.addWidget(self.complete_label)
        complete_layout.addStretch(2)

        self.body = QStackedWidget(self)
        self.body.addWidget(self.table)
        self.body.addWidget(self.complete_page)
        self.hint_label = QLabel(self)
        self.hint_label.setWordWrap(True)
        self.hint_label.setStyleSheet(MUTED_STYLE)

    # ------------------------------------------------------------------ state

    @property
    def as_of(self) -> dt.date:
        return to_date(self.as_of_edit.date())

    def set_as_of(self, day: dt.date) -> None:
        self.as_of_edit.setDate(to_qdate(day))

    @property
    def read_only(self) -> bool:
        return self.as_of < self.page.today()

    def selected_gap(self) -> Gap | None:
        rows = self.table.selectionModel().selectedRows()
        return self.proxy.gap_at(rows[0]) if rows else None

    def select_row(self, row: int) -> None:
        """Select the gap shown at ``row`` (or the last one, if there are fewer)."""
        count = self.proxy.rowCount()
        if not count:
            return
        index = self.proxy.index(min(max(row, 0), count - 1), COL_UNIT)
        self.table.selectionModel().select(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)

    def select_gap(self, rule: Rule | None, unit_id: int) -> bool:
        for row in range(self.proxy.rowCount()):
            gap = self.proxy.gap_at(self.proxy.index(row, COL_UNIT))
            if gap is not None and gap.unit_id == unit_id and rule in (None, gap.rule):
                self.select_row(row)
                return True
        return False

    def focus_item(self, item: object) -> None:
        """A unit id: select its first gap (showing every rule if need be)."""
        if not isinstance(item, int):
            return
        if not self.select_gap(None, item) and self.proxy.rule is not None:
            self.rule_combo.setCurrentIndex(0)
            self.select_gap(None, item)

    def refresh(self) -> None:
        selected = self.selected_gap()
        row = self.table.currentIndex().row()
        coverage = check_coverage(self.as_of)
        self.coverage = coverage
        self.model.set_rows(coverage.gaps)
        self._update_summary(coverage)
        self._update_rule_combo(coverage)
        self._update_notice()
        self.body.setCurrentWidget(self.complete_page if coverage.complete else self.table)
        # Nothing to fix, filter or open: the buttons would only be grey.
        self.table_bar.setVisible(not coverage.complete)
        if selected is None or not self.select_gap(selected.rule, selected.unit_id):
            self.select_row(max(row, 0))
        self.update_actions()

    def _update_summary(self, coverage: Coverage) -> None:
        counts = coverage.counts
        day = long_date(coverage.day)
        total = len(coverage.gaps)
        if coverage.complete:
            text = _(
                "Coverage is complete on {date}: every department, village, community and "
                "enterprise has someone answerable."
            ).format(date=day)
            color = GOOD_COLOR
        else:
            text = ngettext(
                "{count} gap on {date}: nobody answers for it yet.",
                "{count} gaps on {date}: nobody answers for these yet.",
                total,
            ).format(count=total, date=day)
            color = BAD_COLOR
        self.headline.setText(text)
        self.headline.setStyleSheet(f"color: {color};")
        for rule in Rule:
            gaps = counts.get(rule, 0)
            checked = coverage.checked.get(rule, 0)
            self.rule_labels[rule].setText(rule_sentence(rule, gaps, checked))
            mark_color = BAD_COLOR if gaps else (GOOD_COLOR if checked else "#8a8a8a")
            self.rule_marks[rule].setStyleSheet(f"color: {mark_color};")
            self.rule_marks[rule].setToolTip(rule.label)
        self.complete_label.setText(
            _(
                "Every department has an overseeing leader, every village and community a "
                "patron leader and a directly responsible person, and every enterprise a "
                "supervising department and, from 10 employees on, a safety manager."
            )
        )

    def _update_rule_combo(self, coverage: Coverage) -> None:
        current = self.proxy.rule
        counts = coverage.counts
        self.rule_combo.blockSignals(True)
        self.rule_combo.clear()
        self.rule_combo.addItem(_("Every gap ({count})").format(count=len(coverage.gaps)), None)
        for rule in Rule:
            self.rule_combo.addItem(
                _("{rule} ({count})").format(rule=rule.label, count=counts.get(rule, 0)),
                rule.value,
            )
        # A rule whose last gap was just fixed gives way to every gap: never an empty list
        # while there is still something to fix.
        if current is not None and not counts.get(current, 0):
            current = None
            self.proxy.set_rule(None)
        index = self.rule_combo.findData(current.value) if current else 0
        self.rule_combo.setCurrentIndex(max(index, 0))
        self.rule_combo.blockSignals(False)

    def _update_notice(self) -> None:
        day, today = self.as_of, self.page.today()
        if day < today:
            self.past_notice.setText(
                _(
                    "You are looking at the check of {date}, a past day: it cannot be fixed "
                    "from here. Choose today to fix gaps."
                ).format(date=long_date(day))
            )
            self.past_notice.show()
        elif day > today:
            self.past_notice.setText(
                _(
                    "You are looking at the check of {date}, a future day. Fixes you make "
                    "here count from that day."
                ).format(date=long_date(day))
            )
            self.past_notice.show()
        else:
            self.past_notice.hide()

    def update_actions(self) -> None:
        gap = self.selected_gap()
        writable = not self.read_only
        self.fix_action.setEnabled(gap is not None and writable)
        self.fix_action.setToolTip(fix_tip(gap.rule) if gap else _("Select a gap to fix it"))
        self.grid_action.setEnabled(gap is not None and gap.rule in AREA_RULES)
        self.units_action.setEnabled(gap is not None and gap.unit_kind == UnitKind.ENTERPRISE)
        if gap is not None and writable:
            hint = _("{what}: double-click the line or press “{button}”.").format(
                what=fix_tip(gap.rule), button=self.fix_action.text()
            )
        else:
            hint = ""
        self.hint_label.setText(hint)
        self.hint_label.setVisible(bool(hint))

    def _as_of_changed(self, _date: QDate) -> None:
        self.refresh()

    def _rule_chosen(self, _index: int) -> None:
        code = self.rule_combo.currentData()
        self.proxy.set_rule(Rule(code) if code else None)
        self.select_row(0)
        self.update_actions()

    # ------------------------------------------------------------------ actions

    def fix_gap(self, gap: Gap | None = None) -> bool:
        """Open the fix for the gap; whether something was recorded."""
        gap = gap or self.selected_gap()
        if gap is None or self.read_only:
            return False
        day = self.as_of
        dialog: AssignDialog | SupervisorDialog | SafetyManagerDialog
        if gap.rule in (Rule.DEPARTMENT_WITHOUT_LEADER, Rule.TERRITORY_WITHOUT_PATRON):
            if gap.rule == Rule.DEPARTMENT_WITHOUT_LEADER:
                title = _("Overseeing leader of {unit}").format(unit=gap.unit_name)
                intro = _(
                    "Who oversees {unit} (分管) from {date}? The leading group comes first."
                ).format(unit=gap.unit_name, date=long_date(day))
            else:
                title = _("Patron leader of {unit}").format(unit=gap.unit_name)
                intro = _(
                    "Which leader is patron of {unit} (包保) from {date}? The leading group "
                    "comes first."
                ).format(unit=gap.unit_name, date=long_date(day))
            dialog = AssignDialog(
                self,
                unit_id=gap.unit_id,
                unit_name=gap.unit_name,
                level=Level.DIRECT_LEADERSHIP,
                day=day,
                candidates=leader_candidates(day),
                title=title,
                intro=intro,
            )
        elif gap.rule == Rule.TERRITORY_WITHOUT_DIRECT:
            candidates = direct_candidates(gap.unit_id, gap.unit_name, day)
            suggested = [c for c in candidates if c.suggested]
            dialog = AssignDialog(
                self,
                unit_id=gap.unit_id,
                unit_name=gap.unit_name,
                level=Level.DIRECT,
                day=day,
                candidates=candidates,
                title=_("Directly responsible for {unit}").format(unit=gap.unit_name),
                intro=(
                    _(
                        "Who is directly responsible for {unit} from {date}? Usually its "
                        "secretary, listed first."
                    )
                    if suggested
                    else _(
                        "Who is directly responsible for {unit} from {date}? Usually its "
                        "secretary; nobody holds that post there on this day."
                    )
                ).format(unit=gap.unit_name, date=long_date(day)),
                preselect=suggested[0].person_id if suggested else None,
            )
        elif gap.rule == Rule.ENTERPRISE_WITHOUT_SUPERVISOR:
            dialog = SupervisorDialog(self, unit_id=gap.unit_id, unit_name=gap.unit_name)
        else:
            dialog = SafetyManagerDialog(
                self, unit_id=gap.unit_id, unit_name=gap.unit_name, day=day
            )
        self.last_dialog = dialog
        if dialogs.run_dialog(dialog) != AssignDialog.DialogCode.Accepted:
            return False
        self._fixed(gap, self._fixed_message(gap, dialog))
        return True

    def _fixed_message(
        self, gap: Gap, dialog: AssignDialog | SupervisorDialog | SafetyManagerDialog
    ) -> str:
        unit = gap.unit_name
        if isinstance(dialog, AssignDialog):
            name = dialog.chosen.name if dialog.chosen else ""
            if gap.rule == Rule.DEPARTMENT_WITHOUT_LEADER:
                return _("{name} now oversees {unit}.").format(name=name, unit=unit)
            if gap.rule == Rule.TERRITORY_WITHOUT_PATRON:
                return _("{name} is now the patron leader of {unit}.").format(name=name, unit=unit)
            return _("{name} is now directly responsible for {unit}.").format(name=name, unit=unit)
        if isinstance(dialog, SupervisorDialog):
            return _("{department} now supervises {unit}.").format(
                department=dialog.department_name, unit=unit
            )
        name = normalize_name(dialog.name_edit.text())
        return _("{name} is now the safety manager of {unit}.").format(name=name, unit=unit)

    def _fixed(self, gap: Gap, message: str) -> None:
        row = self.table.currentIndex().row()
        self.refresh()
        # The next gap takes the fixed one's place: the clerk goes on down the list.
        self.select_row(row)
        self.update_actions()
        self.changed.emit()
        self.status_message.emit(message)

    def open_in_grid(self) -> None:
        gap = self.selected_gap()
        if gap is not None and gap.rule in AREA_RULES:
            self.open_tab.emit("grid", gap.unit_id)

    def show_in_units(self) -> None:
        gap = self.selected_gap()
        if gap is not None and gap.unit_kind == UnitKind.ENTERPRISE:
            self.open_tab.emit("units", gap.unit_id)

    def print_check(self) -> Op:
        day = self.as_of

        def render() -> bytes:
            from app.responsibility.prints import CoverageDocument, coverage_snapshot

            return CoverageDocument(coverage_snapshot(day)).render_bytes()

        return self.printer.preview(
            render,
            title=_("Coverage check of {date}").format(date=long_date(day)),
            suggested_name=coverage_document_name(day),
        )
