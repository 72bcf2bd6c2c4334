"""Problems found in a spreadsheet, named the way the clerk sees the file.

A row is the number Excel shows at the left of the sheet (1-based, counting the title and
header rows); a column is the canonical header name ("姓名"), whatever the file calls it.
Texts are translated when shown, not when raised, so a message built in a worker thread
follows the language the interface has when it displays it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from app.i18n import _, pgettext

# How many problems the one-line summary names before "(and N more)": enough to fix the
# obvious ones, short enough for a message box or one line on stderr.
SUMMARY_LIMIT = 3
# Reasons quote cells, and cells hold line breaks (a header wrapped with Alt+Enter, a pasted
# title): a problem is one line of a list or of stderr, so a break becomes a space.
_LINE_BREAK = re.compile(r"\s*[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]\s*")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file: where (when known) and why (already translated)."""

    row: int | None
    column: str | None
    reason: str

    def text(self) -> str:
        """The problem as one translated line: "Row 5, 姓名: the name is empty"."""
        if self.row is not None and self.column:
            text = _("Row {row}, {column}: {reason}").format(
                row=self.row, column=self.column, reason=self.reason
            )
        elif self.row is not None:
            text = _("Row {row}: {reason}").format(row=self.row, reason=self.reason)
        elif self.column:
            text = _("Column {column}: {reason}").format(column=self.column, reason=self.reason)
        else:
            text = self.reason
        return _LINE_BREAK.sub(" ", text).strip()


class InterchangeError(Exception):
    """A spreadsheet that cannot be read or imported; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        # args keeps the problems so the error pickles (worker processes) and reprs usefully.
        super().__init__(self.problems)

    @classmethod
    def single(
        cls, reason: str, *, row: int | None = None, column: str | None = None
    ) -> InterchangeError:
        return cls([Problem(row, column, reason)])

    def lines(self) -> list[str]:
        """Every problem, one translated line each (for a list in a dialog)."""
        return [problem.text() for problem in self.problems]

    def __str__(self) -> str:
        lines = self.lines()
        if not lines:
            return _("The file cannot be read.")
        # Chinese lists problems with "；", English with "; ": the separator is translated too.
        separator = pgettext("list of problems", "; ")
        summary = separator.join(lines[:SUMMARY_LIMIT])
        hidden = len(lines) - SUMMARY_LIMIT
        if hidden > 0:
            summary = _("{problems} (and {count} more)").format(problems=summary, count=hidden)
        return summary
