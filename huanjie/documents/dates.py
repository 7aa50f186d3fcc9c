"""Dates as printed documents write them.

Notices and certificates date themselves the way official Chinese documents do
(GB/T 9704: Arabic numerals, no leading zeros): 2026年11月21日.
"""

from datetime import date

__all__ = ["chinese_date"]


def chinese_date(d: date) -> str:
    """``2026年11月21日`` for ``date(2026, 11, 21)``."""
    return f"{d.year}年{d.month}月{d.day}日"
