"""会议纪要: the minutes of one meeting in the official layout.

    青禾镇2026年第4季度安全生产例会纪要               (2号 小标宋, centred)

    时间：2026年11月23日（星期一）上午9:30             (labels hang: wrapped text
    地点：镇政府三楼会议室                              lines up after "：")
    主持：吴海　　记录：钱多
    出席：周建国（镇党委书记）、郑平（副镇长）、…
    缺席：闫旻（请假）
    列席：区应急管理局李科长
    应到5人，实到4人。
    一、会议议题                                       (黑体)
        1. 防汛                                        (the stored lines, numbers kept)
    二、会议内容
    三、会议决定
    四、落实事项                                       (a table: 序号 · 事项 · 责任人 ·
                                                        完成时限 · 完成情况)
        附件：1.签到表.pdf
              2.现场照片.jpg

A section without content is left out and the ones after it move up a number.  The wording
is the fixed vocabulary of official documents, printed in Chinese whatever the interface
language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable

from app.i18n import format_date_chinese
from app.meetings.kinds import MeetingKind
from app.meetings.service import get_meeting
from app.org.people import titles_by_person
from app.prints.document import CHAR_PITCH, OfficialDocument
from app.prints.fonts import FontSet
from app.prints.numbering import heading_number
from app.prints.paragraph import CJKParagraph
from app.responsibility.print_common import SEPARATOR, township_name

FOLLOW_UP_HEADER = ("序号", "事项", "责任人", "完成时限", "完成情况")
# The columns of the 落实事项 table are measured in the document's fonts (小四): 序号 and the
# two date columns as wide as their widest content, 责任人 as its longest name up to
# OWNER_CHARS characters (longer ones wrap); 事项 takes the rest of the type area.
WIDEST_DATE = "2026年12月28日"
OWNER_CHARS = 5
CELL_PADDING = 4.0  # OfficialDocument.table's left and right cell padding
NOT_DONE = "未完成"
DONE = "已完成"
NO_DATE = "—"
_WEEKDAYS = "一二三四五六日"
# Kinds whose Chinese name does not read well before "纪要"/"签到表" when the meeting has no
# title of its own.
_KIND_NAMES = {
    MeetingKind.PARTY_COMMITTEE: "党委研究安全生产工作会议",
    MeetingKind.OTHER: "安全生产工作会议",
}
_LEADING_SPACE = " \t\u3000"


# ---------------------------------------------------------------------------- wording


def meeting_name(kind: MeetingKind, title: str) -> str:
    """What the meeting is called in print: its title, else the Chinese name of its kind."""
    return title.strip() or _KIND_NAMES.get(kind, kind.chinese)


def minutes_title(township: str, kind: MeetingKind, title: str) -> str:
    """ "青禾镇" + "2026年第4季度安全生产例会" → "青禾镇2026年第4季度安全生产例会纪要".

    A title that names the township already (or starts "镇党委…") is not given it twice;
    one that ends in 会/会议 takes "纪要", anything else "会议纪要".
    """
    name = meeting_name(kind, title)
    if township:
        if name.startswith(township):
            name = name[len(township) :]
        else:
            for suffix in ("街道", "镇", "乡"):
                if township.endswith(suffix) and name.startswith(suffix):
                    name = name[len(suffix) :]
                    break
    head = township + name
    if head.endswith("纪要"):
        return head
    if head.endswith("会"):
        return head + "纪要"
    return head + ("纪要" if head.endswith("会议") else "会议纪要")


def time_of_day(value: dt.time) -> str:
    """上午9:30, 中午12:00, 下午2:30, 晚上7:00."""
    hour = value.hour
    if hour < 12:
        part = "上午"
    elif hour == 12:
        part = "中午"
    elif hour < 18:
        part = "下午"
    else:
        part = "晚上"
    shown = hour - 12 if hour > 12 else hour
    return f"{part}{shown}:{value.minute:02d}"


def when_text(day: dt.date, time: dt.time | None) -> str:
    """2026年11月23日（星期一）上午9:30 — the time only when recorded."""
    text = f"{format_date_chinese(day)}（星期{_WEEKDAYS[day.weekday()]}）"
    return text + time_of_day(time) if time is not None else text


def text_lines(text: str) -> list[str]:
    """The stored text's non-empty lines, each a paragraph; numbers such as "1." "（一）"
    "一、" stay as typed (the paragraph style gives the indent, so typed indents go)."""
    return [line.strip().lstrip(_LEADING_SPACE) for line in text.splitlines() if line.strip()]


# ---------------------------------------------------------------------------- snapshot


@dataclass(frozen=True)
class Participant:
    name: str
    titles: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """韩立新（镇党委书记）, or the name alone when no title is held that day."""
        return f"{self.name}（{SEPARATOR.join(self.titles)}）" if self.titles else self.name


@dataclass(frozen=True)
class Absentee:
    name: str
    reason: str

    @property
    def text(self) -> str:
        return f"{self.name}（{self.reason}）" if self.reason else self.name


@dataclass(frozen=True)
class FollowUpRow:
    text: str
    owner: str
    due_date: dt.date | None
    done_date: dt.date | None

    @property
    def due_text(self) -> str:
        return format_date_chinese(self.due_date) if self.due_date else NO_DATE

    @property
    def status_text(self) -> str:
        """已完成 over the done date, or 未完成."""
        if self.done_date is None:
            return NOT_DONE
        return f"{DONE}\n{format_date_chinese(self.done_date)}"


@dataclass(frozen=True)
class MinutesSnapshot:
    meeting_id: int
    township_name: str  # "" when no township is recorded
    kind: MeetingKind
    meeting_title: str  # as entered; may be empty
    held_on: dt.date
    start_time: dt.time | None
    place: str
    chair: str
    recorder: str
    present: tuple[Participant, ...]
    absent: tuple[Absentee, ...]
    invited: str
    topics: str
    minutes: str
    decisions: str
    follow_ups: tuple[FollowUpRow, ...]
    attachments: tuple[str, ...]  # file names

    @property
    def title(self) -> str:
        return minutes_title(self.township_name, self.kind, self.meeting_title)


def minutes_snapshot(meeting_id: int) -> MinutesSnapshot:
    """The minutes of a recorded meeting; MeetingError if there is no such meeting."""
    record = get_meeting(meeting_id)
    titles = titles_by_person([a.person_id for a in record.attendees if a.present], record.held_on)
    return MinutesSnapshot(
        meeting_id=record.id,
        township_name=township_name(),
        kind=record.kind,
        meeting_title=record.title,
        held_on=record.held_on,
        start_time=record.start_time,
        place=record.place,
        chair=record.chair_name,
        recorder=record.recorder_name,
        present=tuple(
            Participant(a.name, tuple(titles.get(a.person_id, ())))
            for a in record.attendees
            if a.present
        ),
        absent=tuple(Absentee(a.name, a.absence_reason) for a in record.attendees if not a.present),
        invited=record.invited,
        topics=record.topics,
        minutes=record.minutes,
        decisions=record.decisions,
        follow_ups=tuple(
            FollowUpRow(f.text, f.owner_name, f.due_date, f.done_date) for f in record.follow_ups
        ),
        attachments=tuple(a.file_name for a in record.attachments),
    )


# ---------------------------------------------------------------------------- document


class MinutesDocument(OfficialDocument):
    """The minutes of one meeting (portrait, page numbers "— 1 —")."""

    def __init__(self, snapshot: MinutesSnapshot, *, fonts: FontSet | None = None):
        super().__init__(fonts=fonts)
        self.snapshot = snapshot
        body = self.styles.body_flush
        # "出席：" hangs: a long list of names lines up after the label.
        self._label = ParagraphStyle(
            "minutes_label", parent=body, leftIndent=3 * CHAR_PITCH, firstLineIndent=-3 * CHAR_PITCH
        )
        # 附件说明: two characters in, the names lined up after "附件：".
        self._attachment = ParagraphStyle(
            "minutes_attachment",
            parent=body,
            leftIndent=5 * CHAR_PITCH,
            firstLineIndent=-3 * CHAR_PITCH,
        )
        self._attachment_more = ParagraphStyle(
            "minutes_attachment_more", parent=body, leftIndent=5 * CHAR_PITCH
        )

    def document_title(self) -> str:
        return self.snapshot.title

    def story(self) -> list[Flowable]:
        snapshot = self.snapshot
        story: list[Flowable] = [self.title(snapshot.title), self.blank_lines(1)]
        story += self._particulars()
        number = 0

        def section(heading: str) -> None:
            nonlocal number
            number += 1
            story.append(self.heading(heading_number(1, number) + heading, 1))

        for heading, text in (
            ("会议议题", snapshot.topics),
            ("会议内容", snapshot.minutes),
            ("会议决定", snapshot.decisions),
        ):
            lines = text_lines(text)
            if lines:
                section(heading)
                story += [self.paragraph(line, "body") for line in lines]
        if snapshot.follow_ups:
            section("落实事项")
            story.append(self._follow_up_table())
        if snapshot.attachments:
            story.append(self.blank_lines(1))
            story += self._attachments()
        return story

    def _particulars(self) -> list[Flowable]:
        """时间, 地点, 主持/记录, 出席, 缺席, 列席 and the head count, each when known."""
        snapshot = self.snapshot
        lines = [f"时间：{when_text(snapshot.held_on, snapshot.start_time)}"]
        if snapshot.place:
            lines.append(f"地点：{snapshot.place}")
        roles = [
            f"{label}：{name}"
            for label, name in (("主持", snapshot.chair), ("记录", snapshot.recorder))
            if name
        ]
        if roles:
            lines.append("\u3000\u3000".join(roles))
        if snapshot.present:
            lines.append("出席：" + SEPARATOR.join(p.text for p in snapshot.present))
        if snapshot.absent:
            lines.append("缺席：" + SEPARATOR.join(a.text for a in snapshot.absent))
        invited = " ".join(snapshot.invited.split())
        if invited:
            lines.append(f"列席：{invited}")
        expected = len(snapshot.present) + len(snapshot.absent)
        if expected:
            lines.append(f"应到{expected}人，实到{len(snapshot.present)}人。")
        return [self.paragraph(line, self._label) for line in lines]

    def _follow_up_table(self) -> Flowable:
        items = self.snapshot.follow_ups
        cell = self.styles.table_cell
        header = self.styles.table_header

        def fit(*texts: str) -> float:
            widest = max(
                max(CJKParagraph.plain(text, cell).natural_width for text in texts),
                max(CJKParagraph.plain(text, header).natural_width for text in texts),
            )
            return widest + 2 * CELL_PADDING + 1.0

        owners = [item.owner[:OWNER_CHARS] for item in items]
        widths = [
            fit(FOLLOW_UP_HEADER[0], str(len(items))),
            0.0,
            fit(FOLLOW_UP_HEADER[2], *owners),
            fit(FOLLOW_UP_HEADER[3], WIDEST_DATE),
            fit(FOLLOW_UP_HEADER[4], WIDEST_DATE),
        ]
        widths[1] = self.geometry.frame_width - sum(widths)
        rows: list[tuple[str, ...]] = [FOLLOW_UP_HEADER]
        for position, item in enumerate(items, start=1):
            rows.append((str(position), item.text, item.owner, item.due_text, item.status_text))
        return self.table(rows, widths, align=("center", "left", "center", "center", "center"))

    def _attachments(self) -> list[Flowable]:
        """附件：签到表.pdf — numbered "1." "2." when there are several (GB/T 9704, 8.1.7)."""
        names = self.snapshot.attachments
        if len(names) == 1:
            return [self.paragraph(f"附件：{names[0]}", self._attachment)]
        return [
            self.paragraph(
                ("附件：" if index == 1 else "") + heading_number(3, index) + name,
                self._attachment if index == 1 else self._attachment_more,
            )
            for index, name in enumerate(names, start=1)
        ]
