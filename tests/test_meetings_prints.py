"""A meeting's prints, checked on the text of the PDF: the minutes (会议纪要) and the sign-in
sheet (签到表), the demo's meetings, and the two commands."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest

from app.cli import main
from app.demo import create_demo
from app.i18n import current_language, set_language
from app.meetings.attachments import attach
from app.meetings.kinds import MeetingKind
from app.meetings.print_sign_in import MIN_BLANK_ROWS
from app.meetings.prints import (
    FOLLOW_UP_HEADER,
    SIGN_IN_HEADER,
    FollowUpRow,
    MinutesDocument,
    MinutesSnapshot,
    Participant,
    SignInDocument,
    SignInSnapshot,
    minutes_snapshot,
    minutes_title,
    print_minutes,
    print_sign_in,
    sign_in_snapshot,
    text_lines,
    when_text,
)
from app.meetings.service import (
    AttendeeInput,
    FollowUpInput,
    MeetingError,
    MeetingInput,
    meetings_in,
    save_meeting,
)
from app.prints.fonts import FontSet, bundled_fonts
from app.roster import service as roster
from app.roster.roles import GroupRole, OfficeRole
from app.storage.db import database_path
from app.storage.models import Person, Unit

D = dt.date
TODAY = D(2025, 6, 30)
HELD = D(2025, 6, 10)  # a Tuesday
TITLE = "2025年第2季度安全生产例会"
MINUTES_TITLE = "青禾镇2025年第2季度安全生产例会纪要"


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
    """Text without page numbers (drawn first on each page), line breaks and ASCII spaces
    (extraction puts them between table cells)."""
    return re.sub(r"[ \n\r]+", "", re.sub(r"— \d+ —", "", text))


def pid(name: str) -> int:
    return int(Person.get(Person.name == name).id)


@pytest.fixture
def group() -> None:
    """An invented township: every name and place here is fictional."""
    township = Unit.create(name="青禾镇", kind="township")
    Unit.create(name="常青村", kind="village", parent=township)
    for name, role, titles, office in [
        ("周建国", GroupRole.LEADER, ["镇党委书记"], None),
        ("吴海", GroupRole.LEADER, ["镇党委副书记", "镇长"], None),
        ("郑平", GroupRole.EXECUTIVE_DEPUTY, ["副镇长"], None),
        ("钱多", GroupRole.MEMBER, ["应急管理办公室主任"], OfficeRole.DIRECTOR),
        ("闫旻", GroupRole.MEMBER, ["常青村党总支书记"], None),
    ]:
        roster.add_member(
            roster.MemberInput(name=name, role=role, titles=tuple(titles), office_role=office),
            D(2024, 1, 1),
        )


def meeting(**changes: object) -> MeetingInput:
    values: dict[str, object] = {
        "kind": MeetingKind.QUARTERLY_ROUTINE,
        "held_on": HELD,
        "start_time": dt.time(9, 30),
        "title": TITLE,
        "place": "镇政府三楼会议室",
        "chair_id": pid("吴海"),
        "recorder_id": pid("钱多"),
        "attendees": [
            AttendeeInput(pid("周建国"), False, "参加上级会议"),
            AttendeeInput(pid("吴海")),
            AttendeeInput(pid("郑平")),
            AttendeeInput(pid("钱多")),
            AttendeeInput(pid("闫旻"), False, "请假"),
        ],
        "invited": "区应急管理局李科长",
        "topics": "1. 传达上级防汛工作要求\n2. 部署防溺水工作\n（一）山塘水库巡查",
        "minutes": "一、会议听取了汛前隐患排查情况汇报。\n\n　　二、会议作出部署。",
        "decisions": "1. 开展汛前专项检查。\n2. 落实24小时值班值守。",
        "follow_ups": [
            FollowUpInput("检查常青村山塘", pid("闫旻"), D(2025, 6, 20), D(2025, 6, 18)),
            FollowUpInput("报送防汛值班表", pid("郑平"), D(2025, 7, 10), None),
        ],
    }
    values.update(changes)
    return MeetingInput(**values)  # type: ignore[arg-type]


@pytest.fixture
def recorded(group: None, tmp_path: Path) -> int:
    mid = save_meeting(meeting(), today=TODAY)
    for name in ("签到表.pdf", "现场照片.jpg"):
        source = tmp_path / name
        source.write_bytes(name.encode())
        attach(mid, source)
    return mid


@pytest.fixture
def minutes_pdf(recorded: int, fonts: FontSet) -> bytes:
    return MinutesDocument(minutes_snapshot(recorded), fonts=fonts).render_bytes()


# ---------------------------------------------------------------------------- wording


def test_minutes_titles() -> None:
    kind = MeetingKind.QUARTERLY_ROUTINE
    assert minutes_title("青禾镇", kind, TITLE) == MINUTES_TITLE
    assert minutes_title("青禾镇", kind, "青禾镇安全生产例会") == "青禾镇安全生产例会纪要"
    assert (
        minutes_title("青禾镇", MeetingKind.PARTY_COMMITTEE, "镇党委研究安全生产工作会议")
        == "青禾镇党委研究安全生产工作会议纪要"
    )
    assert minutes_title("青禾镇", kind, "汛期部署") == "青禾镇汛期部署会议纪要"
    assert minutes_title("青禾镇", kind, "") == "青禾镇季度安全生产例会纪要"
    assert (
        minutes_title("青禾镇", MeetingKind.PARTY_COMMITTEE, "")
        == "青禾镇党委研究安全生产工作会议纪要"
    )
    assert minutes_title("", MeetingKind.LEADING_GROUP, "") == "安全生产领导小组会议纪要"
    assert minutes_title("青禾镇", kind, "例会纪要") == "青禾镇例会纪要"


def test_when_text() -> None:
    assert when_text(HELD, dt.time(9, 30)) == "2025年6月10日（星期二）上午9:30"
    assert when_text(HELD, dt.time(14, 5)) == "2025年6月10日（星期二）下午2:05"
    assert when_text(HELD, dt.time(12, 0)) == "2025年6月10日（星期二）中午12:00"
    assert when_text(D(2025, 6, 15), None) == "2025年6月15日（星期日）"


def test_text_lines_keep_numbers_and_drop_typed_indents() -> None:
    text = "1. 防汛\n\n　　（一）山塘\n  一、其他\n2.防溺水  "
    assert text_lines(text) == ["1. 防汛", "（一）山塘", "一、其他", "2.防溺水"]


# ---------------------------------------------------------------------------- the minutes


def test_minutes_title_and_particulars(minutes_pdf: bytes) -> None:
    first = _pages(minutes_pdf)[0]
    lines = [_flat(line) for line in first.splitlines() if _flat(line)]
    assert lines[0] == MINUTES_TITLE
    flat = _flat(first)
    assert "时间：2025年6月10日（星期二）上午9:30" in flat
    assert "地点：镇政府三楼会议室" in flat
    assert "主持：吴海\u3000\u3000记录：钱多" in flat
    assert "出席：吴海（镇党委副书记、镇长）、郑平（副镇长）、钱多（应急管理办公室主任）" in flat
    assert "缺席：周建国（参加上级会议）、闫旻（请假）" in flat
    assert "列席：区应急管理局李科长" in flat
    assert "应到5人，实到3人。" in flat
    meta = pypdf.PdfReader(io.BytesIO(minutes_pdf)).metadata
    assert meta.title == MINUTES_TITLE


def test_minutes_sections_in_order_with_numbers_kept(minutes_pdf: bytes) -> None:
    flat = _flat("".join(_pages(minutes_pdf)))
    order = [
        "一、会议议题",
        "1.传达上级防汛工作要求",
        "2.部署防溺水工作",
        "（一）山塘水库巡查",
        "二、会议内容",
        "一、会议听取了汛前隐患排查情况汇报。",
        "二、会议作出部署。",
        "三、会议决定",
        "1.开展汛前专项检查。",
        "2.落实24小时值班值守。",
        "四、落实事项",
        "".join(FOLLOW_UP_HEADER),
        "1检查常青村山塘闫旻2025年6月20日已完成2025年6月18日",
        "2报送防汛值班表郑平2025年7月10日未完成",
        "附件：1.签到表.pdf",
        "2.现场照片.jpg",
    ]
    positions = [flat.find(piece) for piece in order]
    assert -1 not in positions, [p for p, at in zip(order, positions, strict=True) if at < 0]
    assert positions == sorted(positions)
    assert "\u3000" not in flat[flat.find("二、会议内容") : flat.find("三、会议决定")]


def test_follow_ups_are_a_table(minutes_pdf: bytes) -> None:
    reader = pypdf.PdfReader(io.BytesIO(minutes_pdf))
    # A table's rules are drawn as paths: the page with the table has line strokes.
    page = next(p for p in reader.pages if "落实事项" in p.extract_text())
    content = page.get_contents().get_data()
    assert b" l" in content or b" re" in content


def test_empty_sections_are_left_out_and_numbers_move_up(group: None, fonts: FontSet) -> None:
    mid = save_meeting(
        meeting(topics="", decisions="", follow_ups=[], invited="", attendees=[]),
        today=TODAY,
    )
    text = _flat(
        "".join(_pages(MinutesDocument(minutes_snapshot(mid), fonts=fonts).render_bytes()))
    )
    assert "一、会议内容" in text
    for gone in ("会议议题", "会议决定", "落实事项", "附件", "列席", "出席", "缺席", "应到"):
        assert gone not in text, gone


def _page_marks(data: bytes) -> list[list[str]]:
    marks: list[list[str]] = []
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        found: list[str] = []

        def visit(text, cm, tm, font, size, found=found):  # type: ignore[no-untyped-def]
            if "—" in text:
                found.append(text.strip())

        page.extract_text(visitor_text=visit)
        marks.append(found)
    return marks


def test_long_minutes_flow_onto_more_pages_with_numbers(group: None, fonts: FontSet) -> None:
    paragraphs = [
        f"{number}. 会议强调，各村（社区）和各单位要坚持党政同责、一岗双责、齐抓共管、"
        f"失职追责，第{number}项工作要层层压实责任，做到横向到边、纵向到底，不留死角。"
        for number in range(1, 41)
    ]
    mid = save_meeting(meeting(minutes="\n".join(paragraphs)), today=TODAY)
    data = MinutesDocument(minutes_snapshot(mid), fonts=fonts).render_bytes()
    pages = _pages(data)
    assert len(pages) >= 3
    assert _page_marks(data) == [[f"— {n} —"] for n in range(1, len(pages) + 1)]
    flat = _flat("".join(pages))
    for number in (1, 20, 40):
        assert f"第{number}项工作要层层压实责任" in flat
    assert flat.index("40.会议强调") < flat.index("三、会议决定")


def test_hand_built_snapshot(fonts: FontSet) -> None:
    snapshot = MinutesSnapshot(
        meeting_id=0,
        township_name="青禾镇",
        kind=MeetingKind.LEADING_GROUP,
        meeting_title="",
        held_on=HELD,
        start_time=None,
        place="",
        chair="",
        recorder="",
        present=(Participant("甲乙"), Participant("丙丁", ("副镇长", "武装部长"))),
        absent=(),
        invited="",
        topics="",
        minutes="",
        decisions="",
        follow_ups=(FollowUpRow("一项没有时限的工作", "甲乙", None, None),),
        attachments=("照片.jpg",),
    )
    flat = _flat("".join(_pages(MinutesDocument(snapshot, fonts=fonts).render_bytes())))
    assert flat.startswith("青禾镇安全生产领导小组会议纪要")
    assert "时间：2025年6月10日（星期二）出席：甲乙、丙丁（副镇长、武装部长）" in flat
    assert "一、落实事项" in flat
    assert "1一项没有时限的工作甲乙—未完成" in flat
    assert "附件：照片.jpg" in flat  # one attachment: no number (GB/T 9704, 8.1.7)


@pytest.fixture
def english() -> Iterator[None]:
    before = current_language()
    set_language("en")
    yield
    set_language(before)


def test_wording_is_chinese_in_an_english_interface(
    recorded: int, fonts: FontSet, english: None
) -> None:
    flat = _flat(
        "".join(_pages(MinutesDocument(minutes_snapshot(recorded), fonts=fonts).render_bytes()))
    )
    assert flat.startswith(MINUTES_TITLE)
    assert "时间：2025年6月10日（星期二）上午9:30" in flat
    sheet = _flat(
        "".join(_pages(SignInDocument(sign_in_snapshot(recorded), fonts=fonts).render_bytes()))
    )
    assert sheet.startswith(f"{TITLE}签到表")


def test_unknown_meeting_writes_nothing(group: None, out: Path) -> None:
    with pytest.raises(MeetingError):
        minutes_snapshot(4242)
    with pytest.raises(MeetingError):
        sign_in_snapshot(4242)
    with pytest.raises(MeetingError):
        print_minutes(out / "m.pdf", 4242)
    with pytest.raises(MeetingError):
        print_sign_in(out / "s.pdf", 4242)
    assert list(out.iterdir()) == []


def test_print_functions_write_pdfs(recorded: int, fonts: FontSet, out: Path) -> None:
    print_minutes(out / "m.pdf", recorded, fonts=fonts)
    print_sign_in(out / "s.pdf", recorded, fonts=fonts)
    assert sorted(p.name for p in out.iterdir()) == ["m.pdf", "s.pdf"]
    assert all(p.read_bytes().startswith(b"%PDF") for p in out.iterdir())


# ---------------------------------------------------------------------------- the sign-in sheet


def test_sign_in_lists_the_attendance_in_order(recorded: int, fonts: FontSet) -> None:
    snapshot = sign_in_snapshot(recorded)
    assert [p.name for p in snapshot.people] == ["周建国", "吴海", "郑平", "钱多", "闫旻"]
    pages = _pages(SignInDocument(snapshot, fonts=fonts).render_bytes())
    assert len(pages) == 1
    flat = _flat(pages[0])
    assert flat.startswith(f"{TITLE}签到表")
    assert "时间：2025年6月10日（星期二）上午9:30\u3000\u3000地点：镇政府三楼会议室" in flat
    rows = [
        "".join(SIGN_IN_HEADER),
        "1周建国镇党委书记",
        "2吴海镇党委副书记、镇长",
        "3郑平副镇长",
        "4钱多应急管理办公室主任",
        "5闫旻常青村党总支书记",
    ]
    positions = [flat.find(row) for row in rows]
    assert -1 not in positions and positions == sorted(positions)


def test_sign_in_without_attendance_lists_the_group_of_the_day(group: None, fonts: FontSet) -> None:
    roster.add_member(
        roster.MemberInput(name="后来者", role=GroupRole.MEMBER, titles=("财政所所长",)),
        D(2025, 6, 20),
    )
    mid = save_meeting(meeting(attendees=[], held_on=D(2025, 6, 12)), today=TODAY)
    names = [p.name for p in sign_in_snapshot(mid).people]
    assert names == ["周建国", "吴海", "郑平", "钱多", "闫旻"]  # not 后来者, who joined later
    later = save_meeting(meeting(attendees=[], held_on=D(2025, 6, 25), follow_ups=[]), today=TODAY)
    assert "后来者" in [p.name for p in sign_in_snapshot(later).people]


def _sheet(count: int, place: str = "镇政府三楼会议室") -> SignInSnapshot:
    families = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
    people = tuple(
        Participant(
            families[n % len(families)] + "文华晓峰建平海燕"[n // len(families) % 8] + "明",
            ("组织委员", f"第{n + 1}网格安全员、村委委员") if n % 5 == 0 else ("副镇长",),
        )
        for n in range(count)
    )
    return SignInSnapshot(0, MeetingKind.LEADING_GROUP, "", HELD, dt.time(15, 0), place, people)


class _MinimumBlanks(SignInDocument):
    """The sheet with only the minimum of blank rows: the page count must not change."""

    def _spare_rows(self, head, table):  # type: ignore[no-untyped-def]
        return 0


class _OneMoreBlank(SignInDocument):
    def _spare_rows(self, head, table):  # type: ignore[no-untyped-def]
        return super()._spare_rows(head, table) + 1


@pytest.mark.parametrize("count", [0, 5, 13, 14, 30, 60])
def test_blank_rows_fill_the_last_page_exactly(fonts: FontSet, count: int) -> None:
    snapshot = _sheet(count)
    filled = SignInDocument(snapshot, fonts=fonts)
    table = filled.story()[-1]
    assert table._nrows - 1 - count >= MIN_BLANK_ROWS  # type: ignore[attr-defined]
    pages = len(_pages(filled.render_bytes()))
    assert len(_pages(_MinimumBlanks(snapshot, fonts=fonts).render_bytes())) == pages
    # One row more would not fit: the last page is full.
    assert len(_pages(_OneMoreBlank(snapshot, fonts=fonts).render_bytes())) == pages + 1


def test_long_sheet_repeats_the_header_on_every_page(fonts: FontSet) -> None:
    snapshot = _sheet(60)
    pages = _pages(SignInDocument(snapshot, fonts=fonts).render_bytes())
    assert len(pages) >= 3
    header = "".join(SIGN_IN_HEADER)
    assert all(header in _flat(page) for page in pages)
    flat = _flat("".join(pages))
    for number, person in enumerate(snapshot.people, start=1):
        assert f"{number}{person.name}" in flat


def test_sign_in_title_of_a_meeting_without_title(fonts: FontSet) -> None:
    snapshot = _sheet(2, place="")
    assert snapshot.title == "安全生产领导小组会议签到表"
    flat = _flat(_pages(SignInDocument(snapshot, fonts=fonts).render_bytes())[0])
    assert "时间：2025年6月10日（星期二）下午3:00序号" in flat
    assert "地点" not in flat


def test_a_long_place_goes_on_its_own_line(fonts: FontSet) -> None:
    place = "青禾镇人民政府三楼东侧第一会议室（应急指挥中心）"
    text = _pages(SignInDocument(_sheet(2, place=place), fonts=fonts).render_bytes())[0]
    lines = [_flat(line) for line in text.splitlines()]
    assert f"地点：{place}" in lines


# ---------------------------------------------------------------------------- the demo


def test_the_demo_meetings_print(fonts: FontSet) -> None:
    create_demo(1, today=D(2026, 3, 15))
    lines = meetings_in()
    # Every kind, and the first meetings whatever their kind.
    chosen = {line.kind: line.id for line in reversed(lines)}
    ids = list(dict.fromkeys([*chosen.values(), *(line.id for line in lines[:20])]))
    assert len(chosen) == len(MeetingKind)
    for mid in ids:
        minutes = minutes_snapshot(mid)
        text = _flat("".join(_pages(MinutesDocument(minutes, fonts=fonts).render_bytes())))
        assert text.startswith(minutes.title[:10]), mid
        sheet = sign_in_snapshot(mid)
        assert sheet.people, mid
        text = _flat("".join(_pages(SignInDocument(sheet, fonts=fonts).render_bytes())))
        assert sheet.people[0].name in text, mid


# ---------------------------------------------------------------------------- the commands


def run(*args: str) -> int:
    return main(["--db", str(database_path()), *args])


def test_cli_prints_both(recorded: int, out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    minutes, sheet = out / "minutes.pdf", out / "sign-in.pdf"
    assert run("meetings", "print", str(recorded), str(minutes)) == 0
    assert str(minutes) in capsys.readouterr().out
    assert run("meetings", "sign-in", str(recorded), str(sheet)) == 0
    assert str(sheet) in capsys.readouterr().out
    assert _flat(_pages(minutes.read_bytes())[0]).startswith(MINUTES_TITLE)
    assert _flat(_pages(sheet.read_bytes())[0]).startswith(f"{TITLE}签到表")


@pytest.mark.parametrize("verb", ["print", "sign-in"])
def test_cli_bad_input(
    recorded: int, out: Path, capsys: pytest.CaptureFixture[str], verb: str
) -> None:
    assert run("meetings", verb, "4242", str(out / "x.pdf")) == 1
    error = capsys.readouterr().err
    assert "4242" in error and error.count("\n") == 1
    assert run("meetings", verb, str(recorded), str(out / "x.txt")) == 1
    assert ".pdf" in capsys.readouterr().err
    for number in ("abc", "99999999999999999999999"):  # not a number; beyond SQLite's
        with pytest.raises(SystemExit) as exited:
            run("meetings", verb, number, str(out / "x.pdf"))
        assert exited.value.code == 2
    assert list(out.iterdir()) == []
