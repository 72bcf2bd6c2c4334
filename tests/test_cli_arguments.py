"""How the command line tells opening the window from a command."""

from __future__ import annotations

import pytest

from app import cli


@pytest.mark.parametrize(
    ("arguments", "window"),
    [
        ([], True),
        (["--db", "x.sqlite"], True),
        (["--db=x.sqlite"], True),
        (["--db", "x.sqlite", "roster", "list"], False),
        (["--version"], False),
        (["--help"], False),
        (["--db"], False),  # argparse says the value is missing
        (["coverage"], False),
    ],
)
def test_only_a_database_argument_opens_the_window(arguments: list[str], window: bool) -> None:
    assert cli._opens_window(arguments) is window


def test_the_window_s_parser_reads_the_database_and_no_area() -> None:
    args = cli.build_parser(commands=False).parse_args(["--db", "x.sqlite"])
    assert (args.db, args.area) == ("x.sqlite", None)
    full = cli.build_parser().format_help()
    assert "matrix" in full and "coverage" in full and "roster" in full
