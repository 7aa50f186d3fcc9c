"""Ballot papers (选票): what a voter and the count need can be read back from the PDF —
the names in the order given, the write-in rows, the legend, the set, the numbers and
the count per box — the two sets differ in colour, long lists go on over the page, and
the fixed part of a ballot is stored once however many copies are printed."""

import io
import re
from datetime import date

import pypdf
import pytest

from huanjie.documents.ballots import (
    LEGEND,
    PARTY_INSTRUCTIONS,
    PARTY_LEGEND,
    TINTS,
    BallotOffice,
    BallotPaper,
    ballot_papers,
)

TITLE = "长沙县金茶村第十二届村民委员会选举选票"
DAY = date(2026, 12, 20)
SEAL = "金茶村村民选举委员会（印章）"
DIRECTOR = BallotOffice("主任", 1, ("王建国", "李秀英"))
DEPUTY = BallotOffice("副主任", 1, ("刘洋", "张伟"))
MEMBERS = BallotOffice("委员", 3, ("丁一", "王芳", "李强", "赵敏"))
TWELVE = (
    "丁一",
    "马兰",
    "王芳",
    "毛峰",
    "方明",
    "石磊",
    "叶红",
    "白雪",
    "刘敏",
    "孙丽",
    "李强",
    "赵敏",
)


def _paper(*offices, layout="sections", **fields):
    return BallotPaper(
        TITLE, DAY, offices or (DIRECTOR, DEPUTY, MEMBERS), layout, seal_text=SEAL, **fields
    )


def _reader(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf))


def _texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in _reader(pdf).pages]


def _serial(text: str) -> str:
    """The serial number, drawn last on every page, so the last line of its text."""
    return text.strip().splitlines()[-1].strip()


def _in_order(text: str, names) -> bool:
    places = [text.index(name) for name in names]
    return places == sorted(places)


def _fill_colours(pdf: bytes) -> list[tuple[float, ...]]:
    """The fill colours (rg) the first page's form sets, in the order it sets them."""
    page = _reader(pdf).pages[0]
    forms = page["/Resources"]["/XObject"]
    stream = b"".join(form.get_object().get_data() for form in forms.values())
    found = re.findall(rb"([\d.]+) ([\d.]+) ([\d.]+) rg", stream)
    return [tuple(float(part) for part in colour) for colour in found]


def test_a_ballot_shows_the_offices_names_write_ins_legend_and_seal():
    pdf = ballot_papers(_paper(), copies=3, box_label="第3投票站")
    texts = _texts(pdf)
    assert len(texts) == 3
    text = texts[0]
    assert TITLE in text and "选举日期：2026年12月20日" in text
    assert "正式选票" in text and "备用选票" not in text
    assert _in_order(text, ["主任（应选1名）", "副主任（应选1名）", "委员（应选3名）"])
    assert _in_order(text, DIRECTOR.names + DEPUTY.names + MEMBERS.names)
    assert text.count("另选他人") >= 3  # a row label per office, and the instructions
    assert "姓" in text and "画" in text
    assert LEGEND in text and "○ 赞成" in text and "× 反对" in text and "空白 弃权" in text
    assert "填写说明" in text and "该职务的选票无效" in text.replace("\n", "")
    assert SEAL in text


def test_serial_numbers_run_from_first_to_last_and_the_box_count_is_on_every_ballot():
    pdf = ballot_papers(_paper(), copies=5, box_label="流动票箱1", first_number=96)
    texts = _texts(pdf)
    assert [_serial(text) for text in texts] == ["0096", "0097", "0098", "0099", "0100"]
    for text in texts:
        assert "票箱：流动票箱1" in text
        assert "本箱正式选票共 5 张，编号 0096–0100" in text


def test_numbers_widen_past_four_digits_and_a_batch_without_a_box_says_so():
    texts = _texts(ballot_papers(_paper(), copies=2, set="spare", first_number=9999))
    assert [_serial(text) for text in texts] == ["09999", "10000"]
    assert "本批备用选票共 2 张，编号 09999–10000" in texts[0]
    assert "票箱" not in texts[0]


def test_the_spare_set_says_so_and_is_tinted_apart_from_the_formal():
    formal = ballot_papers(_paper(), copies=1)
    spare = ballot_papers(_paper(), copies=1, set="spare")
    assert "正式选票" in _texts(formal)[0] and "备用选票" not in _texts(formal)[0]
    assert "备用选票" in _texts(spare)[0] and "正式选票" not in _texts(spare)[0]
    # The first thing each page paints is the whole page in its set's tint.
    paper_formal, paper_spare = _fill_colours(formal)[0], _fill_colours(spare)[0]
    assert paper_formal != paper_spare
    assert paper_formal == pytest.approx(TINTS["formal"].rgb(), abs=0.01)
    assert paper_spare == pytest.approx(TINTS["spare"].rgb(), abs=0.01)
    assert paper_formal != (1.0, 1.0, 1.0) and paper_spare != (1.0, 1.0, 1.0)


def test_separate_ballots_are_one_per_office_per_copy_stacked_by_office():
    pdf = ballot_papers(_paper(layout="separate"), copies=4, box_label="第1投票站")
    texts = _texts(pdf)
    assert len(texts) == 3 * 4
    for stack, office in enumerate((DIRECTOR, DEPUTY, MEMBERS)):
        for copy in range(4):
            text = texts[stack * 4 + copy]
            assert f"{office.title}（应选{office.seats}名）" in text
            assert _in_order(text, office.names)
            assert _serial(text) == f"{copy + 1:04d}"
            assert f"本箱{office.title}正式选票共 4 张，编号 0001–0004" in text
            others = {DIRECTOR, DEPUTY, MEMBERS} - {office}
            assert not any(name in text for other in others for name in other.names)
    assert _reader(pdf).trailer["/Root"]["/ViewerPreferences"]["/Duplex"] == "/Simplex"


def test_a_long_list_goes_on_over_the_back_and_says_so():
    members = BallotOffice("委员", 5, TWELVE)
    pdf = ballot_papers(_paper(DIRECTOR, DEPUTY, members), copies=3)
    texts = _texts(pdf)
    assert len(texts) == 3 * 2  # each ballot is one sheet printed on both sides
    for copy in range(3):
        front, back = texts[2 * copy], texts[2 * copy + 1]
        assert _serial(front) == _serial(back) == f"{copy + 1:04d}"
        assert "第1页 共2页，请翻到背面继续" in front and "第2页 共2页" in back
        assert "委员（应选5名）（续）" in back
        assert SEAL in front and "填写说明" in front and "填写说明" not in back
        whole = front + back
        assert _in_order(whole, DIRECTOR.names + DEPUTY.names + TWELVE)
        assert all(whole.count(name) == 1 for name in TWELVE)
    assert _reader(pdf).trailer["/Root"]["/ViewerPreferences"]["/Duplex"] == "/DuplexFlipLongEdge"


def test_with_a_two_page_ballot_every_separate_ballot_takes_a_whole_sheet():
    members = BallotOffice("委员", 7, TWELVE + ("陈晨", "周杰", "吴刚", "郑和", "冯唐"))
    pdf = ballot_papers(_paper(DIRECTOR, members, layout="separate"), copies=2)
    texts = _texts(pdf)
    assert len(texts) == 2 * 2 + 2 * 2  # 主任 on the front with a blank back; 委员 both sides
    assert "王建国" in texts[0] and texts[1].strip() == _serial(texts[0])
    assert "王建国" in texts[2] and texts[3].strip() == _serial(texts[2])
    assert "冯唐" in texts[5] and "冯唐" in texts[7]


def test_a_very_long_list_runs_on_to_further_sheets():
    many = tuple(f"候选人{n:02d}" for n in range(1, 41))
    texts = _texts(ballot_papers(_paper(BallotOffice("委员", 30, many)), copies=1))
    assert len(texts) >= 3 and len(texts) % 2 == 0
    whole = "".join(texts)
    assert _in_order(whole, many)
    assert "续见下一张" in texts[1]


def test_long_titles_and_names_are_printed_whole():
    title = "长沙县黄花镇黄兴村第十二届村民委员会成员选举选票（中心会场、各投票站及流动票箱通用）"
    long_name = "阿卜杜热合曼·买买提江·艾则孜·克里木·吐尔逊·买买提明·阿不都拉·艾尼瓦尔"
    office = BallotOffice(
        "村务监督委员会委员（兼村民小组长联席会议召集人）", 2, ("丁一", long_name)
    )
    text = _texts(ballot_papers(BallotPaper(title, DAY, (office,)), copies=1))[0]
    flat = text.replace("\n", "").replace(" ", "")
    assert title in flat and long_name in flat
    assert "村务监督委员会委员（兼村民小组长联席会议召集人）（应选2名）" in flat


def test_an_office_without_candidates_is_all_write_in_lines():
    office = BallotOffice("主任", 1, ())
    assert office.lines == 1 and MEMBERS.lines == 3
    text = _texts(ballot_papers(_paper(office), copies=1))[0]
    named = _texts(ballot_papers(_paper(DIRECTOR), copies=1))[0]
    assert "主任（应选1名）" in text and text.count("另选他人") == named.count("另选他人")
    assert text.count("候选人") == named.count("候选人") - 1  # no 候选人 rows


def test_party_ballots_use_the_party_wording():
    paper = BallotPaper(
        "中共金茶村第十届支部委员会委员选举选票",
        DAY,
        (BallotOffice("委员", 5, TWELVE[:6], write_in_lines=2),),
        instructions=PARTY_INSTRUCTIONS,
        legend=PARTY_LEGEND,
        seal_text="中共金茶村支部委员会（印章）",
    )
    text = _texts(ballot_papers(paper, copies=1))[0]
    assert PARTY_LEGEND in text and "此票无效" in text and "该职务的选票无效" not in text


def test_the_fixed_part_and_the_font_are_stored_once():
    small = ballot_papers(_paper(), copies=10)
    large = ballot_papers(_paper(), copies=210)
    reader = _reader(large)
    assert len(reader.pages) == 210
    forms = {ref.idnum for page in reader.pages for ref in page["/Resources"]["/XObject"].values()}
    assert large.count(b"/Subtype /Form") == 1 and len(forms) == 1
    assert large.count(b"/FontFile2") == 1
    # Each further copy costs its page and its number, not a ballot's drawing.
    assert (len(large) - len(small)) / 200 < 1000


def test_bad_input_is_refused_with_a_reason():
    with pytest.raises(ValueError, match="copies must be at least 1, not 0"):
        ballot_papers(_paper(), copies=0)
    with pytest.raises(ValueError, match="委员 has 0 seats"):
        BallotOffice("委员", 0, ("丁一",))
    with pytest.raises(ValueError, match="另选他人"):
        BallotOffice("委员", 3, ("丁一",), write_in_lines=0)
    with pytest.raises(ValueError, match="no name"):
        BallotOffice("委员", 3, ("丁一", " "))
    with pytest.raises(ValueError, match="no office"):
        BallotPaper(TITLE, DAY, ())
    with pytest.raises(ValueError, match="layout"):
        BallotPaper(TITLE, DAY, (DIRECTOR,), "two-up")
    with pytest.raises(ValueError, match="set must be 'formal' or 'spare'"):
        ballot_papers(_paper(), copies=1, set="red")
    with pytest.raises(ValueError, match="start at 1"):
        ballot_papers(_paper(), copies=1, first_number=0)


def test_instructions_too_long_for_the_first_page_push_the_tables_over():
    instructions = tuple("请认真阅读本条说明。" * 40 for _ in range(6))
    texts = _texts(ballot_papers(_paper(instructions=instructions), copies=1))
    assert len(texts) == 2
    assert "王建国" not in texts[0] and _in_order(texts[1], MEMBERS.names)
