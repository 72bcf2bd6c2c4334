"""The audit trail: every change — who, when, which record, what before and after — filtered
by period, person, kind of record, action and text, with one entry's fields side by side,
the history of one record, and an export."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.audit.describe import Names, action_label, field_changes, table_label, table_labels
from app.audit.trail import (
    Entry,
    TrailFilter,
    actors,
    export_trail,
    moment_text,
    searching,
    source_label,
)
from app.i18n import _, ngettext
from app.storage.audit import Action
from ui.errors import show_error
from ui.models.safety_models import COUNT_CAP, AuditTableModel
from ui.tasks import Op
from ui.widgets.cards import muted
from ui.widgets.file_dialogs import ask_spreadsheet_to_save
from ui.widgets.tables import record_table

CHANGED_BACKGROUND = QColor("#fff1c2")

# Periods offered first; "custom" shows the two dates.
PERIODS = ("all", "today", "week", "month", "year", "custom")


def period_labels() -> dict[str, str]:
    return {
        "all": _("All time"),
        "today": _("Today"),
        "week": _("Last 7 days"),
        "month": _("Last 30 days"),
        "year": _("This year"),
        "custom": _("From … to …"),
    }


def period_range(key: str, today: dt.date) -> tuple[dt.date | None, dt.date | None]:
    if key == "today":
        return today, today
    if key == "week":
        return today - dt.timedelta(days=6), today
    if key == "month":
        return today - dt.timedelta(days=29), today
    if key == "year":
        return dt.date(today.year, 1, 1), today
    return None, None


class AuditTab(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.record: tuple[str, int] | None = None  # showing one record's history

        self.period_combo = QComboBox(self)
        for key in PERIODS:
            self.period_combo.addItem(period_labels()[key], key)
        self.since_edit = QDateEdit(self)
        self.until_edit = QDateEdit(self)
        for edit in (self.since_edit, self.until_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(QDate.currentDate())
            edit.hide()
            edit.dateChanged.connect(lambda _date: self._filters_changed())
        self.actor_combo = QComboBox(self)
        self.actor_combo.setMinimumWidth(160)
        self.table_combo = QComboBox(self)
        self.table_combo.addItem(_("All kinds of record"), None)
        for table in table_labels():
            self.table_combo.addItem(table_label(table), table)
        self.action_combo = QComboBox(self)
        self.action_combo.addItem(_("All actions"), None)
        for action in Action:
            self.action_combo.addItem(action_label(action), action.value)
        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText(_("Search names, texts, values…"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(250)
        self.search_timer.timeout.connect(self.refresh)
        self.search_edit.textChanged.connect(lambda _text: self.search_timer.start())
        for combo in (self.period_combo, self.actor_combo, self.table_combo, self.action_combo):
            combo.currentIndexChanged.connect(lambda _index: self._filters_changed())
        self.export_button = QPushButton(_("Export…"), self)
        self.export_button.clicked.connect(self.export)

        filters = QHBoxLayout()
        filters.addWidget(self.period_combo)
        filters.addWidget(self.since_edit)
        filters.addWidget(self.until_edit)
        filters.addWidget(self.actor_combo)
        filters.addWidget(self.table_combo)
        filters.addWidget(self.action_combo)
        filters.addWidget(self.search_edit, 1)
        filters.addWidget(self.export_button)

        self.record_note = QLabel(self)
        self.record_note.setWordWrap(True)
        self.all_button = QPushButton(_("Show all changes"), self)
        self.all_button.clicked.connect(lambda: self.show_record(None))
        record_row = QHBoxLayout()
        record_row.addWidget(self.record_note, 1)
        record_row.addWidget(self.all_button)
        self.record_holder = QWidget(self)
        self.record_holder.setLayout(record_row)
        self.record_holder.hide()

        self.model = AuditTableModel(self)
        self.table = record_table(self.model, 0, self)
        self.table.setSortingEnabled(False)  # newest first, always: the order of the chain
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.show_entry(self.model.row_object(current))
        )
        self.count_label = muted("", self)

        self.entry_title = QLabel(self)
        self.entry_title.setWordWrap(True)
        title_font = QFont(self.entry_title.font())
        title_font.setBold(True)
        self.entry_title.setFont(title_font)
        self.entry_meta = muted("", self)
        self.history_button = QPushButton(_("History of this record"), self)
        self.history_button.clicked.connect(self._show_history)
        self.history_button.setEnabled(False)
        self.fields = QTableWidget(0, 3, self)
        self.fields.setHorizontalHeaderLabels([_("Field"), _("Before"), _("After")])
        self.fields.verticalHeader().hide()
        self.fields.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.fields.setWordWrap(True)
        fields_header = self.fields.horizontalHeader()
        fields_header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        fields_header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        fields_header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        details = QWidget(self)
        details_layout = QVBoxLayout(details)
        details_layout.setContentsMargins(0, 6, 0, 0)
        title_row = QHBoxLayout()
        title_row.addWidget(self.entry_title, 1)
        title_row.addWidget(self.history_button)
        details_layout.addLayout(title_row)
        details_layout.addWidget(self.entry_meta)
        details_layout.addWidget(self.fields, 1)

        list_part = QWidget(self)
        list_layout = QVBoxLayout(list_part)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addWidget(self.table, 1)
        list_layout.addWidget(self.count_label)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(list_part)
        splitter.addWidget(details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.record_holder)
        layout.addWidget(splitter, 1)
        self.show_entry(None)

    # ------------------------------------------------------------------ filters

    def current_filter(self, today: dt.date | None = None) -> TrailFilter:
        if self.record is not None:
            # One record's whole history, whatever the other filters say.
            return TrailFilter(table=self.record[0], record_id=self.record[1])
        key = self.period_combo.currentData()
        if key == "custom":
            since: dt.date | None = self.since_edit.date().toPython()  # type: ignore[assignment]
            until: dt.date | None = self.until_edit.date().toPython()  # type: ignore[assignment]
        else:
            since, until = period_range(key, today or dt.date.today())
        table, record_id = self.record or (self.table_combo.currentData(), None)
        return TrailFilter(
            since=since,
            until=until,
            actor=self.actor_combo.currentData() or "",
            table=table,
            action=self.action_combo.currentData(),
            record_id=record_id,
            text=self.search_edit.text(),
        )

    def _filters_changed(self) -> None:
        custom = self.period_combo.currentData() == "custom"
        self.since_edit.setVisible(custom)
        self.until_edit.setVisible(custom)
        self.refresh()

    def reload(self) -> None:
        """The tab is shown: the people who made changes, then the entries, read again."""
        self._fill_actors()
        self.refresh()

    def refresh(self) -> None:
        """Read the trail again with the filters shown."""
        chosen = self.current_filter()
        if chosen.since and chosen.until and chosen.since > chosen.until:
            self.model.set_rows([])
            self.count_label.setText(_("The first day is after the last day."))
            return
        self.model.load(chosen)
        if not self._sized:
            self._sized = True
            for column in range(4):
                self.table.resizeColumnToContents(column)
        total = self.model.total
        if self.model.more_than_counted and searching(chosen):
            self.count_label.setText(
                _("{count} or more changes; scroll down for more").format(
                    count=self.model.rowCount()
                )
            )
        elif self.model.more_than_counted:
            self.count_label.setText(_("More than {count} changes").format(count=f"{COUNT_CAP:,}"))
        else:
            self.count_label.setText(
                ngettext("{count} change", "{count} changes", total).format(count=total)
            )
        if total:
            self.table.selectRow(0)
        else:
            self.show_entry(None)

    def _fill_actors(self) -> None:
        current = self.actor_combo.currentData()
        self.actor_combo.blockSignals(True)
        self.actor_combo.clear()
        self.actor_combo.addItem(_("Everyone"), None)
        for actor in actors():
            self.actor_combo.addItem(actor, actor)
        index = self.actor_combo.findData(current) if current else 0
        self.actor_combo.setCurrentIndex(max(0, index))
        self.actor_combo.blockSignals(False)

    def show_record(self, record: tuple[str, int] | None) -> None:
        """Only the history of one record (None: every change again)."""
        self.record = record
        if record is not None:
            self.record_note.setText(
                _("Showing the history of {kind} #{number}.").format(
                    kind=table_label(record[0]), number=record[1]
                )
            )
        self.record_holder.setVisible(record is not None)
        for widget in (
            self.period_combo,
            self.actor_combo,
            self.table_combo,
            self.action_combo,
            self.search_edit,
        ):
            widget.setEnabled(record is None)
        self.refresh()

    def _show_history(self) -> None:
        entry = self._entry
        if entry is not None and entry.table and entry.record_id is not None:
            self.show_record((entry.table, entry.record_id))

    # ------------------------------------------------------------------ one entry

    _entry: Entry | None = None
    _sized = False  # the columns fit the first entries read; the user's widths stay after

    def show_entry(self, entry: Entry | None) -> None:
        self._entry = entry
        self.history_button.setEnabled(bool(entry and entry.table and self.record is None))
        if entry is None:
            self.entry_title.setText(_("Choose a change to see its details."))
            self.entry_meta.setText("")
            self.fields.setRowCount(0)
            return
        kind = table_label(entry.table) if entry.table else ""
        record = self.model.display(entry, 4)
        self.entry_title.setText(f"{action_label(entry.action)} · {kind} {record}".strip(" ·"))
        self.entry_meta.setText(
            _("{when} · {who} · through {source} · entry {number}").format(
                when=moment_text(entry),
                who=entry.actor,
                source=source_label(entry.source),
                number=entry.id,
            )
        )
        changes = field_changes(entry.before, entry.after, self.model.names or Names(), entry.table)
        self.fields.setRowCount(len(changes))
        for row, change in enumerate(changes):
            for column, text in enumerate((change.label, change.before, change.after)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if change.changed:
                    item.setBackground(QBrush(CHANGED_BACKGROUND))
                self.fields.setItem(row, column, item)
        self.fields.resizeRowsToContents()

    # ------------------------------------------------------------------ export

    def export(self) -> Op | None:
        target = ask_spreadsheet_to_save(
            self, _("Export the audit trail"), f"操作记录-{dt.date.today().isoformat()}.xlsx"
        )
        if target is None:
            return None
        chosen_filter = self.current_filter()
        return (
            Op(self, lambda: export_trail(target, chosen_filter), label=_("Exporting…"))
            .success(
                lambda count: QMessageBox.information(
                    self,
                    _("Export"),
                    ngettext(
                        "{count} change written to {file}",
                        "{count} changes written to {file}",
                        count,
                    ).format(count=count, file=target),
                )
            )
            .failure(lambda error: show_error(self, error, _("Cannot export")))
            .run()
        )
