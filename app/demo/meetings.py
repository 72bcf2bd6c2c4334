"""The demo township's meetings: the quarters up to today, with minutes and follow-up items.

The township's own meetings keep most, not all, of the default obligations, so the
obligation engine has something to show: the party committee skipped the last quarter, the
government missed two monthly special meetings, one quarter's routine meeting came in the
quarter's second month instead of its first.  Every village and community holds a safety
meeting most months and every department one most quarters (recorded by the township from
their files): those make the scaled reference data (about 1 500 meetings at scale 10).

Attendees come from the leading group's roster of the meeting day, read once into memory
(a roster query per meeting would cost seconds at scale 10); everything goes in with bulk
inserts.  All the text is invented here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from app.demo.organisation import SAFETY_OFFICE
from app.demo.world import DemoWorld
from app.meetings.kinds import MeetingKind
from app.org.kinds import PostKind, UnitKind
from app.responsibility.levels import Level
from app.roster.roles import GroupRole, OfficeRole
from app.storage.bulk import insert_rows
from app.storage.models import (
    Assignment,
    Attendance,
    FollowUp,
    GroupMembership,
    Meeting,
    Post,
    Unit,
)

DAY = dt.timedelta(days=1)
REASONS = ("出差", "请假", "参加上级会议")
TOWNSHIP_PLACES = ("镇政府三楼会议室", "镇政府一楼会议室", "镇党委会议室")
LEADERS = (GroupRole.LEADER, GroupRole.EXECUTIVE_DEPUTY, GroupRole.DEPUTY)
# How often the units' own meetings are skipped (some villages fall behind).
VILLAGE_SKIP = 0.2
DEPARTMENT_SKIP = 0.25
# Of follow-up items past their due date, the share still open (overdue).
OVERDUE_SHARE = 0.04

# What each month of the year is about, in the demo's minutes.
THEMES = {
    1: ("元旦春节期间安全防范", "烟花爆竹销售存储安全"),
    2: ("节后复工复产安全", "返岗人员安全教育"),
    3: ("春季森林防火", "年度安全生产工作部署"),
    4: ("清明节期间森林防火", "春耕农机和道路交通安全"),
    5: ("“五一”假期安全", "汛前隐患排查"),
    6: ("“安全生产月”活动", "防汛和防溺水"),
    7: ("主汛期安全防范", "高温作业防暑降温"),
    8: ("汛期和高温天气安全", "暑期防溺水"),
    9: ("中秋国庆节前安全检查", "秋季开学校园周边安全"),
    10: ("秋冬季森林防火", "道路交通安全集中整治"),
    11: ("冬季消防安全", "燃气使用安全"),
    12: ("岁末年初安全生产", "冬季取暖防一氧化碳中毒"),
}
DECISIONS = (
    "各村（社区）、各单位要在{days}日内完成{theme}隐患自查，建立问题清单",
    "由分管领导带队，对辖区重点企业开展{theme}专项检查",
    "应急管理办公室牵头，每周汇总隐患整改进度并报镇主要领导",
    "对检查发现的隐患实行清单管理，整改一项、销号一项",
    "严格落实领导带班和24小时值班值守制度",
    "各包村领导要深入所包村（社区）督导{theme}工作",
    "加强安全宣传，利用村村响、微信群推送{theme}提示",
    "对整改不力的单位进行约谈，并在全镇通报",
)
FOLLOW_UPS = (
    "组织开展{theme}专项检查，形成检查记录",
    "完成上次检查发现隐患的整改复查",
    "报送本月安全生产工作情况",
    "组织一次应急演练并留存影像资料",
    "开展{theme}宣传，张贴宣传材料",
    "排查辖区重点企业，更新企业安全管理台账",
    "组织网格员开展安全知识培训",
    "检查应急物资储备情况，补齐缺项",
)
LEADING_GROUP_MEETINGS = (
    (1, 20, "春节前安全生产工作部署会"),
    (5, 15, "汛期安全防范工作部署会"),
    (9, 18, "国庆节前安全生产检查部署会"),
    (12, 10, "岁末年初安全生产工作会"),
)


def build_meetings(world: DemoWorld) -> None:
    maker = _MeetingMaker(world, _Records.load())
    maker.township_meetings()
    maker.unit_meetings()
    maker.insert()
    world.counts["meetings"] = len(maker.meetings)


# ---------------------------------------------------------------------------- what is known


@dataclass(frozen=True)
class _Span:
    person_id: int
    start: dt.date
    end: dt.date | None

    def on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class _Membership(_Span):
    role: GroupRole
    office_role: OfficeRole | None
    sort_order: int
    department_head: bool = False


@dataclass
class _Records:
    """The roster's history, the posts and the areas, read once."""

    memberships: list[_Membership]
    posts: dict[tuple[int | None, PostKind], list[_Span]]
    leaders: dict[int, list[_Span]]  # unit → its 分管 / 包保 leaders (direct leadership)

    @classmethod
    def load(cls) -> _Records:
        posts: dict[tuple[int | None, PostKind], list[_Span]] = {}
        heads: set[int] = set()
        for person, unit, kind, start, end in (
            Post.select(Post.person, Post.unit, Post.kind, Post.start_date, Post.end_date)
            .order_by(Post.start_date, Post.id)
            .tuples()
        ):
            try:
                post_kind = PostKind(kind)
            except ValueError:
                continue
            posts.setdefault((unit, post_kind), []).append(_Span(person, start, end))
            # Township-wide posts are also found by kind alone.
            posts.setdefault((None, post_kind), []).append(_Span(person, start, end))
            if post_kind == PostKind.DEPARTMENT_HEAD:
                heads.add(person)
        memberships = [
            _Membership(
                person,
                start,
                end,
                GroupRole(role),
                OfficeRole(office) if office else None,
                order,
                person in heads,
            )
            for person, role, office, order, start, end in GroupMembership.select(
                GroupMembership.person,
                GroupMembership.role,
                GroupMembership.office_role,
                GroupMembership.sort_order,
                GroupMembership.start_date,
                GroupMembership.end_date,
            ).tuples()
        ]
        memberships.sort(key=lambda m: (m.role.rank, m.sort_order, m.start))
        leaders: dict[int, list[_Span]] = {}
        for person, unit, start, end in (
            Assignment.select(
                Assignment.person, Assignment.unit, Assignment.start_date, Assignment.end_date
            )
            .where(Assignment.level == Level.DIRECT_LEADERSHIP.value)
            .tuples()
        ):
            leaders.setdefault(unit, []).append(_Span(person, start, end))
        return cls(memberships, posts, leaders)

    def roster(self, day: dt.date) -> list[_Membership]:
        """The members on ``day`` in roster order (reorders aside: enough for a sign-in list)."""
        return [m for m in self.memberships if m.on(day)]

    def holder(self, kind: PostKind, day: dt.date, unit: int | None = None) -> int | None:
        return next((s.person_id for s in self.posts.get((unit, kind), ()) if s.on(day)), None)

    def leader_of(self, unit: int, day: dt.date) -> int | None:
        return next((s.person_id for s in self.leaders.get(unit, ()) if s.on(day)), None)


# ---------------------------------------------------------------------------- the meetings


@dataclass
class _Meeting:
    kind: MeetingKind
    title: str
    day: dt.date
    time: dt.time
    place: str
    chair: int | None
    recorder: int | None
    invited: str
    theme: str
    attendees: list[tuple[int, bool, str]] = field(default_factory=list)
    topics: str = ""
    minutes: str = ""
    decisions: str = ""
    follow_ups: list[tuple[str, int, dt.date, dt.date | None]] = field(default_factory=list)


class _MeetingMaker:
    def __init__(self, world: DemoWorld, records: _Records) -> None:
        self.world = world
        self.rng = world.rng
        self.records = records
        self.today = world.today
        self.first = _first_day(world.today)
        self.meetings: list[_Meeting] = []
        self.used_titles: set[str] = set()

    # -------------------------------------------------------------- the township's own

    def township_meetings(self) -> None:
        rng, today = self.rng, self.today
        current = _quarter_start(today)
        previous = _quarter_start(current - DAY)
        # The routine meeting of a quarter whose first month is over (this one, else the
        # last) is held in its second month: the "first month" rule is not met there.
        late_routine = current if today >= _add_months(current, 1) else previous
        for start in _quarters(self.first, today):
            year, number = start.year, (start.month - 1) // 3 + 1
            if start != previous:  # the party committee skipped the last quarter
                day = self._weekday(_add_months(start, 2 if start == current else 1), 8, 24)
                self._township(
                    MeetingKind.PARTY_COMMITTEE,
                    f"镇党委{year}年第{number}季度研究安全生产工作会议",
                    day,
                )
            if start == late_routine:
                day = min(self._weekday(_add_months(start, 1), 2, 10), today)
            else:
                day = self._weekday(start, 6, 18)
            self._township(
                MeetingKind.QUARTERLY_ROUTINE, f"{year}年第{number}季度安全生产例会", day
            )
        skipped = {_add_months(_month_start(today), -1), _add_months(_month_start(today), -6)}
        for month in _months(self.first, today):
            if month not in skipped:
                day = self._weekday(month, 10, 24)
                title = f"{month.year}年{month.month}月安全生产专题会议"
                self._township(MeetingKind.GOVERNMENT_SPECIAL, title, day)
        # The annual conference of this year and of last year (whose period the obligation
        # engine still looks back on), each in March.
        for year in (today.year - 1, today.year):
            march = dt.date(year, 3, 1)
            if march <= today:
                day = min(self._weekday(march, 3, 10), today)
                self._township(MeetingKind.ANNUAL_CONFERENCE, f"{year}年度安全生产工作会议", day)
        for year in range(self.first.year, today.year + 1):
            for month_number, day_of_month, name in LEADING_GROUP_MEETINGS:
                planned = dt.date(year, month_number, day_of_month) + rng.randrange(4) * DAY
                day = _weekday_near(planned)
                self._township(MeetingKind.LEADING_GROUP, f"{year}年{name}", day)

    def _township(self, kind: MeetingKind, title: str, day: dt.date) -> None:
        # Last year's conference may come before the first quarter shown: its year is a
        # period the obligations still look back on.
        earliest = (
            dt.date(self.first.year, 1, 1) if kind == MeetingKind.ANNUAL_CONFERENCE else self.first
        )
        if not earliest <= day <= self.today:
            return
        records, rng = self.records, self.rng
        chair_kind = {
            MeetingKind.GOVERNMENT_SPECIAL: PostKind.TOWNSHIP_HEAD,
            MeetingKind.QUARTERLY_ROUTINE: PostKind.TOWNSHIP_HEAD,
        }.get(kind, PostKind.PARTY_SECRETARY)
        chair = records.holder(chair_kind, day)
        roster = records.roster(day)
        recorder = next((m.person_id for m in roster if m.office_role == OfficeRole.DIRECTOR), None)
        if kind == MeetingKind.PARTY_COMMITTEE:
            expected = [m for m in roster if m.role in LEADERS or m.office_role]
        elif kind == MeetingKind.GOVERNMENT_SPECIAL:
            expected = [m for m in roster if m.role in LEADERS or m.department_head]
        else:
            expected = roster
        theme = rng.choice(THEMES[day.month])
        meeting = _Meeting(
            kind=kind,
            title=title,
            day=day,
            time=rng.choice((dt.time(9, 0), dt.time(9, 30), dt.time(14, 30), dt.time(15, 0))),
            place=SAFETY_OFFICE
            if kind == MeetingKind.QUARTERLY_ROUTINE and rng.random() < 0.3
            else rng.choice(TOWNSHIP_PLACES),
            chair=chair,
            recorder=recorder,
            invited=_invited(kind),
            theme=theme,
        )
        keep = {chair, recorder}
        absent = self._absentees([m.person_id for m in expected if m.person_id not in keep])
        meeting.attendees = [
            (m.person_id, m.person_id not in absent, absent.get(m.person_id, "")) for m in expected
        ]
        self._write_minutes(meeting, items=rng.randint(1, 3))
        self._add(meeting)

    def _absentees(self, candidates: Sequence[int]) -> dict[int, str]:
        count = min(self.rng.randint(1, 3), max(0, len(candidates) - 1))
        return {pid: self.rng.choice(REASONS) for pid in self.rng.sample(candidates, count)}

    # -------------------------------------------------------------- villages and departments

    def unit_meetings(self) -> None:
        units = list(
            Unit.select(Unit.id, Unit.name, Unit.kind)
            .where(
                Unit.kind.in_(
                    [UnitKind.VILLAGE.value, UnitKind.COMMUNITY.value, UnitKind.DEPARTMENT.value]
                )
            )
            .order_by(Unit.sort_order, Unit.id)
            .tuples()
        )
        for unit_id, name, kind in units:
            if kind == UnitKind.DEPARTMENT.value:
                for start in _quarters(self.first, self.today):
                    if self.rng.random() >= DEPARTMENT_SKIP:
                        number = (start.month - 1) // 3 + 1
                        title = f"{name}{start.year}年第{number}季度安全生产工作会议"
                        day = self._weekday(_add_months(start, self.rng.randrange(3)), 3, 26)
                        self._unit(unit_id, name, False, title, day)
            else:
                for month in _months(self.first, self.today):
                    if self.rng.random() >= VILLAGE_SKIP:
                        title = f"{name}{month.year}年{month.month}月安全生产工作会议"
                        self._unit(unit_id, name, True, title, self._weekday(month, 1, 27))

    def _unit(self, unit_id: int, name: str, village: bool, title: str, day: dt.date) -> None:
        if not self.first <= day <= self.today:
            return
        records, rng = self.records, self.rng
        head_kind = PostKind.VILLAGE_SECRETARY if village else PostKind.DEPARTMENT_HEAD
        chair = records.holder(head_kind, day, unit_id)
        recorder_kind = PostKind.GRID_WORKER if village else PostKind.DEPARTMENT_STAFF
        recorder = records.holder(recorder_kind, day, unit_id)
        members = {m.person_id for m in records.roster(day)}
        expected = [
            pid
            for pid in dict.fromkeys((chair, records.leader_of(unit_id, day)))
            if pid is not None and pid in members
        ]
        if village:
            office = "村委会" if name.endswith("村") else "居委会"
            place = f"{name}{office}会议室"
            invited = "村（社区）两委成员、网格员、辖区企业安全负责人"
        else:
            place = f"{name}会议室"
            invited = "本单位全体工作人员"
        meeting = _Meeting(
            kind=MeetingKind.OTHER,
            title=title,
            day=day,
            time=rng.choice((dt.time(9, 0), dt.time(15, 0), dt.time(16, 0))),
            place=place,
            chair=chair,
            recorder=recorder,
            invited=invited,
            theme=rng.choice(THEMES[day.month]),
            attendees=[(pid, True, "") for pid in expected],
        )
        self._write_minutes(meeting, items=rng.choice((0, 1, 1, 2)))
        self._add(meeting)

    # -------------------------------------------------------------- the minutes

    def _write_minutes(self, meeting: _Meeting, items: int) -> None:
        rng, theme = self.rng, meeting.theme
        month = meeting.day.month
        meeting.topics = _numbered(
            [
                f"传达学习上级关于{theme}工作的部署要求",
                f"通报{month}月安全生产检查和隐患整改情况",
                f"研究部署{theme}工作",
            ]
        )
        meeting.minutes = "\n".join(
            [
                f"一、会议传达学习了上级关于{theme}工作的部署要求。",
                f"二、会议听取了{month}月安全生产检查情况汇报，"
                f"共排查隐患{rng.randint(3, 25)}处，已整改{rng.randint(2, 20)}处。",
                "三、会议强调，要坚持党政同责、一岗双责，层层压实安全生产责任。",
                f"四、会议对下一阶段{theme}工作作出安排。",
            ]
        )
        decisions = rng.sample(DECISIONS, 3)
        meeting.decisions = _numbered(
            [text.format(theme=theme, days=rng.choice((5, 7, 10))) for text in decisions]
        )
        present = [pid for pid, here, _reason in meeting.attendees if here]
        owners = [pid for pid in present if pid != meeting.chair] or present
        if not owners:
            return
        for text in rng.sample(FOLLOW_UPS, items):
            due = meeting.day + rng.randint(7, 40) * DAY
            meeting.follow_ups.append(
                (text.format(theme=theme), rng.choice(owners), due, self._done(meeting.day, due))
            )

    def _done(self, held: dt.date, due: dt.date) -> dt.date | None:
        rng, today = self.rng, self.today
        if due < today:
            if rng.random() < OVERDUE_SHARE:
                return None  # overdue
            latest = min(today, due + 10 * DAY)
        elif rng.random() < 0.35 and today > held:
            latest = today
        else:
            return None
        return held + rng.randint(1, max(1, (latest - held).days)) * DAY

    # -------------------------------------------------------------- helpers and writing

    def _weekday(self, month: dt.date, low: int, high: int) -> dt.date:
        """A working day of ``month`` between about the ``low``-th and ``high``-th."""
        return _weekday_near(month.replace(day=self.rng.randint(low, high)))

    def _add(self, meeting: _Meeting) -> None:
        # Titles identify the rows after the bulk insert; a second one of the same name
        # (never planned) is dropped rather than mismatched.
        if meeting.title not in self.used_titles:
            self.used_titles.add(meeting.title)
            self.meetings.append(meeting)

    def insert(self) -> None:
        self.meetings.sort(key=lambda m: (m.day, m.time, m.title))
        before = Meeting.select(Meeting.id).order_by(Meeting.id.desc()).scalar() or 0
        insert_rows(
            Meeting,
            [
                {
                    "kind": m.kind.value,
                    "title": m.title,
                    "held_on": m.day,
                    "start_time": m.time,
                    "place": m.place,
                    "chair": m.chair,
                    "recorder": m.recorder,
                    "invited": m.invited,
                    "topics": m.topics,
                    "minutes": m.minutes,
                    "decisions": m.decisions,
                    "created_at": dt.datetime.combine(m.day, m.time) + dt.timedelta(hours=3),
                }
                for m in self.meetings
            ],
        )
        ids: dict[str, int] = dict(
            Meeting.select(Meeting.title, Meeting.id).where(Meeting.id > before).tuples()
        )
        attendance: list[tuple[object, ...]] = []
        follow_ups: list[tuple[object, ...]] = []
        for m in self.meetings:
            mid = ids[m.title]
            for position, (pid, present, reason) in enumerate(m.attendees, start=1):
                attendance.append((mid, pid, present, reason, position))
            for position, (text, owner, due, done) in enumerate(m.follow_ups, start=1):
                follow_ups.append((mid, position, text, owner, due, done))
        insert_rows(
            Attendance,
            attendance,
            fields=[
                Attendance.meeting,
                Attendance.person,
                Attendance.present,
                Attendance.absence_reason,
                Attendance.position,
            ],
        )
        insert_rows(
            FollowUp,
            follow_ups,
            fields=[
                FollowUp.meeting,
                FollowUp.position,
                FollowUp.text,
                FollowUp.owner,
                FollowUp.due_date,
                FollowUp.done_date,
            ],
        )


def _invited(kind: MeetingKind) -> str:
    return {
        MeetingKind.ANNUAL_CONFERENCE: "区应急管理局有关负责同志；辖区重点企业主要负责人；"
        "各村（社区）安全员",
        MeetingKind.GOVERNMENT_SPECIAL: "区应急管理局驻镇联络员",
        MeetingKind.QUARTERLY_ROUTINE: "各村（社区）安全员",
    }.get(kind, "")


def _numbered(lines: Sequence[str]) -> str:
    last = len(lines)
    return "\n".join(
        f"{number}. {text}{'。' if number == last else '；'}"
        for number, text in enumerate(lines, start=1)
    )


# ---------------------------------------------------------------------------- calendar


def _first_day(today: dt.date) -> dt.date:
    """The start of the quarter a year before ``today``: whole quarters up to today."""
    return _quarter_start(today - dt.timedelta(days=365))


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def _add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def _months(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    month = _month_start(first)
    while month <= last:
        yield month
        month = _add_months(month, 1)


def _quarters(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    quarter = _quarter_start(first)
    while quarter <= last:
        yield quarter
        quarter = _add_months(quarter, 3)


def _weekday_near(day: dt.date) -> dt.date:
    """Saturday moves back to Friday, Sunday on to Monday, staying in the month."""
    if day.weekday() == 5:
        moved = day - DAY
        return moved if moved.month == day.month else day + 2 * DAY
    if day.weekday() == 6:
        moved = day + DAY
        return moved if moved.month == day.month else day - 2 * DAY
    return day
