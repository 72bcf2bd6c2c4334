"""Opening a clerk's file safely and turning it into plain grids of cell values.

Everything here treats the file as untrusted: it may be damaged, renamed, enormous, a zip
bomb or carry an XML entity bomb.  Each such file becomes an InterchangeError with a reason
the clerk can act on, never a traceback.  The libraries that parse workbooks raise almost
any exception type on malformed input, so their calls (and only those) are wrapped broadly.

What comes out is a list of ``Grid``: the candidate sheets, best first, each a rectangle of
raw values (str, numbers, dates) plus its merged ranges.  Interpreting them is
``app.io.spreadsheet``'s job.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol

from app.i18n import _
from app.io.errors import InterchangeError

MiB = 1024 * 1024
# A township's roster or matrix is well under 1 MB; 50 MB is far beyond any real list
# and still loads in memory comfortably.
MAX_FILE_BYTES = 50 * MiB
# What a workbook may unpack to.  Its XML is ~40 bytes per cell, so 256 MiB is millions
# of cells; anything larger would exhaust memory in openpyxl's full (non read-only) mode.
MAX_UNPACKED_BYTES = 256 * MiB
# Real sheets compress 5-20:1 (even a sheet of identical rows stays under 20:1); deflate
# peaks near 1000:1, which is what zip bombs use.
MAX_COMPRESSION_RATIO = 100
RATIO_CHECK_FROM_BYTES = 4 * MiB  # tiny parts (styles, themes) may compress oddly well
MAX_ZIP_ENTRIES = 10_000
# Headers and data live in the first columns; a stray cell at column XFD must not make
# every row 16 384 cells wide.
MAX_COLUMNS = 256

XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xltx", ".xltm"})
TEXT_SUFFIXES = frozenset({".csv", ".txt"})
XLS_SUFFIXES = frozenset({".xls"})
READABLE_SUFFIXES = XLSX_SUFFIXES | TEXT_SUFFIXES | XLS_SUFFIXES

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
# OLE2 compound file: Excel 97-2003 .xls, and also every password-protected .xlsx.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PDF_MAGIC = b"%PDF"
# The single quote an export puts before text that a spreadsheet would take for a formula.
FORMULA_GUARD = "'"
FORMULA_STARTS = ("=", "+", "-", "@")
# What a spreadsheet may evaluate: = + - @ first, also after leading spaces, which some
# programs trim before they look; a leading tab or carriage return (OWASP lists both); and
# the full-width forms a Chinese input method types, which Excel may take for the ASCII ones.
_FORMULA_LIKE = r"(?:[\t\r]|\s*[=+\-@\uff1d\uff0b\uff0d\uff20])"
FORMULA_LIKE = re.compile(_FORMULA_LIKE)
_NEEDS_GUARD = re.compile("'*" + _FORMULA_LIKE)
_DELIMITERS = (",", "\t", ";")
_SNIFF_CHARS = 64 * 1024


Range = tuple[int, int, int, int]  # min_row, min_col, max_row, max_col; 1-based, inclusive


class Grid(Protocol):
    """One sheet's values, addressed like the sheet (row 1 is the first row)."""

    @property
    def name(self) -> str: ...

    @property
    def max_row(self) -> int: ...

    @property
    def max_column(self) -> int: ...

    def rows(self, first: int, last: int, width: int) -> Iterator[Sequence[object]]:
        """Rows ``first``..``last`` (inclusive), each at least ``width`` values long."""
        ...

    def merged_ranges(self) -> list[Range]: ...


@dataclass
class ListGrid:
    """A sheet held as lists: CSV text and .xls files, which are parsed in one go."""

    name: str
    values: list[list[object]]
    merges: tuple[Range, ...] = ()

    @property
    def max_row(self) -> int:
        return len(self.values)

    @property
    def max_column(self) -> int:
        return max((len(row) for row in self.values), default=0)

    def rows(self, first: int, last: int, width: int) -> Iterator[Sequence[object]]:
        for row in self.values[first - 1 : last]:
            yield row if len(row) >= width else [*row, *([None] * (width - len(row)))]

    def merged_ranges(self) -> list[Range]:
        return list(self.merges)


class WorksheetGrid:
    """An openpyxl worksheet, already fully parsed; reading rows cannot fail any more."""

    def __init__(self, sheet: Any) -> None:
        self._sheet = sheet
        self.name: str = sheet.title
        self.max_row: int = sheet.max_row
        self.max_column: int = sheet.max_column

    def rows(self, first: int, last: int, width: int) -> Iterator[Sequence[object]]:
        if last < first or width < 1:
            return iter(())
        rows: Iterator[Sequence[object]] = self._sheet.iter_rows(
            min_row=first, max_row=last, max_col=width, values_only=True
        )
        return rows

    def merged_ranges(self) -> list[Range]:
        return [(r.min_row, r.min_col, r.max_row, r.max_col) for r in self._sheet.merged_cells]


# ---------------------------------------------------------------------------- entry point


def open_grids(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> list[Grid]:
    """The file's sheets as grids, the one the clerk last looked at first."""
    if path.is_dir():
        raise InterchangeError.single(
            _("“{name}” is a folder; choose the spreadsheet file inside it.").format(name=path.name)
        )
    suffix = path.suffix.lower()
    if not suffix:
        raise InterchangeError.single(
            _("The file name has no extension; save the sheet as .xlsx or .csv.")
        )
    if suffix not in READABLE_SUFFIXES:
        raise InterchangeError.single(
            _("Files of type “{suffix}” cannot be read; save the sheet as .xlsx or .csv.").format(
                suffix=path.suffix or path.name
            )
        )
    data = _read_bytes(path, max_bytes)
    name = path.name
    if data.startswith(_ZIP_MAGIC):
        # Content decides, not the name: a workbook saved as "名单.xls" or ".csv" is common.
        return _open_xlsx(data, name)
    if data.startswith(_OLE_MAGIC):
        return _open_xls(data, name)
    if suffix in XLSX_SUFFIXES:
        raise InterchangeError.single(_not_a_workbook(data, name))
    if suffix in XLS_SUFFIXES and _looks_like_html(data):
        # Web systems export HTML tables named .xls; Excel opens them, we cannot.
        raise InterchangeError.single(
            _(
                "“{file}” is a web page or XML file saved under an Excel name; open it in "
                "Excel or WPS and save it as .xlsx."
            ).format(file=name)
        )
    # .csv, .txt, and .xls files that are really tab-separated text (other exports).
    return [_open_text(data, name)]


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise _too_large(path.name, max_bytes)
        with path.open("rb") as fp:
            # Read one byte past the limit: the file may have grown since stat().
            data = fp.read(max_bytes + 1)
    except FileNotFoundError:
        raise InterchangeError.single(
            _("The file “{file}” does not exist.").format(file=path.name)
        ) from None
    except IsADirectoryError:
        raise InterchangeError.single(
            _("“{file}” is a folder, not a file.").format(file=path.name)
        ) from None
    except OSError as error:
        raise InterchangeError.single(
            _("Cannot read “{file}”: {reason}").format(
                file=path.name, reason=error.strerror or error
            )
        ) from None
    if len(data) > max_bytes:
        raise _too_large(path.name, max_bytes)
    if not data.strip():
        raise InterchangeError.single(_("“{file}” is empty.").format(file=path.name))
    return data


def _too_large(name: str, max_bytes: int) -> InterchangeError:
    return InterchangeError.single(
        _("“{file}” is larger than {limit} MB; split it into smaller files.").format(
            file=name, limit=max_bytes // MiB or 1
        )
    )


def _looks_like_html(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")) or (b"<html" in head)


def _not_a_workbook(data: bytes, name: str) -> str:
    if data.startswith(_PDF_MAGIC):
        return _("“{file}” is a PDF document, not an Excel workbook.").format(file=name)
    text = _decode_text(data)
    if text is not None and "\x00" not in text:
        return _(
            "“{file}” is a text file, not an Excel workbook; if it is a CSV file, "
            "give it the .csv extension."
        ).format(file=name)
    return _damaged(name)


def _damaged(name: str) -> str:
    return _(
        "“{file}” is not an Excel workbook or is damaged; open it in Excel or WPS and save "
        "it again as .xlsx."
    ).format(file=name)


# ---------------------------------------------------------------------------- .xlsx


def check_zip(data: bytes, name: str) -> None:
    """Refuse a zip that would unpack to something absurd, reading only its directory.

    Python's zipfile never inflates a member past the size its directory declares (and
    fails the CRC if the data disagrees), so bounding the declared sizes bounds memory.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    # NotImplementedError: a directory that claims a zip version Python does not read.
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        ValueError,
        EOFError,
        OSError,
        NotImplementedError,
    ):
        raise InterchangeError.single(_damaged(name)) from None
    if len(members) > MAX_ZIP_ENTRIES:
        raise InterchangeError.single(_zip_bomb(name))
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise InterchangeError.single(
                _("“{file}” is password-protected; it cannot be read.").format(file=name)
            )
        # bzip2 and lzma inflate a whole chunk at once, past any size check: no Office
        # program writes them, so they are refused rather than trusted.
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise InterchangeError.single(_damaged(name))
        total += member.file_size
        if total > MAX_UNPACKED_BYTES:
            raise InterchangeError.single(_zip_bomb(name))
        if (
            member.file_size > RATIO_CHECK_FROM_BYTES
            and member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1)
        ):
            raise InterchangeError.single(_zip_bomb(name))
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise InterchangeError.single(
            _("“{file}” is a zip archive or another document, not an Excel workbook.").format(
                file=name
            )
        )


def _zip_bomb(name: str) -> str:
    return _(
        "“{file}” unpacks to an abnormal size (a possible “zip bomb”); it was not opened."
    ).format(file=name)


def _ole_problem(data: bytes, name: str) -> str:
    """Why an OLE2 file cannot be read: Office keeps a protected workbook in one too."""
    if "EncryptedPackage".encode("utf-16-le") in data:
        return _(
            "“{file}” is password-protected; open it in Excel or WPS, remove the password "
            "and save it again as .xlsx."
        ).format(file=name)
    return _(
        "“{file}” is in the old Excel 97-2003 format; open it in Excel or WPS and save it as .xlsx."
    ).format(file=name)


def _open_xlsx(data: bytes, name: str) -> list[Grid]:
    check_zip(data, name)
    # Imported here: openpyxl takes a noticeable time to import and only imports need it.
    import openpyxl
    from defusedxml import DefusedXmlException

    try:
        with warnings.catch_warnings():
            # "Unknown extension", "no default style" and the like say nothing about data;
            # the test suite turns warnings into errors, which must not reject good files.
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(
                io.BytesIO(data), data_only=True, keep_links=False, rich_text=False
            )
    except MemoryError:
        raise _too_large(name, MAX_FILE_BYTES) from None
    except Exception as error:  # any parser failure on untrusted input is a bad file
        if _caused_by(error, DefusedXmlException):
            # openpyxl rewraps parser errors in a ValueError; the cause tells an attack
            # (entity definitions, external references) from mere damage.
            raise InterchangeError.single(
                _(
                    "“{file}” contains XML that workbooks never contain (a possible attack); "
                    "it was not opened."
                ).format(file=name)
            ) from None
        raise InterchangeError.single(_damaged(name)) from None
    sheets = [s for s in book.worksheets if s.sheet_state == "visible"] or list(book.worksheets)
    if not sheets:
        raise InterchangeError.single(_("“{file}” contains no worksheet.").format(file=name))
    active = book.active
    if active in sheets:
        sheets.remove(active)
        sheets.insert(0, active)
    return [WorksheetGrid(sheet) for sheet in sheets]


def _caused_by(error: BaseException, kind: type[BaseException]) -> bool:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, kind):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


# ---------------------------------------------------------------------------- .xls


def _open_xls(data: bytes, name: str) -> list[Grid]:
    try:
        import xlrd  # optional: reads Excel 97-2003 files when it happens to be installed
    except ImportError:
        raise InterchangeError.single(_ole_problem(data, name)) from None
    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=False)
        grids: list[Grid] = [_xls_grid(book, sheet) for sheet in book.sheets()]
    except MemoryError:
        raise _too_large(name, MAX_FILE_BYTES) from None
    except Exception:  # xlrd's failures on bad input, encrypted files included
        raise InterchangeError.single(_ole_problem(data, name)) from None
    if not grids:
        raise InterchangeError.single(_("“{file}” contains no worksheet.").format(file=name))
    return grids


def _xls_grid(book: Any, sheet: Any) -> ListGrid:
    import xlrd

    values: list[list[object]] = []
    for row in range(sheet.nrows):
        out: list[object] = []
        for cell in sheet.row(row)[:MAX_COLUMNS]:
            value: object = cell.value
            if cell.ctype == xlrd.XL_CELL_DATE:
                # A bad serial number stays a number rather than losing the cell.
                with contextlib.suppress(ValueError, OverflowError, xlrd.xldate.XLDateError):
                    value = xlrd.xldate_as_datetime(cell.value, book.datemode)
            elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                value = bool(cell.value)
            elif cell.ctype == xlrd.XL_CELL_ERROR:
                value = xlrd.error_text_from_code.get(cell.value, "#ERR")
            elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                value = None
            out.append(value)
        values.append(out)
    # xlrd's ranges are 0-based and half-open; grids are 1-based and inclusive.
    merges = tuple((rlo + 1, clo + 1, rhi, chi) for rlo, rhi, clo, chi in sheet.merged_cells)
    return ListGrid(sheet.name, values, merges)


# ---------------------------------------------------------------------------- .csv


def _decode_text(data: bytes) -> str | None:
    """The text of a CSV file: UTF-8 (with or without BOM), UTF-16 with BOM, else GBK.

    Chinese Excel and WPS save "CSV" in GBK (gb18030 is its superset); Excel's "Unicode
    text" is UTF-16 with a BOM.  UTF-8 goes first: GBK would also decode many UTF-8 files,
    into nonsense.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def sniff_delimiter(text: str) -> str:
    """Comma, tab or semicolon: the one that splits the first lines most consistently."""
    sample = text[:_SNIFF_CHARS]
    if len(text) > _SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    best, best_score = ",", (0, 0)
    for delimiter in _DELIMITERS:
        try:
            rows = list(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter))
        except csv.Error:
            continue
        widths = [len(row) for row in rows[:50] if any(cell.strip() for cell in row)]
        widths = [width for width in widths if width > 1]
        if not widths:
            continue
        common = max(set(widths), key=lambda width: (widths.count(width), width))
        score = (widths.count(common), common)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def looks_like_formula(value: str) -> bool:
    """Whether a spreadsheet might evaluate this text rather than show it."""
    return FORMULA_LIKE.match(value) is not None


def guard(value: str) -> str:
    """CSV text that a spreadsheet would evaluate gets a leading quote ("=1+1" → "'=1+1").

    Text that already starts with quotes before such a character gets one more, so that
    ``unguard(guard(value)) == value`` for every value.
    """
    return FORMULA_GUARD + value if _NEEDS_GUARD.match(value) else value


def csv_writer(stream: IO[str]) -> Any:
    """A csv.writer for listings on standard output: redirected into a .csv and opened in a
    spreadsheet, its text must not run as formulas either."""
    writer = csv.writer(stream)

    class _Guarded:
        def writerow(self, row: Iterable[object]) -> Any:
            return writer.writerow([guard(v) if isinstance(v, str) else v for v in row])

    return _Guarded()


def unguard(value: str) -> str:
    """Remove the quote an export put before formula-looking text ("'=1+1" → "=1+1")."""
    if value.startswith(FORMULA_GUARD) and _NEEDS_GUARD.match(value, 1):
        return value[1:]
    return value


def _open_text(data: bytes, name: str) -> ListGrid:
    text = _decode_text(data)
    if text is None or "\x00" in text:
        raise InterchangeError.single(
            _(
                "“{file}” is not a text file in a known encoding (UTF-8 or GBK); "
                "save it from Excel or WPS as .xlsx or as “CSV UTF-8”."
            ).format(file=name)
        )
    delimiter = sniff_delimiter(text)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        values: list[list[object]] = [
            [unguard(cell) for cell in row[:MAX_COLUMNS]] for row in reader
        ]
    except csv.Error:
        raise InterchangeError.single(
            _("“{file}” is not a well-formed CSV file.").format(file=name)
        ) from None
    return ListGrid(Path(name).stem, values)
