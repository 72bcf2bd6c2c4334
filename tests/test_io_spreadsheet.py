"""Spreadsheets as clerks keep them, and files nobody should have to trust.

Reading: title rows, header synonyms, merged blocks, blank rows, CSV encodings and
delimiters.  Refusing: damaged, renamed, oversized and hostile files, always with an
InterchangeError.  Writing: formula-looking text stays text, round trips are lossless, and a
failed export leaves the previous file as it was.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import pickle
import re
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import i18n
from app.io import sources
from app.io.errors import InterchangeError, Problem
from app.io.spreadsheet import ColumnSpec, Table, read_table, write_table
from app.io.text import normalize_name, split_titles

COLUMNS = (
    ColumnSpec("序号", ("编号",)),
    ColumnSpec("姓名", ("名字", "人员姓名", "姓 名"), required=True),
    ColumnSpec("小组职务", ("组内职务", "领导小组职务")),
    ColumnSpec("职务", ("现任职务",)),
    ColumnSpec("联系电话", ("电话", "手机")),
)
HEADER = ["序号", "姓名", "小组职务", "职务", "联系电话"]
TITLE = "青禾镇安全生产领导小组成员名单"
DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are checked in English, whatever the Chinese catalog says."""
    i18n.set_language("en")
    yield
    i18n.set_language(i18n.DEFAULT_LANGUAGE)


def make_xlsx(
    path: Path,
    rows: list[list[object]],
    *,
    merges: tuple[str, ...] = (),
) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    book.save(path)
    return path


def rewrite_part(path: Path, part: str, change: Callable[[bytes], bytes]) -> None:
    """Edit one part of a workbook in place, the way a hostile or odd producer would."""
    with zipfile.ZipFile(path) as source:
        items = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in items:
            target.writestr(info, change(data) if info.filename == part else data)


def values(table: Table, column: str) -> list[str]:
    return [row.values[column] for row in table.rows]


def refusal(path: Path, **kwargs: int) -> str:
    with pytest.raises(InterchangeError) as caught:
        read_table(path, COLUMNS, **kwargs)
    message = str(caught.value)
    assert message and "Traceback" not in message
    return message


# ---------------------------------------------------------------------------- layouts


def test_title_row_above_the_header(tmp_path: Path) -> None:
    path = make_xlsx(
        tmp_path / "r.xlsx",
        [[TITLE], [None], HEADER, [1, "周建国", "组长", "镇党委书记", "13800000001"]],
        merges=("A1:E1",),
    )
    table = read_table(path, COLUMNS)
    assert table.title == TITLE
    assert table.header_row == 3
    assert [row.number for row in table.rows] == [4]
    assert table.rows[0].values == {
        "序号": "1",
        "姓名": "周建国",
        "小组职务": "组长",
        "职务": "镇党委书记",
        "联系电话": "13800000001",
    }
    assert table.columns == tuple(HEADER)


def test_header_synonyms_marks_and_unknown_columns(tmp_path: Path) -> None:
    header = ["编号", "姓  名：", "备注", "领导小组\n职务", "*手机", "现任职务"]
    path = make_xlsx(tmp_path / "r.xlsx", [header, [1, "王丽", "x", "副组长", "139", "组织委员"]])
    table = read_table(path, COLUMNS)
    assert table.title is None and table.header_row == 1
    assert table.rows[0].values == {
        "序号": "1",
        "姓名": "王丽",
        "小组职务": "副组长",
        "职务": "组织委员",
        "联系电话": "139",
    }


def test_absent_optional_columns_are_absent_keys(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "r.xlsx", [["名字"], ["王丽"]])
    table = read_table(path, COLUMNS)
    assert table.rows[0].values == {"姓名": "王丽"}
    assert table.columns == ("姓名",)


def test_merged_role_cells_are_filled_down(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        [TITLE],
        HEADER,
        [1, "周建国", "组长", "镇党委书记"],
        [2, "吴海", None, "镇长"],
        [3, "王丽", "副组长", "组织委员"],
        [4, "林涛", None, "宣传委员"],
        [5, "钱多", None, "应急办主任"],
        [6, "孙立", "成员", "派出所所长"],
    ]
    path = make_xlsx(tmp_path / "r.xlsx", rows, merges=("A1:E1", "C3:C4", "C5:C7"))
    table = read_table(path, COLUMNS)
    assert values(table, "小组职务") == ["组长", "组长", "副组长", "副组长", "副组长", "成员"]
    assert table.title == TITLE  # the merged title neither hides nor becomes the header


def test_a_horizontal_merge_gives_each_column_the_value(tmp_path: Path) -> None:
    path = make_xlsx(
        tmp_path / "r.xlsx", [HEADER, [1, "周建国", "组长兼书记", None, "1"]], merges=("C2:D2",)
    )
    assert read_table(path, COLUMNS).rows[0].values["职务"] == "组长兼书记"


def test_padded_names_and_several_titles_in_one_cell(tmp_path: Path) -> None:
    path = make_xlsx(
        tmp_path / "r.xlsx",
        [
            HEADER,
            [1, "闫  旻", "成员", "组织委员、常青村党总支书记、主任"],
            [2, "林\u3000涛", "成员", "宣传委员\n常青村主任"],
            [3, "\u3000王丽 ", "成员", "组织委员，主任；组织委员"],
        ],
    )
    table = read_table(path, COLUMNS)
    assert [normalize_name(name) for name in values(table, "姓名")] == ["闫旻", "林涛", "王丽"]
    assert [split_titles(titles) for titles in values(table, "职务")] == [
        ["组织委员", "常青村党总支书记", "主任"],
        ["宣传委员", "常青村主任"],
        ["组织委员", "主任"],
    ]


def test_blank_rows_are_skipped_and_rows_keep_their_sheet_numbers(tmp_path: Path) -> None:
    path = make_xlsx(
        tmp_path / "r.xlsx",
        [HEADER, [1, "甲"], [None], [None, "  ", None], [3, "丙"], [None], [None]],
    )
    table = read_table(path, COLUMNS)
    assert [(row.number, row.values["姓名"]) for row in table.rows] == [(2, "甲"), (5, "丙")]


def test_a_blank_row_inside_a_merged_block_is_still_blank(tmp_path: Path) -> None:
    path = make_xlsx(
        tmp_path / "r.xlsx",
        [HEADER, [1, "甲", "成员"], [None, None, None], [2, "乙", None]],
        merges=("C2:C4",),
    )
    table = read_table(path, COLUMNS)
    assert [(row.number, row.values["小组职务"]) for row in table.rows] == [
        (2, "成员"),
        (4, "成员"),
    ]


def test_header_repeated_on_every_printed_page_is_skipped(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "r.xlsx", [HEADER, [1, "甲"], HEADER, [2, "乙"]])
    assert values(read_table(path, COLUMNS), "姓名") == ["甲", "乙"]


def test_numbers_dates_and_cached_formula_values(tmp_path: Path) -> None:
    path = make_xlsx(
        tmp_path / "r.xlsx",
        [
            ["姓名", "序号", "职务", "联系电话"],
            ["甲", 1.0, dt.datetime(2025, 3, 1), 13800000001],
            ["乙", 0.1 + 0.2, dt.datetime(2025, 3, 1, 8, 30), 2.5],
            ["丙", True, dt.date(2024, 12, 31), None],
        ],
    )
    # A formula saved by Excel carries its last result; the import must see that result.
    rewrite_part(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(rb'<c r="D4"[^>]*/>|<c r="D4".*?</c>', b"", xml).replace(
            b"</row></sheetData>", b'<c r="D4"><f>D2+1</f><v>13800000002</v></c></row></sheetData>'
        ),
    )
    table = read_table(path, COLUMNS)
    assert values(table, "序号") == ["1", "0.3", "TRUE"]
    assert values(table, "职务") == ["2025-03-01", "2025-03-01 08:30", "2024-12-31"]
    assert values(table, "联系电话") == ["13800000001", "2.5", "13800000002"]


def test_the_sheet_with_the_table_is_found_when_another_is_active(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "说明"
    notes.append(["填表说明：每人一行"])
    data = book.create_sheet("名单")
    data.append(HEADER)
    data.append([1, "甲"])
    book.active = 0
    book.save(tmp_path / "r.xlsx")
    assert values(read_table(tmp_path / "r.xlsx", COLUMNS), "姓名") == ["甲"]


# ---------------------------------------------------------------------------- headerless data


def test_data_under_a_header_merged_across_two_columns_is_refused(tmp_path: Path) -> None:
    # 职务 merged over D1:E1 with the phone numbers in E: read, column E would vanish.
    rows: list[list[object]] = [
        ["序号", "姓名", "小组职务", "职务", None],
        [1, "周建国", "组长", "镇党委书记", "13800000001"],
        [2, "吴海", "副组长", "镇长", None],
    ]
    path = make_xlsx(tmp_path / "r.xlsx", rows, merges=("D1:E1",))
    with pytest.raises(InterchangeError) as caught:
        read_table(path, COLUMNS)
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (2, None)
    assert "column E" in problem.reason and "“职务”" in problem.reason
    assert "D–E" in problem.reason
    assert problem.text().startswith("Row 2: column E")


def test_data_in_a_column_with_an_empty_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("姓名,,职务,\n周建国,,镇长,\n吴海,13900000002,副镇长,\n", encoding="utf-8")
    with pytest.raises(InterchangeError) as caught:
        read_table(path, COLUMNS)
    [problem] = caught.value.problems
    assert problem.row == 3 and "column B" in problem.reason


def test_data_to_the_right_of_the_header_is_refused(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        [TITLE],
        ["序号", "姓名", "职务"],
        [1, "周建国", "镇党委书记"],
        [2, "吴海", "镇长", None, "兼任"],
    ]
    with pytest.raises(InterchangeError) as caught:
        read_table(make_xlsx(tmp_path / "r.xlsx", rows), COLUMNS)
    assert [(p.row, "column E" in p.reason) for p in caught.value.problems] == [(4, True)]


def test_empty_columns_without_a_header_are_fine(tmp_path: Path) -> None:
    # A blank spacer column, a header merged over an empty column, a merged data cell
    # reaching into it, and a note under the table outside its columns: nothing is lost.
    rows: list[list[object]] = [
        ["序号", None, "姓名", "职务", None, "联系电话"],
        [1, None, "周建国", "镇党委书记", None, "13800000001"],
        [2, None, "吴海", "镇长", None, "13800000002"],
        [None, None, None, None, None, None, None, "制表：应急办"],
    ]
    path = make_xlsx(tmp_path / "r.xlsx", rows, merges=("D1:E1", "D3:E3"))
    table = read_table(path, COLUMNS)
    assert values(table, "职务") == ["镇党委书记", "镇长"]
    assert values(table, "联系电话") == ["13800000001", "13800000002"]


def test_a_header_two_rows_high_heads_its_column(tmp_path: Path) -> None:
    # 编码 merged down A1:A2 above the row of known names: column A has its header.
    rows: list[list[object]] = [
        ["编码", "人员", None],
        [None, "姓名", "职务"],
        [1, "周建国", "镇党委书记"],
    ]
    path = make_xlsx(tmp_path / "r.xlsx", rows, merges=("A1:A2", "B1:C1"))
    table = read_table(path, COLUMNS)
    assert table.header_row == 2 and values(table, "姓名") == ["周建国"]


# ---------------------------------------------------------------------------- CSV


def test_csv_in_utf8_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes(f'{TITLE},,\n序号,姓名,职务\n1,闫  旻,"组织委员、主任"\n'.encode("utf-8-sig"))
    table = read_table(path, COLUMNS)
    assert table.title == TITLE
    assert table.rows[0].values == {"序号": "1", "姓名": "闫 旻", "职务": "组织委员、主任"}


def test_csv_in_gbk_as_chinese_excel_and_wps_save_it(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes("序号,姓名,联系电话\r\n1,周建国,13800000001\r\n".encode("gbk"))
    assert read_table(path, COLUMNS).rows[0].values["姓名"] == "周建国"


def test_csv_in_utf16_with_tabs_as_excel_unicode_text(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_bytes("姓名\t职务\r\n周建国\t镇党委书记, 镇长\r\n".encode("utf-16"))
    assert read_table(path, COLUMNS).rows[0].values == {
        "姓名": "周建国",
        "职务": "镇党委书记, 镇长",
    }


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiter_is_sniffed(tmp_path: Path, delimiter: str) -> None:
    lines = [["姓名", "职务", "联系电话"], ["周建国", "书记，镇长", "1"], ["吴海", "镇长", "2"]]
    path = tmp_path / "r.csv"
    path.write_text("\n".join(delimiter.join(line) for line in lines), encoding="utf-8")
    table = read_table(path, COLUMNS)
    assert values(table, "职务") == ["书记，镇长", "镇长"]


def test_tab_separated_text_named_xls_is_read(tmp_path: Path) -> None:
    path = tmp_path / "export.xls"
    path.write_bytes("姓名\t职务\n周建国\t镇长\n".encode("gbk"))
    assert values(read_table(path, COLUMNS), "职务") == ["镇长"]


# ---------------------------------------------------------------------------- refused files


def test_missing_required_column_names_it_and_its_synonyms(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "r.xlsx", [[TITLE], ["编码", "人员"], [1, "镇长"]])
    with pytest.raises(InterchangeError) as caught:
        read_table(path, COLUMNS)
    first = caught.value.problems[0]
    assert (first.row, first.column) == (None, "姓名")
    assert "(it may also be headed: 名字、人员姓名)" in first.reason  # "姓 名" is no news
    assert "姓名" in str(caught.value)
    # The message quotes the row that looks like the header, not the title above it.
    assert caught.value.problems[-1].row == 2
    assert "编码、人员" in caught.value.problems[-1].reason


def test_a_column_given_twice_is_refused(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "r.xlsx", [["姓名", "职务", "现任职务"], ["甲", "a", "b"]])
    with pytest.raises(InterchangeError) as caught:
        read_table(path, COLUMNS)
    problem = caught.value.problems[0]
    assert (problem.row, problem.column) == (1, "职务")
    assert "B" in problem.reason and "C" in problem.reason


def test_random_bytes_named_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    path.write_bytes(os.urandom(4096))
    assert "not an Excel workbook" in refusal(path)


def test_truncated_xlsx(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "r.xlsx", [HEADER, [1, "甲"]])
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert "damaged" in refusal(path)


def test_xlsx_with_a_corrupted_part(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "r.xlsx", [HEADER, [1, "甲"]])
    rewrite_part(path, "xl/worksheets/sheet1.xml", lambda xml: xml[: len(xml) // 2])
    assert "damaged" in refusal(path)


def test_text_file_renamed_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    path.write_text("姓名,职务\n周建国,镇长\n", encoding="utf-8")
    assert "text file" in refusal(path)


def test_pdf_renamed_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n" + os.urandom(512))
    assert "PDF" in refusal(path)


def test_a_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "not an Excel workbook" in refusal(path)


def test_unsupported_extension(tmp_path: Path) -> None:
    path = tmp_path / "r.docx"
    path.write_bytes(b"whatever")
    assert ".xlsx" in refusal(path)


@pytest.mark.parametrize("content", [b"", b"  \r\n"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes(content)
    assert "empty" in refusal(path)


def test_a_workbook_without_any_data(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "r.xlsx", [])
    assert "no data" in refusal(path)


def test_missing_file(tmp_path: Path) -> None:
    assert "does not exist" in refusal(tmp_path / "nope.xlsx")


def test_file_larger_than_the_limit(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "r.xlsx", [HEADER, [1, "甲"]])
    assert "larger than" in refusal(path, max_bytes=1024)
    assert read_table(path, COLUMNS, max_bytes=1024 * 1024).rows


def test_too_many_rows(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "r.xlsx", [HEADER] + [[n, f"人{n}"] for n in range(20)])
    assert "more than 10 rows" in refusal(path, max_rows=10)
    assert len(read_table(path, COLUMNS, max_rows=20).rows) == 20


def test_zip_bomb_like_workbook_is_refused_before_unpacking(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "r.xlsx", [HEADER, [1, "甲"]])
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", bytes(64 * 1024 * 1024))
    assert path.stat().st_size < 1024 * 1024  # 64 MiB of zeros packs into ~64 KiB
    assert "zip bomb" in refusal(path)


def test_unpacked_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_xlsx(tmp_path / "r.xlsx", [HEADER, [1, "甲"]])
    read_table(path, COLUMNS)
    monkeypatch.setattr(sources, "MAX_UNPACKED_BYTES", 4096)
    assert "zip bomb" in refusal(path)


BILLION_LAUGHS = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
"""


def test_openpyxl_parses_through_defusedxml() -> None:
    assert openpyxl.DEFUSEDXML is True


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml"])
def test_xml_entity_bomb_is_refused(tmp_path: Path, part: str) -> None:
    path = make_xlsx(tmp_path / "r.xlsx", [HEADER, [1, "甲"]])

    def inject(xml: bytes) -> bytes:
        body = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", xml)
        return BILLION_LAUGHS + body.replace(b"<v>", b"<v>&lol9;", 1)

    rewrite_part(path, part, inject)
    # Refused as an attack by defusedxml, not merely as a damaged file by the XML parser.
    assert "possible attack" in refusal(path)


def test_old_xls_without_xlrd_asks_for_xlsx(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "xlrd", None)  # "import xlrd" now fails
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2048))
    message = refusal(path)
    assert "97-2003" in message and "save it as .xlsx" in message


def test_password_protected_xlsx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "xlrd", None)
    path = tmp_path / "locked.xlsx"  # Office wraps encrypted workbooks in an OLE2 file
    directory_entry = "EncryptedPackage".encode("utf-16-le")
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512) + directory_entry)
    assert "password" in refusal(path)


def test_html_table_named_xls(tmp_path: Path) -> None:
    path = tmp_path / "export.xls"
    path.write_text("<html><body><table><tr><td>姓名</td></tr></table></body></html>")
    assert "web page" in refusal(path)


def test_old_xls_workbook_is_read_with_its_merged_cells(tmp_path: Path) -> None:
    # An Excel 97-2003 file (made once with xlwt): a merged title, a role merged down two rows.
    table = read_table(DATA / "old-roster.xls", COLUMNS)
    assert table.title == TITLE
    assert values(table, "姓名") == ["甲", "乙"]
    assert values(table, "小组职务") == ["副组长", "副组长"]


def _valid_workbook_bytes() -> bytes:
    buffer = io.BytesIO()
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    book.active.append([1, "周建国", "组长", "镇党委书记", "13800000001"])
    book.save(buffer)
    return buffer.getvalue()


_VALID = _valid_workbook_bytes()


@st.composite
def damaged_workbooks(draw: st.DrawFn) -> bytes:
    """A real workbook with bytes flipped, cut or inserted somewhere."""
    data = bytearray(_VALID)
    for _ in range(draw(st.integers(1, 8))):
        position = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["flip", "cut", "insert"]))
        if action == "flip":
            data[position] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[position : position + draw(st.integers(1, 64))]
        else:
            data[position:position] = draw(st.binary(min_size=1, max_size=32))
        if not data:
            break
    return bytes(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    content=st.one_of(st.binary(max_size=4096), damaged_workbooks()),
    suffix=st.sampled_from([".xlsx", ".csv", ".xls", ".txt", ".xlsm"]),
)
def test_any_bytes_give_a_table_or_an_interchange_error(content: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(content)
        try:
            table = read_table(path, COLUMNS)
        except InterchangeError as error:
            assert str(error)
        else:
            assert all(isinstance(row.number, int) for row in table.rows)


# ---------------------------------------------------------------------------- writing


FORMULA_LIKE = ["=1+1", "+8613800000001", "-5", "@SUM(A1)", '=HYPERLINK("http://x")', "'=x", "-"]


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_formula_looking_text_stays_text_and_reimports_unchanged(
    tmp_path: Path, suffix: str
) -> None:
    path = tmp_path / f"e{suffix}"
    rows = [[index, f"人{index}", text] for index, text in enumerate(FORMULA_LIKE, start=1)]
    write_table(path, ["序号", "姓名", "职务"], rows)
    assert values(read_table(path, COLUMNS), "职务") == FORMULA_LIKE


def test_xlsx_cells_with_formula_looking_text_are_string_cells(tmp_path: Path) -> None:
    path = tmp_path / "e.xlsx"
    write_table(path, ["姓名", "职务"], [["甲", text] for text in FORMULA_LIKE])
    with zipfile.ZipFile(path) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml
    sheet = openpyxl.load_workbook(path).active
    cells = [sheet.cell(row=row, column=2) for row in range(2, 2 + len(FORMULA_LIKE))]
    assert [cell.data_type for cell in cells] == ["s"] * len(FORMULA_LIKE)
    assert all(cell.quotePrefix for cell in cells if cell.value[0] in "=+-@")


def test_csv_guards_formula_looking_text_with_a_quote(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    write_table(path, ["姓名", "职务"], [["甲", "=1+1"], ["乙", -5], ["丙", "'=x"]])
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[1:] == ["甲,'=1+1", "乙,-5", "丙,''=x"]


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_unicode_round_trip(tmp_path: Path, suffix: str) -> None:
    rows: list[list[object]] = [
        [1, "闫旻", "组长", "组织委员、常青村党总支书记、主任", "13800000001"],
        [2, "阿卜杜·热合曼", "成员", "𬌗𠀀办公室主任", "+86 138 0000 0002"],
        [3, "John Smith", "成员", "“引号”，逗号,\n换行", ""],
    ]
    path = tmp_path / f"e{suffix}"
    assert write_table(path, HEADER, rows, title=TITLE, sheet_name="领导小组成员") == 3
    table = read_table(path, COLUMNS)
    assert table.title == (TITLE if suffix == ".xlsx" else None)
    assert [list(row.values.values()) for row in table.rows] == [
        [str(value) for value in row] for row in rows
    ]


def test_csv_has_a_bom_and_no_title_row(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    write_table(path, HEADER, [[1, "甲", "", "", ""]], title=TITLE)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines() == [",".join(HEADER), "1,甲,,,"]


def test_xlsx_layout_title_header_widths_and_frozen_header(tmp_path: Path) -> None:
    path = tmp_path / "e.xlsx"
    long_titles = "组织委员、常青村党总支书记、主任"
    write_table(path, HEADER, [[1, "甲", "组长", long_titles, ""]], title=TITLE, sheet_name="a/b")
    sheet = openpyxl.load_workbook(path).active
    assert sheet.title == "ab"
    assert sheet["A1"].value == TITLE and sheet["A1"].font.bold
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:E1"]
    assert [cell.value for cell in sheet[2]] == HEADER
    assert all(cell.font.bold for cell in sheet[2])
    assert sheet.freeze_panes == "A3"
    assert sheet.column_dimensions["D"].width >= 2 * len(long_titles)
    assert sheet.column_dimensions["A"].width < sheet.column_dimensions["D"].width


def test_xlsx_without_title_freezes_under_the_first_row(tmp_path: Path) -> None:
    path = tmp_path / "e.xlsx"
    write_table(path, HEADER, [])
    sheet = openpyxl.load_workbook(path).active
    assert sheet.freeze_panes == "A2" and not sheet.merged_cells.ranges


def test_unsupported_export_type_writes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(InterchangeError) as caught:
        write_table(folder / "e.doc", HEADER, [])
    assert ".xlsx" in str(caught.value)
    assert list(folder.iterdir()) == []


def _failing_rows() -> Iterator[list[object]]:
    yield [1, "甲", "组长", "", ""]
    raise RuntimeError("database went away")


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_failed_export_leaves_the_previous_file_intact(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / "out" / f"e{suffix}"
    path.parent.mkdir()
    write_table(path, HEADER, [[1, "旧", "", "", ""]])
    before = path.read_bytes()
    with pytest.raises(RuntimeError):
        write_table(path, HEADER, _failing_rows())
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no temporary left


def test_a_crash_while_saving_never_leaves_half_a_workbook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "out" / "e.xlsx"
    path.parent.mkdir()
    write_table(path, HEADER, [[1, "旧", "", "", ""]])
    before = path.read_bytes()

    def half_save(self: openpyxl.Workbook, filename: str) -> None:
        Path(filename).write_bytes(b"PK\x03\x04 half")
        raise OSError("disk full")

    monkeypatch.setattr(openpyxl.Workbook, "save", half_save)
    with pytest.raises(OSError):
        write_table(path, HEADER, [[1, "新", "", "", ""]])
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


# ---------------------------------------------------------------------------- the error


def test_error_summary_names_the_first_problems_and_counts_the_rest() -> None:
    problems = [Problem(row, "姓名", "the name is empty") for row in range(3, 9)]
    error = InterchangeError(problems)
    assert str(error) == (
        "Row 3, 姓名: the name is empty; Row 4, 姓名: the name is empty; "
        "Row 5, 姓名: the name is empty (and 3 more)"
    )
    assert len(error.lines()) == 6 and "\n" not in str(error)


def test_problem_lines_without_row_or_column() -> None:
    error = InterchangeError(
        [Problem(None, "姓名", "not found"), Problem(7, None, "bad row"), Problem(None, None, "x")]
    )
    assert error.lines() == ["Column 姓名: not found", "Row 7: bad row", "x"]
    assert str(error) == "Column 姓名: not found; Row 7: bad row; x"


def test_error_survives_pickling_for_worker_processes() -> None:
    error = InterchangeError([Problem(5, "姓名", "empty")])
    copy = pickle.loads(pickle.dumps(error))
    assert copy.problems == error.problems and str(copy) == str(error)


def test_a_folder_is_not_taken_for_a_file(tmp_path: Path) -> None:
    folder = tmp_path / "名单"
    folder.mkdir()
    with pytest.raises(InterchangeError) as caught:
        read_table(folder, COLUMNS)
    assert "folder" in str(caught.value)


def test_a_zip_of_a_version_python_cannot_read_is_a_damaged_file(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "x")
    data = bytearray(buffer.getvalue())
    central = data.find(b"PK\x01\x02")
    data[central + 6] = 64  # "needs zip version 6.4" (strong encryption)
    path = tmp_path / "名单.xlsx"
    path.write_bytes(bytes(data))
    with pytest.raises(InterchangeError, match=r"名单\.xlsx"):
        read_table(path, [ColumnSpec("姓名")])
