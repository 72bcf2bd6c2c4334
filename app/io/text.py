"""Cleaning what clerks type into spreadsheet cells.

Chinese offices pad names for alignment ("闫  旻", "闫　旻"), paste text from chat programs
(zero-width spaces, non-breaking spaces), press Alt+Enter inside cells, and write several
titles in one cell ("组织委员、常青村党总支书记").  Everything read from a file passes
through here, so the same person or title written two ways compares equal.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Invisible characters that arrive with pasted text; they are never meant to be data.
# (U+00AD soft hyphen, zero-width space/joiners, word joiner, BOM.)
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
# C0 controls other than tab/newline/carriage return (and DEL): no spreadsheet value needs
# them, and openpyxl refuses to write most of them back.  U+FFFE and U+FFFF are not
# characters at all, and an .xlsx holding one cannot be opened.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f\ufffe\uffff]")
# \s in Python's re is Unicode-aware: it covers U+3000 (ideographic space) and NBSP too.
_HORIZONTAL_SPACE = re.compile(r"[^\S\n]+")
_LINE_BREAK = re.compile(r"\r\n?|[\n\x0b\x0c\x85\u2028\u2029]")
_WHITESPACE = re.compile(r"\s+")

# The separator in ethnic-minority names ("阿卜杜·热合曼") is typed with whichever dot the
# input method offers; they are one character to the reader, so they become one here.
NAME_DOT = "·"
# • ・ ･ ‧ ∙ ⋅
_DOT_VARIANTS = re.compile("[\u2022\u30fb\uff65\u2027\u2219\u22c5]")

# Titles in one cell: "、" is the norm; the rest is what clerks also use.
_TITLE_SEPARATORS = frozenset("、，,；;/／\n\r")
_OPENING_BRACKETS = frozenset("(（[［【〔《")
_CLOSING_BRACKETS = frozenset(")）]］】〕》")
TITLE_SEPARATOR = "、"

# Marks that templates put around header names: "*姓名", "姓名：", "姓名（必填）".
_HEADER_MARKS = re.compile(r"^\*+|[*:]+$")
_HEADER_NOTE = re.compile(r"\((必填|选填|可选|可不填|非必填)\)$")


def is_cjk(char: str) -> bool:
    """A Han character (including the rare extensions, where names like 𬌗 live), 々 or 〇."""
    code = ord(char)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x3134F
        or 0xF900 <= code <= 0xFAFF
        or char in "々〇"
    )


def _strip_noise(text: str) -> str:
    return _CONTROL.sub("", _INVISIBLE.sub("", text))


def normalize_cell(text: str) -> str:
    """A cell as it should be stored: trimmed, runs of spaces collapsed, line breaks kept.

    Line breaks typed with Alt+Enter often separate items (several titles), so each line is
    cleaned on its own and empty lines are dropped rather than joining everything into one.
    """
    if not text:
        return ""
    # Most cells are already clean; isprintable() is False for every space but " " and for
    # all control and invisible characters, so this skips the regular expressions safely.
    if text.isprintable() and text[0] != " " and text[-1] != " " and "  " not in text:
        return text
    text = _LINE_BREAK.sub("\n", _strip_noise(text))
    lines = (_HORIZONTAL_SPACE.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _glues(left: str, right: str) -> bool:
    """Whether the space between two name parts is padding rather than a real word break."""
    if left == NAME_DOT or right == NAME_DOT:
        return True
    return is_cjk(left) and is_cjk(right)


def normalize_name(text: str) -> str:
    """A person's name without alignment padding: "闫  旻", "闫　旻", " 闫旻 " → "闫旻".

    Whitespace between Han characters (and around the "·" of minority names) is removed;
    elsewhere a run of whitespace becomes one space, so "John  Smith" → "John Smith".
    """
    if not text:
        return ""
    text = _DOT_VARIANTS.sub(NAME_DOT, _strip_noise(text))
    parts = text.split()  # str.split() splits on every Unicode space, U+3000 included
    if not parts:
        return ""
    out = [parts[0]]
    for part in parts[1:]:
        if not _glues(out[-1][-1], part[0]):
            out.append(" ")
        out.append(part)
    return "".join(out)


def split_titles(text: str) -> list[str]:
    """Several titles in one cell → the titles, cleaned, in order, each once.

    Separators inside brackets do not split: "副镇长（分管农业、林业）" is one title.
    """
    if not text:
        return []
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char in _OPENING_BRACKETS:
            depth += 1
        elif char in _CLOSING_BRACKETS:
            depth = max(depth - 1, 0)
        elif depth == 0 and char in _TITLE_SEPARATORS:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    titles: list[str] = []
    for part in parts:
        title = normalize_cell(part).strip("。 ")
        if title and title not in titles:
            titles.append(title)
    return titles


def join_titles(titles: Iterable[str]) -> str:
    """Titles back into one cell, the way the township writes them: "组织委员、主任"."""
    return TITLE_SEPARATOR.join(title for title in (t.strip() for t in titles) if title)


def header_key(text: str) -> str:
    """A header name reduced for comparison.

    Ignores whitespace (including line breaks in wrapped header cells), full-width versus
    half-width forms, letter case, and the marks templates add: "*姓名", "姓 名：", "姓名（必填）".
    """
    key = unicodedata.normalize("NFKC", _strip_noise(text or ""))
    key = _WHITESPACE.sub("", key).casefold()
    # Marks may sit outside or inside the note: "姓名（必填）：", "*姓名(必填)".
    key = _HEADER_NOTE.sub("", _HEADER_MARKS.sub("", key))
    return _HEADER_MARKS.sub("", key)
