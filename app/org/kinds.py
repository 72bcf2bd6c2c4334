"""Stable codes for kinds of unit and kinds of post, with translated labels."""

from __future__ import annotations

from enum import StrEnum

from app.i18n import N_, _


class UnitKind(StrEnum):
    TOWNSHIP = "township"  # 乡镇 / 街道
    DEPARTMENT = "department"  # 科室 / 办 / 所 / 站 / 中心
    VILLAGE = "village"  # 村委会
    COMMUNITY = "community"  # 社区
    ENTERPRISE = "enterprise"  # 企业 / 生产经营单位
    INDUSTRY = "industry"  # 行业领域: a field of work, not a body; enterprises belong to one
    OTHER = "other"

    @property
    def label(self) -> str:
        return _(_UNIT_LABELS[self])


_UNIT_LABELS = {
    UnitKind.TOWNSHIP: N_("Township"),
    UnitKind.DEPARTMENT: N_("Department"),
    UnitKind.VILLAGE: N_("Village"),
    UnitKind.COMMUNITY: N_("Community"),
    UnitKind.ENTERPRISE: N_("Enterprise"),
    UnitKind.INDUSTRY: N_("Industry"),
    UnitKind.OTHER: N_("Other unit"),
}


class RiskClass(StrEnum):
    """Enterprise classes that set how often they must be checked."""

    HIGH_RISK = "high_risk"  # 高危
    KEY = "key"  # 重点
    GENERAL = "general"  # 一般

    @property
    def label(self) -> str:
        return _(_RISK_LABELS[self])


_RISK_LABELS = {
    RiskClass.HIGH_RISK: N_("High-risk"),
    RiskClass.KEY: N_("Key"),
    RiskClass.GENERAL: N_("General"),
}


class PostKind(StrEnum):
    """What kind of post a title is; duty lists and obligations attach to these."""

    PARTY_SECRETARY = "party_secretary"  # 党委书记
    TOWNSHIP_HEAD = "township_head"  # 镇长 / 主任
    SAFETY_DEPUTY = "safety_deputy"  # 分管安全负责人
    DEPUTY = "deputy"  # 其他分管负责人
    DEPARTMENT_HEAD = "department_head"
    DEPARTMENT_STAFF = "department_staff"
    VILLAGE_SECRETARY = "village_secretary"  # 村/社区书记
    VILLAGE_HEAD = "village_head"  # 村/社区主任
    SAFETY_OFFICER = "safety_officer"  # 安全员
    GRID_WORKER = "grid_worker"  # 网格员
    ENTERPRISE_PRINCIPAL = "enterprise_principal"
    ENTERPRISE_SAFETY_MANAGER = "enterprise_safety_manager"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _(_POST_LABELS[self])


_POST_LABELS = {
    PostKind.PARTY_SECRETARY: N_("Party secretary"),
    PostKind.TOWNSHIP_HEAD: N_("Township head"),
    PostKind.SAFETY_DEPUTY: N_("Deputy in charge of work safety"),
    PostKind.DEPUTY: N_("Other deputy"),
    PostKind.DEPARTMENT_HEAD: N_("Department head"),
    PostKind.DEPARTMENT_STAFF: N_("Department staff"),
    PostKind.VILLAGE_SECRETARY: N_("Village or community secretary"),
    PostKind.VILLAGE_HEAD: N_("Village or community head"),
    PostKind.SAFETY_OFFICER: N_("Safety officer"),
    PostKind.GRID_WORKER: N_("Grid worker"),
    PostKind.ENTERPRISE_PRINCIPAL: N_("Enterprise principal"),
    PostKind.ENTERPRISE_SAFETY_MANAGER: N_("Enterprise safety manager"),
    PostKind.OTHER: N_("Other post"),
}
