"""The responsibility system page: the matrix (分工表), the grid of who answers for what,
the coverage check, the duty lists, and the units they are about.

Each tab lives in its own module and is built the first time it is shown (the page must open
quickly).  A change made in one tab marks the others stale; a stale tab refreshes when it is
next shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from app.i18n import _
from ui.widgets.cards import heading


class ResponsibilityTab(QWidget):
    """What every tab of the page offers: a refresh, and signals for the page."""

    changed = Signal()  # the tab wrote something: other tabs and the home page are stale
    status_message = Signal(str)
    open_tab = Signal(str, object)  # (tab key, what to show there: a unit or person id)

    def __init__(self, page: ResponsibilityPage):
        super().__init__(page)
        self.page = page

    def refresh(self) -> None:
        raise NotImplementedError

    def focus_item(self, item: object) -> None:
        """Show ``item`` (the tab decides what ids it understands); nothing by default."""


def _matrix(page: ResponsibilityPage) -> ResponsibilityTab:
    from ui.pages.responsibility.matrix_tab import MatrixTab

    return MatrixTab(page)


def _grid(page: ResponsibilityPage) -> ResponsibilityTab:
    from ui.pages.responsibility.grid_tab import GridTab

    return GridTab(page)


def _coverage(page: ResponsibilityPage) -> ResponsibilityTab:
    from ui.pages.responsibility.coverage_tab import CoverageTab

    return CoverageTab(page)


def _duties(page: ResponsibilityPage) -> ResponsibilityTab:
    from ui.pages.responsibility.duties_tab import DutiesTab

    return DutiesTab(page)


def _units(page: ResponsibilityPage) -> ResponsibilityTab:
    from ui.pages.responsibility.units_tab import UnitsTab

    return UnitsTab(page)


def tab_titles() -> dict[str, str]:
    return {
        "matrix": _("Responsibility matrix"),
        "grid": _("Who answers for what"),
        "coverage": _("Coverage check"),
        "duties": _("Duties of each post"),
        "units": _("Units"),
    }


TAB_FACTORIES: dict[str, Callable[[ResponsibilityPage], ResponsibilityTab]] = {
    "matrix": _matrix,
    "grid": _grid,
    "coverage": _coverage,
    "duties": _duties,
    "units": _units,
}


class ResponsibilityPage(QWidget):
    responsibility_changed = Signal()
    status_message = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, today: dt.date | None = None):
        super().__init__(parent)
        self._today = today
        self.built: dict[str, ResponsibilityTab] = {}
        self._stale: set[str] = set()
        self.title_label = heading(_("Responsibility system"), self)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        for key, title in tab_titles().items():
            stand_in = QLabel(self.tabs)
            stand_in.setObjectName(key)
            self.tabs.addTab(stand_in, title)
        self.tabs.currentChanged.connect(self._tab_shown)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.setSpacing(6)
        layout.addWidget(self.title_label)
        layout.addWidget(self.tabs, 1)
        self._tab_shown(0)

    def today(self) -> dt.date:
        return self._today or dt.date.today()

    @property
    def keys(self) -> list[str]:
        return list(TAB_FACTORIES)

    def tab(self, key: str) -> ResponsibilityTab:
        """The tab, built now if it has not been shown yet."""
        if key not in self.built:
            index = self.keys.index(key)
            tab = TAB_FACTORIES[key](self)
            tab.changed.connect(lambda key=key: self._changed_in(key))
            tab.status_message.connect(self.status_message)
            tab.open_tab.connect(self.show_tab)
            current = self.tabs.currentIndex()
            stand_in = self.tabs.widget(index)
            self.tabs.blockSignals(True)
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, tab, tab_titles()[key])
            self.tabs.setCurrentIndex(current)
            self.tabs.blockSignals(False)
            stand_in.deleteLater()
            self.built[key] = tab
        return self.built[key]

    def show_tab(self, key: str, item: object = None) -> ResponsibilityTab:
        tab = self.tab(key)
        self.tabs.setCurrentIndex(self.keys.index(key))
        if item is not None:
            tab.focus_item(item)
        return tab

    def refresh(self) -> None:
        """Everything may have changed (another page wrote): refresh what is shown."""
        self._stale = set(self.built)
        self._tab_shown(self.tabs.currentIndex())

    def _tab_shown(self, index: int) -> None:
        if index < 0:
            return
        key = self.keys[index]
        tab = self.tab(key)
        if key in self._stale:
            self._stale.discard(key)
            tab.refresh()

    def _changed_in(self, key: str) -> None:
        self._stale = set(self.built) - {key}
        self.responsibility_changed.emit()
