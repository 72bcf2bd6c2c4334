"""Translations: Chinese is complete and keeps every {field}; the catalogs match the code."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app import i18n
from app.roster.roles import GroupRole

ROOT = Path(__file__).resolve().parents[1]
FIELD = re.compile(r"\{(\w*)[^}]*\}")


def catalog(language: str):
    with open(ROOT / "i18n" / language / "LC_MESSAGES" / "messages.po", "rb") as fp:
        return read_po(fp, locale=language)


def test_every_message_in_the_code_is_in_the_catalog_template(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "i18n/babel.cfg",
            "-k",
            "N_",
            "-o",
            str(fresh),
            "app",
            "ui",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with open(fresh, "rb") as fp:
        in_code = {m.id for m in read_po(fp) if m.id}
    translated = {m.id for m in catalog("zh_CN") if m.id and m.string}
    missing = sorted(in_code - translated, key=str)
    assert not missing, f"{len(missing)} messages lack a Chinese translation: {missing[:10]}"


def test_translations_keep_the_same_fields() -> None:
    for message in catalog("zh_CN"):
        if not message.id or not message.string:
            continue
        source = message.id if isinstance(message.id, str) else message.id[0]
        target = message.string if isinstance(message.string, str) else message.string[0]
        assert sorted(FIELD.findall(source)) == sorted(FIELD.findall(target)), source


def test_chinese_is_the_default_and_english_is_available() -> None:
    try:
        assert i18n.set_language(None) == "zh_CN"
        assert GroupRole.LEADER.label == "组长"
        assert i18n.format_date(dt.date(2026, 11, 23)) == "2026年11月23日"
        assert i18n.set_language("en") == "en"
        assert GroupRole.LEADER.label == "Group leader"
        assert i18n.format_date(dt.date(2026, 11, 23)) == "November 23, 2026"
        assert i18n.format_date_chinese(dt.date(2026, 11, 23)) == "2026年11月23日"
    finally:
        i18n.set_language("zh_CN")


@pytest.mark.parametrize("language", ["xx", "", None])
def test_unknown_language_falls_back_to_chinese(language: str | None) -> None:
    assert i18n.set_language(language) == "zh_CN"


def test_command_line_usage_errors_speak_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import main

    i18n.set_language("zh_CN")
    with pytest.raises(SystemExit) as caught:
        main(["roster", "list", "--as-of", "2026-02-30"])
    assert caught.value.code != 0
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "参数" in err and "argument" not in err
    with pytest.raises(SystemExit):
        main(["roster"])
    err = capsys.readouterr().err
    assert "缺少以下参数" in err and "required" not in err
