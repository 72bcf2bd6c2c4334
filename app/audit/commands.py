"""The audit trail on the command line.

    safeduty audit list [--since DATE] [--until DATE] [--who TEXT] [--record KIND[:ID]]
                        [--action ACTION] [--search TEXT] [--limit N] [--format text|json]
    safeduty audit export FILE.xlsx|FILE.csv  (the same filters)

Follows app/cli.py's conventions: handlers import their work lazily, reading commands never
create a database, and bad input ends as one line on stderr through cli._guarded.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from app import cli
from app.i18n import _, ngettext
from app.storage.audit import Action


def add_commands(areas: argparse._SubParsersAction[Any]) -> None:
    audit = areas.add_parser("audit", help=_("the audit trail: who changed what, and when"))
    verbs = audit.add_subparsers(
        dest="verb", metavar="VERB", required=True, parser_class=cli._Parser
    )
    listing = verbs.add_parser("list", help=_("list changes, newest first"))
    _add_filters(listing)
    listing.add_argument("--limit", type=int, default=100, help=_("at most this many (100)"))
    listing.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help=_(
            "json: a list of entries with id, at, actor, source, action, table, record_id, "
            "before and after (the record's columns)"
        ),
    )
    listing.set_defaults(handler=_list)
    export = verbs.add_parser("export", help=_("export changes to .xlsx or .csv"))
    export.add_argument("file", type=Path)
    _add_filters(export)
    export.set_defaults(handler=_export)


def _add_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", type=cli._date, default=None, help=_("from this day"))
    parser.add_argument("--until", type=cli._date, default=None, help=_("up to this day"))
    parser.add_argument("--who", default="", help=_("part of the person's name or login"))
    parser.add_argument(
        "--record",
        default=None,
        metavar="KIND[:ID]",
        help=_("one kind of record (person, unit, meeting …), or one record (person:12)"),
    )
    parser.add_argument("--action", choices=[action.value for action in Action], default=None)
    parser.add_argument("--search", default="", help=_("text anywhere in the record"))


def _filter(args: argparse.Namespace) -> Any:
    from app.audit.describe import table_labels
    from app.audit.trail import TrailFilter

    table, record_id = None, None
    if args.record:
        table, _sep, number = args.record.partition(":")
        if table not in table_labels():
            raise cli.CliError(
                _("Unknown kind of record “{kind}”; one of: {kinds}").format(
                    kind=table, kinds=", ".join(table_labels())
                )
            )
        if number:
            if not number.isdigit() or len(number) > 12:
                raise cli.CliError(_("“{value}” is not a record number.").format(value=number))
            record_id = int(number)
    if args.since and args.until and args.since > args.until:
        raise cli.CliError(_("--since must not be after --until"))
    return TrailFilter(
        since=args.since,
        until=args.until,
        actor=args.who,
        table=table,
        action=args.action,
        record_id=record_id,
        text=args.search,
    )


def _list(args: argparse.Namespace) -> int:
    from app.audit.describe import Names, action_label, change_summary, record_label, table_label
    from app.audit.trail import entries, moment_text

    if args.limit < 1 or args.limit > 100_000:
        raise cli.CliError(_("--limit must be between 1 and 100000"))
    found = entries(_filter(args), None, args.limit)
    if args.format == "json":
        json.dump(
            [
                {
                    "id": entry.id,
                    "at": entry.at,
                    "actor": entry.actor,
                    "source": entry.source,
                    "action": entry.action,
                    "table": entry.table,
                    "record_id": entry.record_id,
                    "before": entry.before or None,
                    "after": entry.after or None,
                }
                for entry in found
            ],
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        print()
        return cli.EXIT_OK
    if not found:
        print(_("No change matches."))
        return cli.EXIT_OK
    names = Names()
    for entry in found:
        what = table_label(entry.table) if entry.table else ""
        record = record_label(entry.table, entry.values, names)
        changed = change_summary(entry.before, entry.after, entry.table)
        print(
            "\t".join(
                part
                for part in (
                    f"{entry.id:>6}",
                    moment_text(entry),
                    entry.actor,
                    action_label(entry.action),
                    f"{what} {record}".strip(),
                    changed,
                )
                if part
            )
        )
    return cli.EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from app.audit.trail import export_trail

    cli._check_suffix(args.file, (".xlsx", ".csv"))
    count = export_trail(args.file, _filter(args))
    print(
        ngettext(
            "{count} change written to {file}", "{count} changes written to {file}", count
        ).format(count=count, file=args.file)
    )
    return cli.EXIT_OK
