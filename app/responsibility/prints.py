"""The responsibility system's printed documents, one entry point each.

* ``print_matrix``: 责任制分工表 (landscape);
* ``print_duty_card`` / ``print_duty_cards``: 岗位安全职责清单, one person per page;
* ``print_coverage``: 安全生产责任体系覆盖检查情况;
* ``print_grid``: 安全生产责任区域一览表, the matrix view with its filter (landscape).

Each reads a plain snapshot from the database on the given day and renders it with its
document class, writing the PDF atomically.  The GUI's preview uses the same pieces:
``MatrixDocument(matrix_snapshot(day)).render_bytes()``.  The wording is Chinese whatever
the interface language: these are official documents.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence

from app.prints.fonts import FontSet
from app.responsibility.print_cards import (
    CARD_TITLE,
    SIGNATURE_LINE,
    AreaLine,
    DutyCard,
    DutyCardsDocument,
    DutyCardsSnapshot,
    DutySection,
    duty_cards_snapshot,
)
from app.responsibility.print_checks import (
    COMPLETE_SENTENCE,
    CoverageDocument,
    CoverageSnapshot,
    RuleResult,
    coverage_snapshot,
)
from app.responsibility.print_common import MergingTable, township_name
from app.responsibility.print_tables import (
    GRID_HEADER,
    MATRIX_HEADER,
    GridDocument,
    GridRow,
    GridSnapshot,
    MatrixDocument,
    MatrixRowText,
    MatrixSnapshot,
    entry_text,
    grid_snapshot,
    matrix_snapshot,
)

Path = str | os.PathLike[str]


def print_matrix(path: Path, day: dt.date, *, fonts: FontSet | None = None) -> None:
    """责任制分工表 as it stands, posts shown with their holders on ``day``."""
    MatrixDocument(matrix_snapshot(day), fonts=fonts).render(path)


def print_duty_card(
    path: Path, person_id: int, day: dt.date, *, fonts: FontSet | None = None
) -> None:
    """One person's 岗位安全职责清单 on ``day``."""
    DutyCardsDocument(duty_cards_snapshot(day, [person_id]), fonts=fonts).render(path)


def print_duty_cards(
    path: Path,
    day: dt.date,
    person_ids: Sequence[int] | None = None,
    *,
    fonts: FontSet | None = None,
) -> None:
    """The cards of ``person_ids`` (default: the leading group on ``day``), one PDF, each
    person starting on a new page."""
    DutyCardsDocument(duty_cards_snapshot(day, person_ids), fonts=fonts).render(path)


def print_coverage(path: Path, day: dt.date, *, fonts: FontSet | None = None) -> None:
    """The coverage check on ``day``: a summary by rule, then the units with gaps."""
    CoverageDocument(coverage_snapshot(day), fonts=fonts).render(path)


def print_grid(
    path: Path,
    day: dt.date,
    unit_ids: Sequence[int] | None = None,
    person_ids: Sequence[int] | None = None,
    *,
    fonts: FontSet | None = None,
) -> None:
    """Who answers for each area at each level on ``day``; the optional filters keep only
    those areas (rows) and those people (names)."""
    snapshot = grid_snapshot(day, unit_ids=unit_ids, person_ids=person_ids)
    GridDocument(snapshot, fonts=fonts).render(path)


__all__ = [
    "CARD_TITLE",
    "COMPLETE_SENTENCE",
    "GRID_HEADER",
    "MATRIX_HEADER",
    "SIGNATURE_LINE",
    "AreaLine",
    "CoverageDocument",
    "CoverageSnapshot",
    "DutyCard",
    "DutyCardsDocument",
    "DutyCardsSnapshot",
    "DutySection",
    "GridDocument",
    "GridRow",
    "GridSnapshot",
    "MatrixDocument",
    "MatrixRowText",
    "MatrixSnapshot",
    "MergingTable",
    "RuleResult",
    "coverage_snapshot",
    "duty_cards_snapshot",
    "entry_text",
    "grid_snapshot",
    "matrix_snapshot",
    "print_coverage",
    "print_duty_card",
    "print_duty_cards",
    "print_grid",
    "print_matrix",
    "township_name",
]
