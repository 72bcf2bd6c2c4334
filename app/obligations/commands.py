"""The obligations area on the command line.

    safeduty obligations [--as-of DATE] [--format text|json]
    safeduty obligations rules [--format text|json]

Follows app/cli.py's conventions: handlers import their work lazily, reading commands never
create a database, and bad input ends as one line on stderr through cli._guarded.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from app import cli
from app.i18n import N_, _

_JSON_HELP = N_(
    "text: one line per obligation; json: an object with “as_of” and “items”, each item with "
    "rule (id), kind (the activity: meeting …), activity (the meeting kind code for meetings), "
    "subject, subject_kind, person_id, unit_id, period [first, last], counted [first, last], "
    "due, required, done, status (met, due or overdue) and label"
)


def add_commands(areas: argparse._SubParsersAction[Any]) -> None:
    """Add the obligations area to the program's AREA subparsers."""
    obligations = areas.add_parser(
        "obligations", help=_("who has met each obligation and who is behind")
    )
    obligations.add_argument(
        "--as-of", type=cli._date, default=None, help=_("the day to look at (default: today)")
    )
    obligations.add_argument(
        "--format", choices=("text", "json"), default="text", help=_(_JSON_HELP)
    )
    obligations.set_defaults(handler=_obligations)
    verbs = obligations.add_subparsers(
        dest="verb", metavar="VERB", required=False, parser_class=cli._Parser
    )
    rules = verbs.add_parser("rules", help=_("list the obligation rules"))
    # Under the area's own --format, an absent option must not overwrite the area's value
    # (argparse copies a subparser's defaults over the parent's).
    rules.add_argument(
        "--format",
        choices=("text", "json"),
        default=argparse.SUPPRESS,
        help=_(
            "text: one line per rule; json: an object with “rules”, each with id, position, "
            "subject_kind, subject, subject_text, activity, activity_code, at_least, period, "
            "window, clause, active, counted, label and note"
        ),
    )
    rules.set_defaults(handler=_rules)


def _obligations(args: argparse.Namespace) -> int:
    from app.obligations.engine import Status, obligations_as_of
    from app.obligations.periods import period_name

    day = cli._today(args)
    items = obligations_as_of(day)
    if args.format == "json":
        json.dump(
            {
                "as_of": day.isoformat(),
                "items": [
                    {
                        "rule": item.rule.id,
                        "kind": item.kind,
                        "activity": item.activity,
                        "subject": item.subject,
                        "subject_kind": item.rule.subject_kind.value,
                        "person_id": item.person_id,
                        "unit_id": item.unit_id,
                        "period": [item.period[0].isoformat(), item.period[1].isoformat()],
                        "counted": [item.counted[0].isoformat(), item.counted[1].isoformat()],
                        "due": item.due.isoformat(),
                        "required": item.required,
                        "done": item.done,
                        "status": item.status.value,
                        "label": item.label,
                    }
                    for item in items
                ],
            },
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        print()
        return cli.EXIT_OK
    print(_("Obligations as of {day}").format(day=day.isoformat()))
    if not items:
        print(_("No active obligation rules."))
        return cli.EXIT_OK
    for item in items:
        # Tab-separated, as the other list commands print: readable, and easy to cut.
        fields = (
            item.status.label,
            item.subject,
            item.rule.activity_label,
            _("{done} of {required} times").format(done=item.done, required=item.required),
            period_name(item.rule.period, item.period),
            _("due {day}").format(day=item.due.isoformat()),
        )
        print("\t".join(fields))
    counts = {status: sum(item.status is status for item in items) for status in Status}
    print(
        _("{met} met, {due} due, {overdue} overdue").format(
            met=counts[Status.MET], due=counts[Status.DUE], overdue=counts[Status.OVERDUE]
        )
    )
    return cli.EXIT_OK


def _rules(args: argparse.Namespace) -> int:
    from app.obligations.rules import list_rules, subject_names

    rules = list_rules()
    names = subject_names(rules)
    if args.format == "json":
        json.dump(
            {
                "rules": [
                    {
                        "id": rule.id,
                        "position": rule.position,
                        "subject_kind": rule.subject_kind.value,
                        "subject": rule.subject,
                        "subject_text": names[(rule.subject_kind, rule.subject)],
                        "activity": rule.activity.value,
                        "activity_code": rule.activity_code,
                        "at_least": rule.at_least,
                        "period": rule.period.value,
                        "window": rule.window,
                        "clause": rule.clause,
                        "active": rule.active,
                        "counted": rule.activity.counted,
                        "label": rule.describe(names[(rule.subject_kind, rule.subject)]),
                        "note": rule.note,
                    }
                    for rule in rules
                ]
            },
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        print()
        return cli.EXIT_OK
    if not rules:
        print(_("No obligation rules."))
    for rule in rules:
        state = _("active") if rule.active else _("inactive")
        text = rule.describe(names[(rule.subject_kind, rule.subject)])
        details = "  ".join(part for part in (rule.clause, rule.note) if part)
        print(f"{rule.id:>3}  [{state}]  {text}" + (f"  ({details})" if details else ""))
    return cli.EXIT_OK
