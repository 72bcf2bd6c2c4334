"""Translations and locale formatting for the core (babel/gettext).

Message ids are English; zh_CN is the default language.  Strings carry named fields only
(``_("Row {row}: …").format(row=3)``) so that translators can reorder them and a check can
verify every translation keeps the same fields.  Catalogs live in i18n/<lang>/LC_MESSAGES/;
a compiled .mo is used when present, otherwise the .po is compiled in memory at start-up.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gettext
import hashlib
import io
import os
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_cache_dir

from app.fileio import write_bytes_atomic
from app.paths import i18n_path

if TYPE_CHECKING:
    from babel import Locale

# babel is imported where it is used: start-up of the GUI needs none of it.

DEFAULT_LANGUAGE = "zh_CN"
LANGUAGES = ("zh_CN", "en")
DOMAIN = "messages"

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now (module-level constants)."""
    return message


@cache
def _load_catalog(language: str, domain: str = DOMAIN) -> gettext.NullTranslations:
    folder = i18n_path(language, "LC_MESSAGES")
    po_file = folder / f"{domain}.po"
    mo_file = folder / f"{domain}.mo"
    if mo_file.is_file() and (
        not po_file.is_file() or mo_file.stat().st_mtime >= po_file.stat().st_mtime
    ):
        return gettext.GNUTranslations(io.BytesIO(mo_file.read_bytes()))
    if po_file.is_file():
        return gettext.GNUTranslations(io.BytesIO(_compiled_po(po_file, language)))
    return gettext.NullTranslations()


def _compiled_po(po_file: Path, language: str) -> bytes:
    """The .po compiled to .mo bytes; kept in the user's cache folder between runs.

    Installed builds ship compiled .mo files; a source checkout has only the .po, and
    parsing it costs tens of milliseconds at every start without this cache.
    """
    stat = po_file.stat()
    key = hashlib.sha256(f"{po_file}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()
    cached = (
        Path(user_cache_dir("SafeDuty", appauthor=False))
        / f"{po_file.stem}-{language}-{key[:16]}.mo"
    )
    with contextlib.suppress(OSError):
        return cached.read_bytes()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_file.open("rb") as fp:
        catalog = read_po(fp, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    data = buffer.getvalue()
    # A read-only or full cache folder only costs the next start a few milliseconds.
    with contextlib.suppress(OSError):
        cached.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(cached, data)
    return data


def set_language(language: str | None) -> str:
    """Switch the core's language; unknown codes fall back to the default. Returns the code used."""
    global _translations, _language
    code = language if language in LANGUAGES else DEFAULT_LANGUAGE
    _translations = _load_catalog(code)
    _language = code
    return code


def library_catalog(domain: str) -> gettext.NullTranslations:
    """The current language's translations of a library's own messages (argparse)."""
    return _load_catalog(_language, domain)


def current_language() -> str:
    return _language


def _(message: str) -> str:
    return _translations.gettext(message)


def pgettext(context: str, message: str) -> str:
    return _translations.pgettext(context, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations.ngettext(singular, plural, n)


def babel_locale() -> Locale:
    from babel import Locale

    return Locale.parse(_language)


def format_date(value: dt.date) -> str:
    """A date as people write it: 2026年11月23日 in Chinese, November 23, 2026 in English."""
    from babel.dates import format_date as babel_format_date

    return babel_format_date(value, format="long", locale=babel_locale())


def format_date_chinese(value: dt.date) -> str:
    """The 成文日期 form of official documents, whatever the interface language."""
    from babel.dates import format_date as babel_format_date

    return babel_format_date(value, format="long", locale="zh_CN")


def language_from_environment(configured: str | None) -> str:
    """SAFEDUTY_LANG overrides the saved setting (useful for scripts and tests)."""
    return os.environ.get("SAFEDUTY_LANG") or configured or DEFAULT_LANGUAGE


set_language(DEFAULT_LANGUAGE)


def sentence(text: str) -> str:
    """``text`` ending as a sentence does in the language in use ("。" or "."), so that a
    reason from elsewhere can stand before the next sentence of a message."""
    text = text.rstrip()
    if not text or text[-1] in ".。!！?？":
        return text
    return text + ("。" if current_language().startswith("zh") else ".")


def join_names(names: Sequence[str]) -> str:
    """Names in a row: "甲、乙、丙" in Chinese, "a, b, c" in English."""
    return ("、" if current_language().startswith("zh") else ", ").join(names)
