"""岗位安全职责清单: a person's duty card, to be signed, one person per page.

    岗位安全职责清单                              (2号, centred)
    （2026年6月30日）
    姓名：纪诗云
    职务：组织委员、常青村党总支书记、主任         (titles wrap under themselves)
    一、岗位职责
    其他分管负责人                                (楷体, only when several kinds of post)
    （一）对分管领域和包保村（社区）的安全生产工作负直接领导责任。
    二、责任区域
    直接领导责任：农业农村办公室
    直接责任：常青村
    三、包保村（社区）
    石桥村（直接领导责任）
                                本人签字：            年　　月　　日

The duties are those of every kind of post the person holds that day (other posts have no
list); the areas are the assignments in force that day, grouped by level, with the villages
and communities a leader is patron of (包保) in a section of their own.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, PageBreak

from app.i18n import _, format_date_chinese
from app.org.kinds import PostKind
from app.org.people import titles_by_person
from app.prints.document import CHAR_PITCH, SIZE_4, OfficialDocument
from app.prints.fonts import FontSet
from app.prints.numbering import heading_number
from app.responsibility.assignments import (
    AREA_KINDS,
    AssignmentError,
    assignments_as_of,
    leaders_on,
)
from app.responsibility.coverage import TERRITORIAL
from app.responsibility.duties import DUTY_KINDS, DutyItem, duties_by_kind, duty_number, kinds_held
from app.responsibility.levels import PATRONAGE, Level
from app.responsibility.print_common import POST_KIND_CHINESE, SEPARATOR, date_line
from app.storage.bulk import chunks
from app.storage.models import Person

CARD_TITLE = "岗位安全职责清单"
SIGNATURE_LINE = "本人签字：" + "\u3000" * 8 + "年\u3000\u3000月\u3000\u3000日"


@dataclass(frozen=True)
class DutySection:
    kind: PostKind
    duties: tuple[DutyItem, ...]

    @property
    def heading(self) -> str:
        return f"{POST_KIND_CHINESE[self.kind]}职责"


@dataclass(frozen=True)
class AreaLine:
    level: Level
    areas: tuple[str, ...]


@dataclass(frozen=True)
class DutyCard:
    person_id: int
    name: str
    titles: tuple[str, ...]
    sections: tuple[DutySection, ...]  # one per kind of post held, in DUTY_KINDS order
    areas: tuple[AreaLine, ...]  # by level, highest first; patronage villages not included
    patronage: tuple[str, ...]  # villages and communities the person is patron of (包保)


@dataclass(frozen=True)
class DutyCardsSnapshot:
    as_of: dt.date
    cards: tuple[DutyCard, ...]


def duty_cards_snapshot(day: dt.date, person_ids: Sequence[int] | None = None) -> DutyCardsSnapshot:
    """The cards of ``person_ids`` in that order, or of everyone who leads an area on ``day``
    (leaders_on).  An unknown person is an AssignmentError."""
    ids = leaders_on(day) if person_ids is None else list(dict.fromkeys(person_ids))
    names: dict[int, str] = {}
    for chunk in chunks(ids):
        names.update(Person.select(Person.id, Person.name).where(Person.id.in_(chunk)).tuples())
    kinds_of = kinds_held(ids, day)
    if any(pid not in names for pid in ids):
        raise AssignmentError(_("The person no longer exists."))
    titles = titles_by_person(ids, day)
    wanted = {kind for kinds in kinds_of.values() for kind in kinds}
    lists = duties_by_kind([kind for kind in DUTY_KINDS if kind in wanted])
    cards = [
        DutyCard(
            pid,
            names[pid],
            tuple(titles.get(pid, ())),
            tuple(
                DutySection(kind, tuple(lists.get(kind, ())))
                for kind in DUTY_KINDS
                if kind in kinds_of[pid]
            ),
            *_areas(pid, day),
        )
        for pid in ids
    ]
    return DutyCardsSnapshot(day, tuple(cards))


def _areas(person_id: int, day: dt.date) -> tuple[tuple[AreaLine, ...], tuple[str, ...]]:
    kind_rank = {kind: rank for rank, kind in enumerate(AREA_KINDS)}
    lines = sorted(
        enumerate(assignments_as_of(day, person_id=person_id)),
        key=lambda item: (item[1].level.rank, kind_rank.get(item[1].unit_kind, 99), item[0]),
    )
    by_level: dict[Level, list[str]] = {}
    patronage: list[str] = []
    for _index, line in lines:
        if line.level == PATRONAGE and line.unit_kind in TERRITORIAL:
            patronage.append(line.unit_name)
        else:
            by_level.setdefault(line.level, []).append(line.unit_name)
    areas = tuple(AreaLine(level, tuple(by_level[level])) for level in Level if level in by_level)
    return areas, tuple(patronage)


class DutyCardsDocument(OfficialDocument):
    """One card per person, each starting on a new page; page numbers run on."""

    def __init__(self, snapshot: DutyCardsSnapshot, *, fonts: FontSet | None = None):
        super().__init__(fonts=fonts)
        self.snapshot = snapshot
        body = self.styles.body_flush
        # "职务：" hangs: wrapped titles line up under the first title.
        self._hanging = ParagraphStyle(
            "card_hanging", parent=body, leftIndent=3 * CHAR_PITCH, firstLineIndent=-3 * CHAR_PITCH
        )
        # A long card keeps to one page in 四号 (the duties and areas; headings stay 三号).
        self._compact = ParagraphStyle(
            "card_compact",
            parent=self.styles.body,
            fontSize=SIZE_4,
            leading=SIZE_4 * 1.5,
            firstLineIndent=2 * SIZE_4,
            charSpace=0,
        )

    def document_title(self) -> str:
        cards = self.snapshot.cards
        if len(cards) == 1:
            return f"{CARD_TITLE}（{cards[0].name}）"
        return CARD_TITLE

    def story(self) -> list[Flowable]:
        story: list[Flowable] = []
        for index, card in enumerate(self.snapshot.cards):
            if index:
                story.append(PageBreak())
            story += self.card(card)
        if not self.snapshot.cards:
            story += [
                self.title(CARD_TITLE),
                date_line(self, format_date_chinese(self.snapshot.as_of)),
                self.blank_lines(1),
                self.paragraph("领导小组暂无成员。", "body"),
            ]
        return story

    def card(self, card: DutyCard) -> list[Flowable]:
        """The card in 3号 type; in 4号 when that is what keeps it on one page."""
        story = self._card(card, compact=False)
        if self._height(story) <= self.geometry.frame_height:
            return story
        return self._card(card, compact=True)

    def _height(self, story: list[Flowable]) -> float:
        """How tall the flowables stand in the type area (measured on a scratch canvas)."""
        width, height = self.geometry.frame_width, self.geometry.frame_height
        scratch = Canvas(io.BytesIO())
        total = 0.0
        pending = list(story)
        while pending:
            flowable = pending.pop(0)
            if isinstance(flowable, KeepTogether):  # its own wrap answers "too tall" at once
                pending[:0] = list(flowable._content)
                continue
            total += flowable.wrapOn(scratch, width, height)[1]
            total += flowable.getSpaceBefore() + flowable.getSpaceAfter()
        return total

    def _card(self, card: DutyCard, *, compact: bool) -> list[Flowable]:
        text_style = self._compact if compact else self.styles.body
        story: list[Flowable] = [
            self.title(CARD_TITLE),
            date_line(self, format_date_chinese(self.snapshot.as_of)),
            self.blank_lines(0.5),
            *self._person(card),
        ]
        number = 0

        def section(text: str) -> None:
            nonlocal number
            number += 1
            story.append(self.heading(heading_number(1, number) + text, 1))

        section("岗位职责")
        sections = [kind for kind in card.sections if kind.duties]
        if not sections:
            story.append(self.paragraph("暂未明确岗位职责。"))
        for duties in sections:
            if len(sections) > 1:
                story.append(self.heading(duties.heading, 2))
            for position, item in enumerate(duties.duties, start=1):
                clause = f"（{item.clause}）" if item.clause else ""
                story.append(
                    self.paragraph(f"{duty_number(position)}{item.text}{clause}", text_style)
                )
        if card.areas or not card.patronage:
            section("责任区域")
            for line in card.areas:
                story.append(
                    self.paragraph(
                        f"{line.level.chinese}：{SEPARATOR.join(line.areas)}", text_style
                    )
                )
            if not card.areas:
                story.append(self.paragraph("暂未明确责任区域。"))
        if card.patronage:
            section("包保村（社区）")
            story.append(
                self.paragraph(
                    f"{SEPARATOR.join(card.patronage)}（{PATRONAGE.chinese}）", text_style
                )
            )
        # The signature never stands alone on a page: it keeps the card's last line with it.
        signature = [self.blank_lines(1), self.paragraph(SIGNATURE_LINE, "signature")]
        story.append(KeepTogether([story.pop(), *signature]))
        return story

    def _person(self, card: DutyCard) -> list[Flowable]:
        """姓名 and 职务 on one line when they fit, else one line each (titles hanging)."""
        name = f"姓名：{card.name}"
        titles = f"职务：{SEPARATOR.join(card.titles) or '—'}"
        line = self.paragraph(f"{name}\u3000\u3000{titles}", self._hanging)
        if line.natural_width <= self.geometry.frame_width:
            return [line]
        return [self.paragraph(name, self._hanging), self.paragraph(titles, self._hanging)]
