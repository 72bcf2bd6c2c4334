"""The settings page's general tab: language, fonts for printing, where the data is kept, the
program's version."""

from __future__ import annotations

import platform
from pathlib import Path

import PySide6
from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.config import Settings, config_dir, data_dir
from app.i18n import _, current_language
from app.prints.fonts import ROLES, FontError, FontSet, load_fonts, register_font_file
from app.storage.db import database_path
from ui.state import last_folder, remember_folder
from ui.tasks import Op
from ui.widgets.cards import muted
from ui.widgets.forms import FieldError

# Language names are written in their own language, whatever the interface shows.
LANGUAGE_NAMES = (("zh_CN", "中文（简体）"), ("en", "English"))


def font_role_labels() -> dict[str, str]:
    return {
        "body": _("Body text (仿宋)"),
        "title": _("Title (小标宋)"),
        "heading1": _("Heading, level 1 (黑体)"),
        "heading2": _("Heading, level 2 (楷体)"),
    }


def origin_text(origin: str) -> str:
    return {
        "user": _("your choice"),
        "system": _("installed on this computer"),
        "bundled": _("shipped with SafeDuty"),
    }.get(origin, origin)


class FontRow:
    """One print role: the chosen file, buttons, the font in use, and any problem."""

    def __init__(self, page: GeneralTab, role: str, grid: QGridLayout, row: int):
        self.role = role
        parent = grid.parentWidget()
        self.label = QLabel(font_role_labels()[role], parent)
        self.path_edit = QLineEdit(parent)
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText(_("Default"))
        self.choose_button = QPushButton(_("Choose…"), parent)
        self.default_button = QPushButton(_("Use default"), parent)
        self.in_use = muted("", parent)
        self.error = FieldError(parent)
        grid.addWidget(self.label, row * 3, 0)
        grid.addWidget(self.path_edit, row * 3, 1)
        grid.addWidget(self.choose_button, row * 3, 2)
        grid.addWidget(self.default_button, row * 3, 3)
        grid.addWidget(self.in_use, row * 3 + 1, 1, 1, 3)
        grid.addWidget(self.error, row * 3 + 2, 1, 1, 3)
        self.choose_button.clicked.connect(lambda: page.choose_font(role))
        self.default_button.clicked.connect(lambda: page.set_font(role, None))

    def show_choice(self, path: str | None) -> None:
        self.path_edit.setText(path or "")
        self.path_edit.setToolTip(path or "")
        self.default_button.setEnabled(bool(path))


class GeneralTab(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.settings = Settings.load()
        self.font_set: FontSet | None = None

        # Language
        language_box = QGroupBox(_("Language"), self)
        self.language_combo = QComboBox(language_box)
        for code, name in LANGUAGE_NAMES:
            self.language_combo.addItem(name, code)
        chosen = self.settings.language or current_language()
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(chosen)))
        self.language_combo.setMinimumWidth(220)
        self.language_combo.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.language_combo.currentIndexChanged.connect(self._language_changed)
        self.language_note = muted(
            _("The new language is used the next time SafeDuty starts."), language_box
        )
        language_form = QFormLayout(language_box)
        language_form.addRow(_("Language of the program"), self.language_combo)
        language_form.addRow("", self.language_note)

        # Fonts for printing
        fonts_box = QGroupBox(_("Fonts for printing"), self)
        fonts_layout = QVBoxLayout(fonts_box)
        fonts_layout.addWidget(
            muted(
                _(
                    "Official documents use 仿宋 for the body, 小标宋 for titles, 黑体 and 楷体 "
                    "for headings. By default SafeDuty uses the Windows fonts when they are "
                    "installed, otherwise the fonts it ships. Choose TrueType files (.ttf, "
                    ".ttc) to use others."
                ),
                fonts_box,
            )
        )
        grid_holder = QWidget(fonts_box)
        grid = QGridLayout(grid_holder)
        grid.setContentsMargins(0, 6, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        grid.setColumnStretch(1, 1)
        self.font_rows = {
            role: FontRow(self, role, grid, number) for number, role in enumerate(ROLES)
        }
        fonts_layout.addWidget(grid_holder)

        # Data
        data_box = QGroupBox(_("Data"), self)
        db_path = database_path()
        self.database_edit = QLineEdit(str(db_path) if db_path else "", data_box)
        self.database_edit.setReadOnly(True)
        self.open_folder_button = QPushButton(_("Open folder"), data_box)
        self.open_folder_button.setEnabled(db_path is not None)
        self.open_folder_button.clicked.connect(self.open_database_folder)
        db_row = QHBoxLayout()
        db_row.addWidget(self.database_edit, 1)
        db_row.addWidget(self.open_folder_button)
        data_form = QFormLayout(data_box)
        data_form.addRow(_("Database file"), db_row)
        data_form.addRow(_("Settings folder"), self._selectable(str(config_dir()), data_box))
        data_form.addRow(_("Data folder"), self._selectable(str(data_dir()), data_box))

        # About
        about_box = QGroupBox(_("About"), self)
        about_form = QFormLayout(about_box)
        about_form.addRow(
            _("Program"),
            QLabel(
                _("SafeDuty (安全生产责任制管理系统) {version}").format(version=__version__),
                about_box,
            ),
        )
        about_form.addRow(
            _("Built with"),
            QLabel(
                f"Python {platform.python_version()} · Qt {qVersion()} · "
                f"PySide6 {PySide6.__version__}",
                about_box,
            ),
        )

        content = QWidget(self)
        column = QVBoxLayout(content)
        column.setContentsMargins(16, 12, 16, 16)
        column.setSpacing(14)
        for box in (language_box, fonts_box, data_box, about_box):
            column.addWidget(box)
        column.addStretch(1)
        content.setMaximumWidth(1000)
        holder = QWidget(self)
        holder_layout = QHBoxLayout(holder)
        holder_layout.setContentsMargins(0, 0, 0, 0)
        holder_layout.addWidget(content, 1)
        holder_layout.addStretch(0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(holder)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

        for role, row in self.font_rows.items():
            row.show_choice(self.settings.print_fonts.get(role))
        self.refresh_fonts_in_use()

    @staticmethod
    def _selectable(text: str, parent: QWidget) -> QLabel:
        label = QLabel(text, parent)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setWordWrap(True)
        return label

    # ------------------------------------------------------------------ language

    def _language_changed(self, _index: int) -> None:
        self.settings = Settings.load()
        self.settings.language = self.language_combo.currentData()
        self.settings.save()

    # ------------------------------------------------------------------ fonts

    def choose_font(self, role: str) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            _("Choose a font for: {role}").format(role=font_role_labels()[role]),
            last_folder("fonts"),
            _("TrueType fonts (*.ttf *.ttc *.TTF *.TTC)"),
        )
        if not chosen:
            return
        remember_folder("fonts", chosen)
        self.set_font(role, chosen)

    def set_font(self, role: str, path: str | None) -> bool:
        """Use ``path`` for ``role`` (None: the default); a file that cannot print is refused."""
        row = self.font_rows[role]
        if path:
            try:
                register_font_file(path)
            except FontError as error:
                row.error.set_message(str(error))
                return False
        row.error.set_message(None)
        self.settings = Settings.load()
        fonts = dict(self.settings.print_fonts)
        if path:
            fonts[role] = str(Path(path))
        else:
            fonts.pop(role, None)
        self.settings.print_fonts = fonts
        self.settings.save()
        row.show_choice(fonts.get(role))
        self.refresh_fonts_in_use()
        return True

    def refresh_fonts_in_use(self) -> Op:
        """Find out which font each role really uses (reading font files takes a moment)."""
        for row in self.font_rows.values():
            row.in_use.setText(_("Checking the fonts…"))
        chosen = dict(self.settings.print_fonts)
        return (
            Op(self, lambda: load_fonts(chosen), uses_database=False)
            .success(self._show_fonts_in_use)
            .failure(self._fonts_failed)
            .run()
        )

    def _show_fonts_in_use(self, font_set: FontSet) -> None:
        self.font_set = font_set
        for role, row in self.font_rows.items():
            source = font_set.sources[role]
            row.in_use.setText(
                _("In use: {file} ({origin})").format(
                    file=source.path.name, origin=origin_text(source.origin)
                )
            )
        for role, path in self.settings.print_fonts.items():
            if role in self.font_rows and font_set.sources[role].origin != "user":
                self.font_rows[role].error.set_message(
                    _("The chosen file cannot be used: {path}").format(path=path)
                )

    def _fonts_failed(self, error: BaseException) -> None:
        for row in self.font_rows.values():
            row.in_use.setText("")
        message = str(error)
        first = next(iter(self.font_rows.values()))
        first.error.set_message(message)

    # ------------------------------------------------------------------ data

    def open_database_folder(self) -> None:
        path = database_path()
        if path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))
