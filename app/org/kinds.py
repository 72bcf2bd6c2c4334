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


# Words of titles as townships write them, for the kind of post a title names.  Read in this
# order; the first that fits decides.  Titles that say nothing certain stay "other" (a party
# rank such as 镇党委委员, a second title such as 主任 that names no unit).
_TOWNSHIP_TITLES: tuple[tuple[tuple[str, ...], PostKind], ...] = (
    (
        (
            "党委副书记",
            "党工委副书记",
            "副镇长",
            "副乡长",
            "副主任",
            "人大主席",
            "人大副主席",
            "纪委书记",
            "纪工委书记",
            "武装部长",
            "组织委员",
            "宣传委员",
            "政法委员",
            "统战委员",
        ),
        PostKind.DEPUTY,
    ),
    (("党委书记", "党工委书记"), PostKind.PARTY_SECRETARY),
    (("镇长", "乡长", "办事处主任"), PostKind.TOWNSHIP_HEAD),
)
_HEAD_ENDINGS = ("主任", "所长", "站长", "队长", "院长", "校长", "中队长", "局长", "科长")
_PRINCIPAL_ENDINGS = ("总经理", "经理", "董事长", "厂长", "站长", "店长", "院长", "负责人", "法人")


def infer_post_kind(title: str, unit_kind: UnitKind | None) -> PostKind:
    """The kind of post a title names, read from its words and the unit it belongs to."""
    if "网格员" in title:
        return PostKind.GRID_WORKER
    if unit_kind == UnitKind.ENTERPRISE:
        if "安全" in title:
            return PostKind.ENTERPRISE_SAFETY_MANAGER
        if title.endswith(_PRINCIPAL_ENDINGS):
            return PostKind.ENTERPRISE_PRINCIPAL
        return PostKind.OTHER
    if "安全员" in title:
        return PostKind.SAFETY_OFFICER
    if unit_kind in (UnitKind.VILLAGE, UnitKind.COMMUNITY):
        if title.endswith("书记") and "副书记" not in title:
            return PostKind.VILLAGE_SECRETARY
        if title.endswith("主任") and "副主任" not in title:
            return PostKind.VILLAGE_HEAD
        return PostKind.OTHER
    if unit_kind == UnitKind.DEPARTMENT:
        name_end = title.rsplit("副", 1)
        deputy = len(name_end) > 1 and name_end[1].endswith(_HEAD_ENDINGS)
        if title.endswith(_HEAD_ENDINGS) and not deputy:
            return PostKind.DEPARTMENT_HEAD
        return PostKind.DEPARTMENT_STAFF
    if unit_kind in (None, UnitKind.TOWNSHIP):
        for words, kind in _TOWNSHIP_TITLES:
            if title.endswith(words):
                return kind
    return PostKind.OTHER
