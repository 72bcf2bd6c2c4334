"""The responsibility area on the command line: matrix, coverage and duties."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import json
import sqlite3
from pathlib import Path

import openpyxl
import pytest

from app.cli import build_parser, main
from app.demo import create_demo
from app.org.kinds import PostKind
from app.responsibility.coverage import Rule
from app.responsibility.duties import DUTY_KINDS
from app.responsibility.matrix import Column, load_matrix
from app.storage.db import database_path
from app.storage.models import Assignment, Person, Post, Unit

DAY = dt.date(2025, 3, 1)
KINDS = {"department", "village", "community", "enterprise"}
HEADER = ["序号", "单位负责人", "分管负责人", "责任科室", "责任人", "安全生产重点职责"]
ROWS = [
    [1, "周建国", "郑平", "应急管理办公室", "钱多", "统筹全镇安全生产综合监管"],
    [2, "周建国", "郑平", "财政所", "", "督促"],
]
PRINTS = importlib.util.find_spec("app.responsibility.prints") is not None
needs_prints = pytest.mark.skipif(not PRINTS, reason="app.responsibility.prints is not there yet")


@pytest.fixture
def township() -> None:
    root = Unit.create(name="青禾镇", kind="township")
    for order, name in enumerate(["应急管理办公室", "财政所"], start=1):
        Unit.create(name=name, kind="department", parent=root, sort_order=order)
    for name, title, kind in [
        ("周建国", "镇党委书记", "party_secretary"),
        ("郑平", "副镇长", "safety_deputy"),
        ("钱多", "应急管理办公室主任", "department_head"),
    ]:
        Post.create(
            person=Person.create(name=name), title=title, kind=kind, start_date=dt.date(2020, 1, 1)
        )


@pytest.fixture
def demo() -> None:
    create_demo(1, today=DAY)


def workbook(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["青禾镇安全生产责任制分工表"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def db_snapshot() -> dict[str, list[tuple]]:
    path = database_path()
    assert path is not None
    conn = sqlite3.connect(path)
    try:
        return {
            table: sorted(conn.execute(f"SELECT * FROM {table}").fetchall())
            for table in ("matrix_row", "matrix_entry", "assignment", "person", "post", "unit")
        }
    finally:
        conn.close()


def run(*args: str) -> int:
    return main(["--db", str(database_path()), *args])


# ---------------------------------------------------------------------------- matrix


def test_import_dry_run_writes_nothing_then_import_writes(
    tmp_path: Path, township: None, capsys: pytest.CaptureFixture[str]
) -> None:
    file = workbook(tmp_path / "m.xlsx", ROWS)
    before = db_snapshot()
    assert run("matrix", "import", "--dry-run", "--as-of", "2025-03-01", str(file)) == 0
    out = capsys.readouterr().out
    assert "2025" in out and "应急管理办公室" in out
    assert db_snapshot() == before
    assert run("matrix", "import", "--as-of", "2025-03-01", str(file)) == 0
    assert len(load_matrix()) == 2
    started = {a.start_date for a in Assignment.select()}
    assert started == {DAY}
    # The same file again changes nothing.
    after = db_snapshot()
    assert run("matrix", "import", "--as-of", "2025-03-01", str(file)) == 0
    assert db_snapshot() == after


def test_import_of_a_bad_file_is_one_line_and_writes_nothing(
    tmp_path: Path, township: None, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [list(r) for r in ROWS]
    rows[1][3] = "财" * 300
    file = workbook(tmp_path / "bad.xlsx", rows)
    before = db_snapshot()
    assert run("matrix", "import", str(file)) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "4" in err and "责任科室" in err
    assert db_snapshot() == before
    assert run("matrix", "import", str(tmp_path / "nope.xlsx")) == 1
    err = capsys.readouterr().err
    assert err.strip() and "Traceback" not in err


def test_export_then_list_in_every_format(
    tmp_path: Path, demo: None, capsys: pytest.CaptureFixture[str]
) -> None:
    stored = load_matrix()
    out = tmp_path / "m.xlsx"
    assert run("matrix", "export", str(out)) == 0
    assert str(len(stored)) in capsys.readouterr().out
    assert out.exists()
    assert run("matrix", "import", "--dry-run", str(out)) == 0
    capsys.readouterr()

    assert run("matrix", "list", "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["rows"]) == len(stored)
    first = data["rows"][0]
    assert first["position"] == 1
    assert first["departments"] == stored[0].text(Column.DEPARTMENTS)
    assert first["duties"] == stored[0].duties
    assert {"principals", "deputies", "departments", "responsible", "duties"} <= set(first)
    assert all(entry["linked"] for entry in first["entries"]["departments"])

    assert run("matrix", "list", "--format", "csv") == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0][0] == "position" and len(rows) == len(stored) + 1

    assert run("matrix", "list") == 0
    text = capsys.readouterr().out
    assert len(text.strip().splitlines()) == len(stored)


def test_export_refuses_an_unknown_suffix(
    tmp_path: Path, township: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("matrix", "export", str(tmp_path / "m.doc")) == 1
    assert ".xlsx" in capsys.readouterr().err
    assert not (tmp_path / "m.doc").exists()
    assert run("matrix", "print", str(tmp_path / "m.xlsx")) == 1
    assert ".pdf" in capsys.readouterr().err


def test_reading_commands_never_create_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "typo" / "safety.sqlite3"
    for command in (
        ["matrix", "list"],
        ["matrix", "export", str(tmp_path / "m.xlsx")],
        ["coverage"],
        ["coverage", "--format", "json"],
        ["duties", "list"],
    ):
        assert main(["--db", str(missing), *command]) == 1
        assert "safety.sqlite3" in capsys.readouterr().err
    assert not missing.parent.exists()
    assert not (tmp_path / "m.xlsx").exists()


def test_a_bad_date_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        run("coverage", "--as-of", "2025-13-01")
    assert caught.value.code == 2
    assert "2025-13-01" in capsys.readouterr().err


# ---------------------------------------------------------------------------- coverage


def test_coverage_json_lists_gaps_and_exits_zero(
    demo: None, capsys: pytest.CaptureFixture[str]
) -> None:
    before = db_snapshot()
    assert run("coverage", "--as-of", DAY.isoformat(), "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["as_of"] == DAY.isoformat()
    assert data["gaps"], "the demo leaves gaps for the coverage check"
    assert not data["complete"]
    assert set(data["counts"]) == {rule.value for rule in Rule}
    assert sum(data["counts"].values()) == len(data["gaps"])
    for gap in data["gaps"]:
        assert gap["rule"] in data["counts"]
        assert gap["unit"] and gap["unit_kind"] in KINDS
    assert db_snapshot() == before


def test_coverage_text_names_each_gap(demo: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("coverage", "--as-of", DAY.isoformat(), "--format", "json") == 0
    gaps = json.loads(capsys.readouterr().out)["gaps"]
    assert run("coverage", "--as-of", DAY.isoformat()) == 0
    text = capsys.readouterr().out
    assert all(gap["unit"] in text for gap in gaps)
    assert str(len(gaps)) in text.splitlines()[0]


def test_coverage_of_a_township_with_no_units_is_complete(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run("coverage", "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["complete"] and data["gaps"] == []


# ---------------------------------------------------------------------------- duties


def test_duties_list_by_kind(demo: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("duties", "list", "--kind", "safety_deputy") == 0
    text = capsys.readouterr().out
    assert "safety_deputy" in text and "（一）" in text
    assert "party_secretary" not in text
    assert run("duties", "list", "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert [k["kind"] for k in data["kinds"]] == [kind.value for kind in DUTY_KINDS]
    with pytest.raises(SystemExit) as caught:
        run("duties", "list", "--kind", "nonsense")
    assert caught.value.code == 2


def test_duty_kind_choices_follow_the_duty_lists() -> None:
    parser = build_parser()
    args = parser.parse_args(["duties", "list", "--kind", DUTY_KINDS[-1].value])
    assert args.kind == DUTY_KINDS[-1].value
    with pytest.raises(SystemExit):
        parser.parse_args(["duties", "list", "--kind", PostKind.OTHER.value])


def test_duty_card_for_an_unknown_or_ambiguous_name_is_refused(
    tmp_path: Path, township: None, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = tmp_path / "card.pdf"
    assert run("duties", "card", "无此人", str(pdf)) == 1
    assert "无此人" in capsys.readouterr().err
    assert run("duties", "card", "  ", str(pdf)) == 1
    assert "姓名" in capsys.readouterr().err
    for _ in range(2):
        person = Person.create(name="同名")
        Post.create(person=person, title="副镇长", start_date=dt.date(2020, 1, 1))
    assert run("duties", "card", "同名", str(pdf)) == 1
    err = capsys.readouterr().err
    assert "同名" in err and str(person.id) in err and len(err.strip().splitlines()) == 1
    assert not pdf.exists()


def test_as_of_before_a_print_verb_is_kept() -> None:
    parser = build_parser()
    args = parser.parse_args(["coverage", "--as-of", "2025-01-01", "print", "c.pdf"])
    assert args.as_of == dt.date(2025, 1, 1)
    assert parser.parse_args(["coverage", "print", "c.pdf"]).as_of is None


# ---------------------------------------------------------------------------- printing


@needs_prints
def test_matrix_and_coverage_print_to_pdf(
    tmp_path: Path, demo: None, capsys: pytest.CaptureFixture[str]
) -> None:
    before = db_snapshot()
    for command in (["matrix", "print"], ["coverage", "print"], ["duties", "cards"]):
        pdf = tmp_path / f"{command[0]}-{command[1]}.pdf"
        assert run(*command, str(pdf), "--as-of", DAY.isoformat()) == 0
        assert str(pdf) in capsys.readouterr().out
        assert pdf.read_bytes().startswith(b"%PDF")
    assert db_snapshot() == before


@needs_prints
def test_duty_card_prints_one_persons_card(
    tmp_path: Path, demo: None, capsys: pytest.CaptureFixture[str]
) -> None:
    (name,) = (
        Person.select(Person.name)
        .join(Post)
        .where(Post.kind == PostKind.SAFETY_DEPUTY.value, Post.end_date.is_null())
        .scalar(as_tuple=True)
    )
    pdf = tmp_path / "card.pdf"
    assert run("duties", "card", name, str(pdf), "--as-of", DAY.isoformat()) == 0
    assert pdf.read_bytes().startswith(b"%PDF")
