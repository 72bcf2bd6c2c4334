"""Settings: the general choices (language, print fonts, where the data is), data safety
(backups, restore, checks, the clerk's name) and the audit trail."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from app.i18n import _
from ui.pages.settings.general_tab import GeneralTab
from ui.widgets.cards import heading

TAB_GENERAL = "general"
TAB_DATA = "data"
TAB_AUDIT = "audit"


class SettingsPage(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        from ui.pages.settings.audit_tab import AuditTab
        from ui.pages.settings.data_tab import DataTab

        self.title_label = heading(_("Settings"), self)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.general = GeneralTab(self)
        self.data = DataTab(self)
        self.audit = AuditTab(self)
        self.tabs.addTab(self.general, _("General"))
        self.tabs.addTab(self.data, _("Data safety"))
        self.tabs.addTab(self.audit, _("Audit trail"))
        self._keys = {TAB_GENERAL: self.general, TAB_DATA: self.data, TAB_AUDIT: self.audit}
        # The trail is read when its tab is first shown, and again each time after that.
        self.tabs.currentChanged.connect(self._tab_shown)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.setSpacing(6)
        layout.addWidget(self.title_label)
        layout.addWidget(self.tabs, 1)

    def show_tab(self, key: str) -> QWidget:
        tab = self._keys[key]
        self.tabs.setCurrentWidget(tab)
        return tab

    def _tab_shown(self, _index: int) -> None:
        current = self.tabs.currentWidget()
        if current is self.audit:
            self.audit.reload()
        elif current is self.data:
            self.data.refresh()
