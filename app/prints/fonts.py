"""TrueType fonts for every print, chosen by role, with a per-character fallback chain.

Official documents want 仿宋 for the body, 小标宋 for the title, 黑体 and 楷体 for headings.
For each role the first usable candidate wins:

1. a font file the user chose in settings (an explicit choice must never be silently ignored),
2. the Windows fonts (simfang.ttf, simsun.ttc, simhei.ttf, simkai.ttf) in the Windows font
   folder or, on Linux, in the usual font folders where offices copy them,
3. the fonts shipped in resources/fonts/ (AR PL SungtiL GB, AR PL KaitiM GB, Droid Sans
   Fallback).

No single font covers everything a clerk types: the GB fonts lack rarer name characters
(旻 堃 喆 玥 镕) and Droid Sans Fallback has no Latin letters or digits.  So every run of
text is split by coverage: characters the role's font lacks go to the first font of the
fallback chain that has them (``FontSet.runs`` / ``FontSet.markup``).

reportlab can only embed TrueType outlines; PostScript-flavoured (CFF) fonts such as Noto CJK
are refused with a ``FontError`` that names the file.
"""

from __future__ import annotations

import hashlib
import os
import re
import struct
import sys
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app.config import Settings
from app.i18n import _
from app.paths import resource_path
from app.prints.errors import FontError

Role = Literal["body", "title", "heading1", "heading2"]
ROLES: tuple[Role, ...] = ("body", "title", "heading1", "heading2")
Origin = Literal["user", "system", "bundled"]

BUNDLED_SONG = "gbsn00lp.ttf"  # AR PL SungtiL GB: 宋体 style
BUNDLED_KAI = "gkai00mp.ttf"  # AR PL KaitiM GB: 楷体
BUNDLED_SANS = "DroidSansFallbackFull.ttf"  # Droid Sans Fallback: 黑体 substitute, wide coverage

# Windows file names by role, best first; a (name, subfont index) pair for collections.
# 方正小标宋 and the *_GB2312 fonts are not part of Windows but sit on many government PCs.
_SYSTEM_CANDIDATES: dict[str, tuple[tuple[str, int], ...]] = {
    "body": (("simfang.ttf", 0), ("fangsong_gb2312.ttf", 0), ("仿宋_gb2312.ttf", 0)),
    "title": (("fzxbsjw.ttf", 0), ("方正小标宋简体.ttf", 0), ("simsun.ttc", 0)),
    "heading1": (("simhei.ttf", 0),),
    "heading2": (("simkai.ttf", 0), ("kaiti_gb2312.ttf", 0), ("楷体_gb2312.ttf", 0)),
    # Not a document role: 宋体 for page numbers and as the Latin fallback.
    "song": (("simsun.ttc", 0),),
}
_BUNDLED_FOR_ROLE = {
    "body": BUNDLED_SONG,
    "title": BUNDLED_SONG,
    "heading1": BUNDLED_SANS,
    "heading2": BUNDLED_KAI,
    "song": BUNDLED_SONG,
}


@dataclass(frozen=True)
class ResolvedFont:
    """Where the font used for one role came from (shown in the settings page)."""

    name: str  # the reportlab font name to use in styles and <font face="…">
    path: Path
    subfont_index: int
    origin: Origin


# ---------------------------------------------------------------------------------------------
# Registering font files

_lock = threading.RLock()
_registered: dict[tuple[str, int], str] = {}


def _font_key(path: Path, subfont_index: int) -> tuple[str, int]:
    try:
        resolved = path.resolve()
    except OSError:
        resolved = path.absolute()
    return os.path.normcase(str(resolved)), subfont_index


def _reportlab_name(key: tuple[str, int], path: Path) -> str:
    # Font names end up in the PDF as resource names: keep them ASCII, unique per file.
    stem = re.sub(r"[^A-Za-z0-9]+", "", path.stem)[:24] or "font"
    digest = hashlib.sha1(f"{key[0]}\0{key[1]}".encode()).hexdigest()[:8]
    return f"SD-{stem}-{key[1]}-{digest}"


def _outline_kind(path: Path, subfont_index: int) -> str:
    """'truetype', 'cff' or 'unknown', read from the header without parsing the whole file."""
    with path.open("rb") as fp:
        head = fp.read(12)
        if head[:4] == b"ttcf" and len(head) >= 12:
            count = struct.unpack(">I", head[8:12])[0]
            if not 0 <= subfont_index < count:
                return "unknown"
            fp.seek(12 + 4 * subfont_index)
            (offset,) = struct.unpack(">I", fp.read(4))
            fp.seek(offset)
            head = fp.read(4)
    tag = head[:4]
    if tag == b"OTTO":
        return "cff"
    if tag in (b"\x00\x01\x00\x00", b"true"):
        return "truetype"
    return "unknown"


def register_font_file(path: str | os.PathLike[str], subfont_index: int = 0) -> str:
    """Register a TrueType file (or one font of a .ttc) with reportlab once; return its name.

    Raises FontError (translated, naming the file) for a missing, unreadable, PostScript
    (CFF) or damaged file.
    """
    path = Path(path)
    key = _font_key(path, subfont_index)
    with _lock:
        name = _registered.get(key)
        if name is not None:
            return name
        try:
            kind = _outline_kind(path, subfont_index)
        except FileNotFoundError:
            raise FontError(
                path, _("The font file {path} does not exist.").format(path=path)
            ) from None
        except OSError as exc:
            raise FontError(
                path,
                _("The font file {path} cannot be read: {reason}").format(
                    path=path, reason=exc.strerror or exc
                ),
            ) from exc
        if kind == "cff":
            raise FontError(
                path,
                _(
                    "The font file {path} has PostScript (CFF) outlines; PDF files can only "
                    "embed TrueType fonts. Choose a TrueType (.ttf or .ttc) font."
                ).format(path=path),
            )
        if kind != "truetype":
            raise FontError(path, _("The file {path} is not a TrueType font.").format(path=path))
        name = _reportlab_name(key, path)
        try:
            font = TTFont(name, str(path), subfontIndex=subfont_index)
        except Exception as exc:
            # The parser raises whatever a damaged table makes it trip on (struct.error,
            # IndexError, KeyError, TTFError…): to the user all of them mean "this file is bad".
            raise FontError(
                path,
                _("The font file {path} is damaged or unsupported: {reason}").format(
                    path=path, reason=exc
                ),
            ) from exc
        pdfmetrics.registerFont(font)
        # <b>/<i> in markup must not fail: Chinese official documents use other faces
        # (黑体, 楷体) rather than synthetic bold, so every style maps to the same face.
        pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
        _registered[key] = name
        return name


def _cmap(font_name: str) -> dict[int, int]:
    font = pdfmetrics.getFont(font_name)
    face = getattr(font, "face", None)
    if face is None:
        raise FontError(font_name, _("{name} is not a TrueType font.").format(name=font_name))
    return face.charToGlyph  # type: ignore[no-any-return]


def has_glyph(font_name: str, char: str) -> bool:
    """Whether the registered TrueType font draws ``char`` (glyph 0 is the 'missing' box)."""
    return bool(_cmap(font_name).get(ord(char), 0))


# ---------------------------------------------------------------------------------------------
# Finding the fonts


def system_font_dirs() -> list[Path]:
    """Folders where Windows fonts are found: the Windows folder, or the usual Linux ones."""
    dirs: list[Path] = []
    if sys.platform == "win32":
        windir = os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT") or r"C:\Windows"
        dirs.append(Path(windir) / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:  # fonts installed "for this user only" since Windows 10 1809
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    else:
        home = Path.home()
        dirs += [
            home / ".fonts",
            home / ".local" / "share" / "fonts",
            Path("/usr/local/share/fonts"),
            Path("/usr/share/fonts"),
        ]
    return dirs


@cache
def _files_in(folder: str) -> dict[str, Path]:
    # One walk per folder, lower-cased: copies of Windows fonts often arrive as SIMSUN.TTC.
    found: dict[str, Path] = {}
    for root, _dirs, files in os.walk(folder):
        for file_name in files:
            found.setdefault(file_name.lower(), Path(root) / file_name)
    return found


def find_font_file(file_name: str, dirs: Iterable[Path]) -> Path | None:
    wanted = file_name.lower()
    for folder in dirs:
        if folder.is_dir():
            hit = _files_in(str(folder)).get(wanted)
            if hit is not None:
                return hit
    return None


def bundled_font_path(file_name: str) -> Path:
    return resource_path("fonts", file_name)


# ---------------------------------------------------------------------------------------------
# The font set a document uses


@dataclass(frozen=True)
class FontSet:
    """The registered fonts for each role and the fallback chain behind them."""

    body: str
    title: str
    heading1: str
    heading2: str
    song: str  # 宋体: page numbers, and the first fallback for Latin letters and digits
    fallbacks: tuple[str, ...]
    sources: Mapping[str, ResolvedFont]
    # Fonts that were wanted but could not be used (e.g. a broken file chosen in settings).
    problems: tuple[str, ...] = ()
    _choices: dict[str, dict[str, str]] = field(
        default_factory=dict, repr=False, compare=False, hash=False
    )

    def font(self, role: str) -> str:
        """The reportlab font name for a role (body, title, heading1, heading2, song)."""
        if role not in (*ROLES, "song"):
            raise KeyError(role)
        return str(getattr(self, role))

    def chain(self, font_name: str) -> tuple[str, ...]:
        return (font_name, *(name for name in self.fallbacks if name != font_name))

    def font_for_char(self, char: str, font_name: str) -> str:
        """The first font of ``font_name``'s chain that draws ``char`` (the primary if none)."""
        choices = self._choices.get(font_name)
        if choices is None:
            choices = self._choices.setdefault(font_name, {})
        chosen = choices.get(char)
        if chosen is None:
            chosen = font_name
            for candidate in self.chain(font_name):
                if has_glyph(candidate, char):
                    chosen = candidate
                    break
            choices[char] = chosen
        return chosen

    def runs(self, text: str, font_name: str) -> list[tuple[str, str]]:
        """Split ``text`` into (text, font) runs so that every character has a glyph."""
        runs: list[tuple[str, str]] = []
        if not text:
            return runs
        current_font = ""
        start = 0
        for index, char in enumerate(text):
            chosen = self.font_for_char(char, font_name)
            # Spaces stay in the run around them when that font has one: fewer font switches.
            if (
                char.isspace()
                and current_font
                and chosen != current_font
                and has_glyph(current_font, char)
            ):
                chosen = current_font
            if chosen != current_font:
                if index > start:
                    runs.append((text[start:index], current_font))
                current_font = chosen
                start = index
        runs.append((text[start:], current_font))
        return runs

    def markup(self, text: str, role_or_font: str) -> str:
        """Plain text as reportlab Paragraph markup, with fallback fonts for missing glyphs.

        ``role_or_font`` is a role (body, title, heading1, heading2, song) or a registered font
        name, i.e. the font the paragraph style uses.  The text is escaped (& < >); line
        breaks become <br/>.
        """
        font_name = self.font(role_or_font) if role_or_font in (*ROLES, "song") else role_or_font
        parts: list[str] = []
        for line_number, line in enumerate(text.split("\n")):
            if line_number:
                parts.append("<br/>")
            for run_text, run_font in self.runs(line, font_name):
                escaped = escape(run_text)
                if run_font == font_name:
                    parts.append(escaped)
                else:
                    parts.append(f'<font face="{run_font}">{escaped}</font>')
        return "".join(parts)


def _resolve_role(
    role: str,
    user_fonts: Mapping[str, str],
    system_dirs: list[Path],
    problems: list[str],
) -> ResolvedFont:
    user_choice = user_fonts.get(role)
    if user_choice:
        try:
            return ResolvedFont(register_font_file(user_choice), Path(user_choice), 0, "user")
        except FontError as exc:
            problems.append(str(exc))
    for file_name, index in _SYSTEM_CANDIDATES[role]:
        path = find_font_file(file_name, system_dirs)
        if path is None:
            continue
        try:
            return ResolvedFont(register_font_file(path, index), path, index, "system")
        except FontError as exc:
            problems.append(str(exc))
    path = bundled_font_path(_BUNDLED_FOR_ROLE[role])
    # No try: without the shipped fonts nothing can print, and the FontError says which file.
    return ResolvedFont(register_font_file(path), path, 0, "bundled")


def load_fonts(
    user_fonts: Mapping[str, str] | None = None,
    *,
    search_system: bool = True,
    system_dirs: Iterable[Path] | None = None,
) -> FontSet:
    """The fonts for prints: the user's choices, then Windows fonts, then the shipped ones.

    ``user_fonts`` maps a role to a font file (Settings.print_fonts).  A chosen file that
    cannot be used is skipped and described in ``FontSet.problems``; use
    ``register_font_file`` to validate a file when the user picks it.
    """
    chosen = {role: path for role, path in (user_fonts or {}).items() if path}
    dirs = (
        tuple(system_dirs)
        if system_dirs is not None
        else (tuple(system_font_dirs()) if search_system else ())
    )
    return _load_fonts(tuple(sorted(chosen.items())), dirs)


@cache
def _load_fonts(user_items: tuple[tuple[str, str], ...], dirs: tuple[Path, ...]) -> FontSet:
    # Cached so that every document of a batch shares one FontSet and its per-character cache.
    user_fonts = dict(user_items)
    problems: list[str] = []
    sources = {
        role: _resolve_role(role, user_fonts, list(dirs), problems) for role in (*ROLES, "song")
    }
    song = sources["song"].name
    # After the role's own font: 宋体 (it has Latin letters and digits, which Droid lacks), the
    # other document fonts, then the shipped ones, Droid last for its wide CJK coverage.
    bundled = [
        register_font_file(bundled_font_path(name))
        for name in (BUNDLED_SONG, BUNDLED_KAI, BUNDLED_SANS)
    ]
    chain: list[str] = []
    for name in [song, *(sources[role].name for role in ROLES), *bundled]:
        if name not in chain:
            chain.append(name)
    return FontSet(
        body=sources["body"].name,
        title=sources["title"].name,
        heading1=sources["heading1"].name,
        heading2=sources["heading2"].name,
        song=song,
        fallbacks=tuple(chain),
        sources=sources,
        problems=tuple(dict.fromkeys(problems)),
    )


def bundled_fonts() -> FontSet:
    """Only the shipped fonts: the same output on every machine (tests, reproducible prints)."""
    return load_fonts(None, search_system=False)


def fonts_for_settings(print_fonts: Mapping[str, str] | None = None) -> FontSet:
    """The font set for the user's settings; reads the settings file only when not given."""
    if print_fonts is None:
        print_fonts = Settings.load().print_fonts
    return load_fonts(print_fonts)
