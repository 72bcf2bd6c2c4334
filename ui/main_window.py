"""The main window: a navigation list of areas on the left, the current page on the right.

No global instance: whoever needs the window gets it passed; pages get what they need.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QFont, QShowEvent
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.roster.service import get_group
from app.storage.db import database_path
from ui.pages.areas import PAGE_KEYS, areas
from ui.pages.placeholder import PlaceholderPage
from ui.state import ui_settings

if TYPE_CHECKING:
    from ui.pages.home import HomePage
    from ui.pages.meetings import MeetingsPage
    from ui.pages.responsibility import ResponsibilityPage
    from ui.pages.roster import RosterPage
    from ui.pages.settings import SettingsPage
    from ui.safety import DataSafety

DEFAULT_SIZE = QSize(1280, 800)
NAV_STYLE = """
QWidget#navigationPanel { background: palette(window); border-right: 1px solid palette(mid); }
QListWidget#navigation { border: none; background: transparent; outline: 0; }
QListWidget#navigation::item { padding: 9px 14px; border-radius: 5px; margin: 1px 8px; }
QListWidget#navigation::item:selected { background: palette(highlight);
    color: palette(highlighted-text); }
QListWidget#navigation::item:hover:!selected { background: palette(midlight); }
"""
KEY_ROLE = Qt.ItemDataRole.UserRole
FIRST_PAINT_FALLBACK_MS = 3000
BANNER_STYLE = (
    "QLabel { background: #fff4d6; color: #5c4400; border-bottom: 1px solid #e8cf8a;"
    " padding: 8px 16px; }"
)


def app_title() -> str:
    return _("Work-Safety Responsibility System")


class MainWindow(QMainWindow):
    # Once, when the window has been painted the first time: work that must not delay the
    # first picture (the data checks, the first backup) starts from here.
    first_painted = Signal()

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        remember: bool = True,
        today: dt.date | None = None,
    ):
        super().__init__(parent)
        self._remember = remember
        self.setMinimumSize(900, 600)
        texts = areas()

        self._today = today
        # Start-up checks and automatic backups (set by ui.application.run, not in tests).
        self.safety: DataSafety | None = None
        # Pages are built when first shown: start-up pays only for the page it opens on.
        self.pages = _LazyPages(self._build_page)

        self.navigation = QListWidget(self)
        self.navigation.setObjectName("navigation")
        font = QFont(self.navigation.font())
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.navigation.setFont(font)
        self.navigation.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stack = QStackedWidget(self)
        for key in PAGE_KEYS:
            item = QListWidgetItem(texts[key].title)
            item.setData(KEY_ROLE, key)
            item.setToolTip(texts[key].purpose)
            self.navigation.addItem(item)
            self.stack.addWidget(QWidget(self.stack))  # stands in until the page is built
        self.navigation.currentRowChanged.connect(self._row_changed)

        self.brand_label = QLabel(app_title(), self)
        brand_font = QFont(self.brand_label.font())
        brand_font.setBold(True)
        brand_font.setPointSizeF(brand_font.pointSizeF() * 1.05)
        self.brand_label.setFont(brand_font)
        self.brand_label.setWordWrap(True)
        # Always on screen, so painted with the first picture of the window.
        self._painted = False
        self.brand_label.installEventFilter(self)
        self.group_label = QLabel(self)
        self.group_label.setWordWrap(True)
        self.group_label.setStyleSheet("color: palette(placeholder-text);")
        panel = QWidget(self)
        panel.setObjectName("navigationPanel")
        panel_layout = QVBoxLayout(panel)
        panel_layout.setContentsMargins(0, 16, 0, 8)
        panel_layout.setSpacing(4)
        for label in (self.brand_label, self.group_label):
            label.setContentsMargins(16, 0, 12, 0)
            panel_layout.addWidget(label)
        panel_layout.addSpacing(10)
        panel_layout.addWidget(self.navigation, 1)
        panel.setStyleSheet(NAV_STYLE)
        width = max(
            self.navigation.fontMetrics().horizontalAdvance(texts[key].title) for key in PAGE_KEYS
        )
        panel.setMinimumWidth(max(180, width + 64))

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(panel)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(0, False)
        self.splitter.setCollapsible(1, False)
        self.splitter.setSizes([panel.minimumWidth() + 20, DEFAULT_SIZE.width()])
        # What the whole window must say: opened read-only, a database on a network share.
        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.hide()
        self._notices: dict[str, str] = {}
        central = QWidget(self)
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        central_layout.addWidget(self.banner)
        central_layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.database_label = QLabel(self)
        self.database_label.setStyleSheet("color: palette(placeholder-text);")
        path = database_path()
        if path is not None:
            self.database_label.setText(_("Database: {path}").format(path=path))
        self.statusBar().addPermanentWidget(self.database_label)

        self.update_title()
        self.resize(DEFAULT_SIZE)
        start = "home"
        if remember:
            start = self._restore_state()
        self.show_page(start)

    # ------------------------------------------------------------------ pages

    def _build_page(self, key: str) -> QWidget:
        page: QWidget
        if key == "home":
            from ui.pages.home import HomePage

            home = HomePage(self, today=self._today)
            home.navigate.connect(self.show_page)
            home.open_record.connect(self._open_record)
            page = home
        elif key == "roster":
            from ui.pages.roster import RosterPage

            roster = RosterPage(self, today=self._today)
            roster.roster_changed.connect(self._roster_changed)
            roster.status_message.connect(self.show_message)
            page = roster
        elif key == "responsibility":
            from ui.pages.responsibility import ResponsibilityPage

            responsibility = ResponsibilityPage(self, today=self._today)
            responsibility.responsibility_changed.connect(self._responsibility_changed)
            responsibility.status_message.connect(self.show_message)
            page = responsibility
        elif key == "meetings":
            from ui.pages.meetings import MeetingsPage

            meetings = MeetingsPage(self, today=self._today)
            meetings.meetings_changed.connect(self._meetings_changed)
            meetings.status_message.connect(self.show_message)
            page = meetings
        elif key == "settings":
            # Imported here: the settings page loads reportlab to show the print fonts.
            from ui.pages.settings import SettingsPage

            page = SettingsPage(self)
        else:
            page = PlaceholderPage(areas()[key], self)
        index = PAGE_KEYS.index(key)
        stand_in = self.stack.widget(index)
        self.stack.insertWidget(index, page)
        self.stack.removeWidget(stand_in)
        stand_in.deleteLater()
        return page

    @property
    def home_page(self) -> HomePage:
        return self.pages["home"]  # type: ignore[return-value]

    @property
    def roster_page(self) -> RosterPage:
        return self.pages["roster"]  # type: ignore[return-value]

    @property
    def responsibility_page(self) -> ResponsibilityPage:
        return self.pages["responsibility"]  # type: ignore[return-value]

    @property
    def meetings_page(self) -> MeetingsPage:
        return self.pages["meetings"]  # type: ignore[return-value]

    @property
    def settings_page(self) -> SettingsPage:
        return self.pages["settings"]  # type: ignore[return-value]

    def show_page(self, key: str) -> None:
        """Show a page by its key; "responsibility/coverage" also opens that tab of the page."""
        key, _slash, tab = key.partition("/")
        if key not in PAGE_KEYS:
            raise KeyError(key)
        row = PAGE_KEYS.index(key)
        if self.navigation.currentRow() != row:
            self.navigation.setCurrentRow(row)  # calls _row_changed
        else:
            self._row_changed(row)
        if tab:
            self.pages[key].show_tab(tab)  # type: ignore[attr-defined]

    def current_page(self) -> str:
        return PAGE_KEYS[self.stack.currentIndex()]

    def _row_changed(self, row: int) -> None:
        if row < 0:
            return
        key = PAGE_KEYS[row]
        page = self.pages[key]
        if key == "home" and not self.pages.fresh(key):
            self.home_page.refresh()
        self.stack.setCurrentWidget(page)

    def _roster_changed(self) -> None:
        # A hand-over passes areas of responsibility to the successor.
        if self.pages.built("responsibility"):
            self.responsibility_page.refresh()
        # Names of chairs and attendees, and who may attend, follow the roster.
        if self.pages.built("meetings"):
            self.meetings_page.refresh()
        if self.pages.built("home"):
            self.home_page.refresh()
        self.update_title()

    def _responsibility_changed(self) -> None:
        if self.pages.built("home"):
            self.home_page.refresh()

    def _open_record(self, what: str, item: object) -> None:
        """An attention item on the home page: open the meeting, or record the one missing."""
        from app.meetings.kinds import MeetingKind

        self.show_page("meetings")
        page = self.meetings_page
        if what == "meeting" and isinstance(item, int):
            page.open_meeting(item, section="follow_ups")
        elif what == "new_meeting" and isinstance(item, tuple):
            kind, due = item
            page.new_meeting(MeetingKind(kind), min(due, self._today or dt.date.today()))

    def _meetings_changed(self) -> None:
        if self.pages.built("home"):
            self.home_page.refresh()

    def update_title(self) -> None:
        group = get_group()
        place = group.unit.name if group.unit_id else group.name
        self.group_label.setText(place)
        self.setWindowTitle(
            _("{app} — {place}").format(app=app_title(), place=place) if place else app_title()
        )

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # A window started minimised is not painted until it is restored: its background
        # work must not wait that long.
        QTimer.singleShot(FIRST_PAINT_FALLBACK_MS, self._painted_anyway)

    def _painted_anyway(self) -> None:
        if not self._painted:
            self._painted = True
            self.first_painted.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._painted and watched is self.brand_label and event.type() == QEvent.Type.Paint:
            self._painted = True
            QTimer.singleShot(0, self.first_painted.emit)
        return super().eventFilter(watched, event)

    def show_banner(self, text: str, key: str = "start") -> None:
        """A standing note across the window's top, one per ``key`` (empty text: none)."""
        self._notices[key] = text
        shown = "\n".join(note for note in self._notices.values() if note)
        self.banner.setText(shown)
        self.banner.setVisible(bool(shown))

    def reload(self) -> None:
        """The database was replaced (a restore): build every page again from it."""
        current = self.current_page()
        for key in self.pages.discard_all():
            index = PAGE_KEYS.index(key)
            old = self.stack.widget(index)
            self.stack.insertWidget(index, QWidget(self.stack))
            self.stack.removeWidget(old)
            old.deleteLater()
        self.update_title()
        self.show_page(current)

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    # ------------------------------------------------------------------ remembered state

    def _restore_state(self) -> str:
        settings = ui_settings()
        geometry = settings.value("main/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        splitter = settings.value("main/splitter")
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            self.splitter.restoreState(splitter)
        page = settings.value("main/page", "home", type=str)
        return page if page in PAGE_KEYS else "home"

    def save_state(self) -> None:
        settings = ui_settings()
        settings.setValue("main/geometry", self.saveGeometry())
        settings.setValue("main/splitter", self.splitter.saveState())
        settings.setValue("main/page", self.current_page())
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        from ui import tasks

        # An import may be inside its transaction: closing now would cut it off.  Short
        # work is simply waited for; only long work makes the window stay.
        if tasks.busy() and not tasks.wait_for_idle(3000):
            QMessageBox.information(
                self,
                app_title(),
                _("SafeDuty is still writing to the database. Close it when that is done."),
            )
            event.ignore()
            return
        if self._remember:
            self.save_state()
        if self.safety is not None:
            self.safety.last_backup()
        super().closeEvent(event)


class _LazyPages:
    """The window's pages by key, each built by ``build`` the first time it is asked for."""

    def __init__(self, build: Callable[[str], QWidget]):
        self._build = build
        self._pages: dict[str, QWidget] = {}
        self._fresh: set[str] = set()

    def __getitem__(self, key: str) -> QWidget:
        if key not in PAGE_KEYS:
            raise KeyError(key)
        if key not in self._pages:
            self._pages[key] = self._build(key)
            self._fresh.add(key)
        return self._pages[key]

    def __contains__(self, key: object) -> bool:
        return key in PAGE_KEYS

    def built(self, key: str) -> bool:
        return key in self._pages

    def discard_all(self) -> list[str]:
        """Forget every built page (the caller removes the widgets); their keys."""
        keys = list(self._pages)
        self._pages.clear()
        self._fresh.clear()
        return keys

    def fresh(self, key: str) -> bool:
        """True once, right after the page was built (it has just loaded its data)."""
        if key in self._fresh:
            self._fresh.discard(key)
            return True
        return False
