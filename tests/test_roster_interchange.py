"""Roster files as clerks keep them: import plans, all-or-nothing writes, bad files, round trips."""

from __future__ import annotations

import csv
import datetime as dt
import sqlite3
from pathlib import Path

import openpyxl
import pytest

from app.cli import main
from app.io.errors import InterchangeError
from app.roster import service
from app.roster.interchange import (
    ChangeKind,
    apply_plan,
    export_roster,
    import_roster,
    plan_import,
    read_roster_file,
)
from app.roster.roles import GroupRole, OfficeRole
from app.storage.db import database_path, database_proxy
from app.storage.models import GroupMembership, Person, Post, Unit

DAY = dt.date(2025, 3, 1)
HEADER = ["序号", "姓  名", "领导小组职务", "现任职务", "联系电话"]
MEMBERS = [
    [1, "周建国", "组长", "镇党委书记", "13800000001"],
    [2, "吴  海", "组长", "镇党委副书记、镇长", ""],
    [3, "郑平", "常务副组长", "镇党委委员、副镇长", ""],
    [4, "王丽", "副组长", "组织委员", ""],
    [5, "林　涛", "副组长", "宣传委员", ""],
    [6, "闫旻", "成员", "组织委员、常青村党总支书记、主任", ""],
    [7, "钱多", "成员、办公室主任", "应急管理办公室主任", ""],
    [8, "孙立", "成员", "派出所所长", ""],
]


def workbook(path: Path, rows: list[list[object]], *, merge_roles: bool = True) -> Path:
    """A roster the way a township keeps it: a merged title row, then a header, merged roles."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["青禾镇安全生产领导小组成员名单"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    if merge_roles:
        # Merge each run of equal role cells the way clerks do; only the top cell keeps text.
        first = 3
        values = [r[2] for r in rows]
        start = 0
        for index in range(1, len(values) + 1):
            if index == len(values) or values[index] != values[start]:
                if index - start > 1:
                    sheet.merge_cells(
                        start_row=first + start,
                        start_column=3,
                        end_row=first + index - 1,
                        end_column=3,
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
            for table in ("person", "post", "group_membership", "leading_group")
        }
    finally:
        conn.close()


@pytest.fixture
def township() -> None:
    root = Unit.create(name="青禾镇", kind="township")
    Unit.create(name="常青村", kind="village", parent=root)


def test_reads_title_row_synonyms_merged_roles_and_padded_names(tmp_path: Path) -> None:
    title, rows = read_roster_file(workbook(tmp_path / "r.xlsx", MEMBERS))
    assert title == "青禾镇安全生产领导小组成员名单"
    assert [r.name for r in rows] == [
        "周建国",
        "吴海",
        "郑平",
        "王丽",
        "林涛",
        "闫旻",
        "钱多",
        "孙立",
    ]
    assert [r.role for r in rows] == [GroupRole.LEADER] * 2 + [GroupRole.EXECUTIVE_DEPUTY] + [
        GroupRole.DEPUTY
    ] * 2 + [GroupRole.MEMBER] * 3
    yan = rows[5]
    assert yan.titles == ("组织委员", "常青村党总支书记", "主任")
    assert rows[6].office_role == OfficeRole.DIRECTOR
    assert rows[0].phone == "13800000001"


def test_role_written_only_on_the_first_row_of_its_block_carries_down(tmp_path: Path) -> None:
    rows = [list(r) for r in MEMBERS]
    rows[1][2] = ""  # 吴海 under 周建国's 组长
    rows[4][2] = None  # 林涛 under 王丽's 副组长
    _, parsed = read_roster_file(workbook(tmp_path / "r.xlsx", rows, merge_roles=False))
    assert parsed[1].role == GroupRole.LEADER
    assert parsed[4].role == GroupRole.DEPUTY


def test_import_into_an_empty_database_adds_everyone(tmp_path: Path, township: None) -> None:
    plan = plan_import(workbook(tmp_path / "r.xlsx", MEMBERS), DAY)
    assert plan.count(ChangeKind.ADD) == 8 and plan.count(ChangeKind.LEAVE) == 0
    apply_plan(plan)
    snapshot = service.roster_as_of(DAY)
    assert [ln.name for ln in snapshot.lines] == [
        r[1].replace(" ", "").replace("　", "") for r in MEMBERS
    ]
    assert snapshot.group_name == "青禾镇安全生产领导小组"
    assert service.roster_as_of(DAY - dt.timedelta(days=1)).lines == ()
    director = snapshot.office_holders(OfficeRole.DIRECTOR)
    assert [ln.name for ln in director] == ["钱多"]


def test_export_reimports_unchanged(tmp_path: Path, township: None) -> None:
    import_roster(workbook(tmp_path / "r.xlsx", MEMBERS), DAY)
    for suffix in (".xlsx", ".csv"):
        exported = tmp_path / f"export{suffix}"
        assert export_roster(exported, DAY) == 8
        before = db_snapshot()
        plan = plan_import(exported, DAY)
        assert plan.is_empty, plan.lines()
        apply_plan(plan)
        assert db_snapshot() == before


def test_csv_export_uses_the_first_header_names(tmp_path: Path, township: None) -> None:
    import_roster(workbook(tmp_path / "r.xlsx", MEMBERS), DAY)
    export_roster(tmp_path / "e.csv", DAY)
    with open(tmp_path / "e.csv", encoding="utf-8-sig", newline="") as fp:
        rows = list(csv.reader(fp))
    assert rows[0] == ["序号", "姓名", "小组职务", "职务", "联系电话"]
    assert rows[7][1:4] == ["钱多", "成员、办公室主任", "应急管理办公室主任"]


def test_next_years_file_changes_ends_and_adds_keeping_history(
    tmp_path: Path, township: None
) -> None:
    import_roster(workbook(tmp_path / "r.xlsx", MEMBERS), DAY)
    later = dt.date(2026, 1, 15)
    rows = [list(r) for r in MEMBERS if r[1] != "孙立"]  # 孙立 leaves
    rows[3][2] = "常务副组长"  # 王丽 promoted
    rows[3][3] = "党委副书记"
    rows.append([9, "赵新", "成员", "派出所所长", ""])  # a newcomer
    plan = plan_import(workbook(tmp_path / "r2.xlsx", rows, merge_roles=False), later)
    kinds = {(c.kind, c.name) for c in plan.changes}
    assert kinds == {
        (ChangeKind.CHANGE, "王丽"),
        (ChangeKind.LEAVE, "孙立"),
        (ChangeKind.ADD, "赵新"),
    }
    apply_plan(plan)
    old = {ln.name: ln for ln in service.roster_as_of(later - dt.timedelta(days=1)).lines}
    new = {ln.name: ln for ln in service.roster_as_of(later).lines}
    assert "孙立" in old and "孙立" not in new
    assert "赵新" in new and "赵新" not in old
    assert old["王丽"].role == GroupRole.DEPUTY and new["王丽"].role == GroupRole.EXECUTIVE_DEPUTY
    assert old["王丽"].titles == ("组织委员",) and new["王丽"].titles == ("党委副书记",)
    # 王丽 now sits where the file puts her: among the executive deputies, after 郑平.
    assert [ln.name for ln in service.roster_as_of(later).lines][2:4] == ["郑平", "王丽"]


def test_a_file_in_another_order_reorders_from_its_day_only(tmp_path: Path, township: None) -> None:
    import_roster(workbook(tmp_path / "r.xlsx", MEMBERS), DAY)
    swapped = [list(r) for r in MEMBERS]
    swapped[0], swapped[1] = swapped[1], swapped[0]
    later = dt.date(2026, 1, 1)
    plan = plan_import(workbook(tmp_path / "r2.xlsx", swapped, merge_roles=False), later)
    assert plan.reorder and not plan.changes
    apply_plan(plan)
    assert [ln.name for ln in service.roster_as_of(later).lines][:2] == ["吴海", "周建国"]
    assert [ln.name for ln in service.roster_as_of(DAY).lines][:2] == ["周建国", "吴海"]
    assert plan_import(workbook(tmp_path / "r3.xlsx", swapped, merge_roles=False), later).is_empty


@pytest.mark.parametrize(
    ("rows", "row_number", "fragment"),
    [
        ([[1, "", "组长", "镇党委书记", ""]], 3, "姓名"),
        ([[1, "周建国", "顾问", "镇党委书记", ""]], 3, "顾问"),
        ([[1, "周建国", "组长", "", ""], [2, "周 建国", "成员", "", ""]], 4, "周建国"),
        (
            [[1, "甲", "成员、办公室主任", "", ""], [2, "乙", "成员、办公室主任", "", ""]],
            4,
            "甲",
        ),
    ],
    ids=["row without a name", "unknown role", "duplicate person", "two office directors"],
)
def test_bad_rows_are_refused_with_row_and_reason_and_nothing_written(
    tmp_path: Path, township: None, rows: list[list[object]], row_number: int, fragment: str
) -> None:
    import_roster(workbook(tmp_path / "good.xlsx", MEMBERS), DAY)
    before = db_snapshot()
    bad = workbook(tmp_path / "bad.xlsx", rows, merge_roles=False)
    with pytest.raises(InterchangeError) as caught:
        plan_import(bad, DAY)
    problem = caught.value.problems[0]
    assert problem.row == row_number
    assert fragment in str(caught.value)
    assert db_snapshot() == before


def test_missing_name_column_is_named(tmp_path: Path, township: None) -> None:
    book = openpyxl.Workbook()
    book.active.append(["序号", "职务"])
    book.active.append([1, "镇长"])
    book.save(tmp_path / "noname.xlsx")
    with pytest.raises(InterchangeError) as caught:
        plan_import(tmp_path / "noname.xlsx", DAY)
    assert "姓名" in str(caught.value)


def test_corrupt_workbook_is_refused(tmp_path: Path, township: None) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 this is not really a workbook")
    with pytest.raises(InterchangeError):
        plan_import(broken, DAY)


def test_failure_while_applying_rolls_everything_back(
    tmp_path: Path, township: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_roster(workbook(tmp_path / "r.xlsx", MEMBERS), DAY)
    before = db_snapshot()
    rows = [list(r) for r in MEMBERS[:-1]] + [[9, "赵新", "成员", "所长", ""]]
    rows[0][3] = "镇党委书记、一级调研员"
    plan = plan_import(workbook(tmp_path / "r2.xlsx", rows), dt.date(2026, 1, 1))
    assert not plan.is_empty

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("app.roster.interchange._follow_file_order", fail)
    with pytest.raises(OSError):
        apply_plan(plan)
    assert db_snapshot() == before


# ---------------------------------------------------------------------------- command line


def test_cli_dry_run_writes_nothing_and_import_writes(
    tmp_path: Path, township: None, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(database_path())
    file = workbook(tmp_path / "r.xlsx", MEMBERS)
    assert (
        main(["--db", db, "roster", "import", "--dry-run", "--as-of", "2025-03-01", str(file)]) == 0
    )
    out = capsys.readouterr().out
    assert "周建国" in out
    assert GroupMembership.select().count() == 0
    assert main(["--db", db, "roster", "import", "--as-of", "2025-03-01", str(file)]) == 0
    assert GroupMembership.select().count() == 8
    assert Person.select().count() == 8
    assert Post.select().count() > 8


def test_cli_bad_file_one_line_nonzero_nothing_written(
    tmp_path: Path, township: None, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(database_path())
    file = workbook(tmp_path / "bad.xlsx", [[1, "周建国", "顾问", "", ""]], merge_roles=False)
    assert main(["--db", db, "roster", "import", str(file)]) != 0
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "顾问" in err and "3" in err
    assert GroupMembership.select().count() == 0


def test_cli_missing_file_is_a_message_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(database_path())
    assert main(["--db", db, "roster", "import", str(tmp_path / "nope.xlsx")]) != 0
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.strip()


def test_cli_export_refuses_unknown_suffix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(database_path())
    assert main(["--db", db, "roster", "export", str(tmp_path / "x.doc")]) != 0
    assert ".xlsx" in capsys.readouterr().err
    assert not (tmp_path / "x.doc").exists()


def test_a_partial_file_can_keep_the_members_it_does_not_list(
    tmp_path: Path, township: None, capsys: pytest.CaptureFixture[str]
) -> None:
    import_roster(workbook(tmp_path / "r.xlsx", MEMBERS), DAY)
    later = dt.date(2026, 1, 1)
    newcomers = workbook(tmp_path / "new.xlsx", [[1, "赵新", "成员", "派出所所长", ""]])
    plan = plan_import(newcomers, later)
    assert plan.has_leavers and plan.count(ChangeKind.LEAVE) == 8
    kept = plan.keeping_absent()
    assert not kept.has_leavers
    assert [(c.kind, c.name) for c in kept.changes] == [(ChangeKind.ADD, "赵新")]
    db = str(database_path())
    assert (
        main(
            [
                "--db",
                db,
                "roster",
                "import",
                "--keep-absent",
                "--as-of",
                "2026-01-01",
                str(newcomers),
            ]
        )
        == 0
    )
    names = [ln.name for ln in service.roster_as_of(later).lines]
    assert len(names) == 9 and "赵新" in names and "周建国" in names


def test_columns_the_file_lacks_keep_what_the_roster_says(tmp_path: Path, township: None) -> None:
    import_roster(workbook(tmp_path / "r.xlsx", MEMBERS), DAY)
    before = db_snapshot()
    book = openpyxl.Workbook()
    book.active.append(["姓名", "小组职务"])
    for row in MEMBERS:
        book.active.append([row[1], row[2]])
    book.save(tmp_path / "names-roles.xlsx")
    assert plan_import(tmp_path / "names-roles.xlsx", dt.date(2026, 1, 1)).is_empty
    book = openpyxl.Workbook()
    book.active.append(["姓名"])
    for row in MEMBERS:
        book.active.append([row[1]])
    book.save(tmp_path / "names.xlsx")
    plan = plan_import(tmp_path / "names.xlsx", dt.date(2026, 1, 1))
    assert plan.is_empty, plan.lines()
    assert db_snapshot() == before


def test_a_partial_file_leaves_everyone_else_in_place(tmp_path: Path, township: None) -> None:
    import_roster(workbook(tmp_path / "r.xlsx", MEMBERS), DAY)
    later = dt.date(2026, 1, 1)
    before = [ln.name for ln in service.roster_as_of(later).lines]
    rows = [[1, "赵新", "副组长", "副镇长", ""], [2, "孙立", "成员", "派出所所长", ""]]
    plan = plan_import(workbook(tmp_path / "p.xlsx", rows, merge_roles=False), later)
    apply_plan(plan.keeping_absent())
    after = [ln.name for ln in service.roster_as_of(later).lines]
    # The newcomer ends its role block; nobody else moved.
    assert [n for n in after if n != "赵新"] == before
    assert after.index("赵新") == before.index("林涛") + 1


def test_overlong_names_and_titles_are_refused_by_row(tmp_path: Path, township: None) -> None:
    rows = [[1, "名" * 61, "成员", "", ""], [2, "张三", "成员", "长" * 121, ""]]
    with pytest.raises(InterchangeError) as caught:
        plan_import(workbook(tmp_path / "long.xlsx", rows, merge_roles=False), DAY)
    assert [p.row for p in caught.value.problems] == [3, 4]


def test_reading_commands_never_create_or_change_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "typo" / "safety.sqlite3"
    for command in (["roster", "list"], ["roster", "export", str(tmp_path / "x.xlsx")]):
        assert main(["--db", str(missing), *command]) != 0
        assert "safety.sqlite3" in capsys.readouterr().err
    assert not missing.parent.exists()
    # On a database with no group yet, a failed print and a listing write nothing.
    db = str(database_path())
    before = db_snapshot()
    assert main(
        ["--db", db, "roster", "print", str(tmp_path / "no" / "such" / "dir" / "r.pdf")]
    ) in (0, 1)
    assert main(["--db", db, "roster", "list"]) == 0
    assert db_snapshot() == before


def test_a_plan_made_before_someone_else_changed_the_roster_is_refused(
    tmp_path: Path, township: None
) -> None:
    import_roster(workbook(tmp_path / "r.xlsx", MEMBERS), DAY)
    later = dt.date(2026, 1, 1)
    rows = [list(r) for r in MEMBERS]
    rows[0][3] = "镇党委书记、一级调研员"
    plan = plan_import(workbook(tmp_path / "r2.xlsx", rows), later)
    # Meanwhile, in another window or program:
    service.end_membership(service.roster_as_of(later).lines[-1].membership_id, later)
    before = db_snapshot()
    with pytest.raises(service.RosterError):
        apply_plan(plan)
    assert db_snapshot() == before


def test_a_newcomer_already_entered_for_later_is_refused_by_row(
    tmp_path: Path, township: None
) -> None:
    service.add_member(service.MemberInput(name="未来", role=GroupRole.MEMBER), dt.date(2026, 3, 1))
    before = db_snapshot()
    rows = [[1, "周建国", "组长", "", ""], [2, "未来", "副组长", "", ""]]
    with pytest.raises(InterchangeError) as caught:
        plan_import(workbook(tmp_path / "f.xlsx", rows, merge_roles=False), DAY)
    assert [p.row for p in caught.value.problems] == [4]
    assert "未来" in str(caught.value)
    assert db_snapshot() == before


def test_large_imports_fit_old_sqlite_parameter_limits(tmp_path: Path, township: None) -> None:
    # UOS V20 / Kylin V10 ship SQLite before 3.32: at most 999 parameters a statement.
    connection = database_proxy.connection()
    connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)
    rows = [[i, f"成员{i:04d}", "成员", f"职务{i}、兼职{i}", ""] for i in range(1, 1201)]
    import_roster(workbook(tmp_path / "big.xlsx", rows, merge_roles=False), DAY)
    snapshot = service.roster_as_of(DAY)
    assert len(snapshot.lines) == 1200
    assert snapshot.lines[-1].titles == ("职务1200", "兼职1200")
    assert import_roster(workbook(tmp_path / "big.xlsx", rows, merge_roles=False), DAY).is_empty
