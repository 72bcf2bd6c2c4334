"""The responsibility area on the command line: ``matrix``, ``coverage`` and ``duties``.

    safeduty matrix import FILE [--dry-run] [--as-of DATE]
    safeduty matrix export FILE
    safeduty matrix print FILE.pdf [--as-of DATE]
    safeduty matrix list [--format text|json|csv]
    safeduty coverage [--as-of DATE] [--format text|json]
    safeduty coverage print FILE.pdf [--as-of DATE]
    safeduty duties card NAME FILE.pdf [--as-of DATE]
    safeduty duties cards FILE.pdf [--as-of DATE]
    safeduty duties list [--kind CODE] [--format text|json]

Follows app/cli.py's conventions: handlers import their work lazily (reportlab and openpyxl
are slow to import), only an import may create a database, and bad input ends as one line
on stderr through cli._guarded.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from app import cli
from app.i18n import _, ngettext
from app.org.kinds import PostKind

# Kinds of post with a duty list (duties.DUTY_KINDS, spelled out here: that module loads the
# built-in lists, which only the duties commands need).
_DUTY_KIND_CODES = tuple(kind.value for kind in PostKind if kind != PostKind.OTHER)


def add_commands(areas: argparse._SubParsersAction[Any]) -> None:
    """Add the matrix, coverage and duties areas to the program's AREA subparsers."""
    _add_matrix(areas)
    _add_coverage(areas)
    _add_duties(areas)


def _verbs(parser: argparse.ArgumentParser, *, required: bool = True) -> Any:
    return parser.add_subparsers(
        dest="verb", metavar="VERB", required=required, parser_class=cli._Parser
    )


def _as_of(parser: argparse.ArgumentParser, *, nested: bool = False) -> None:
    # Under a verb of an area that has --as-of itself, an absent option must not overwrite
    # the area's value (argparse copies a subparser's defaults over the parent's).
    parser.add_argument(
        "--as-of",
        type=cli._date,
        default=argparse.SUPPRESS if nested else None,
        help=_("the day to look at (default: today)"),
    )


def _add_matrix(areas: Any) -> None:
    matrix = areas.add_parser("matrix", help=_("the responsibility matrix (分工表)"))
    verbs = _verbs(matrix)
    m_import = verbs.add_parser("import", help=_("import the matrix from .xlsx or .csv"))
    m_import.add_argument("file", type=Path)
    m_import.add_argument("--dry-run", action="store_true", help=_("show changes, write nothing"))
    m_import.add_argument("--as-of", type=cli._date, default=None, help=_("effective date"))
    m_import.set_defaults(handler=_matrix_import, creates_database=True, writes=True)
    m_export = verbs.add_parser("export", help=_("export the matrix to .xlsx or .csv"))
    m_export.add_argument("file", type=Path)
    m_export.set_defaults(handler=_matrix_export)
    m_print = verbs.add_parser("print", help=_("print the matrix to PDF"))
    m_print.add_argument("file", type=Path)
    _as_of(m_print)
    m_print.set_defaults(handler=_matrix_print)
    m_list = verbs.add_parser("list", help=_("list the matrix"))
    m_list.add_argument("--format", choices=("text", "json", "csv"), default="text")
    m_list.set_defaults(handler=_matrix_list)


def _add_coverage(areas: Any) -> None:
    coverage = areas.add_parser(
        "coverage", help=_("check that every unit has someone answerable (横向到边、纵向到底)")
    )
    _as_of(coverage)
    coverage.add_argument("--format", choices=("text", "json"), default="text")
    coverage.set_defaults(handler=_coverage)
    verbs = _verbs(coverage, required=False)
    c_print = verbs.add_parser("print", help=_("print the coverage check to PDF"))
    c_print.add_argument("file", type=Path)
    _as_of(c_print, nested=True)
    c_print.set_defaults(handler=_coverage_print)


def _add_duties(areas: Any) -> None:
    duties = areas.add_parser("duties", help=_("duty lists and leaders' duty cards"))
    verbs = _verbs(duties)
    card = verbs.add_parser("card", help=_("print one person's duty card to PDF"))
    card.add_argument("name", help=_("the person's name (or number, if the name is shared)"))
    card.add_argument("file", type=Path)
    _as_of(card)
    card.set_defaults(handler=_duty_card)
    cards = verbs.add_parser("cards", help=_("print every leader's duty card into one PDF"))
    cards.add_argument("file", type=Path)
    _as_of(cards)
    cards.set_defaults(handler=_duty_cards)
    d_list = verbs.add_parser("list", help=_("list the duties of each kind of post"))
    d_list.add_argument("--kind", choices=_DUTY_KIND_CODES, default=None)
    d_list.add_argument("--format", choices=("text", "json"), default="text")
    d_list.set_defaults(handler=_duties_list)


# ---------------------------------------------------------------------------- matrix


def _matrix_import(args: argparse.Namespace) -> int:
    from app.responsibility.interchange import apply_matrix_plan, plan_matrix_import

    plan = plan_matrix_import(args.file, cli._today(args))
    for line in plan.lines():
        print(line)
    if args.dry_run:
        print(_("Dry run: nothing was written."))
    elif not plan.is_empty:
        apply_matrix_plan(plan)
        print(_("Imported."))
    return cli.EXIT_OK


def _matrix_export(args: argparse.Namespace) -> int:
    from app.responsibility.interchange import export_matrix

    cli._check_suffix(args.file, (".xlsx", ".csv"))
    count = export_matrix(args.file)
    print(
        ngettext("{count} row written to {file}", "{count} rows written to {file}", count).format(
            count=count, file=args.file
        )
    )
    return cli.EXIT_OK


def _matrix_print(args: argparse.Namespace) -> int:
    cli._check_suffix(args.file, (".pdf",))
    from app.responsibility.prints import print_matrix

    print_matrix(args.file, cli._today(args))
    print(_("Printed to {file}").format(file=args.file))
    return cli.EXIT_OK


def _entry_record(entry: Any) -> dict[str, object]:
    return {
        "text": entry.text,
        "person_id": entry.person_id,
        "unit_id": entry.unit_id,
        "post_title": entry.post_title,
        "linked": entry.linked,
    }


def _matrix_list(args: argparse.Namespace) -> int:
    from app.responsibility.interchange import FILE_COLUMNS
    from app.responsibility.matrix import load_matrix

    lines = load_matrix()
    if args.format == "json":
        records = []
        for position, line in enumerate(lines, start=1):
            record: dict[str, object] = {"position": position}
            for column in FILE_COLUMNS:
                record[column.value] = line.text(column)
            record["duties"] = line.duties
            record["entries"] = {
                column.value: [_entry_record(entry) for entry in line.cells.get(column, ())]
                for column in FILE_COLUMNS
            }
            records.append(record)
        json.dump({"rows": records}, sys.stdout, ensure_ascii=False, indent=2)
        print()
    elif args.format == "csv":
        from app.io.sources import csv_writer

        writer = csv_writer(sys.stdout)
        writer.writerow(["position", *(column.value for column in FILE_COLUMNS), "duties"])
        for position, line in enumerate(lines, start=1):
            writer.writerow(
                [position, *(line.text(column) for column in FILE_COLUMNS), line.duties]
            )
    else:
        for position, line in enumerate(lines, start=1):
            cells = [line.text(column) or "—" for column in FILE_COLUMNS]
            duties = " ".join(line.duties.split())
            print(f"{position:>3}  " + "\t".join([*cells, duties]))
    return cli.EXIT_OK


# ---------------------------------------------------------------------------- coverage


def _coverage(args: argparse.Namespace) -> int:
    from app.responsibility.coverage import Rule, check_coverage

    day = cli._today(args)
    coverage = check_coverage(day)
    counts = coverage.counts
    if args.format == "json":
        json.dump(
            {
                "as_of": day.isoformat(),
                "complete": coverage.complete,
                "counts": {rule.value: counts.get(rule, 0) for rule in Rule},
                "checked": {rule.value: coverage.checked.get(rule, 0) for rule in Rule},
                "gaps": [
                    {
                        "rule": gap.rule.value,
                        "rule_label": gap.rule.label,
                        "unit": gap.unit_name,
                        "unit_id": gap.unit_id,
                        "unit_kind": gap.unit_kind.value,
                        "employees": gap.employees,
                    }
                    for gap in coverage.gaps
                ],
            },
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        print()
        return cli.EXIT_OK
    if coverage.complete:
        print(_("No gaps: every unit checked has someone answerable."))
        return cli.EXIT_OK
    print(
        ngettext("{count} gap found", "{count} gaps found", len(coverage.gaps)).format(
            count=len(coverage.gaps)
        )
    )
    for rule in Rule:
        gaps = coverage.of(rule)
        if not gaps:
            continue
        print(_("{rule} ({count})").format(rule=rule.label, count=len(gaps)))
        for gap in gaps:
            print(f"  {gap.unit_name}\t{gap.unit_kind.label}")
    return cli.EXIT_OK


def _coverage_print(args: argparse.Namespace) -> int:
    cli._check_suffix(args.file, (".pdf",))
    from app.responsibility.prints import print_coverage

    print_coverage(args.file, cli._today(args))
    print(_("Printed to {file}").format(file=args.file))
    return cli.EXIT_OK


# ---------------------------------------------------------------------------- duties


def find_person_id(name: str, day: dt.date) -> int:
    """The one person ``name`` means: a name, or a number where several share the name.

    Of several people with the name, the one holding a post on ``day`` is meant; otherwise
    the message lists them by number and title.
    """
    from app.io.text import normalize_name
    from app.org.people import titles_by_person
    from app.storage.models import Person, Post, active_on

    text = name.strip().lstrip("#")
    if text.isdigit():
        person = Person.get_or_none(Person.id == int(text))
        if person is None:
            raise cli.CliError(_("No person has the number {number}.").format(number=text))
        return int(person.id)
    wanted = normalize_name(name)
    if not wanted:
        raise cli.CliError(_("Enter the name of the person whose duty card to print."))
    ids = [pid for (pid,) in Person.select(Person.id).where(Person.name == wanted).tuples()]
    if not ids:
        raise cli.CliError(_("Nobody named {name} is in the records.").format(name=wanted))
    if len(ids) == 1:
        return ids[0]
    holding = sorted(
        {
            pid
            for (pid,) in Post.select(Post.person)
            .where(Post.person.in_(ids) & active_on(Post, day))
            .tuples()
        }
    )
    if len(holding) == 1:
        return holding[0]
    candidates = holding or sorted(ids)
    titles = titles_by_person(candidates, day)
    choices = "、".join(f"{pid}（{'、'.join(titles.get(pid, [])) or '—'}）" for pid in candidates)
    raise cli.CliError(
        _("Several people are named {name}; give the number instead: {choices}").format(
            name=wanted, choices=choices
        )
    )


def _duty_card(args: argparse.Namespace) -> int:
    cli._check_suffix(args.file, (".pdf",))
    day = cli._today(args)
    person_id = find_person_id(args.name, day)
    from app.responsibility.prints import print_duty_card

    print_duty_card(args.file, person_id, day)
    print(_("Printed to {file}").format(file=args.file))
    return cli.EXIT_OK


def _duty_cards(args: argparse.Namespace) -> int:
    cli._check_suffix(args.file, (".pdf",))
    from app.responsibility.prints import print_duty_cards

    print_duty_cards(args.file, cli._today(args))
    print(_("Printed to {file}").format(file=args.file))
    return cli.EXIT_OK


def _duties_list(args: argparse.Namespace) -> int:
    from app.responsibility.duties import DUTY_KINDS, duties_by_kind, duty_number

    kinds = [PostKind(args.kind)] if args.kind else list(DUTY_KINDS)
    lists = duties_by_kind(kinds)
    if args.format == "json":
        json.dump(
            {
                "kinds": [
                    {
                        "kind": kind.value,
                        "label": kind.label,
                        "duties": [
                            {"number": position, "text": item.text, "clause": item.clause}
                            for position, item in enumerate(lists[kind], start=1)
                        ],
                    }
                    for kind in kinds
                ]
            },
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        print()
        return cli.EXIT_OK
    for index, kind in enumerate(kinds):
        if index:
            print()
        print(f"{kind.label} ({kind.value})")
        if not lists[kind]:
            print("  " + _("(no duties)"))
        for position, item in enumerate(lists[kind], start=1):
            clause = f"（{item.clause}）" if item.clause else ""
            print(f"  {duty_number(position)}{item.text}{clause}")
    return cli.EXIT_OK
