"""Table models tested without widgets: data(index, role) on hand-built snapshots."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QModelIndex, Qt

from app.roster.roles import GroupRole, OfficeRole
from app.roster.snapshot import RosterLine, RosterSnapshot
from ui.models.roster_model import (
    COL_NAME,
    COL_PHONE,
    COL_POSITION,
    COL_ROLE,
    COL_START,
    COL_TITLES,
    COLUMN_COUNT,
    OBJECT_ROLE,
    SORT_ROLE,
    RosterFilterProxy,
    RosterTableModel,
    normalize_search,
)

DAY = dt.date(2025, 6, 30)


def line(
    number: int,
    name: str,
    role: GroupRole = GroupRole.MEMBER,
    titles: tuple[str, ...] = (),
    office: OfficeRole | None = None,
    **extra: object,
) -> RosterLine:
    return RosterLine(
        membership_id=100 + number,
        person_id=200 + number,
        name=name,
        role=role,
        office_role=office,
        titles=titles,
        sort_order=number,
        **extra,  # type: ignore[arg-type]
    )


LINES = (
    line(
        1,
        "张三",
        GroupRole.LEADER,
        ("镇党委书记",),
        phone="13800000001",
        start_date=dt.date(2024, 1, 1),
    ),
    line(2, "王五", GroupRole.DEPUTY, ("副镇长",)),
    line(
        3,
        "闫旻",
        GroupRole.MEMBER,
        ("组织委员", "常青村党总支书记", "主任"),
        predecessor_name="赵六",
    ),
    line(4, "李四", GroupRole.MEMBER, ("应急管理办公室主任",), OfficeRole.DIRECTOR),
    line(5, "阿明", GroupRole.MEMBER, ("柳林村党支部书记",)),
)


def snapshot(lines: tuple[RosterLine, ...] = LINES) -> RosterSnapshot:
    return RosterSnapshot(
        group_name="青禾镇安全生产领导小组",
        township_name="青禾镇",
        office_location="镇应急管理办公室",
        as_of=DAY,
        lines=lines,
    )


@pytest.fixture
def model() -> RosterTableModel:
    model = RosterTableModel()
    model.set_snapshot(snapshot())
    return model


def cell(model, row: int, column: int, role: int = Qt.ItemDataRole.DisplayRole):
    return model.data(model.index(row, column), role)


def column_values(model, column: int) -> list[str]:
    return [cell(model, row, column) for row in range(model.rowCount())]


def test_model_shows_each_member_in_group_order(model: RosterTableModel) -> None:
    assert model.rowCount() == 5
    assert model.columnCount() == COLUMN_COUNT
    assert column_values(model, COL_POSITION) == ["1", "2", "3", "4", "5"]
    assert column_values(model, COL_NAME) == ["张三", "王五", "闫旻", "李四", "阿明"]
    assert cell(model, 2, COL_TITLES) == "组织委员、常青村党总支书记、主任"
    assert cell(model, 0, COL_PHONE) == "13800000001"
    assert cell(model, 0, COL_START) == "2024-01-01"


def test_role_column_names_the_office_role_too(model: RosterTableModel) -> None:
    assert cell(model, 0, COL_ROLE) == GroupRole.LEADER.label
    director = cell(model, 3, COL_ROLE)
    assert GroupRole.MEMBER.label in director
    assert OfficeRole.DIRECTOR.label in director


def test_object_and_sort_roles(model: RosterTableModel) -> None:
    assert cell(model, 2, COL_NAME, OBJECT_ROLE) is LINES[2]
    assert cell(model, 2, COL_POSITION, SORT_ROLE) == 2
    assert cell(model, 0, COL_START, SORT_ROLE) == dt.date(2024, 1, 1).toordinal()
    # The director sorts before plain members of the same role.
    assert cell(model, 3, COL_ROLE, SORT_ROLE) < cell(model, 4, COL_ROLE, SORT_ROLE)
    assert cell(model, 0, COL_ROLE, SORT_ROLE) < cell(model, 1, COL_ROLE, SORT_ROLE)


def test_predecessor_shows_as_a_tooltip(model: RosterTableModel) -> None:
    assert "赵六" in cell(model, 2, COL_NAME, Qt.ItemDataRole.ToolTipRole)
    assert cell(model, 0, COL_NAME, Qt.ItemDataRole.ToolTipRole) is None


def test_invalid_index_and_headers(model: RosterTableModel) -> None:
    assert model.data(QModelIndex()) is None
    assert model.data(model.index(99, 0)) is None
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(COLUMN_COUNT)]
    assert all(headers) and len(set(headers)) == COLUMN_COUNT
    assert model.rowCount(model.index(0, 0)) == 0


def test_set_snapshot_resets_the_model(qtbot, model: RosterTableModel) -> None:
    with qtbot.waitSignals([model.modelAboutToBeReset, model.modelReset]):
        model.set_snapshot(snapshot(LINES[:2]))
    assert model.rowCount() == 2
    assert model.row_of(LINES[1].membership_id) == 1
    assert model.row_of(LINES[4].membership_id) is None


@pytest.fixture
def proxy(model: RosterTableModel) -> RosterFilterProxy:
    proxy = RosterFilterProxy()
    proxy.setSourceModel(model)
    return proxy


def shown_names(proxy: RosterFilterProxy) -> list[str]:
    return [proxy.index(row, COL_NAME).data() for row in range(proxy.rowCount())]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("闫 旻", ["闫旻"]),
        ("闫　旻", ["闫旻"]),
        ("常青村", ["闫旻"]),
        ("主任", ["闫旻", "李四"]),
        ("副组长", ["王五"]),  # the role as written in files, whatever the interface language
        ("办公室主任", ["李四"]),
        ("", ["张三", "王五", "闫旻", "李四", "阿明"]),
        ("不存在", []),
    ],
)
def test_search_matches_name_titles_and_role(
    proxy: RosterFilterProxy, typed: str, expected: list[str]
) -> None:
    proxy.set_search(typed)
    assert shown_names(proxy) == expected


def test_search_ignores_case() -> None:
    assert normalize_search(" Zhang  San ") == "zhangsan"
    model = RosterTableModel()
    model.set_snapshot(snapshot((line(1, "Zhang San"), line(2, "李四"))))
    proxy = RosterFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_search("ZHANG s")
    assert shown_names(proxy) == ["Zhang San"]


def test_names_sort_in_pinyin_order(proxy: RosterFilterProxy) -> None:
    proxy.sort(COL_NAME, Qt.SortOrder.AscendingOrder)
    assert shown_names(proxy) == ["阿明", "李四", "王五", "闫旻", "张三"]
    proxy.sort(COL_NAME, Qt.SortOrder.DescendingOrder)
    assert shown_names(proxy) == ["张三", "闫旻", "王五", "李四", "阿明"]


def test_position_column_sorts_by_group_order(proxy: RosterFilterProxy) -> None:
    proxy.sort(COL_NAME, Qt.SortOrder.AscendingOrder)
    proxy.sort(COL_POSITION, Qt.SortOrder.AscendingOrder)
    assert shown_names(proxy) == ["张三", "王五", "闫旻", "李四", "阿明"]
    proxy.sort(COL_POSITION, Qt.SortOrder.DescendingOrder)
    assert shown_names(proxy) == ["阿明", "李四", "闫旻", "王五", "张三"]


def test_role_column_sorts_by_rank_not_by_text(proxy: RosterFilterProxy) -> None:
    proxy.sort(COL_ROLE, Qt.SortOrder.AscendingOrder)
    assert shown_names(proxy) == ["张三", "王五", "李四", "闫旻", "阿明"]


def test_sorting_and_filtering_together(proxy: RosterFilterProxy) -> None:
    proxy.sort(COL_NAME, Qt.SortOrder.AscendingOrder)
    proxy.set_search("书记")
    assert shown_names(proxy) == ["阿明", "闫旻", "张三"]
    assert proxy.line_at(proxy.index(0, COL_TITLES)) is LINES[4]
    assert proxy.line_at(QModelIndex()) is None
