"""One row of the responsibility matrix: four lists of names and the row's duties.

Names are separated by "、" as clerks write them.  Under each field the dialog shows, as the
clerk types, which names link (a person, a unit, a post and who holds it) and which will be
kept as plain text, so a typo in a name is seen before it is saved.  A row the matrix
import would refuse (a name, a list of names or duties too long) is refused here too, with
the reason under its field, so whatever the dialog saves exports and re-imports.
"""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.responsibility.interchange import MAX_DUTIES, MAX_NAME, MAX_NAMES_PER_CELL
from app.responsibility.matrix import (
    DUTIES_CHINESE,
    SEPARATOR,
    Column,
    Entry,
    Linker,
    MatrixLine,
    post_holders,
)
from ui.widgets.forms import FieldError, FieldErrors, FormDialog, grow_to_fit, hint_label

ORDER = (Column.PRINCIPALS, Column.DEPUTIES, Column.DEPARTMENTS, Column.RESPONSIBLE)
LINKED_COLOUR = "#1b6e2e"
TEXT_COLOUR = "#8a5a00"
DUTIES = "duties"  # the duties' field, beside the columns' (Column values)
GENERAL = "_general"  # a problem of the whole row


def field_label(label: str, chinese: str) -> str:
    """The field's name, with the file's Chinese header beside it unless they are the same."""
    return label if label == chinese else f"{label}（{chinese}）"


def _placeholders() -> dict[Column, str]:
    return {
        Column.PRINCIPALS: _("e.g. 镇党委书记、镇长"),
        Column.DEPUTIES: _("e.g. 张三"),
        Column.DEPARTMENTS: _("e.g. 应急管理办公室、常青村"),
        Column.RESPONSIBLE: _("e.g. 李四、王五"),
    }


class MatrixRowDialog(FormDialog):
    """Accepting gives ``line()``: the row with every name linked on ``day``."""

    def __init__(self, parent: QWidget | None, *, day: dt.date, line: MatrixLine | None = None):
        super().__init__(parent)
        self.day = day
        self.linker = Linker(day)
        self.setWindowTitle(_("Edit the row") if line is not None else _("Add a row"))
        self.resize(640, 520)
        self.edits: dict[Column, QLineEdit] = {}
        self.link_labels: dict[Column, QLabel] = {}
        self._holders: dict[str, list[tuple[int, str]]] = {}
        self._tried = False

        self.error = FieldError(self)
        self.errors = FieldErrors(self.error)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        placeholders = _placeholders()
        for column in ORDER:
            edit = QLineEdit(self)
            edit.setPlaceholderText(placeholders[column])
            if line is not None:
                edit.setText(line.text(column))
            label = QLabel(self)
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
            box = QWidget(self)
            box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            box_layout = QVBoxLayout(box)
            box_layout.setContentsMargins(0, 0, 0, 0)
            box_layout.setSpacing(2)
            box_layout.addWidget(edit)
            box_layout.addWidget(label)
            self.errors.add_row(form, column.value, field_label(column.label, column.chinese), box)
            self.edits[column] = edit
            self.link_labels[column] = label
            edit.textChanged.connect(lambda _text, column=column: self._show_links(column))
        self.duties_edit = QPlainTextEdit(self)
        self.duties_edit.setTabChangesFocus(True)
        self.duties_edit.setMinimumHeight(110)
        if line is not None:
            self.duties_edit.setPlainText(line.duties)
        self.errors.add_row(
            form, DUTIES, field_label(_("Key work-safety duties"), DUTIES_CHINESE), self.duties_edit
        )
        self.duties_edit.textChanged.connect(self._recheck)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(
            hint_label(
                _(
                    "Separate names with “、”. A name links to a person on the roster, a post "
                    "(then whoever holds it counts, so a successor needs no edit) or, under "
                    "departments, a unit; anything else is kept as text and makes nobody "
                    "answerable."
                ),
                self,
            )
        )
        layout.addLayout(form, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        for column in ORDER:
            self._show_links(column)

    # ------------------------------------------------------------------ links

    def entries(self, column: Column) -> tuple[Entry, ...]:
        return self.linker.cell(self.edits[column].text(), column)

    def _holder_names(self, title: str) -> list[str]:
        if title not in self._holders:
            self._holders.update(post_holders([title], self.day))
        return [name for _pid, name in self._holders.get(title, ())]

    def describe(self, entry: Entry) -> tuple[str, bool]:
        """What a name links to, for the line under its field; and whether it links."""
        if entry.person_id is not None:
            return _("{name} (person)").format(name=entry.text), True
        if entry.unit_id is not None:
            return _("{name} (unit)").format(name=entry.text), True
        if entry.post_title:
            names = self._holder_names(entry.post_title)
            if names:
                return _("{post} (post: {holders})").format(
                    post=entry.text, holders=SEPARATOR.join(names)
                ), True
            return _("{post} (post, vacant)").format(post=entry.text), True
        return _("{name} (text only)").format(name=entry.text), False

    def _show_links(self, column: Column) -> None:
        parts = []
        for entry in self.entries(column):
            text, linked = self.describe(entry)
            colour = LINKED_COLOUR if linked else TEXT_COLOUR
            mark = "✓" if linked else "✗"
            style = "" if linked else "font-style: italic;"
            parts.append(
                f'<span style="color: {colour}; {style}">{mark}&nbsp;{html.escape(text)}</span>'
            )
        label = self.link_labels[column]
        label.setText("&nbsp;&nbsp; ".join(parts))
        label.setVisible(bool(parts))
        self._recheck()
        QTimer.singleShot(0, lambda: grow_to_fit(self))

    def unlinked(self) -> list[str]:
        """Every name that stays text (what the clerk may want to check)."""
        return [
            entry.text for column in ORDER for entry in self.entries(column) if not entry.linked
        ]

    # ------------------------------------------------------------------ result

    def line(self) -> MatrixLine:
        cells = {column: self.entries(column) for column in ORDER}
        return MatrixLine(
            {column: cell for column, cell in cells.items() if cell},
            self.duties_edit.toPlainText().strip(),
        )

    def problems(self) -> dict[str, str]:
        """Field (a Column's value, DUTIES or GENERAL) → why the row cannot be saved.

        The limits are the matrix import's: a row saved here exports and re-imports.
        """
        line = self.line()
        errors: dict[str, str] = {}
        for column, cell in line.cells.items():
            too_long = [entry.text for entry in cell if len(entry.text) > MAX_NAME]
            if too_long:
                errors[column.value] = _(
                    "The name “{start}…” is longer than {limit} characters."
                ).format(start=too_long[0][:12], limit=MAX_NAME)
            elif len(cell) > MAX_NAMES_PER_CELL:
                errors[column.value] = _(
                    "There can be at most {limit} names here; there are {count}."
                ).format(limit=MAX_NAMES_PER_CELL, count=len(cell))
        if len(line.duties) > MAX_DUTIES:
            errors[DUTIES] = _(
                "The duties can be at most {limit} characters long; they are {count}."
            ).format(limit=MAX_DUTIES, count=len(line.duties))
        if not line.cells and not line.duties:
            errors[GENERAL] = _("The row is empty: enter at least a name or the duties.")
        return errors

    def _recheck(self) -> None:
        """After a refused OK, the messages follow the clerk's corrections."""
        if self._tried:
            self.errors.show(self.problems())

    def accept(self) -> None:
        self._tried = True
        errors = self.problems()
        self.errors.show(errors)
        if errors:
            return
        super().accept()
