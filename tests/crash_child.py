"""The worker of the crash trials: one kind of work against a database, until it is killed.

Run by tests/crash_harness.py as ``python tests/crash_child.py KIND DB WORKDIR SEED [FLAG…]``
(flags: ``fresh`` — the demo starts with no database file; ``small-cache`` — see small_cache).
It uses the program's own services, the way the GUI and the command line call them, and
reports on stdout one flushed line per event, ``TAG JSON``:

* ``ready {…}`` — the set-up is committed; the harness starts its kill timer now;
* ``begin {…}`` — one unit of work (a transaction, a file) starts;
* ``committed {…}`` — that unit's call has returned: its transaction is committed, its file
  renamed into place.

A line is written only after the call it reports has returned, so every ``committed`` line
the harness reads is a promise the database (or the output folder) must keep after kill -9.
Outputs go to WORKDIR/out; import files are prepared in WORKDIR/inputs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

# Run as a script, this folder is first on sys.path: the harness's helpers are at hand.
from crash_harness import table_counts

# Dates fixed so that every run (and the demo's reference run) builds the same records.
TODAY = dt.date(2025, 6, 30)
GROUP_START = dt.date(2025, 1, 1)
MEETING_DAY = dt.date(2025, 6, 10)
IMPORT_FIRST_DAY = dt.date(2025, 2, 1)
DEMO_SCALE = 2  # ~0.45 s from the command's start, most in one transaction: kills land inside
# A unit of work ends, then a short pause like a clerk's: some kills land between units.
MAX_PAUSE = 0.004
# No trial runs this long; a child whose parent died must not work forever.
LIFETIME = 120.0


def report(tag: str, **payload: object) -> None:
    """One protocol line, written whole and flushed before the work goes on."""
    sys.stdout.write(f"{tag} {json.dumps(payload, ensure_ascii=False, default=str)}\n")
    sys.stdout.flush()


def pause(rng: random.Random) -> None:
    time.sleep(rng.uniform(0, MAX_PAUSE))


def until_deadline(step: Callable[[int], None], rng: random.Random) -> None:
    """Call ``step(1)``, ``step(2)`` … with short pauses until killed (or LIFETIME is spent)."""
    deadline = time.monotonic() + LIFETIME
    number = 0
    while time.monotonic() < deadline:
        number += 1
        step(number)
        pause(rng)


# ---------------------------------------------------------------------------- edit


def work_edit(db: Path, workdir: Path, rng: random.Random) -> None:
    """Small edits through the services: units, members, new and replaced meetings, and
    attachments (a file stored beside the database, then its row)."""
    from app.demo.names import NameMaker
    from app.meetings.attachments import attach
    from app.meetings.kinds import MeetingKind
    from app.meetings.service import AttendeeInput, FollowUpInput, MeetingInput, save_meeting
    from app.org.kinds import UnitKind
    from app.org.units import UnitInput, add_unit, update_unit
    from app.roster import service as roster
    from app.roster.roles import GroupRole
    from app.storage.migrations import open_database
    from app.storage.models import GroupMembership

    open_database(str(db))
    inputs = workdir / "inputs"
    inputs.mkdir()
    add_unit(UnitInput(name="青禾镇", kind=UnitKind.TOWNSHIP))
    add_unit(UnitInput(name="常青村", kind=UnitKind.VILLAGE))
    renamed_unit = add_unit(UnitInput(name="应急管理办公室第0版", kind=UnitKind.DEPARTMENT))
    names = NameMaker(rng)
    for role in (GroupRole.LEADER, GroupRole.EXECUTIVE_DEPUTY, GroupRole.MEMBER, GroupRole.MEMBER):
        roster.add_member(
            roster.MemberInput(name=names.person(), role=role, titles=("副镇长",)), GROUP_START
        )

    def meeting(title: str, follow_ups: int) -> MeetingInput:
        people = [line.person_id for line in roster.roster_as_of(MEETING_DAY).lines]
        return MeetingInput(
            kind=MeetingKind.LEADING_GROUP,
            held_on=MEETING_DAY,
            title=title,
            place="镇政府三楼会议室",
            chair_id=people[0],
            recorder_id=people[-1],
            attendees=[AttendeeInput(person) for person in people],
            follow_ups=[
                FollowUpInput(f"{title}事项{number}", people[0], TODAY)
                for number in range(1, follow_ups + 1)
            ],
        )

    def replaced_title(version: int) -> str:
        return f"领导小组例会第{version}版"

    # A replaced meeting carries its version in its title and version % 4 + 1 follow-up items:
    # after a kill, title and items must belong to the same version (one transaction).
    replaced_meeting = save_meeting(meeting(replaced_title(0), 1), today=TODAY)
    report(
        "ready",
        renamed_unit=renamed_unit,
        replaced_meeting=replaced_meeting,
        memberships=GroupMembership.select().count(),
    )
    versions = {"unit": 0, "meeting": 0}

    def step(number: int) -> None:
        op = rng.choice(
            ("add_unit", "rename_unit", "add_member", "new_meeting", "replace_meeting", "attach")
        )
        if op == "attach":
            # A scan of a few hundred KB: copied in, hashed, renamed, then the row committed.
            source = inputs / f"扫描件{number}.jpg"
            content = rng.randbytes(rng.randint(50_000, 400_000))
            source.write_bytes(content)
            sha = hashlib.sha256(content).hexdigest()
            report("begin", op=op, sha=sha)
            attachment = attach(replaced_meeting, source)
            report("committed", op=op, id=attachment.get_id(), sha=sha)
        elif op == "add_unit":
            name = f"安全巡查站{number}号"
            report("begin", op=op, name=name)
            unit_id = add_unit(UnitInput(name=name, kind=UnitKind.DEPARTMENT))
            report("committed", op=op, id=unit_id, name=name)
        elif op == "rename_unit":
            version = versions["unit"] + 1
            name = f"应急管理办公室第{version}版"
            report("begin", op=op, id=renamed_unit, version=version)
            update_unit(renamed_unit, UnitInput(name=name, kind=UnitKind.DEPARTMENT))
            versions["unit"] = version
            report("committed", op=op, id=renamed_unit, version=version)
        elif op == "add_member":
            name = names.person()
            report("begin", op=op, name=name)
            membership = roster.add_member(
                roster.MemberInput(name=name, role=GroupRole.MEMBER, titles=("常青村安全员",)),
                GROUP_START,
            )
            report("committed", op=op, id=membership, name=name)
        elif op == "new_meeting":
            data = meeting(f"安全生产专题会议{number}", number % 3)
            report("begin", op=op, title=data.title)
            meeting_id = save_meeting(data, today=TODAY)
            report(
                "committed",
                op=op,
                id=meeting_id,
                title=data.title,
                attendees=len(data.attendees),
                follow_ups=len(data.follow_ups),
            )
        else:
            version = versions["meeting"] + 1
            report("begin", op=op, id=replaced_meeting, version=version)
            data = meeting(replaced_title(version), version % 4 + 1)
            save_meeting(data, meeting_id=replaced_meeting, today=TODAY)
            versions["meeting"] = version
            report("committed", op=op, id=replaced_meeting, version=version)

    until_deadline(step, rng)


# ---------------------------------------------------------------------------- import

IMPORT_HEADER = ("序号", "姓名", "小组职务", "职务", "联系电话")
IMPORT_FILES = 4


def roster_file_rows(rng: random.Random, pool: list[str], places: list[str]) -> list[list[object]]:
    """One version of the roster: a different selection, order, roles, titles and phones."""
    chosen = rng.sample(pool, rng.randint(40, 110))
    deputies = rng.randint(2, 8)
    director = rng.randrange(3 + deputies, len(chosen))
    rows: list[list[object]] = []
    for index, name in enumerate(chosen):
        if index < 2:
            role = "组长"
        elif index == 2:
            role = "常务副组长"
        elif index < 3 + deputies:
            role = "副组长"
        else:
            role = "成员、办公室主任" if index == director else "成员"
        place = rng.choice(places)
        titles = rng.sample(
            (f"{place}村党总支书记", f"{place}村安全员", "组织委员", "派出所所长", "财政所所长"),
            rng.randint(1, 2),
        )
        # Always a number: an empty cell keeps a returning member's old number (by design),
        # which would make the roster after an import depend on more than the file.
        phone = f"1390000{rng.randrange(10000):04d}"
        rows.append([index + 1, name, role, "、".join(titles), phone])
    return rows


def work_import(db: Path, workdir: Path, rng: random.Random) -> None:
    """Whole-roster imports, one after another, each effective one day later than the last."""
    from app.demo.names import NameMaker
    from app.io.spreadsheet import write_table
    from app.org.kinds import UnitKind
    from app.org.units import UnitInput, add_unit
    from app.roster.interchange import import_roster
    from app.storage.migrations import open_database

    open_database(str(db))
    add_unit(UnitInput(name="青禾镇", kind=UnitKind.TOWNSHIP))
    names = NameMaker(rng)
    places = [names.place() for _ in range(6)]
    for place in places:
        add_unit(UnitInput(name=f"{place}村", kind=UnitKind.VILLAGE))
    pool = [names.person() for _ in range(160)]
    inputs = workdir / "inputs"
    inputs.mkdir()
    files: list[Path] = []
    for number in range(IMPORT_FILES):
        # Both formats clerks use; consecutive imports always differ (the files are distinct).
        path = inputs / f"名单{number}.{'xlsx' if number % 2 == 0 else 'csv'}"
        rows = roster_file_rows(rng, pool, places)
        write_table(path, IMPORT_HEADER, rows, title="青禾镇安全生产领导小组成员名单")
        files.append(path)
    import_roster(files[0], IMPORT_FIRST_DAY)
    report(
        "ready",
        files=[str(path) for path in files],
        first_day=IMPORT_FIRST_DAY.isoformat(),
    )

    def step(number: int) -> None:
        index = number % len(files)
        day = IMPORT_FIRST_DAY + dt.timedelta(days=number)
        report("begin", op="import", number=number, file=index, day=day.isoformat())
        import_roster(files[index], day)
        report("committed", op="import", number=number, file=index, day=day.isoformat())

    until_deadline(step, rng)


# ---------------------------------------------------------------------------- print


def work_print(db: Path, workdir: Path, rng: random.Random) -> None:
    """A batch of prints and exports into one folder; names repeat, so files get replaced."""
    from app.demo import create_demo
    from app.meetings.prints import print_minutes, print_sign_in
    from app.responsibility.interchange import export_matrix
    from app.responsibility.prints import print_matrix
    from app.roster.interchange import export_roster
    from app.roster.print import RosterDocument
    from app.roster.service import roster_as_of
    from app.storage.migrations import open_database
    from app.storage.models import Meeting

    open_database(str(db))
    create_demo(scale=1, today=TODAY)
    meetings = [int(m.get_id()) for m in Meeting.select().order_by(Meeting.held_on).limit(4)]
    out = workdir / "out"
    out.mkdir()
    report(
        "ready",
        counts=table_counts(db),
        members=len(roster_as_of(TODAY).lines),
    )
    jobs: list[tuple[str, Callable[[Path, int], object]]] = [
        ("名册", lambda path, _n: RosterDocument(roster_as_of(TODAY)).render(path)),
        ("会议纪要", lambda path, n: print_minutes(path, meetings[n % len(meetings)])),
        ("签到表", lambda path, n: print_sign_in(path, meetings[n % len(meetings)])),
        ("责任清单", lambda path, _n: print_matrix(path, TODAY)),
        ("名册导出", lambda path, _n: export_roster(path, TODAY)),
        ("名册导出", lambda path, _n: export_roster(path, TODAY)),
        ("责任清单导出", lambda path, _n: export_matrix(path)),
    ]
    suffixes = [".pdf", ".pdf", ".pdf", ".pdf", ".xlsx", ".csv", ".xlsx"]

    def step(number: int) -> None:
        index = number % len(jobs)
        stem, job = jobs[index]
        # Two generations of each name: from the second round on, a print replaces a file.
        path = out / f"{stem}-{number // len(jobs) % 2}{suffixes[index]}"
        report("begin", op="print", file=path.name)
        job(path, number)
        report("committed", op="print", file=path.name)

    until_deadline(step, rng)


# ---------------------------------------------------------------------------- backup


def work_backup(db: Path, workdir: Path, rng: random.Random) -> None:
    """Backups through the online backup API, with committed edits in between."""
    from app.demo import create_demo
    from app.org.kinds import UnitKind
    from app.org.units import UnitInput, add_unit
    from app.storage.backup import backup_to
    from app.storage.migrations import open_database

    open_database(str(db))
    create_demo(scale=1, today=TODAY)
    out = workdir / "out"
    out.mkdir()
    report("ready")
    last_unit = [0]

    def step(number: int) -> None:
        if number % 2:
            name = f"安全巡查站{number}号"
            report("begin", op="add_unit", name=name)
            last_unit[0] = add_unit(UnitInput(name=name, kind=UnitKind.DEPARTMENT))
            report("committed", op="add_unit", id=last_unit[0], name=name)
        else:
            # Three names in turn, so most backups replace an earlier one.
            name = f"备份-{number // 2 % 3}.sqlite3"
            report("begin", op="backup", file=name, after_unit=last_unit[0])
            backup_to(out / name)
            report("committed", op="backup", file=name, after_unit=last_unit[0])

    until_deadline(step, rng)


# ---------------------------------------------------------------------------- demo


def work_demo(db: Path, workdir: Path, rng: random.Random, *, fresh: bool) -> None:
    """``safeduty --db DB demo``: the command line's own entry point, in this process.

    ``fresh``: the database file does not exist yet, so creating the schema is part of the
    work; otherwise an empty database is created (and committed) during the set-up.
    """
    from app.cli import main
    from app.storage.migrations import close_database, open_database

    if not fresh:
        open_database(str(db))
        close_database()
    report("ready", fresh=fresh)
    report("begin", op="demo")
    status = main(
        ["--db", str(db), "demo", "--scale", str(DEMO_SCALE), "--today", TODAY.isoformat()]
    )
    report("committed" if status == 0 else "failed", op="demo", status=status)


def demo_reference(db: Path) -> None:
    """Not a trial: the row counts of an empty database and of a whole demo, for comparison."""
    from app.demo import create_demo
    from app.storage.migrations import close_database, open_database

    open_database(str(db))
    empty = table_counts(db)
    create_demo(scale=DEMO_SCALE, today=TODAY)
    close_database()
    report("reference", empty=empty, full=table_counts(db))


# ---------------------------------------------------------------------------- a broken worker


def work_liar(db: Path, workdir: Path, rng: random.Random) -> None:
    """Not a real worker: it reports a unit committed while its transaction is still open.

    This is the bug the harness exists to catch (a promise made before the commit);
    tests/test_crash_safety.py runs it to prove a trial can fail.
    """
    from app.org.kinds import UnitKind
    from app.org.units import UnitInput, add_unit
    from app.storage.db import database_proxy
    from app.storage.migrations import open_database

    open_database(str(db))
    report("ready")
    with database_proxy.atomic():
        name = "安全巡查站1号"
        report("begin", op="add_unit", name=name)
        unit_id = add_unit(UnitInput(name=name, kind=UnitKind.DEPARTMENT))
        report("committed", op="add_unit", id=unit_id, name=name)
        time.sleep(LIFETIME)


# ---------------------------------------------------------------------------- entry point


def small_cache() -> None:
    """A page cache of ~100 KB instead of 16 MB, as a big import on a big database meets.

    A transaction larger than the cache spills pages into the WAL before it commits, so a
    kill can leave uncommitted frames there that recovery must ignore: the riskier path,
    which the small databases of a trial would otherwise never take.
    """
    from app.storage import db

    db.SQLITE_PRAGMAS["cache_size"] = -100


def main(argv: list[str]) -> int:
    kind, db, workdir, seed, *flags = argv
    rng = random.Random(int(seed))
    if "small-cache" in flags:
        small_cache()
    if kind == "reference":
        demo_reference(Path(db))
    elif kind == "demo":
        work_demo(Path(db), Path(workdir), rng, fresh="fresh" in flags)
    else:
        works: dict[str, Callable[[Path, Path, random.Random], None]] = {
            "edit": work_edit,
            "import": work_import,
            "print": work_print,
            "backup": work_backup,
            "liar": work_liar,
        }
        works[kind](Path(db), Path(workdir), rng)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
