"""姓氏笔画 ordering (DOMAIN §6, CONTRACTS §1)."""

import itertools
import subprocess
import sys
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from huanjie.rules.names import COMPOUND_SURNAMES, sort_key, sort_names, split_name
from huanjie.rules.strokes import char_key, simplified, stroke_rank


def test_fewer_strokes_first():
    # 丁 2 strokes; 王 and 方 4 strokes each
    assert sort_names(["方明", "王明", "丁明"]) == ["丁明", "王明", "方明"]


def test_same_strokes_ordered_by_stroke_forms():
    # 王 一丨一一 (1121) before 方 丶一𠃌丿 (4153): 横 before 点
    assert stroke_rank("王") < stroke_rank("方")
    # 6 strokes each: 吕 251251 < 朱 311234 < 刘 413422
    assert sort_names(["刘", "朱", "吕"]) == ["吕", "朱", "刘"]
    assert sort_names(["刘伟", "朱伟", "吕伟"]) == ["吕伟", "朱伟", "刘伟"]


def test_one_character_given_name_before_two():
    assert sort_names(["王小明", "王芳"]) == ["王芳", "王小明"]
    # even when the two-character name has fewer strokes: 一一 vs 鑫 (24 strokes)
    assert sort_names(["王一一", "王鑫"]) == ["王鑫", "王一一"]
    # a surname alone comes before any given name
    assert sort_names(["王芳", "王"]) == ["王", "王芳"]


def test_given_name_character_by_character():
    assert sort_names(["王小红", "王小丁", "王丁红"]) == ["王丁红", "王小丁", "王小红"]


def test_surname_decides_before_given_name():
    assert sort_names(["王一", "丁鑫鑫"]) == ["丁鑫鑫", "王一"]


def test_compound_surname_counts_as_surname():
    assert split_name("欧阳娜娜") == ("欧阳", "娜娜")
    assert split_name("司马光") == ("司马", "光")
    assert split_name("王小明") == ("王", "小明")
    # a two-character name is surname + given name, even if it reads as a 复姓
    assert split_name("欧阳") == ("欧", "阳")
    # without the compound rule 欧阳娜 would be 欧 + 阳娜 and come first (阳 6 < 鑫 24)
    assert sort_names(["欧阳娜", "欧鑫鑫"]) == ["欧鑫鑫", "欧阳娜"]
    # 司马 (马 3 strokes) before 司徒 (徒 10)
    assert sort_names(["司徒雷", "司马光"]) == ["司马光", "司徒雷"]


def test_common_compound_surnames_are_known():
    assert {"欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "慕容"} <= COMPOUND_SURNAMES
    assert all(len(s) == 2 for s in COMPOUND_SURNAMES)
    assert "宗政" not in COMPOUND_SURNAMES


def test_traditional_characters_sort_as_simplified():
    assert simplified("劉") == "刘"
    assert stroke_rank("劉") == stroke_rank("刘")
    assert sort_names(["劉明", "朱明", "吕明"]) == ["吕明", "朱明", "劉明"]
    # a traditional compound surname is recognised too
    assert split_name("歐陽娜") == ("歐陽", "娜")
    # 乾 is a standard character of its own, not a form of 干
    assert simplified("乾") == "乾"
    assert sort_names(["乾明", "干明"]) == ["干明", "乾明"]


def test_same_simplified_form_falls_back_to_code_point():
    assert sort_names(["劉备", "刘备"]) == ["刘备", "劉备"]
    assert sort_names(["刘备", "劉备"]) == ["刘备", "劉备"]


def test_non_han_characters_sort_after_han_by_code_point():
    assert stroke_rank("A") is None
    assert stroke_rank("·") is None
    assert sort_names(["Alice", "龘", "Bob", "王芳"]) == ["王芳", "龘", "Alice", "Bob"]
    # an extension-B character unknown to the data comes after known ones
    assert char_key("𠀀") == (1, 0x20000)
    assert sort_names(["𠀀明", "龘明"]) == ["龘明", "𠀀明"]


def test_transliterated_names_do_not_crash():
    names = ["阿依古丽·买买提", "阿明", "买买提·艾力", "王芳", "Zhang San", "", "·"]
    result = sort_names(names)
    assert Counter(result) == Counter(names)
    assert result.index("阿明") < result.index("阿依古丽·买买提")
    assert result[0] == ""


def test_sorting_does_not_import_cn_sort_or_jieba():
    code = (
        "import sys; from huanjie.rules.names import sort_names; sort_names(['王', '劉']); "
        "print(sorted(m for m in ('jieba', 'cn_sort', 'django') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


class Tagged(str):
    """A name that remembers where it came from, to see identical names' order."""

    def __new__(cls, name: str, tag: int) -> "Tagged":
        obj = super().__new__(cls, name)
        obj.tag = tag
        return obj


def test_identical_names_keep_input_order():
    items = [Tagged("王芳", 1), Tagged("丁一", 2), Tagged("王芳", 3), Tagged("王芳", 4)]
    result = sort_names(items)
    assert [(n, n.tag) for n in result] == [("丁一", 2), ("王芳", 1), ("王芳", 3), ("王芳", 4)]


# Properties ---------------------------------------------------------------------------

ALPHABET = "丁王方吕朱刘劉欧阳歐陽司马徒娜小明一鑫乾干A·𠀀"
names = st.text(alphabet=ALPHABET, min_size=1, max_size=5)
name_lists = st.lists(names, max_size=12)


@given(name_lists)
def test_sort_is_a_permutation(items):
    assert Counter(sort_names(items)) == Counter(items)


@given(name_lists)
def test_sort_is_idempotent(items):
    once = sort_names(items)
    assert sort_names(once) == once


@given(st.lists(names, min_size=1, max_size=12), st.randoms())
def test_duplicates_keep_input_order(items, random):
    tagged = [Tagged(random.choice(items), i) for i in range(len(items) * 2)]
    result = sort_names(tagged)
    for name in set(items):
        tags = [n.tag for n in result if n == name]
        assert tags == sorted(tags)


@given(names, names)
def test_keys_are_equal_only_for_identical_names(a, b):
    # so that identical names keep their input order (sorted() is stable) and
    # distinct names never depend on it
    assert (sort_key(a) == sort_key(b)) == (a == b)


@given(st.lists(names, unique=True, max_size=12), st.randoms())
def test_order_does_not_depend_on_input_order(items, random):
    shuffled = list(items)
    random.shuffle(shuffled)
    assert sort_names(shuffled) == sort_names(items)


@given(name_lists)
def test_sorted_output_is_ordered_pairwise(items):
    result = sort_names(items)
    assert all(sort_key(a) <= sort_key(b) for a, b in itertools.pairwise(result))
