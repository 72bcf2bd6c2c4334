"""Cleaning cell text: padded names, pasted whitespace, several titles in one cell, headers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.io.text import (
    header_key,
    is_cjk,
    join_titles,
    normalize_cell,
    normalize_name,
    split_titles,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("闫  旻", "闫旻"),
        ("闫\u3000旻", "闫旻"),  # ideographic (full-width) space
        (" 闫旻 ", "闫旻"),
        ("闫\u00a0旻", "闫旻"),  # non-breaking space
        ("闫\u200b旻", "闫旻"),  # zero-width space pasted from a chat program
        ("\u3000\u3000闫 \t旻\n", "闫旻"),
        ("欧阳  中石", "欧阳中石"),
        ("John  Smith", "John Smith"),
        (" John\u3000Smith ", "John Smith"),
        ("阿卜杜·热合曼", "阿卜杜·热合曼"),
        ("阿卜杜 · 热合曼", "阿卜杜·热合曼"),
        ("阿卜杜•热合曼", "阿卜杜·热合曼"),  # the dot an input method offered
        ("阿卜杜・热合曼", "阿卜杜·热合曼"),
        ("𬌗  𠀀", "𬌗𠀀"),  # characters outside the Basic Multilingual Plane
        ("王 A", "王 A"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_normalize_name(raw: str, expected: str) -> None:
    assert normalize_name(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  镇党委书记 ", "镇党委书记"),
        ("镇党委\u3000\u3000书记", "镇党委 书记"),
        ("a \t\u00a0 b", "a b"),
        ("组织委员\r\n常青村党总支书记", "组织委员\n常青村党总支书记"),
        ("组织委员 \n\n \n 主任\n", "组织委员\n主任"),
        ("x\u2028y", "x\ny"),
        ("a\x01b\x7f", "ab"),
        ("\ufeff标题", "标题"),
        ("", ""),
    ],
)
def test_normalize_cell(raw: str, expected: str) -> None:
    assert normalize_cell(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("组织委员、常青村党总支书记、主任", ["组织委员", "常青村党总支书记", "主任"]),
        ("组织委员，主任", ["组织委员", "主任"]),
        ("组织委员,主任;副镇长；派出所所长", ["组织委员", "主任", "副镇长", "派出所所长"]),
        ("组织委员\n主任\r\n副镇长", ["组织委员", "主任", "副镇长"]),
        ("安全员/网格员／信息员", ["安全员", "网格员", "信息员"]),
        ("组织委员、、 主任 、", ["组织委员", "主任"]),
        ("主任、组织委员、主任", ["主任", "组织委员"]),
        ("副镇长（分管农业、林业）、主任", ["副镇长（分管农业、林业）", "主任"]),
        ("副镇长(分管农业,林业)", ["副镇长(分管农业,林业)"]),
        ("镇长。", ["镇长"]),
        ("镇党委\u3000\u3000书记", ["镇党委 书记"]),
        ("", []),
        (" 、 ", []),
    ],
)
def test_split_titles(raw: str, expected: list[str]) -> None:
    assert split_titles(raw) == expected


def test_join_titles_uses_the_chinese_enumeration_comma() -> None:
    assert join_titles(["组织委员", " 主任 ", ""]) == "组织委员、主任"
    assert join_titles([]) == ""


@pytest.mark.parametrize(
    "variant",
    [
        "姓名",
        "姓  名",
        "姓\u3000名",
        "姓名：",
        "姓名:",
        "*姓名",
        "＊姓名",
        "姓\n名",
        "姓名（必填）",
        "姓名(必填)：",
        " 姓名 ",
    ],
)
def test_header_key_ignores_spacing_width_and_marks(variant: str) -> None:
    assert header_key(variant) == header_key("姓名") == "姓名"


def test_header_key_folds_width_and_case() -> None:
    assert header_key("ＮＯ．") == header_key("no.") == header_key("No.")
    assert header_key("联系电话") != header_key("电话")


def test_is_cjk() -> None:
    assert all(is_cjk(char) for char in "闫旻〇々𬌗")
    assert not any(is_cjk(char) for char in "a1·、 ")


# ---------------------------------------------------------------------------- properties

_name_chars = st.sampled_from([*"闫旻王李阿卜杜热合曼JohnSmith·•", " ", "\u3000", "\t"])


@given(st.text(_name_chars, max_size=20))
def test_normalize_name_is_idempotent_and_trimmed(raw: str) -> None:
    once = normalize_name(raw)
    assert normalize_name(once) == once
    assert once == once.strip()
    assert "  " not in once and "\u3000" not in once


@given(st.text(max_size=40))
def test_normalize_cell_is_idempotent(raw: str) -> None:
    once = normalize_cell(raw)
    assert normalize_cell(once) == once
    assert once == once.strip()


_title = st.text(st.sampled_from(list("镇党委书记副长主任安全员村")), min_size=1, max_size=6)


@given(st.lists(_title, max_size=6))
def test_split_titles_inverts_join_titles(titles: list[str]) -> None:
    unique = list(dict.fromkeys(titles))
    assert split_titles(join_titles(titles)) == unique
