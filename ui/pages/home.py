"""The home page: what needs attention: the roster, the coverage check; later areas say when."""

from __future__ import annotations

import datetime as dt
import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, ngettext, pgettext
from app.roster.summary import RosterSummary, roster_summary
from ui.pages.areas import COMING_LATER, areas
from ui.widgets.cards import WARNING_STYLE, Card, heading, muted
from ui.widgets.forms import long_date

if TYPE_CHECKING:
    from app.obligations.attention import Attention
    from app.responsibility.coverage import Coverage


class HomePage(QWidget):
    """Cards of what needs attention; each leads to its page."""

    navigate = Signal(str)
    # A record to open from an attention item: ("meeting", id) or ("new_meeting", (kind, day)).
    open_record = Signal(str, object)

    def __init__(self, parent: QWidget | None = None, *, today: dt.date | None = None):
        super().__init__(parent)
        self._today = today
        self.summary: RosterSummary | None = None

        self.title_label = heading(_("What needs attention"), self)
        self.title_label.installEventFilter(self)
        self.date_label = muted("", self)

        self.roster_card = Card(_("Leading group roster"), self)
        self.members_label = QLabel(self.roster_card)
        self.leaders_label = QLabel(self.roster_card)
        self.director_label = QLabel(self.roster_card)
        self.change_label = QLabel(self.roster_card)
        self._fill_card(
            self.roster_card,
            [self.members_label, self.leaders_label, self.director_label, self.change_label],
            _("Open the roster"),
            "roster",
        )

        self.coverage: Coverage | None = None
        self.coverage_card = Card(areas()["responsibility"].title, self)
        self.coverage_label = QLabel(self.coverage_card)
        self._fill_card(
            self.coverage_card,
            [self.coverage_label],
            _("Open the coverage check"),
            "responsibility/coverage",
        )

        self.attention: Attention | None = None
        self._checks_pending = False
        self.meetings_card = Card(areas()["meetings"].title, self)
        self.attention_label = QLabel(self.meetings_card)
        self.attention_label.setWordWrap(True)
        self.attention_label.setTextFormat(Qt.TextFormat.RichText)
        self.attention_label.linkActivated.connect(self._attention_link)
        self.meetings_card.body.addWidget(self.attention_label)
        open_meetings = QPushButton(_("Open the meetings"), self.meetings_card)
        open_meetings.clicked.connect(lambda: self.navigate.emit("meetings"))
        row = QHBoxLayout()
        row.addWidget(open_meetings)
        row.addStretch(1)
        self.meetings_card.body.addSpacing(6)
        self.meetings_card.body.addLayout(row)

        grid = QGridLayout()
        grid.setSpacing(14)
        grid.addWidget(self.roster_card, 0, 0)
        grid.addWidget(self.coverage_card, 0, 1)
        grid.addWidget(self.meetings_card, 1, 0, 1, 2)
        self.later_cards: dict[str, Card] = {}
        texts = areas()
        for number, key in enumerate(COMING_LATER):
            area = texts[key]
            card = Card(area.title, self)
            card.body.addWidget(QLabel(area.attention, card))
            card.body.addWidget(muted(_("Arrives in a later version."), card))
            for label in card.findChildren(QLabel):
                label.setWordWrap(True)
            self.later_cards[key] = card
            grid.addWidget(card, 2 + number // 2, number % 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

        content = QWidget(self)
        column = QVBoxLayout(content)
        column.setContentsMargins(32, 28, 32, 24)
        column.setSpacing(10)
        column.addWidget(self.title_label)
        column.addWidget(self.date_label)
        column.addSpacing(6)
        column.addLayout(grid)
        column.addStretch(1)
        content.setMaximumWidth(1100)

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        holder = QWidget(scroll)
        holder_layout = QHBoxLayout(holder)
        holder_layout.setContentsMargins(0, 0, 0, 0)
        holder_layout.addWidget(content, 1)
        holder_layout.addStretch(0)
        scroll.setWidget(holder)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

        self.refresh()

    def _fill_card(self, card: Card, labels: list[QLabel], button: str, target: str) -> None:
        """Wrapping plain-text labels, then a button that opens ``target``."""
        for label in labels:
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            card.body.addWidget(label)
        open_button = QPushButton(button, card)
        open_button.clicked.connect(lambda: self.navigate.emit(target))
        row = QHBoxLayout()
        row.addWidget(open_button)
        row.addStretch(1)
        card.body.addSpacing(6)
        card.body.addLayout(row)

    def today(self) -> dt.date:
        return self._today or dt.date.today()

    def refresh(self) -> None:
        day = self.today()
        summary = roster_summary(day)
        self.summary = summary
        self.date_label.setText(_("Today is {date}.").format(date=long_date(day)))
        self.roster_card.title_label.setText(summary.group_name)
        self.members_label.setText(_("Members today: {count}").format(count=summary.members))
        self.leaders_label.setText(
            ngettext(
                "Group leader: {names}", "Group leaders: {names}", len(summary.leaders)
            ).format(names=pgettext("list of names", ", ").join(summary.leaders))
            if summary.leaders
            else _("No group leader on the roster yet.")
        )
        self.leaders_label.setStyleSheet("" if summary.leaders else WARNING_STYLE)
        if summary.director:
            self.director_label.setText(_("Office director: {name}").format(name=summary.director))
            self.director_label.setStyleSheet("")
        else:
            self.director_label.setText(
                _("The group has no office director: choose one on the roster page.")
            )
            self.director_label.setStyleSheet(WARNING_STYLE)
        self.change_label.setText(
            _("Last change: {date}").format(date=long_date(summary.last_change))
            if summary.last_change
            else _("No changes recorded yet.")
        )
        # The home page is what start-up paints first: the coverage check and the attention
        # items (and their modules) wait until the window has been painted.
        if self.coverage is None:
            self.coverage_label.setText(_("Checking…"))
            self.attention_label.setText(_("Checking…"))
            self._checks_pending = True
            QTimer.singleShot(0, self._check_unless_painting)
        else:
            self.refresh_checks()

    def _check_unless_painting(self) -> None:
        # A page on screen checks once it has been painted (eventFilter); one that is not
        # shown gets no paint, so it checks now.
        if self._checks_pending and not self.isVisible():
            self._checks_pending = False
            self.refresh_checks()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The page's heading is painted whenever the page is (the page itself is covered by
        # its scroll area, so Qt does not paint it).
        painted = watched is self.title_label and event.type() == QEvent.Type.Paint
        if painted and self._checks_pending:
            self._checks_pending = False
            QTimer.singleShot(0, self.refresh_checks)
        return super().eventFilter(watched, event)

    def refresh_checks(self) -> None:
        self.refresh_coverage()
        self.refresh_attention()

    def refresh_attention(self) -> None:
        from app.obligations.attention import attention

        self.attention = attention(self.today())
        self.attention_label.setText(attention_html(self.attention))

    def _attention_link(self, href: str) -> None:
        assert self.attention is not None
        item = self.attention.items[int(href)]
        if item.meeting_id is not None:
            self.open_record.emit("meeting", item.meeting_id)
        elif item.meeting_kind:
            self.open_record.emit("new_meeting", (item.meeting_kind, item.due))
        else:
            self.navigate.emit("meetings")

    def refresh_coverage(self) -> None:
        from app.responsibility.coverage import check_coverage

        coverage = check_coverage(self.today())
        self.coverage = coverage
        if coverage.complete:
            self.coverage_label.setText(
                _(
                    "Every department, village, community and enterprise has someone "
                    "answerable for safety."
                )
            )
            self.coverage_label.setStyleSheet("")
            return
        lines = [
            ngettext(
                "{count} gap where nobody is answerable:",
                "{count} gaps where nobody is answerable:",
                len(coverage.gaps),
            ).format(count=len(coverage.gaps))
        ]
        for rule, count in coverage.counts.items():
            lines.append(_("{rule}: {count}").format(rule=rule.label, count=count))
        self.coverage_label.setText("\n".join(lines))
        self.coverage_label.setStyleSheet(WARNING_STYLE)


# The home page lists this many attention items; the rest are counted.
SHOWN_ITEMS = 6


def attention_html(attention: Attention) -> str:
    """Overdue items first, then those due within two weeks; each with a link to settle it."""
    if not attention.items:
        return html.escape(_("Nothing is overdue or due within two weeks."))
    lines = [
        html.escape(
            _("{overdue} overdue, {soon} due within two weeks:").format(
                overdue=attention.overdue_count, soon=attention.soon_count
            )
        )
    ]
    for index, item in enumerate(attention.items[:SHOWN_ITEMS]):
        state = _("Overdue since {date}") if item.overdue else _("Due by {date}")
        action = _("Open the meeting") if item.meeting_id is not None else _("Record a meeting")
        state_html = html.escape(state.format(date=long_date(item.due)))
        if item.overdue:
            state_html = f'<span style="color:#9a3b00">{state_html}</span>'
        # The values are escaped first: format() does not read braces inside them.
        line = html.escape(_("{state}: {what}")).format(
            state=state_html, what=html.escape(item.text)
        )
        lines.append(f'{line} <a href="{index}">{html.escape(action)}</a>')
    hidden = len(attention.items) - SHOWN_ITEMS
    if hidden > 0:
        lines.append(
            html.escape(
                ngettext("… and {count} more.", "… and {count} more.", hidden).format(count=hidden)
            )
        )
    return "<br>".join(lines)
