"""签到表: the sheet attendees sign at the door.

    2026年第4季度安全生产例会签到表                   (2号 小标宋, centred)
    时间：2026年11月23日（星期一）上午9:30　　地点：镇政府三楼会议室
                                                      (4号 楷体; two lines when too long)
    序号 │ 姓名   │ 职务                 │ 签到
    ─────┼────────┼──────────────────────┼──────────────
     1   │ 周建国 │ 镇党委书记           │              (tall enough to sign by hand)
    …
         │        │                      │              (blank rows to the end of the page)

Everyone expected is listed in the order of the meeting's attendance list (absent or not:
the sheet is printed before anyone knows); a meeting without one lists the leading group of
the meeting day.  The header row repeats on every page; blank rows follow for people who
come unlisted — at least MIN_BLANK_ROWS, and as many more as fill the last page.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Table

from app.meetings.kinds import MeetingKind
from app.meetings.print_minutes import Participant, meeting_name, when_text
from app.meetings.service import expected_attendees, get_meeting
from app.org.people import titles_by_person
from app.prints.document import SIZE_4, OfficialDocument
from app.prints.fonts import FontSet

SIGN_IN_HEADER = ("序号", "姓名", "职务", "签到")
# 四号 columns in points: 序号, a name of up to five characters, the signature a generous
# share; 职务 takes the rest of the type area (long titles wrap in it).
SIGN_IN_WIDTHS = (40.0, 84.0, None, 150.0)
ROW_HEIGHT = 38.0  # ≈ 13 mm: room to sign by hand
HEADER_HEIGHT = 28.0
MIN_BLANK_ROWS = 3
_FIT_SLACK = 0.5  # points kept spare when filling the last page


@dataclass(frozen=True)
class SignInSnapshot:
    meeting_id: int
    kind: MeetingKind
    meeting_title: str  # as entered; may be empty
    held_on: dt.date
    start_time: dt.time | None
    place: str
    people: tuple[Participant, ...]  # in the order they are listed

    @property
    def title(self) -> str:
        return f"{meeting_name(self.kind, self.meeting_title)}签到表"

    @property
    def when_and_where(self) -> tuple[str, ...]:
        """ "时间：…" and, when recorded, "地点：…"."""
        when = f"时间：{when_text(self.held_on, self.start_time)}"
        return (when, f"地点：{self.place}") if self.place else (when,)


def sign_in_snapshot(meeting_id: int) -> SignInSnapshot:
    """The sheet of a recorded meeting; MeetingError if there is no such meeting."""
    record = get_meeting(meeting_id)
    if record.attendees:
        ids = [a.person_id for a in record.attendees]
        titles = titles_by_person(ids, record.held_on)
        people = tuple(
            Participant(a.name, tuple(titles.get(a.person_id, ()))) for a in record.attendees
        )
    else:
        people = tuple(
            Participant(line.name, line.titles) for line in expected_attendees(record.held_on)
        )
    return SignInSnapshot(
        meeting_id=record.id,
        kind=record.kind,
        meeting_title=record.title,
        held_on=record.held_on,
        start_time=record.start_time,
        place=record.place,
        people=people,
    )


class SignInDocument(OfficialDocument):
    """The sign-in sheet of one meeting (portrait)."""

    def __init__(self, snapshot: SignInSnapshot, *, fonts: FontSet | None = None):
        super().__init__(fonts=fonts)
        self.snapshot = snapshot

    def document_title(self) -> str:
        return self.snapshot.title

    def story(self) -> list[Flowable]:
        head: list[Flowable] = [
            self.title(self.snapshot.title),
            self.blank_lines(0.5),
            *self._when_and_where(),
            self.blank_lines(0.25),
        ]
        blanks = MIN_BLANK_ROWS + self._spare_rows(head, self._table(MIN_BLANK_ROWS))
        return [*head, self._table(blanks)]

    def _when_and_where(self) -> list[Flowable]:
        """时间 and 地点 in 四号 楷体 above the table: on one line when they fit, else two."""
        style = ParagraphStyle(
            "sign_in_when",
            parent=self.styles.heading2,
            fontSize=SIZE_4,
            leading=SIZE_4 * 1.6,
            alignment=TA_LEFT,
            firstLineIndent=0,
            charSpace=0,
            keepWithNext=0,
        )
        lines = self.snapshot.when_and_where
        joined = self.paragraph("\u3000\u3000".join(lines), style)
        if joined.natural_width <= self.geometry.frame_width:
            return [joined]
        return [self.paragraph(line, style) for line in lines]

    def _widths(self) -> list[float]:
        fixed = sum(width for width in SIGN_IN_WIDTHS if width is not None)
        return [
            self.geometry.frame_width - fixed if width is None else width
            for width in SIGN_IN_WIDTHS
        ]

    def _table(self, blank_rows: int) -> Table:
        rows: list[tuple[str, ...]] = [SIGN_IN_HEADER]
        for number, person in enumerate(self.snapshot.people, start=1):
            rows.append((str(number), person.name, "、".join(person.titles), ""))
        rows += [("", "", "", "")] * blank_rows
        table = self.table(
            rows,
            self._widths(),
            align=("center", "center", "left", "center"),
            font_size=SIZE_4,
        )
        # OfficialDocument.table has no minimum heights: set them as Table.__init__ would.
        table._minRowHeights = [HEADER_HEIGHT] + [ROW_HEIGHT] * (len(rows) - 1)
        return table

    def _spare_rows(self, head: list[Flowable], table: Table) -> int:
        """How many more blank rows fit on the page where the table ends."""
        width, height = self.geometry.frame_width, self.geometry.frame_height
        scratch = Canvas(io.BytesIO())
        used = 0.0
        for flowable in head:
            used += flowable.wrapOn(scratch, width, height)[1]
            used += flowable.getSpaceBefore() + flowable.getSpaceAfter()
        table.wrapOn(scratch, width, 1e9)  # every row measured, not only one page's worth
        heights: list[float] = list(table._rowHeights)
        header = heights[0]
        room = height - used
        on_page = 0.0  # what the current page holds of the table, header included
        for index, row in enumerate(heights):
            if index == 0 or on_page + row <= room + 1e-6:
                on_page += row
            else:  # the row starts a new page, under the repeated header
                room, on_page = height, header + row
        return max(0, int((room - on_page - _FIT_SLACK) // ROW_HEIGHT))
