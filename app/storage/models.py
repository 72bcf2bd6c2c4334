"""Every table, as peewee models bound to the one database proxy.

History matters: posts and group memberships carry a first and a last day (inclusive; no last
day while current), so "the roster as of 2024-06-30" is a query, not a copy.  Only portable
field types are used.
"""

from __future__ import annotations

import datetime as dt

import peewee as pw

from app.storage.db import database_proxy


class BaseModel(pw.Model):
    class Meta:
        database = database_proxy
        legacy_table_names = False


class SchemaVersion(BaseModel):
    """One row: the schema version of this file and the program that last migrated it."""

    version = pw.IntegerField()
    written_by = pw.CharField(max_length=40)
    updated_at = pw.DateTimeField(default=dt.datetime.now)


class Unit(BaseModel):
    """The township, its departments, villages and communities, and enterprises: a tree."""

    name = pw.CharField(max_length=120)
    kind = pw.CharField(max_length=20)  # app.org.kinds.UnitKind
    parent = pw.ForeignKeyField("self", null=True, backref="children", on_delete="RESTRICT")
    sort_order = pw.IntegerField(default=0)
    risk_class = pw.CharField(max_length=20, null=True)  # enterprises: RiskClass
    employees = pw.IntegerField(null=True)  # enterprises
    notes = pw.TextField(default="")
    # Enterprises: the industry (a unit of kind "industry") and the department that supervises
    # them (行业监管).  Added in schema 2.
    industry = pw.ForeignKeyField(
        "self", null=True, backref="industry_members", on_delete="SET NULL"
    )
    supervisor = pw.ForeignKeyField("self", null=True, backref="supervised", on_delete="SET NULL")

    class Meta:
        indexes = ((("parent", "name"), True),)


class Person(BaseModel):
    name = pw.CharField(max_length=60, index=True)
    phone = pw.CharField(max_length=40, default="")
    notes = pw.TextField(default="")


class Post(BaseModel):
    """A title a person holds, as printed ("常青村党总支书记"), from a first to a last day."""

    person = pw.ForeignKeyField(Person, backref="posts", on_delete="CASCADE")
    title = pw.CharField(max_length=120)
    unit = pw.ForeignKeyField(Unit, null=True, backref="posts", on_delete="SET NULL")
    kind = pw.CharField(max_length=40, default="other")  # app.org.kinds.PostKind
    sort_order = pw.IntegerField(default=0)  # order among the person's titles when printed
    start_date = pw.DateField()
    end_date = pw.DateField(null=True)

    class Meta:
        indexes = ((("person", "start_date"), False),)


class LeadingGroup(BaseModel):
    """The township's work-safety leading group (安全生产领导小组) and where its office sits."""

    name = pw.CharField(max_length=120)
    unit = pw.ForeignKeyField(Unit, null=True, on_delete="SET NULL")
    office_location = pw.CharField(max_length=120, default="")


class GroupMembership(BaseModel):
    """A person's place in the leading group, with its role, order and dates."""

    group = pw.ForeignKeyField(LeadingGroup, backref="memberships", on_delete="CASCADE")
    person = pw.ForeignKeyField(Person, backref="memberships", on_delete="RESTRICT")
    role = pw.CharField(max_length=30)  # app.roster.roles.GroupRole
    office_role = pw.CharField(max_length=30, null=True)  # app.roster.roles.OfficeRole
    sort_order = pw.IntegerField(default=0)
    start_date = pw.DateField()
    end_date = pw.DateField(null=True)
    # The membership this one took over (继任): the successor keeps its place and role.
    predecessor = pw.ForeignKeyField("self", null=True, backref="successors", on_delete="SET NULL")

    class Meta:
        indexes = ((("group", "start_date", "end_date"), False),)


class MembershipOrder(BaseModel):
    """A member's place in the township's order from a day on (reordering keeps its history).

    A membership starts at its own ``sort_order``; each later reorder adds a row here, so the
    roster of an earlier day still prints in the order it had then.
    """

    membership = pw.ForeignKeyField(GroupMembership, backref="orders", on_delete="CASCADE")
    start_date = pw.DateField()
    sort_order = pw.IntegerField()

    class Meta:
        indexes = ((("membership", "start_date"), True),)


class Duty(BaseModel):
    """One numbered duty of a kind of post (岗位安全职责): "（三）每季度至少带队检查1次"."""

    post_kind = pw.CharField(max_length=40, index=True)  # app.org.kinds.PostKind
    position = pw.IntegerField()  # 1-based; the printed number follows it
    text = pw.TextField()
    clause = pw.CharField(max_length=200, default="")  # where it comes from, e.g. "第十条"


class Assignment(BaseModel):
    """A person answers for an area at a responsibility level, from a first to a last day.

    The area is a unit: the township itself, a department, a village or community, or an
    industry.  Patronage (包保) is direct leadership of a village or community.  Rows written
    by a matrix import carry ``source = "matrix"`` so the next import can replace them without
    touching what was entered by hand.
    """

    person = pw.ForeignKeyField(Person, backref="assignments", on_delete="CASCADE")
    unit = pw.ForeignKeyField(Unit, backref="assignments", on_delete="CASCADE")
    level = pw.CharField(max_length=30)  # app.responsibility.levels.Level
    source = pw.CharField(max_length=20, default="manual")
    note = pw.CharField(max_length=200, default="")
    start_date = pw.DateField()
    end_date = pw.DateField(null=True)

    class Meta:
        indexes = (
            (("unit", "start_date"), False),
            (("person", "start_date"), False),
        )


class MatrixRow(BaseModel):
    """A row of the responsibility matrix (责任制分工表), in the township's order."""

    position = pw.IntegerField(index=True)
    duties = pw.TextField(default="")  # 安全生产重点职责, as written


class MatrixEntry(BaseModel):
    """One name in a matrix cell ("、" separates several).

    It links to a person, to a unit (责任科室), or to a post title whose holder is looked up on
    the day printed (so a successor appears without editing the matrix); otherwise it is text
    such as "局、科主要负责人".
    """

    row = pw.ForeignKeyField(MatrixRow, backref="entries", on_delete="CASCADE")
    column = pw.CharField(max_length=20)  # app.responsibility.matrix.Column
    position = pw.IntegerField()
    text = pw.CharField(max_length=200)
    person = pw.ForeignKeyField(Person, null=True, on_delete="SET NULL")
    unit = pw.ForeignKeyField(Unit, null=True, on_delete="SET NULL")
    post_title = pw.CharField(max_length=120, null=True)

    class Meta:
        indexes = ((("row", "column", "position"), True),)


class Meeting(BaseModel):
    """A meeting held (会议): what kind, when and where, who chaired and recorded, the minutes.

    ``kind`` is a stable code (app.meetings.kinds.MeetingKind).  Topics, minutes and decisions
    are kept as written; numbered items are lines of text.  Added in schema 3.
    """

    kind = pw.CharField(max_length=40, index=True)
    title = pw.CharField(max_length=200, default="")
    held_on = pw.DateField(index=True)
    start_time = pw.TimeField(null=True)
    place = pw.CharField(max_length=200, default="")
    chair = pw.ForeignKeyField(Person, null=True, backref="chaired", on_delete="RESTRICT")
    recorder = pw.ForeignKeyField(Person, null=True, backref="recorded", on_delete="RESTRICT")
    invited = pw.TextField(default="")  # others invited, as written ("区应急局 张科长")
    topics = pw.TextField(default="")
    minutes = pw.TextField(default="")
    decisions = pw.TextField(default="")
    created_at = pw.DateTimeField(default=dt.datetime.now)


class Attendance(BaseModel):
    """Someone expected at a meeting: present, or absent with the reason (请假、出差 …)."""

    meeting = pw.ForeignKeyField(Meeting, backref="attendance", on_delete="CASCADE")
    person = pw.ForeignKeyField(Person, backref="attendance", on_delete="RESTRICT")
    present = pw.BooleanField(default=True)
    absence_reason = pw.CharField(max_length=200, default="")
    position = pw.IntegerField(default=0)

    class Meta:
        indexes = ((("meeting", "person"), True),)


class FollowUp(BaseModel):
    """A decision's follow-up item (落实事项): who, by when, and when it was done."""

    meeting = pw.ForeignKeyField(Meeting, backref="follow_ups", on_delete="CASCADE")
    position = pw.IntegerField(default=0)
    text = pw.TextField()
    owner = pw.ForeignKeyField(Person, backref="follow_ups", on_delete="RESTRICT")
    due_date = pw.DateField(null=True, index=True)
    done_date = pw.DateField(null=True)


class Attachment(BaseModel):
    """A file kept with a record (a scanned sign-in sheet, a photo): copied into the data
    folder under its SHA-256, never a link to where it came from (a USB stick)."""

    meeting = pw.ForeignKeyField(Meeting, null=True, backref="attachments", on_delete="CASCADE")
    file_name = pw.CharField(max_length=255)  # the name it had, shown to the user
    stored_as = pw.CharField(max_length=255)  # path inside the attachments folder
    sha256 = pw.CharField(max_length=64, index=True)
    size = pw.BigIntegerField()
    added_at = pw.DateTimeField(default=dt.datetime.now)


class ObligationRule(BaseModel):
    """A countable duty: who — what — at least N — per period — within a window — from which
    clause ("党委每季度至少召开1次安全生产专题会议").  Codes in app.obligations.rules."""

    subject_kind = pw.CharField(max_length=30)  # party_committee, government, post_kind, …
    subject = pw.CharField(max_length=60, default="")  # the post kind, person id or unit id
    activity = pw.CharField(max_length=30)  # meeting, inspection, report, letter
    activity_code = pw.CharField(max_length=40, default="")  # the meeting kind, for meetings
    at_least = pw.IntegerField()
    period = pw.CharField(max_length=20)  # week, month, quarter, half_year, year
    # "", "month:3", "first_month_of_quarter", "by:01-31"
    window = pw.CharField(max_length=40, default="")
    clause = pw.CharField(max_length=200, default="")
    active = pw.BooleanField(default=True)
    position = pw.IntegerField(default=0)


class AuditEntry(BaseModel):
    """One change to one record: who, when, what before and after (schema 4).

    Written by temporary triggers on the program's own connections (app.audit.recording), in
    the same transaction as the change.  Each entry's hash covers the previous one's, so an
    entry edited or removed later breaks the chain, and a record changed by another program
    no longer matches its last entry.
    """

    at = pw.CharField(max_length=40, index=True)  # local time with offset, ISO 8601
    actor = pw.CharField(max_length=200, index=True)  # the clerk's name and the login
    source = pw.CharField(max_length=200, default="")  # "roster import 名册.xlsx", "gui"
    action = pw.CharField(max_length=20)  # app.audit.recording.Action
    table_name = pw.CharField(max_length=60)
    record_id = pw.IntegerField(null=True)
    before = pw.TextField(null=True)  # JSON object of the record's columns
    after = pw.TextField(null=True)
    prev_hash = pw.CharField(max_length=64)
    hash = pw.CharField(max_length=64)

    class Meta:
        indexes = ((("table_name", "record_id"), False),)


class Housekeeping(BaseModel):
    """The program's own notes about this file (the last full integrity check); not audited."""

    key = pw.CharField(max_length=60, unique=True)
    value = pw.CharField(max_length=200)


# Every model, in an order that respects foreign keys (for create_tables and tests).
ALL_MODELS: list[type[BaseModel]] = [
    SchemaVersion,
    Unit,
    Person,
    Post,
    LeadingGroup,
    GroupMembership,
    MembershipOrder,
    Duty,
    Assignment,
    MatrixRow,
    MatrixEntry,
    Meeting,
    Attendance,
    FollowUp,
    Attachment,
    ObligationRule,
    AuditEntry,
    Housekeeping,
]


def end_before(record: pw.Model, day: dt.date) -> None:
    """A dated record stops the day before ``day``; one that only began then is removed."""
    if record.start_date >= day:  # type: ignore[attr-defined]
        record.delete_instance()
    else:
        record.end_date = day - dt.timedelta(days=1)  # type: ignore[attr-defined]
        record.save()


def overlapping(model: type[BaseModel], start: dt.date) -> pw.Expression:
    """Rows still in force on or after ``start`` (they would overlap a record from then on)."""
    end: pw.Field = model.end_date  # type: ignore[attr-defined]
    return end.is_null() | (end >= start)


def active_on(model: type[BaseModel], day: dt.date) -> pw.Expression:
    """Rows whose first day is on or before ``day`` and whose last day is not before it."""
    start: pw.Field = model.start_date  # type: ignore[attr-defined]
    end: pw.Field = model.end_date  # type: ignore[attr-defined]
    return (start <= day) & (end.is_null() | (end >= day))
