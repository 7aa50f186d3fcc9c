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
