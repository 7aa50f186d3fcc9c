"""The documents of a count — the announcement, the result form and the certificates:
what they say can be read back from the PDF, nothing leaves the page, and figures that
contradict each other are refused."""

import dataclasses
import io
import re
from datetime import date

import pypdf
import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from huanjie.documents import fonts
from huanjie.documents.results import (
    BoxCount,
    Certificate,
    OfficeOutcome,
    PollOutcome,
    announcement,
    certificates,
    result_report,
)

DAY = date(2026, 11, 21)
COMMITTEE = "金茶村村民选举委员会"
FOOTER = re.compile(r"第\s*(\d+)\s*页\s*共\s*(\d+)\s*页")

DIRECTOR = OfficeOutcome(
    "主任", 1, 501, (("王芳", 610), ("李强", 380), ("张伟", 3)), ("王芳",), invalid=4
)
DEPUTY = OfficeOutcome("副主任", 1, 501, (("赵敏", 520), ("钱进", 470)), ("赵敏",), invalid=2)
MEMBERS = OfficeOutcome(
    "委员",
    3,
    501,
    (("孙丽", 700), ("周杰", 640), ("吴刚", 480), ("郑好", 480), ("冯七", 200)),
    ("周杰", "孙丽"),  # not in order of votes: the documents put them in that order
    invalid=7,
    revote=("吴刚", "郑好"),
    note="妇女委员专职专选",
)
BOXES = (
    BoxCount("中心会场", 700, 699, 690, 9),
    BoxCount("第1投票站", 270, 269, 265, 4),
    BoxCount("流动票箱1", 30, 30, 30, 0),
)
OUTCOME = PollOutcome(
    place="金茶村",
    body_title="第十二届村民委员会",
    election_day=DAY,
    round_title="选举",
    electorate=1200,
    participants=1000,
    issued=1000,
    returned=998,
    valid=True,
    void_reasons=(),
    offices=(DIRECTOR, DEPUTY, MEMBERS),
    boxes=BOXES,
    proxies=12,
    mobile_box_votes=30,
    assisted=5,
    committee=COMMITTEE,
    scrutineers=("刘一", "陈二", "杨三"),
    counters=("黄四", "林五"),
    chair="何六",
)
VOID = dataclasses.replace(
    OUTCOME,
    returned=1003,
    valid=False,
    void_reasons=("收回选票1003张，多于发出选票1000张", "部分选票未经监票人清点即开箱。"),
    offices=tuple(dataclasses.replace(o, elected=(), revote=()) for o in OUTCOME.offices),
    boxes=(),
)


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def _flat(text: str) -> str:
    """The text without spaces and line breaks, which wrapping puts where it likes."""
    return re.sub(r"\s+", "", text)


def _text(pdf: bytes) -> str:
    return _flat("".join(FOOTER.sub("", page) for page in _pages(pdf)))


def _outside(pdf: bytes) -> list[str]:
    """The pieces of text that do not lie wholly on their page."""
    stray = []
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)

        def visit(text, cm, tm, font, size, width=width, height=height):
            text = text.strip()
            if not text:
                return
            scale = tm[0] * cm[0] or 1
            x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
            right = x + stringWidth(text, fonts.CJK, size * scale)
            if x < 0 or right > width + 0.5 or not 0 <= y <= height:
                stray.append(text)

        page.extract_text(visitor_text=visit)
    return stray


# The announcement ---------------------------------------------------------------------


def test_announcement_gives_the_day_the_figures_and_the_winners_with_their_votes():
    pdf = announcement(OUTCOME)
    text = _text(pdf)
    assert text.startswith("金茶村第十二届村民委员会选举结果公告")
    assert "2026年11月21日举行" in text
    assert "登记选民1200人，参加投票1000人，发出选票1000张，收回选票998张" in text
    assert "本次选举有效" in text and "《中华人民共和国村民委员会组织法》" in text
    assert "一、主任：应选1名，当选最低票数501票。王芳（610票）当选。" in text
    assert "二、副主任：应选1名，当选最低票数501票。赵敏（520票）当选。" in text
    # The winners in order of votes, whatever order the caller gave.
    assert "孙丽（700票）、周杰（640票）当选。" in text
    # The losers are not named in the announcement.
    assert "李强" not in text and "冯七" not in text
    assert text.endswith(f"特此公告。{COMMITTEE}2026年11月21日")
    assert len(_pages(pdf)) == 1
    assert _outside(pdf) == []


def test_announcement_says_which_tie_is_voted_on_again_and_gives_the_note():
    text = _text(announcement(OUTCOME))
    assert "吴刚、郑好得票相等（各480票），依法就票数相等的人员再次投票" in text
    assert "确定1名当选人" in text
    assert "妇女委员专职专选。" in text
    assert "再次投票的时间、地点由本委员会另行公告。" in text
    assert "另行选举" not in text


def test_announcement_says_which_seats_go_to_a_runoff():
    members = OfficeOutcome(
        "委员",
        3,
        501,
        (("孙丽", 700), ("周杰", 640), ("冯七", 200)),
        ("孙丽", "周杰"),
        7,
        unfilled=1,
        note="1名委员另行选举",
    )
    director = OfficeOutcome("主任", 1, 501, (("王芳", 480), ("李强", 470)), (), 4, unfilled=1)
    text = _text(announcement(dataclasses.replace(OUTCOME, offices=(director, members))))
    assert "一、主任：应选1名，当选最低票数501票。无人当选。尚有1名未选出，依法另行选举。" in text
    assert (
        "孙丽（700票）、周杰（640票）当选。尚有1名未选出，依法另行选举。1名委员另行选举。" in text
    )
    assert "另行选举的时间、地点由本委员会另行公告。" in text
    assert "再次投票" not in text


def test_void_announcement_gives_the_reasons_and_a_rerun_and_names_no_winner():
    text = _text(announcement(VOID))
    assert "收回选票1003张" in text
    assert "经审核，本次选举存在下列情形：" in text
    assert "（一）收回选票1003张，多于发出选票1000张。" in text
    assert "（二）部分选票未经监票人清点即开箱。" in text
    assert "本次选举无效，应当重新选举" in text
    assert "重新选举的时间、地点由本委员会另行公告" in text
    assert "选举有效" not in text
    for name in ("王芳", "赵敏", "孙丽", "当选最低票数"):
        assert name not in text


def test_the_round_the_body_and_the_kind_shape_the_wording():
    runoff = dataclasses.replace(OUTCOME, round_title="另行选举", body_title="第八届居民委员会")
    text = _text(announcement(runoff))
    assert text.startswith("金茶村第八届居民委员会另行选举结果公告")
    assert "《中华人民共和国城市居民委员会组织法》" in text
    party = dataclasses.replace(
        OUTCOME, kind="party", body_title="党支部委员会", committee="中共金茶村支部委员会"
    )
    text = _text(announcement(party))
    assert "应到会党员1200人" in text and "登记选民" not in text
    assert "《中国共产党基层组织选举工作条例》" in text


def test_announcement_is_refused_without_its_signer():
    with pytest.raises(ValueError, match="election committee"):
        announcement(dataclasses.replace(OUTCOME, committee=" "))


# The result form ----------------------------------------------------------------------


def test_report_gives_every_figure_and_every_box_with_their_totals():
    pdf = result_report(OUTCOME)
    text = _text(pdf)
    assert text.startswith("金茶村第十二届村民委员会选举结果报告单选举日期：2026年11月21日")
    for expected in (
        "登记选民数1200人",
        "参加投票人数1000人",
        "发出选票1000张",
        "收回选票998张",
        "委托投票12人",
        "流动票箱投票30张",
        "代写选票5张",
        "参选率83.3%",
        "选举结果有效",
        "投票点（票箱）3个",
        "中心会场7006996909",
        "第1投票站2702692654",
        "流动票箱13030300",
        "合计100099898513",
    ):
        assert expected in text, expected
    assert _outside(pdf) == []


def test_report_gives_the_votes_of_everyone_per_office_with_the_threshold():
    text = _text(result_report(OUTCOME))
    assert "（一）主任：应选1名，当选最低票数501票，无效票4张" in text
    assert "（三）委员：应选3名，当选最低票数501票，无效票7张" in text
    assert "1王芳610当选2李强3803张伟3" in text
    for row in ("1孙丽700当选", "2周杰640当选", "3吴刚480得票相等，再次投票", "5冯七200"):
        assert row in text, row
    assert "4郑好480得票相等，再次投票" in text
    assert "说明：妇女委员专职专选。" in text
    assert "主任：王芳副主任：赵敏委员：孙丽、周杰" in text


def test_report_has_a_signature_line_for_each_scrutineer_counter_and_the_chair():
    pdf = result_report(OUTCOME)
    last = _flat(FOOTER.sub("", _pages(pdf)[-1]))
    blank = "\uff3f" * 8
    for role, name in (
        ("总监票人", "刘一"),
        ("监票人", "陈二"),
        ("监票人", "杨三"),
        ("计票人", "黄四"),
        ("计票人", "林五"),
        ("选举委员会主任", "何六"),
    ):
        assert f"{role}：{name}签名：{blank}" in last, name
    assert "以上结果经监票人、计票人核对无误，已当场公布。" in last
    assert last.endswith(f"{COMMITTEE}（盖章）2026年11月21日")


def test_report_without_names_has_blank_lines_to_sign_on():
    anonymous = dataclasses.replace(OUTCOME, scrutineers=(), counters=(), chair="", committee="")
    text = _text(result_report(anonymous))
    blank = "\uff3f" * 8
    assert text.count(f"监票人：{blank}签名：{blank}") == 3
    assert text.count(f"计票人：{blank}签名：{blank}") == 2
    assert f"选举委员会主任：{blank}签名：{blank}" in text
    assert "总监票人" not in text
    assert text.endswith("选举委员会（盖章）2026年11月21日")


def test_void_report_says_so_with_the_reasons_and_names_no_winner():
    text = _text(result_report(VOID))
    assert "选举结果无效" in text
    assert (
        "本次选举无效，应当重新选举。原因如下：（一）收回选票1003张，多于发出选票1000张。" in text
    )
    assert "本次选举无效，无当选人员。" in text
    rest = text.replace("当选最低票数", "").replace("当选人员", "")
    assert "当选" not in rest
    assert "各投票点" not in text  # no boxes given, no table of them


def test_a_long_report_runs_over_pages_and_keeps_the_signatures_together():
    votes = tuple((f"候选人{n}号", 900 - n) for n in range(1, 81))
    members = OfficeOutcome("委员", 5, 501, votes, tuple(name for name, _ in votes[:5]), 3)
    pdf = result_report(dataclasses.replace(OUTCOME, offices=(DIRECTOR, members)))
    pages = _pages(pdf)
    assert len(pages) >= 3
    for number, page in enumerate(pages, 1):
        assert FOOTER.findall(page) == [(str(number), str(len(pages)))]
    for page in pages[1:]:
        assert "选举结果报告单（续）" in page
    text = _text(pdf)
    positions = [text.index(f"{n}候选人{n}号{900 - n}") for n in range(1, 81)]
    assert positions == sorted(positions)
    # Every page that continues the table repeats its header.
    for page in pages[1:-1]:
        assert "序号姓名得票数结果" in _flat(page)
    last = _flat(pages[-1])
    assert "以上结果经监票人" in last and "选举委员会主任：何六" in last
    assert _outside(pdf) == []


# Refused outcomes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"valid": False}, "reasons"),
        ({"offices": ()}, "no offices"),
        ({"kind": "congress"}, "kind"),
        ({"issued": -1, "boxes": ()}, "negative"),
        ({"boxes": BOXES[:2]}, "add up"),
        ({"boxes": (BoxCount("中心会场", 1000, 998, 990, 9),)}, "valid and"),
        ({"offices": (dataclasses.replace(DIRECTOR, elected=("王小芳",)),)}, "no votes"),
        ({"offices": (dataclasses.replace(DIRECTOR, unfilled=1),)}, "more than"),
        ({"offices": (dataclasses.replace(DIRECTOR, revote=("王芳",)),)}, "again"),
        ({"offices": (dataclasses.replace(DIRECTOR, votes=DIRECTOR.votes * 2),)}, "twice"),
        ({"offices": (dataclasses.replace(DIRECTOR, seats=0, elected=()),)}, "seat"),
        ({"valid": False, "void_reasons": ("收回选票多于发出选票",)}, "void election"),
    ],
)
def test_contradicting_figures_are_refused(change, message):
    outcome = dataclasses.replace(OUTCOME, **change)
    for document in (announcement, result_report):
        with pytest.raises(ValueError, match=message):
            document(outcome)


# Certificates -------------------------------------------------------------------------


def _certificate(number, name, office, **kwargs):
    arguments = {
        "number": number,
        "name": name,
        "place": "金茶村",
        "body_title": "第十二届村民委员会",
        "office": office,
        "election_day": DAY,
        "issued_on": date(2026, 11, 25),
        "issuer": "长沙县金茶镇人民政府",
        "term": "任期五年",
    }
    return Certificate(**(arguments | kwargs))


def test_one_certificate_page_per_winner_with_number_name_office_issuer_and_date():
    winners = [("JC2026-001", "王芳", "主任"), ("JC2026-002", "赵敏", "副主任")]
    winners += [("JC2026-003", "孙丽", "委员"), ("JC2026-004", "周杰", "委员")]
    pdf = certificates([_certificate(*winner) for winner in winners])
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == len(winners)
    for page, (number, name, office) in zip(reader.pages, winners, strict=True):
        assert page.mediabox.width > page.mediabox.height  # landscape
        text = _flat(page.extract_text())
        assert f"证书编号：{number}" in text
        assert text.count("当选证书") == 1
        assert (
            f"{name}同志于2026年11月21日经依法选举，"
            f"当选为金茶村第十二届村民委员会{office}，任期五年。特发此证。"
        ) in text
        assert text.endswith("长沙县金茶镇人民政府2026年11月25日（盖章）")
        for other in {n for _, n, _ in winners} - {name}:
            assert other not in text
    assert _outside(pdf) == []


def test_a_certificate_without_a_term_leaves_it_out():
    text = _flat(_pages(certificates([_certificate("1", "王芳", "主任", term="")]))[0])
    assert "当选为金茶村第十二届村民委员会主任。特发此证。" in text


def test_a_long_certificate_text_is_set_smaller_and_kept_whole():
    place = "长沙县金茶镇金茶村" * 12
    pdf = certificates([_certificate("JC-1", "欧阳明月", "委员", place=place)])
    assert len(_pages(pdf)) == 1
    assert f"当选为{place}第十二届村民委员会委员" in _flat(_pages(pdf)[0])
    assert _outside(pdf) == []


@pytest.mark.parametrize(
    ("certs", "message"),
    [
        ([], "No certificates"),
        ([_certificate("1", " ", "主任")], "name"),
        ([_certificate("", "王芳", "主任")], "number"),
        ([_certificate("1", "王芳", "")], "office"),
        ([_certificate("1", "王芳", "主任", issuer="")], "issuer"),
        ([_certificate("1", "王芳", "主任"), _certificate("1", "赵敏", "副主任")], "numbered"),
        ([_certificate("1", "王芳", "主任", place="金茶村" * 400)], "does not fit"),
    ],
)
def test_bad_certificates_are_refused(certs, message):
    with pytest.raises(ValueError, match=message):
        certificates(certs)
