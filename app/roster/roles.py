"""The leading group's roles (组长, 常务副组长, 副组长, 成员) and its office roles.

Codes are stable (stored in the database and used by scripts); labels are translated.
The Chinese forms accepted on import are fixed vocabulary of clerks' files, not translations.
"""

from __future__ import annotations

from enum import StrEnum

from app.i18n import N_, _


class GroupRole(StrEnum):
    LEADER = "leader"
    EXECUTIVE_DEPUTY = "executive_deputy"
    DEPUTY = "deputy"
    MEMBER = "member"

    @property
    def rank(self) -> int:
        """Print order: 组长 first, then 常务副组长, 副组长, 成员."""
        return _ROLE_ORDER.index(self)

    @property
    def label(self) -> str:
        return _(_ROLE_LABELS[self])

    @property
    def chinese(self) -> str:
        """The form written in files and official prints, whatever the interface language."""
        return _ROLE_CHINESE[self]


class OfficeRole(StrEnum):
    DIRECTOR = "director"
    DEPUTY_DIRECTOR = "deputy_director"

    @property
    def label(self) -> str:
        return _(_OFFICE_LABELS[self])

    @property
    def chinese(self) -> str:
        return _OFFICE_CHINESE[self]


def display_role(role: GroupRole, office_role: OfficeRole | None) -> str:
    """The role as the interface shows it: "成员（办公室主任）" / "Member (Office director)"."""
    if office_role is None:
        return role.label
    return _("{role} ({office})").format(role=role.label, office=office_role.label)


_ROLE_ORDER = [GroupRole.LEADER, GroupRole.EXECUTIVE_DEPUTY, GroupRole.DEPUTY, GroupRole.MEMBER]

_ROLE_LABELS = {
    GroupRole.LEADER: N_("Group leader"),
    GroupRole.EXECUTIVE_DEPUTY: N_("Executive deputy leader"),
    GroupRole.DEPUTY: N_("Deputy leader"),
    GroupRole.MEMBER: N_("Member"),
}
_ROLE_CHINESE = {
    GroupRole.LEADER: "组长",
    GroupRole.EXECUTIVE_DEPUTY: "常务副组长",
    GroupRole.DEPUTY: "副组长",
    GroupRole.MEMBER: "成员",
}
_OFFICE_LABELS = {
    OfficeRole.DIRECTOR: N_("Office director"),
    OfficeRole.DEPUTY_DIRECTOR: N_("Office deputy director"),
}
_OFFICE_CHINESE = {
    OfficeRole.DIRECTOR: "办公室主任",
    OfficeRole.DEPUTY_DIRECTOR: "办公室副主任",
}

# What clerks' files write in the role column. Whitespace is removed before lookup.
ROLE_SYNONYMS: dict[str, GroupRole] = {
    "组长": GroupRole.LEADER,
    "第一组长": GroupRole.LEADER,
    "双组长": GroupRole.LEADER,
    "常务副组长": GroupRole.EXECUTIVE_DEPUTY,
    "执行副组长": GroupRole.EXECUTIVE_DEPUTY,
    "副组长": GroupRole.DEPUTY,
    "成员": GroupRole.MEMBER,
    "组员": GroupRole.MEMBER,
    "委员": GroupRole.MEMBER,
    # English labels, so that a file exported from an English interface re-imports.
    "groupleader": GroupRole.LEADER,
    "executivedeputyleader": GroupRole.EXECUTIVE_DEPUTY,
    "deputyleader": GroupRole.DEPUTY,
    "member": GroupRole.MEMBER,
}
OFFICE_SYNONYMS: dict[str, OfficeRole] = {
    "办公室主任": OfficeRole.DIRECTOR,
    "主任": OfficeRole.DIRECTOR,
    "办公室副主任": OfficeRole.DEPUTY_DIRECTOR,
    "副主任": OfficeRole.DEPUTY_DIRECTOR,
    "officedirector": OfficeRole.DIRECTOR,
    "officedeputydirector": OfficeRole.DEPUTY_DIRECTOR,
}
