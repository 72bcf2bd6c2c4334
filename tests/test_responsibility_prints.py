"""The responsibility system's prints, checked on the text of the PDF: the matrix (分工表),
the duty cards (岗位安全职责清单), the coverage check and the grid of levels."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest

from app.demo import create_demo
from app.i18n import current_language, set_language
from app.org.kinds import PostKind, UnitKind
from app.org.people import person_choices
from app.prints.document import TOP_MARGIN
from app.prints.fonts import FontSet, bundled_fonts
from app.responsibility import assignments as assign
from app.responsibility.assignments import AssignmentError, leaders_on
from app.responsibility.coverage import Rule, check_coverage
from app.responsibility.duties import DUTY_KINDS, DutyItem, duty_number, save_duties
from app.responsibility.levels import Level
from app.responsibility.matrix import (
    Column,
    Entry,
    MatrixLine,
    load_matrix,
    post_holders,
    save_matrix,
)
from app.responsibility.print_common import MergingTable, stack_entries
from app.responsibility.print_tables import MATRIX_WIDTHS
from app.responsibility.prints import (
    CARD_TITLE,
    COMPLETE_SENTENCE,
    GRID_HEADER,
    MATRIX_HEADER,
    SIGNATURE_LINE,
    CoverageDocument,
    DutyCardsDocument,
    GridDocument,
    MatrixDocument,
    coverage_snapshot,
    duty_cards_snapshot,
    grid_snapshot,
    matrix_snapshot,
    print_coverage,
    print_duty_card,
    print_duty_cards,
    print_grid,
    print_matrix,
)
from app.roster.service import roster_as_of
from app.storage.models import Person, Post, Unit

DAY = dt.date(2026, 6, 30)
START = dt.date(2025, 1, 1)
HANDOVER = dt.date(2026, 3, 1)
DATE_LINE = "（2026年6月30日）"


@pytest.fixture(scope="module")
def fonts() -> FontSet:
    return bundled_fonts()


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """A folder for the PDFs alone (the test database sits in tmp_path)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def _pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def _flat(text: str) -> str:
    """Text without line breaks and ASCII spaces (extraction puts them between table cells)."""
    return re.sub(r"[ \n\r]+", "", text)


def _column_text(data: bytes, left: float, right: float) -> str:
    """The text drawn between ``left`` and ``right`` (page coordinates) on every page."""
    found: list[str] = []
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:

        def visit(text, cm, tm, font, size):  # type: ignore[no-untyped-def]
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            if text.strip() and left <= x < right:
                found.append(text)

        page.extract_text(visitor_text=visit)
    return "".join(found)


def _pdf_pages(path: Path) -> list[str]:
    return _pages(path.read_bytes())


# -- a small township built by hand ----------------------------------------------------------


def unit(name: str, kind: UnitKind, **fields: object) -> int:
    return int(Unit.create(name=name, kind=kind.value, **fields).id)


def person(name: str, *posts: tuple[str, PostKind, int | None], start: dt.date = START) -> int:
    pid = int(Person.create(name=name).id)
    for order, (title, kind, unit_id) in enumerate(posts):
        Post.create(
            person=pid,
            title=title,
            kind=kind.value,
            unit=unit_id,
            sort_order=order,
            start_date=start,
        )
    return pid


@pytest.fixture
def town() -> dict[str, int]:
    """An invented township; the 镇长 changed hands on HANDOVER (闫旻 after 张昶)."""
    ids = {"town": unit("青禾镇", UnitKind.TOWNSHIP)}
    ids["office"] = unit("应急管理办公室", UnitKind.DEPARTMENT, parent=ids["town"], sort_order=1)
    ids["economy"] = unit("经济发展办公室", UnitKind.DEPARTMENT, parent=ids["town"], sort_order=2)
    ids["culture"] = unit("文化站", UnitKind.DEPARTMENT, parent=ids["town"], sort_order=3)
    ids["village"] = unit("常青村", UnitKind.VILLAGE, parent=ids["town"], sort_order=10)
    ids["stone"] = unit("石桥村", UnitKind.VILLAGE, parent=ids["town"], sort_order=11)
    ids["lotus"] = unit("荷塘社区", UnitKind.COMMUNITY, parent=ids["town"], sort_order=12)
    ids["chem"] = unit("危险化学品", UnitKind.INDUSTRY, parent=ids["town"], sort_order=20)
    ids["firm"] = unit(
        "众诚化工有限公司",
        UnitKind.ENTERPRISE,
        parent=ids["village"],
        employees=263,
        industry=ids["chem"],
        supervisor=None,
    )
    ids["secretary"] = person("韦磊卫", ("镇党委书记", PostKind.PARTY_SECRETARY, ids["town"]))
    ids["old_head"] = person("张昶", ("镇长", PostKind.TOWNSHIP_HEAD, ids["town"]))
    Post.update(end_date=HANDOVER - dt.timedelta(days=1)).where(
        Post.person == ids["old_head"]
    ).execute()
    ids["head"] = person("闫旻", ("镇长", PostKind.TOWNSHIP_HEAD, ids["town"]), start=HANDOVER)
    ids["safety"] = person("柯堃", ("副镇长", PostKind.SAFETY_DEPUTY, ids["town"]))
    ids["deputy"] = person(
        "岑喆",
        ("组织委员", PostKind.DEPUTY, ids["town"]),
        ("常青村党总支书记", PostKind.VILLAGE_SECRETARY, ids["village"]),
        ("主任", PostKind.VILLAGE_HEAD, ids["village"]),
    )
    ids["chief"] = person("苗镕", ("应急管理办公室主任", PostKind.DEPARTMENT_HEAD, ids["office"]))
    return ids


def _long_matrix(ids: dict[str, int], rows: int = 60) -> list[MatrixLine]:
    both = (Entry("镇党委书记", post_title="镇党委书记"), Entry("镇长", post_title="镇长"))
    head_only = (Entry("镇长", post_title="镇长"),)
    lines = []
    for index in range(rows):
        duties = (
            f"第{index + 1}行职责：组织分管科室落实行业安全监管责任，每月检查分管领域安全生产工作。"
        )
        lines.append(
            MatrixLine(
                {
                    Column.PRINCIPALS: both if index < 40 else head_only,
                    Column.DEPUTIES: (Entry("岑喆", person_id=ids["deputy"]),),
                    Column.DEPARTMENTS: (
                        Entry("应急管理办公室", unit_id=ids["office"]),
                        Entry("经济发展办公室", unit_id=ids["economy"]),
                    ),
                    Column.RESPONSIBLE: (Entry("苗镕", person_id=ids["chief"]),),
                },
                duties * (1 if index % 7 else 3),
            )
        )
    return lines


# -- pieces ------------------------------------------------------------------------------------


def test_names_break_between_entries_never_inside_a_name() -> None:
    def measure(text: str) -> float:
        return 12.0 * len(text)

    assert stack_entries(["张三", "李四"], 100, measure) == "张三、李四"
    assert stack_entries(["汪琴珍", "罗勇", "毛霓秀"], 90, measure) == "汪琴珍、罗勇、\n毛霓秀"
    # A post with its holder breaks before the bracket when it cannot stay on one line.
    assert stack_entries(["镇党委书记（韦磊卫）", "镇长（张昶）"], 84, measure) == (
        "镇党委书记\n（韦磊卫）、\n镇长（张昶）"
    )
    assert stack_entries([], 50, measure) == ""


# -- 责任制分工表 --------------------------------------------------------------------------------


def test_matrix_of_the_demo_shows_posts_with_their_holders(fonts: FontSet) -> None:
    create_demo(1, today=DAY)
    lines = load_matrix()
    assert lines, "the demo has a matrix"
    pages = _pages(MatrixDocument(matrix_snapshot(DAY), fonts=fonts).render_bytes())
    first = [line.strip() for line in pages[0].splitlines() if line.strip()]
    assert "青禾镇安全生产责任制分工表" in first
    assert first.index(DATE_LINE) == first.index("青禾镇安全生产责任制分工表") + 1
    flat = _flat("".join(pages))
    holders = post_holders(["镇党委书记", "镇长"], DAY)
    (secretary,) = holders["镇党委书记"]
    (head,) = holders["镇长"]
    assert f"镇党委书记（{secretary[1]}）、镇长（{head[1]}）" in flat
    for line in lines:
        assert _flat(line.duties) in flat
        for column in (Column.DEPUTIES, Column.RESPONSIBLE):
            for entry in line.cells.get(column, ()):
                assert entry.text in flat
    # Every row numbered, in order: the number, the merged principals where a page's run
    # starts, then the row's 分管负责人 (one per demo row).
    principals = "镇党委书记（[^）]+）、镇长（[^）]+）"
    positions = []
    for number, line in enumerate(lines, 1):
        found = re.search(f"{number}({principals})?{line.text(Column.DEPUTIES)}", flat)
        assert found is not None, number
        positions.append(found.start())
    assert positions == sorted(positions)


def test_a_long_matrix_repeats_its_header_and_merges_principals_on_each_page(
    town: dict[str, int], fonts: FontSet
) -> None:
    save_matrix(_long_matrix(town), START)
    data = MatrixDocument(matrix_snapshot(DAY), fonts=fonts).render_bytes()
    pages = _pages(data)
    assert len(pages) >= 4
    header = "".join(MATRIX_HEADER)
    for number, page in enumerate(pages, 1):
        assert header in _flat(page), f"no header on page {number}"
        assert f"— {number} —" in page
    flat = _flat("".join(pages))
    # Every row is there, numbered in order, its duties complete.
    for index in range(60):
        assert f"第{index + 1}行职责" in flat
    starts = [flat.index(f"第{index + 1}行职责") for index in range(60)]
    assert starts == sorted(starts)
    # The principals cell is merged on each page: once per page and run, never per row.
    both = "镇党委书记（韦磊卫）、镇长（闫旻）"
    for page in pages:
        text = _flat(page)
        rows_here = len(re.findall(r"第\d+行职责", text))
        assert rows_here > 1
        assert text.count(both) <= 1
        assert text.count("镇长（闫旻）") <= 2  # one run of both, one of the head alone
    assert _flat(pages[0]).count(both) == 1
    assert _flat(pages[-1]).count("镇长（闫旻）") == 1
    assert "张昶" not in flat  # the holder on the day printed, not the predecessor


def test_the_holder_is_the_one_of_the_day_printed(town: dict[str, int], fonts: FontSet) -> None:
    save_matrix(_long_matrix(town, rows=2), START)
    before = _flat(
        "".join(
            _pages(MatrixDocument(matrix_snapshot(dt.date(2026, 1, 5)), fonts=fonts).render_bytes())
        )
    )
    after = _flat("".join(_pages(MatrixDocument(matrix_snapshot(DAY), fonts=fonts).render_bytes())))
    assert "镇长（张昶）" in before and "闫旻" not in before
    assert "镇长（闫旻）" in after and "张昶" not in after


def test_a_row_taller_than_a_page_flows_on_without_losing_text(
    town: dict[str, int], fonts: FontSet
) -> None:
    lines = _long_matrix(town, rows=3)
    huge = "".join(
        f"（{n}）第{n}项重点职责，督促分管科室逐项落实并按月报告。" for n in range(1, 81)
    )
    lines[1] = MatrixLine(lines[1].cells, huge)
    save_matrix(lines, START)
    pages = _pages(MatrixDocument(matrix_snapshot(DAY), fonts=fonts).render_bytes())
    assert len(pages) >= 3
    flat = _flat("".join(pages))
    body = re.sub(r"—\d+—", "", flat).replace(_flat("".join(MATRIX_HEADER)), "")
    assert _flat(huge) in body
    assert "第3行职责" in flat
    for page in pages:
        assert _flat("".join(MATRIX_HEADER)) in _flat(page)


# 责任科室 lists as a large township has them: some names wrap inside the column.
LONG_LISTS = (
    "党政综合办公室、派出所、林业站、交通运输管理站、东片区交通安全劝导站、西片区河道管理站、"
    "北片区综合执法中队、滨河片区安全生产监管站、城郊片区便民服务站、工业园片区应急救援队、"
    "集镇片区消防工作站、山前片区交通安全劝导站、河湾片区河道管理站",
    "财政所、司法所、社会保障服务中心、南片区综合执法中队、北片区网格服务站、中片区安全生产监管站、"
    "滨河片区便民服务站、城郊片区应急救援队、工业园片区消防工作站、集镇片区交通安全劝导站、"
    "山前片区河道管理站、老街片区综合执法中队",
    "经济发展办公室、卫生院、综治中心、西片区综合执法中队、南片区网格服务站、北片区安全生产监管站、"
    "中片区便民服务站、滨河片区应急救援队、城郊片区消防工作站、工业园片区交通安全劝导站、"
    "集镇片区河道管理站、河湾片区综合执法中队、老街片区网格服务站",
)


def test_rows_with_long_lists_of_names_break_between_pages(
    town: dict[str, int], fonts: FontSet
) -> None:
    lines = _long_matrix(town, rows=4)
    created = dict(Unit.select(Unit.name, Unit.id).tuples())
    for index, text in enumerate(LONG_LISTS, start=1):
        names = text.split("、")
        for name in names:
            if name not in created:
                created[name] = unit(name, UnitKind.DEPARTMENT, parent=town["town"])
        cells = {
            **lines[index].cells,
            Column.DEPARTMENTS: tuple(Entry(name, unit_id=created[name]) for name in names),
            Column.RESPONSIBLE: tuple(Entry(f"责任人{index}-{n}") for n in range(len(names))),
        }
        lines[index] = MatrixLine(cells, lines[index].duties)
    save_matrix(lines, START)
    data = MatrixDocument(matrix_snapshot(DAY), fonts=fonts).render_bytes()
    assert len(_pages(data)) >= 3
    left = TOP_MARGIN + sum(MATRIX_WIDTHS[:3])  # the 责任科室 column (landscape: 37 mm left)
    column = _flat(_column_text(data, left, left + MATRIX_WIDTHS[3])).replace("责任科室", "")
    expected = ["应急管理办公室、经济发展办公室", *LONG_LISTS]
    positions = [column.index(text) for text in expected]
    assert positions == sorted(positions)
    left += MATRIX_WIDTHS[3]
    column = _flat(_column_text(data, left, left + MATRIX_WIDTHS[4])).replace("责任人", "", 1)
    for index, text in enumerate(LONG_LISTS, start=1):
        names = "、".join(f"责任人{index}-{n}" for n in range(len(text.split("、"))))
        assert names in column.replace("责任人责任人", "责任人")
    body = _flat("".join(_pages(data)))
    rows = [body.index(f"第{n}行职责") for n in range(1, 5)]
    assert rows == sorted(rows)


def test_the_merged_runs_of_a_piece() -> None:
    from app.prints.document import OfficialDocument

    class Doc(OfficialDocument):
        pass

    doc = Doc(fonts=bundled_fonts())
    rows = [("序号", "单位负责人"), ("1", "甲"), ("2", "甲"), ("3", "乙"), ("4", ""), ("5", "")]
    table = MergingTable.adopt(doc.table(rows), merge_columns=(1,))
    table.wrap(400, 800)
    assert table.runs() == [(1, 1, 2)]  # empty cells never merge, the header never


def test_a_matrix_without_township_or_rows(fonts: FontSet) -> None:
    text = _flat("".join(_pages(MatrixDocument(matrix_snapshot(DAY), fonts=fonts).render_bytes())))
    assert "—1—安全生产责任制分工表（" in text
    assert "".join(MATRIX_HEADER) in text
    assert "责任制分工表尚未填写。" in text


# -- 岗位安全职责清单 ----------------------------------------------------------------------------


def test_a_duty_card_lists_duties_per_kind_of_post_and_areas_by_level(
    town: dict[str, int], fonts: FontSet, out: Path
) -> None:
    save_duties(
        PostKind.DEPUTY,
        [
            DutyItem("对分管领域和包保村（社区）的安全生产工作负直接领导责任。"),
            DutyItem("每月至少检查1次分管领域和包保村（社区）的安全生产工作。", "第十条"),
            DutyItem("每年初与分管单位签订安全生产目标责任书。"),
        ],
    )
    save_duties(PostKind.VILLAGE_SECRETARY, [DutyItem("对本村安全生产工作负直接责任。")])
    save_duties(PostKind.VILLAGE_HEAD, [DutyItem("协助书记落实属地管理责任。")])
    deputy = town["deputy"]
    assign.set_level(deputy, town["economy"], Level.DIRECT_LEADERSHIP, START)
    assign.set_level(deputy, town["chem"], Level.DIRECT_LEADERSHIP, START)
    assign.set_level(deputy, town["stone"], Level.DIRECT_LEADERSHIP, START)  # 包保
    assign.set_level(deputy, town["lotus"], Level.DIRECT_LEADERSHIP, START)  # 包保
    assign.set_level(deputy, town["village"], Level.DIRECT, START)
    assign.set_level(deputy, town["culture"], Level.DIRECT_LEADERSHIP, START)
    assign.set_level(deputy, town["culture"], None, HANDOVER)  # no longer on the day printed
    target = out / "card.pdf"
    print_duty_card(target, deputy, DAY, fonts=fonts)
    pages = _pdf_pages(target)
    assert len(pages) == 1
    text = pages[0]
    flat = _flat(text)
    assert CARD_TITLE in text
    assert DATE_LINE in text
    assert "姓名：岑喆" in flat
    assert "职务：组织委员、常青村党总支书记、主任" in flat
    # One sub-heading per kind of post, in the order of the duty kinds, each numbered from 一.
    order = [
        "一、岗位职责",
        "其他分管负责人职责",
        "（一）对分管领域",
        "（二）每月至少检查1次分管领域和包保村（社区）的安全生产工作。（第十条）",
        "（三）每年初",
        "村（社区）党组织书记职责",
        "（一）对本村",
        "村（社区）主任职责",
        "（一）协助书记",
        "二、责任区域",
        "直接领导责任：经济发展办公室、危险化学品",
        "直接责任：常青村",
        "三、包保村（社区）",
        "石桥村、荷塘社区（直接领导责任）",
        _flat(SIGNATURE_LINE),
    ]
    positions = [flat.index(_flat(piece)) for piece in order]
    assert positions == sorted(positions)
    assert "文化站" not in flat
    assert "本人签字：" in text and "年" in text and "月" in text and "日" in text


def test_a_card_without_posts_or_areas_says_so(town: dict[str, int], fonts: FontSet) -> None:
    nobody = person("童可欣")
    text = _flat(
        "".join(
            _pages(
                DutyCardsDocument(duty_cards_snapshot(DAY, [nobody]), fonts=fonts).render_bytes()
            )
        )
    )
    assert "职务：—" in text
    assert "一、岗位职责暂未明确岗位职责。" in text
    assert "二、责任区域暂未明确责任区域。" in text
    assert "三、" not in text


def test_a_principal_s_card_holds_the_builtin_duties_in_order(
    town: dict[str, int], fonts: FontSet
) -> None:
    from app.responsibility.duties import duties_of

    assign.set_level(town["secretary"], town["town"], Level.OVERALL, START)
    text = _flat(
        "".join(
            _pages(
                DutyCardsDocument(
                    duty_cards_snapshot(DAY, [town["secretary"]]), fonts=fonts
                ).render_bytes()
            )
        )
    )
    duties = duties_of(PostKind.PARTY_SECRETARY)
    assert duties
    positions = [text.index(_flat(duty_number(n) + item.text)) for n, item in enumerate(duties, 1)]
    assert positions == sorted(positions)
    assert "全面领导责任：青禾镇" in text
    assert "党委主要负责人职责" not in text  # one kind of post: no sub-heading


def test_a_card_that_would_run_over_keeps_to_one_page_and_a_huge_one_is_never_cut(
    town: dict[str, int], fonts: FontSet
) -> None:
    assign.set_level(town["secretary"], town["town"], Level.OVERALL, START)

    def card_pages(count: int) -> list[str]:
        items = [
            DutyItem(f"第{n}项：每月组织开展安全生产检查并督促隐患整改落实到位。")
            for n in range(count)
        ]
        save_duties(PostKind.PARTY_SECRETARY, items)
        data = DutyCardsDocument(duty_cards_snapshot(DAY, [town["secretary"]]), fonts=fonts)
        return _pages(data.render_bytes())

    # Eight two-line duties overflow a page in 三号; in 四号 the card keeps to one page.
    assert len(card_pages(8)) == 1
    pages = card_pages(40)
    assert len(pages) >= 2
    text = _flat("".join(pages))
    assert all(_flat(f"第{n}项") in text for n in range(40))
    assert _flat(SIGNATURE_LINE) in _flat(pages[-1])


def test_the_batch_prints_every_leader_each_on_a_new_page(fonts: FontSet, out: Path) -> None:
    create_demo(1, today=DAY)
    # Everyone who leads an area: the township's leaders, in the roster's order.
    members = person_choices(leaders_on(DAY), DAY)
    roster = [line.name for line in roster_as_of(DAY).lines]
    assert 8 < len(members) < len(roster)
    assert [p.name for p in members] == [
        name for name in roster if name in {p.name for p in members}
    ]
    target = out / "cards.pdf"
    print_duty_cards(target, DAY, fonts=fonts)
    pages = _pdf_pages(target)
    starts = [index for index, page in enumerate(pages) if CARD_TITLE in page]
    assert len(starts) == len(members)  # one title, so one first page, per person
    for number, page in enumerate(pages, 1):
        assert f"— {number} —" in page  # page numbers run on
    names = []
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(pages)
        card = _flat("".join(pages[start:end]))
        match = re.search(r"姓名：(.+?)\u3000", card) or re.search(r"姓名：(.+?)职务", card)
        assert match is not None
        names.append(match.group(1))
        assert card.count("姓名：") == 1
        # Every card ends with its signature, on its last page.
        assert card.count(_flat(SIGNATURE_LINE)) == 1
        assert _flat(SIGNATURE_LINE) in _flat(pages[end - 1])
    assert names == [person.name for person in members]


def test_a_batch_of_chosen_people_keeps_their_order(town: dict[str, int], fonts: FontSet) -> None:
    ids = [town["chief"], town["secretary"], town["chief"]]
    snapshot = duty_cards_snapshot(DAY, ids)
    assert [card.name for card in snapshot.cards] == ["苗镕", "韦磊卫"]
    pages = _pages(DutyCardsDocument(snapshot, fonts=fonts).render_bytes())
    assert len(pages) == 2
    assert "苗镕" in _flat(pages[0])
    assert "韦磊卫" in _flat(pages[1])


def test_an_unknown_person_has_no_card(fonts: FontSet, out: Path) -> None:
    with pytest.raises(AssignmentError):
        print_duty_card(out / "x.pdf", 4242, DAY, fonts=fonts)
    assert list(out.iterdir()) == []


def test_an_empty_group_prints_a_note(fonts: FontSet) -> None:
    text = _flat(
        "".join(_pages(DutyCardsDocument(duty_cards_snapshot(DAY), fonts=fonts).render_bytes()))
    )
    assert CARD_TITLE in text and "领导小组暂无成员。" in text


# -- 覆盖检查 ------------------------------------------------------------------------------------


def test_coverage_lists_each_rule_and_the_units_with_gaps(fonts: FontSet, out: Path) -> None:
    create_demo(1, today=DAY)
    coverage = check_coverage(DAY)
    assert coverage.gaps
    target = out / "coverage.pdf"
    print_coverage(target, DAY, fonts=fonts)
    pages = _pdf_pages(target)
    flat = _flat("".join(pages))
    assert "青禾镇安全生产责任体系覆盖检查情况" in flat
    assert "序号检查项目检查单位（个）缺项（个）" in flat
    for number, rule in enumerate(Rule, 1):
        assert (
            f"{number}{rule.chinese}{coverage.checked.get(rule, 0)}{len(coverage.of(rule))}" in flat
        )
    assert f"共发现缺项{len(coverage.gaps)}处" in flat
    for gap in coverage.gaps:
        assert gap.unit_name in flat
        if gap.unit_kind == UnitKind.ENTERPRISE:
            assert f"{gap.unit_name}{gap.employees}" in flat  # the employees next to the name
    headings = [
        f"{rule.chinese}（{len(coverage.of(rule))}个）" for rule in Rule if coverage.of(rule)
    ]
    positions = [flat.index(heading) for heading in headings]
    assert positions == sorted(positions)
    assert COMPLETE_SENTENCE not in flat


def test_complete_coverage_is_one_sentence(town: dict[str, int], fonts: FontSet) -> None:
    for unit_id in (town["office"], town["economy"], town["culture"]):
        assign.set_level(town["safety"], unit_id, Level.SUPERVISION, START)
    for unit_id in (town["village"], town["stone"], town["lotus"]):
        assign.set_level(town["deputy"], unit_id, Level.DIRECT_LEADERSHIP, START)
        assign.set_level(town["chief"], unit_id, Level.DIRECT, START)
    Unit.update(supervisor=town["office"]).where(Unit.id == town["firm"]).execute()
    Post.create(
        person=town["chief"],
        title="众诚化工有限公司安全员",
        kind=PostKind.SAFETY_OFFICER.value,
        unit=town["firm"],
        start_date=START,
    )
    assert check_coverage(DAY).complete
    flat = _flat(
        "".join(_pages(CoverageDocument(coverage_snapshot(DAY), fonts=fonts).render_bytes()))
    )
    assert COMPLETE_SENTENCE in flat
    assert "缺项" in flat and "共发现" not in flat
    assert "一、" not in flat


# -- 责任区域一览表 -------------------------------------------------------------------------------


def test_the_grid_has_a_row_per_area_and_names_by_level(fonts: FontSet, out: Path) -> None:
    create_demo(1, today=DAY)
    target = out / "grid.pdf"
    print_grid(target, DAY, fonts=fonts)
    pages = _pdf_pages(target)
    assert len(pages) >= 2
    for page in pages:
        assert "".join(GRID_HEADER) in _flat(page)
    flat = _flat("".join(pages))
    assert "青禾镇安全生产责任区域一览表" in flat
    snapshot = grid_snapshot(DAY)
    assert snapshot.rows[0].kind == "全镇"
    positions = [flat.index(f"{n}{row.area}") for n, row in enumerate(snapshot.rows, 1)]
    assert positions == sorted(positions)
    (safety,) = [
        line
        for line in assign.assignments_as_of(DAY)
        if line.level == Level.SUPERVISION and line.unit_kind == UnitKind.TOWNSHIP
    ]
    assert safety.person_name in flat
    assert "注：" not in flat


def test_the_grid_keeps_the_screen_s_filter(town: dict[str, int], fonts: FontSet) -> None:
    assign.set_level(town["secretary"], town["town"], Level.OVERALL, START)
    assign.set_level(town["head"], town["town"], Level.OVERALL, START)
    assign.set_level(town["safety"], town["town"], Level.SUPERVISION, START)
    assign.set_level(town["deputy"], town["stone"], Level.DIRECT_LEADERSHIP, START)
    assign.set_level(town["chief"], town["office"], Level.DIRECT, START)
    snapshot = grid_snapshot(
        DAY, unit_ids=[town["town"], town["stone"]], person_ids=[town["secretary"], town["deputy"]]
    )
    assert [row.area for row in snapshot.rows] == ["青禾镇", "石桥村"]
    assert snapshot.rows[0].names[0] == ("韦磊卫",)
    assert snapshot.rows[1].names[Level.DIRECT_LEADERSHIP.rank] == ("岑喆",)
    flat = _flat("".join(_pages(GridDocument(snapshot, fonts=fonts).render_bytes())))
    assert "1青禾镇全镇韦磊卫" in flat
    assert "2石桥村村岑喆" in flat
    for absent in ("闫旻", "柯堃", "苗镕", "应急管理办公室"):
        assert absent not in flat
    assert "注：本表仅列出所选区域和人员。" in flat
    full = _flat("".join(_pages(GridDocument(grid_snapshot(DAY), fonts=fonts).render_bytes())))
    assert "韦磊卫、闫旻" in full or "闫旻、韦磊卫" in full
    assert "柯堃" in full and "苗镕" in full


# -- all of them -------------------------------------------------------------------------------


@pytest.fixture
def english() -> Iterator[None]:
    before = current_language()
    set_language("en")
    yield
    set_language(before)


def test_prints_stay_chinese_with_rare_characters_in_an_english_interface(
    town: dict[str, int], fonts: FontSet, out: Path, english: None
) -> None:
    save_matrix(_long_matrix(town, rows=2), START)
    assign.set_level(town["safety"], town["town"], Level.SUPERVISION, START)
    assign.set_level(town["deputy"], town["stone"], Level.DIRECT_LEADERSHIP, START)
    outputs = {
        "matrix": (print_matrix, ("镇长（闫旻）", "岑喆", "苗镕", "责任科室")),
        "coverage": (print_coverage, ("科室未明确分管领导", "文化站")),
        "grid": (print_grid, ("柯堃", "岑喆", "综合监管领导责任")),
    }
    for name, (function, expected) in outputs.items():
        target = out / f"{name}.pdf"
        function(target, DAY, fonts=fonts)
        flat = _flat("".join(_pdf_pages(target)))
        assert DATE_LINE in flat
        for text in expected:
            assert text in flat, (name, text)
    target = out / "card.pdf"
    print_duty_card(target, town["safety"], DAY, fonts=fonts)
    flat = _flat("".join(_pdf_pages(target)))
    assert "姓名：柯堃" in flat and "综合监管领导责任：青禾镇" in flat
    assert sorted(p.name for p in out.iterdir()) == [
        "card.pdf",
        "coverage.pdf",
        "grid.pdf",
        "matrix.pdf",
    ]


def test_fonts_are_embedded_and_pages_are_a4(town: dict[str, int], fonts: FontSet) -> None:
    save_matrix(_long_matrix(town, rows=2), START)
    matrix = pypdf.PdfReader(
        io.BytesIO(MatrixDocument(matrix_snapshot(DAY), fonts=fonts).render_bytes())
    )
    card = pypdf.PdfReader(
        io.BytesIO(
            DutyCardsDocument(
                duty_cards_snapshot(DAY, [town["deputy"]]), fonts=fonts
            ).render_bytes()
        )
    )
    landscape, portrait = matrix.pages[0], card.pages[0]
    assert float(landscape.mediabox.width) == pytest.approx(841.89, abs=0.05)
    assert float(portrait.mediabox.width) == pytest.approx(595.28, abs=0.05)
    for reader in (matrix, card):
        for page in reader.pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                assert "/FontFile2" in font["/FontDescriptor"].get_object(), font["/BaseFont"]


def test_every_duty_kind_has_a_chinese_heading() -> None:
    from app.responsibility.print_common import POST_KIND_CHINESE

    assert set(DUTY_KINDS) <= set(POST_KIND_CHINESE)
