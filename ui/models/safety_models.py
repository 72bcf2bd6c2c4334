"""Table models of the data-safety tab and the audit trail.

The trail can hold hundreds of thousands of entries: its model reads a page at a time as
the view scrolls (canFetchMore/fetchMore), filtered in SQL, newest first.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont

from app.audit.describe import Names, action_label, change_summary, record_label, table_label
from app.audit.trail import (
    Entry,
    TrailFilter,
    count_entries,
    entries,
    moment_text,
    searching,
    source_label,
)
from app.i18n import _
from app.storage.backup import BackupFile
from ui.models.base import ListTableModel, ModelIndex

PAGE = 500
# Counting every match of a search through years of entries takes long: past this many the
# list says "more than".
COUNT_CAP = 10_000


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return _("{size} MB").format(size=f"{size / (1024 * 1024):.1f}")
    return _("{size} KB").format(size=max(1, round(size / 1024)))


class BackupTableModel(ListTableModel[tuple[BackupFile, int]]):
    """This database's backups, newest first: when, why, how large."""

    def __init__(self, parent: Any = None):
        super().__init__([_("Taken"), _("Kind"), _("Size"), _("File")], parent)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_object(index)
        if row is None:
            return None
        backup, size = row
        if role == Qt.ItemDataRole.DisplayRole:
            from ui.safety import describe_backup

            return (
                backup.taken.strftime("%Y-%m-%d %H:%M:%S"),
                describe_backup(backup),
                size_text(size),
                backup.path.name,
            )[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(backup.path)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def audit_headers() -> list[str]:
    return [
        _("Time"),
        _("Changed by"),
        _("Action"),
        _("Kind of record"),
        _("Record"),
        _("Fields changed"),
    ]


class AuditTableModel(ListTableModel[Entry]):
    """The trail's entries matching a filter, newest first, fetched a page at a time."""

    def __init__(self, parent: Any = None):
        super().__init__(audit_headers(), parent)
        self.filter = TrailFilter()
        self.total = 0
        self.names: Names | None = None

    def load(self, chosen: TrailFilter) -> None:
        """Read the first page for ``chosen`` (names of people and units read again too)."""
        self.filter = chosen
        self.names = Names()
        rows = entries(chosen, None, PAGE)
        # A short first page is the whole answer: no count needed.  A text search through
        # years of entries is not counted past what was read ("500 or more").
        if len(rows) < PAGE:
            self.total = len(rows)
        elif searching(chosen):
            self.total = COUNT_CAP + 1
        else:
            self.total = count_entries(chosen, COUNT_CAP)
        self.set_rows(rows)

    @property
    def more_than_counted(self) -> bool:
        return self.total > COUNT_CAP

    def canFetchMore(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid():
            return False
        return len(self._rows) < self.total or (
            self.more_than_counted and len(self._rows) % PAGE == 0
        )

    def fetchMore(self, parent: ModelIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        last = self._rows[-1].id if self._rows else None
        more = entries(self.filter, last, PAGE)
        if not more:
            self.total = len(self._rows)
            return
        if len(more) < PAGE:
            self.total = len(self._rows) + len(more)  # the end of the matches is known now
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        entry = self.row_object(index)
        if entry is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = self.display(entry, index.column())
            if role == Qt.ItemDataRole.ToolTipRole:
                return (
                    text if index.column() != 1 else f"{entry.actor}\n{source_label(entry.source)}"
                )
            return text
        if role == Qt.ItemDataRole.FontRole and entry.action in ("delete", "restore"):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def display(self, entry: Entry, column: int) -> str:
        if column == 0:
            return moment_text(entry)
        if column == 1:
            return entry.actor
        if column == 2:
            return action_label(entry.action)
        if column == 3:
            return table_label(entry.table) if entry.table else ""
        if column == 4:
            return record_label(entry.table, entry.values, self.names)
        return change_summary(entry.before, entry.after, entry.table)
