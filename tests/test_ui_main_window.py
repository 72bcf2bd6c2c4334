"""The main window, its pages and screenshots, offscreen."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel

from app.config import config_dir
from app.roster import service
from app.roster.roles import GroupRole, OfficeRole
from app.roster.service import MemberInput
from app.roster.summary import roster_summary
from app.storage.models import Unit
from ui.main_window import MainWindow
from ui.pages.areas import COMING_LATER, PAGE_KEYS
from ui.pages.home import HomePage
from ui.pages.placeholder import PlaceholderPage
from ui.screenshot import render_pages
from ui.state import STATE_FILE

TODAY = dt.date(2025, 6, 30)


@pytest.fixture
def township() -> None:
    Unit.create(name="青禾镇", kind="township")
    start = dt.date(2024, 1, 1)
    service.add_member(
        MemberInput(name="周建国", role=GroupRole.LEADER, titles=("镇党委书记",)), start
    )
    service.add_member(
        MemberInput(name="钱多", role=GroupRole.MEMBER, office_role=OfficeRole.DIRECTOR),
        dt.date(2025, 3, 1),
    )


@pytest.fixture
def window(gui, qtbot, township) -> MainWindow:
    window = MainWindow(remember=False, today=TODAY)
    qtbot.addWidget(window)
    window.show()
    return window


def test_the_window_navigates_to_every_page(window: MainWindow) -> None:
    assert window.navigation.count() == len(PAGE_KEYS)
    for key in PAGE_KEYS:
        window.show_page(key)
        assert window.current_page() == key
        assert window.stack.currentWidget() is window.pages[key]
        assert window.navigation.currentItem().text()
    with pytest.raises(KeyError):
        window.show_page("nowhere")


def test_clicking_the_navigation_list_changes_the_page(window: MainWindow) -> None:
    window.navigation.setCurrentRow(PAGE_KEYS.index("settings"))
    assert window.current_page() == "settings"
    window.home_page.navigate.emit("roster")
    assert window.current_page() == "roster"


def test_title_names_the_township(window: MainWindow) -> None:
    assert "青禾镇" in window.windowTitle()
    assert window.group_label.text() == "青禾镇"


def test_pages_still_to_come_say_so_plainly(window: MainWindow) -> None:
    for key in COMING_LATER:
        page = window.pages[key]
        assert isinstance(page, PlaceholderPage)
        texts = [label.text() for label in page.findChildren(QLabel) if label.text()]
        assert page.title_label.text() == window.navigation.item(PAGE_KEYS.index(key)).text()
        assert len(page.purpose_label.text()) >= 12  # a sentence, in Chinese or English
        assert page.note_label.text()
        assert len(texts) >= 3


def test_home_page_summarises_the_roster(window: MainWindow) -> None:
    home = window.home_page
    assert home.summary == roster_summary(TODAY)
    assert home.summary.members == 2
    assert home.summary.leaders == ("周建国",)
    assert home.summary.director == "钱多"
    assert home.summary.last_change == dt.date(2025, 3, 1)
    assert "钱多" in home.director_label.text()
    assert set(home.later_cards) == set(COMING_LATER)


def test_home_page_warns_when_there_is_no_office_director(gui, qtbot) -> None:
    home = HomePage(today=TODAY)
    qtbot.addWidget(home)
    assert home.summary.members == 0
    assert home.summary.director is None
    assert home.summary.last_change is None
    assert home.director_label.styleSheet()  # shown as a warning
    assert home.director_label.text()


def test_home_page_follows_changes_on_the_roster_page(window: MainWindow) -> None:
    line = next(m for m in service.roster_as_of(TODAY).lines if m.name == "钱多")
    service.end_membership(line.membership_id, dt.date(2025, 5, 31))
    window.roster_page.refresh()
    window.roster_page.roster_changed.emit()
    assert window.home_page.summary.director is None
    assert window.home_page.summary.last_change == dt.date(2025, 6, 1)


def test_window_state_is_remembered(gui, qtbot, township) -> None:
    first = MainWindow(today=TODAY)
    qtbot.addWidget(first)
    first.show()
    first.show_page("roster")
    first.close()
    saved = (config_dir() / STATE_FILE).read_text(encoding="utf-8")
    assert "geometry=" in saved and "splitter=" in saved
    second = MainWindow(today=TODAY)
    qtbot.addWidget(second)
    assert second.current_page() == "roster"
    # A window that does not remember neither reads nor writes the state.
    third = MainWindow(remember=False, today=TODAY)
    qtbot.addWidget(third)
    assert third.current_page() == "home"
    third.close()
    assert (config_dir() / STATE_FILE).read_text(encoding="utf-8") == saved


def test_screenshots_of_every_page(gui, township, tmp_path: Path) -> None:
    targets = {key: tmp_path / f"{key}.png" for key in PAGE_KEYS}
    written = render_pages(targets, size=(1024, 700))
    assert written == list(targets.values())
    for path in written:
        image = QImage(str(path))
        assert not image.isNull(), path
        assert (image.width(), image.height()) == (1024, 700)
        colours = {image.pixel(x, y) for x in range(0, 1024, 16) for y in range(0, 700, 16)}
        assert len(colours) > 3, f"{path.name} looks empty"
    assert not list(tmp_path.glob(".*.tmp"))


def test_screenshot_of_an_unknown_page_is_refused(gui, tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        render_pages({"nowhere": tmp_path / "x.png"})
    assert not (tmp_path / "x.png").exists()


def test_the_window_stays_open_while_background_work_writes(window, qtbot, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from ui import tasks

    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *args: told.append(args[2]))
    monkeypatch.setattr(tasks, "busy", lambda: True)
    monkeypatch.setattr(tasks, "wait_for_idle", lambda timeout_ms: False)
    window.show()
    assert not window.close()
    assert window.isVisible() and told
    monkeypatch.undo()
    assert window.close()


def test_an_attention_item_on_the_home_page_opens_what_settles_it(gui, qtbot, monkeypatch) -> None:
    import datetime as dt

    from app.demo import create_demo
    from app.obligations.attention import ItemKind
    from ui import dialogs
    from ui.dialogs.meeting_dialog import MeetingDialog
    from ui.main_window import MainWindow

    today = dt.date(2026, 5, 20)
    create_demo(1, today=today)
    opened: list[MeetingDialog] = []
    monkeypatch.setattr(dialogs, "run_dialog", lambda dialog: opened.append(dialog) or 0)
    window = MainWindow(remember=False, today=today)
    qtbot.addWidget(window)
    home = window.home_page
    qtbot.waitUntil(lambda: home.attention is not None, timeout=10000)
    assert "<a href=" in home.attention_label.text()
    items = home.attention.items
    obligation = next(i for i, item in enumerate(items) if item.kind is ItemKind.OBLIGATION)
    home._attention_link(str(obligation))
    assert window.current_page() == "meetings"
    (dialog,) = opened
    assert dialog.kind_combo.currentData() == items[obligation].meeting_kind
    follow_up = next(i for i, item in enumerate(items) if item.kind is ItemKind.FOLLOW_UP)
    home._attention_link(str(follow_up))
    assert len(opened) == 2 and opened[1].meeting_id == items[follow_up].meeting_id
