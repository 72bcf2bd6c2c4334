"""The five responsibility levels, from the principals' overall leadership down to the grid
worker's specific responsibility, with stable codes and translated labels."""

from __future__ import annotations

from enum import StrEnum

from app.i18n import N_, _


class Level(StrEnum):
    OVERALL = "overall"  # 全面领导责任: the principals
    SUPERVISION = "supervision"  # 综合监管领导责任: the deputy in charge of work safety
    DIRECT_LEADERSHIP = "direct_leadership"  # 直接领导责任: a deputy over a field, a patron
    DIRECT = "direct"  # 直接责任人: the village secretary, the department head
    SPECIFIC = "specific"  # 具体责任人: the safety officer, the grid worker

    @property
    def label(self) -> str:
        return _(_LABELS[self])

    @property
    def short_label(self) -> str:
        """For a grid cell."""
        return _(_SHORT_LABELS[self])

    @property
    def chinese(self) -> str:
        """The wording of printed documents, which stay Chinese in every interface language."""
        return _CHINESE[self]

    @property
    def rank(self) -> int:
        return list(Level).index(self)


_LABELS = {
    Level.OVERALL: N_("Overall leadership"),
    Level.SUPERVISION: N_("Comprehensive supervision"),
    Level.DIRECT_LEADERSHIP: N_("Direct leadership"),
    Level.DIRECT: N_("Directly responsible"),
    Level.SPECIFIC: N_("Specifically responsible"),
}
_SHORT_LABELS = {
    Level.OVERALL: N_("Overall"),
    Level.SUPERVISION: N_("Supervision"),
    Level.DIRECT_LEADERSHIP: N_("Leads"),
    Level.DIRECT: N_("Direct"),
    Level.SPECIFIC: N_("Specific"),
}
_CHINESE = {
    Level.OVERALL: "全面领导责任",
    Level.SUPERVISION: "综合监管领导责任",
    Level.DIRECT_LEADERSHIP: "直接领导责任",
    Level.DIRECT: "直接责任",
    Level.SPECIFIC: "具体责任",
}

# Levels by which a leader oversees a department or industry (分管), and patronage (包保) of a
# village or community.
OVERSIGHT = (Level.SUPERVISION, Level.DIRECT_LEADERSHIP)
PATRONAGE = Level.DIRECT_LEADERSHIP


def parse_level(text: str) -> Level | None:
    """A level from its code, its Chinese wording (with or without 责任/人) or an English label."""
    key = text.strip()
    if not key:
        return None
    for level in Level:
        if key in (level.value, level.chinese, level.label, level.short_label):
            return level
        chinese = level.chinese.removesuffix("责任")
        if key in (chinese, chinese + "人", level.chinese + "人"):
            return level
    return None
