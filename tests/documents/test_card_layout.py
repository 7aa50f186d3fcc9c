"""Voter cards: eight to a page, each with its voter's name and number."""

import io
from datetime import date

import pypdf

from huanjie.documents.cards import PER_PAGE, Card, voter_cards


def _cards(n):
    return [Card(f"李华{i}", f"201-{i:04d}", "金茶村", "第一村民小组投票站") for i in range(n)]


def _pdf(cards):
    return voter_cards(
        cards,
        election_day=date(2026, 12, 20),
        issuer="金茶村村民选举委员会",
        issued_on=date(2026, 11, 21),
    )


def test_every_card_has_its_name_and_number():
    reader = pypdf.PdfReader(io.BytesIO(_pdf(_cards(17))))
    assert PER_PAGE == 8 and len(reader.pages) == 3
    text = "".join(page.extract_text() for page in reader.pages)
    for i in range(17):
        assert f"李华{i}" in text and f"201-{i:04d}" in text
    assert text.count("选民证") == 17
    assert "2026年12月20日" in text and "金茶村村民选举委员会" in text


def test_the_first_page_holds_the_first_eight():
    first = pypdf.PdfReader(io.BytesIO(_pdf(_cards(9)))).pages[0].extract_text()
    assert "201-0007" in first and "201-0008" not in first


def test_a_long_station_name_still_prints_whole():
    card = Card("王小明", "201-0001", "金茶村", "第十二村民小组（原青山村）投票站暨流动票箱")
    text = pypdf.PdfReader(io.BytesIO(_pdf([card]))).pages[0].extract_text()
    assert "第十二村民小组（原青山村）投票站暨流动票箱" in text.replace("\n", "")


def test_the_font_is_embedded_in_the_cards():
    page = pypdf.PdfReader(io.BytesIO(_pdf(_cards(1)))).pages[0]
    descriptors = [
        font.get_object()["/FontDescriptor"].get_object()
        for font in page["/Resources"]["/Font"].values()
    ]
    assert descriptors and all("/FontFile2" in d for d in descriptors)
