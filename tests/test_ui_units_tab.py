"""The units tab offscreen: the list with enterprises' own columns, filters, add / edit / delete
through the unit dialog, and deletes refused while history needs the unit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from app.org.kinds import PostKind, RiskClass, UnitKind
from app.storage.models import Person, Post, Unit
from ui import dialogs
from ui.dialogs.unit_dialog import UnitDialog
from ui.models.units_model import (
    COL_EMPLOYEES,
    COL_INDUSTRY,
    COL_MANAGER,
    COL_NAME,
    COL_PARENT,
    COL_SUPERVISOR,
    MISSING_COLOR,
)
from ui.pages import responsibility
from ui.pages.responsibility import ResponsibilityPage, ResponsibilityTab
from ui.pages.responsibility.units_tab import TERRITORIAL, UnitsTab

TODAY = dt.date(2025, 6, 30)
START = dt.date(2024, 1, 1)


class StubTab(ResponsibilityTab):
    def refresh(self) -> None:
        pass


@pytest.fixture
def org() -> dict[str, int]:
    town = Unit.create(name="青禾镇", kind="township")
    ids = {"青禾镇": town.id}
    for order, (name, kind) in enumerate(
        [
            ("应急管理办公室", "department"),
            ("经济发展办公室", "department"),
            ("常青村", "village"),
            ("东湖社区", "community"),
            ("建材生产", "industry"),
        ],
        start=1,
    ):
        ids[name] = Unit.create(name=name, kind=kind, parent=town, sort_order=order).id
    ids["宏达建材有限公司"] = Unit.create(
        name="宏达建材有限公司",
        kind="enterprise",
        parent=ids["常青村"],
        industry=ids["建材生产"],
        supervisor=ids["经济发展办公室"],
        employees=40,
        risk_class="key",
        sort_order=1001,
    ).id
    head = Person.create(name="王丽")
    Post.create(
        person=head,
        title="应急管理办公室主任",
        unit=ids["应急管理办公室"],
        kind=PostKind.DEPARTMENT_HEAD.value,
        start_date=START,
    )
    return ids


@pytest.fixture
def page(gui, qtbot, monkeypatch, org) -> ResponsibilityPage:
    for key in ("matrix", "grid"):
        monkeypatch.setitem(responsibility.TAB_FACTORIES, key, StubTab)
    page = ResponsibilityPage(today=TODAY)
    qtbot.addWidget(page)
    page.resize(1200, 760)
    page.show()
    page.show_tab("units")
    return page


@pytest.fixture
def tab(page: ResponsibilityPage) -> UnitsTab:
    tab = page.tab("units")
    assert isinstance(tab, UnitsTab)
    return tab


def names_in_view(tab: UnitsTab) -> list[str]:
    proxy = tab.proxy
    return [proxy.index(row, COL_NAME).data() for row in range(proxy.rowCount())]


def row_of(tab: UnitsTab, name: str) -> int:
    return names_in_view(tab).index(name)


def cell(tab: UnitsTab, name: str, column: int, role=None):
    index = tab.proxy.index(row_of(tab, name), column)
    return index.data() if role is None else index.data(role)


def select(tab: UnitsTab, name: str) -> None:
    assert tab.select_unit(Unit.get(Unit.name == name).id)


def answer_with(monkeypatch, act: Callable[[QDialog], None]) -> list[QDialog]:
    seen: list[QDialog] = []

    def fake_run(dialog: QDialog) -> int:
        seen.append(dialog)
        act(dialog)
        return dialog.result()

    monkeypatch.setattr(dialogs, "run_dialog", fake_run)
    return seen


def snapshot() -> list[tuple]:
    return list(Unit.select().order_by(Unit.id).tuples())


# ---------------------------------------------------------------------------- the list


def test_units_in_kind_order_with_the_enterprises_own_columns(tab: UnitsTab) -> None:
    assert names_in_view(tab) == [
        "青禾镇",
        "应急管理办公室",
        "经济发展办公室",
        "常青村",
        "东湖社区",
        "建材生产",
        "宏达建材有限公司",
    ]
    firm = "宏达建材有限公司"
    assert cell(tab, firm, COL_PARENT) == "常青村"
    assert cell(tab, firm, COL_INDUSTRY) == "建材生产"
    assert cell(tab, firm, COL_SUPERVISOR) == "经济发展办公室"
    assert cell(tab, firm, COL_EMPLOYEES) == "40"
    # 40 employees and no safety manager: said, in red.
    assert cell(tab, firm, COL_MANAGER)
    assert cell(tab, firm, COL_MANAGER, Qt.ItemDataRole.ForegroundRole) == MISSING_COLOR
    assert cell(tab, "常青村", COL_SUPERVISOR) == ""  # not an enterprise: nothing to say
    assert "7" in tab.count_label.text()


def test_filter_by_kind_and_search(tab: UnitsTab) -> None:
    combo = tab.kind_combo
    combo.setCurrentIndex(combo.findData(TERRITORIAL))
    assert names_in_view(tab) == ["常青村", "东湖社区"]
    combo.setCurrentIndex(combo.findData(UnitKind.DEPARTMENT.value))
    assert names_in_view(tab) == ["应急管理办公室", "经济发展办公室"]
    combo.setCurrentIndex(0)
    tab.search_edit.setText("常青")  # the village, and the enterprise located in it
    assert names_in_view(tab) == ["常青村", "宏达建材有限公司"]
    assert "2" in tab.count_label.text() and "7" in tab.count_label.text()


def test_nothing_selected_disables_edit_and_delete(tab: UnitsTab) -> None:
    tab.table.clearSelection()
    assert not tab.edit_action.isEnabled() and not tab.delete_action.isEnabled()
    select(tab, "常青村")
    assert tab.edit_action.isEnabled() and tab.delete_action.isEnabled()


def test_focus_item_clears_a_filter_that_hides_the_unit(tab: UnitsTab) -> None:
    tab.kind_combo.setCurrentIndex(tab.kind_combo.findData(UnitKind.DEPARTMENT.value))
    tab.focus_item(Unit.get(Unit.name == "宏达建材有限公司").id)
    assert tab.selected_line().name == "宏达建材有限公司"


# ---------------------------------------------------------------------------- adding, editing


def test_add_an_enterprise_with_a_new_industry(tab: UnitsTab, monkeypatch, qtbot, org) -> None:
    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, UnitDialog)
        dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("enterprise"))
        dialog.name_edit.setText("顺发物流有限公司")
        dialog.host_combo.setCurrentIndex(dialog.host_combo.findData(org["东湖社区"]))
        dialog.industry_combo.setEditText("道路运输")
        dialog.supervisor_combo.setCurrentIndex(
            dialog.supervisor_combo.findData(org["应急管理办公室"])
        )
        dialog.employees_edit.setText("12")
        dialog.risk_combo.setCurrentIndex(dialog.risk_combo.findData(RiskClass.GENERAL.value))
        dialog.accept()

    answer_with(monkeypatch, fill)
    with qtbot.waitSignal(tab.changed), qtbot.waitSignal(tab.status_message):
        tab.add_action.trigger()
    unit = Unit.get(Unit.name == "顺发物流有限公司")
    assert unit.kind == "enterprise" and unit.parent_id == org["东湖社区"]
    assert unit.industry.name == "道路运输" and unit.industry.kind == "industry"
    assert unit.supervisor_id == org["应急管理办公室"]
    assert (unit.employees, unit.risk_class) == (12, "general")
    assert tab.selected_line().name == "顺发物流有限公司"
    assert "道路运输" in names_in_view(tab)  # the new industry is listed too


def test_the_dialog_shows_enterprise_fields_only_for_enterprises(tab: UnitsTab, qtbot) -> None:
    dialog = UnitDialog(tab)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("village"))
    assert not dialog.employees_edit.isVisible() and not dialog.host_combo.isVisible()
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("enterprise"))
    assert dialog.employees_edit.isVisible() and dialog.host_combo.isVisible()
    # The township exists: a second one is not offered.
    assert dialog.kind_combo.findData("township") == -1


@pytest.mark.parametrize(
    ("name", "employees", "field"),
    [
        ("", "", "name"),
        ("常青村", "", "name"),  # another unit of that name under the township
        ("某某公司", "十二", "employees"),
        ("某某公司", "-4", "employees"),
    ],
)
def test_invalid_input_shows_beside_the_field_and_writes_nothing(
    tab: UnitsTab, monkeypatch, name: str, employees: str, field: str
) -> None:
    messages: dict[str, str] = {}

    def fill(dialog: QDialog) -> None:
        dialog.show()
        kind = "enterprise" if employees else "department"
        dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData(kind))
        dialog.host_combo.setCurrentIndex(0)
        dialog.name_edit.setText(name)
        dialog.employees_edit.setText(employees)
        dialog.accept()
        assert dialog.isVisible()
        assert dialog.errors.label(field).isVisible()
        messages.update(dialog.errors.messages())
        dialog.reject()

    answer_with(monkeypatch, fill)
    before = snapshot()
    tab.add_unit()
    assert messages.get(field)
    assert snapshot() == before


def test_an_enterprise_must_say_where_it_is(tab: UnitsTab, monkeypatch) -> None:
    messages: dict[str, str] = {}

    def fill(dialog: QDialog) -> None:
        dialog.show()
        dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("enterprise"))
        dialog.name_edit.setText("某某公司")
        dialog.accept()
        messages.update(dialog.errors.messages())
        dialog.reject()

    answer_with(monkeypatch, fill)
    before = snapshot()
    tab.add_unit()
    assert messages.get("parent")
    assert snapshot() == before


def test_edit_an_enterprise(tab: UnitsTab, monkeypatch, org) -> None:
    def change(dialog: QDialog) -> None:
        # The form shows what is stored.
        assert dialog.name_edit.text() == "宏达建材有限公司"
        assert dialog.host_combo.currentData() == org["常青村"]
        assert dialog.industry_combo.currentText() == "建材生产"
        assert dialog.employees_edit.text() == "40"
        dialog.supervisor_combo.setCurrentIndex(
            dialog.supervisor_combo.findData(org["应急管理办公室"])
        )
        dialog.employees_edit.setText("45")
        dialog.accept()

    answer_with(monkeypatch, change)
    select(tab, "宏达建材有限公司")
    tab.edit_action.trigger()
    unit = Unit.get_by_id(org["宏达建材有限公司"])
    assert (unit.supervisor_id, unit.employees) == (org["应急管理办公室"], 45)
    assert unit.industry_id == org["建材生产"]  # unchanged, not a new industry
    assert cell(tab, "宏达建材有限公司", COL_SUPERVISOR) == "应急管理办公室"


# ---------------------------------------------------------------------------- deleting


def test_deleting_a_unit_with_posts_is_refused_and_changes_nothing(
    tab: UnitsTab, monkeypatch
) -> None:
    told: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", staticmethod(lambda _p, _t, text, *a: told.append(text))
    )
    select(tab, "应急管理办公室")
    before = snapshot(), list(Post.select().tuples())
    tab.delete_action.trigger()
    assert len(told) == 1 and "应急管理办公室" in told[0]
    assert (snapshot(), list(Post.select().tuples())) == before
    assert "应急管理办公室" in names_in_view(tab)


def test_deleting_a_host_village_names_the_enterprise(tab: UnitsTab, monkeypatch) -> None:
    told: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", staticmethod(lambda _p, _t, text, *a: told.append(text))
    )
    select(tab, "常青村")
    tab.delete_unit()
    assert told and "1" in told[0]
    assert Unit.get_or_none(Unit.name == "常青村") is not None


def test_delete_an_unused_unit_after_confirming(tab: UnitsTab, monkeypatch, qtbot) -> None:
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *args, **kwargs: answers.pop(0))
    )
    select(tab, "东湖社区")
    tab.delete_unit()
    assert Unit.get_or_none(Unit.name == "东湖社区") is not None  # "No" keeps it
    with qtbot.waitSignal(tab.changed):
        tab.delete_unit()
    assert Unit.get_or_none(Unit.name == "东湖社区") is None
    assert "东湖社区" not in names_in_view(tab)
    assert tab.selected_line() is not None  # the next unit is selected
