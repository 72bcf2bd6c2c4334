"""The responsibility matrix in clerks' spreadsheets: plans, links, refusals, round trips."""

from __future__ import annotations

import csv
import datetime as dt
import sqlite3
from pathlib import Path

import openpyxl
import pytest

from app.demo import create_demo
from app.io.errors import InterchangeError
from app.io.spreadsheet import write_table
from app.responsibility.assignments import FROM_MATRIX
from app.responsibility.interchange import (
    MAX_DUTIES,
    MAX_NAME,
    MAX_ROWS,
    RowChange,
    apply_matrix_plan,
    assignment_effect,
    export_matrix,
    import_matrix,
    plan_matrix_import,
    read_matrix_file,
)
from app.responsibility.levels import Level
from app.responsibility.matrix import (
    Column,
    Entry,
    MatrixLine,
    load_matrix,
    save_matrix,
    split_cell,
)
from app.storage.db import database_path
from app.storage.models import Assignment, Person, Post, Unit

DAY = dt.date(2025, 3, 1)
START = dt.date(2020, 1, 1)
HEADER = ["序号", "单位负责人", "分管负责人", "责任科室", "责任人", "安全生产重点职责"]
ROWS = [
    [1, "周建国、镇长", "郑平", "应急管理办公室", "钱多", "统筹全镇安全生产综合监管"],
    [2, "周建国、镇长", "张三（组织委员）", "财政所、经济发展办公室", "孙立、李四", "督促分管科室"],
    [3, "周建国、镇长", "副镇长", "应急办", "", "=负责节假日检查"],
]


@pytest.fixture
def township() -> dict[str, int]:
    """A small township: principals, a safety deputy, two deputies sharing a title, heads."""
    root = Unit.create(name="青禾镇", kind="township")
    units = {
        name: Unit.create(name=name, kind="department", parent=root, sort_order=order).id
        for order, name in enumerate(["应急管理办公室", "财政所", "经济发展办公室"], start=1)
    }
    units["常青村"] = Unit.create(name="常青村", kind="village", parent=root, sort_order=9).id
    people: dict[str, int] = {}
    for name, title, kind in [
        ("周建国", "镇党委书记", "party_secretary"),
        ("吴海", "镇长", "township_head"),
        ("郑平", "副镇长", "safety_deputy"),
        ("王丽", "副镇长", "deputy"),
        ("张三", "组织委员", "deputy"),
        ("钱多", "应急管理办公室主任", "department_head"),
        ("孙立", "财政所所长", "department_head"),
    ]:
        person = Person.create(name=name)
        Post.create(person=person, title=title, kind=kind, start_date=START)
        people[name] = person.id
    return {**people, **{f"unit:{k}": v for k, v in units.items()}}


def workbook(
    path: Path,
    rows: list[list[object]],
    *,
    header: list[str] = HEADER,
    title: str | None = "青禾镇安全生产责任制分工表",
    merge_column: int | None = None,
) -> Path:
    """A matrix as a township keeps it: a merged title, a header, optionally a merged column
    (1-based) whose runs of equal values are merged the way clerks do it."""
    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append(header)
    first = sheet.max_row + 1
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # typed as text in Excel, not a formula
    if merge_column is not None:
        values = [r[merge_column - 1] for r in rows]
        start = 0
        for index in range(1, len(values) + 1):
            if index == len(values) or values[index] != values[start]:
                if index - start > 1:
                    sheet.merge_cells(
                        start_row=first + start,
                        start_column=merge_column,
                        end_row=first + index - 1,
                        end_column=merge_column,
                    )
                start = index
    book.save(path)
    return path


def db_snapshot() -> dict[str, list[tuple]]:
    """Every row of the tables an import touches, to prove a refused file wrote nothing."""
    path = database_path()
    assert path is not None
    conn = sqlite3.connect(path)
    try:
        return {
            table: sorted(conn.execute(f"SELECT * FROM {table}").fetchall())
            for table in ("matrix_row", "matrix_entry", "assignment")
        }
    finally:
        conn.close()


def entries(line: MatrixLine, column: Column) -> list[tuple[object, ...]]:
    return [(e.text, e.person_id, e.unit_id, e.post_title) for e in line.cells.get(column, ())]


# ---------------------------------------------------------------------------- reading


def test_reads_title_synonyms_merged_cells_and_splits_names(tmp_path: Path) -> None:
    header = ["编号", "主要负责人", "分管领导", "责任部门", "科室负责人", "重点职责"]
    rows = [
        [1, "周建国、吴海", "郑  平", "应急管理办公室", "钱　多", "统筹"],
        [2, "周建国、吴海", "张三", "财政所、经济发展办公室", "孙立\n李四", "督促"],
        [3, "周建国、吴海", "张三（分管财政、经济）", "常青村", "", ""],
    ]
    file = workbook(tmp_path / "m.xlsx", rows, header=header, merge_column=2)
    title, read = read_matrix_file(file)
    assert title == "青禾镇安全生产责任制分工表"
    assert [row.number for row in read] == [3, 4, 5]
    # The merged block means the same heads on every row; padding goes; "、" and line
    # breaks separate names, but not inside brackets.
    assert all(row.names[Column.PRINCIPALS] == ("周建国", "吴海") for row in read)
    assert read[0].names[Column.DEPUTIES] == ("郑平",)
    assert read[0].names[Column.RESPONSIBLE] == ("钱多",)
    assert read[1].names[Column.DEPARTMENTS] == ("财政所", "经济发展办公室")
    assert read[1].names[Column.RESPONSIBLE] == ("孙立", "李四")
    assert read[2].names[Column.DEPUTIES] == ("张三（分管财政、经济）",)
    assert read[2].duties == ""
    assert [row.duties for row in read[:2]] == ["统筹", "督促"]


def test_split_names_separators_and_brackets() -> None:
    assert split_cell("应急办、财政所，经发办;  派出所\n文化站") == [
        "应急办",
        "财政所",
        "经发办",
        "派出所",
        "文化站",
    ]
    assert split_cell("张三（副镇长、分管农业）、李  四") == ["张三（副镇长、分管农业）", "李四"]
    assert split_cell(" 、 ") == []


def test_rows_with_only_a_number_are_template_padding_and_are_skipped(tmp_path: Path) -> None:
    rows = [[1, "周建国", "郑平", "应急管理办公室", "钱多", "统筹"], [2, "", "", "", "", ""]]
    rows.append([3, "", "", "", "", ""])
    _title, read = read_matrix_file(workbook(tmp_path / "m.xlsx", rows))
    assert [row.number for row in read] == [3]


def test_rows_with_only_unit_heads_are_kept_with_a_note(
    tmp_path: Path, township: dict[str, int]
) -> None:
    # A template's numbered rows under a merged 单位负责人 block: kept (nothing is dropped
    # silently), and pointed out.
    rows = [[n, "周建国", "", "", "", ""] for n in (1, 2, 3)]
    rows[0][3:6] = ["应急管理办公室", "钱多", "统筹"]
    plan = plan_matrix_import(workbook(tmp_path / "m.xlsx", rows, merge_column=2), DAY)
    assert len(plan.matrix) == 3
    assert [note.row for note in plan.notes] == [4, 5]
    assert all(note.text() in plan.lines() for note in plan.notes)


def test_a_file_without_departments_or_duties_is_not_a_matrix(tmp_path: Path) -> None:
    file = workbook(tmp_path / "m.xlsx", [[1, "周建国", "组长"]], header=["序号", "姓名", "职务"])
    with pytest.raises(InterchangeError) as caught:
        read_matrix_file(file)
    assert "责任科室" in str(caught.value)
    file = workbook(tmp_path / "p.xlsx", [["周建国", "郑平"]], header=["单位负责人", "分管负责人"])
    with pytest.raises(InterchangeError) as caught:
        read_matrix_file(file)
    message = str(caught.value)
    assert "责任科室" in message and "安全生产重点职责" in message and "责任部门" in message


def test_a_file_with_only_duties_and_departments_is_enough(tmp_path: Path) -> None:
    file = workbook(tmp_path / "m.xlsx", [["财政所", "管好钱"]], header=["主管科室", "工作职责"])
    _title, read = read_matrix_file(file)
    assert read[0].names == {Column.DEPARTMENTS: ("财政所",)}
    assert read[0].duties == "管好钱"


# ---------------------------------------------------------------------------- planning, linking


def test_import_into_an_empty_matrix_links_what_it_can(
    tmp_path: Path, township: dict[str, int]
) -> None:
    plan = plan_matrix_import(workbook(tmp_path / "m.xlsx", ROWS), DAY)
    assert [c.kind for c in plan.changes] == [RowChange.ADD] * 3
    assert [c.row for c in plan.changes] == [3, 4, 5]
    assert Assignment.select().count() == 0 and not load_matrix()  # planning writes nothing
    apply_matrix_plan(plan)
    lines = load_matrix()
    assert len(lines) == 3
    first, second, third = lines
    assert entries(first, Column.PRINCIPALS) == [
        ("周建国", township["周建国"], None, None),
        ("镇长", None, None, "镇长"),  # a title one person holds: its holder on any day
    ]
    assert entries(first, Column.DEPARTMENTS) == [
        ("应急管理办公室", None, township["unit:应急管理办公室"], None)
    ]
    assert entries(second, Column.DEPUTIES) == [("张三（组织委员）", township["张三"], None, None)]
    assert entries(second, Column.RESPONSIBLE) == [
        ("孙立", township["孙立"], None, None),
        ("李四", None, None, None),  # nobody of that name: stays text
    ]
    # "副镇长" is held by two people: it names nobody in particular.
    assert entries(third, Column.DEPUTIES) == [("副镇长", None, None, None)]
    assert entries(third, Column.DEPARTMENTS) == [("应急办", None, None, None)]
    assert third.duties == "=负责节假日检查"


def test_plan_reports_names_that_stay_text_departments_first(
    tmp_path: Path, township: dict[str, int]
) -> None:
    plan = plan_matrix_import(workbook(tmp_path / "m.xlsx", ROWS), DAY)
    assert [(u.column, u.text, u.rows) for u in plan.unlinked] == [
        (Column.DEPARTMENTS, "应急办", (5,)),
        (Column.DEPUTIES, "副镇长", (5,)),
        (Column.RESPONSIBLE, "李四", (4,)),
    ]
    text = "\n".join(plan.lines())
    assert "应急办" in text and "李四" in text and "副镇长" in text
    assert "周建国" not in "\n".join(u.message() for u in plan.unlinked)


def test_plan_counts_the_assignments_it_would_begin_and_end(
    tmp_path: Path, township: dict[str, int]
) -> None:
    plan = plan_matrix_import(workbook(tmp_path / "m.xlsx", ROWS), DAY)
    # Principals lead the township; 郑平 (the safety deputy) supervises 应急管理办公室 and
    # 钱多 answers for it directly; 张三 leads 财政所 and 经济发展办公室, 孙立 answers for both.
    assert (plan.begun, plan.ended) == (2 + 2 + 2 + 2, 0)
    apply_matrix_plan(plan)
    made = {
        (a.person_id, a.unit_id): a.level
        for a in Assignment.select().where(Assignment.source == FROM_MATRIX)
    }
    assert len(made) == plan.begun
    assert made[(township["郑平"], township["unit:应急管理办公室"])] == Level.SUPERVISION.value
    assert made[(township["张三"], township["unit:财政所"])] == Level.DIRECT_LEADERSHIP.value
    # A year later, the second row goes: its fields of work end, nothing else changes.
    later = dt.date(2026, 1, 1)
    file = workbook(tmp_path / "m2.xlsx", [ROWS[0], ROWS[2]])
    plan = plan_matrix_import(file, later)
    assert (plan.begun, plan.ended) == (0, 4)
    assert [c.kind for c in plan.changes] == [RowChange.CHANGE, RowChange.REMOVE]
    apply_matrix_plan(plan)
    ended = Assignment.select().where(Assignment.end_date == later - dt.timedelta(days=1))
    assert ended.count() == 4
    assert assignment_effect(load_matrix(), later) == (0, 0)


def test_changes_are_compared_row_by_row(tmp_path: Path, township: dict[str, int]) -> None:
    import_matrix(workbook(tmp_path / "m.xlsx", ROWS), DAY)
    rows = [list(r) for r in ROWS]
    rows[0][4] = "钱多、李四"
    rows[1][5] = "督促分管科室落实责任"
    del rows[2]
    rows.append([3, "周建国", "王丽", "常青村", "", "包保常青村"])
    rows.append([4, "", "", "", "", "一般要求"])
    plan = plan_matrix_import(workbook(tmp_path / "m2.xlsx", rows), DAY)
    assert [(c.kind, c.position) for c in plan.changes] == [
        (RowChange.CHANGE, 1),
        (RowChange.CHANGE, 2),
        (RowChange.CHANGE, 3),
        (RowChange.ADD, 4),
    ]
    assert plan.unchanged == 0
    assert any("钱多、李四" in detail for detail in plan.changes[0].details)
    assert any("督促分管科室落实责任" in detail for detail in plan.changes[1].details)
    assert plan.changes[2].description == "常青村"
    # A row with duties but nobody named is kept, with a note so the clerk can check it.
    assert [note.row for note in plan.notes] == [6]
    assert plan.notes[0].text() in plan.lines()
    apply_matrix_plan(plan)
    assert len(load_matrix()) == 4
    assert load_matrix()[3].cells == {} and load_matrix()[3].duties == "一般要求"


def test_removed_rows_are_listed(tmp_path: Path, township: dict[str, int]) -> None:
    import_matrix(workbook(tmp_path / "m.xlsx", ROWS), DAY)
    plan = plan_matrix_import(workbook(tmp_path / "m2.xlsx", ROWS[:1]), DAY)
    assert [(c.kind, c.position, c.description) for c in plan.changes] == [
        (RowChange.REMOVE, 2, "财政所、经济发展办公室"),
        (RowChange.REMOVE, 3, "应急办"),
    ]
    assert plan.unchanged == 1
    assert "1" in plan.summary() and "2" in plan.summary()


# ---------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_reimports_with_no_changes(
    tmp_path: Path, township: dict[str, int], suffix: str
) -> None:
    import_matrix(workbook(tmp_path / "m.xlsx", ROWS), DAY)
    before = db_snapshot()
    out = tmp_path / f"out{suffix}"
    assert export_matrix(out) == 3
    plan = plan_matrix_import(out, DAY)
    assert plan.changes == [] and plan.unchanged == 3
    assert plan.is_empty and (plan.begun, plan.ended) == (0, 0)
    assert import_matrix(out, DAY).is_empty
    assert db_snapshot() == before


def test_xlsx_export_merges_equal_heads_and_joins_names(
    tmp_path: Path, township: dict[str, int]
) -> None:
    import_matrix(workbook(tmp_path / "m.xlsx", ROWS), DAY)
    out = tmp_path / "out.xlsx"
    export_matrix(out)
    sheet = openpyxl.load_workbook(out).active
    assert sheet.cell(1, 1).value == "青禾镇安全生产责任制分工表"
    assert [c.value for c in sheet[2]] == HEADER
    assert "B3:B5" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet.cell(3, 2).value == "周建国、镇长"
    assert sheet.cell(4, 4).value == "财政所、经济发展办公室"
    assert [sheet.cell(r, 1).value for r in (3, 4, 5)] == [1, 2, 3]
    # Text that looks like a formula stays text.
    duties = sheet.cell(5, 6)
    assert duties.value == "=负责节假日检查" and duties.data_type == "s"


def test_merged_cells_from_a_clerks_file_round_trip(
    tmp_path: Path, township: dict[str, int]
) -> None:
    rows = [
        [1, "周建国、吴海", "郑平", "应急管理办公室", "钱多", "统筹"],
        [2, "周建国、吴海", "郑平", "财政所", "孙立", "统筹"],
        [3, "周建国、吴海", "张三", "经济发展办公室", "", "督促"],
    ]
    file = workbook(tmp_path / "m.xlsx", rows, merge_column=3)
    sheet = openpyxl.load_workbook(file).active
    assert sheet.cell(4, 3).value is None  # only the top cell of the block has the name
    import_matrix(file, DAY)
    assert [line.text(Column.DEPUTIES) for line in load_matrix()] == ["郑平", "郑平", "张三"]
    out = tmp_path / "out.xlsx"
    export_matrix(out)
    assert plan_matrix_import(out, DAY).is_empty
    assert plan_matrix_import(file, DAY).is_empty


def test_demo_matrix_exports_and_reimports_row_for_row(tmp_path: Path) -> None:
    create_demo(1, today=DAY)
    stored = load_matrix()
    assert stored, "the demo fills the matrix"
    out = tmp_path / "demo.xlsx"
    assert export_matrix(out) == len(stored)
    plan = plan_matrix_import(out, DAY)
    # Rows compare equal, links included; the demo's hand-overs renamed the matrix's
    # entries along with the fields of work they passed, so nothing moves back either.
    assert plan.changes == [] and plan.unchanged == len(stored)
    assert plan.unlinked == []
    assert (plan.begun, plan.ended) == (0, 0) and plan.is_empty


def test_padding_in_stored_names_is_no_change(tmp_path: Path, township: dict[str, int]) -> None:
    line = MatrixLine(
        {
            Column.DEPUTIES: (Entry("郑 平", person_id=township["郑平"]),),
            Column.DEPARTMENTS: (Entry("财政所", unit_id=township["unit:财政所"]),),
        },
        "统筹",
    )
    save_matrix([line], DAY)
    out = tmp_path / "out.csv"
    export_matrix(out)
    assert plan_matrix_import(out, DAY).changes == []


# ---------------------------------------------------------------------------- refusals


def test_bad_rows_are_refused_with_row_and_reason_and_nothing_written(
    tmp_path: Path, township: dict[str, int]
) -> None:
    import_matrix(workbook(tmp_path / "ok.xlsx", ROWS), DAY)
    before = db_snapshot()
    rows = [list(r) for r in ROWS]
    rows[0][4] = "钱多、" + "长" * (MAX_NAME + 1)
    rows[2][5] = "职" * (MAX_DUTIES + 1)
    with pytest.raises(InterchangeError) as caught:
        plan_matrix_import(workbook(tmp_path / "bad.xlsx", rows), DAY)
    problems = caught.value.problems
    assert [(p.row, p.column) for p in problems] == [(3, "责任人"), (5, "安全生产重点职责")]
    assert str(MAX_NAME) in problems[0].reason and str(MAX_DUTIES) in problems[1].reason
    assert db_snapshot() == before


def test_a_header_merged_over_the_next_column_is_refused_not_half_read(
    tmp_path: Path, township: dict[str, int]
) -> None:
    # 责任科室 merged over D2:E2 with the 责任人 in column E: read, the 责任人 column would be
    # missing, and applying would end every responsibility it states.
    import_matrix(workbook(tmp_path / "ok.xlsx", ROWS), DAY)
    before = db_snapshot()
    path = workbook(tmp_path / "merged.xlsx", ROWS, header=[*HEADER[:4], "", HEADER[5]])
    book = openpyxl.load_workbook(path)
    book.active.merge_cells("D2:E2")
    book.save(path)
    with pytest.raises(InterchangeError) as caught:
        plan_matrix_import(path, DAY)
    [problem] = caught.value.problems
    assert problem.row == 3 and "E" in problem.reason and "责任科室" in problem.reason
    assert db_snapshot() == before


def test_empty_files_are_refused(tmp_path: Path, township: dict[str, int]) -> None:
    before = db_snapshot()
    header_only = workbook(tmp_path / "h.xlsx", [])
    blank = tmp_path / "blank.csv"
    blank.write_text("", encoding="utf-8")
    numbered = workbook(tmp_path / "n.xlsx", [[1, "", "", "", "", ""], [2, "", "", "", "", ""]])
    for file in (header_only, blank, numbered):
        with pytest.raises(InterchangeError) as caught:
            plan_matrix_import(file, DAY)
        assert str(caught.value)
    assert db_snapshot() == before


def test_more_rows_than_a_matrix_can_have_are_refused(
    tmp_path: Path, township: dict[str, int]
) -> None:
    file = tmp_path / "big.csv"
    with file.open("w", encoding="utf-8-sig", newline="") as fp:
        writer = csv.writer(fp)
        writer.writerow(HEADER)
        for index in range(MAX_ROWS + 1):
            writer.writerow([index + 1, "", "", "财政所", "", f"第{index}条"])
    with pytest.raises(InterchangeError) as caught:
        plan_matrix_import(file, DAY)
    assert str(MAX_ROWS) in str(caught.value)
    assert not load_matrix()


def test_a_plan_made_before_the_matrix_changed_is_refused(
    tmp_path: Path, township: dict[str, int]
) -> None:
    import_matrix(workbook(tmp_path / "m.xlsx", ROWS), DAY)
    plan = plan_matrix_import(workbook(tmp_path / "m2.xlsx", ROWS[:2]), DAY)
    # Meanwhile, in another window: the matrix is edited.
    lines = load_matrix()
    save_matrix([*lines, MatrixLine({}, "新增职责")], DAY)
    before = db_snapshot()
    with pytest.raises(InterchangeError) as caught:
        apply_matrix_plan(plan)
    assert "again" in str(caught.value) or "重新" in str(caught.value)
    assert db_snapshot() == before


def test_a_plan_whose_names_would_now_link_differently_is_refused(
    tmp_path: Path, township: dict[str, int]
) -> None:
    plan = plan_matrix_import(workbook(tmp_path / "m.xlsx", ROWS), DAY)
    # Meanwhile: 李四 is entered, so row 4's 责任人 would now link to a person.
    Person.create(name="李四")
    before = db_snapshot()
    with pytest.raises(InterchangeError):
        apply_matrix_plan(plan)
    assert db_snapshot() == before
    apply_matrix_plan(plan_matrix_import(workbook(tmp_path / "m.xlsx", ROWS), DAY))
    assert load_matrix()[1].cells[Column.RESPONSIBLE][1].person_id is not None


def test_failure_while_applying_rolls_everything_back(
    tmp_path: Path, township: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    import_matrix(workbook(tmp_path / "m.xlsx", ROWS[:1]), DAY)
    plan = plan_matrix_import(workbook(tmp_path / "m2.xlsx", ROWS), DAY)
    before = db_snapshot()

    def broken(*_args: object, **_kwargs: object) -> tuple[int, int]:
        raise OSError("disk gone")

    monkeypatch.setattr("app.responsibility.matrix.sync_assignments", broken)
    with pytest.raises(OSError):
        apply_matrix_plan(plan)
    assert db_snapshot() == before


# ---------------------------------------------------------------------------- write_table


def test_write_table_merges_only_runs_of_equal_text_when_asked(tmp_path: Path) -> None:
    rows = [["a", 1], ["a", 1], ["", 2], ["", 3], ["b", 4], ["a", 5]]
    plain = tmp_path / "plain.xlsx"
    write_table(plain, ["x", "y"], rows, title="T")
    assert {str(r) for r in openpyxl.load_workbook(plain).active.merged_cells.ranges} == {"A1:B1"}
    merged = tmp_path / "merged.xlsx"
    assert write_table(merged, ["x", "y"], rows, title="T", merge_down=(0, 1)) == 6
    ranges = {str(r) for r in openpyxl.load_workbook(merged).active.merged_cells.ranges}
    assert ranges == {"A1:B1", "A3:A4"}  # numbers and empty cells never merge
    # A CSV has nothing to merge; the option changes nothing there.
    write_table(tmp_path / "m.csv", ["x", "y"], rows, merge_down=(0,))
    assert (tmp_path / "m.csv").read_text(encoding="utf-8-sig").splitlines()[2] == "a,1"
