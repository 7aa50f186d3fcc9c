"""Personal names and their 姓氏笔画 order (DOMAIN §6, CONTRACTS §1).

Ballots, candidate lists and notices list people by the strokes of their names:

1. the surname first, character by character in stroke order (:mod:`.strokes`); a
   recognised two-character compound surname (欧阳, 司马, …) is the surname;
2. then a one-character given name before a two-character one (shorter first);
3. then the given name, character by character, the same way.

Identical names keep their input order, so a sort never reorders two people called
王芳 and the staff's own order between them survives. Distinct names that compare equal
under these rules (劉芳 and 刘芳 have the same simplified form) fall back to code point
order, so that the result does not depend on the order of the input.
"""

from collections.abc import Iterable

from huanjie.rules.strokes import char_key, simplified, stroke_rank

__all__ = ["COMPOUND_SURNAMES", "sort_key", "sort_names", "split_name", "stroke_rank"]

#: Two-character surnames recognised as one surname (复姓). These are the compound
#: surnames of the 百家姓 still found today, plus 独孤. Left out on purpose: 段干 and 宗政,
#: because 段 and 宗 are common single surnames and 干/政 common first characters of
#: given names, so 宗政明 is far more likely 宗 + 政明 than a compound surname.
COMPOUND_SURNAMES: frozenset[str] = frozenset(
    """
    欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 钟离
    澹台 公冶 太史 申屠 闻人 端木 南宫 独孤 百里 呼延 西门 万俟 单于 淳于 濮阳 鲜于
    第五 拓跋 赫连 东郭 左丘 司空 亓官 仲孙 宰父 谷梁 巫马 公西 漆雕 壤驷 公良 乐正
    子车 颛孙 梁丘 公羊 闾丘 司寇 太叔 夹谷 南门 东门 归海 羊舌 微生
    """.split()
)

Key = tuple[tuple[tuple[int, int], ...], int, tuple[tuple[int, int], ...], str]


def split_name(name: str) -> tuple[str, str]:
    """(surname, given name) of a name, as written.

    A compound surname is recognised in traditional characters too (歐陽 is 欧阳), but
    only when a given name follows: a two-character name 欧阳 is 欧 + 阳. Any other name
    has a one-character surname. Transliterated names (阿依古丽·买买提) have no such
    split in Chinese usage; they are treated the same way, which lists them by their
    first character as printed notices do.
    """
    if len(name) > 2 and "".join(simplified(c) for c in name[:2]) in COMPOUND_SURNAMES:
        return name[:2], name[2:]
    return name[:1], name[1:]


def sort_key(name: str) -> Key:
    """The key that puts names in 姓氏笔画 order (CONTRACTS §1)."""
    surname, given = split_name(name)
    return (
        tuple(char_key(c) for c in surname),
        len(given),
        tuple(char_key(c) for c in given),
        name,
    )


def sort_names(names: Iterable[str]) -> list[str]:
    """The names in 姓氏笔画 order; identical names keep their input order."""
    return sorted(names, key=sort_key)
