"""Chinese text wraps by width, losing nothing."""

from hypothesis import given
from hypothesis import strategies as st
from reportlab.pdfbase.pdfmetrics import stringWidth

from huanjie.documents.dates import chinese_date
from huanjie.documents.fonts import CJK, register
from huanjie.documents.wrapping import wrap

register()

TEXT = (
    "根据《中华人民共和国村民委员会组织法》和省实施办法的规定，"
    "现将本村选民名单公布如下，共计1234人。"
)


def test_lines_fit_and_nothing_is_lost():
    lines = wrap(TEXT, CJK, 15, 200)
    assert len(lines) > 1
    assert all(stringWidth(line, CJK, 15) <= 200 for line in lines)
    assert "".join(lines) == TEXT


@given(st.text(alphabet="王李张选民名单公告，。1234567890（）", min_size=1, max_size=200))
def test_any_text_wraps_without_loss(text):
    lines = wrap(text, CJK, 12, 120)
    assert "".join(lines) == text
    assert all(stringWidth(line, CJK, 12) <= 120 for line in lines)


def test_chinese_date():
    from datetime import date

    assert chinese_date(date(2026, 1, 5)) == "2026年1月5日"


def test_a_run_of_digits_is_not_cut():
    # At this width a character-by-character break would cut through 430**********1234.
    text = "王小明的公民身份号码为430**********1234，已登记。"
    lines = wrap(text, CJK, 12, 150)
    assert len(lines) > 1
    assert any("430**********1234" in line for line in lines)
    assert "".join(lines) == text


# Text as it is written: characters, each followed by at most two closing marks. (A run
# of closing marks wider than the whole line has to be cut, and may start a line.)
_MARKS = ["", "，", "。", "、", "）。", "》，"]
_WRITTEN = st.lists(
    st.tuples(st.sampled_from("选民名单公告"), st.sampled_from(_MARKS)),
    min_size=1,
    max_size=60,
).map(lambda pairs: "".join(c + p for c, p in pairs))


@given(_WRITTEN)
def test_no_line_starts_with_closing_punctuation(text):
    lines = wrap(text, CJK, 12, 60)
    assert "".join(lines) == text
    assert not any(line[:1] in "，。、）》" for line in lines)


def test_a_newline_breaks_the_line():
    assert wrap("第一段\n\n第三段", CJK, 12, 500) == ["第一段", "", "第三段"]
