"""Obligation rules: who — what — at least N — per period — within a window — from which clause.

"党委每季度至少召开1次会议研究安全生产" is the rule (party_committee, meeting/party_committee,
1, quarter).  Rules are the township's own and editable; the defaults of DOMAIN.md are
installed into a new database.  Only activities the program records are counted (meetings
today); rules of other activities are kept, inactive, so the clerk sees what is coming.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from peewee import fn

from app.i18n import N_, _
from app.meetings.kinds import MeetingKind
from app.obligations.periods import Period, PeriodError, check_window, parse_window
from app.org.kinds import PostKind
from app.storage.bulk import chunks
from app.storage.db import database_proxy
from app.storage.models import ObligationRule, Person, Unit

MAX_AT_LEAST = 999
MAX_CLAUSE = 200


class RuleError(ValueError):
    """A rule that cannot be saved; ``errors`` maps a field to its reason."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(errors.values()))


class SubjectKind(StrEnum):
    """Who a rule binds.  The first four are bodies (one subject each); the rest name whom."""

    PARTY_COMMITTEE = "party_committee"  # 党委
    GOVERNMENT = "government"  # 镇政府
    TOWNSHIP = "township"  # 全镇（党委和政府一起）
    SAFETY_OFFICE = "safety_office"  # 安监办
    POST_KIND = "post_kind"  # everyone holding a kind of post: subject = the PostKind code
    PERSON = "person"  # subject = the person's id
    UNIT = "unit"  # subject = the unit's id

    @property
    def label(self) -> str:
        return _(_SUBJECT_LABELS[self])

    @property
    def is_body(self) -> bool:
        return self in BODIES


BODIES = (
    SubjectKind.PARTY_COMMITTEE,
    SubjectKind.GOVERNMENT,
    SubjectKind.TOWNSHIP,
    SubjectKind.SAFETY_OFFICE,
)

_SUBJECT_LABELS = {
    SubjectKind.PARTY_COMMITTEE: N_("Party committee"),
    SubjectKind.GOVERNMENT: N_("Government"),
    SubjectKind.TOWNSHIP: N_("Whole township"),
    SubjectKind.SAFETY_OFFICE: N_("Safety office"),
    SubjectKind.POST_KIND: N_("Holders of a kind of post"),
    SubjectKind.PERSON: N_("Person"),
    SubjectKind.UNIT: N_("Unit"),
}


class Activity(StrEnum):
    MEETING = "meeting"
    INSPECTION = "inspection"  # a led inspection (带队检查)
    REPORT = "report"  # a work report (工作报告)
    LETTER = "letter"  # a responsibility letter signed (签订责任书)

    @property
    def label(self) -> str:
        return _(_ACTIVITY_LABELS[self])

    @property
    def counted(self) -> bool:
        """Whether the program records this activity yet, so a rule of it can be counted."""
        return self in COUNTED_ACTIVITIES

    @property
    def pending_note(self) -> str:
        """Why a rule of this activity waits: "" once the activity is recorded."""
        return "" if self.counted else _(_PENDING_NOTES[self])


# Inspections, reports and letters join as their records do.
COUNTED_ACTIVITIES = frozenset({Activity.MEETING})

_ACTIVITY_LABELS = {
    Activity.MEETING: N_("Meeting"),
    Activity.INSPECTION: N_("Led inspection"),
    Activity.REPORT: N_("Work report"),
    Activity.LETTER: N_("Responsibility letter signed"),
}
_PENDING_NOTES = {
    Activity.MEETING: "",
    Activity.INSPECTION: N_("Counted when the program records inspections (a later version)."),
    Activity.REPORT: N_("Counted when the program records reports (a later version)."),
    Activity.LETTER: N_(
        "Counted when the program records responsibility letters (a later version)."
    ),
}


class ReportTo(StrEnum):
    """Whom a report rule's report goes to (the activity code of report rules)."""

    PARTY_COMMITTEE = "party_committee"
    GOVERNMENT = "government"
    DISTRICT = "district"  # 区/县安委会

    @property
    def label(self) -> str:
        return _(_REPORT_LABELS[self])


_REPORT_LABELS = {
    ReportTo.PARTY_COMMITTEE: N_("Work report to the party committee"),
    ReportTo.GOVERNMENT: N_("Work report to the government"),
    ReportTo.DISTRICT: N_("Annual report to the district safety committee"),
}


@dataclass(frozen=True)
class Rule:
    """One ObligationRule row; ``id`` is None until saved."""

    subject_kind: SubjectKind
    activity: Activity
    at_least: int
    period: Period
    subject: str = ""  # the post kind code, person id or unit id; "" for bodies
    activity_code: str = ""  # the meeting kind for meetings; whom a report goes to
    window: str = ""
    clause: str = ""
    active: bool = True
    position: int = 0
    id: int | None = None

    @property
    def activity_label(self) -> str:
        """What is done: the kind of meeting, the report, or the activity."""
        if self.activity is Activity.MEETING and self.activity_code in _MEETING_CODES:
            return MeetingKind(self.activity_code).label
        if self.activity is Activity.REPORT and self.activity_code in _REPORT_CODES:
            return ReportTo(self.activity_code).label
        return self.activity.label

    @property
    def frequency_label(self) -> str:
        """How often, and when: "at least 1 per year, in March"."""
        frequency = self.period.at_least(self.at_least)
        try:
            window = parse_window(self.window).label
        except PeriodError:
            window = self.window
        if not window:
            return frequency
        return _("{frequency}, {window}").format(frequency=frequency, window=window)

    @property
    def subject_id(self) -> int | None:
        """The person's or unit's id a person or unit rule names; None for the others."""
        if self.subject_kind not in (SubjectKind.PERSON, SubjectKind.UNIT):
            return None
        text = self.subject.strip()
        return int(text) if text.isascii() and text.isdigit() else None

    @property
    def note(self) -> str:
        """What the clerk should know beside the rule (why it is not counted yet)."""
        return self.activity.pending_note

    def describe(self, subject: str | None = None) -> str:
        """The rule in a sentence: "Party committee: party committee meeting on work safety,
        at least 1 per quarter".

        ``subject`` is the subject's name where the caller knows it (see subject_names).
        """
        return _("{subject}: {activity}, {frequency}").format(
            subject=subject if subject is not None else subject_names([self])[_key(self)],
            activity=self.activity_label,
            frequency=self.frequency_label,
        )


_MEETING_CODES = frozenset(kind.value for kind in MeetingKind)
_REPORT_CODES = frozenset(target.value for target in ReportTo)
_POST_KIND_CODES = frozenset(kind.value for kind in PostKind if kind is not PostKind.OTHER)


def _key(rule: Rule) -> tuple[SubjectKind, str]:
    return rule.subject_kind, rule.subject


def subject_names(rules: Iterable[Rule]) -> dict[tuple[SubjectKind, str], str]:
    """Each rule's subject as the user reads it, keyed by (subject kind, subject); two queries
    at most, however many rules."""
    wanted = list(rules)
    person_ids = [r.subject_id for r in wanted if r.subject_kind is SubjectKind.PERSON]
    unit_ids = [r.subject_id for r in wanted if r.subject_kind is SubjectKind.UNIT]
    people = _names(Person, [pid for pid in person_ids if pid is not None])
    units = _names(Unit, [uid for uid in unit_ids if uid is not None])
    result: dict[tuple[SubjectKind, str], str] = {}
    for rule in wanted:
        kind, code = _key(rule)
        if kind.is_body:
            name = kind.label
        elif kind is SubjectKind.POST_KIND:
            name = PostKind(code).label if code in _POST_KIND_CODES else code
        else:
            names = people if kind is SubjectKind.PERSON else units
            found = names.get(rule.subject_id) if rule.subject_id is not None else None
            name = found or _("(deleted: no. {number})").format(number=code)
        result[(kind, code)] = name
    return result


def _names(model: type[Person] | type[Unit], ids: Sequence[int]) -> dict[int, str]:
    if not ids:
        return {}
    names: dict[int, str] = {}
    for chunk in chunks(sorted(set(ids))):
        names.update(model.select(model.id, model.name).where(model.id.in_(chunk)).tuples())
    return names


# ---------------------------------------------------------------------------- storage


def _from_row(row: ObligationRule) -> Rule:
    return Rule(
        subject_kind=SubjectKind(row.subject_kind),
        activity=Activity(row.activity),
        at_least=row.at_least,
        period=Period(row.period),
        subject=row.subject,
        activity_code=row.activity_code,
        window=row.window,
        clause=row.clause,
        active=row.active,
        position=row.position,
        id=row.id,
    )


def list_rules(*, active_only: bool = False) -> list[Rule]:
    """Every rule in the township's order."""
    query = ObligationRule.select()
    if active_only:
        query = query.where(ObligationRule.active == True)  # noqa: E712 - SQL, not Python
    return [_from_row(row) for row in query.order_by(ObligationRule.position, ObligationRule.id)]


def get_rule(rule_id: int) -> Rule:
    row = ObligationRule.get_or_none(ObligationRule.id == rule_id)
    if row is None:
        raise RuleError({"id": _("No rule has the number {number}.").format(number=rule_id)})
    return _from_row(row)


def cleaned(rule: Rule) -> Rule:
    """The rule with its texts trimmed and codes normalised, or RuleError naming each fault."""
    errors: dict[str, str] = {}
    subject = rule.subject.strip()
    kind = rule.subject_kind
    if kind.is_body:
        subject = ""  # a body is its own subject: nothing to name
    elif kind is SubjectKind.POST_KIND:
        if subject not in _POST_KIND_CODES:
            errors["subject"] = _("Unknown kind of post “{value}”; use one of {choices}.").format(
                value=subject, choices=", ".join(sorted(_POST_KIND_CODES))
            )
    else:
        model = Person if kind is SubjectKind.PERSON else Unit
        number = int(subject) if subject.isascii() and subject.isdigit() else None
        if number is None or not model.select().where(model.id == number).exists():
            errors["subject"] = (
                _("No person has the number {number}.")
                if kind is SubjectKind.PERSON
                else _("No unit has the number {number}.")
            ).format(number=subject or "—")
        else:
            subject = str(number)

    code = rule.activity_code.strip()
    if rule.activity is Activity.MEETING:
        if code not in _MEETING_CODES:
            errors["activity_code"] = _(
                "A meeting rule needs a kind of meeting; use one of {choices}."
            ).format(choices=", ".join(kind.value for kind in MeetingKind))
        if kind is SubjectKind.UNIT:
            # Meetings are the township's (or, in a village's copy, the village's): no unit
            # is recorded with them, so a unit's count could only be everyone's.
            errors["subject_kind"] = _(
                "Meetings are not recorded by unit; give the rule to the township, a body, "
                "a kind of post or a person."
            )
    elif rule.activity is Activity.REPORT:
        if code and code not in _REPORT_CODES:
            errors["activity_code"] = _(
                "Unknown recipient of the report “{value}”; use one of {choices}."
            ).format(value=code, choices=", ".join(sorted(_REPORT_CODES)))
    elif code:
        errors["activity_code"] = _("Only meeting and report rules take an activity code.")

    if not isinstance(rule.at_least, int) or not 1 <= rule.at_least <= MAX_AT_LEAST:
        errors["at_least"] = _("“At least” must be a whole number from 1 to {limit}.").format(
            limit=MAX_AT_LEAST
        )
    window = rule.window
    try:
        window = check_window(rule.period, rule.window)
    except PeriodError as error:
        errors["window"] = str(error)
    clause = " ".join(rule.clause.split())
    if len(clause) > MAX_CLAUSE:
        errors["clause"] = _("The clause is longer than {limit} characters.").format(
            limit=MAX_CLAUSE
        )
    if rule.active and not rule.activity.counted:
        # An active rule nobody's records can satisfy would show everyone behind.
        errors["active"] = _("{activity}: {note} Keep the rule inactive until then.").format(
            activity=rule.activity.label, note=rule.activity.pending_note
        )
    if errors:
        raise RuleError(errors)
    return dataclasses.replace(
        rule, subject=subject, activity_code=code, window=window, clause=clause
    )


def save_rule(rule: Rule) -> Rule:
    """Insert a new rule (at the end of the list) or update a saved one; returns it as stored."""
    rule = cleaned(rule)
    fields = {
        "subject_kind": rule.subject_kind.value,
        "subject": rule.subject,
        "activity": rule.activity.value,
        "activity_code": rule.activity_code,
        "at_least": rule.at_least,
        "period": rule.period.value,
        "window": rule.window,
        "clause": rule.clause,
        "active": rule.active,
    }
    with database_proxy.atomic():
        if rule.id is None:
            last = ObligationRule.select(fn.MAX(ObligationRule.position)).scalar()
            position = (last or 0) + 1
            row = ObligationRule.create(position=position, **fields)
            return dataclasses.replace(rule, id=row.id, position=position)
        updated = (
            ObligationRule.update(position=rule.position, **fields)
            .where(ObligationRule.id == rule.id)
            .execute()
        )
        if not updated:
            raise RuleError({"id": _("No rule has the number {number}.").format(number=rule.id)})
    return rule


def delete_rule(rule_id: int) -> None:
    with database_proxy.atomic():
        if not ObligationRule.delete().where(ObligationRule.id == rule_id).execute():
            raise RuleError({"id": _("No rule has the number {number}.").format(number=rule_id)})


# ---------------------------------------------------------------------------- the defaults


_P, _G, _T, _O, _K = (
    SubjectKind.PARTY_COMMITTEE,
    SubjectKind.GOVERNMENT,
    SubjectKind.TOWNSHIP,
    SubjectKind.SAFETY_OFFICE,
    SubjectKind.POST_KIND,
)
_M, _I, _R, _L = Activity.MEETING, Activity.INSPECTION, Activity.REPORT, Activity.LETTER

# DOMAIN.md's table as rules: (who, whom, what, which, at least, per, window, clause).  The
# clauses say in our own words where each comes from; a township edits them to cite its own.
_DEFAULTS: tuple[tuple[SubjectKind, str, Activity, str, int, Period, str, str], ...] = (
    (_P, "", _M, MeetingKind.PARTY_COMMITTEE, 1, Period.QUARTER, "",
     "镇安全生产责任制规定：党委每季度至少召开1次会议研究安全生产工作，留存会议纪要"),
    (_G, "", _M, MeetingKind.GOVERNMENT_SPECIAL, 1, Period.MONTH, "",
     "镇安全生产责任制规定：政府每月至少召开1次安全生产专题会议，留存会议纪要"),
    (_T, "", _M, MeetingKind.ANNUAL_CONFERENCE, 1, Period.YEAR, "month:3",
     "镇安全生产会议制度：每年3月召开全镇安全生产工作会议，总结上年、部署本年"),
    (_T, "", _M, MeetingKind.QUARTERLY_ROUTINE, 1, Period.QUARTER, "first_month_of_quarter",
     "镇安全生产会议制度：每季度第一个月召开安全生产工作例会"),
    (_O, "", _R, ReportTo.PARTY_COMMITTEE, 1, Period.QUARTER, "",
     "镇安全生产报告制度：安监办每季度向党委报告1次安全生产工作"),
    (_O, "", _R, ReportTo.GOVERNMENT, 1, Period.MONTH, "",
     "镇安全生产报告制度：安监办每月向政府报告1次安全生产工作"),
    (_T, "", _R, ReportTo.DISTRICT, 1, Period.YEAR, "by:01-31",
     "区考核办法：每年1月底前向区安委会报送上年度安全生产工作报告"),
    (_K, PostKind.PARTY_SECRETARY, _I, "", 1, Period.QUARTER, "",
     "镇安全生产责任制规定：主要负责人每季度至少带队检查1次"),
    (_K, PostKind.TOWNSHIP_HEAD, _I, "", 1, Period.QUARTER, "",
     "镇安全生产责任制规定：主要负责人每季度至少带队检查1次"),
    (_K, PostKind.SAFETY_DEPUTY, _I, "", 1, Period.MONTH, "",
     "镇安全生产责任制规定：分管安全负责人每月至少带队检查1次"),
    (_K, PostKind.DEPUTY, _I, "", 1, Period.MONTH, "",
     "镇安全生产责任制规定：其他分管负责人每月至少检查分管领域和包保村（社区）1次"),
    (_K, PostKind.DEPARTMENT_HEAD, _I, "", 2, Period.MONTH, "",
     "镇安全生产责任制规定：部门负责人每月至少检查业务范围内安全生产2次"),
    (_K, PostKind.VILLAGE_HEAD, _I, "", 2, Period.MONTH, "",
     "镇安全生产责任制规定：村（社区）负责人每月至少检查辖区安全生产2次"),
    (_K, PostKind.DEPUTY, _L, "", 1, Period.YEAR, "by:03-31",
     "镇安全生产责任制规定：分管负责人年初与分管单位签订安全生产目标责任书"),
)  # fmt: skip


def default_rules() -> list[Rule]:
    """The obligations of DOMAIN.md.  Only those the program can count are active; the rest
    are kept inactive (their note says why) so the clerk sees them."""
    return [
        Rule(
            subject_kind=who,
            subject=str(whom),
            activity=what,
            activity_code=str(which),
            at_least=count,
            period=period,
            window=window,
            clause=clause,
            active=what.counted,
            position=position,
        )
        for position, (who, whom, what, which, count, period, window, clause) in enumerate(
            _DEFAULTS, start=1
        )
    ]


def install_defaults() -> None:
    """Install the default rules of DOMAIN.md into an empty rules table (a new or upgraded
    database); a township's own rules, once there, are never touched."""
    with database_proxy.atomic():
        if ObligationRule.select().exists():
            return
        for rule in default_rules():
            ObligationRule.create(
                subject_kind=rule.subject_kind.value,
                subject=rule.subject,
                activity=rule.activity.value,
                activity_code=rule.activity_code,
                at_least=rule.at_least,
                period=rule.period.value,
                window=rule.window,
                clause=rule.clause,
                active=rule.active,
                position=rule.position,
            )
