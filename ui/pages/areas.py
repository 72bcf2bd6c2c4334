"""The areas of the program: keys (stable, used by the command line), titles and purposes."""

from __future__ import annotations

from dataclasses import dataclass

from app.areas import AREAS
from app.i18n import _

PAGE_KEYS = AREAS
# Areas that later versions fill; until then their page says so plainly.
COMING_LATER = ("letters", "hazards", "reports")


@dataclass(frozen=True)
class Area:
    key: str
    title: str
    purpose: str  # what the page will hold
    attention: str = ""  # what the home page will show about it


def areas() -> dict[str, Area]:
    """Every area with its translated texts (built on call: the language may change)."""
    return {
        "home": Area("home", _("Home"), _("What needs attention today.")),
        "roster": Area(
            "roster",
            _("Roster"),
            _("The work-safety leading group: its members on any day, with their history."),
        ),
        "responsibility": Area(
            "responsibility",
            _("Responsibility system"),
            _(
                "Who answers for safety in every department, village and enterprise: the "
                "responsibility matrix (分工表), the duties of each post, the leaders' "
                "patronage of villages, and a check that no unit is left without someone "
                "answerable."
            ),
            _("Units without a responsible leader and duties that are behind."),
        ),
        "meetings": Area(
            "meetings",
            _("Meetings"),
            _(
                "Safety meetings of the party committee and the government: date, chair, "
                "attendees, decisions and follow-up items, counted against how often the "
                "rules require them."
            ),
            _("Meetings due this month or quarter and follow-up items not yet done."),
        ),
        "letters": Area(
            "letters",
            _("Responsibility letters"),
            _(
                "The yearly responsibility letters (目标责任书) for every unit: from the "
                "template to printed, signed and filed copies; a signed letter is never "
                "edited, a change becomes a new version."
            ),
            _("Letters of this year that are not yet signed."),
        ),
        "hazards": Area(
            "hazards",
            _("Inspections and hazards"),
            _(
                "Inspections led by each leader, the hazards they found, deadlines, "
                "rectification and close-out (销号), listed supervision, and the hazard ledger."
            ),
            _("Hazards past their deadline and leaders behind on inspections."),
        ),
        "reports": Area(
            "reports",
            _("Reports"),
            _(
                "The quarterly, monthly and annual reports to the party committee and the "
                "district, in the official document layout, ready to print."
            ),
            _("The next report and the day it is due."),
        ),
        "settings": Area(
            "settings",
            _("Settings"),
            _("Language, fonts for printing, where the data is kept."),
        ),
    }
