"""The command line: ``safeduty [--db URL] AREA VERB …`` (a stable contract, see DESIGN.md).

With no arguments it opens the GUI.  Every other command works headless and never loads Qt,
except ``screenshot``, which renders GUI pages offscreen.  Bad input ends with one line in the
user's language on stderr and a non-zero status; the database is left as it was.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from app import __version__
from app.areas import AREAS
from app.config import Settings, resolve_database
from app.errors import user_message, write_crash_log
from app.i18n import _, language_from_environment, library_catalog, ngettext, set_language
from app.storage.audit import set_operator, set_source

EXIT_OK = 0
EXIT_BAD_INPUT = 1
EXIT_USAGE = 2
EXIT_BUG = 3

PAGES = AREAS


class CliError(Exception):
    """Bad input on the command line: the message is shown as it is."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse's own wording is English; frame it in the user's language, on one line.
        self.exit(EXIT_USAGE, _("Invalid command: {detail}").format(detail=message) + "\n")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("“{value}” is not a date; write it as YYYY-MM-DD").format(value=text)
        ) from None


def _page(text: str) -> str:
    """A page of the window, or one of its tabs ("settings/audit")."""
    if text.partition("/")[0] not in PAGES:
        raise argparse.ArgumentTypeError(
            _("“{value}” is not a page; one of {pages}").format(value=text, pages=", ".join(PAGES))
        )
    return text


def _translate_argparse() -> None:
    # argparse looks its messages up through module-level gettext functions of its own; it
    # has no other hook.  Pointing them at our catalog makes usage errors and --help speak
    # the user's language.
    catalog = library_catalog("argparse")
    argparse._ = catalog.gettext  # type: ignore[attr-defined]
    argparse.ngettext = catalog.ngettext  # type: ignore[attr-defined]


def build_parser(*, commands: bool = True) -> argparse.ArgumentParser:
    """The whole command line; without ``commands`` only what opening the window reads."""
    parser = _Parser(prog="safeduty", description=_("Work-safety responsibility system"))
    parser.add_argument("--version", action="version", version=f"SafeDuty {__version__}")
    parser.add_argument("--db", metavar="URL", help=_("database file or sqlite:///FILE URL"))
    areas = parser.add_subparsers(dest="area", metavar="AREA", parser_class=_Parser)
    if not commands:
        return parser

    demo = areas.add_parser("demo", help=_("fill the database with a fictional township"))
    demo.add_argument("--scale", type=int, default=1, help=_("multiply the size (benchmarks)"))
    demo.add_argument("--today", type=_date, default=None, help=argparse.SUPPRESS)
    demo.set_defaults(handler=_demo, creates_database=True, writes=True)

    roster = areas.add_parser("roster", help=_("the leading group roster"))
    verbs = roster.add_subparsers(dest="verb", metavar="VERB", required=True, parser_class=_Parser)
    r_import = verbs.add_parser("import", help=_("import the roster from .xlsx or .csv"))
    r_import.add_argument("file", type=Path)
    r_import.add_argument("--dry-run", action="store_true", help=_("show changes, write nothing"))
    r_import.add_argument("--as-of", type=_date, default=None, help=_("effective date"))
    r_import.add_argument(
        "--keep-absent",
        action="store_true",
        help=_("keep members who are not in the file (the file lists only some)"),
    )
    r_import.set_defaults(handler=_roster_import, creates_database=True, writes=True)
    r_export = verbs.add_parser("export", help=_("export the roster to .xlsx or .csv"))
    r_export.add_argument("file", type=Path)
    r_export.add_argument("--as-of", type=_date, default=None)
    r_export.set_defaults(handler=_roster_export)
    r_print = verbs.add_parser("print", help=_("print the roster to PDF"))
    r_print.add_argument("file", type=Path)
    r_print.add_argument("--as-of", type=_date, default=None)
    r_print.set_defaults(handler=_roster_print)
    r_list = verbs.add_parser("list", help=_("list the roster"))
    r_list.add_argument("--as-of", type=_date, default=None)
    r_list.add_argument("--format", choices=("text", "json", "csv"), default="text")
    r_list.set_defaults(handler=_roster_list)

    # Imported here: these modules take what they need from this one.
    from app.audit.commands import add_commands as add_audit_commands
    from app.meetings.commands import add_commands as add_meeting_commands
    from app.obligations.commands import add_commands as add_obligation_commands
    from app.responsibility.commands import add_commands

    add_commands(areas)
    add_meeting_commands(areas)
    add_obligation_commands(areas)
    add_audit_commands(areas)

    shot = areas.add_parser("screenshot", help=_("render GUI pages to PNG offscreen"))
    shot.add_argument(
        "page",
        nargs="?",
        type=_page,
        metavar="PAGE",
        help=_("one of {pages}; PAGE/TAB for a tab (settings/audit)").format(
            pages=", ".join(PAGES)
        ),
    )
    shot.add_argument("out", nargs="?", type=Path)
    shot.add_argument("--all", dest="all_dir", type=Path, metavar="DIR")
    shot.add_argument("--size", default="1280x800", help=argparse.SUPPRESS)
    shot.set_defaults(handler=_screenshot, creates_database=True)

    check = areas.add_parser("check", help=_("check the database's integrity"))
    check.set_defaults(handler=_check)
    backup = areas.add_parser("backup", help=_("write a verified backup copy"))
    backup.add_argument("file", type=Path)
    backup.set_defaults(handler=_backup)
    restore = areas.add_parser("restore", help=_("replace the database with a backup"))
    restore.add_argument("file", type=Path)
    restore.set_defaults(handler=_restore, creates_database=True, writes=True)
    return parser


# ---------------------------------------------------------------------------- commands


def _today(args: argparse.Namespace) -> dt.date:
    return getattr(args, "as_of", None) or dt.date.today()


def _demo(args: argparse.Namespace) -> int:
    # Imported here: the demo's name lists are not needed by any other command.
    from app.demo import DemoError, create_demo

    if args.scale < 1 or args.scale > 100:
        raise CliError(_("--scale must be between 1 and 100"))
    try:
        summary = create_demo(scale=args.scale, today=args.today or dt.date.today())
    except DemoError as error:
        raise CliError(str(error)) from error
    print(summary)
    return EXIT_OK


def _roster_import(args: argparse.Namespace) -> int:
    from app.roster.interchange import apply_plan, plan_import

    plan = plan_import(args.file, _today(args))
    if args.keep_absent:
        plan = plan.keeping_absent()
    for line in plan.lines():
        print(line)
    if args.dry_run:
        print(_("Dry run: nothing was written."))
    elif not plan.is_empty:
        apply_plan(plan)
        print(_("Imported."))
    return EXIT_OK


def _roster_export(args: argparse.Namespace) -> int:
    from app.roster.interchange import export_roster

    _check_suffix(args.file, (".xlsx", ".csv"))
    count = export_roster(args.file, _today(args))
    print(
        ngettext(
            "{count} member written to {file}", "{count} members written to {file}", count
        ).format(count=count, file=args.file)
    )
    return EXIT_OK


def _roster_print(args: argparse.Namespace) -> int:
    from app.roster.print import RosterDocument
    from app.roster.service import roster_as_of

    _check_suffix(args.file, (".pdf",))
    RosterDocument(roster_as_of(_today(args))).render(args.file)
    print(_("Printed to {file}").format(file=args.file))
    return EXIT_OK


def _roster_list(args: argparse.Namespace) -> int:
    from app.roster.interchange import role_text
    from app.roster.roles import display_role
    from app.roster.service import roster_as_of

    snapshot = roster_as_of(_today(args))
    records = [
        {
            "position": index,
            "name": line.name,
            "role": line.role.value,
            "office_role": line.office_role.value if line.office_role else None,
            "role_text": role_text(line.role, line.office_role),
            "role_label": display_role(line.role, line.office_role),
            "titles": list(line.titles),
            "phone": line.phone,
            "start_date": line.start_date.isoformat(),
            "end_date": line.end_date.isoformat() if line.end_date else None,
        }
        for index, line in enumerate(snapshot.lines, start=1)
    ]
    if args.format == "json":
        json.dump(
            {"group": snapshot.group_name, "as_of": snapshot.as_of.isoformat(), "members": records},
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        print()
    elif args.format == "csv":
        from app.io.sources import csv_writer

        writer = csv_writer(sys.stdout)
        writer.writerow(["position", "name", "role", "office_role", "titles", "phone"])
        for r in records:
            writer.writerow(
                [
                    r["position"],
                    r["name"],
                    r["role"],
                    r["office_role"] or "",
                    "、".join(r["titles"]),
                    r["phone"],
                ]
            )
    else:
        print(f"{snapshot.group_name}（{snapshot.as_of.isoformat()}）")
        for r in records:
            print(f"{r['position']:>3}  {r['role_label']}\t{r['name']}\t{'、'.join(r['titles'])}")
    return EXIT_OK


def _screenshot(args: argparse.Namespace) -> int:
    if args.all_dir is None and (args.page is None or args.out is None):
        raise CliError(_("Give a PAGE and OUT.png, or --all DIR"))
    try:
        width, height = (int(part) for part in args.size.lower().split("x"))
    except ValueError:
        raise CliError(_("--size must look like 1280x800")) from None
    # The GUI is the one part of the program that needs Qt; it is loaded only here.
    from ui.screenshot import render_pages

    if args.all_dir is not None:
        args.all_dir.mkdir(parents=True, exist_ok=True)  # "render every page into DIR"
        targets = {page: args.all_dir / f"{page}.png" for page in PAGES}
    else:
        targets = {args.page: args.out}
    try:
        render_pages(targets, size=(width, height))
    except (KeyError, ValueError) as error:  # a page or tab the window does not have
        raise CliError(_("Unknown page: {page}").format(page=error.args[0])) from None
    for path in targets.values():
        print(path)
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from app.storage.health import check_health

    report = check_health(full=True)
    for problem in (report.database + report.attachments + report.trail)[:20]:
        print(problem, file=sys.stderr)
    if report.ok:
        print(_("The database, its attachments and its audit trail passed the check."))
        return EXIT_OK
    for line in report.summary():
        print(line, file=sys.stderr)
    _point_to_newest_good_backup()
    raise CliError(_("The check found problems; nothing was changed."))


def _backup(args: argparse.Namespace) -> int:
    from app.storage.backup import backup_to, verify_database_file
    from app.storage.errors import StorageError

    if args.file.is_dir():
        raise CliError(_("{file} is a folder; give the backup a file name.").format(file=args.file))
    if args.file.exists():
        # Replacing an older backup is what a nightly script does; a workbook is not.
        try:
            verify_database_file(args.file)
        except StorageError:
            raise CliError(
                _("{file} exists and is not a SafeDuty backup; choose another name.").format(
                    file=args.file
                )
            ) from None
    result = backup_to(args.file)
    if not result.files:
        print(_("Backup written and verified: {file}").format(file=args.file))
    else:
        print(
            ngettext(
                "Backup written and verified, with {count} attached file: {file}",
                "Backup written and verified, with {count} attached files: {file}",
                result.files,
            ).format(count=result.files, file=args.file)
        )
    for name in result.missing:
        print(
            _("Not in the backup (missing or changed on this computer): {name}").format(name=name),
            file=sys.stderr,
        )
    return EXIT_OK


def _restore(args: argparse.Namespace) -> int:
    from app.storage.backup import restore_from

    safety = restore_from(args.file)
    print(
        _("Restored from {file}; the previous content is kept in {copy}").format(
            file=args.file, copy=safety
        )
    )
    return EXIT_OK


def _check_suffix(path: Path, allowed: Sequence[str]) -> None:
    if path.suffix.lower() not in allowed:
        raise CliError(
            _("The file must end in {suffixes}: {file}").format(
                suffixes=" / ".join(allowed), file=path
            )
        )


# ---------------------------------------------------------------------------- entry point


def _run_gui(db_url: str) -> int:
    # The console script is app.cli:main, so the GUI is started from here, lazily.
    from ui.application import run

    return run(db_url)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    settings = Settings.load()
    set_language(language_from_environment(settings.language))
    set_operator(settings.operator_name)
    _translate_argparse()
    # Opening the window is what start-up waits for: it need not describe every command.
    parser = build_parser(commands=not _opens_window(arguments))
    args = parser.parse_args(arguments)
    db_url = resolve_database(args.db)
    if args.area is None:
        return _run_gui(db_url)
    handler: Callable[[argparse.Namespace], int] = args.handler
    set_source(_command_text(arguments))
    return _guarded(lambda: _with_database(db_url, handler, args))


def _without_database(arguments: Sequence[str]) -> list[str]:
    """The arguments less ``--db URL`` / ``--db=URL``."""
    words: list[str] = []
    rest = list(arguments)
    while rest:
        word = rest.pop(0)
        if word == "--db" and rest:
            rest.pop(0)
        elif not word.startswith("--db="):
            words.append(word)
    return words


def _command_text(arguments: Sequence[str]) -> str:
    """What the audit trail says a change came from: the command, files by their name."""
    words = [
        Path(word).name if os.sep in word or "/" in word else word
        for word in _without_database(arguments)
    ]
    return " ".join(["safeduty", *words])[:200]


def _opens_window(arguments: Sequence[str]) -> bool:
    """Whether the arguments are at most a database (``--db URL``): the GUI opens."""
    return not _without_database(arguments)


def _with_database(
    db_url: str, handler: Callable[[argparse.Namespace], int], args: argparse.Namespace
) -> int:
    from app.storage.db import database_proxy, sqlite_path_from_url
    from app.storage.errors import DatabaseDamagedError
    from app.storage.location import on_network_share
    from app.storage.lock import in_use_message, lock_for
    from app.storage.migrations import close_database, open_database

    path = sqlite_path_from_url(db_url)
    creates = getattr(args, "creates_database", False)
    lock = lock_for(path, create=creates)
    # A database another SafeDuty has open is read, never written: lists, prints, exports
    # and backups work; a change is refused with the holder's name.
    busy = lock is not None and not lock.acquire()
    try:
        writes = getattr(args, "writes", False) and not getattr(args, "dry_run", False)
        if busy and lock is not None and writes:
            # Said before any work: a plan printed first would read as if it had been applied.
            raise CliError(
                _("{busy} Close it first, then run the command again.").format(
                    busy=in_use_message(lock)
                )
            )
        # Commands that only read or copy out refuse a database that is not there yet.
        try:
            open_database(db_url, create=creates, read_only=busy)
        except DatabaseDamagedError as error:
            # "restore FILE" is the way out of a database too damaged to open.
            if args.handler is _restore and not busy and path is not None:
                _restore_damaged(db_url, path, args.file)
                return EXIT_OK
            print(str(error), file=sys.stderr)
            _point_to_newest_good_backup()
            return EXIT_BAD_INPUT
        if busy and lock is not None:
            database_proxy.obj.busy_message = in_use_message(lock)
        if path is not None and on_network_share(path):
            print(network_share_warning(), file=sys.stderr)
        try:
            return handler(args)
        finally:
            close_database()
    finally:
        if lock is not None:
            lock.release()


def _point_to_newest_good_backup() -> None:
    """On stderr: the backup to go back to, and the command that does it."""
    from app.storage.backup import newest_good_backup
    from app.storage.errors import StorageError

    try:
        good = newest_good_backup()
    except StorageError:
        return
    if good is not None:
        print(
            _("The newest good backup is {file} ({when}); restore it with: {command}").format(
                file=good.path.name,
                when=good.taken.strftime("%Y-%m-%d %H:%M"),
                command=f"safeduty restore {good.path}",
            ),
            file=sys.stderr,
        )


def _restore_damaged(db_url: str, path: Path, backup: Path) -> None:
    from app.storage.backup import recover_damaged
    from app.storage.migrations import close_database

    try:
        aside = recover_damaged(db_url, path, backup)
    finally:
        close_database()
    print(
        _("Restored from {file}; the damaged database is kept as {copy}").format(
            file=backup, copy=aside
        )
    )


def network_share_warning() -> str:
    return _(
        "Warning: the database is on a network share. SQLite cannot lock files reliably "
        "there, and a dropped connection can damage the file. Keep the database on this "
        "computer and choose the share as the backup folder instead."
    )


def _guarded(run: Callable[[], int]) -> int:
    """Sort failures by whose fault they are: the user's input, the disk, or a bug."""
    try:
        return run()
    except BrokenPipeError:
        # The output went to a pager or `head` that stopped reading: not an error.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps Python's exit flush quiet
        return EXIT_OK
    except CliError as error:
        print(str(error), file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as error:
        message = user_message(error)
        if message is not None:
            print(message, file=sys.stderr)
            return EXIT_BAD_INPUT
        log = write_crash_log(traceback.format_exc())
        print(
            _("An internal error occurred; nothing was saved. Details: {log}").format(
                log=log if log is not None else traceback.format_exception_only(error)[-1].strip()
            ),
            file=sys.stderr,
        )
        return EXIT_BUG


if __name__ == "__main__":
    sys.exit(main())
