"""Exports never hand a spreadsheet a live formula, and re-import unchanged.

Records whose text begins with = + - @ (after spaces, a tab, or in the full-width forms a
Chinese input method types, too) are exported by the roster and the matrix.  In the .xlsx no
cell is a formula (nor an error value) and every value is the stored text; in the .csv such
a cell carries the guard quote Excel shows as text, and reading the file back removes it.
Either file, imported again, changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.io.sources import guard, unguard
from app.io.spreadsheet import ColumnSpec, read_table, write_table
from app.io.text import normalize_cell
from app.responsibility.interchange import (
    FILE_COLUMNS,
    export_matrix,
    plan_matrix_import,
    read_matrix_file,
)
from app.responsibility.matrix import (
    Column,
    Linker,
    MatrixLine,
    load_matrix,
    save_matrix,
    split_cell,
)
from app.roster import service
from app.roster.interchange import export_roster, plan_import, read_roster_file
from app.roster.roles import GroupRole, OfficeRole
from app.storage.models import Person, Post, Unit

DAY = dt.date(2025, 3, 1)

# What Excel, WPS or LibreOffice would run (or might, after trimming spaces) if a CSV cell
# began with it.  Deliberately written apart from app.io.sources, so the test checks the
# rule instead of repeating it.
DANGEROUS = re.compile(r"[\t\r]|\s*[=+\-@＝＋－＠]")

FORMULAS = [
    "=1+1",
    '=HYPERLINK("http://example.invalid")',
    "=cmd|' /C calc'!A0",
    "+8613800000001",
    "-5",
    "-",
    "@SUM(A1)",
    "@",
    "＝1+1",
    "＋86 138",
    "－",
    "＠张三",
    "'=1+1",  # a quote the clerk typed: it must survive the guard
    "#N/A",
]
# Stored text with leading blanks: imports trim cells, but the GUI may keep what was typed.
PADDED = [" =1+1", "\t=1+1", "\u3000@SUM(A1)", "\r-5"]


def sheets_xml(path: Path) -> list[bytes]:
    with zipfile.ZipFile(path) as archive:
        return [
            archive.read(name)
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and name.endswith(".xml")
        ]


def assert_no_formula(path: Path) -> list[list[object]]:
    """No cell of the workbook is a formula or an error value; returns its values."""
    assert all(b"<f>" not in xml and b"<f " not in xml for xml in sheets_xml(path))
    sheet = openpyxl.load_workbook(path).active
    kinds = {(cell.coordinate, cell.data_type) for row in sheet.iter_rows() for cell in row}
    assert not [kind for kind in kinds if kind[1] in ("f", "e")], kinds
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and DANGEROUS.match(cell.value):
                assert cell.quotePrefix, cell.coordinate  # stays text when the clerk edits it
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fp:
        return list(csv.reader(fp))


def assert_guarded(rows: list[list[str]]) -> None:
    """No CSV cell begins with anything a spreadsheet would evaluate."""
    live = [cell for row in rows for cell in row if DANGEROUS.match(cell)]
    assert not live, live


# ---------------------------------------------------------------------------- the roster


MEMBERS = [
    # Titles are split at "/" and "、" on import: these formulas have neither.
    ("=1+1", GroupRole.LEADER, None, ('=HYPERLINK("example.invalid")',), "+8613800000001"),
    ("@SUM(A1)", GroupRole.DEPUTY, None, ("-副镇长", "+委员"), "-"),
    ("-5", GroupRole.MEMBER, OfficeRole.DIRECTOR, ("@办公室主任",), "=2+3"),
    ("＝王", GroupRole.MEMBER, None, ("＋组织委员", "－"), "＋86 138"),
    ("'=李", GroupRole.MEMBER, None, ("'=x", "#N/A"), "'-1"),
    ("张三", GroupRole.MEMBER, None, ("=cmd|'calc'!A0",), "@"),
]
GROUP_NAME = '=HYPERLINK("http://example.invalid")领导小组'


@pytest.fixture
def hostile_roster() -> list[tuple[str, str, str]]:
    """Members whose every text starts like a formula; returns (name, titles, phone) rows."""
    service.update_group(GROUP_NAME, "")
    for name, role, office, titles, phone in MEMBERS:
        member = service.MemberInput(name, role, office, titles, phone)
        service.add_member(member, dt.date(2025, 1, 1))
    lines = service.roster_as_of(DAY).lines
    assert {line.name for line in lines} == {member[0] for member in MEMBERS}
    return [(line.name, line.titles_text, line.phone) for line in lines]


def test_roster_xlsx_has_no_formula_and_keeps_every_text(
    tmp_path: Path, hostile_roster: list[tuple[str, str, str]]
) -> None:
    path = tmp_path / "roster.xlsx"
    export_roster(path, DAY)
    values = assert_no_formula(path)
    assert values[0][0] == f"{GROUP_NAME}成员名单"  # the title holds a user's text too
    assert [(row[1], row[3], row[4]) for row in values[2:]] == hostile_roster


def test_roster_csv_guards_every_formula_and_reads_back(
    tmp_path: Path, hostile_roster: list[tuple[str, str, str]]
) -> None:
    path = tmp_path / "roster.csv"
    export_roster(path, DAY)
    rows = csv_rows(path)
    assert_guarded(rows)
    body = [(row[1], row[3], row[4]) for row in rows[1:]]
    assert body == [tuple(guard(text) for text in member) for member in hostile_roster]


def test_roster_listing_as_csv_on_standard_output_is_guarded_too(
    hostile_roster: list[tuple[str, str, str]],
    fresh_database: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # "safeduty roster list --format csv > roster.csv" is a file a clerk may open in Excel.
    from app.cli import main

    assert main(["--db", str(fresh_database), "roster", "list", "--format", "csv"]) == 0
    rows = list(csv.reader(capsys.readouterr().out.splitlines()))
    assert_guarded(rows)
    assert sorted(unguard(row[1]) for row in rows[1:]) == sorted(m[0] for m in MEMBERS)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_roster_export_reimports_unchanged(
    tmp_path: Path, hostile_roster: list[tuple[str, str, str]], suffix: str
) -> None:
    path = tmp_path / f"roster{suffix}"
    export_roster(path, DAY)
    _title, rows = read_roster_file(path)
    assert [(row.name, "、".join(row.titles or ()), row.phone) for row in rows] == hostile_roster
    plan = plan_import(path, DAY)
    assert plan.is_empty, plan.lines()


# ---------------------------------------------------------------------------- the matrix


@pytest.fixture
def hostile_matrix() -> list[MatrixLine]:
    """A matrix whose names, departments and duties start like formulas, some after blanks."""
    root = Unit.create(name="=1+1镇", kind="township")
    Unit.create(name="@应急办", kind="department", parent=root)
    person = Person.create(name="=周建国")
    Post.create(person=person, title="-镇长", kind="township_head", start_date=DAY)
    texts = FORMULAS + PADDED
    linker = Linker(DAY)
    lines = [
        MatrixLine(
            {
                Column.PRINCIPALS: (linker.entry("=周建国", Column.PRINCIPALS),),
                Column.DEPUTIES: (linker.entry("-镇长", Column.DEPUTIES),),
                Column.DEPARTMENTS: (
                    linker.entry("@应急办", Column.DEPARTMENTS),
                    linker.entry(text.strip() or "x", Column.DEPARTMENTS),
                ),
                Column.RESPONSIBLE: (linker.entry(text.strip() or "x", Column.RESPONSIBLE),),
            },
            text,
        )
        for text in texts
    ]
    save_matrix(lines, DAY)
    return load_matrix()


def test_matrix_xlsx_has_no_formula_and_keeps_every_text(
    tmp_path: Path, hostile_matrix: list[MatrixLine]
) -> None:
    path = tmp_path / "matrix.xlsx"
    export_matrix(path)
    values = assert_no_formula(path)
    assert values[0][0] == "=1+1镇安全生产责任制分工表"
    body = values[2:]
    # XML reads a carriage return as a line break; anything else comes back as stored.
    assert [row[5] for row in body] == [line.duties.replace("\r", "\n") for line in hostile_matrix]
    for row, line in zip(body, hostile_matrix, strict=True):
        # 单位负责人 is merged down the table: only its first row carries the text.
        assert row[2:5] == [line.text(column) for column in FILE_COLUMNS[1:]]


def test_matrix_csv_guards_every_formula_and_reads_back(
    tmp_path: Path, hostile_matrix: list[MatrixLine]
) -> None:
    path = tmp_path / "matrix.csv"
    export_matrix(path)
    rows = csv_rows(path)
    assert_guarded(rows)
    assert [row[5] for row in rows[1:]] == [guard(line.duties) for line in hostile_matrix]
    assert [unguard(row[5]) for row in rows[1:]] == [line.duties for line in hostile_matrix]


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_matrix_export_reimports_unchanged(
    tmp_path: Path, hostile_matrix: list[MatrixLine], suffix: str
) -> None:
    path = tmp_path / f"matrix{suffix}"
    export_matrix(path)
    _title, rows = read_matrix_file(path)
    # Imports trim cells: " =1+1" comes back as "=1+1", just as from any clerk's file.
    assert [row.duties for row in rows] == [normalize_cell(ln.duties) for ln in hostile_matrix]
    plan = plan_matrix_import(path, DAY)
    assert plan.is_empty, plan.lines()


# ---------------------------------------------------------------------------- any text

ANY_TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(FORMULAS + PADDED).flatmap(
        lambda start: st.text(max_size=10).map(lambda rest: start + rest)
    ),
    st.text(alphabet=st.sampled_from(list("'= +-@\t\r＝＋－＠ 　")), max_size=6),
)


@given(text=ANY_TEXT)
def test_the_guard_always_reads_back_and_never_leaves_a_formula(text: str) -> None:
    assert unguard(guard(text)) == text
    assert not DANGEROUS.match(guard(text))
    # Text the clerk wrote without a formula-like start is left alone (no stray quotes).
    assert (guard(text) == text) == (not DANGEROUS.match(text.lstrip("'")))


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(texts=st.lists(ANY_TEXT, min_size=1, max_size=6), suffix=st.sampled_from([".xlsx", ".csv"]))
def test_any_stored_text_exports_as_text_and_reads_back(
    tmp_path: Path, texts: list[str], suffix: str
) -> None:
    # Stored values are what an import would store: cleaned cells.
    values = [normalize_cell(text) for text in texts]
    path = tmp_path / f"any{suffix}"
    write_table(path, ["序号", "内容"], [[index, value] for index, value in enumerate(values, 1)])
    if suffix == ".xlsx":
        assert_no_formula(path)
    else:
        assert_guarded(csv_rows(path))
    table = read_table(path, [ColumnSpec("序号"), ColumnSpec("内容", required=True)])
    assert [row.values["内容"] for row in table.rows] == values


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    cells=st.lists(st.tuples(ANY_TEXT, ANY_TEXT, ANY_TEXT), min_size=1, max_size=5),
    suffix=st.sampled_from([".xlsx", ".csv"]),
)
def test_any_matrix_the_import_could_store_reimports_unchanged(
    tmp_path: Path, cells: list[tuple[str, str, str]], suffix: str
) -> None:
    # Built the way an import builds it: the cell split into names, each linked; the duties
    # cleaned.  Whatever the text, the export must give back the same matrix.
    linker = Linker(DAY)
    lines = []
    for departments, responsible, duties in cells:
        row = {
            Column.DEPARTMENTS: tuple(
                linker.entry(name, Column.DEPARTMENTS) for name in split_cell(departments)
            ),
            Column.RESPONSIBLE: tuple(
                linker.entry(name, Column.RESPONSIBLE) for name in split_cell(responsible)
            ),
        }
        lines.append(MatrixLine({k: v for k, v in row.items() if v}, normalize_cell(duties)))
    lines = [line for line in lines if line.duties or line.cells] or [MatrixLine({}, "x")]
    save_matrix(lines, DAY)
    path = tmp_path / f"matrix{suffix}"
    export_matrix(path)
    if suffix == ".xlsx":
        assert_no_formula(path)
    else:
        assert_guarded(csv_rows(path))
    plan = plan_matrix_import(path, DAY)
    assert plan.is_empty, plan.lines()
