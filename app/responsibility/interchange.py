"""The responsibility matrix (责任制分工表) in clerks' spreadsheets: plan, preview, apply, export.

A file is the whole matrix, row by row in its order: 单位负责人 · 分管负责人 · 责任科室 ·
责任人 · 安全生产重点职责.  Reading it never writes; the plan compares it with the stored matrix
row by row, names every name that links to nothing (a typo in a department shows up before it
is saved), and counts the assignments saving it would begin and end.  Applying writes the whole
matrix in one transaction, or nothing.  Exports use the same headers, so an export re-imports
with no changes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from app.i18n import N_, _, format_date, ngettext, pgettext
from app.io.errors import InterchangeError, Problem
from app.io.spreadsheet import ColumnSpec, read_table, write_table
from app.io.text import normalize_cell, normalize_name
from app.org.kinds import UnitKind
from app.responsibility.matrix import (
    DUTIES_CHINESE,
    PEOPLE_COLUMNS,
    SEPARATOR,
    Column,
    Entry,
    Linker,
    MatrixLine,
    assignment_changes,
    load_matrix,
    save_matrix,
    split_cell,
)
from app.storage.db import database_proxy
from app.storage.models import Unit

COL_ORDER = "序号"
COL_DUTIES = DUTIES_CHINESE

COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec(COL_ORDER, ("编号", "排序", "No.")),
    ColumnSpec(Column.PRINCIPALS.chinese, ("主要负责人", "单位主要负责人")),
    ColumnSpec(Column.DEPUTIES.chinese, ("分管领导", "分管责任人", "分管副职")),
    ColumnSpec(Column.DEPARTMENTS.chinese, ("责任部门", "责任单位", "主管科室", "牵头科室")),
    ColumnSpec(Column.RESPONSIBLE.chinese, ("科室负责人", "具体责任人", "直接责任人")),
    ColumnSpec(COL_DUTIES, ("重点职责", "安全生产职责", "工作职责", "主要职责")),
)
# The columns of a file, in the order of the table; the duties are the row's free text.
FILE_COLUMNS: tuple[Column, ...] = (
    Column.PRINCIPALS,
    Column.DEPUTIES,
    Column.DEPARTMENTS,
    Column.RESPONSIBLE,
)
# Without one of these a table is not a matrix: people alone state no field of work.
RECOGNISING = (Column.DEPARTMENTS.chinese, COL_DUTIES)

# MatrixEntry.text is a CharField(max_length=200); duties are free text, but a cell of more
# than this is a pasted document, not a row of a table.
MAX_NAME = 200
MAX_DUTIES = 2000
MAX_NAMES_PER_CELL = 100
MAX_ROWS = 2000
# How many spreadsheet rows a note about one name lists before "…".
ROWS_SHOWN = 8

TITLE = "安全生产责任制分工表"
SHEET_NAME = "责任制分工表"


class RowChange(StrEnum):
    ADD = "add"
    CHANGE = "change"
    REMOVE = "remove"

    @property
    def label(self) -> str:
        return _(_CHANGE_LABELS[self])


_CHANGE_LABELS = {
    RowChange.ADD: N_("Added"),
    RowChange.CHANGE: N_("Changed"),
    RowChange.REMOVE: N_("Removed"),
}


@dataclass(frozen=True)
class FileRow:
    """One row as the file states it: the names of each column, and the duties."""

    number: int  # spreadsheet row number, for messages
    names: dict[Column, tuple[str, ...]]
    duties: str

    @property
    def only_heads(self) -> bool:
        """Nothing but unit heads: often what a merged 单位负责人 block leaves below a table."""
        return not self.duties and all(
            not names for column, names in self.names.items() if column != Column.PRINCIPALS
        )

    @property
    def names_nothing(self) -> bool:
        """Duties with no department and nobody: kept, but worth a look."""
        return bool(self.duties) and not any(self.names.values())


@dataclass(frozen=True)
class PlannedRow:
    kind: RowChange
    position: int  # place in the matrix: the new one (added, changed), the old one (removed)
    row: int | None  # spreadsheet row (None for a removed row)
    description: str  # which row this is, for people: its departments, leaders or duties
    details: tuple[str, ...] = ()  # what changes, already translated


@dataclass(frozen=True)
class Unlinked:
    """A name that links to nobody and nothing: it will be kept as text."""

    column: Column
    text: str
    rows: tuple[int, ...]  # spreadsheet rows that have it

    def message(self) -> str:
        shown = "、".join(str(row) for row in self.rows[:ROWS_SHOWN])
        if len(self.rows) > ROWS_SHOWN:
            shown += "…"
        count = len(self.rows)
        if self.column == Column.DEPARTMENTS:
            text = ngettext(
                "“{name}” (row {rows}) is not a known department, village, community or "
                "field of work; it is kept as text.",
                "“{name}” (rows {rows}) is not a known department, village, community or "
                "field of work; it is kept as text.",
                count,
            )
        else:
            text = ngettext(
                "“{name}” ({column}, row {rows}) is neither a known person nor a title held "
                "by one person; it is kept as text.",
                "“{name}” ({column}, rows {rows}) is neither a known person nor a title held "
                "by one person; it is kept as text.",
                count,
            )
        return text.format(name=self.text, column=self.column.label, rows=shown)


@dataclass
class MatrixPlan:
    """What importing a file would do; made without writing anything."""

    source: Path
    day: dt.date
    rows: list[FileRow]
    matrix: list[MatrixLine]  # the matrix the import saves, linked on ``day``
    changes: list[PlannedRow] = field(default_factory=list)
    unchanged: int = 0
    unlinked: list[Unlinked] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)  # rows kept as they are but odd
    begun: int = 0  # assignments the matrix would begin from ``day``
    ended: int = 0  # assignments made by the matrix that would end the day before
    basis: str = ""  # fingerprint of the stored matrix the plan was made against

    @property
    def is_empty(self) -> bool:
        return not self.changes and not self.begun and not self.ended

    def count(self, kind: RowChange) -> int:
        return sum(1 for change in self.changes if change.kind == kind)

    def summary(self) -> str:
        if self.is_empty:
            return _("The file matches the matrix: nothing to change.")
        text = _("Rows added: {added}; changed: {changed}; removed: {removed}; unchanged: {same}.")
        return text.format(
            added=self.count(RowChange.ADD),
            changed=self.count(RowChange.CHANGE),
            removed=self.count(RowChange.REMOVE),
            same=self.unchanged,
        )

    def assignments_text(self) -> str:
        return _("Responsibilities the matrix states: {begun} begin, {ended} end.").format(
            begun=self.begun, ended=self.ended
        )

    def lines(self) -> list[str]:
        """The plan as text lines (CLI --dry-run, the GUI's preview)."""
        out = [
            _("Effective from {date}: {summary}").format(
                date=format_date(self.day), summary=self.summary()
            )
        ]
        if self.begun or self.ended:
            out.append(self.assignments_text())
        for change in self.changes:
            parts = [change.kind.label, str(change.position), change.description]
            if change.details:
                parts.append(pgettext("list of changes", "; ").join(change.details))
            out.append("\t".join(parts))
        out.extend(item.message() for item in self.unlinked)
        out.extend(note.text() for note in self.notes)
        return out


# ---------------------------------------------------------------------------- reading a file


def read_matrix_file(path: str | Path) -> tuple[str | None, list[FileRow]]:
    """The file's title and rows; InterchangeError naming every bad row (nothing is linked)."""
    path = Path(path)
    table = read_table(path, COLUMNS)
    if not any(name in table.columns for name in RECOGNISING):
        raise InterchangeError(
            [
                Problem(
                    table.header_row,
                    None,
                    _(
                        "this is not a responsibility matrix: the header has neither "
                        "{departments} nor {duties} (nor their other names: {synonyms})"
                    ).format(
                        departments=Column.DEPARTMENTS.chinese,
                        duties=COL_DUTIES,
                        synonyms="、".join(
                            synonym
                            for spec in COLUMNS
                            if spec.name in RECOGNISING
                            for synonym in spec.synonyms
                        ),
                    ),
                )
            ]
        )
    problems: list[Problem] = []
    rows: list[FileRow] = []
    for sheet_row in table.rows:
        values = sheet_row.values
        names: dict[Column, tuple[str, ...]] = {}
        for column in FILE_COLUMNS:
            if column.chinese not in values:
                continue
            cell = split_cell(values[column.chinese])
            too_long = [name for name in cell if len(name) > MAX_NAME]
            if too_long:
                problems.append(
                    Problem(
                        sheet_row.number,
                        column.chinese,
                        _("“{start}…” is longer than {limit} characters").format(
                            start=too_long[0][:12], limit=MAX_NAME
                        ),
                    )
                )
            elif len(cell) > MAX_NAMES_PER_CELL:
                problems.append(
                    Problem(
                        sheet_row.number,
                        column.chinese,
                        _("the cell names more than {limit} people or departments").format(
                            limit=MAX_NAMES_PER_CELL
                        ),
                    )
                )
            names[column] = tuple(cell)
        duties = normalize_cell(values.get(COL_DUTIES, ""))
        if len(duties) > MAX_DUTIES:
            problems.append(
                Problem(
                    sheet_row.number,
                    COL_DUTIES,
                    _("the duties are longer than {limit} characters").format(limit=MAX_DUTIES),
                )
            )
        if not duties and not any(names.values()):
            continue  # only a 序号: a numbered empty row of a template
        rows.append(FileRow(sheet_row.number, names, duties))
    if problems:
        raise InterchangeError(problems)
    if not rows:
        raise InterchangeError.single(_("The file has no rows of the matrix."))
    if len(rows) > MAX_ROWS:
        raise InterchangeError.single(
            _("The file has {count} rows; a matrix can have at most {limit}.").format(
                count=len(rows), limit=MAX_ROWS
            )
        )
    return table.title, rows


# ---------------------------------------------------------------------------- planning


def link_rows(rows: Sequence[FileRow], linker: Linker) -> list[MatrixLine]:
    """The rows as matrix lines, each name linked on the linker's day."""
    return [
        MatrixLine(
            {
                column: tuple(linker.entry(name, column) for name in names)
                for column, names in row.names.items()
                if names
            },
            row.duties,
        )
        for row in rows
    ]


def matrix_basis(lines: Sequence[MatrixLine]) -> str:
    """A fingerprint of a matrix: equal matrices, equal fingerprints (stable across runs)."""
    digest = hashlib.sha256()
    for line in lines:
        digest.update(repr(_signature(line, normalise=False)).encode())
        digest.update(b"\x00")
    return digest.hexdigest()


def _signature(line: MatrixLine, *, normalise: bool = True) -> tuple[object, ...]:
    """A line as comparable values; ``normalise`` cleans text the way an import would."""

    def text(entry: Entry) -> str:
        return normalize_name(entry.text) if normalise else entry.text

    return (
        tuple(
            tuple(
                (text(entry), entry.person_id, entry.unit_id, entry.post_title or None)
                for entry in line.cells.get(column, ())
            )
            for column in FILE_COLUMNS
        ),
        normalize_cell(line.duties) if normalise else line.duties,
    )


def describe(line: MatrixLine) -> str:
    """A row, recognisably and briefly: its departments, else its leaders, else its duties."""
    for column in (Column.DEPARTMENTS, Column.DEPUTIES, Column.RESPONSIBLE, Column.PRINCIPALS):
        text = line.text(column)
        if text:
            return _shorten(text)
    return _shorten(" ".join(line.duties.split())) or "—"


def _shorten(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _differences(old: MatrixLine, new: MatrixLine) -> list[str]:
    details: list[str] = []
    for column in FILE_COLUMNS:
        before = _signature(MatrixLine({column: old.cells.get(column, ())}, ""))[0]
        after = _signature(MatrixLine({column: new.cells.get(column, ())}, ""))[0]
        if before == after:
            continue
        old_text = SEPARATOR.join(normalize_name(e.text) for e in old.cells.get(column, ()))
        new_text = new.text(column)
        if old_text != new_text:
            details.append(
                _("{column}: {old} → {new}").format(
                    column=column.label, old=old_text or "—", new=new_text or "—"
                )
            )
        else:
            details.append(
                _("{column}: {names} now links differently").format(
                    column=column.label, names=new_text
                )
            )
    if normalize_cell(old.duties) != new.duties:
        details.append(
            _("{column}: {old} → {new}").format(
                column=_("Key work-safety duties"),
                old=_shorten(" ".join(old.duties.split())) or "—",
                new=_shorten(" ".join(new.duties.split())) or "—",
            )
        )
    return details


def assignment_effect(lines: Sequence[MatrixLine], day: dt.date) -> tuple[int, int]:
    """(begun, ended): what saving ``lines`` from ``day`` would do to the assignments."""
    changes = assignment_changes(lines, day)
    return changes.begun, changes.ended


def _unlinked(rows: Sequence[FileRow], lines: Sequence[MatrixLine]) -> list[Unlinked]:
    found: dict[tuple[Column, str], list[int]] = {}
    for row, line in zip(rows, lines, strict=True):
        for column in FILE_COLUMNS:
            for entry in line.cells.get(column, ()):
                if not entry.linked:
                    places = found.setdefault((column, entry.text), [])
                    if row.number not in places:
                        places.append(row.number)
    # Departments first: a mistyped department loses a field of work; then people.
    order = {column: rank for rank, column in enumerate((Column.DEPARTMENTS, *PEOPLE_COLUMNS))}
    return [
        Unlinked(column, text, tuple(places))
        for (column, text), places in sorted(found.items(), key=lambda item: order[item[0][0]])
    ]


def _notes(rows: Sequence[FileRow]) -> list[Problem]:
    notes: list[Problem] = []
    for row in rows:
        if row.names_nothing:
            notes.append(
                Problem(row.number, None, _("the row names no department and nobody; it is kept"))
            )
        elif row.only_heads:
            notes.append(Problem(row.number, None, _("the row names only unit heads; it is kept")))
    return notes


def plan_matrix_import(path: str | Path, day: dt.date) -> MatrixPlan:
    """Read ``path`` and compare it with the stored matrix, linking names on ``day``.

    Writes nothing; InterchangeError (with row numbers) for a file that cannot be imported.
    """
    path = Path(path)
    _title, rows = read_matrix_file(path)
    lines = link_rows(rows, Linker(day))
    current = load_matrix()
    plan = MatrixPlan(source=path, day=day, rows=rows, matrix=lines, basis=matrix_basis(current))
    for position, (row, line) in enumerate(zip(rows, lines, strict=True), start=1):
        if position > len(current):
            plan.changes.append(PlannedRow(RowChange.ADD, position, row.number, describe(line)))
            continue
        old = current[position - 1]
        if _signature(old) == _signature(line):
            plan.unchanged += 1
            continue
        plan.changes.append(
            PlannedRow(
                RowChange.CHANGE,
                position,
                row.number,
                describe(line),
                tuple(_differences(old, line)),
            )
        )
    for position in range(len(lines) + 1, len(current) + 1):
        plan.changes.append(
            PlannedRow(RowChange.REMOVE, position, None, describe(current[position - 1]))
        )
    plan.unlinked = _unlinked(rows, lines)
    plan.notes = _notes(rows)
    plan.begun, plan.ended = assignment_effect(lines, day)
    return plan


# ---------------------------------------------------------------------------- applying


def apply_matrix_plan(plan: MatrixPlan) -> None:
    """Save the plan's matrix in one transaction: all of it, or (on any error) nothing.

    Refuses a plan the database has moved away from since it was made: another matrix
    stored, or people, posts or units changed so that the names would link differently.
    """
    with database_proxy.atomic():
        stale = matrix_basis(load_matrix()) != plan.basis or (
            link_rows(plan.rows, Linker(plan.day)) != plan.matrix
        )
        if stale:
            raise InterchangeError.single(
                _(
                    "The matrix changed after the preview was made; import the file again "
                    "to see the changes it would make now."
                )
            )
        save_matrix(plan.matrix, plan.day)


def import_matrix(path: str | Path, day: dt.date) -> MatrixPlan:
    """Plan and apply in one go (scripts and tests); returns the plan applied."""
    plan = plan_matrix_import(path, day)
    if not plan.is_empty:
        apply_matrix_plan(plan)
    return plan


# ---------------------------------------------------------------------------- exporting


def export_rows(lines: Sequence[MatrixLine]) -> list[list[object]]:
    """The matrix as the file's rows: 序号, the names of each column joined "、", the duties."""
    return [
        [position, *(line.text(column) for column in FILE_COLUMNS), line.duties]
        for position, line in enumerate(lines, start=1)
    ]


def export_title() -> str:
    township = (
        Unit.select(Unit.name)
        .where(Unit.kind == UnitKind.TOWNSHIP.value)
        .order_by(Unit.id)
        .scalar()
    )
    return f"{township or ''}{TITLE}"


def export_matrix(path: str | Path) -> int:
    """Write the stored matrix to .xlsx or .csv; the number of rows written.

    In .xlsx, equal 单位负责人 cells one under another are merged, as clerks lay them out.
    """
    lines = load_matrix()
    return write_table(
        Path(path),
        [spec.name for spec in COLUMNS],
        export_rows(lines),
        title=export_title(),
        sheet_name=SHEET_NAME,
        merge_down=(1,),
    )
