"""The stroke order of single characters, for 姓氏笔画 ordering (DOMAIN §6, CONTRACTS §1).

Candidates on a ballot are listed by the strokes of their names: fewer strokes first,
and among characters with as many strokes, by their stroke forms 横 竖 撇 点 折 in
writing order (the GB 13418 convention). We do not keep our own stroke table. The
package cn-sort (MIT) ships ``cn_sort/res/all_word.json`` whose entries carry
``stroke_increment_level``: a dense rank of 20,897 characters by exactly that order.
Only the data file is read, found through the package's import spec. Importing the
package would load numpy and pypinyin, reconfigure logging for the whole process (which
silences the web application's loggers) and create ``all.log`` and ``error.log`` in the
current directory; ``importlib.resources.files("cn_sort")`` imports it too, so it is
not used either.

Characters are compared by their standard simplified form (通用规范汉字表), so that
劉 sorts as 刘: a name typed in traditional characters lands where the printed ballot
in simplified characters puts it. Characters the data does not know (rare characters,
Latin letters, the middle dot of transliterated names) sort after every known
character, by code point, so any name can be sorted.
"""

import importlib.util
import json
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

#: Characters that OpenCC's t2s table maps to another character although they are
#: standard characters themselves: 乾 (乾坤, and a surname) is kept apart from 干 by the
#: 通用规范汉字表, but a character-by-character conversion turns it into 干.
_ALREADY_STANDARD = frozenset("乾")


@cache
def _ranks() -> dict[str, int]:
    """char → rank, read once. ASCII entries of the file are left out: they are not
    Chinese characters and must sort after them (DOMAIN §6)."""
    spec = importlib.util.find_spec("cn_sort")  # finds the package without running it
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the cn-sort package (stroke order data) is not installed")
    path = Path(spec.submodule_search_locations[0], "res", "all_word.json")
    data = path.read_text("utf-8")
    ranks: dict[str, int] = {}
    for entry in json.loads(data)["all_word"]:
        char = entry["chinese"]
        if len(char) == 1 and unicodedata.name(char, "").startswith("CJK"):
            # A character with several readings appears once per reading, same rank.
            ranks[char] = entry["stroke_increment_level"]
    return ranks


@cache
def _converter() -> Any:  # opencc ships no type information
    from opencc import OpenCC

    return OpenCC("t2s")


@cache
def simplified(char: str) -> str:
    """The standard simplified form of one character (itself when already simplified).

    Conversion goes one character at a time: a name is not a phrase, and phrase tables
    would change a surname according to the given name that follows it.
    """
    if char in _ALREADY_STANDARD or char.isascii():
        return char
    converted = _converter().convert(char)
    return converted if len(converted) == 1 else char


def stroke_rank(char: str) -> int | None:
    """The position of ``char`` in stroke order, or None when the data does not know it.

    Traditional characters are ranked as their simplified form.
    """
    return _ranks().get(simplified(char))


def char_key(char: str) -> tuple[int, int]:
    """A sort key for one character: known characters by stroke rank, then the rest by
    code point."""
    rank = stroke_rank(char)
    return (0, rank) if rank is not None else (1, ord(char))
