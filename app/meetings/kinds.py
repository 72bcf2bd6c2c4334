"""Kinds of meeting, with stable codes (the command line and obligation rules use them) and
their labels; the Chinese names are what minutes and reports print."""

from __future__ import annotations

from enum import StrEnum

from app.i18n import N_, _


class MeetingKind(StrEnum):
    PARTY_COMMITTEE = "party_committee"  # 党委会议研究安全生产
    GOVERNMENT_SPECIAL = "government_special"  # 政府安全生产专题会议
    ANNUAL_CONFERENCE = "annual_conference"  # 年度安全生产工作会议
    QUARTERLY_ROUTINE = "quarterly_routine"  # 季度安全生产例会
    LEADING_GROUP = "leading_group"  # 安全生产领导小组会议
    OTHER = "other"

    @property
    def label(self) -> str:
        return _(_LABELS[self])

    @property
    def chinese(self) -> str:
        """For print, which stays Chinese."""
        return _CHINESE[self]


_LABELS = {
    MeetingKind.PARTY_COMMITTEE: N_("Party committee meeting on work safety"),
    MeetingKind.GOVERNMENT_SPECIAL: N_("Government special meeting on work safety"),
    MeetingKind.ANNUAL_CONFERENCE: N_("Annual work-safety conference"),
    MeetingKind.QUARTERLY_ROUTINE: N_("Quarterly work-safety routine meeting"),
    MeetingKind.LEADING_GROUP: N_("Leading group meeting"),
    MeetingKind.OTHER: N_("Other meeting"),
}
_CHINESE = {
    MeetingKind.PARTY_COMMITTEE: "党委会议（研究安全生产工作）",
    MeetingKind.GOVERNMENT_SPECIAL: "政府安全生产专题会议",
    MeetingKind.ANNUAL_CONFERENCE: "年度安全生产工作会议",
    MeetingKind.QUARTERLY_ROUTINE: "季度安全生产例会",
    MeetingKind.LEADING_GROUP: "安全生产领导小组会议",
    MeetingKind.OTHER: "其他会议",
}
