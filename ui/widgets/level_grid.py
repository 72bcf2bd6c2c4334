"""The pieces of the who-answers-for-what grid: the frozen area column beside it, the list of
levels a cell is edited with, and a level's colour swatch."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QIcon, QKeyEvent, QPainter, QPixmap, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHeaderView,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from app.i18n import _
from app.responsibility.assignments import AREA_KINDS
from app.responsibility.levels import Level
from ui.models.grid_model import (
    AREA_COL_KIND,
    AREA_COL_NAME,
    LEVEL_ROLE,
    AreaListModel,
    kind_tag,
    level_colours,
)


def swatch(level: Level, size: int = 12) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(level_colours(level)[0])
    painter = QPainter(pixmap)
    painter.setPen(level_colours(level)[1])
    painter.drawRect(0, 0, size - 1, size - 1)
    painter.end()
    return QIcon(pixmap)


class AreaTable(QTableView):
    """The areas (kind, name) beside the grid, scrolling up and down with it but never
    sideways: a frozen first column.  Two plain views, so that nothing paints in Python."""

    def __init__(self, grid: QTableView, model: AreaListModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.grid = grid
        self.setModel(model)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.horizontalHeader().setHighlightSections(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.horizontalHeader().setStretchLastSection(True)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(grid.verticalHeader().defaultSectionSize())
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        # One vertical position for both; the grid's scroll bar is the one shown.
        mine, theirs = self.verticalScrollBar(), grid.verticalScrollBar()
        theirs.valueChanged.connect(mine.setValue)
        mine.valueChanged.connect(theirs.setValue)
        theirs.rangeChanged.connect(lambda _low, _high: self._follow_scroll_bars())
        grid.horizontalScrollBar().rangeChanged.connect(
            lambda _low, _high: self._follow_scroll_bars()
        )
        model.modelReset.connect(self.fit_width)
        self.fit_width()

    def fit_width(self) -> None:
        """As wide as the longest name (every one: a few hundred, cheap), and the kinds."""
        model = self.model()
        metrics = self.fontMetrics()
        kinds = max(metrics.horizontalAdvance(kind_tag(kind)) for kind in AREA_KINDS) + 16
        names = max(
            (
                metrics.horizontalAdvance(model.index(row, AREA_COL_NAME).data() or "")
                for row in range(model.rowCount())
            ),
            default=80,
        )
        names = min(max(names + 16, 120), 360)
        self.horizontalHeader().resizeSection(AREA_COL_KIND, kinds)
        self.setFixedWidth(kinds + names + 2 * self.frameWidth())

    def _follow_scroll_bars(self) -> None:
        # With a scroll bar under the grid, the areas must end as high up: the same bar here
        # (empty) keeps the two viewports the same height.
        shown = self.grid.horizontalScrollBar().maximum() > 0
        self.setHorizontalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAlwaysOn if shown else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        )
        self.verticalScrollBar().setValue(self.grid.verticalScrollBar().value())

    def wheelEvent(self, event: QWheelEvent) -> None:
        QApplication.sendEvent(self.grid.viewport(), event)


class LevelCombo(QComboBox):
    """The cell editor: "none" and the five levels; 1–5 pick a level, 0 or Del none."""

    chosen = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.addItem(_("— none —"), None)
        for level in Level:
            self.addItem(swatch(level), f"{level.rank + 1}  {level.label}", level.value)
        self._decided = False
        self.activated.connect(lambda _index: self._choose())

    def set_level(self, level: Level | str | None) -> None:
        # Through Qt a Level arrives as its plain string value.
        self.setCurrentIndex(self.findData(Level(level).value if level else None))

    def level(self) -> Level | None:
        value = self.currentData()
        return Level(value) if value else None

    def _choose(self) -> None:
        self._decided = True
        self.chosen.emit()

    def open_list(self) -> None:
        """Show the list at once (after a double-click or F2), unless a key decided already."""
        if not self._decided and self.isVisible():
            self.showPopup()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if Qt.Key.Key_1 <= key <= Qt.Key.Key_5:
            self.setCurrentIndex(key - Qt.Key.Key_1 + 1)
            self._choose()
            return
        if key in (Qt.Key.Key_0, Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.setCurrentIndex(0)
            self._choose()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._choose()
            return
        super().keyPressEvent(event)


class LevelDelegate(QStyledItemDelegate):
    """Edits a cell with a LevelCombo; choosing writes at once."""

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        combo = LevelCombo(parent)
        combo.chosen.connect(lambda: self._commit(combo))

        def open_list() -> None:
            if shiboken6.isValid(combo):  # closed already by a key typed into it
                combo.open_list()

        QTimer.singleShot(0, open_list)
        return combo

    def _commit(self, combo: LevelCombo) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, LevelCombo)
        editor.set_level(index.data(LEVEL_ROLE))

    def setModelData(
        self,
        editor: QWidget,
        model: QAbstractItemModel,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        assert isinstance(editor, LevelCombo)
        if editor.level() != index.data(LEVEL_ROLE):
            model.setData(index, editor.level(), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(
        self,
        editor: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        # The list of levels is wider than a cell: the editor grows to the right.
        rect = QRect(option.rect)
        rect.setWidth(max(rect.width(), editor.sizeHint().width()))
        editor.setGeometry(rect)
