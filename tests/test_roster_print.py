"""The leading-group roster attachment, checked on the text and layout of the PDF."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest

from app.i18n import current_language, set_language
from app.prints.document import LEFT_MARGIN, TYPE_WIDTH
from app.prints.fonts import FontSet, bundled_fonts
from app.roster.print import (
    RosterDocument,
    office_sentence,
    pad_name,
    role_label,
    roster_title,
)
from app.roster.roles import GroupRole, OfficeRole
from app.roster.snapshot import RosterLine, RosterSnapshot

AS_OF = dt.date(2026, 11, 23)


def _line(
    number: int,
    name: str,
    role: GroupRole,
    titles: tuple[str, ...],
    office: OfficeRole | None = None,
) -> RosterLine:
    return RosterLine(number, number, name, role, office, titles)


def sample_snapshot(extra_members: int = 0) -> RosterSnapshot:
    """An invented township: every name and place here is fictional."""
    lines = [
        _line(1, "韩立新", GroupRole.LEADER, ("镇党委书记",)),
        _line(2, "闫旻", GroupRole.LEADER, ("镇党委副书记", "镇长")),
        _line(3, "柯堃", GroupRole.EXECUTIVE_DEPUTY, ("镇党委委员", "常务副镇长")),
        _line(4, "张三丰", GroupRole.DEPUTY, ("镇党委委员", "组织委员")),
        _line(5, "欧阳玥", GroupRole.DEPUTY, ("镇人大主席",)),
        _line(
            6,
            "岑喆",
            GroupRole.DEPUTY,
            ("副镇长（分管安全生产、应急管理、消防、交通运输和农业农村工作）",),
            OfficeRole.DIRECTOR,
        ),
        _line(7, "苗镕", GroupRole.MEMBER, ("镇应急管理办公室主任",), OfficeRole.DEPUTY_DIRECTOR),
        _line(8, "童可欣", GroupRole.MEMBER, ("组织委员", "常青村党总支书记", "主任")),
        _line(9, "霍思远", GroupRole.MEMBER, ("镇综合行政执法队队长",)),
    ]
    families = "赵钱孙李周吴郑王冯陈褚卫蒋沈杨朱秦尤许何吕施孔曹严华金魏陶姜"
    given = ["文华", "晓峰", "建平", "海燕", "子涵", "雨桐", "思琪", "浩然", "立", "敏"]
    for index in range(extra_members):
        name = families[index % len(families)] + given[index // len(families)]
        lines.append(
            _line(100 + index, name, GroupRole.MEMBER, (f"第{index + 1}网格安全员", "村委委员"))
        )
    return RosterSnapshot(
        group_name="青禾镇安全生产领导小组",
        township_name="青禾镇",
        office_location="镇应急管理办公室",
        as_of=AS_OF,
        lines=tuple(lines),
    )


@pytest.fixture(scope="module")
def fonts() -> FontSet:
    return bundled_fonts()


@pytest.fixture(scope="module")
def sample_pdf(fonts: FontSet) -> bytes:
    return RosterDocument(sample_snapshot(), fonts=fonts).render_bytes()


@pytest.fixture(scope="module")
def big_pdf(fonts: FontSet) -> bytes:
    return RosterDocument(sample_snapshot(extra_members=291), fonts=fonts).render_bytes()


def _texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def _flat(text: str) -> str:
    """Text without line breaks and ASCII spaces (extraction puts them between table cells)."""
    return re.sub(r"[ \n\r]+", "", text)


# -- pieces -------------------------------------------------------------------------------


def test_pad_name() -> None:
    assert pad_name("张三") == "张\u3000三"
    assert pad_name("闫旻") == "闫\u3000旻"
    assert pad_name("张三丰") == "张三丰"
    assert pad_name("欧阳明月") == "欧阳明月"
    assert pad_name("Li") == "Li"


def test_role_labels_align() -> None:
    five = [role_label(role, 5) for role in GroupRole]
    assert five == [
        "组\u3000\u3000\u3000长：",
        "常务副组长：",
        "副\u3000组\u3000长：",
        "成\u3000\u3000\u3000员：",
    ]
    assert {len(label) for label in five} == {6}
    three = [role_label(role, 3) for role in (GroupRole.LEADER, GroupRole.DEPUTY, GroupRole.MEMBER)]
    assert three == ["组\u3000长：", "副组长：", "成\u3000员："]


def test_office_sentence_omits_empty_pieces() -> None:
    snapshot = sample_snapshot()
    assert office_sentence(snapshot) == (
        "领导小组下设办公室，办公室设在镇应急管理办公室，岑喆同志兼任办公室主任，"
        "苗镕同志兼任办公室副主任。"
    )
    no_office = RosterSnapshot(
        "青禾镇安全生产领导小组",
        "青禾镇",
        "",
        AS_OF,
        tuple(
            RosterLine(line.membership_id, line.person_id, line.name, line.role, None, line.titles)
            for line in snapshot.lines
        ),
    )
    assert office_sentence(no_office) == ""
    only_place = RosterSnapshot("组", "镇", "镇政府办公室", AS_OF, ())
    assert office_sentence(only_place) == "领导小组下设办公室，办公室设在镇政府办公室。"


# -- the PDF --------------------------------------------------------------------------------


def test_title_and_date(sample_pdf: bytes) -> None:
    first = _texts(sample_pdf)[0]
    lines = [line.strip() for line in first.splitlines() if line.strip()]
    assert "青禾镇安全生产领导小组成员名单" in lines
    assert "（2026年11月23日）" in lines
    assert lines.index("（2026年11月23日）") == lines.index("青禾镇安全生产领导小组成员名单") + 1
    meta = pypdf.PdfReader(io.BytesIO(sample_pdf)).metadata
    assert meta.title == "青禾镇安全生产领导小组成员名单"
    assert meta.author == "SafeDuty"


def test_members_labels_and_titles(sample_pdf: bytes) -> None:
    text = "".join(_texts(sample_pdf))
    flat = _flat(text)
    snapshot = sample_snapshot()
    for line in snapshot.lines:
        assert pad_name(line.name) in text, line.name
        assert _flat(line.titles_text) in flat, line.titles_text
    # Each role label once, on the first line of its block, in role order.
    labels = [
        "组\u3000\u3000\u3000长：",
        "常务副组长：",
        "副\u3000组\u3000长：",
        "成\u3000\u3000\u3000员：",
    ]
    positions = [text.index(label) for label in labels]
    assert positions == sorted(positions)
    assert all(text.count(label) == 1 for label in labels)
    assert flat.index("组\u3000\u3000\u3000长：韩立新") < flat.index("闫\u3000旻")


def test_member_rows_read_label_name_titles(sample_pdf: bytes) -> None:
    lines = [_flat(line) for line in _texts(sample_pdf)[0].splitlines()]
    assert "常务副组长：柯\u3000堃镇党委委员、常务副镇长" in lines
    assert "童可欣组织委员、常青村党总支书记、主任" in lines


def _text_starts(page: pypdf.PageObject) -> list[tuple[str, float, float]]:
    """(text, x, y) of every text chunk, in page coordinates."""
    found: list[tuple[str, float, float]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((text.strip(), x, y))

    page.extract_text(visitor_text=visit)
    return found


def test_long_titles_wrap_under_themselves(sample_pdf: bytes) -> None:
    chunks = _text_starts(pypdf.PdfReader(io.BytesIO(sample_pdf)).pages[0])
    first = next((x, y) for text, x, y in chunks if text.startswith("副镇长（分管"))
    wrapped = next((x, y) for text, x, y in chunks if text.startswith("消防、交通运输"))
    short = next((x, y) for text, x, y in chunks if text.startswith("镇人大主席"))
    assert wrapped[0] == pytest.approx(first[0], abs=0.5)
    assert wrapped[1] < first[1]  # the next line down
    assert short[0] == pytest.approx(first[0], abs=0.5)
    label = next(x for text, x, y in chunks if text.startswith("组\u3000"))
    name = next(x for text, x, y in chunks if text.startswith("张三丰"))
    assert label < name < first[0]


def test_office_line(sample_pdf: bytes) -> None:
    flat = _flat("".join(_texts(sample_pdf)))
    assert office_sentence(sample_snapshot()) in flat
    assert "岑喆同志兼任办公室主任" in flat  # unpadded in running text


def test_rare_characters_are_not_dropped(sample_pdf: bytes) -> None:
    text = "".join(_texts(sample_pdf))
    for name in ("闫\u3000旻", "柯\u3000堃", "欧阳玥", "岑\u3000喆", "苗\u3000镕"):
        assert name in text


def test_fonts_embedded(sample_pdf: bytes) -> None:
    reader = pypdf.PdfReader(io.BytesIO(sample_pdf))
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert "/FontFile2" in font["/FontDescriptor"].get_object(), font["/BaseFont"]


def test_a4(sample_pdf: bytes) -> None:
    page = pypdf.PdfReader(io.BytesIO(sample_pdf)).pages[0]
    assert float(page.mediabox.width) == pytest.approx(595.28, abs=0.05)
    assert float(page.mediabox.height) == pytest.approx(841.89, abs=0.05)


def test_300_members_span_pages_with_numbers(big_pdf: bytes) -> None:
    reader = pypdf.PdfReader(io.BytesIO(big_pdf))
    assert len(reader.pages) >= 10
    middle = LEFT_MARGIN + TYPE_WIDTH / 2
    for number, page in enumerate(reader.pages, start=1):
        marks: list[tuple[str, float]] = []

        def visit(text, cm, tm, font, size, marks=marks):
            if "—" in text:
                marks.append((text.strip(), tm[4]))

        page.extract_text(visitor_text=visit)
        assert [mark for mark, _x in marks] == [f"— {number} —"]
        x = marks[0][1]
        assert (x > middle) if number % 2 else (x < middle), (number, x)


def test_300_members_all_printed_once(big_pdf: bytes) -> None:
    text = "".join(_texts(big_pdf))
    snapshot = sample_snapshot(extra_members=291)
    assert len(snapshot.lines) == 300
    for line in snapshot.lines:
        assert text.count(pad_name(line.name)) == 1, line.name
    assert office_sentence(snapshot) in _flat(text)
    # The role label is not repeated on continuation pages.
    assert text.count("成\u3000\u3000\u3000员：") == 1


def test_roster_rows_sit_on_the_page_grid(big_pdf: bytes) -> None:
    """Every page is filled to its 22 grid lines."""
    pages = _texts(big_pdf)
    # Page 1: title, date, a blank line and the nine fixed members (one of them on two
    # lines) take 13 lines; nine generated members fill the other nine.
    first = [line for line in pages[0].splitlines() if "网格安全员" in line]
    assert len(first) == 9
    second = [line for line in pages[1].splitlines() if "网格安全员" in line]
    assert len(second) == 22


@pytest.fixture
def english() -> Iterator[None]:
    before = current_language()
    set_language("en")
    yield
    set_language(before)


def test_official_wording_is_chinese_in_an_english_interface(fonts: FontSet, english: None) -> None:
    text = "".join(_texts(RosterDocument(sample_snapshot(), fonts=fonts).render_bytes()))
    assert roster_title(sample_snapshot()) in text
    assert "（2026年11月23日）" in text
    assert "常务副组长：" in text


def test_empty_roster_prints_title_only(fonts: FontSet) -> None:
    snapshot = RosterSnapshot("青禾镇安全生产领导小组", "青禾镇", "", AS_OF, ())
    text = _texts(RosterDocument(snapshot, fonts=fonts).render_bytes())[0]
    assert "青禾镇安全生产领导小组成员名单" in text
    assert "领导小组下设办公室" not in text


def test_render_to_path(fonts: FontSet, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "roster.pdf"
    RosterDocument(sample_snapshot(), fonts=fonts).render(target)
    assert target.read_bytes().startswith(b"%PDF")
    assert [p.name for p in folder.iterdir()] == ["roster.pdf"]


def test_a_very_long_name_wraps_instead_of_breaking_the_page(fonts: FontSet) -> None:
    base = sample_snapshot()
    long_name = "阿卜杜热合曼·买买提依明·艾力克木·吐尔逊江·阿布都"  # 26 of the 60 allowed
    lines = (dataclasses.replace(base.lines[0], name=long_name), *base.lines[1:])
    snapshot = dataclasses.replace(base, lines=lines)
    text = _flat("".join(_texts(RosterDocument(snapshot, fonts=fonts).render_bytes())))
    assert "阿卜杜热合曼" in text
    assert "镇党委副书记、镇长" in text
