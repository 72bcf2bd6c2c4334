"""The "who answers for what" grid offscreen: cells and headers, editing in place, filters,
past days, showing an area from the coverage check, and the prints."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox

from app.org.kinds import UnitKind
from app.responsibility.assignments import assignments_as_of, grid_as_of, set_level
from app.responsibility.levels import Level
from app.storage.models import Assignment, Person, Post, Unit
from ui import dialogs, tasks
from ui.dialogs.grid_person_dialog import GridPersonDialog
from ui.models.grid_model import (
    KIND_ROLE,
    LEVEL_ROLE,
    GridFilters,
    GridModel,
    KindFilter,
    PeopleShown,
    kind_tag,
    level_colours,
)
from ui.pages.responsibility import ResponsibilityPage
from ui.pages.responsibility.grid_tab import GridTab
from ui.printing.preview import PrintPreviewDialog
from ui.widgets.forms import long_date
from ui.widgets.level_grid import LevelCombo

TODAY = dt.date(2025, 6, 30)
START = dt.date(2024, 1, 1)


@pytest.fixture
def town() -> dict[str, int]:
    """A township with two departments, two villages and a field of work; six people."""
    ids: dict[str, int] = {}
    for order, (name, kind) in enumerate(
        (
            ("青禾镇", UnitKind.TOWNSHIP),
            ("应急管理办公室", UnitKind.DEPARTMENT),
            ("财政所", UnitKind.DEPARTMENT),
            ("常青村", UnitKind.VILLAGE),
            ("桃源社区", UnitKind.COMMUNITY),
            ("危险化学品", UnitKind.INDUSTRY),
            ("青禾化工有限公司", UnitKind.ENTERPRISE),
        )
    ):
        ids[name] = Unit.create(name=name, kind=kind.value, sort_order=order).id
    for name, title, unit in (
        ("周建国", "镇党委书记", None),
        ("郑平", "镇长", None),
        ("李强", "副镇长", None),
        ("王丽", "组织委员", None),
        ("闫旻", "常青村党总支书记", "常青村"),
        ("赵网", "网格员", "桃源社区"),
        ("陈立新", "常青村村委会主任", "常青村"),
    ):
        person = Person.create(name=name)
        ids[name] = person.id
        Post.create(person=person, title=title, unit=ids[unit] if unit else None, start_date=START)
    for person, unit, level in (
        ("周建国", "青禾镇", Level.OVERALL),
        ("郑平", "青禾镇", Level.OVERALL),
        ("李强", "应急管理办公室", Level.SUPERVISION),
        ("王丽", "常青村", Level.DIRECT_LEADERSHIP),
        ("闫旻", "常青村", Level.DIRECT),
        ("赵网", "桃源社区", Level.SPECIFIC),
    ):
        set_level(ids[person], ids[unit], level, START)
    return ids


@pytest.fixture
def page(gui, qtbot, town) -> ResponsibilityPage:
    page = ResponsibilityPage(today=TODAY)
    qtbot.addWidget(page)
    page.resize(1200, 760)
    page.show()
    return page


@pytest.fixture
def tab(page) -> GridTab:
    tab = page.show_tab("grid")
    assert isinstance(tab, GridTab)
    return tab


def level_in_db(person: int, unit: int, day: dt.date = TODAY) -> Level | None:
    lines = [line for line in assignments_as_of(day, person_id=person) if line.unit_id == unit]
    return lines[0].level if lines else None


def column_names(tab: GridTab) -> list[str]:
    model = tab.model
    return [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]


def row_names(tab: GridTab) -> list[str]:
    model = tab.model
    return [model.headerData(r, Qt.Orientation.Vertical) for r in range(model.rowCount())]


def cell(tab: GridTab, person: int, unit: int):
    model = tab.model
    return model.index(model.row_of_area(unit), model.column_of_person(person))


def record_dialogs(monkeypatch, act=None) -> list[QDialog]:
    seen: list[QDialog] = []

    def fake_run(dialog: QDialog) -> int:
        seen.append(dialog)
        if act is not None:
            act(dialog)
        else:
            dialog.reject()
        return dialog.result()

    monkeypatch.setattr(dialogs, "run_dialog", fake_run)
    return seen


def wait(qtbot) -> None:
    qtbot.waitUntil(lambda: not tasks.busy(), timeout=30000)


# ---------------------------------------------------------------------------- the model


def test_model_shows_levels_in_cells_and_names_in_headers(gui, town) -> None:
    model = GridModel()
    model.set_grid(grid_as_of(TODAY))
    # Every area but the enterprise (it answers to a department), the township first.
    rows = [model.headerData(r, Qt.Orientation.Vertical) for r in range(model.rowCount())]
    assert rows == ["青禾镇", "应急管理办公室", "财政所", "常青村", "桃源社区", "危险化学品"]
    assert model.headerData(3, Qt.Orientation.Vertical, KIND_ROLE) == kind_tag(UnitKind.VILLAGE)
    # People answering for something, leaders first.
    names = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert names[:2] == sorted(["周建国", "郑平"]) and names[2] == "李强"
    assert set(names) == {"周建国", "郑平", "李强", "王丽", "闫旻", "赵网"}
    header_tip = model.headerData(
        names.index("闫旻"), Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
    )
    assert "常青村党总支书记" in header_tip and Level.DIRECT.label in header_tip

    index = model.index(model.row_of_area(town["常青村"]), model.column_of_person(town["王丽"]))
    assert index.data() == Level.DIRECT_LEADERSHIP.short_label
    assert index.data(LEVEL_ROLE) == Level.DIRECT_LEADERSHIP
    tip = index.data(Qt.ItemDataRole.ToolTipRole)
    assert "常青村" in tip and long_date(START) in tip  # since when the leader answers for it
    background = index.data(Qt.ItemDataRole.BackgroundRole).color()
    text = index.data(Qt.ItemDataRole.ForegroundRole).color()
    assert (background, text) == level_colours(Level.DIRECT_LEADERSHIP)
    # Readable: the text stands well apart from its background in either palette.
    for dark in (False, True):
        for level in Level:
            back, fore = level_colours(level, dark)
            assert abs(back.lightness() - fore.lightness()) > 100
    empty = model.index(model.row_of_area(town["财政所"]), 0)
    assert empty.data() == "" and empty.data(LEVEL_ROLE) is None
    assert empty.data(Qt.ItemDataRole.BackgroundRole) is None


def test_model_filters_both_axes(gui, town) -> None:
    model = GridModel()
    model.set_grid(grid_as_of(TODAY))

    def rows() -> list[str]:
        return [a.name for a in model.visible_areas()]

    def people() -> list[str]:
        return [p.name for p in model.visible_people()]

    model.set_filters(GridFilters(area_text="常 青"))
    assert rows() == ["常青村"]
    model.set_filters(GridFilters(kinds=KindFilter.TERRITORIES))
    assert rows() == ["常青村", "桃源社区"]
    model.set_filters(GridFilters(kinds=KindFilter.DEPARTMENTS))
    assert rows() == ["应急管理办公室", "财政所"]
    model.set_filters(GridFilters(people_text="书记"))  # a title
    assert sorted(people()) == ["周建国", "闫旻"]
    model.set_filters(GridFilters(people_text="赵"))  # a name
    assert people() == ["赵网"]
    model.set_filters(GridFilters(people=PeopleShown.LEADERS))
    assert sorted(people()) == ["周建国", "李强", "王丽", "郑平"]
    # A pinned person shows whatever the filters say.
    model.set_filters(GridFilters(people=PeopleShown.LEADERS, pinned=frozenset({town["赵网"]})))
    assert "赵网" in people()
    # Narrowing the areas narrows the people to those who answer for them.
    model.set_filters(GridFilters(area_text="常青", people=PeopleShown.OF_AREAS))
    assert sorted(people()) == ["王丽", "闫旻"]
    model.set_filters(GridFilters(kinds=KindFilter.TOWNSHIP, people=PeopleShown.OF_AREAS))
    assert sorted(people()) == ["周建国", "郑平"]


# ---------------------------------------------------------------------------- the tab


def test_the_tab_opens_on_the_leaders(tab, town) -> None:
    assert tab.people_shown == PeopleShown.LEADERS
    assert sorted(column_names(tab)) == ["周建国", "李强", "王丽", "郑平"]
    assert row_names(tab)[0] == "青禾镇"
    assert "6" in tab.count_label.text()
    assert not tab.notice.isVisible()


def test_editing_a_cell_writes_the_assignment(tab, qtbot, town) -> None:
    changed: list[bool] = []
    tab.changed.connect(lambda: changed.append(True))
    index = cell(tab, town["李强"], town["财政所"])
    assert index.data() == ""
    tab.table.setCurrentIndex(index)
    tab.table.edit(index)
    editor = tab.table.findChild(LevelCombo)
    assert editor is not None and editor.level() is None
    editor.setCurrentIndex(editor.findData(Level.DIRECT_LEADERSHIP.value))
    editor.activated.emit(editor.currentIndex())
    QApplication.processEvents()
    assert level_in_db(town["李强"], town["财政所"]) == Level.DIRECT_LEADERSHIP
    assert cell(tab, town["李强"], town["财政所"]).data() == Level.DIRECT_LEADERSHIP.short_label
    # The other cells keep their levels.
    assert level_in_db(town["李强"], town["应急管理办公室"]) == Level.SUPERVISION
    assert level_in_db(town["王丽"], town["常青村"]) == Level.DIRECT_LEADERSHIP
    assert changed == [True]
    # The assignment starts today: yesterday stays as it was.
    assert level_in_db(town["李强"], town["财政所"], TODAY - dt.timedelta(1)) is None


def test_typing_a_number_sets_the_level_and_del_clears_it(tab, qtbot, town) -> None:
    index = cell(tab, town["王丽"], town["桃源社区"])
    tab.table.setFocus()
    tab.table.setCurrentIndex(index)
    qtbot.keyClick(tab.table, Qt.Key.Key_3)  # 3 = direct leadership
    QApplication.processEvents()
    assert level_in_db(town["王丽"], town["桃源社区"]) == Level.DIRECT_LEADERSHIP
    assert (
        tab.table.findChild(LevelCombo) is None or not tab.table.findChild(LevelCombo).isVisible()
    )
    tab.table.setCurrentIndex(cell(tab, town["王丽"], town["常青村"]))
    qtbot.keyClick(tab.table, Qt.Key.Key_Delete)
    assert level_in_db(town["王丽"], town["常青村"]) is None
    assert cell(tab, town["王丽"], town["常青村"]).data() == ""
    assert level_in_db(town["王丽"], town["桃源社区"]) == Level.DIRECT_LEADERSHIP
    # History: on an earlier day she still led 常青村.
    assert level_in_db(town["王丽"], town["常青村"], TODAY - dt.timedelta(1)) == (
        Level.DIRECT_LEADERSHIP
    )


def test_a_refused_write_is_explained(tab, monkeypatch, town) -> None:
    messages: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", staticmethod(lambda *args: messages.append(args[2]))
    )
    index = cell(tab, town["李强"], town["财政所"])
    Assignment.delete().where(Assignment.unit == town["财政所"]).execute()
    Unit.delete().where(Unit.id == town["财政所"]).execute()  # gone meanwhile
    tab.table.setCurrentIndex(index)
    assert not tab.set_current_level(Level.DIRECT)
    assert len(messages) == 1 and messages[0]
    assert "财政所" not in row_names(tab)  # shown again as it is now


def test_filters_in_the_tab(tab, qtbot, town) -> None:
    tab.area_edit.setText("村")
    qtbot.waitUntil(lambda: row_names(tab) == ["常青村"])
    tab.kind_combo.setCurrentIndex(
        next(i for i in range(tab.kind_combo.count()) if tab.kind_combo.itemData(i) is None)
    )
    tab.area_edit.clear()
    tab.kind_combo.setCurrentIndex(
        next(
            i
            for i in range(tab.kind_combo.count())
            if tab.kind_combo.itemData(i) == KindFilter.INDUSTRIES
        )
    )
    qtbot.waitUntil(lambda: row_names(tab) == ["危险化学品"])
    tab.set_people_shown(PeopleShown.EVERYONE)
    tab.people_edit.setText("网格员")
    qtbot.waitUntil(lambda: column_names(tab) == ["赵网"])
    assert "1 / 6" in tab.count_label.text() or "1 of 6" in tab.count_label.text()
    tab.kind_combo.setCurrentIndex(0)
    tab.clear_filters()
    assert len(row_names(tab)) == 6
    assert sorted(column_names(tab)) == ["周建国", "李强", "王丽", "郑平"]


def test_nothing_matching_says_so(tab, qtbot) -> None:
    tab.area_edit.setText("没有这个地方")
    tab.apply_filters()
    assert tab.body.currentWidget() is tab.empty_page
    assert tab.empty_clear_button.isVisibleTo(tab)
    tab.empty_clear_button.click()
    assert tab.body.currentWidget() is tab.grid_view


def test_a_past_day_is_read_only(tab, qtbot, town) -> None:
    tab.as_of_edit.setDate(QDate(2024, 6, 1))
    assert tab.notice.isVisible() and "2024" in tab.notice.text()
    index = cell(tab, town["李强"], town["应急管理办公室"])
    assert not tab.model.flags(index) & Qt.ItemFlag.ItemIsEditable
    tab.table.setCurrentIndex(index)
    assert not tab.set_current_level(None)
    assert level_in_db(town["李强"], town["应急管理办公室"]) == Level.SUPERVISION
    tab.today_button.click()
    assert not tab.notice.isVisible()
    assert tab.model.flags(index) & Qt.ItemFlag.ItemIsEditable


def test_a_future_day_writes_from_that_day(tab, town) -> None:
    later = TODAY + dt.timedelta(days=30)
    tab.set_as_of(later)
    tab.table.setCurrentIndex(cell(tab, town["李强"], town["财政所"]))
    assert tab.set_current_level(Level.DIRECT_LEADERSHIP)
    assert level_in_db(town["李强"], town["财政所"], later) == Level.DIRECT_LEADERSHIP
    assert level_in_db(town["李强"], town["财政所"], TODAY) is None


def test_showing_an_area_clears_what_hides_it(page, tab, qtbot, town) -> None:
    tab.area_edit.setText("应急")
    tab.apply_filters()
    assert row_names(tab) == ["应急管理办公室"]
    # The coverage check sends the clerk here to fix a gap of 常青村.
    page.show_tab("grid", town["常青村"])
    assert page.tabs.currentWidget() is tab
    assert tab.area_edit.text() == ""
    row = tab.model.row_of_area(town["常青村"])
    assert row is not None and tab.table.currentIndex().row() == row
    assert tab.table.selectionModel().isSelected(tab.table.currentIndex())
    # Who answers for it and who works there get a column, even outside "leaders only".
    names = column_names(tab)
    assert {"闫旻", "陈立新"} <= set(names)
    # 陈立新 answers for nothing yet: one double-click away from being made answerable.
    tab.table.setCurrentIndex(cell(tab, town["陈立新"], town["常青村"]))
    assert tab.set_current_level(Level.DIRECT)
    assert level_in_db(town["陈立新"], town["常青村"]) == Level.DIRECT
    # A refresh keeps the column.
    tab.refresh()
    assert "陈立新" in column_names(tab)


def test_showing_an_area_that_is_not_one_is_ignored(page, tab, town) -> None:
    before = row_names(tab)
    page.show_tab("grid", town["青禾化工有限公司"])
    assert row_names(tab) == before


def test_add_a_person_gives_them_a_column(tab, monkeypatch, town) -> None:
    def choose(dialog: QDialog) -> None:
        assert isinstance(dialog, GridPersonDialog)
        dialog.search_edit.setText("陈立")
        assert dialog.list.count() == 1
        dialog.accept()

    record_dialogs(monkeypatch, choose)
    tab.add_person()
    assert "陈立新" in column_names(tab)
    current = tab.table.currentIndex()
    assert tab.model.person_at(current.column()).name == "陈立新"


def test_print_the_view_with_a_preview(tab, qtbot, monkeypatch, tmp_path, town) -> None:
    seen = record_dialogs(monkeypatch)
    tab.kind_combo.setCurrentIndex(
        next(
            i
            for i in range(tab.kind_combo.count())
            if tab.kind_combo.itemData(i) == KindFilter.TERRITORIES
        )
    )
    tab.print_button.click()
    wait(qtbot)
    assert len(seen) == 1 and isinstance(seen[0], PrintPreviewDialog)
    preview = seen[0]
    assert preview.pdf.startswith(b"%PDF")
    target = tmp_path / "grid.pdf"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    assert preview.save_as() == target
    assert target.read_bytes() == preview.pdf
    text = pdf_text(target)
    assert "常青村" in text and "应急管理办公室" not in text


def test_print_duty_cards(tab, qtbot, monkeypatch, town) -> None:
    seen = record_dialogs(monkeypatch)
    tab.table.setCurrentIndex(cell(tab, town["李强"], town["青禾镇"]))
    assert tab.card_button.isEnabled()
    tab.card_button.click()
    wait(qtbot)
    assert isinstance(seen[-1], PrintPreviewDialog)
    assert "李强" in pdf_text_of(seen[-1].pdf)
    menu = tab.person_menu(tab.model.person_at(0))
    menu.actions()[0].trigger()
    wait(qtbot)
    assert len(seen) == 2
    tab.cards_button.click()
    wait(qtbot)
    text = pdf_text_of(seen[-1].pdf)
    for name in ("周建国", "郑平", "李强", "王丽"):
        assert name in text
    assert "赵网" not in text


def pdf_text_of(pdf: bytes) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return "".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def pdf_text(path) -> str:
    return pdf_text_of(path.read_bytes())


def test_edits_mark_other_tabs_stale(page, tab, town) -> None:
    emitted: list[bool] = []
    page.responsibility_changed.connect(lambda: emitted.append(True))
    tab.table.setCurrentIndex(cell(tab, town["李强"], town["财政所"]))
    tab.set_current_level(Level.DIRECT_LEADERSHIP)
    assert emitted == [True]
