"""The two landscape tables of the responsibility system.

* 责任制分工表 (the matrix as stored): 序号 · 单位负责人 · 分管负责人 · 责任科室 · 责任人 ·
  安全生产重点职责, with a post named in a cell followed by whoever holds it on the day
  ("镇长（张昶）"), and the 单位负责人 of neighbouring rows merged on each page;
* 安全生产责任区域一览表 (the grid of levels): one row per area, the people answering for it
  at each of the five levels.

Both are built from a plain snapshot; ``matrix_snapshot`` and ``grid_snapshot`` read it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.platypus import Flowable

from app.i18n import format_date_chinese
from app.org.kinds import UnitKind
from app.prints.document import OfficialDocument
from app.prints.fonts import FontSet
from app.responsibility.assignments import grid_as_of
from app.responsibility.levels import Level
from app.responsibility.matrix import (
    DUTIES_CHINESE,
    Column,
    Entry,
    load_matrix,
    post_holders,
)
from app.responsibility.print_common import (
    SEPARATOR,
    UNIT_KIND_CHINESE,
    date_line,
    merging_table,
    names_column,
    township_area_kind,
    township_name,
)

# -- 责任制分工表 ----------------------------------------------------------------------------

MATRIX_COLUMNS = (Column.PRINCIPALS, Column.DEPUTIES, Column.DEPARTMENTS, Column.RESPONSIBLE)
MATRIX_HEADER = ("序号", *(column.chinese for column in MATRIX_COLUMNS), DUTIES_CHINESE)
# Column widths in points, filling the landscape type area (225 mm ≈ 637.8 pt) at 小四:
# 序号 two characters, 单位负责人 seven, 责任科室 nine ("应急管理办公室、"), duties the rest.
MATRIX_WIDTHS = (32.0, 100.0, 72.0, 112.0, 72.0)


@dataclass(frozen=True)
class MatrixRowText:
    """One row as printed: the names of each cell (posts with their holders), the duties."""

    principals: tuple[str, ...]
    deputies: tuple[str, ...]
    departments: tuple[str, ...]
    responsible: tuple[str, ...]
    duties: str

    def names(self) -> tuple[tuple[str, ...], ...]:
        return (self.principals, self.deputies, self.departments, self.responsible)

    def text(self, column: Column) -> str:
        return SEPARATOR.join(self.names()[MATRIX_COLUMNS.index(column)])


@dataclass(frozen=True)
class MatrixSnapshot:
    township_name: str  # "" when no township is recorded
    as_of: dt.date
    rows: tuple[MatrixRowText, ...]

    @property
    def title(self) -> str:
        return f"{self.township_name}安全生产责任制分工表"


def entry_text(entry: Entry, holders: dict[str, list[tuple[int, str]]]) -> str:
    """A name as printed: a post is followed by its holders that day, "镇长（张昶）"."""
    if entry.post_title:
        names = [name for _pid, name in holders.get(entry.post_title, ())]
        if names:
            return f"{entry.text}（{SEPARATOR.join(names)}）"
    return entry.text


def matrix_snapshot(day: dt.date) -> MatrixSnapshot:
    lines = load_matrix()
    titles = [
        entry.post_title
        for line in lines
        for cell in line.cells.values()
        for entry in cell
        if entry.post_title
    ]
    holders = post_holders(titles, day)
    rows = tuple(
        MatrixRowText(
            *(
                tuple(entry_text(entry, holders) for entry in line.cells.get(column, ()))
                for column in MATRIX_COLUMNS
            ),
            duties=line.duties,
        )
        for line in lines
    )
    return MatrixSnapshot(township_name(), day, rows)


class MatrixDocument(OfficialDocument):
    default_orientation = "landscape"

    def __init__(self, snapshot: MatrixSnapshot, *, fonts: FontSet | None = None):
        super().__init__(fonts=fonts)
        self.snapshot = snapshot

    def document_title(self) -> str:
        return self.snapshot.title

    def story(self) -> list[Flowable]:
        snapshot = self.snapshot
        story: list[Flowable] = [
            self.title(snapshot.title),
            date_line(self, format_date_chinese(snapshot.as_of)),
            self.blank_lines(0.5),
        ]
        widths = [*MATRIX_WIDTHS, self.geometry.frame_width - sum(MATRIX_WIDTHS)]
        layouts = [names_column(self, width) for width in widths[1:5]]
        rows: list[Sequence[str]] = [MATRIX_HEADER]
        for number, row in enumerate(snapshot.rows, 1):
            cells = [layout(names) for layout, names in zip(layouts, row.names(), strict=True)]
            rows.append((str(number), *cells, row.duties))
        story.append(
            merging_table(
                self,
                rows,
                widths,
                merge_columns=(1,),
                align=("center", "center", "center", "center", "center", "left"),
                flush_left_when_wrapped=(2, 3, 4),
            )
        )
        if not snapshot.rows:
            story += [self.blank_lines(1), self.paragraph("责任制分工表尚未填写。", "body")]
        return story


# -- 安全生产责任区域一览表 ----------------------------------------------------------------------

GRID_HEADER = ("序号", "区域", "类别", *(level.chinese for level in Level))
# 序号, 区域 (seven characters), 类别 (four), then the five levels share the rest, 综合监管领导责任
# (eight characters) a little more.
GRID_WIDTHS = (32.0, 96.0, 56.0)
GRID_LEVEL_SHARES = (1.0, 1.2, 1.0, 1.0, 1.0)


@dataclass(frozen=True)
class GridRow:
    area: str
    kind: str  # 全镇, 科室, 村, 社区, 行业领域
    names: tuple[tuple[str, ...], ...]  # per level, in Level order: the people's names


@dataclass(frozen=True)
class GridSnapshot:
    township_name: str
    as_of: dt.date
    rows: tuple[GridRow, ...]
    filtered: bool = False  # only some areas or people (the screen's filter)

    @property
    def title(self) -> str:
        return f"{self.township_name}安全生产责任区域一览表"


def grid_snapshot(
    day: dt.date,
    *,
    unit_ids: Sequence[int] | None = None,
    person_ids: Sequence[int] | None = None,
) -> GridSnapshot:
    """The grid on ``day``; ``unit_ids`` keeps only those areas (rows), ``person_ids`` only
    those people's names (the filter of the matrix view)."""
    grid = grid_as_of(day, people_ids=person_ids)
    township = township_name()
    wanted = set(unit_ids) if unit_ids is not None else None
    rows: list[GridRow] = []
    for area in grid.areas:
        if wanted is not None and area.id not in wanted:
            continue
        people = grid.people_of(area.id)
        kind = (
            township_area_kind(township)
            if area.kind == UnitKind.TOWNSHIP
            else UNIT_KIND_CHINESE[area.kind]
        )
        names = tuple(tuple(person.name for person in people.get(level, ())) for level in Level)
        rows.append(GridRow(area.name, kind, names))
    return GridSnapshot(
        township, day, tuple(rows), filtered=unit_ids is not None or person_ids is not None
    )


class GridDocument(OfficialDocument):
    default_orientation = "landscape"

    def __init__(self, snapshot: GridSnapshot, *, fonts: FontSet | None = None):
        super().__init__(fonts=fonts)
        self.snapshot = snapshot

    def document_title(self) -> str:
        return self.snapshot.title

    def story(self) -> list[Flowable]:
        snapshot = self.snapshot
        story: list[Flowable] = [
            self.title(snapshot.title),
            date_line(self, format_date_chinese(snapshot.as_of)),
            self.blank_lines(0.5),
        ]
        rest = self.geometry.frame_width - sum(GRID_WIDTHS)
        levels = [rest * share / sum(GRID_LEVEL_SHARES) for share in GRID_LEVEL_SHARES]
        widths = [*GRID_WIDTHS, *levels]
        layouts = [names_column(self, width) for width in levels]
        rows: list[Sequence[str]] = [GRID_HEADER]
        for number, row in enumerate(snapshot.rows, 1):
            cells = [layout(names) for layout, names in zip(layouts, row.names, strict=True)]
            rows.append((str(number), row.area, row.kind, *cells))
        story.append(
            merging_table(
                self,
                rows,
                widths,
                merge_columns=(2,),
                align=("center", "left", "center", "left", "left", "left", "left", "left"),
            )
        )
        if snapshot.filtered:
            story += [
                self.blank_lines(0.5),
                self.paragraph("注：本表仅列出所选区域和人员。", "note"),
            ]
        return story
