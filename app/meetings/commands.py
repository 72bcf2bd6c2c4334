"""The meetings area on the command line.

    safeduty meetings list [--year Y] [--kind CODE] [--format text|json|csv]
    safeduty meetings print ID FILE.pdf
    safeduty meetings sign-in ID FILE.pdf

Follows app/cli.py's conventions: handlers import their work lazily (reportlab is slow to
import), reading never creates a database, and bad input ends as one line on stderr through
cli._guarded.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from app import cli
from app.i18n import _, ngettext
from app.meetings.kinds import MeetingKind

# The fields of each meeting in --format json (follow_ups is {"open": N, "total": N} there)
# and the columns of --format csv (follow_ups_open, follow_ups_total there).
FIELDS = (
    "id",
    "type",
    "date",
    "time",
    "title",
    "place",
    "chair",
    "recorder",
    "attendees",
    "absent",
    "follow_ups",
    "attachments",
)
CSV_COLUMNS = (*FIELDS[:-2], "follow_ups_open", "follow_ups_total", "attachments")


def add_commands(areas: argparse._SubParsersAction[Any]) -> None:
    """Add the meetings area to the program's AREA subparsers."""
    meetings = areas.add_parser("meetings", help=_("meetings and their minutes (会议纪要)"))
    verbs = meetings.add_subparsers(
        dest="verb", metavar="VERB", required=True, parser_class=cli._Parser
    )
    m_list = verbs.add_parser(
        "list",
        help=_("list the meetings held, by date"),
        description=_(
            "Lists the meetings recorded, by date. JSON is an object with the key "
            "“meetings” (a list) and, with --year, “year”; each meeting has id, type (the "
            "kind's code), date (YYYY-MM-DD), time (HH:MM or null), title, place, chair, "
            "recorder, attendees (the number expected), absent (how many of them were "
            "absent), follow_ups (with open and total) and attachments. CSV has the same "
            "columns, with follow_ups_open and follow_ups_total."
        ),
    )
    m_list.add_argument("--year", type=_year, default=None, help=_("only meetings of this year"))
    m_list.add_argument(
        "--kind",
        choices=[kind.value for kind in MeetingKind],
        default=None,
        metavar="CODE",
        help=_("only meetings of this kind: {codes}").format(
            codes=", ".join(kind.value for kind in MeetingKind)
        ),
    )
    m_list.add_argument("--format", choices=("text", "json", "csv"), default="text")
    m_list.set_defaults(handler=_list)
    m_print = verbs.add_parser("print", help=_("print a meeting's minutes (会议纪要) to PDF"))
    m_print.add_argument("id", type=_meeting_id, help=_("the meeting's number (see “list”)"))
    m_print.add_argument("file", type=Path)
    m_print.set_defaults(handler=_print_minutes)
    m_sign_in = verbs.add_parser(
        "sign-in", help=_("print a meeting's sign-in sheet (签到表) to PDF")
    )
    m_sign_in.add_argument("id", type=_meeting_id, help=_("the meeting's number (see “list”)"))
    m_sign_in.add_argument("file", type=Path)
    m_sign_in.set_defaults(handler=_print_sign_in)


def _year(text: str) -> int:
    try:
        year = int(text)
    except ValueError:
        year = 0
    if not 1900 <= year <= 9999:
        raise argparse.ArgumentTypeError(
            _("“{value}” is not a year; write it as four digits, e.g. 2025").format(value=text)
        )
    return year


def _meeting_id(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if not 1 <= number < 2**63:  # a number SQLite can hold
        raise argparse.ArgumentTypeError(
            _("“{value}” is not a meeting number; see “safeduty meetings list”").format(value=text)
        )
    return number


def _record(line: Any) -> dict[str, object]:
    return {
        "id": line.id,
        "type": line.kind.value,
        "date": line.held_on.isoformat(),
        "time": line.start_time.strftime("%H:%M") if line.start_time else None,
        "title": line.title,
        "place": line.place,
        "chair": line.chair_name or None,
        "recorder": line.recorder_name or None,
        "attendees": line.expected,
        "absent": line.absent,
        "follow_ups": {"open": line.follow_ups_open, "total": line.follow_ups_total},
        "attachments": line.attachments,
    }


def _list(args: argparse.Namespace) -> int:
    from app.meetings.service import meetings_in

    lines = meetings_in(year=args.year, kind=args.kind)
    if args.format == "json":
        document: dict[str, object] = {}
        if args.year is not None:
            document["year"] = args.year
        document["meetings"] = [_record(line) for line in lines]
        json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
        print()
    elif args.format == "csv":
        from app.io.sources import csv_writer

        writer = csv_writer(sys.stdout)
        writer.writerow(CSV_COLUMNS)
        for line in lines:
            record = _record(line)
            follow_ups: dict[str, int] = record.pop("follow_ups")  # type: ignore[assignment]
            record["follow_ups_open"] = follow_ups["open"]
            record["follow_ups_total"] = follow_ups["total"]
            writer.writerow(["" if record[c] is None else record[c] for c in CSV_COLUMNS])
    else:
        _print_text(lines, args.year)
    return cli.EXIT_OK


def _print_text(lines: list[Any], year: int | None) -> None:
    if not lines:
        if year is None:
            print(_("No meetings recorded."))
        else:
            print(_("No meetings recorded in {year}.").format(year=year))
        return
    for line in lines:
        time = line.start_time.strftime("%H:%M") if line.start_time else "--:--"
        attendance = _("{present} of {expected} present").format(
            present=line.present, expected=line.expected
        )
        follow_ups = (
            ngettext(
                "{open} of {total} follow-up open",
                "{open} of {total} follow-ups open",
                line.follow_ups_total,
            ).format(open=line.follow_ups_open, total=line.follow_ups_total)
            if line.follow_ups_total
            else ""
        )
        chair = _("chair: {name}").format(name=line.chair_name) if line.chair_name else ""
        cells = [
            f"{line.id:>5}",
            f"{line.held_on.isoformat()} {time}",
            line.kind.label,
            line.display_title,
            chair,
            attendance,
            follow_ups,
        ]
        print("  ".join(cell for cell in cells if cell))


# ---------------------------------------------------------------------------- prints


def _known_meeting(meeting_id: int) -> None:
    from app.storage.models import Meeting

    if not Meeting.select().where(Meeting.id == meeting_id).exists():
        raise cli.CliError(_("No meeting has the number {number}.").format(number=meeting_id))


def _print_minutes(args: argparse.Namespace) -> int:
    cli._check_suffix(args.file, (".pdf",))
    _known_meeting(args.id)
    from app.meetings.prints import print_minutes

    print_minutes(args.file, args.id)
    print(_("Printed to {file}").format(file=args.file))
    return cli.EXIT_OK


def _print_sign_in(args: argparse.Namespace) -> int:
    cli._check_suffix(args.file, (".pdf",))
    _known_meeting(args.id)
    from app.meetings.prints import print_sign_in

    print_sign_in(args.file, args.id)
    print(_("Printed to {file}").format(file=args.file))
    return cli.EXIT_OK
