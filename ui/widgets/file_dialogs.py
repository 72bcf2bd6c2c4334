"""Choosing a spreadsheet to import or a file to export to, the same on every page.

The folder last used is remembered per kind (imports, exports); a name typed without a
suffix gets the one of the filter chosen, so "名册" becomes "名册.xlsx" or "名册.csv".
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from app.i18n import _
from ui.state import last_folder, remember_folder

EXCEL_SUFFIX = ".xlsx"
CSV_SUFFIX = ".csv"


def spreadsheet_filters() -> dict[str, str]:
    return {
        "both": _("Spreadsheets (*.xlsx *.csv)"),
        "excel": _("Excel workbooks (*.xlsx)"),
        "csv": _("CSV files (*.csv)"),
    }


def ask_spreadsheet_to_open(parent: QWidget, title: str) -> Path | None:
    filters = spreadsheet_filters()
    chosen, _filter = QFileDialog.getOpenFileName(
        parent,
        title,
        last_folder("import"),
        ";;".join((filters["both"], filters["excel"], filters["csv"])),
    )
    if not chosen:
        return None
    path = Path(chosen)
    remember_folder("import", path)
    return path


def ask_spreadsheet_to_save(parent: QWidget, title: str, suggested_name: str) -> Path | None:
    filters = spreadsheet_filters()
    chosen, selected = QFileDialog.getSaveFileName(
        parent,
        title,
        str(Path(last_folder("export")) / suggested_name),
        ";;".join((filters["excel"], filters["csv"])),
    )
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() not in (EXCEL_SUFFIX, CSV_SUFFIX):
        suffix = CSV_SUFFIX if selected == filters["csv"] else EXCEL_SUFFIX
        path = path.with_name(path.name + suffix)
    remember_folder("export", path)
    return path
