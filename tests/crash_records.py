"""What each kind of crash trial promised, checked against the database it left.

Part of tests/crash_harness.py's check (b): every record the child reported committed is
there, and the unit of work in flight at the kill is there whole or not at all — an edit, a
roster import (never a mix of two files), the demo (one transaction: none of it or all of it);
a print never wrote to the database; a backup holds everything committed before it began.
Each verifier appends its findings to ``result.failures`` and names the outcome.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from crash_harness import (
    CHECK_TIMEOUT,
    CHILD,
    ROOT,
    TEMPORARY,
    TrialResult,
    child_env,
    committed_of,
    connect,
    connect_read_only,
    in_flight_of,
    ready_of,
    run_child,
    scalar,
    table_counts,
)

# -- edits -------------------------------------------------------------------------------


def verify_edit(result: TrialResult) -> None:
    """Each committed edit is there; the one in flight is there whole or not at all."""
    failures = result.failures
    flight = in_flight_of(result)
    flight_op = flight["op"] if flight else None
    with connect(result.db) as db:
        added = committed_of(result, "add_unit")
        for item in added:
            name = scalar(db, "SELECT name FROM unit WHERE id = ?", item["id"])
            if name != item["name"]:
                failures.append(f"committed unit {item['id']} {item['name']}: found {name!r}")
        stations = scalar(db, "SELECT COUNT(*) FROM unit WHERE name LIKE '安全巡查站%'")
        _count_between(failures, "units added", stations, len(added), flight_op == "add_unit")

        joined = committed_of(result, "add_member")
        for item in joined:
            name = scalar(
                db,
                "SELECT p.name FROM group_membership g JOIN person p ON p.id = g.person_id "
                "WHERE g.id = ?",
                item["id"],
            )
            if name != item["name"]:
                failures.append(f"committed member {item['id']} {item['name']}: found {name!r}")
        members = scalar(db, "SELECT COUNT(*) FROM group_membership")
        base = ready_of(result).get("memberships", 0)
        _count_between(
            failures, "memberships", members - base, len(joined), flight_op == "add_member"
        )

        meetings = committed_of(result, "new_meeting")
        for item in meetings:
            title = scalar(db, "SELECT title FROM meeting WHERE id = ?", item["id"])
            present = scalar(db, "SELECT COUNT(*) FROM attendance WHERE meeting_id = ?", item["id"])
            items = scalar(db, "SELECT COUNT(*) FROM follow_up WHERE meeting_id = ?", item["id"])
            if (title, present, items) != (item["title"], item["attendees"], item["follow_ups"]):
                failures.append(
                    f"committed meeting {item['id']} {item['title']} with {item['attendees']} "
                    f"attendees, {item['follow_ups']} items: found {title!r}, {present}, {items}"
                )
        new = scalar(db, "SELECT COUNT(*) FROM meeting WHERE title LIKE '安全生产专题会议%'")
        _count_between(failures, "meetings added", new, len(meetings), flight_op == "new_meeting")

        ready = ready_of(result)
        if "renamed_unit" in ready:
            name = scalar(db, "SELECT name FROM unit WHERE id = ?", ready["renamed_unit"])
            version = _version(name, "应急管理办公室第")
            _version_between(failures, "renamed unit", version, result, "rename_unit")
        if "replaced_meeting" in ready:
            meeting_id = ready["replaced_meeting"]
            title = scalar(db, "SELECT title FROM meeting WHERE id = ?", meeting_id)
            version = _version(title, "领导小组例会第")
            _version_between(failures, "replaced meeting", version, result, "replace_meeting")
            texts = [
                text
                for (text,) in db.execute(
                    "SELECT text FROM follow_up WHERE meeting_id = ? ORDER BY position",
                    (meeting_id,),
                )
            ]
            # Title and items are written in one transaction: they must be of one version.
            if version is not None and (
                len(texts) != version % 4 + 1 or any(not t.startswith(title) for t in texts)
            ):
                failures.append(f"meeting {title!r} has the items of another version: {texts}")
        _verify_attachments(result, db, flight_op == "attach")
    if flight_op is None:
        result.outcome = "no edit in flight"
    else:
        result.outcome = "edit in flight: " + ("committed" if _flight_landed(result) else "none")


def _verify_attachments(result: TrialResult, db: sqlite3.Connection, in_flight: bool) -> None:
    """Each reported attachment has its row and its stored file, with the content hashed."""
    attached = committed_of(result, "attach")
    folder = result.db.with_name(result.db.name + "-attachments")
    for item in attached:
        stored_as = scalar(
            db,
            "SELECT stored_as FROM attachment WHERE id = ? AND sha256 = ?",
            item["id"],
            item["sha"],
        )
        if stored_as is None:
            result.failures.append(f"committed attachment {item['id']} is not recorded")
        elif not _sha256_is(folder / stored_as, item["sha"]):
            result.failures.append(f"attachment {item['id']}: the stored file is missing or wrong")
    count = scalar(db, "SELECT COUNT(*) FROM attachment")
    _count_between(result.failures, "attachments", count, len(attached), in_flight)
    # Files are named after their content: one under its real name must have that content,
    # even one whose row the kill prevented (a spare file, never half of one).
    for path in folder.rglob("*") if folder.exists() else ():
        if path.is_dir():
            continue
        if TEMPORARY.match(path.name) or path.name.startswith(".incoming-"):
            result.leftovers += 1
        elif not _sha256_is(path, path.name.split(".")[0]):
            result.failures.append(f"stored attachment {path.name} is not whole")


def _sha256_is(path: Path, sha: str) -> bool:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() == sha
    except OSError:
        return False


def _flight_landed(result: TrialResult) -> bool:
    """Whether the edit in flight at the kill is in the database (committed, not reported)."""
    flight = in_flight_of(result)
    if flight is None:
        return False
    with connect(result.db) as db:
        op = flight["op"]
        if op == "add_unit":
            return bool(scalar(db, "SELECT COUNT(*) FROM unit WHERE name = ?", flight["name"]))
        if op == "add_member":
            return bool(
                scalar(
                    db,
                    "SELECT COUNT(*) FROM group_membership g JOIN person p "
                    "ON p.id = g.person_id WHERE p.name = ?",
                    flight["name"],
                )
            )
        if op == "new_meeting":
            return bool(scalar(db, "SELECT COUNT(*) FROM meeting WHERE title = ?", flight["title"]))
        if op == "attach":
            return bool(
                scalar(db, "SELECT COUNT(*) FROM attachment WHERE sha256 = ?", flight["sha"])
            )
        table, prefix = ("unit", "应急管理办公室第")
        if op == "replace_meeting":
            table, prefix = ("meeting", "领导小组例会第")
        column = "name" if table == "unit" else "title"
        value = scalar(db, f"SELECT {column} FROM {table} WHERE id = ?", flight["id"])
        return _version(value, prefix) == flight["version"]


def _count_between(
    failures: list[str], what: str, found: int, committed: int, maybe_one_more: bool
) -> None:
    """Committed ones all there; at most the one in flight besides (it may have committed)."""
    allowed = {committed, committed + 1} if maybe_one_more else {committed}
    if found not in allowed:
        failures.append(f"{what}: {committed} reported committed, {found} in the database")


def _version(text: str | None, prefix: str) -> int | None:
    match = re.fullmatch(re.escape(prefix) + r"(\d+)版", text or "")
    return int(match.group(1)) if match else None


def _version_between(
    failures: list[str], what: str, found: int | None, result: TrialResult, op: str
) -> None:
    """A record replaced again and again holds the last committed version, or the next."""
    done = max((item["version"] for item in committed_of(result, op)), default=0)
    flight = in_flight_of(result)
    allowed = {done, done + 1} if flight and flight["op"] == op else {done}
    if found not in allowed:
        failures.append(f"{what}: version {done} reported committed, {found} in the database")


# -- imports -----------------------------------------------------------------------------


@contextlib.contextmanager
def opened_database(db: Path) -> Iterator[None]:
    """The program's models bound to ``db`` for a while; whatever was bound before returns."""
    from app.storage.db import database_proxy
    from app.storage.migrations import open_database

    previous = database_proxy.obj
    database = open_database(str(db), create=False)
    try:
        yield
    finally:
        database.close()
        database_proxy.initialize(previous)


RosterState = tuple[tuple[object, ...], ...]


def file_state(path: Path, *, phones: bool) -> RosterState:
    """The roster a whole-roster file describes, as the import is to leave it."""
    from app.roster.interchange import read_roster_file

    _title, rows = read_roster_file(path)
    return tuple(
        (row.name, row.role, row.office_role, row.titles or (), (row.phone or "") if phones else "")
        for row in rows
    )


def roster_state(day: Any, *, phones: bool) -> RosterState:
    """The roster as of ``day``.  A phone number is kept per person, not per day (only the
    latest is known), so only the latest roster is compared with phones."""
    from app.roster.service import roster_as_of

    return tuple(
        (line.name, line.role, line.office_role, line.titles, line.phone if phones else "")
        for line in roster_as_of(day).lines
    )


def verify_import(result: TrialResult) -> None:
    """Every reported import holds on its day; the one in flight is whole or absent."""
    ready = ready_of(result)
    files = [Path(name) for name in ready["files"]]
    history = [file_state(path, phones=False) for path in files]
    latest = [file_state(path, phones=True) for path in files]
    first = dt.date.fromisoformat(ready["first_day"])
    done = max((item["number"] for item in committed_of(result, "import")), default=0)

    def state_of(number: int) -> RosterState:
        return latest[number % len(files)]

    with opened_database(result.db):
        # The set-up's import (number 0) and every reported one, each on its own day.
        for number in range(done + 1):
            day = first + dt.timedelta(days=number)
            if roster_state(day, phones=False) != history[number % len(files)]:
                result.failures.append(
                    f"import {number} (file {number % len(files)}, {day}) was reported "
                    "committed but the roster of that day differs from the file"
                )
        after = roster_state(first + dt.timedelta(days=done + 1), phones=True)
        later = roster_state(first + dt.timedelta(days=done + 2), phones=True)
    if after == state_of(done):
        result.outcome = "import in flight: none" if in_flight_of(result) else "no import in flight"
    elif after == state_of(done + 1) and in_flight_of(result):
        result.outcome = "import in flight: whole"
    else:
        result.failures.append(
            f"the roster after import {done} is neither file {done % len(files)} nor "
            f"file {(done + 1) % len(files)}: a partial import"
        )
    if later != after:
        result.failures.append(f"the roster changed on a day no import {done + 1} was for")


# -- prints ------------------------------------------------------------------------------


def verify_print(result: TrialResult) -> None:
    """A print never writes to the database; every reported file is there."""
    counts = table_counts(result.db)
    if counts != ready_of(result)["counts"]:
        result.failures.append(f"prints changed the database: {counts}")
    for item in committed_of(result, "print"):
        if not (result.out / item["file"]).is_file():
            result.failures.append(f"reported print {item['file']} is missing")
    flight = in_flight_of(result)
    result.outcome = f"print in flight: {Path(flight['file']).suffix}" if flight else "no print"


# -- backups -----------------------------------------------------------------------------


def verify_backup(result: TrialResult) -> None:
    """Units between the backups are kept; each backup holds what was committed before it."""
    units = committed_of(result, "add_unit")
    with connect(result.db) as db:
        for item in units:
            name = scalar(db, "SELECT name FROM unit WHERE id = ?", item["id"])
            if name != item["name"]:
                result.failures.append(f"committed unit {item['id']}: found {name!r}")
        stations = scalar(db, "SELECT COUNT(*) FROM unit WHERE name LIKE '安全巡查站%'")
    flight = in_flight_of(result)
    _count_between(
        result.failures,
        "units added",
        stations,
        len(units),
        flight is not None and flight["op"] == "add_unit",
    )
    latest: dict[str, int] = {}
    for item in committed_of(result, "backup"):
        latest[item["file"]] = item["after_unit"]
    for name, after_unit in latest.items():
        path = result.out / name
        if not path.is_file():
            result.failures.append(f"reported backup {name} is missing")
            continue
        wanted = {item["id"] for item in units if item["id"] <= after_unit}
        # The file may be a later backup under the same name: it holds at least as much.
        with connect_read_only(path) as copy:
            kept = {unit_id for (unit_id,) in copy.execute("SELECT id FROM unit")}
        if not wanted <= kept:
            result.failures.append(f"backup {name} lacks committed units {sorted(wanted - kept)}")
    result.outcome = f"in flight: {flight['op']}" if flight else "nothing in flight"


# -- the demo ----------------------------------------------------------------------------

_REFERENCE: dict[str, dict[str, int]] = {}
# The program's own notes (when the last full check ran): written by any start or check,
# outside the demo's transaction, so not part of what the demo promises.
BOOKKEEPING = frozenset({"housekeeping"})


def _records(counts: dict[str, int]) -> dict[str, int]:
    return {table: count for table, count in counts.items() if table not in BOOKKEEPING}


def demo_reference(base: Path) -> dict[str, dict[str, int]]:
    """Row counts of an empty database and of a whole demo (made once, by a child)."""
    if not _REFERENCE:
        workdir = base / "demo-reference"
        events, _killed, stderr = run_child("reference", workdir, 0, 0.0, after_commits=0)
        found = next((e.data for e in events if e.tag == "reference"), None)
        if found is None:
            raise RuntimeError(f"the demo reference could not be made:\n{stderr}")
        _REFERENCE.update(found)
    return _REFERENCE


def verify_demo(result: TrialResult) -> None:
    """The demo is one transaction: the database holds none of it or all of it."""
    reference = {
        state: _records(counts) for state, counts in demo_reference(result.workdir.parent).items()
    }
    fresh = bool(ready_of(result).get("fresh"))
    finished = bool(committed_of(result, "demo"))
    counts = _records(table_counts(result.db)) if result.db.exists() else {}
    if not counts and fresh and not finished:
        # Killed before the schema was committed: nothing to lose.  The next start must be
        # able to create the database there, not refuse it as someone else's file.
        result.outcome = "no schema yet"
        done = subprocess.run(
            [sys.executable, str(CHILD), "demo", str(result.db), str(result.workdir), "0"],
            cwd=ROOT,
            env=child_env(result.workdir),
            capture_output=True,
            timeout=CHECK_TIMEOUT,
        )
        if b"committed" not in done.stdout:
            result.failures.append(
                "after a kill during creation, the demo could not be made again: "
                + done.stderr.decode("utf-8", "replace")[-1500:]
            )
        return
    if counts == reference["full"]:
        result.outcome = "whole demo"
    elif counts == reference["empty"] and not finished:
        result.outcome = "no demo (empty database)"
    else:
        differences = {
            table: (counts.get(table), reference["full"].get(table))
            for table in sorted(set(counts) | set(reference["full"]))
            if counts.get(table) != reference["full"].get(table)
        }
        state = "finished" if finished else "killed"
        result.failures.append(
            f"demo {state}: the database holds part of it (found, whole): {differences}"
        )


VERIFIERS: dict[str, Callable[[TrialResult], None]] = {
    "edit": verify_edit,
    "import": verify_import,
    "print": verify_print,
    "backup": verify_backup,
    "demo": verify_demo,
    "liar": verify_edit,  # the broken worker's unit must be found like an edit's
}
