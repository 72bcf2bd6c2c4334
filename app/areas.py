"""The program's areas in navigation order.

Their keys name the GUI pages on the command line (``safeduty screenshot PAGE``), so they
are part of the stable contract of DESIGN.md.
"""

AREAS = (
    "home",
    "roster",
    "responsibility",
    "meetings",
    "letters",
    "hazards",
    "reports",
    "settings",
)
