"""The one document layer every print goes through: GB/T 9704-2012 pages, styles and output.

GB/T 9704-2012 (党政机关公文格式) fixes what a township's papers look like:

* A4; top margin 37 mm, left (binding) margin 28 mm, type area 156 mm × 225 mm;
* body 3号 (16 pt) 仿宋 on a grid of 22 lines × 28 characters;
* title 2号 (22 pt) 小标宋, centred; headings "一、" 黑体, "（一）" 楷体, "1." and "（1）" 仿宋;
* page numbers "— 1 —" in 4号 (14 pt) 宋体 7 mm below the type area, odd pages on the right,
  even pages on the left, one character in from the edge of the type area;
* dates as "2026年11月23日".

A print is a subclass of ``OfficialDocument`` that builds its flowables in ``story()`` from a
plain data snapshot; ``render(path)`` writes the PDF atomically, ``render_bytes()`` feeds the
preview.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    FrameBreak,
    KeepTogether,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from app.fileio import atomic_path
from app.i18n import format_date_chinese
from app.prints.fonts import FontSet, fonts_for_settings
from app.prints.paragraph import CJKParagraph

# GB/T 9704-2012, 5.2 and 7.
PAGE_WIDTH, PAGE_HEIGHT = A4
TOP_MARGIN = 37 * mm
LEFT_MARGIN = 28 * mm  # the binding edge
TYPE_WIDTH = 156 * mm
TYPE_HEIGHT = 225 * mm
GRID_LINES = 22
GRID_CHARS = 28
LINE_PITCH = TYPE_HEIGHT / GRID_LINES  # ≈ 28.99 pt
CHAR_PITCH = TYPE_WIDTH / GRID_CHARS  # ≈ 15.79 pt: 28 characters of 3号 fill one line

# Chinese type sizes (字号) in points.
SIZE_2 = 22.0  # 二号: title
SIZE_3 = 16.0  # 三号: body and headings
SIZE_4 = 14.0  # 四号: page numbers
SIZE_SMALL_4 = 12.0  # 小四: dense tables

PAGE_NUMBER_GAP = 7 * mm  # between the type area and the top of the page number
_EM_ASCENT = 0.88  # CJK em box above the baseline, as a share of the size
_GRID_SLACK = 0.01  # points; see OfficialDocument._templates

Orientation = Literal["portrait", "landscape"]


@dataclass(frozen=True)
class PageGeometry:
    """Page size and type area (the frame flowables fill), in points."""

    width: float
    height: float
    left: float
    bottom: float
    frame_width: float
    frame_height: float

    @property
    def right(self) -> float:
        return self.left + self.frame_width

    @property
    def top(self) -> float:
        return self.bottom + self.frame_height

    @classmethod
    def portrait(cls) -> PageGeometry:
        return cls(
            PAGE_WIDTH,
            PAGE_HEIGHT,
            LEFT_MARGIN,
            PAGE_HEIGHT - TOP_MARGIN - TYPE_HEIGHT,
            TYPE_WIDTH,
            TYPE_HEIGHT,
        )

    @classmethod
    def landscape(cls) -> PageGeometry:
        # For wide tables: the type area turned a quarter, the 37 mm head margin now on the
        # left and the 28 mm binding margin at the top, where the head of the table goes.
        return cls(
            PAGE_HEIGHT,
            PAGE_WIDTH,
            TOP_MARGIN,
            PAGE_WIDTH - LEFT_MARGIN - TYPE_WIDTH,
            TYPE_HEIGHT,
            TYPE_WIDTH,
        )

    @property
    def page_number_baseline(self) -> float:
        return self.bottom - PAGE_NUMBER_GAP - _EM_ASCENT * SIZE_4


class OfficialStyles:
    """The named paragraph styles of a document, built for one FontSet.

    Names: title, subtitle, body, body_flush, heading1 … heading4, signature, date,
    signature_line, table_cell, table_cell_center, table_header, note.
    """

    def __init__(self, fonts: FontSet):
        self.fonts = fonts
        body_font = fonts.font("body")

        def style(name: str, font: str, size: float, **kw: Any) -> ParagraphStyle:
            base: dict[str, Any] = {
                "fontName": font,
                "fontSize": size,
                "leading": LINE_PITCH,
                "alignment": TA_JUSTIFY,
                "fontSet": fonts,
                # 3号 characters advance by the grid pitch, so a full line holds 28 of them.
                "charSpace": CHAR_PITCH - SIZE_3 if size == SIZE_3 else 0.0,
                "allowWidows": 1,
                "allowOrphans": 0,
            }
            base.update(kw)
            return ParagraphStyle(name, **base)

        indent = 2 * CHAR_PITCH  # 段首空两字
        # 标题回行时排列对称: a two-line title gets two lines of about equal length.
        self.title = style(
            "title",
            fonts.font("title"),
            SIZE_2,
            alignment=TA_CENTER,
            keepWithNext=1,
            balanceLines=True,
        )
        self.subtitle = style(
            "subtitle", fonts.font("heading2"), SIZE_3, alignment=TA_CENTER, keepWithNext=1
        )
        self.body = style("body", body_font, SIZE_3, firstLineIndent=indent)
        self.body_flush = style("body_flush", body_font, SIZE_3)
        self.heading1 = style(
            "heading1", fonts.font("heading1"), SIZE_3, firstLineIndent=indent, keepWithNext=1
        )
        self.heading2 = style(
            "heading2", fonts.font("heading2"), SIZE_3, firstLineIndent=indent, keepWithNext=1
        )
        self.heading3 = style("heading3", body_font, SIZE_3, firstLineIndent=indent, keepWithNext=1)
        self.heading4 = style("heading4", body_font, SIZE_3, firstLineIndent=indent)
        self.signature_line = style("signature_line", body_font, SIZE_3, alignment=TA_CENTER)
        # 发文机关署名 and 成文日期 stand right, four characters in from the edge.
        self.signature = style(
            "signature", body_font, SIZE_3, alignment=TA_RIGHT, rightIndent=4 * CHAR_PITCH
        )
        self.date = style("date", body_font, SIZE_3, alignment=TA_RIGHT, rightIndent=4 * CHAR_PITCH)
        cell_leading = SIZE_SMALL_4 * 1.4
        self.table_cell = style(
            "table_cell", body_font, SIZE_SMALL_4, leading=cell_leading, alignment=TA_LEFT
        )
        self.table_cell_center = style(
            "table_cell_center",
            body_font,
            SIZE_SMALL_4,
            leading=cell_leading,
            alignment=TA_CENTER,
        )
        self.table_header = style(
            "table_header",
            fonts.font("heading1"),
            SIZE_SMALL_4,
            leading=cell_leading,
            alignment=TA_CENTER,
        )
        self.note = style("note", body_font, SIZE_4, leading=SIZE_4 * 1.5, alignment=TA_LEFT)

    def __getitem__(self, name: str) -> ParagraphStyle:
        value = getattr(self, name, None)
        if not isinstance(value, ParagraphStyle):
            raise KeyError(name)
        return value


class BlankLines(Spacer):
    """Vertical space that vanishes at the top of a page, like an empty line in Word."""

    def __init__(self, height: float):
        super().__init__(1, height)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # Frame._add sets _frame before wrapping; a fresh frame has _atTop set.
        frame = getattr(self, "_frame", None)
        if frame is not None and getattr(frame, "_atTop", False):
            return self.width, 0.0
        return self.width, self.height


class KeepWithNext(KeepTogether):
    """What reportlab does for ``keepWithNext``, without pushing a long paragraph to a new page.

    reportlab's KeepTogether moves a heading *and the whole paragraph after it* to the next
    page when they do not fit together, which can leave most of a page empty.  A heading only
    needs the start of what follows: itself plus two lines of a paragraph (or the header and
    first row of a table) must fit, or the group starts on the next page.
    """

    def split(self, aW: float, aH: float) -> list[Flowable]:
        content = list(self._content)
        frame = getattr(self, "_frame", None)
        if frame is not None and getattr(frame, "_atTop", False):
            return content  # a new page would not give more room
        needed = 0.0
        for index, flowable in enumerate(content):
            _width, height = flowable.wrapOn(self.canv, aW, 0x7FFFFFFF)
            if index:
                needed += flowable.getSpaceBefore()
            if index == len(content) - 1:
                height = _head_height(flowable, height)
            else:
                needed += flowable.getSpaceAfter()
            needed += height
        if needed <= aH + 1e-6:
            return content
        return [FrameBreak(), *content]


def _head_height(flowable: Flowable, height: float) -> float:
    """The part of a flowable that must stay with the heading before it."""
    if isinstance(flowable, CJKParagraph):
        return min(height, 2 * flowable.style.leading)
    if isinstance(flowable, Table):
        rows = getattr(flowable, "_rowHeights", None) or []
        keep = (flowable.repeatRows if isinstance(flowable.repeatRows, int) else 0) + 1
        return min(height, sum(rows[:keep])) if rows else height
    return height


class _TotalPagesCanvas(Canvas):
    """Holds every page back until the end so the page decoration can know the page count."""

    def __init__(self, *args: Any, decorate: Callable[[Canvas, int, int], None], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._decorate = decorate
        self._held_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held_pages)
        for state in self._held_pages:
            self.__dict__.update(state)
            self._decorate(self, self.getPageNumber(), total)
            super().showPage()
        super().save()


class OfficialDocument:
    """Base class of every print: override ``story()`` (and ``document_title()``).

    ``fonts`` defaults to the fonts of the user's settings; tests pass ``bundled_fonts()``
    for output that does not depend on the machine.  Every document has two page templates,
    "portrait" and "landscape": a story can turn pages for a wide table with
    ``NextPageTemplate("landscape")`` followed by ``PageBreak()``.
    """

    #: Set in a subclass whose page decoration needs the page count ("page X of Y").
    needs_page_total: ClassVar[bool] = False
    #: The orientation a document starts in; a wide table (the matrix) sets "landscape".
    default_orientation: ClassVar[Orientation] = "portrait"

    def __init__(self, *, fonts: FontSet | None = None, orientation: Orientation | None = None):
        self.fonts = fonts if fonts is not None else fonts_for_settings()
        self.styles = OfficialStyles(self.fonts)
        self.orientation: Orientation = orientation or self.default_orientation
        self.geometry = (
            PageGeometry.landscape() if self.orientation == "landscape" else PageGeometry.portrait()
        )

    # -- what subclasses provide ----------------------------------------------------------

    def story(self) -> list[Flowable]:
        raise NotImplementedError

    def document_title(self) -> str:
        """The PDF title (shown by viewers and used as the default printer job name)."""
        return ""

    def document_subject(self) -> str:
        return ""

    def page_number_text(self, number: int, total: int | None) -> str:
        """The page mark; official documents use "— 1 —" whatever the total."""
        # A typographic form (一字线 on both sides), the same in every language.
        return f"— {number} —"

    # -- building blocks for story() ------------------------------------------------------

    def paragraph(self, text: str, style: str | ParagraphStyle = "body") -> CJKParagraph:
        """Plain text (no markup; '\\n' breaks the line) in a named style."""
        return CJKParagraph.plain(text, self._style(style))

    def markup(self, markup: str, style: str | ParagraphStyle = "body") -> CJKParagraph:
        """reportlab paragraph markup (<font>, <br/>, entities) in a named style."""
        return CJKParagraph(markup, self._style(style))

    def title(self, text: str) -> CJKParagraph:
        """The title, centred; one too long for a line breaks where a reader would (before a
        date such as "2025年12月", after "关于"), never inside a number or a word."""
        whole = self.paragraph(text, "title")
        if whole.natural_width <= self.geometry.frame_width:
            return whole
        for cut in _title_breaks(text):
            first, rest = text[:cut], text[cut:]
            if all(
                self.paragraph(part, "title").natural_width <= self.geometry.frame_width
                for part in (first, rest)
            ):
                return self.markup(f"{escape(first)}<br/>{escape(rest)}", "title")
        return whole

    def heading(self, text: str, level: int = 1) -> CJKParagraph:
        """A heading of level 1–4; ``text`` includes its number ("一、" — see heading_number)."""
        return self.paragraph(text, f"heading{min(max(level, 1), 4)}")

    def blank_lines(self, count: float = 1) -> Spacer:
        """Empty grid lines (dropped at the top of a page); keeps the 22-line grid."""
        return BlankLines(count * LINE_PITCH)

    def table(
        self,
        rows: Sequence[Sequence[object]],
        col_widths: Sequence[float] | None = None,
        *,
        header_rows: int = 1,
        align: Sequence[str] | None = None,
        font_size: float | None = None,
    ) -> Table:
        """A black-and-white grid table of plain-text cells that wrap Chinese text.

        ``col_widths`` in points (None: equal shares of the type area, see ``column_widths``);
        ``align`` per column: "left", "center" or "right"; header rows are 黑体, centred and
        repeated on every page.
        """
        widths = (
            list(col_widths)
            if col_widths
            else self.column_widths(*([1] * max((len(row) for row in rows), default=1)))
        )
        cell = self.styles.table_cell
        header = self.styles.table_header
        if font_size is not None:
            cell = _resized(cell, font_size)
            header = _resized(header, font_size)
        column_styles = [
            _aligned(cell, (align[i] if align and i < len(align) else "left"))
            for i in range(len(widths))
        ]
        data = [
            [
                CJKParagraph.plain(
                    "" if value is None else str(value),
                    header if r < header_rows else column_styles[min(c, len(widths) - 1)],
                )
                for c, value in enumerate(row)
            ]
            for r, row in enumerate(rows)
        ]
        table = Table(data, colWidths=widths, repeatRows=header_rows, hAlign="CENTER")
        table.setStyle(
            TableStyle(
                [
                    # Plain strings added later would otherwise be set in Helvetica.
                    ("FONT", (0, 0), (-1, -1), cell.fontName, cell.fontSize),
                    ("GRID", (0, 0), (-1, -1), 0.6, "black"),
                    ("BOX", (0, 0), (-1, -1), 1.0, "black"),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 4),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        return table

    def signature_block(self, signer: str, date: dt.date) -> Table:
        """发文机关署名 centred over 成文日期, the date four characters in from the right edge."""
        lines = [
            self.paragraph(signer, "signature_line"),
            self.paragraph(format_date_chinese(date), "signature_line"),
        ]
        width = max(line.natural_width for line in lines)
        table = Table(
            [[line, ""] for line in lines],
            colWidths=[width, 4 * CHAR_PITCH],
            hAlign="RIGHT",
        )
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), self.styles.body.fontName, SIZE_3),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        return table

    def column_widths(self, *shares: float) -> list[float]:
        """Column widths in points filling the type area in the given proportions."""
        total = sum(shares) or 1
        return [self.geometry.frame_width * share / total for share in shares]

    def _style(self, style: str | ParagraphStyle) -> ParagraphStyle:
        return style if isinstance(style, ParagraphStyle) else self.styles[style]

    # -- output ---------------------------------------------------------------------------

    def render_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self._build(buffer)
        return buffer.getvalue()

    def render(self, path: str | os.PathLike[str]) -> None:
        """Write the PDF to ``path`` atomically: a failure leaves no file under that name."""
        with atomic_path(path) as tmp:
            self._build(str(tmp))

    def _templates(self) -> list[PageTemplate]:
        templates = []
        for name, geometry in (
            ("portrait", PageGeometry.portrait()),
            ("landscape", PageGeometry.landscape()),
        ):
            # A hair of slack below the type area: 22 summed line pitches come out a few
            # 1e-13 pt taller than the type area, and reportlab's tables compare without any
            # tolerance, so the 22nd line would otherwise move to the next page.
            frame = Frame(
                geometry.left,
                geometry.bottom - _GRID_SLACK,
                geometry.frame_width,
                geometry.frame_height + _GRID_SLACK,
                leftPadding=0,
                rightPadding=0,
                topPadding=0,
                bottomPadding=0,
                id=f"type-area-{name}",
            )
            on_page = None if self.needs_page_total else self._decorate_page
            templates.append(
                PageTemplate(
                    id=name,
                    frames=[frame],
                    pagesize=(geometry.width, geometry.height),
                    onPage=on_page or _no_decoration,
                )
            )
        if self.orientation == "landscape":
            templates.reverse()  # the first template is the one the document starts with
        return templates

    def _build(self, target: str | io.BytesIO) -> None:
        story = self.story()
        doc = BaseDocTemplate(
            target,
            pagesize=(self.geometry.width, self.geometry.height),
            pageTemplates=self._templates(),
            title=self.document_title(),
            author="SafeDuty",
            subject=self.document_subject(),
            creator="SafeDuty",
            lang="zh-CN",
            keepTogetherClass=KeepWithNext,
            # reportlab opens every page with Helvetica, which would be an unembedded font.
            initialFontName=self.fonts.font("body"),
            initialFontSize=SIZE_3,
        )
        if self.needs_page_total:

            def make_canvas(*args: Any, **kwargs: Any) -> Canvas:
                return _TotalPagesCanvas(*args, decorate=self._decorate_with_total, **kwargs)

            doc.build(story, canvasmaker=make_canvas)
        else:
            doc.build(story)

    def _decorate_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        self.decorate_page(canvas, canvas.getPageNumber(), None)

    def _decorate_with_total(self, canvas: Canvas, number: int, total: int) -> None:
        self.decorate_page(canvas, number, total)

    def decorate_page(self, canvas: Canvas, number: int, total: int | None) -> None:
        """Draw what sits outside the type area: the page number, odd right, even left."""
        width, height = getattr(canvas, "_pagesize", (PAGE_WIDTH, PAGE_HEIGHT))
        geometry = PageGeometry.landscape() if width > height else PageGeometry.portrait()
        text = self.page_number_text(number, total)
        if not text:
            return
        font = self.fonts.font("song")
        runs = self.fonts.runs(text, font)
        text_width = sum(canvas.stringWidth(run, run_font, SIZE_4) for run, run_font in runs)
        # 单页码居右空一字，双页码居左空一字.
        x = geometry.right - SIZE_4 - text_width if number % 2 else geometry.left + SIZE_4
        tx = canvas.beginText(x, geometry.page_number_baseline)
        for run, run_font in runs:
            tx.setFont(run_font, SIZE_4)
            tx.textOut(run)
        canvas.drawText(tx)


def _no_decoration(canvas: Canvas, doc: BaseDocTemplate) -> None:
    # With the held-pages canvas the page number is drawn at the end, knowing the total.
    return None


def _aligned(style: ParagraphStyle, align: str) -> ParagraphStyle:
    alignment = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}.get(align, TA_LEFT)
    if alignment == style.alignment:
        return style
    return ParagraphStyle(f"{style.name}_{align}", parent=style, alignment=alignment)


def _resized(style: ParagraphStyle, size: float) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}_{size:g}", parent=style, fontSize=size, leading=size * 1.4)


def _title_breaks(text: str) -> list[int]:
    """Where a long title may break, the best first: before a date or number, after "关于",
    before "的" phrases' heads … (only between characters that are not digits)."""
    candidates: list[int] = []
    for index in range(1, len(text)):
        # Before a number that starts a date or a count, not inside one ("2025年|12月").
        if (
            text[index].isdigit()
            and not text[index - 1].isdigit()
            and text[index - 1] not in "年月."
        ):
            candidates.append(index)
    after_about = text.find("关于")
    if after_about >= 0:
        candidates.append(after_about + 2)
    middle = len(text) / 2
    # Of the natural places, the one nearest the middle makes the most even lines.
    return sorted(set(candidates), key=lambda index: abs(index - middle))
