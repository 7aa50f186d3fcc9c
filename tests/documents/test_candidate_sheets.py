"""The candidates' introduction sheet and commitment letters: what is printed can be
read back from the PDF, nothing is cut off, and the pages carry their font."""

import io
import re
from datetime import date

import pypdf
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth

from huanjie.documents import fonts
from huanjie.documents.candidates import (
    LETTER_MARGIN,
    MARGIN,
    PLEDGES,
    Commitment,
    IntroCandidate,
    IntroSection,
    commitment_letters,
    introduction_sheet,
)

TITLE = "金茶村第十二届村民委员会成员正式候选人简介"
ISSUER = "金茶村村民选举委员会"
FACTS = (("性别", "男"), ("出生年月", "1980年5月"), ("文化程度", "大专"), ("政治面貌", "中共党员"))
FOOTER = re.compile(r"第\s*(\d+)\s*页\s*共\s*(\d+)\s*页")


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def _lines(pdf: bytes) -> list[list[tuple[float, float, float, str]]]:
    """Each page's lines as drawn: (x, baseline, font size, text), from where the PDF
    puts them rather than from what a text extractor makes of them."""
    pages = []
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        lines = {}

        def visit(text, cm, tm, font, size, lines=lines):
            if text.strip("\n"):
                key = (round(tm[4], 2), round(tm[5], 2), size)
                lines[key] = lines.get(key, "") + text.strip("\n")

        page.extract_text(visitor_text=visit)
        # pypdf may put a space before a line that does not start where the last one did.
        pages.append([(x, y, size, text.strip(" ")) for (x, y, size), text in lines.items()])
    return pages


def _outside(pdf: bytes, margin: float) -> list[str]:
    """The lines that stick out of the page less ``margin`` on every side."""
    width, height = A4
    return [
        text
        for page in _lines(pdf)
        for x, y, size, text in page
        if x < margin - 0.01
        or x + stringWidth(text, fonts.CJK, size) > width - margin + 0.01
        or not margin - 0.01 <= y <= height - margin
    ]


def _flat(text: str) -> str:
    """The text without spaces and line breaks, which wrapping puts where it likes."""
    return re.sub(r"\s+", "", text)


def _introduction(n: int, length: int = 300) -> str:
    """A text of ``length`` characters that says whose it is all along, so that a line
    lost anywhere in it is noticed."""
    text = "".join(f"候选人{n}的第{k}项工作，群众评价较好；" for k in range(100))
    return text[:length]


def _sheet(sections, **kwargs):
    arguments = {
        "title": TITLE,
        "sections": sections,
        "issuer": ISSUER,
        "issued_on": date(2026, 11, 21),
    }
    return introduction_sheet(**(arguments | kwargs))


def _many(count=30, per_section=10):
    """``count`` candidates with 300-character introductions, ``per_section`` to an
    office; names are 王甲1, 王甲2, … so that none is part of another."""
    return [
        IntroSection(
            f"委员候选人第{s + 1}组（{per_section}名）",
            [
                IntroCandidate(f"王甲{n}乙", FACTS, _introduction(n))
                for n in range(s * per_section + 1, (s + 1) * per_section + 1)
            ],
        )
        for s in range(count // per_section)
    ]


def test_headings_names_facts_issuer_and_date():
    sections = [
        IntroSection(
            "主任候选人（2名）",
            [
                IntroCandidate("王小明", FACTS, "长期从事村务工作。"),
                IntroCandidate(
                    "李华",
                    (("性别", "女"), ("出生年月", "1985年3月"), ("政治面貌", "群众")),
                    "现任村妇女主任。",
                ),
            ],
        ),
        IntroSection("委员候选人（4名）", [IntroCandidate("赵刚", FACTS, "退伍军人。")]),
    ]
    pdf = _sheet(sections)
    text = "".join(_pages(pdf))
    for expected in (TITLE, "主任候选人（2名）", "委员候选人（4名）", "王小明", "李华", "赵刚"):
        assert expected in text
    assert "性别：男\u3000\u3000出生年月：1980年5月\u3000\u3000文化程度：大专" in text
    assert "政治面貌：中共党员" in text and "出生年月：1985年3月" in text
    assert "现任村妇女主任。" in text and "退伍军人。" in text
    assert ISSUER in text and "2026年11月21日" in text
    assert pypdf.PdfReader(io.BytesIO(pdf)).metadata.title == TITLE


def test_candidates_are_printed_in_the_order_given():
    names = ["魏", "丁", "王", "马"]  # not in any order the module could impose
    section = IntroSection("委员候选人", [IntroCandidate(f"{n}一", (), "") for n in names])
    text = "".join(_pages(_sheet([section])))
    positions = [text.index(f"{n}一") for n in names]
    assert positions == sorted(positions)


def test_a_long_introduction_is_wrapped_to_the_page_and_printed_whole():
    introduction = _introduction(7)
    pdf = _sheet([IntroSection("主任候选人（1名）", [IntroCandidate("王七", FACTS, introduction)])])
    (page,) = _pages(pdf)
    assert introduction in _flat(page)
    assert len([line for line in page.split("\n") if "候选人7" in line]) > 5
    assert _outside(pdf, MARGIN) == []


def test_a_long_fact_is_wrapped_and_printed_whole():
    duty = "金茶村第十一届村民委员会委员兼妇女主任、村务监督委员会联络员、第三村民小组组长"
    facts = (("性别", "女"), ("现任职务", duty))
    pdf = _sheet([IntroSection("委员候选人", [IntroCandidate("李华", facts, "")])])
    assert f"性别：女现任职务：{duty}" in _flat("".join(_pages(pdf)))
    assert _outside(pdf, MARGIN) == []


def test_an_empty_introduction_is_said_to_be_missing():
    section = IntroSection(
        "委员候选人（3名）",
        [
            IntroCandidate("王一", FACTS, ""),
            IntroCandidate("王二", FACTS, "长期从事村务工作。"),
            IntroCandidate("王三", FACTS, " \n\u3000 "),
        ],
    )
    text = "".join(_pages(_sheet([section])))
    assert text.count("（暂无简介）") == 2
    first, second, third = (text.index(name) for name in ("王一", "王二", "王三"))
    assert "（暂无简介）" in text[first:second]
    assert "（暂无简介）" not in text[second:third]
    assert "（暂无简介）" in text[third:]


def test_many_candidates_run_over_pages_numbered_of_the_total():
    pages = _pages(_sheet(_many()))
    assert len(pages) > 3
    for number, page in enumerate(pages, 1):
        footers = FOOTER.findall(page)
        assert footers == [(str(number), str(len(pages)))], page[-80:]
    # With the footers out, an introduction cut by a page reads on across it.
    text = _flat("".join(FOOTER.sub("", page) for page in pages))
    positions = [text.index(f"王甲{n}乙") for n in range(1, 31)]
    assert positions == sorted(positions)
    for n in range(1, 31):
        assert _introduction(n) in text, n
    assert text.endswith(f"{ISSUER}2026年11月21日")


def test_no_page_ends_with_a_name_or_heading_cut_off_from_what_follows():
    pages = _pages(_sheet(_many()))
    assert _outside(_sheet(_many()), MARGIN) == []
    for page in pages[:-1]:
        lines = [line.strip() for line in FOOTER.sub("", page).split("\n") if line.strip()]
        last = lines[-1]
        assert not re.fullmatch(r"王甲\d+乙|委员候选人第\d组（10名）|性别：.*", last), last


def test_commitment_letters_one_page_each_with_name_and_every_pledge():
    offices = {"王小明": "主任", "李华": "委员", "赵刚": "委员"}
    letters = [
        Commitment(name, "金茶村", f"第十二届村民委员会{office}", PLEDGES, ISSUER)
        for name, office in offices.items()
    ]
    pdf = commitment_letters(letters)
    pages = _pages(pdf)
    assert len(pages) == 3
    numerals = "一二三四五六"
    for (name, office), page in zip(offices.items(), pages, strict=True):
        text = _flat(page)
        assert text.startswith("候选人承诺书")
        assert f"本人{name}，系金茶村第十二届村民委员会{office}候选人，郑重承诺：" in text
        for numeral, pledge in zip(numerals, PLEDGES, strict=False):
            assert f"{numeral}、{pledge}" in text
        assert "承诺人（签名）：＿＿＿＿＿＿" in text and "年月日" in text
        assert f"{ISSUER}印制" in text
        others = set(offices) - {name}
        assert not any(f"本人{other}" in text for other in others)
    assert pypdf.PdfReader(io.BytesIO(pdf)).metadata.title == "候选人承诺书"
    assert _outside(pdf, LETTER_MARGIN) == []
    # The signature comes after the last pledge, above the printer's line.
    lines = {text: y for x, y, size, text in _lines(pdf)[0]}
    signature = lines["承诺人（签名）：＿＿＿＿＿＿"]
    assert (
        lines[f"{ISSUER}印制"]
        < signature
        < min(y for text, y in lines.items() if text.endswith("法律责任。"))
    )


def test_many_pledges_are_numbered_on_and_still_keep_to_one_page():
    pledges = PLEDGES * 2
    letter = Commitment("王小明", "松雅社区", "第十二届社区居民委员会委员", pledges, ISSUER)
    pdf = commitment_letters([letter, letter], title="严守换届纪律承诺书")
    pages = _pages(pdf)
    assert len(pages) == 2
    assert _outside(pdf, LETTER_MARGIN) == []
    text = _flat(pages[0])
    assert text.startswith("严守换届纪律承诺书")
    for numeral, pledge in zip(
        ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"],
        pledges,
        strict=True,
    ):
        assert f"{numeral}、{pledge}" in text
    assert "承诺人（签名）" in text


def test_a_letter_that_cannot_fit_on_a_page_or_promises_nothing_is_refused():
    too_long = Commitment("王小明", "金茶村", "主任", ["遵守纪律。" * 200] * 10, ISSUER)
    with pytest.raises(ValueError, match="one page"):
        commitment_letters([too_long])
    with pytest.raises(ValueError, match="no pledges"):
        commitment_letters([Commitment("王小明", "金茶村", "主任", [], ISSUER)])


def test_the_pledges_cover_lawful_competition_and_the_discipline_of_the_election():
    assert 5 <= len(PLEDGES) <= 6
    assert all(p.endswith("。") for p in PLEDGES)
    text = "".join(PLEDGES)
    for subject in ("换届", "拉票贿选", "宗族", "黑恶势力", "如实提供", "服从选举结果"):
        assert subject in text


def _embedded(pdf: bytes) -> list[bool]:
    """For every font on every page, whether the PDF carries its outlines."""
    embedded = []
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object().get("/FontDescriptor")
                embedded.append(descriptor is not None and "/FontFile2" in descriptor.get_object())
    return embedded


@pytest.mark.parametrize(
    "pdf",
    [
        lambda: _sheet(_many()),
        lambda: commitment_letters(
            [Commitment("王小明", "金茶村", "第十二届村民委员会主任", PLEDGES, ISSUER)] * 2
        ),
    ],
    ids=["introduction sheet", "commitment letters"],
)
def test_every_font_is_embedded_and_none_is_helvetica(pdf):
    pdf = pdf()
    embedded = _embedded(pdf)
    assert embedded and all(embedded)
    assert b"Helvetica" not in pdf
