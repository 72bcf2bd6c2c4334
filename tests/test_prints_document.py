"""The document layer: fonts and fallback, CJK line breaking and justification, page layout,
page numbers, embedding and atomic output — checked on the PDF itself."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import pypdf
import pypdfium2 as pdfium
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.platypus import Flowable

from app.prints import fonts as fonts_module
from app.prints.document import (
    CHAR_PITCH,
    LEFT_MARGIN,
    TYPE_WIDTH,
    OfficialDocument,
)
from app.prints.fonts import (
    FontError,
    FontSet,
    bundled_font_path,
    bundled_fonts,
    has_glyph,
    load_fonts,
    register_font_file,
)
from app.prints.numbering import chinese_numeral, heading_number
from app.prints.paragraph import NO_LINE_START, CJKParagraph, break_lines

RIGHT_EDGE = LEFT_MARGIN + TYPE_WIDTH

# 26 characters fill the first line of a body paragraph (28 minus the two-character indent),
# 28 every further line; the punctuation sits exactly where a plain character-by-character
# wrap would start a line with it (line 2 starts one character early, at FIRST[-1], so it
# ends after SECOND's 26th character).
FIRST = "安全生产责任制落实到每一个岗位每一名员工确保横向到边"
SECOND = "纵向到底齐抓共管失职追责管行业必须管安全管业务管安全"
TRIGGER_TEXT = (
    FIRST + "，" + SECOND + "。" + "全面压实属地管理责任和行业监管责任，坚决防范遏制事故发生。"
)


@pytest.fixture(scope="module")
def fonts() -> FontSet:
    return bundled_fonts()


class _Doc(OfficialDocument):
    """A document whose story is given by the test."""

    def __init__(self, fonts: FontSet, build, title: str = "测试文件", **kw):
        super().__init__(fonts=fonts, **kw)
        self._build_story = build
        self._title = title

    def document_title(self) -> str:
        return self._title

    def document_subject(self) -> str:
        return "测试主题"

    def story(self) -> list[Flowable]:
        return self._build_story(self)


def _pages_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def _lines(data: bytes) -> list[str]:
    return [line.strip() for text in _pages_text(data) for line in text.splitlines()]


# -- fonts --------------------------------------------------------------------------------


def test_bundled_fonts_have_the_roles_and_licences() -> None:
    for name in ("gbsn00lp.ttf", "gkai00mp.ttf", "DroidSansFallbackFull.ttf"):
        assert bundled_font_path(name).is_file()
    folder = bundled_font_path("x").parent
    assert (folder / "ARPHICPL.TXT").is_file()
    assert "Apache License" in (folder / "LICENSE-APACHE-2.0.txt").read_text(encoding="utf-8")
    readme = (folder / "README.md").read_text(encoding="utf-8")
    for name in ("gbsn00lp.ttf", "gkai00mp.ttf", "DroidSansFallbackFull.ttf"):
        assert name in readme


def test_bundled_font_set_uses_song_kai_and_droid(fonts: FontSet) -> None:
    assert all(source.origin == "bundled" for source in fonts.sources.values())
    assert fonts.sources["body"].path.name == "gbsn00lp.ttf"
    assert fonts.sources["heading2"].path.name == "gkai00mp.ttf"
    assert fonts.sources["heading1"].path.name == "DroidSansFallbackFull.ttf"
    # The premise of the fallback: neither font covers everything.
    assert not has_glyph(fonts.body, "旻") and has_glyph(fonts.heading1, "旻")
    assert not has_glyph(fonts.heading1, "A") and has_glyph(fonts.body, "A")


def test_runs_split_text_by_coverage(fonts: FontSet) -> None:
    assert fonts.runs("闫旻同志", fonts.body) == [
        ("闫", fonts.body),
        ("旻", fonts.heading1),
        ("同志", fonts.body),
    ]
    # 黑体 role on Droid: Latin letters and digits come from 宋体.
    assert fonts.runs("一、Test 2026", fonts.heading1) == [
        ("一、", fonts.heading1),
        ("Test 2026", fonts.song),
    ]
    assert "".join(text for text, _font in fonts.runs("张　三 A&B", fonts.body)) == "张　三 A&B"


def test_markup_wraps_missing_characters_and_escapes(fonts: FontSet) -> None:
    markup = fonts.markup("闫旻同志<b>&amp;\n第二行", "body")
    assert f'<font face="{fonts.heading1}">旻</font>' in markup
    assert "&lt;b&gt;&amp;amp;" in markup
    assert "<br/>" in markup
    assert markup.startswith("闫") and "</font>同志&lt;" in markup


def test_register_refuses_cff_and_broken_files(tmp_path: Path) -> None:
    cff = tmp_path / "NotoSansCJK.otf"
    cff.write_bytes(b"OTTO" + b"\0" * 200)
    with pytest.raises(FontError, match="CFF") as caught:
        register_font_file(cff)
    assert str(cff) in str(caught.value)

    truncated = tmp_path / "broken.ttf"
    truncated.write_bytes(bundled_font_path("gkai00mp.ttf").read_bytes()[:2000])
    with pytest.raises(FontError) as caught:
        register_font_file(truncated)
    assert str(truncated) in str(caught.value)

    with pytest.raises(FontError):
        register_font_file(tmp_path / "missing.ttf")
    not_a_font = tmp_path / "notes.ttf"
    not_a_font.write_text("hello", encoding="utf-8")
    with pytest.raises(FontError):
        register_font_file(not_a_font)


def test_font_registered_once(tmp_path: Path) -> None:
    path = bundled_font_path("gkai00mp.ttf")
    assert register_font_file(path) == register_font_file(Path(str(path)))


def test_user_font_wins_and_broken_user_font_falls_back(tmp_path: Path) -> None:
    chosen = tmp_path / "my-fangsong.ttf"
    shutil.copy(bundled_font_path("gkai00mp.ttf"), chosen)
    with_choice = load_fonts({"body": str(chosen)}, search_system=False)
    assert with_choice.sources["body"].origin == "user"
    assert with_choice.sources["body"].path == chosen

    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"\0\1\0\0garbage")
    with_broken = load_fonts({"body": str(broken)}, search_system=False)
    assert with_broken.sources["body"].origin == "bundled"
    assert any(str(broken) in problem for problem in with_broken.problems)


def test_windows_font_names_are_found_in_font_folders(tmp_path: Path) -> None:
    folder = tmp_path / "fonts" / "windows"
    folder.mkdir(parents=True)
    # A copied Windows font often arrives upper-cased.
    shutil.copy(bundled_font_path("gkai00mp.ttf"), folder / "SIMKAI.TTF")
    found = load_fonts(None, system_dirs=[tmp_path / "fonts"])
    assert found.sources["heading2"].origin == "system"
    assert found.sources["heading2"].path.name == "SIMKAI.TTF"
    assert found.sources["body"].origin == "bundled"


def test_system_dirs_on_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts_module.sys, "platform", "win32")
    monkeypatch.setenv("WINDIR", r"D:\Win")
    assert Path(r"D:\Win") / "Fonts" in fonts_module.system_font_dirs()


# -- line breaking -------------------------------------------------------------------------


def _body(fonts: FontSet) -> CJKParagraph:
    doc = _Doc(fonts, lambda d: [])
    return doc.paragraph(TRIGGER_TEXT, "body")


def test_grid_holds_28_characters_and_26_after_the_indent(fonts: FontSet) -> None:
    doc = _Doc(fonts, lambda d: [])
    text = "安" * 100
    flush = doc.paragraph(text, "body_flush")
    flush.wrap(TYPE_WIDTH, 10_000)
    assert [line.end - line.start for line in flush._lines] == [28, 28, 28, 16]
    body = doc.paragraph(text, "body")
    body.wrap(TYPE_WIDTH, 10_000)
    assert [line.end - line.start for line in body._lines][:2] == [26, 28]


def test_no_line_starts_with_closing_punctuation(fonts: FontSet) -> None:
    paragraph = _body(fonts)
    paragraph.wrap(TYPE_WIDTH, 10_000)
    text = paragraph.text
    starts = [text[line.start] for line in paragraph._lines]
    assert not set(starts) & NO_LINE_START
    # The trigger is real: without the rule the second line would start with "，".
    assert len(FIRST) == 26 and text[26] == "，"
    assert starts[1] == FIRST[-1]  # the character before the comma moved down with it
    assert len(SECOND) == 26 and text[25 + 28] == "。"
    assert starts[2] == SECOND[-1]


def test_no_line_ends_with_opening_punctuation(fonts: FontSet) -> None:
    doc = _Doc(fonts, lambda d: [])
    paragraph = doc.paragraph("安" * 27 + "《" + "安全生产法》" + "安" * 10, "body_flush")
    paragraph.wrap(TYPE_WIDTH, 10_000)
    text = paragraph.text
    assert text[paragraph._lines[0].end - 1] != "《"
    assert text[paragraph._lines[1].start] == "《"


def test_two_line_title_is_balanced(fonts: FontSet) -> None:
    doc = _Doc(fonts, lambda d: [])
    title = doc.title("青禾镇安全生产委员会暨消防安全委员会领导小组成员名单")  # 27 characters
    title.wrap(TYPE_WIDTH, 10_000)
    lengths = [line.end - line.start for line in title._lines]
    assert len(lengths) == 2 and max(lengths) - min(lengths) <= 1, lengths


def test_latin_words_are_not_broken(fonts: FontSet) -> None:
    doc = _Doc(fonts, lambda d: [])
    paragraph = doc.paragraph("安" * 26 + "GB9704标准", "body_flush")
    paragraph.wrap(TYPE_WIDTH, 10_000)
    text = paragraph.text
    assert text[paragraph._lines[1].start :].startswith("GB9704")


def test_break_lines_always_progresses_on_a_very_long_word(fonts: FontSet) -> None:
    doc = _Doc(fonts, lambda d: [])
    paragraph = doc.paragraph("x" * 500, "body_flush")
    paragraph.wrap(TYPE_WIDTH, 10_000)
    lines = break_lines(paragraph._text, TYPE_WIDTH, TYPE_WIDTH)
    assert sum(line.end - line.start for line in lines) == 500
    assert len(lines) > 1


def test_pdf_lines_never_start_with_comma_or_full_stop(fonts: FontSet) -> None:
    data = _Doc(fonts, lambda d: [d.paragraph(TRIGGER_TEXT * 3)]).render_bytes()
    lines = [line for line in _lines(data) if line]
    assert len(lines) >= 6
    assert not [line for line in lines if line[0] in "，。；：！？、）》”"]
    assert "".join(lines[1:]).replace(" ", "").startswith(TRIGGER_TEXT)


def test_body_lines_are_justified_except_the_last(fonts: FontSet) -> None:
    data = _Doc(fonts, lambda d: [d.paragraph(TRIGGER_TEXT)]).render_bytes()
    pdf = pdfium.PdfDocument(data)
    textpage = pdf[0].get_textpage()
    rights: dict[int, float] = {}
    for index in range(textpage.count_chars()):
        char = textpage.get_text_range(index, 1)
        if not char.strip() or char in "—0123456789":
            continue  # the page number
        _left, bottom, right, _top = textpage.get_charbox(index, loose=True)
        key = round(bottom)
        rights[key] = max(rights.get(key, 0.0), right)
    lines = [rights[key] for key in sorted(rights, reverse=True)]
    assert len(lines) == 4
    # The first line lost a character to the next (避头尾) and still reaches the right edge.
    for right in lines[:-1]:
        assert right == pytest.approx(RIGHT_EDGE, abs=2.0)
    assert lines[-1] < RIGHT_EDGE - 3 * CHAR_PITCH


# -- the page ------------------------------------------------------------------------------


def test_a4_portrait_and_landscape(fonts: FontSet) -> None:
    portrait = pypdf.PdfReader(io.BytesIO(_Doc(fonts, lambda d: [d.title("标题")]).render_bytes()))
    box = portrait.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(A4, abs=0.01)
    landscape_doc = _Doc(fonts, lambda d: [d.title("标题")], orientation="landscape")
    landscape = pypdf.PdfReader(io.BytesIO(landscape_doc.render_bytes()))
    box = landscape.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx((A4[1], A4[0]), abs=0.01)


def test_metadata(fonts: FontSet) -> None:
    reader = pypdf.PdfReader(io.BytesIO(_Doc(fonts, lambda d: [d.title("标题")]).render_bytes()))
    assert reader.metadata.title == "测试文件"
    assert reader.metadata.author == "SafeDuty"
    assert reader.metadata.subject == "测试主题"


def test_fonts_are_embedded_truetype(fonts: FontSet) -> None:
    data = _Doc(
        fonts,
        lambda d: [
            d.title("标题闫旻"),
            d.heading("一、总体要求 Part 1", 1),
            d.heading("（一）工作职责", 2),
            d.paragraph("正文 ABC 123"),
            d.table([["序号", "姓名"], ["1", "闫旻"]]),
        ],
    ).render_bytes()
    reader = pypdf.PdfReader(io.BytesIO(data))
    seen = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            seen.add(font["/BaseFont"])
            assert font["/Subtype"] == "/TrueType", font["/BaseFont"]
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, font["/BaseFont"]
    assert any("DroidSansFallback" in name for name in seen)
    assert any("BousungEG" in name for name in seen)
    assert any("GBZenKai" in name for name in seen)


def test_rare_characters_extract_correctly(fonts: FontSet) -> None:
    data = _Doc(fonts, lambda d: [d.paragraph("闫旻、柯堃、李喆、欧阳玥、王镕同志")]).render_bytes()
    assert "闫旻、柯堃、李喆、欧阳玥、王镕同志" in _pages_text(data)[0]


def test_full_width_space_survives(fonts: FontSet) -> None:
    data = _Doc(fonts, lambda d: [d.paragraph("张　三", "body_flush")]).render_bytes()
    assert "张\u3000三" in _pages_text(data)[0]


def test_long_paragraph_split_across_pages_keeps_its_text(fonts: FontSet) -> None:
    text = "".join(f"第{chinese_numeral(i % 99 + 1)}条要求落实到位，" for i in range(120))
    data = _Doc(fonts, lambda d: [d.paragraph(text)]).render_bytes()
    pages = _pages_text(data)
    assert len(pages) >= 2
    body = "".join(
        line.strip()
        for page in pages
        for line in page.splitlines()
        if not line.strip().startswith("—")
    )
    assert body == text


def test_a_paragraph_asked_to_split_into_no_room_gives_nothing(fonts: FontSet) -> None:
    # Table cells can offer a paragraph a negative height once their padding is taken.
    doc = _Doc(fonts, lambda d: [])
    paragraph = doc.paragraph("安全生产" * 40)
    assert paragraph.split(200, -100) == []
    assert paragraph.split(200, 0) == []


def test_a_long_title_breaks_before_its_date_not_inside_it(fonts: FontSet) -> None:
    title = "青禾镇丰田社区2025年12月安全生产工作会议纪要"
    data = _Doc(fonts, lambda d: [d.title(title)]).render_bytes()
    lines = [line.strip() for line in _pages_text(data)[0].splitlines() if line.strip()]
    assert "青禾镇丰田社区" in lines and "2025年12月安全生产工作会议纪要" in lines
    short = _Doc(fonts, lambda d: [d.title("安全生产会议纪要")]).render_bytes()
    assert "安全生产会议纪要" in _pages_text(short)[0]


def test_page_numbers_odd_right_even_left(fonts: FontSet) -> None:
    data = _Doc(fonts, lambda d: [d.paragraph("安全" * 700)]).render_bytes()
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 3
    for number, page in enumerate(reader.pages[:3], start=1):
        found: list[tuple[str, float, float]] = []

        def visit(text, cm, tm, font, size, found=found):
            if "—" in text:
                found.append((text.strip(), tm[4], tm[5]))

        page.extract_text(visitor_text=visit)
        assert [text for text, _x, _y in found] == [f"— {number} —"]
        _text, x, y = found[0]
        width = 49.0  # "— N —" in 14 pt: two em dashes, two half spaces, one digit
        if number % 2:
            assert x + width == pytest.approx(RIGHT_EDGE - 14, abs=0.5)
        else:
            assert x == pytest.approx(LEFT_MARGIN + 14, abs=0.5)
        # Below the type area (bottom at 35 mm), its top about 7 mm lower.
        assert 20 * 72 / 25.4 < y < 28 * 72 / 25.4


def test_page_total_canvas(fonts: FontSet) -> None:
    class Counted(_Doc):
        needs_page_total = True

        def page_number_text(self, number: int, total: int | None) -> str:
            return f"第{number}页 共{total}页"

    data = Counted(fonts, lambda d: [d.paragraph("安全" * 700)]).render_bytes()
    pages = _pages_text(data)
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert f"第{number}页 共{len(pages)}页" in text


def test_heading_stays_with_the_start_of_its_paragraph(fonts: FontSet) -> None:
    filler = "安" * (28 * 17 - 2)  # 17 lines, leaving 5 on the first page
    data = _Doc(
        fonts,
        lambda d: [
            d.paragraph(filler),
            d.heading("二、保障措施", 1),
            d.paragraph("落实" * 140),  # 10 lines
        ],
    ).render_bytes()
    first_page = _pages_text(data)[0]
    # reportlab's own keepWithNext would push heading and paragraph to page 2.
    assert "二、保障措施" in first_page
    assert "落实落实" in first_page


def test_heading_alone_at_the_page_foot_moves_on(fonts: FontSet) -> None:
    filler = "安" * (28 * 21 - 2)  # 21 lines: the heading would be the last line
    data = _Doc(
        fonts,
        lambda d: [d.paragraph(filler), d.heading("二、保障措施", 1), d.paragraph("落实" * 140)],
    ).render_bytes()
    pages = _pages_text(data)
    assert "二、保障措施" not in pages[0]
    assert "二、保障措施" in pages[1]


def test_table_repeats_its_header(fonts: FontSet) -> None:
    rows = [["序号", "单位", "责任人"]] + [[str(i), "常青村民委员会", "闫旻"] for i in range(80)]
    data = _Doc(fonts, lambda d: [d.table(rows, d.column_widths(1, 4, 2))]).render_bytes()
    pages = _pages_text(data)
    assert len(pages) >= 2
    for text in pages:
        assert "序号" in text and "责任人" in text
    assert all(f"{i} 常青村民委员会" in "".join(pages) for i in (0, 79))


def test_signature_block_and_date(fonts: FontSet) -> None:
    data = _Doc(
        fonts, lambda d: [d.signature_block("青禾镇人民政府", dt.date(2026, 11, 23))]
    ).render_bytes()
    text = _pages_text(data)[0]
    assert "青禾镇人民政府" in text and "2026年11月23日" in text


def test_heading_numbers() -> None:
    assert [chinese_numeral(n) for n in (1, 10, 11, 20, 23, 99)] == [
        "一",
        "十",
        "十一",
        "二十",
        "二十三",
        "九十九",
    ]
    assert [heading_number(level, 3) for level in (1, 2, 3, 4)] == ["三、", "（三）", "3.", "（3）"]


# -- output --------------------------------------------------------------------------------


def test_render_writes_atomically(fonts: FontSet, tmp_path: Path) -> None:
    target = tmp_path / "out" / "notice.pdf"
    target.parent.mkdir()
    _Doc(fonts, lambda d: [d.title("标题"), d.paragraph("正文")]).render(target)
    assert target.read_bytes().startswith(b"%PDF")
    assert [p.name for p in target.parent.iterdir()] == ["notice.pdf"]


class _Exploding(Flowable):
    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return availWidth, 10

    def draw(self) -> None:
        raise RuntimeError("disk on fire")


def test_failed_render_leaves_no_file(fonts: FontSet, tmp_path: Path) -> None:
    folder = tmp_path / "prints"
    folder.mkdir()
    target = folder / "notice.pdf"
    doc = _Doc(fonts, lambda d: [d.paragraph("正文 " * 400), _Exploding()])
    with pytest.raises(RuntimeError, match="disk on fire"):
        doc.render(target)
    assert list(folder.iterdir()) == []


def test_failed_render_keeps_the_previous_file(fonts: FontSet, tmp_path: Path) -> None:
    folder = tmp_path / "prints"
    folder.mkdir()
    target = folder / "notice.pdf"
    target.write_bytes(b"%PDF old")
    with pytest.raises(RuntimeError):
        _Doc(fonts, lambda d: [_Exploding()]).render(target)
    assert target.read_bytes() == b"%PDF old"
    assert [p.name for p in folder.iterdir()] == ["notice.pdf"]
