"""The leading-group roster as the official attachment: 青禾镇安全生产领导小组成员名单.

Layout, as townships print it under their notice:

    青禾镇安全生产领导小组成员名单          (2号 小标宋, centred)
           （2026年11月23日）                (3号 楷体, centred)

    组　　　长：王　伟　镇党委书记
    常务副组长：闫　旻　镇党委副书记、镇长
    副　组　长：…
    成　　　员：…                           (titles wrap under themselves)

    领导小组下设办公室，办公室设在…，…同志兼任办公室主任。

The wording is the fixed vocabulary of the Chinese official document (like GroupRole.chinese and
format_date_chinese), so it is printed in Chinese whatever the interface language.
"""

from __future__ import annotations

from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Table, TableStyle

from app.i18n import _, format_date, format_date_chinese
from app.io.text import is_cjk
from app.prints.document import CHAR_PITCH, OfficialDocument
from app.prints.fonts import FontSet
from app.prints.paragraph import CJKParagraph
from app.roster.roles import GroupRole, OfficeRole
from app.roster.snapshot import RosterLine, RosterSnapshot

_FULL_WIDTH_SPACE = "\u3000"
_LABEL_INDENT_CHARS = 2  # the member block starts where a paragraph's first line does
_MAX_NAME_CHARS = 6


def pad_name(name: str) -> str:
    """ "张三" → "张　三": two-character names take the width of three-character ones."""
    if len(name) == 2 and all(is_cjk(char) for char in name):
        return name[0] + _FULL_WIDTH_SPACE + name[1]
    return name


def role_label(role: GroupRole, width: int) -> str:
    """The role spread over ``width`` characters with full-width spaces, then "：".

    With 常务副组长 present the labels are five characters wide: 组　　　长：, 副　组　长：;
    without it three: 组　长：, 副组长：, 成　员：.
    """
    text = role.chinese
    gaps = len(text) - 1
    spare = width - len(text)
    if gaps <= 0 or spare <= 0:
        return text + "："
    # Spare cells shared between the gaps as evenly as whole characters allow (widest first).
    base, extra = divmod(spare, gaps)
    pieces = [text[0]]
    for index, char in enumerate(text[1:]):
        pieces.append(_FULL_WIDTH_SPACE * (base + (1 if index < extra else 0)))
        pieces.append(char)
    return "".join(pieces) + "："


def office_sentence(snapshot: RosterSnapshot) -> str:
    """领导小组下设办公室，办公室设在…，…同志兼任办公室主任。 Empty when nothing is known."""
    location = snapshot.office_location.strip()
    directors = "、".join(line.name for line in snapshot.office_holders(OfficeRole.DIRECTOR))
    deputies = "、".join(line.name for line in snapshot.office_holders(OfficeRole.DEPUTY_DIRECTOR))
    if not (location or directors or deputies):
        return ""
    parts = ["领导小组下设办公室"]
    if location:
        parts.append(f"办公室设在{location}")
    if directors:
        parts.append(f"{directors}同志兼任办公室主任")
    if deputies:
        parts.append(f"{deputies}同志兼任办公室副主任")
    return "，".join(parts) + "。"


def roster_title(snapshot: RosterSnapshot) -> str:
    return f"{snapshot.group_name}成员名单"


class RosterDocument(OfficialDocument):
    """The roster of the leading group on ``snapshot.as_of``, ready to attach to a notice."""

    def __init__(self, snapshot: RosterSnapshot, *, fonts: FontSet | None = None):
        super().__init__(fonts=fonts)
        self.snapshot = snapshot

    def document_title(self) -> str:
        return roster_title(self.snapshot)

    def document_subject(self) -> str:
        return _("Leading group roster as of {date}").format(date=format_date(self.snapshot.as_of))

    def story(self) -> list[Flowable]:
        snapshot = self.snapshot
        story: list[Flowable] = [
            self.title(roster_title(snapshot)),
            self.paragraph(f"（{format_date_chinese(snapshot.as_of)}）", "subtitle"),
            self.blank_lines(1),
        ]
        groups = snapshot.by_role()
        if groups:
            story.append(self._members_table(groups))
        sentence = office_sentence(snapshot)
        if sentence:
            story += [self.blank_lines(1), self.paragraph(sentence, "body")]
        return story

    def _members_table(self, groups: list[tuple[GroupRole, list[RosterLine]]]) -> Table:
        label_chars = max(len(role.chinese) for role, _lines in groups)
        # Names longer than six characters (a few ethnic or foreign names) wrap in their
        # column rather than squeezing the titles out of the page.
        name_chars = min(
            _MAX_NAME_CHARS,
            max(3, *(len(pad_name(line.name)) for _role, lines in groups for line in lines)),
        )
        body = self.styles.body_flush
        label_style = ParagraphStyle("roster_label", parent=body, alignment=TA_LEFT)
        name_style = label_style
        titles_style = ParagraphStyle("roster_titles", parent=body, alignment=TA_JUSTIFY)
        rows: list[list[Flowable | str]] = []
        for role, lines in groups:
            label = role_label(role, label_chars)
            for index, line in enumerate(lines):
                rows.append(
                    [
                        "",
                        CJKParagraph.plain(label if index == 0 else "", label_style),
                        CJKParagraph.plain(pad_name(line.name), name_style),
                        CJKParagraph.plain(line.titles_text, titles_style),
                    ]
                )
        indent = _LABEL_INDENT_CHARS * CHAR_PITCH
        label_width = (label_chars + 1) * CHAR_PITCH  # the "：" takes one cell
        name_width = (name_chars + 1) * CHAR_PITCH  # one empty cell before the titles
        titles_width = self.geometry.frame_width - indent - label_width - name_width
        table = Table(
            rows,
            colWidths=[indent, label_width, name_width, titles_width],
            hAlign="LEFT",
        )
        # No rules and no padding: every row stays on the 22-line grid of the page.
        table.setStyle(
            TableStyle(
                [
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    # A wrapped long name keeps one empty cell before the titles.
                    ("RIGHTPADDING", (2, 0), (2, -1), CHAR_PITCH),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    # The empty indent column is drawn as a string: not in Helvetica.
                    ("FONT", (0, 0), (-1, -1), body.fontName, body.fontSize),
                ]
            )
        )
        return table
