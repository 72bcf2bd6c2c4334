"""What the responsibility prints share: the township's name, Chinese category names, and a
table whose equal neighbouring cells in chosen columns are merged page by page.

The wording is the fixed vocabulary of official documents, printed in Chinese whatever the
interface language (like Level.chinese and Rule.chinese).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Table

from app.org.kinds import PostKind, UnitKind
from app.prints.document import OfficialDocument
from app.prints.paragraph import CJKParagraph
from app.storage.models import Unit

SEPARATOR = "、"

UNIT_KIND_CHINESE: dict[UnitKind, str] = {
    UnitKind.TOWNSHIP: "全域",
    UnitKind.DEPARTMENT: "科室",
    UnitKind.VILLAGE: "村",
    UnitKind.COMMUNITY: "社区",
    UnitKind.ENTERPRISE: "企业",
    UnitKind.INDUSTRY: "行业领域",
    UnitKind.OTHER: "其他",
}

# The kinds of post as a duty card names them (a street office has a 主任, not a 镇长, so
# the neutral wording of the policies is used).
POST_KIND_CHINESE: dict[PostKind, str] = {
    PostKind.PARTY_SECRETARY: "党委主要负责人",
    PostKind.TOWNSHIP_HEAD: "政府（办事处）主要负责人",
    PostKind.SAFETY_DEPUTY: "分管安全生产负责人",
    PostKind.DEPUTY: "其他分管负责人",
    PostKind.DEPARTMENT_HEAD: "科室（站所）负责人",
    PostKind.DEPARTMENT_STAFF: "科室（站所）工作人员",
    PostKind.VILLAGE_SECRETARY: "村（社区）党组织书记",
    PostKind.VILLAGE_HEAD: "村（社区）主任",
    PostKind.SAFETY_OFFICER: "安全员",
    PostKind.GRID_WORKER: "网格员",
    PostKind.ENTERPRISE_PRINCIPAL: "企业主要负责人",
    PostKind.ENTERPRISE_SAFETY_MANAGER: "企业安全管理人员",
    PostKind.OTHER: "其他岗位",
}

# Rows stay whole and move to the next page, unless they are taller than this (about nine
# lines of 小四): those break where the page ends, as long as the piece left on the page gets
# at least MIN_ROW_PIECE (two lines with the cell padding).  A row taller than a page must break.
TALL_ROW = 150.0
MIN_ROW_PIECE = 40.0
CELL_PADDING = 4.0  # OfficialDocument.table's left and right cell padding


def township_name() -> str:
    """The name of the township (the top unit of kind township); "" when there is none."""
    name = (
        Unit.select(Unit.name)
        .where((Unit.kind == UnitKind.TOWNSHIP.value) & Unit.parent.is_null())
        .order_by(Unit.id)
        .scalar()
    )
    if name is None:
        name = (
            Unit.select(Unit.name)
            .where(Unit.kind == UnitKind.TOWNSHIP.value)
            .order_by(Unit.id)
            .scalar()
        )
    return name or ""


def township_area_kind(township: str) -> str:
    """What the township's own row is called in a table: 全镇, 全乡, 全街道 (else 全域)."""
    for suffix in ("街道", "镇", "乡"):
        if township.endswith(suffix):
            return "全" + suffix
    return UNIT_KIND_CHINESE[UnitKind.TOWNSHIP]


def date_line(document: OfficialDocument, text: str) -> Flowable:
    """ "（2026年6月30日）" under a title, as the roster prints it."""
    return document.paragraph(f"（{text}）", "subtitle")


def stack_entries(entries: Sequence[str], width: float, measure: Callable[[str], float]) -> str:
    """Names joined with "、" for a cell ``width`` wide: where they need more than one line,
    the lines break between names (or before a holder's bracket, "镇党委书记\n（韦磊卫）"),
    never inside a name."""
    joined = SEPARATOR.join(entries)
    if measure(joined) <= width:
        return joined
    atoms: list[str] = []
    for index, entry in enumerate(entries):
        piece = entry + (SEPARATOR if index < len(entries) - 1 else "")
        bracket = piece.find("（", 1)
        if bracket > 0 and measure(piece) > width:
            atoms += [piece[:bracket], piece[bracket:]]
        else:
            atoms.append(piece)
    lines: list[str] = []
    current = ""
    for atom in atoms:
        if current and measure(current + atom) > width:
            lines.append(current)
            current = atom
        else:
            current += atom
    lines.append(current)
    return "\n".join(lines)


def _cell_text(value: object) -> str:
    if isinstance(value, CJKParagraph):
        return value.text
    if isinstance(value, list | tuple):
        return "".join(_cell_text(part) for part in value)
    if isinstance(value, str):
        return value
    return ""


class MergingTable(Table):
    """A table that merges runs of equal, non-empty cells in some columns, on each page.

    reportlab cannot break a table inside a SPAN, so a 单位负责人 cell spanning sixty rows
    would either not split at all or overflow the page.  Here the table is laid out and split
    without spans; only the piece that is finally drawn on a page merges its runs.  A run that
    continues on the next page starts again there with its value repeated, which is also what
    a reader of that page needs.  Merging only removes rules and repeated text: every row keeps
    the height it was given, so a piece never grows after it was placed.
    """

    merge_columns: tuple[int, ...] = ()

    @classmethod
    def adopt(cls, table: Table, merge_columns: Sequence[int]) -> MergingTable:
        """``table`` (made by OfficialDocument.table) with merging; rows may break inside."""
        # The document layer builds and styles the table; this class only changes how the
        # pieces are split and drawn, so turning the instance into one is enough.
        table.__class__ = cls
        assert isinstance(table, MergingTable)
        table.merge_columns = tuple(merge_columns)
        table.splitInRow = MIN_ROW_PIECE
        return table

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        # reportlab's own order (between rows first, else inside the first row that does not
        # fit) breaks a row inside on whatever room a page has left after the rows that fit,
        # under a header repeated in the middle of the page.  Here only a tall row breaks, and
        # in place, continuing the rows above it.
        self._calc(availWidth, availHeight)
        if self._width > availWidth + 1e-6:
            return super().split(availWidth, availHeight)
        parts: list[Flowable] = []
        crossing = self._getFirstPossibleSplitRowPosition(availHeight)
        if crossing < self._nrows and self._rowHeights[crossing] > TALL_ROW:
            parts = self._splitRows(availHeight, doInRowSplit=True)
        if not parts:
            parts = self._splitRows(availHeight, doInRowSplit=False)
        for part in parts:
            if isinstance(part, MergingTable):
                part.merge_columns = self.merge_columns
        return parts

    def _splitCell(
        self, value: object, style: Any, oldHeight: float, newHeight: float, width: float
    ) -> Any:
        """The cell's content above a break ``newHeight`` below the top of its row, and after.

        A row broken across pages sets its cells from the top of each piece, as Word does.
        reportlab's own version keeps a centred cell centred by padding the pieces (the lower
        piece then never gets shorter than the rest of the row, so a long row never ends),
        asks a paragraph to split at a negative height, and cannot take a paragraph's answer
        that all of it fits.
        """
        if style.valign == "MIDDLE":
            style.valign = "TOP"
        if not isinstance(value, list | tuple):
            return super()._splitCell(value, style, oldHeight, newHeight, width)
        inner = width - style.leftPadding - style.rightPadding
        room = newHeight - style.topPadding - style.bottomPadding
        above: list[Flowable] = []
        below: list[Flowable] = []
        used = 0.0
        for flowable in value:
            if below:
                below.append(flowable)
                continue
            used += flowable.getSpaceBefore()
            _width, height = flowable.wrap(inner, max(room - used, 0.0))
            if used + height <= room + 1e-3:
                above.append(flowable)
                used += height + flowable.getSpaceAfter()
                continue
            parts = flowable.split(inner, room - used) if room - used > 0 else []
            if len(parts) == 1:
                above.append(parts[0])
                used += height
            elif parts:
                above.append(parts[0])
                below.extend(parts[1:])
            else:
                below.append(flowable)
        return (tuple(above), tuple(below))

    def runs(self) -> list[tuple[int, int, int]]:
        """(column, first row, last row) of each run of two or more equal cells."""
        header = self.repeatRows if isinstance(self.repeatRows, int) else 0
        found: list[tuple[int, int, int]] = []
        for column in self.merge_columns:
            start = header
            while start < self._nrows:
                text = _cell_text(self._cellvalues[start][column])
                end = start
                while (
                    text
                    and end + 1 < self._nrows
                    and _cell_text(self._cellvalues[end + 1][column]) == text
                ):
                    end += 1
                if end > start:
                    found.append((column, start, end))
                start = end + 1
        return found

    def draw(self) -> None:
        runs = self.runs()
        if runs and not self._spanCmds:
            self._spanCmds = [
                ("SPAN", (column, first), (column, last)) for column, first, last in runs
            ]
            self._calcSpanRanges()
            self._spanRects = {}
            self._calcSpanRects()
        super().draw()


def names_column(document: OfficialDocument, width: float) -> Callable[[Sequence[str]], str]:
    """A function that lays out a cell's names for a table column ``width`` points wide."""
    style = document.styles.table_cell
    room = width - 2 * CELL_PADDING - 0.5

    def measure(text: str) -> float:
        return CJKParagraph.plain(text, style).natural_width

    return lambda entries: stack_entries(entries, room, measure)


def merging_table(
    document: OfficialDocument,
    rows: Sequence[Sequence[object]],
    col_widths: Sequence[float],
    *,
    merge_columns: Sequence[int] = (),
    align: Sequence[str] | None = None,
    flush_left_when_wrapped: Sequence[int] = (),
) -> MergingTable:
    """``document.table`` that merges equal neighbours in ``merge_columns``; in the columns of
    ``flush_left_when_wrapped`` (centred ones), a cell of more than one line is set flush left,
    which reads better for a list of names than ragged centred lines."""
    table = document.table(rows, col_widths, align=align)
    header = table.repeatRows if isinstance(table.repeatRows, int) else 0
    for column in flush_left_when_wrapped:
        room = col_widths[column] - 2 * CELL_PADDING
        for row in table._cellvalues[header:]:
            cell = row[column]
            if isinstance(cell, CJKParagraph) and ("\n" in cell.text or cell.natural_width > room):
                cell.style = ParagraphStyle(
                    f"{cell.style.name}_wrapped", parent=cell.style, alignment=TA_LEFT
                )
    return MergingTable.adopt(table, merge_columns=merge_columns)
