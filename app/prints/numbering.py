"""Chinese sequence marks ("一、" "（一）" "1." "（1）"), without loading reportlab: duty lists
number their items on screen as well as in print."""

from __future__ import annotations


def chinese_numeral(number: int) -> str:
    """一, 二 … 十, 十一 … 九十九: the numerals of heading numbers."""
    digits = "零一二三四五六七八九"
    if not 0 < number < 100:
        return str(number)
    tens, ones = divmod(number, 10)
    if tens == 0:
        return digits[ones]
    head = "十" if tens == 1 else digits[tens] + "十"
    return head + (digits[ones] if ones else "")


def heading_number(level: int, number: int) -> str:
    """The GB/T 9704 sequence marks: "一、" "（一）" "1." "（1）"."""
    if level == 1:
        return f"{chinese_numeral(number)}、"
    if level == 2:
        return f"（{chinese_numeral(number)}）"
    if level == 3:
        return f"{number}."
    return f"（{number}）"
