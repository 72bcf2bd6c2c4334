"""Choosing who (or which department) answers for something: the coverage check's fixes, and
the person whose duty card prints.

* ChoosePersonDialog — a searchable list of people, the likely ones first;
* AssignDialog — a person answers for an area at a level from a day (set_level);
* SupervisorDialog — the department that supervises an enterprise;
* SafetyManagerDialog — an enterprise's safety manager, created if new.

Problems show inside the dialog, beside what they are about; the dialog stays open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, ngettext
from app.org import enterprises, units
from app.org import people as org_people
from app.org.kinds import PostKind, UnitKind
from app.org.units import UnitError
from app.responsibility.assignments import AssignmentError, assignments_as_of, set_level
from app.responsibility.levels import Level
from app.roster.roles import display_role
from app.roster.service import roster_as_of
from ui.models.base import OBJECT_ROLE, ListTableModel, ModelIndex
from ui.models.units_model import normalize_search, pinyin_ranks
from ui.widgets.forms import FieldError, FieldErrors, FormDialog, hint_label, long_date

# ---------------------------------------------------------------------------- candidates


@dataclass(frozen=True)
class Candidate:
    """A person offered in the list, and why (shown beside the name)."""

    person_id: int
    name: str
    titles: str = ""
    note: str = ""
    suggested: bool = True  # shown before "everyone" is ticked


def _everyone_else(day: dt.date, skip: set[int]) -> list[Candidate]:
    """Everyone recorded who is not among ``skip``, in pinyin order of their names."""
    people = [p for p in org_people.people_on(day, everyone=True) if p.id not in skip]
    ranks = pinyin_ranks([p.name for p in people])
    people = [p for _rank, p in sorted(zip(ranks, people, strict=True), key=lambda x: x[0])]
    return [
        Candidate(
            p.id,
            p.name,
            p.titles_text,
            "" if p.titles else _("No post on this day"),
            suggested=False,
        )
        for p in people
    ]


def leader_candidates(day: dt.date) -> list[Candidate]:
    """The leading group on ``day`` in its order, then everyone else."""
    group = [
        Candidate(
            line.person_id,
            line.name,
            line.titles_text,
            _("Leading group: {role}").format(role=display_role(line.role, line.office_role)),
        )
        for line in roster_as_of(day).lines
    ]
    seen = {c.person_id for c in group}
    return group + _everyone_else(day, seen)


def direct_candidates(unit_id: int, unit_name: str, day: dt.date) -> list[Candidate]:
    """The village's (community's) own secretary and head first, then everyone else."""
    people = {p.id: p for p in org_people.people_on(day)}
    offered: list[Candidate] = []
    for kind, note in (
        (PostKind.VILLAGE_SECRETARY, _("Secretary of {unit}")),
        (PostKind.VILLAGE_HEAD, _("Head of {unit}")),
    ):
        for person_id in org_people.holders_in(unit_id, day, (kind,)):
            person = people.get(person_id)
            if person is None or person_id in {c.person_id for c in offered}:
                continue
            offered.append(
                Candidate(person_id, person.name, person.titles_text, note.format(unit=unit_name))
            )
    seen = {c.person_id for c in offered}
    return offered + _everyone_else(day, seen)


def people_with_posts(day: dt.date) -> list[Candidate]:
    """Everyone holding a post on ``day``, in pinyin order (for a duty card)."""
    people = org_people.people_on(day)
    ranks = pinyin_ranks([p.name for p in people])
    ordered = [p for _rank, p in sorted(zip(ranks, people, strict=True), key=lambda x: x[0])]
    return [Candidate(p.id, p.name, p.titles_text) for p in ordered]


# ---------------------------------------------------------------------------- the list


COL_NAME = 0
COL_TITLES = 1
COL_NOTE = 2


class CandidateModel(ListTableModel[Candidate]):
    def __init__(self, parent: Any = None):
        super().__init__([_("Name"), _("Titles"), _("Note")], parent)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        candidate = self.row_object(index)
        if candidate is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            column = index.column()
            if column == COL_NAME:
                return candidate.name
            if column == COL_TITLES:
                return candidate.titles
            return candidate.note
        if role == OBJECT_ROLE:
            return candidate
        return None

    def row_of(self, person_id: int) -> int | None:
        for row, candidate in enumerate(self._rows):
            if candidate.person_id == person_id:
                return row
        return None


class CandidateProxy(QSortFilterProxyModel):
    """The suggested people, or everyone; a search looks through everyone."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self._needle = ""
        self._everyone = False

    @property
    def searching(self) -> bool:
        return bool(self._needle)

    def set_search(self, text: str) -> None:
        self._needle = normalize_search(text)
        self._refilter()

    def set_everyone(self, everyone: bool) -> None:
        self._everyone = everyone
        self._refilter()

    def _refilter(self) -> None:
        # A new fixed string re-runs the filter (see GapFilterProxy).
        self.setFilterFixedString(f"{int(self._everyone)}\n{self._needle}")

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:
        model = self.sourceModel()
        candidate = model.data(model.index(source_row, 0, source_parent), OBJECT_ROLE)
        if not isinstance(candidate, Candidate):
            return False
        if self._needle:
            text = normalize_search("\n".join((candidate.name, candidate.titles, candidate.note)))
            return self._needle in text
        return self._everyone or candidate.suggested


class PersonChooser(QWidget):
    """A search box over a list of people; double-click or Enter chooses."""

    chosen = Signal(int)
    selection_changed = Signal()

    def __init__(self, candidates: Sequence[Candidate], parent: QWidget | None = None):
        super().__init__(parent)
        self.model = CandidateModel(self)
        self.model.set_rows(candidates)
        self.proxy = CandidateProxy(self)
        self.proxy.setSourceModel(self.model)

        self.search_edit = QLineEdit(self)
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText(_("Search name or title"))
        self.search_edit.textChanged.connect(self._search_changed)
        # Before the check box: ticking it (when nobody is suggested) updates the count.
        self.count_label = QLabel(self)
        self.count_label.setStyleSheet("color: palette(placeholder-text);")
        self.everyone_check = QCheckBox(_("Show everyone"), self)
        self.everyone_check.setToolTip(_("Also list people who are not suggested"))
        self.everyone_check.toggled.connect(self._everyone_toggled)
        has_others = any(not c.suggested for c in candidates)
        has_suggested = any(c.suggested for c in candidates)
        self.everyone_check.setVisible(has_others and has_suggested)
        if not has_suggested:
            self.everyone_check.setChecked(True)

        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 12)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_TITLES, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_NOTE, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setColumnHidden(COL_NOTE, not any(c.note for c in candidates))
        self.table.doubleClicked.connect(lambda _index: self._choose())
        self.table.selectionModel().selectionChanged.connect(
            lambda *_args: self.selection_changed.emit()
        )
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(key), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self._choose)
        # Names are short: their column fits them, with room before the titles.
        self.table.resizeColumnToContents(COL_NAME)
        header.resizeSection(COL_NAME, header.sectionSize(COL_NAME) + 16)

        top = QHBoxLayout()
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.everyone_check)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        self._update_count()

    def selected(self) -> Candidate | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        value = self.proxy.data(rows[0], OBJECT_ROLE)
        return value if isinstance(value, Candidate) else None

    def select_person(self, person_id: int) -> bool:
        row = self.model.row_of(person_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, COL_NAME))
        if not index.isValid():
            return False
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        return True

    def _search_changed(self, text: str) -> None:
        self.proxy.set_search(text)
        # Typing a name then Enter takes the only match: quick for a clerk who knows it.
        if self.proxy.rowCount() and self.selected() is None:
            self.table.selectRow(0)
        self._update_count()

    def _everyone_toggled(self, checked: bool) -> None:
        self.proxy.set_everyone(checked)
        self._update_count()

    def _choose(self) -> None:
        candidate = self.selected()
        if candidate is not None:
            self.chosen.emit(candidate.person_id)

    def _update_count(self) -> None:
        shown = self.proxy.rowCount()
        if shown:
            text = ngettext("{count} person listed", "{count} people listed", shown).format(
                count=shown
            )
        elif self.proxy.searching:
            text = _("Nobody recorded matches the search.")
        else:
            text = _("Nobody is suggested; tick “{everyone}” to list everyone.").format(
                everyone=self.everyone_check.text()
            )
        self.count_label.setText(text)

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.OtherFocusReason)


# ---------------------------------------------------------------------------- dialogs


def _ok_cancel(dialog: FormDialog, ok_text: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
    )
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


class ChoosePersonDialog(FormDialog):
    """Choose one person from a list; ``apply`` (overridden) does what choosing means."""

    def __init__(
        self,
        parent: QWidget | None,
        *,
        title: str,
        intro: str,
        candidates: Sequence[Candidate],
        ok_text: str,
        preselect: int | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(720, 520)
        self.chosen: Candidate | None = None
        self.intro_label = QLabel(intro, self)
        self.intro_label.setWordWrap(True)
        self.chooser = PersonChooser(candidates, self)
        self.hint_label = hint_label("", self)
        self.hint_label.hide()
        self.error = FieldError(self)
        self.buttons = _ok_cancel(self, ok_text)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro_label)
        layout.addWidget(self.chooser, 1)
        layout.addWidget(self.hint_label)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.chooser.chosen.connect(lambda _pid: self.accept())
        self.chooser.selection_changed.connect(self._selection_changed)
        if preselect is not None:
            self.chooser.select_person(preselect)
        self.chooser.focus_search()
        self._selection_changed()

    def _selection_changed(self) -> None:
        self.error.set_message(None)
        candidate = self.chooser.selected()
        hint = self.hint_for(candidate) if candidate is not None else ""
        self.hint_label.setText(hint)
        self.hint_label.setVisible(bool(hint))

    def hint_for(self, candidate: Candidate) -> str:
        """What choosing this person will do, if it needs saying."""
        return ""

    def apply(self, candidate: Candidate) -> str | None:
        """Do what choosing means; a problem to show, or None when done."""
        return None

    def accept(self) -> None:
        candidate = self.chooser.selected()
        if candidate is None:
            self.error.set_message(_("Choose a person from the list."))
            return
        problem = self.apply(candidate)
        if problem:
            self.error.set_message(problem)
            return
        self.chosen = candidate
        super().accept()


class AssignDialog(ChoosePersonDialog):
    """The chosen person answers for the area at ``level`` from ``day`` on."""

    def __init__(
        self,
        parent: QWidget | None,
        *,
        unit_id: int,
        unit_name: str,
        level: Level,
        day: dt.date,
        candidates: Sequence[Candidate],
        title: str,
        intro: str,
        preselect: int | None = None,
    ):
        self.unit_id = unit_id
        self.unit_name = unit_name
        self.level = level
        self.day = day
        # Who answers for the area on the day already, at which level.
        self.current: dict[int, Level] = {
            line.person_id: line.level for line in assignments_as_of(day, unit_id=unit_id)
        }
        super().__init__(
            parent,
            title=title,
            intro=intro,
            candidates=candidates,
            ok_text=_("Assign"),
            preselect=preselect,
        )

    def hint_for(self, candidate: Candidate) -> str:
        held = self.current.get(candidate.person_id)
        if held is None or held == self.level:
            return ""
        return _(
            "{name} answers for {unit} as “{old}” now; from {date} this becomes “{new}”."
        ).format(
            name=candidate.name,
            unit=self.unit_name,
            old=held.label,
            new=self.level.label,
            date=long_date(self.day),
        )

    def apply(self, candidate: Candidate) -> str | None:
        try:
            set_level(candidate.person_id, self.unit_id, self.level, self.day)
        except AssignmentError as error:
            return str(error)
        return None


class SupervisorDialog(FormDialog):
    """Choose the department that supervises an enterprise (行业监管)."""

    def __init__(self, parent: QWidget | None, *, unit_id: int, unit_name: str):
        super().__init__(parent)
        self.unit_id = unit_id
        self.department_id: int | None = None
        self.department_name = ""
        self._names: dict[int, str] = {}
        self.setWindowTitle(_("Supervising department of {unit}").format(unit=unit_name))
        self.setMinimumWidth(480)
        self.combo = QComboBox(self)
        suggested = enterprises.suggested_supervisor(unit_id)
        for choice in units.units_of(UnitKind.DEPARTMENT):
            self._names[choice.id] = choice.name
            text = choice.name
            if choice.id == suggested:
                text = _("{name} (supervises this industry)").format(name=choice.name)
            self.combo.addItem(text, choice.id)
        if suggested is not None:
            self.combo.setCurrentIndex(self.combo.findData(suggested))
        elif self.combo.count():
            self.combo.setCurrentIndex(-1)
        self.combo.setPlaceholderText(_("Choose a department"))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.general_error = FieldError(self)
        self.errors = FieldErrors(self.general_error)
        self.combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.errors.add_row(
            form,
            "supervisor",
            _("Department"),
            self.combo,
            hint=(
                _("Suggested: the department that supervises the industry's other enterprises.")
                if suggested is not None
                else _("No other enterprise of its industry has a supervising department yet.")
            ),
        )
        intro = QLabel(
            _(
                "Which department supervises {unit}? It answers for safety in the enterprise's "
                "line of business (管行业必须管安全)."
            ).format(unit=unit_name),
            self,
        )
        intro.setWordWrap(True)
        if not self.combo.count():
            self.errors.show(
                {"supervisor": _("There are no departments yet; add them under Units first.")}
            )
        self.buttons = _ok_cancel(self, _("Save"))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    def accept(self) -> None:
        department_id = self.combo.currentData()
        if department_id is None:
            self.errors.show({"supervisor": _("Choose a department.")})
            return
        try:
            enterprises.set_supervisor(self.unit_id, int(department_id))
        except UnitError as error:
            self.errors.show(error.errors)
            return
        self.department_id = int(department_id)
        self.department_name = self._names.get(self.department_id, "")
        super().accept()


class SafetyManagerDialog(FormDialog):
    """Enter an enterprise's safety manager; the person is created if new."""

    def __init__(self, parent: QWidget | None, *, unit_id: int, unit_name: str, day: dt.date):
        super().__init__(parent)
        self.unit_id = unit_id
        self.day = day
        self.person_id: int | None = None
        self._tried = False
        self.setWindowTitle(_("Safety manager of {unit}").format(unit=unit_name))
        self.setMinimumWidth(520)
        self.name_edit = QLineEdit(self)
        self.phone_edit = QLineEdit(self)
        self.title_edit = QLineEdit(enterprises.safety_manager_title(unit_name), self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.general_error = FieldError(self)
        self.errors = FieldErrors(self.general_error)
        self.errors.add_row(
            form,
            "name",
            _("Name"),
            self.name_edit,
            hint=_("Someone already recorded under this name is taken to be this person."),
        )
        self.errors.add_row(form, "phone", _("Phone"), self.phone_edit)
        self.errors.add_row(
            form, "title", _("Title"), self.title_edit, hint=_("As it prints on documents.")
        )
        intro = QLabel(
            _(
                "Who manages safety at {unit}? The post counts from {date}; the person is "
                "added if not recorded yet."
            ).format(unit=unit_name, date=long_date(day)),
            self,
        )
        intro.setWordWrap(True)
        self.buttons = _ok_cancel(self, _("Save"))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self._validate_live)
        for edit in (self.name_edit, self.phone_edit, self.title_edit):
            edit.textEdited.connect(lambda _text: self._timer.start())
        self.name_edit.setFocus()

    def problems(self) -> dict[str, str]:
        return enterprises.validate_safety_manager(
            self.unit_id,
            self.name_edit.text(),
            self.phone_edit.text(),
            self.title_edit.text(),
            self.day,
        )

    def _validate_live(self) -> None:
        if self._tried:
            self.errors.show(self.problems())

    def accept(self) -> None:
        self._tried = True
        self._timer.stop()
        errors = self.problems()
        if errors:
            self.errors.show(errors)
            return
        try:
            self.person_id = enterprises.add_safety_manager(
                self.unit_id,
                self.name_edit.text(),
                self.phone_edit.text(),
                self.day,
                title=self.title_edit.text(),
            )
        except UnitError as error:
            self.errors.show(error.errors)
            return
        super().accept()
