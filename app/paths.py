"""Where the program finds the files it ships (fonts, translations, demo data)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def _data_root(name: str) -> Path:
    # An installed wheel carries resources/ and i18n/ inside the package (see pyproject.toml);
    # a source checkout or an editable install has them at the top of the repository.
    bundled = _PACKAGE_DIR / "_data" / name
    if bundled.is_dir():
        return bundled
    return _PACKAGE_DIR.parent / name


def resource_path(*parts: str) -> Path:
    """A path inside resources/ (fonts, icons, templates, demo data)."""
    return _data_root("resources").joinpath(*parts)


def i18n_path(*parts: str) -> Path:
    """A path inside i18n/ (babel catalogs)."""
    return _data_root("i18n").joinpath(*parts)
