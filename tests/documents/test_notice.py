"""The poster notice: what is printed can be read back from the PDF."""

import io
import re
from datetime import date

import pypdf
import pytest

from huanjie.documents.notice import Section, list_notice

COLUMNS = ("编号", "姓名", "性别", "公民身份号码", "类别")


def _text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def _notice(rows_per_section=(3,), **kwargs):
    sections = [
        Section(
            f"第{n + 1}村民小组（共 {count} 人）",
            [
                (str(i + 1), f"王{n}明{i}", "男", f"430**********{i:04d}", "户在人在")
                for i in range(count)
            ],
        )
        for n, count in enumerate(rows_per_section)
    ]
    arguments = {
        "title": "金茶村选民名单公告",
        "preamble": "根据《中华人民共和国村民委员会组织法》，现将本村选民名单公布如下。",
        "sections": sections,
        "closing": "对选民名单有不同意见的，可以在名单公布之日起五日内向村民选举委员会申诉。",
        "issuer": "金茶村村民选举委员会",
        "issued_on": date(2026, 11, 21),
        "columns": COLUMNS,
    }
    return list_notice(**(arguments | kwargs))


def test_names_masked_numbers_headings_and_the_chinese_date():
    pages = _text(_notice((3, 2)))
    text = "".join(pages)
    for expected in ("金茶村选民名单公告", "第1村民小组（共 3 人）", "第2村民小组（共 2 人）"):
        assert expected in text
    assert "王0明2" in text and "王1明1" in text
    assert "430**********0002" in text
    assert "金茶村村民选举委员会" in text and "2026年11月21日" in text
    assert "五日内" in text


def test_a_long_list_runs_over_pages_numbered_of_the_total():
    pages = _text(_notice((500,)))
    assert len(pages) > 1
    for number, page in enumerate(pages, 1):
        assert re.search(rf"第\s*{number}\s*页\s*共\s*{len(pages)}\s*页", page), page[-80:]
    text = "".join(pages)
    assert all(f"王0明{i}" in text for i in range(500))


def test_each_block_has_the_column_header_and_a_cut_section_is_headed_again():
    pages = _text(_notice((500,)))
    # The first page sets its rows in several column-blocks, each under the header.
    assert pages[0].count("公民身份号码") > 1
    assert "第1村民小组（共 500 人）（续）" in pages[1]


def test_a_row_with_the_wrong_number_of_cells_is_refused():
    with pytest.raises(ValueError, match="cells"):
        list_notice(
            title="t",
            preamble="p",
            sections=[Section("h", [("1", "王")])],
            closing="c",
            issuer="i",
            issued_on=date(2026, 1, 1),
            columns=COLUMNS,
        )


def test_the_font_is_embedded():
    reader = pypdf.PdfReader(io.BytesIO(_notice()))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    embedded = []
    for ref in fonts.values():  # every font, none left to the reader's machine
        font = ref.get_object()
        for descendant in font.get("/DescendantFonts", [font]):
            descriptor = descendant.get_object().get("/FontDescriptor")
            embedded.append(descriptor is not None and "/FontFile2" in descriptor.get_object())
    assert embedded and all(embedded)
