"""Who answers for what: the areas down, the people across, the level in each cell.

A cell is edited in place (double-click, F2 or typing: a list of the five levels and
"none"); the write is one small transaction on the GUI thread.  The filters narrow both
axes; the first view shows the leaders, the columns a clerk reads first.  A day in the past is shown
read-only: history is changed by the hand-over and end dialogs, not by overwriting it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPoint,
    Qt,
    QTimer,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, ngettext
from app.org.kinds import UnitKind
from app.org.people import holders_in, person_choices
from app.responsibility.assignments import GridPerson, grid_as_of, leaders_on
from app.responsibility.levels import Level
from ui import dialogs
from ui.models.grid_model import (
    LEVEL_ROLE,
    AreaListModel,
    GridFilters,
    GridModel,
    KindFilter,
    PeopleShown,
    level_colours,
)
from ui.pages.responsibility import ResponsibilityTab
from ui.printing.documents import PdfPrinter, safe_file_name
from ui.tasks import Op
from ui.widgets.cards import MUTED_STYLE, NOTICE_STYLE, EmptyState
from ui.widgets.forms import date_edit, hint_label, long_date, to_date, to_qdate
from ui.widgets.level_grid import AreaTable, LevelDelegate

if TYPE_CHECKING:
    from ui.pages.responsibility import ResponsibilityPage

# Filters re-run this long after the last key: typing a name costs one pass, not one a key.
FILTER_DELAY_MS = 120


def kind_choices() -> list[tuple[str, frozenset[UnitKind] | None]]:
    return [
        (_("All kinds of area"), KindFilter.ALL),
        (_("Departments"), KindFilter.DEPARTMENTS),
        (_("Villages and communities"), KindFilter.TERRITORIES),
        (_("Fields of work"), KindFilter.INDUSTRIES),
        (_("The township"), KindFilter.TOWNSHIP),
    ]


def people_at_unit(unit_id: int, day: dt.date) -> list[GridPerson]:
    """Who holds a post in the unit on ``day`` (the village secretary, the department head):
    the people a clerk usually makes answerable for it."""
    return person_choices(holders_in(unit_id, day), day)


class GridTab(ResponsibilityTab):
    """Areas × people on a day; edit a cell; filter; print the view and duty cards."""

    def __init__(self, page: ResponsibilityPage):
        super().__init__(page)
        self.model = GridModel(self)
        self.model.level_written.connect(self._level_written)
        self.model.write_failed.connect(self._write_failed)
        self.printer = PdfPrinter(self)
        self._extra: dict[int, GridPerson] = {}  # people added by hand, who answer for nothing
        self._pinned: set[int] = set()
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self.apply_filters)

        self._build_top()
        self._build_filters()
        self._build_table()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(self._top_layout)
        layout.addLayout(self._filter_layout)
        layout.addWidget(self.notice)
        layout.addWidget(self.legend)
        layout.addWidget(self.body, 1)
        layout.addLayout(self._bottom_layout)
        self.refresh()

    # ------------------------------------------------------------------ building

    def _build_top(self) -> None:
        self.as_of_edit = date_edit(self.page.today(), self)
        self.as_of_edit.setToolTip(_("Choose a past day to see who answered for what then"))
        self.as_of_edit.dateChanged.connect(lambda _date: self.refresh())
        as_of_label = QLabel(_("As of"), self)
        as_of_label.setBuddy(self.as_of_edit)
        self.today_button = QPushButton(_("Today"), self)
        self.today_button.clicked.connect(lambda: self.set_as_of(self.page.today()))
        self.print_button = QPushButton(_("Print…"), self)
        self.print_button.setToolTip(_("Preview, print or save the areas and people shown"))
        self.print_button.clicked.connect(self.print_view)
        self.card_button = QPushButton(_("Print duty card…"), self)
        self.card_button.setToolTip(
            _("The duty card of the person in the current column (or right-click a name)")
        )
        self.card_button.clicked.connect(self.print_current_card)
        self.cards_button = QPushButton(_("Print all leaders' duty cards…"), self)
        self.cards_button.setToolTip(
            _("One duty card for everyone who leads an area, in one document")
        )
        self.cards_button.clicked.connect(self.print_leader_cards)
        self._top_layout = QHBoxLayout()
        self._top_layout.addWidget(as_of_label)
        self._top_layout.addWidget(self.as_of_edit)
        self._top_layout.addWidget(self.today_button)
        self._top_layout.addStretch(1)
        for button in (self.print_button, self.card_button, self.cards_button):
            button.setMinimumWidth(button.sizeHint().width())
            self._top_layout.addWidget(button)
        QShortcut(
            QKeySequence(QKeySequence.StandardKey.Print),
            self,
            self.print_view,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )

    def _build_filters(self) -> None:
        self.area_edit = QLineEdit(self)
        self.area_edit.setClearButtonEnabled(True)
        self.area_edit.setPlaceholderText(_("Search areas (Ctrl+F)"))
        self.area_edit.setMinimumWidth(150)
        self.area_edit.textChanged.connect(lambda _text: self._filter_timer.start())
        QShortcut(
            QKeySequence(QKeySequence.StandardKey.Find),
            self,
            self._focus_area_search,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        self.kind_combo = QComboBox(self)
        for text, kinds in kind_choices():
            self.kind_combo.addItem(text, kinds)
        self.kind_combo.currentIndexChanged.connect(lambda _index: self.apply_filters())
        self.people_edit = QLineEdit(self)
        self.people_edit.setClearButtonEnabled(True)
        self.people_edit.setPlaceholderText(_("Search people by name or title"))
        self.people_edit.setMinimumWidth(150)
        self.people_edit.textChanged.connect(lambda _text: self._filter_timer.start())
        self.people_combo = QComboBox(self)
        for mode in PeopleShown:
            self.people_combo.addItem(mode.label, mode.value)
        self.people_combo.setToolTip(
            _(
                "Leaders: whoever leads an area (overall leadership, comprehensive supervision "
                "or direct leadership). People of the areas shown: whoever answers for one of "
                "the rows shown. Everyone: all the people who answer for something."
            )
        )
        self.people_combo.currentIndexChanged.connect(lambda _index: self.apply_filters())
        self.add_person_button = QPushButton(_("Add a person…"), self)
        self.add_person_button.setToolTip(
            _("Give someone who answers for nothing yet a column, to assign them an area")
        )
        self.add_person_button.clicked.connect(self.add_person)
        self.clear_button = QPushButton(_("Clear filters"), self)
        self.clear_button.clicked.connect(self.clear_filters)

        self._filter_layout = QHBoxLayout()
        self._filter_layout.addWidget(self.area_edit, 2)
        self._filter_layout.addWidget(self.kind_combo)
        self._filter_layout.addSpacing(12)
        self._filter_layout.addWidget(self.people_edit, 2)
        self._filter_layout.addWidget(self.people_combo)
        self._filter_layout.addWidget(self.add_person_button)
        self._filter_layout.addWidget(self.clear_button)
        self.notice = QLabel(self)
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(NOTICE_STYLE)
        self.notice.hide()

    def _build_table(self) -> None:
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setItemDelegate(LevelDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setWordWrap(False)
        self.table.setCornerButtonEnabled(False)
        metrics = self.table.fontMetrics()
        rows = self.table.verticalHeader()
        rows.hide()  # the area table beside the grid names the rows
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(metrics.height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setHighlightSections(True)
        widest = max(
            [metrics.horizontalAdvance(level.short_label) for level in Level]
            + [metrics.horizontalAdvance("欧阳建国")]
        )
        header.setDefaultSectionSize(widest + 18)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._person_menu)
        self.table.selectionModel().currentChanged.connect(self._current_changed)
        self.model.modelReset.connect(self._update_actions)
        clear = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.table, self.clear_current)
        clear.setContext(Qt.ShortcutContext.WidgetShortcut)

        self.area_model = AreaListModel(self.model, self)
        self.area_table = AreaTable(self.table, self.area_model, self)
        # The two headers must be as tall as each other, or the rows would not line up.
        header_height = metrics.height() + 12
        self.area_table.horizontalHeader().setFixedHeight(header_height)
        header.setFixedHeight(header_height)
        self.area_table.clicked.connect(self._area_clicked)
        self.grid_view = QWidget(self)
        side_by_side = QHBoxLayout(self.grid_view)
        side_by_side.setContentsMargins(0, 0, 0, 0)
        side_by_side.setSpacing(0)
        side_by_side.addWidget(self.area_table)
        side_by_side.addWidget(self.table, 1)

        self.empty_page = EmptyState(
            self,
            actions=(
                (_("Open the units"), lambda: self.open_tab.emit("units", None)),
                (_("Clear filters"), self.clear_filters),
            ),
            emphasised=False,
        )
        self.empty_label = self.empty_page.label
        self.empty_units_button, self.empty_clear_button = self.empty_page.buttons
        self.body = QStackedWidget(self)
        self.body.addWidget(self.grid_view)
        self.body.addWidget(self.empty_page)

        self.count_label = QLabel(self)
        self.count_label.setStyleSheet(MUTED_STYLE)
        self.legend = QWidget(self)
        legend = QHBoxLayout(self.legend)
        legend.setContentsMargins(0, 0, 0, 0)
        legend.setSpacing(4)
        for level in Level:
            background, text = level_colours(level)
            chip = QLabel(level.label, self.legend)
            chip.setToolTip(
                _("“{short}” in a cell: {level}").format(short=level.short_label, level=level.label)
            )
            chip.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            chip.setStyleSheet(
                f"QLabel {{ background: {background.name()}; color: {text.name()};"
                " border-radius: 3px; padding: 1px 6px; }"
            )
            legend.addWidget(chip)
        self.edit_hint = hint_label(
            _("Double-click a cell, press F2 or type 1–5 to set the level; Del clears it."), self
        )
        self.edit_hint.setWordWrap(False)
        legend.addStretch(1)
        self._bottom_layout = QHBoxLayout()
        self._bottom_layout.addWidget(self.count_label)
        self._bottom_layout.addSpacing(12)
        self._bottom_layout.addWidget(self.edit_hint, 1)

    # ------------------------------------------------------------------ state

    @property
    def as_of(self) -> dt.date:
        return to_date(self.as_of_edit.date())

    def set_as_of(self, day: dt.date) -> None:
        self.as_of_edit.setDate(to_qdate(day))

    @property
    def read_only(self) -> bool:
        """A past day (history is not edited here), or a database another program has open."""
        return self.as_of < self.page.today() or bool(dialogs.read_only_reason())

    @property
    def people_shown(self) -> PeopleShown:
        return PeopleShown(self.people_combo.currentData())

    def set_people_shown(self, mode: PeopleShown) -> None:
        self.people_combo.setCurrentIndex(self.people_combo.findData(mode.value))

    def filters(self) -> GridFilters:
        return GridFilters(
            area_text=self.area_edit.text(),
            kinds=self.kind_combo.currentData(),
            people_text=self.people_edit.text(),
            people=self.people_shown,
            pinned=frozenset(self._pinned),
        )

    def refresh(self) -> None:
        """Read the grid of the chosen day again; keep the current cell."""
        current = self._current_pair()
        day = self.as_of
        grid = grid_as_of(day)
        self.model.read_only = self.read_only
        self.model.write_day = None if self.read_only else day
        self._filter_timer.stop()
        self.model.set_grid(grid, self._extra.values(), self.filters())
        self._update_notice()
        self._after_reset(current)

    def apply_filters(self) -> None:
        self._filter_timer.stop()
        current = self._current_pair()
        self.model.set_filters(self.filters())
        self._after_reset(current)

    def _after_reset(self, current: tuple[int | None, int] | None) -> None:
        has_areas = bool(self.model.all_areas)
        self.body.setCurrentWidget(
            self.grid_view if has_areas and self.model.rowCount() else self.empty_page
        )
        if not has_areas:
            self.empty_label.setText(
                _(
                    "There are no areas yet. Enter the township, its departments, villages "
                    "and communities in the Units tab; then say here who answers for each."
                )
            )
        else:
            self.empty_label.setText(_("No area matches the filters."))
        self.empty_units_button.setVisible(not has_areas)
        self.empty_clear_button.setVisible(has_areas)
        if current is not None:
            self.select_cell(*current)
        self._update_count()
        self._update_actions()

    def _update_notice(self) -> None:
        day, today = self.as_of, self.page.today()
        if day < today:
            text = _(
                "You are looking at {date}, a past day: the grid is read-only. Go back to "
                "today to change who answers for what."
            )
        elif day > today:
            text = _(
                "You are looking at {date}, a future day. Changes you make here count from "
                "that day."
            )
        else:
            self.notice.hide()
            return
        self.notice.setText(text.format(date=long_date(day)))
        self.notice.show()

    def _update_count(self) -> None:
        model = self.model
        areas_total, people_total = len(model.all_areas), len(model.all_people)
        areas = ngettext("{shown} of {count} area", "{shown} of {count} areas", areas_total)
        people = ngettext("{shown} of {count} person", "{shown} of {count} people", people_total)
        self.count_label.setText(
            _("{areas} · {people}").format(
                areas=areas.format(shown=model.rowCount(), count=areas_total),
                people=people.format(shown=model.columnCount(), count=people_total),
            )
        )

    def _update_actions(self) -> None:
        has = self.model.rowCount() > 0 and self.model.columnCount() > 0
        self.print_button.setEnabled(has)
        self.card_button.setEnabled(self.current_person() is not None)
        self.cards_button.setEnabled(bool(self.model.leaders()))
        self.edit_hint.setVisible(not self.model.read_only)

    def _current_pair(self) -> tuple[int, int] | None:
        index = self.table.currentIndex() if hasattr(self, "table") else QModelIndex()
        if not index.isValid():
            return None
        person, area = self.model.person_at(index.column()), self.model.area_at(index.row())
        if person is None or area is None:
            return None
        return person.id, area.id

    def current_person(self) -> GridPerson | None:
        index = self.table.currentIndex()
        return self.model.person_at(index.column()) if index.isValid() else None

    def select_cell(self, person_id: int | None, unit_id: int) -> bool:
        """Make the cell (or the area's first cell) current and visible; False if hidden."""
        row = self.model.row_of_area(unit_id)
        if row is None:
            return False
        column = self.model.column_of_person(person_id) if person_id is not None else None
        if column is None:
            column = 0
        if self.model.columnCount() == 0:
            self.table.scrollTo(self.model.index(row, 0))
            return True
        index = self.model.index(row, column)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        """The area of the current cell is highlighted beside the grid."""
        if current.isValid():
            self.area_table.selectRow(current.row())
        else:
            self.area_table.clearSelection()
        self._update_actions()

    def _area_clicked(self, index: QModelIndex) -> None:
        """A click on an area goes to its row in the grid (same person column)."""
        if not index.isValid() or not self.model.columnCount():
            return
        current = self.table.currentIndex()
        column = current.column() if current.isValid() else 0
        self.table.setCurrentIndex(self.model.index(index.row(), column))
        self.table.setFocus(Qt.FocusReason.MouseFocusReason)

    def _focus_area_search(self) -> None:
        self.area_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.area_edit.selectAll()

    # ------------------------------------------------------------------ showing an area

    def focus_item(self, item: object) -> None:
        """Show the area ``item`` (a unit id) selected, with the people who answer for it or
        work there as columns: the place to fix a gap the coverage check found."""
        if not isinstance(item, int):
            return
        if self.as_of != self.page.today():
            self.set_as_of(self.page.today())  # gaps are today's; this refreshes
        if not self.model.has_area(item):
            self.refresh()  # a unit added since the grid was read
            if not self.model.has_area(item):
                return
        area = next(a for a in self.model.all_areas if a.id == item)
        if self.model.row_of_area(item) is None:
            # The area filters hide it: clear them (the people filters may stay).
            for widget in (self.area_edit, self.kind_combo):
                widget.blockSignals(True)
            self.area_edit.clear()
            self.kind_combo.setCurrentIndex(0)
            for widget in (self.area_edit, self.kind_combo):
                widget.blockSignals(False)
        workers = people_at_unit(item, self.as_of)
        for person in workers:
            self._extra.setdefault(person.id, person)
        area_people = [*self.model.people_of_area(item), *(p.id for p in workers)]
        self._pinned.update(area_people)
        grid = self.model.grid or grid_as_of(self.as_of)
        self.model.set_grid(grid, self._extra.values(), self.filters())
        first = next(
            (pid for pid in area_people if self.model.column_of_person(pid) is not None), None
        )
        self._after_reset((first, item))
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.status_message.emit(
            _("{area}: double-click a cell to say who answers for it.").format(area=area.name)
        )

    def clear_filters(self) -> None:
        """Back to the first view: every area, the leaders, nobody pinned."""
        current = self._current_pair()
        for widget in (self.area_edit, self.kind_combo, self.people_edit, self.people_combo):
            widget.blockSignals(True)
        self.area_edit.clear()
        self.kind_combo.setCurrentIndex(0)
        self.people_edit.clear()
        self.people_combo.setCurrentIndex(0)
        for widget in (self.area_edit, self.kind_combo, self.people_edit, self.people_combo):
            widget.blockSignals(False)
        self._pinned.clear()
        self.model.set_filters(self.filters())
        self._after_reset(current)

    # ------------------------------------------------------------------ editing

    def _level_written(self, person_id: int, unit_id: int) -> None:
        person = next(p for p in self.model.all_people if p.id == person_id)
        area = next(a for a in self.model.all_areas if a.id == unit_id)
        level = self.model.level(person_id, unit_id)
        if level is None:
            message = _("{person} no longer answers for {area}.")
        else:
            message = _("{person} answers for {area}: {level}.")
        # A leader whose last leading role just ended keeps the column until the next visit.
        if self.people_shown == PeopleShown.LEADERS and not self.model.is_leader(person_id):
            self._pinned.add(person_id)
        self.changed.emit()
        self.status_message.emit(
            message.format(person=person.name, area=area.name, level=level.label if level else "")
        )
        self._update_actions()

    def _write_failed(self, message: str) -> None:
        QMessageBox.warning(self, _("Cannot change the level"), message)
        self.refresh()

    def set_current_level(self, level: Level | None) -> bool:
        """Write ``level`` into the current cell (what the editor does)."""
        index = self.table.currentIndex()
        if not index.isValid() or self.model.read_only:
            return False
        return self.model.setData(index, level, Qt.ItemDataRole.EditRole)

    def clear_current(self) -> None:
        index = self.table.currentIndex()
        if index.isValid() and index.data(LEVEL_ROLE) is not None:
            self.set_current_level(None)

    def add_person(self) -> None:
        from ui.dialogs.grid_person_dialog import GridPersonDialog

        shown = {person.id for person in self.model.visible_people()}
        dialog = GridPersonDialog(self, day=self.as_of, exclude=shown)
        if dialogs.run_dialog(dialog) != GridPersonDialog.DialogCode.Accepted:
            return
        person = dialog.chosen_person()
        if person is None:
            return
        self.show_person(person)

    def show_person(self, person: GridPerson) -> None:
        """Give ``person`` a column (pinned, whatever the filters) and go to it."""
        current = self._current_pair()
        self._extra.setdefault(person.id, person)
        self._pinned.add(person.id)
        grid = self.model.grid or grid_as_of(self.as_of)
        self.model.set_grid(grid, self._extra.values(), self.filters())
        self._after_reset(current)
        column = self.model.column_of_person(person.id)
        if column is not None and self.model.rowCount():
            row = self.table.currentIndex().row() if self.table.currentIndex().isValid() else 0
            index = self.model.index(row, column)
            self.table.setCurrentIndex(index)
            self.table.scrollTo(index)
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def unpin(self, person_id: int) -> None:
        self._pinned.discard(person_id)
        self.apply_filters()

    def _person_menu(self, position: QPoint) -> None:
        header = self.table.horizontalHeader()
        column = header.logicalIndexAt(position)
        person = self.model.person_at(column)
        if person is None:
            return
        menu = self.person_menu(person)
        menu.exec(header.mapToGlobal(position))
        menu.deleteLater()

    def person_menu(self, person: GridPerson) -> QMenu:
        menu = QMenu(self)
        card = menu.addAction(_("Print duty card of {name}…").format(name=person.name))
        card.triggered.connect(lambda: self.print_cards([person]))
        if person.id in self._pinned:
            unpin = menu.addAction(
                _("Stop showing {name} whatever the filters").format(name=person.name)
            )
            unpin.triggered.connect(lambda: self.unpin(person.id))
        return menu

    # ------------------------------------------------------------------ printing

    def print_view(self) -> Op | None:
        """The areas and people shown, as 安全生产责任区域一览表 (landscape)."""
        if not (self.model.rowCount() and self.model.columnCount()):
            return None
        day = self.as_of
        units = [area.id for area in self.model.visible_areas()]
        people = [person.id for person in self.model.visible_people()]

        def render() -> bytes:
            from app.responsibility.prints import GridDocument, grid_snapshot

            snapshot = grid_snapshot(day, unit_ids=units, person_ids=people)
            return GridDocument(snapshot).render_bytes()

        return self.printer.preview(
            render,
            title=_("Who answers for what"),
            suggested_name=safe_file_name(f"安全生产责任区域一览表-{day.isoformat()}.pdf"),
        )

    def print_current_card(self) -> Op | None:
        person = self.current_person()
        return self.print_cards([person]) if person is not None else None

    def print_leader_cards(self) -> Op | None:
        """Everyone who leads an area (as "leaders only" shows them), one card a page, in the
        order of app.responsibility.assignments.leaders_on."""
        leaders = {person.id: person for person in self.model.leaders()}
        ordered = [leaders[pid] for pid in leaders_on(self.as_of) if pid in leaders]
        return self.print_cards(ordered) if ordered else None

    def print_cards(self, people: list[GridPerson]) -> Op:
        day = self.as_of
        ids = [person.id for person in people]

        def render() -> bytes:
            from app.responsibility.prints import DutyCardsDocument, duty_cards_snapshot

            return DutyCardsDocument(duty_cards_snapshot(day, ids)).render_bytes()

        if len(people) == 1:
            name = people[0].name
            title = _("Duty card of {name}").format(name=name)
            file_name = f"{name}岗位安全职责清单-{day.isoformat()}.pdf"
            label = None
        else:
            title = _("Leaders' duty cards")
            file_name = f"领导岗位安全职责清单-{day.isoformat()}.pdf"
            label = ngettext(
                "Preparing {count} duty card…", "Preparing {count} duty cards…", len(people)
            ).format(count=len(people))
        return self.printer.preview(
            render, title=title, suggested_name=safe_file_name(file_name), label=label
        )
