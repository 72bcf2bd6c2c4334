"""A paragraph flowable that sets Chinese text the way official documents need it.

reportlab's own ``Paragraph(wordWrap="CJK")`` has three gaps for our prints:

* it lets "，；：！？》”’" start a line (its prohibited list is Japanese-centred and it only
  ever hangs one character into the margin);
* it does not justify CJK lines: the spare room of every line ends up at its right end;
* its markup cleaner turns the full-width space of padded names ("张　三") into an ASCII space,
  and splitting a paragraph across pages inserts spaces between the two halves.

``CJKParagraph`` keeps reportlab's markup parser (so <font>, <b>, <br/>, entities work) but does
its own line breaking and drawing:

* 避头尾: a line never starts with closing punctuation and never ends with opening
  punctuation; the character before is carried to the next line instead, and the short line is
  then justified, which is how Word and WPS do it;
* Latin words and numbers are not broken unless a single word is longer than a line;
* every line but the last of a paragraph is justified by character spacing (PDF Tc) so both
  edges align;
* a base character spacing (``style.charSpace``) sets the 28-characters-per-line grid of
  GB/T 9704;
* characters the run's font lacks are drawn with the first font of ``style.fontSet``'s
  fallback chain that has them.

Underline, links and background colours of reportlab markup are not drawn: official documents
do not use them.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.colors import Color, black
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus.flowables import Flowable
from reportlab.platypus.paraparser import ParaParser

from app.prints.fonts import FontSet

# Characters that must not begin a line (closing punctuation, marks that belong to the word
# before them) and must not end one (opening punctuation, prefixes).  GB/T 15834 and the
# common 避头尾 sets of Word/WPS for Simplified Chinese, plus their ASCII counterparts.
NO_LINE_START = frozenset("，。、；：！？）》〉」』】〕〗〙］｝”’·～％‰℃°′″．…,.;:!?)]}%")
NO_LINE_END = frozenset("（《〈「『【〔〖〘［｛“‘([{￥$£#§")
# 破折号 "——" and 省略号 "……" are doubled characters that must stay on one line.
_NO_SPLIT_PAIRS = frozenset("—…")

_FUZZ = 1e-3  # points: rounding noise in summed widths must not push a character down
_BASELINE_RATIO = 0.88  # CJK em box: 0.88 em above the baseline, 0.12 below
# A line whose gaps would have to grow by more than this share of the font size is left
# ragged: stretching a long Latin word pushed to the next line looks worse than no justification.
_MAX_STRETCH = 0.5

_FLAG_NO_START = 1
_FLAG_NO_END = 2
_FLAG_NARROW = 4
_flags_cache: dict[str, int] = {}
_width_cache: dict[str, dict[str, float]] = {}
_ascii_space = re.compile(r"[ \t\r\n]+")


def _flags(char: str) -> int:
    flags = _flags_cache.get(char)
    if flags is None:
        flags = 0
        if char in NO_LINE_START:
            flags |= _FLAG_NO_START
        if char in NO_LINE_END:
            flags |= _FLAG_NO_END
        if char != " " and unicodedata.east_asian_width(char) in ("N", "Na", "H"):
            flags |= _FLAG_NARROW
        _flags_cache[char] = flags
    return flags


def _unit_width(font_name: str, char: str) -> float:
    """Advance width of ``char`` at 1 pt (cached: called for every character of every cell)."""
    widths = _width_cache.get(font_name)
    if widths is None:
        widths = _width_cache.setdefault(font_name, {})
    width = widths.get(char)
    if width is None:
        width = pdfmetrics.getFont(font_name).stringWidth(char, 1.0)
        widths[char] = width
    return width


@dataclass(frozen=True)
class _Run:
    start: int
    end: int
    font_name: str
    font_size: float
    color: Any
    rise: float


@dataclass(frozen=True)
class _Line:
    start: int
    end: int  # exclusive, trailing spaces removed
    width: float  # natural width (advances, including the base character spacing)
    justify: bool  # soft break: spread to the full width


class _Text:
    """The paragraph's characters with their advances and font runs."""

    def __init__(self, chars: str, advances: list[float], runs: list[_Run]):
        self.chars = chars
        self.advances = advances
        self.runs = runs
        self.run_starts = [run.start for run in runs]

    def slice(self, start: int, end: int) -> _Text:
        runs = [
            _Run(max(r.start, start) - start, min(r.end, end) - start, *_run_tail(r))
            for r in self.runs
            if r.end > start and r.start < end
        ]
        return _Text(self.chars[start:end], self.advances[start:end], runs)

    def runs_between(self, start: int, end: int) -> list[tuple[int, int, _Run]]:
        index = max(0, bisect_right(self.run_starts, start) - 1)
        pieces = []
        while index < len(self.runs) and self.runs[index].start < end:
            run = self.runs[index]
            lo, hi = max(run.start, start), min(run.end, end)
            if lo < hi:
                pieces.append((lo, hi, run))
            index += 1
        return pieces


def _run_tail(run: _Run) -> tuple[str, float, Any, float]:
    return run.font_name, run.font_size, run.color, run.rise


class _TextBuilder:
    def __init__(self, char_space: float, font_set: FontSet | None):
        self.char_space = char_space
        self.font_set = font_set
        self.chars: list[str] = []
        self.advances: list[float] = []
        self.runs: list[_Run] = []

    def add(self, text: str, font_name: str, font_size: float, color: Any, rise: float) -> None:
        pieces = self.font_set.runs(text, font_name) if self.font_set else [(text, font_name)]
        for piece, piece_font in pieces:
            start = len(self.chars)
            last = self.runs[-1] if self.runs else None
            for char in piece:
                self.chars.append(char)
                self.advances.append(_unit_width(piece_font, char) * font_size + self.char_space)
            if (
                last is not None
                and last.end == start
                and _run_tail(last) == (piece_font, font_size, color, rise)
            ):
                self.runs[-1] = _Run(last.start, len(self.chars), *_run_tail(last))
            else:
                self.runs.append(_Run(start, len(self.chars), piece_font, font_size, color, rise))

    def line_break(self, font_name: str, font_size: float) -> None:
        # A zero-width sentinel keeps indices simple; the breaker ends the line there.
        self.chars.append("\n")
        self.advances.append(0.0)
        self.runs.append(_Run(len(self.chars) - 1, len(self.chars), font_name, font_size, None, 0))

    def build(self) -> _Text:
        # Spaces at the very start or end of a paragraph are markup indentation, not text.
        chars = "".join(self.chars)
        start = len(chars) - len(chars.lstrip(" "))
        end = len(chars.rstrip(" "))
        text = _Text(chars, self.advances, self.runs)
        return text if (start, end) == (0, len(chars)) else text.slice(start, end)


def _parse(markup: str, style: ParagraphStyle) -> _Text:
    parser = ParaParser()
    _style, frags, _bullet = parser.parse(markup, style)
    if frags is None:
        raise ValueError(f"paragraph markup error {parser.errors[:1]} in {markup[:40]!r}")
    builder = _TextBuilder(float(getattr(style, "charSpace", 0.0)), getattr(style, "fontSet", None))
    for frag in frags:
        if getattr(frag, "lineBreak", False):
            builder.line_break(frag.fontName, frag.fontSize)
            continue
        if hasattr(frag, "cbDefn"):
            continue  # images and anchors: not used in official documents
        text = _ascii_space.sub(" ", frag.text)
        if text:
            builder.add(text, frag.fontName, frag.fontSize, frag.textColor, frag.rise or 0)
    return builder.build()


def _plain(text: str, style: ParagraphStyle) -> _Text:
    builder = _TextBuilder(float(getattr(style, "charSpace", 0.0)), getattr(style, "fontSet", None))
    for number, line in enumerate(text.split("\n")):
        if number:
            builder.line_break(style.fontName, style.fontSize)
        line = _ascii_space.sub(" ", line)
        if line:
            builder.add(line, style.fontName, style.fontSize, style.textColor, 0)
    return builder.build()


def _can_break_before(chars: str, flags: Sequence[int], index: int) -> bool:
    """Whether a line may start at ``index`` (the line before ends at ``index - 1``)."""
    before, after = chars[index - 1], chars[index]
    if before == " " or after == " ":
        return True
    if flags[index] & _FLAG_NO_START or flags[index - 1] & _FLAG_NO_END:
        return False
    if flags[index] & flags[index - 1] & _FLAG_NARROW:
        return False  # inside a Latin word or a number
    return not (before == after and after in _NO_SPLIT_PAIRS)


def break_lines(text: _Text, first_width: float, width: float) -> list[_Line]:
    chars, advances = text.chars, text.advances
    flags = [_flags(char) for char in chars]
    lines: list[_Line] = []
    end = len(chars)
    index = 0
    max_width = first_width
    while index < end:
        j = index
        used = 0.0
        hard = False
        while j < end:
            char = chars[j]
            if char == "\n":
                hard = True
                break
            # Spaces may run past the edge: they vanish at a line end.
            if used + advances[j] > max_width + _FUZZ and char != " " and j > index:
                break
            used += advances[j]
            j += 1
        if hard or j >= end:
            stop, justify = j, False
        else:
            stop = j
            while stop > index and not _can_break_before(chars, flags, stop):
                stop -= 1
            if stop == index:
                # No legal break on the whole line (a very long word): break where it overflows.
                stop = j
            justify = True
        visible = stop
        while visible > index and chars[visible - 1] == " ":
            visible -= 1
        lines.append(_Line(index, visible, sum(advances[index:visible]), justify))
        index = stop + 1 if hard else stop
        if not hard:
            while index < end and chars[index] == " ":
                index += 1  # a soft break swallows the spaces at it
        max_width = width
    if end and chars[-1] == "\n":
        lines.append(_Line(end, end, 0.0, False))  # a trailing <br/> gives an empty line
    return lines


class CJKParagraph(Flowable):
    """A paragraph of (mostly) Chinese text; see the module docstring.

    ``markup`` is reportlab paragraph markup; use ``CJKParagraph.plain`` for text that must not
    be parsed (cell values typed by clerks).  Style attributes used: fontName, fontSize,
    leading, textColor, alignment, firstLineIndent, leftIndent, rightIndent, spaceBefore,
    spaceAfter, allowOrphans, allowWidows, keepWithNext, plus ``charSpace`` (points added to
    every character's advance), ``fontSet`` (the fallback chain) and ``balanceLines`` (break a
    multi-line paragraph into lines of about equal length, for titles).
    """

    def __init__(
        self,
        markup: str,
        style: ParagraphStyle,
        *,
        _text: _Text | None = None,
        _continued: bool = False,
        _justify_last: bool = False,
    ):
        super().__init__()
        self.style = style
        self._text = _text if _text is not None else _parse(markup, style)
        # A continuation on the next page has no first-line indent; a head that continues
        # there has its last line justified like any other full line.
        self._continued = _continued
        self._justify_last = _justify_last
        self._lines: list[_Line] = []
        self._laid_out_for: float | None = None
        self.width = 0.0
        self.height = 0.0

    @classmethod
    def plain(cls, text: str, style: ParagraphStyle) -> CJKParagraph:
        """A paragraph of plain text: no markup, '\\n' is a line break."""
        return cls("", style, _text=_plain(text, style))

    @property
    def text(self) -> str:
        """The paragraph's characters (line breaks as '\\n')."""
        return self._text.chars

    @property
    def natural_width(self) -> float:
        """The width of the whole text set on one line (indents not included)."""
        return sum(self._text.advances)

    def __repr__(self) -> str:
        return f"CJKParagraph({self._text.chars[:30]!r}, style={self.style.name!r})"

    # -- layout ---------------------------------------------------------------------------

    def _first_indent(self) -> float:
        return 0.0 if self._continued else float(self.style.firstLineIndent)

    def _layout(self, avail_width: float) -> list[_Line]:
        if self._laid_out_for != avail_width:
            style = self.style
            width = avail_width - style.leftIndent - style.rightIndent
            lines = break_lines(self._text, width - self._first_indent(), width)
            if len(lines) > 1 and getattr(style, "balanceLines", False):
                lines = self._balanced(lines, width)
            self._lines = lines
            self._laid_out_for = avail_width
        return self._lines

    def _balanced(self, lines: list[_Line], width: float) -> list[_Line]:
        """The same number of lines, as equal as possible (a title must not end in a stub)."""
        count = len(lines)
        natural = sum(line.width for line in lines)
        step = max(1.0, float(self.style.fontSize) / 4)
        target = natural / count
        while target < width:
            trial = break_lines(self._text, target - self._first_indent(), target)
            if len(trial) == count:
                return trial
            target += step
        return lines

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        lines = self._layout(availWidth)
        self.width = availWidth
        self.height = len(lines) * self.style.leading
        return self.width, self.height

    def minWidth(self) -> float:
        """The widest piece that cannot be broken (one character, or a Latin word)."""
        chars, advances = self._text.chars, self._text.advances
        flags = [_flags(char) for char in chars]
        widest = current = 0.0
        for index, advance in enumerate(advances):
            if index and _can_break_before(chars, flags, index):
                current = 0.0
            current += advance
            widest = max(widest, current)
        style = self.style
        return widest + style.leftIndent + style.rightIndent + max(0.0, self._first_indent())

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        lines = self._layout(availWidth)
        fit = int((availHeight + _FUZZ) / self.style.leading)
        if fit >= len(lines):
            return [self]
        allow_orphans = getattr(self.style, "allowOrphans", 0)
        allow_widows = getattr(self.style, "allowWidows", 1)
        if fit <= 0 or (fit == 1 and not allow_orphans):  # no room at all (even negative)
            return []
        if not allow_widows and len(lines) - fit == 1:
            fit -= 1
            if fit == 0 or (fit == 1 and not allow_orphans):
                return []
        cut = lines[fit].start
        head = CJKParagraph(
            "",
            self.style,
            _text=self._text.slice(0, cut),
            _continued=self._continued,
            _justify_last=lines[fit - 1].justify,
        )
        tail = CJKParagraph(
            "",
            self.style,
            _text=self._text.slice(cut, len(self._text.chars)),
            _continued=True,
            _justify_last=self._justify_last,
        )
        return [head, tail]

    # -- drawing --------------------------------------------------------------------------

    def draw(self) -> None:
        canvas = self.canv
        style = self.style
        lines = self._layout(self.width)
        if not lines:
            return
        text = self._text
        width = self.width - style.leftIndent - style.rightIndent
        base_space = float(getattr(style, "charSpace", 0.0))
        size = float(style.fontSize)
        leading = float(style.leading)
        baseline_offset = (leading - size) / 2 + _BASELINE_RATIO * size
        alignment = style.alignment
        tx = canvas.beginText()
        color: Color | None = None
        rise = 0.0
        for number, line in enumerate(lines):
            indent = style.leftIndent + (self._first_indent() if number == 0 else 0.0)
            room = width - (indent - style.leftIndent) - line.width
            extra = 0.0
            x = indent
            glyphs = line.end - line.start
            is_last = number == len(lines) - 1
            if alignment == TA_JUSTIFY:
                stretch = line.justify or (is_last and self._justify_last)
                if stretch and glyphs > 1 and 0 < room <= _MAX_STRETCH * size * (glyphs - 1):
                    extra = room / (glyphs - 1)
            elif alignment == TA_CENTER:
                x += room / 2
            elif alignment == TA_RIGHT:
                x += room
            tx.setTextOrigin(x, self.height - number * leading - baseline_offset)
            tx.setCharSpace(base_space + extra)
            for lo, hi, run in text.runs_between(line.start, line.end):
                tx.setFont(run.font_name, run.font_size)
                run_color = run.color if run.color is not None else style.textColor or black
                if run_color != color:
                    tx.setFillColor(run_color)
                    color = run_color
                if run.rise != rise:
                    tx.setRise(run.rise)
                    rise = run.rise
                tx.textOut(text.chars[lo:hi])
        canvas.drawText(tx)
