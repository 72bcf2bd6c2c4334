"""Command-line verbs of this area (a colleague fills them in)."""

from __future__ import annotations

import argparse
from typing import Any


def add_commands(areas: argparse._SubParsersAction[Any]) -> None:
    """Add this area's verbs to the program's AREA subparsers."""
