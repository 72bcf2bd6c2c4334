"""Tables in clerks' spreadsheets: read them the way people lay them out, write them back.

Reading finds the header row among the first rows (a title such as
"青禾镇安全生产领导小组成员名单" often sits above it), matches header names and their
synonyms, fills merged blocks down ("same value down the block"), skips blank rows, and
returns every value as cleaned text keyed by the canonical column name.  Writing produces a
file with the canonical headers, so an export re-imports unchanged, and never lets text that
starts with = + - @ turn into a formula.

Each area (roster, responsibility matrix, …) describes its columns with ``ColumnSpec`` and
interprets the rows itself; nothing here knows what a column means.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING

from app.fileio import atomic_path, write_atomic
from app.i18n import _
from app.io.errors import InterchangeError, Problem
from app.io.sources import (
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    Grid,
    guard,
    looks_like_formula,
    open_grids,
)
from app.io.text import header_key, normalize_cell

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

# The header is looked for among this many non-empty rows: titles, subtitles, "填报单位："
# lines and blank spacer rows come first in real files, but never a whole page of them.
HEADER_SEARCH_ROWS = 15
# Far beyond any township list, and small enough that a runaway file is refused quickly.
MAX_ROWS = 200_000
DEFAULT_SHEET_NAME = "Sheet1"
WRITABLE_SUFFIXES = (".xlsx", ".csv")

# Columns beyond the header's own are checked for stray data only while the rows times the
# sheet's width stay under this many cells (reading a cell makes openpyxl create it; a file
# with one cell at IV1 and another at A200000 must not become 50 million cells).
CHECK_CELLS = 2_000_000

# Integers up to 2**53 are exact in a float; phone numbers typed as numbers land here.
_EXACT_FLOAT_LIMIT = 2**53
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Characters XML 1.0 cannot carry, so exports drop them: openpyxl raises on the controls,
# and writes U+FFFE, U+FFFF (and fails on lone surrogates) into a file no reader accepts.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class ColumnSpec:
    """A column an area understands: its canonical header and what else clerks call it."""

    name: str
    synonyms: tuple[str, ...] = ()
    required: bool = False

    def header_keys(self) -> set[str]:
        return {header_key(self.name), *(header_key(s) for s in self.synonyms)}


@dataclass(frozen=True, slots=True)
class SheetRow:
    """One data row: its row number as Excel shows it, values keyed by canonical name.

    Only the columns the file has are keys, so ``name in row.values`` tells whether the
    file has that column at all; an empty cell is "".
    """

    number: int
    values: dict[str, str]


@dataclass(frozen=True)
class Table:
    title: str | None  # the first text above the header row, if any
    header_row: int
    rows: list[SheetRow]
    columns: tuple[str, ...] = ()  # canonical names of the columns the file has, in spec order


@dataclass(frozen=True)
class _Header:
    row: int
    positions: dict[str, int]  # canonical name → 0-based column index
    title: str | None
    texts: tuple[str, ...] = ()  # every cell of the header row, as text


# ---------------------------------------------------------------------------- cell values


def cell_text(value: object) -> str:
    """Any cell value as the text a clerk would read in the cell."""
    if value is None:
        return ""
    if isinstance(value, str):
        return normalize_cell(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, Decimal):
        return _float_text(float(value)) if value.is_finite() else str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return _date_text(value)
    return normalize_cell(str(value))


def _float_text(value: float) -> str:
    if not math.isfinite(value):
        return str(value)
    if value.is_integer() and abs(value) < _EXACT_FLOAT_LIMIT:
        return str(int(value))  # 13800000001.0 → "13800000001"
    return f"{value:.15g}"  # Excel shows 15 significant digits: 0.1+0.2 → "0.3"


def _date_text(value: dt.datetime | dt.date | dt.time) -> str:
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec=_timespec(value.time()))
    if isinstance(value, dt.time):
        return value.isoformat(timespec=_timespec(value))
    return value.isoformat()


def _timespec(value: dt.time) -> str:
    return "minutes" if value.second == 0 and value.microsecond == 0 else "seconds"


# ---------------------------------------------------------------------------- reading


def read_table(
    path: str | Path,
    columns: Sequence[ColumnSpec],
    *,
    max_rows: int = MAX_ROWS,
    max_bytes: int = MAX_FILE_BYTES,
) -> Table:
    """Read the table of ``columns`` from a .xlsx/.xlsm, .csv (or .xls) file.

    Raises InterchangeError for anything wrong with the file: unreadable, damaged, too
    large, or without the required columns.  Does not judge the values themselves.
    """
    path = Path(path)
    lookup = _header_lookup(columns)
    first_miss: InterchangeError | None = None
    for grid in open_grids(path, max_bytes=max_bytes):
        found = _find_header(grid, columns, lookup)
        if isinstance(found, _Header):
            return _read_rows(grid, found, columns, path.name, max_rows)
        if found is not None and first_miss is None:
            first_miss = found
    if first_miss is not None:
        raise first_miss
    raise InterchangeError.single(_("“{file}” contains no data.").format(file=path.name))


def _header_lookup(columns: Sequence[ColumnSpec]) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for spec in columns:
        for key in spec.header_keys():
            other = lookup.setdefault(key, spec.name)
            if other != spec.name:
                # A programming error in an area's column list, not a problem of the file.
                raise ValueError(f"header {key!r} belongs to both {other!r} and {spec.name!r}")
    return lookup


def _find_header(
    grid: Grid, columns: Sequence[ColumnSpec], lookup: dict[str, str]
) -> _Header | InterchangeError | None:
    """The header row, or why there is none (None: the sheet is empty)."""
    required = [spec.name for spec in columns if spec.required]
    width = min(grid.max_column, MAX_COLUMNS)
    title: str | None = None
    # The likeliest header for the message: most known names, then most filled cells (so
    # a header of unknown names beats a title row).
    best: tuple[tuple[int, int], int, list[str]] | None = None
    seen = 0
    for number, raw in enumerate(grid.rows(1, grid.max_row, width), start=1):
        texts = [cell_text(value) for value in raw[:width]]
        if not any(texts):
            continue
        seen += 1
        found: dict[str, list[int]] = {}
        for index, text in enumerate(texts):
            name = lookup.get(header_key(text)) if text else None
            if name is not None:
                found.setdefault(name, []).append(index)
        if found and all(name in found for name in required):
            duplicates = [
                Problem(
                    number,
                    name,
                    _("the column appears twice, as columns {first} and {second}").format(
                        first=_column_letter(indexes[0]), second=_column_letter(indexes[1])
                    ),
                )
                for name, indexes in found.items()
                if len(indexes) > 1
            ]
            if duplicates:
                return InterchangeError(duplicates)
            positions = {spec.name: found[spec.name][0] for spec in columns if spec.name in found}
            return _Header(number, positions, title, tuple(texts))
        score = (len(found), sum(1 for text in texts if text))
        if best is None or score > best[0]:
            best = (score, number, texts)
        if title is None:
            title = next(text for text in texts if text)
        if seen >= HEADER_SEARCH_ROWS:
            break
    if best is None:
        return None
    return InterchangeError(_missing_columns(columns, required, best[1], best[2], lookup))


def _missing_columns(
    columns: Sequence[ColumnSpec],
    required: list[str],
    row: int,
    texts: list[str],
    lookup: dict[str, str],
) -> list[Problem]:
    present = {lookup.get(header_key(text)) for text in texts if text}
    wanted = [spec for spec in columns if spec.name in required and spec.name not in present]
    if not wanted:
        # No column is required and none was recognised.
        wanted = list(columns)
    problems = []
    for spec in wanted:
        # Spelling variants of one header ("姓名", "姓 名") are one name to the clerk.
        shown = {header_key(spec.name): spec.name}
        for synonym in spec.synonyms:
            shown.setdefault(header_key(synonym), synonym)
        synonyms = list(shown.values())[1:]
        if synonyms:
            reason = _("not found (it may also be headed: {synonyms})").format(
                synonyms="、".join(synonyms)
            )
        else:
            reason = _("not found")
        problems.append(Problem(None, spec.name, reason))
    headers = [text for text in texts if text]
    if headers:
        # What the likeliest header row does say, so the clerk sees the mismatch at once.
        problems.append(
            Problem(
                row,
                None,
                _("the header row reads: {headers}").format(headers="、".join(headers[:12])),
            )
        )
    return problems


def _column_letter(index: int) -> str:
    """0-based column index → Excel letters (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _read_rows(
    grid: Grid, header: _Header, columns: Sequence[ColumnSpec], file: str, max_rows: int
) -> Table:
    first = header.row + 1
    last = grid.max_row
    if last - header.row > max_rows:
        raise InterchangeError.single(
            _("“{file}” has more than {limit} rows; split it into smaller files.").format(
                file=file, limit=max_rows
            )
        )
    width = max(header.positions.values()) + 1
    indexes = list(header.positions.values())
    headed, merged_from, extent = _header_cells(grid, header)
    check_width = min(max(grid.max_column, width), MAX_COLUMNS)
    if (last - header.row) * check_width > CHECK_CELLS:
        # A sheet this large: only the columns up to the header's last cell (the table).
        check_width = max(width, min(extent, CHECK_CELLS // (last - header.row)))
    unheaded = [index for index in range(check_width) if index not in headed]
    stray: dict[int, int] = {}  # column index → the first row with a value there
    texts: list[list[str]] = []
    # Emptiness is judged before merged blocks are filled: a row the clerk left blank
    # inside a merged block is still a blank row.
    typed: list[bool] = []
    for number, raw in enumerate(grid.rows(first, last, max(width, check_width)), start=first):
        row = [cell_text(value) for value in raw[:width]]
        texts.append(row)
        typed.append(any(row[index] for index in indexes))
        if typed[-1]:
            for index in unheaded:
                value = raw[index]
                if value is not None and index not in stray and cell_text(value):
                    stray[index] = number
    if stray:
        raise InterchangeError(
            _headerless(index, number, header, merged_from)
            for index, number in sorted(stray.items())
        )
    _fill_merged(grid, texts, first, width, file)
    present = [spec for spec in columns if spec.name in header.positions]
    header_keys = {spec.name: spec.header_keys() for spec in present}
    rows: list[SheetRow] = []
    for offset, row in enumerate(texts):
        if not typed[offset]:
            continue
        values = {name: row[index] for name, index in header.positions.items()}
        if _repeats_header(values, header_keys):
            continue  # lists printed page by page repeat the header on every page
        rows.append(SheetRow(first + offset, values))
    return Table(header.title, header.row, rows, tuple(header.positions))


def _header_cells(grid: Grid, header: _Header) -> tuple[set[int], dict[int, tuple[int, int]], int]:
    """Which columns have a header of their own, and how far the header reaches.

    Returns the 0-based columns with a header (text in the header row, or a block merged
    down from above it), the columns a header merged across covers beyond its first
    (column → (first, last) of the block), and the width up to the header's last cell.
    """
    headed = {index for index, text in enumerate(header.texts) if text}
    merged_from: dict[int, tuple[int, int]] = {}
    extent = max(headed, default=-1) + 1
    limit = MAX_COLUMNS
    for min_row, min_col, max_row, max_col in grid.merged_ranges():
        if not min_row <= header.row <= max_row or min_col > limit:
            continue
        last = min(max_col, limit)
        if min_row < header.row:
            headed.add(min_col - 1)  # a header two rows high, merged down to this row
        for column in range(min_col + 1, last + 1):
            merged_from[column - 1] = (min_col - 1, max_col - 1)
            headed.discard(column - 1)
        extent = max(extent, last)
    return headed, merged_from, extent


def _headerless(
    index: int, row: int, header: _Header, merged_from: dict[int, tuple[int, int]]
) -> Problem:
    """A column with data but no header: reading would drop its data without a word."""
    column = _column_letter(index)
    block = merged_from.get(index)
    name = header.texts[block[0]] if block is not None and block[0] < len(header.texts) else ""
    if block is not None and name:
        reason = _(
            "column {column} has data but no header of its own: the header “{header}” is "
            "merged across columns {first}–{last}; unmerge it and give column {column} a "
            "header, or clear the column"
        ).format(
            column=column,
            header=name,
            first=_column_letter(block[0]),
            last=_column_letter(block[1]),
        )
    else:
        reason = _(
            "column {column} has data but no header; give it a header, or clear the column"
        ).format(column=column)
    return Problem(row, None, reason)


def _fill_merged(grid: Grid, texts: list[list[str]], first: int, width: int, file: str) -> None:
    """Give every cell of a merged block the block's value (only its top-left cell has one)."""
    last = first + len(texts) - 1
    # Excel forbids overlapping merges; a file whose merges cover more cells than the sheet
    # has is malformed, and filling it could take forever.
    budget = len(texts) * width
    for min_row, min_col, max_row, max_col in grid.merged_ranges():
        if min_row < first or min_row > last or min_col > width:
            continue  # the title and the header are not data
        value = texts[min_row - first][min_col - 1]
        for row in range(min_row, min(max_row, last) + 1):
            cells = texts[row - first]
            for column in range(min_col, min(max_col, width) + 1):
                cells[column - 1] = value
        budget -= (min(max_row, last) - min_row + 1) * (min(max_col, width) - min_col + 1)
        if budget < 0:
            raise InterchangeError.single(
                _("“{file}” has overlapping merged cells; it is damaged.").format(file=file)
            )


def _repeats_header(values: dict[str, str], header_keys: dict[str, set[str]]) -> bool:
    filled = [(name, value) for name, value in values.items() if value]
    return len(filled) >= min(2, len(values)) and all(
        header_key(value) in header_keys[name] for name, value in filled
    )


# ---------------------------------------------------------------------------- writing


def write_table(
    path: str | Path,
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    title: str | None = None,
    sheet_name: str = DEFAULT_SHEET_NAME,
    merge_down: Sequence[int] = (),
    streaming: bool = False,
) -> int:
    """Write a header and rows to .xlsx or .csv, atomically; returns the number of rows.

    ``streaming``: the rows may run to hundreds of thousands (the audit trail): the .xlsx is
    written row by row as they come, in little memory, with the title in a plain bold cell
    (openpyxl's write-only sheets cannot merge) and no ``merge_down``.

    The .xlsx gets ``title`` in a merged row above the header; a CSV has no title row (a
    title would read as a broken header in other programs).  In the .xlsx, runs of equal,
    non-empty text in the 0-based columns ``merge_down`` become one merged block, the way
    clerks lay such columns out (reading fills the block down again).  Text that a
    spreadsheet would evaluate (= + - @ first) stays text.  On any error the previous file
    is untouched.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx" and streaming:
        with atomic_path(path) as tmp:
            return _stream_workbook(tmp, columns, rows, title, sheet_name)
    if suffix == ".xlsx":
        book, count = _build_workbook(columns, rows, title, sheet_name, merge_down)
        with atomic_path(path) as tmp:
            book.save(tmp)
        return count
    if suffix == ".csv":
        counter = [0]

        def write(fp: IO[bytes]) -> None:
            counter[0] = _write_csv(fp, columns, rows)

        write_atomic(path, write)
        return counter[0]
    raise InterchangeError.single(
        _("Cannot write “{suffix}” files; choose a name ending in {choices}.").format(
            suffix=path.suffix or path.name, choices=" / ".join(WRITABLE_SUFFIXES)
        )
    )


def _keep_as_text(cell: Cell) -> None:
    """Make a text cell plain text, whatever it looks like.

    openpyxl takes any text starting with "=" for a formula and "#N/A" and the like for
    error values; a string cell with the quote-prefix style stays text in Excel even after
    the clerk edits it.
    """
    value = cell.value
    if isinstance(value, str) and (looks_like_formula(value) or cell.data_type != "s"):
        cell.data_type = "s"
        cell.quotePrefix = True


def _may_not_stay_text(value: object) -> bool:
    """A quick test, before touching the cell: only such text needs ``_keep_as_text``."""
    return isinstance(value, str) and (looks_like_formula(value) or value.startswith("#"))


def _export_value(value: object) -> object:
    """A value as the .xlsx gets it: numbers and dates stay typed, the rest becomes text."""
    if value is None or isinstance(value, bool | int | dt.datetime | dt.date | dt.time):
        return value
    if isinstance(value, float | Decimal):
        return value if math.isfinite(value) else str(value)
    return _XML_ILLEGAL.sub("", value if isinstance(value, str) else str(value))


def _build_workbook(
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    title: str | None,
    sheet_name: str,
    merge_down: Sequence[int] = (),
) -> tuple[Workbook, int]:
    # Imported here: openpyxl takes a noticeable time to import and only exports need it.
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = _sheet_title(sheet_name)
    widths = [_display_width(name) for name in columns]
    if title:
        sheet.append([_export_value(title)])
        cell = sheet.cell(row=1, column=1)
        _keep_as_text(cell)  # the title holds names typed by users: "=…" too
        cell.font = Font(bold=True, size=14)
        cell.alignment = Alignment(horizontal="center", vertical="center")
        sheet.row_dimensions[1].height = 28
        if len(columns) > 1:
            sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    sheet.append([_export_value(name) for name in columns])
    header_row = sheet.max_row
    bold = Font(bold=True)
    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for cell in sheet[header_row]:
        cell.font = bold
        cell.alignment = centred
        _keep_as_text(cell)
    count = 0
    for row in rows:
        values = [_export_value(value) for value in row]
        sheet.append(values)
        count += 1
        for index, value in enumerate(values):
            if _may_not_stay_text(value):
                _keep_as_text(sheet.cell(row=header_row + count, column=index + 1))
            if count <= 2000 and index < len(widths):  # a sample sets the widths well enough
                widths[index] = max(widths[index], _display_width(value))
    for index, width in enumerate(widths):
        letter = _column_letter(index)
        sheet.column_dimensions[letter].width = min(max(width + 2, 6), 50)
    for index in merge_down:
        _merge_runs(sheet, index + 1, header_row + 1, header_row + count)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    return book, count


def _stream_workbook(
    target: Path,
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    title: str | None,
    sheet_name: str,
) -> int:
    """Write a workbook row by row (openpyxl's write-only mode); the number of rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_sheet_title(sheet_name))
    # Column widths must be set before the first row: measured on the first rows, held back.
    rows = iter(rows)
    sample = [[_export_value(value) for value in row] for row in itertools.islice(rows, 2000)]
    widths = [_display_width(name) for name in columns]
    for values in sample:
        for index, value in enumerate(values[: len(widths)]):
            widths[index] = max(widths[index], _display_width(value))
    for index, width in enumerate(widths):
        sheet.column_dimensions[_column_letter(index)].width = min(max(width + 2, 6), 50)
    header_row = 2 if title else 1
    sheet.freeze_panes = f"A{header_row + 1}"

    def cells(values: Sequence[object], font: Font | None = None) -> list[Cell]:
        row = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            if font is not None:
                cell.font = font
                cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            if _may_not_stay_text(value) or font is not None:
                _keep_as_text(cell)
            row.append(cell)
        return row

    if title:
        sheet.append(cells([_export_value(title)], Font(bold=True, size=14)))
    sheet.append(cells([_export_value(name) for name in columns], Font(bold=True)))
    count = 0
    for values in itertools.chain(sample, ([_export_value(v) for v in row] for row in rows)):
        sheet.append(cells(values))
        count += 1
    book.save(target)
    return count


def _merge_runs(sheet: Worksheet, column: int, first: int, last: int) -> None:
    """Merge each run of equal, non-empty text in ``column`` between rows first…last."""
    from openpyxl.styles import Alignment

    start = first
    for row in range(first + 1, last + 2):
        value = sheet.cell(row=start, column=column).value
        if row <= last and sheet.cell(row=row, column=column).value == value:
            continue
        if row - start > 1 and isinstance(value, str) and value:
            sheet.merge_cells(
                start_row=start, start_column=column, end_row=row - 1, end_column=column
            )
            sheet.cell(row=start, column=column).alignment = Alignment(
                vertical="center", wrap_text=True
            )
        start = row


def _display_width(value: object) -> int:
    """Columns wide enough for Chinese: a Han character takes two character cells."""
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return 19
    if isinstance(value, dt.date):
        return 10
    text = value if isinstance(value, str) else cell_text(value)
    return max(
        (
            sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line)
            for line in text.split("\n")
        ),
        default=0,
    )


def _sheet_title(name: str) -> str:
    # Excel's rules: at most 31 characters, none of []:*?/\ ; never empty.
    cleaned = _SHEET_NAME_FORBIDDEN.sub("", name).strip("' ")[:31]
    return cleaned or DEFAULT_SHEET_NAME


def _csv_text(value: object) -> str:
    if isinstance(value, str):
        # The guard quote keeps Excel from running "=…" as a formula; read_table removes it.
        return guard(value)
    return cell_text(value)


def _write_csv(fp: IO[bytes], columns: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    # UTF-8 with a BOM: Excel opens a BOM-less UTF-8 CSV as GBK and shows mojibake.
    text = io.TextIOWrapper(fp, encoding="utf-8-sig", newline="")
    try:
        writer = csv.writer(text)
        writer.writerow([_csv_text(name) for name in columns])
        count = 0
        for row in rows:
            writer.writerow([_csv_text(value) for value in row])
            count += 1
        text.flush()
    finally:
        text.detach()  # the caller owns fp and closes it
    return count
