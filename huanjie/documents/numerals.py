"""Numbers as official Chinese documents write them."""

from fractions import Fraction

__all__ = ["item_number", "percent"]

_DIGITS = "一二三四五六七八九"


def item_number(n: int) -> str:
    """一, 二, … 十, 十一, … 九十九: how official documents number their items (and
    how groups are named: 第十二居民小组)."""
    if not 1 <= n <= 99:
        raise ValueError(f"No Chinese item number for {n}.")
    tens, units = divmod(n, 10)
    head = "" if tens == 0 else "十" if tens == 1 else _DIGITS[tens - 1] + "十"
    return head + (_DIGITS[units - 1] if units else "")


def percent(rate: Fraction | None) -> str:
    """A rate as the reports write it, to one decimal (参选率 97.3%); "—" where there
    is nothing to divide by."""
    return "—" if rate is None else f"{float(rate) * 100:.1f}%"
