"""The negative list and the joint review's verdicts (DOMAIN §5.2)."""

import pytest

from huanjie.rules.negative_list import (
    BY_NUMBER,
    NEGATIVE_LIST,
    Review,
    Verdict,
    check_reviews,
    review,
)

DEPARTMENTS = ["纪委", "法院", "公安"]


def test_the_ten_items():
    assert [item.number for item in NEGATIVE_LIST] == list(range(1, 11))
    assert NEGATIVE_LIST[1].text_zh == "受过刑事处罚，以及存在“村霸”和涉黑涉恶问题的"
    assert BY_NUMBER[5].text_zh == "非法串联拉票、贿选或操纵、破坏选举的"
    assert BY_NUMBER[10].text_zh.startswith("其他不宜")
    assert "dishonest" in BY_NUMBER[9].gloss_en
    assert BY_NUMBER[7].label_zh == "第7项"
    assert all(item.text_zh.endswith("的") for item in NEGATIVE_LIST)


def test_verdicts_are_checked():
    with pytest.raises(ValueError, match="at least one item"):
        Verdict(1, "法院", "hit")
    with pytest.raises(ValueError, match="no item"):
        Verdict(1, "法院", "clear", (2,))
    with pytest.raises(ValueError, match="11"):
        Verdict(1, "法院", "hit", (11,))
    with pytest.raises(ValueError, match="outcome"):
        Verdict(1, "法院", "maybe")


def test_clear_disqualified_and_awaiting():
    verdicts = [
        # 1: cleared by all three.
        *(Verdict(1, d, "clear") for d in DEPARTMENTS),
        # 2: one hit disqualifies, though the police have not answered yet.
        Verdict(2, "纪委", "clear"),
        Verdict(2, "法院", "hit", (9,), "失信被执行人"),
        # 3: the police have not answered.
        Verdict(3, "纪委", "clear"),
        Verdict(3, "法院", "clear"),
        # 4: two departments hit, on different items.
        Verdict(4, "公安", "hit", (2,), "刑事处罚"),
        Verdict(4, "纪委", "hit", (3, 2)),
    ]
    assert review([1, 2, 3, 4, 5], DEPARTMENTS, verdicts) == [
        Review(1, "clear"),
        Review(2, "disqualified", (9,), ("法院",)),
        Review(3, "awaiting", awaiting=("公安",)),
        Review(4, "disqualified", (2, 3), ("公安", "纪委")),
        Review(5, "awaiting", awaiting=tuple(DEPARTMENTS)),
    ]


def test_the_last_verdict_of_a_department_counts():
    verdicts = [Verdict(1, "法院", "hit", (10,)), Verdict(1, "法院", "clear")]
    assert review([1], ["法院"], verdicts) == [Review(1, "clear")]
    verdicts.append(Verdict(1, "法院", "hit", (6,)))
    assert review([1], ["法院"], verdicts)[0].items == (6,)


def test_a_hit_by_a_department_no_longer_reviewing_still_counts():
    verdicts = [Verdict(1, "税务", "hit", (8,)), Verdict(1, "法院", "clear")]
    [result] = review([1], ["法院"], verdicts)
    assert result.state == "disqualified"
    assert result.by == ("税务",)


def test_no_departments_means_nothing_to_wait_for():
    assert review([1], [], []) == [Review(1, "clear")]


def test_formal_list_blocked_while_a_verdict_is_missing():
    reviews = review([1, 2, 3], DEPARTMENTS, [Verdict(1, d, "clear") for d in DEPARTMENTS])
    [finding] = check_reviews(reviews)
    assert (finding.code, finding.section, finding.level) == ("review.awaiting", "§5.2", "error")
    assert finding.params == {"candidates": [2, 3], "departments": 3}
    assert "2名候选人" in finding.message_zh


def test_disqualified_do_not_block_the_formal_list():
    verdicts = [Verdict(1, "法院", "hit", (1,))] + [Verdict(2, d, "clear") for d in DEPARTMENTS]
    assert check_reviews(review([1, 2], DEPARTMENTS, verdicts)) == []


def test_a_review_without_departments_blocks_the_list():
    from huanjie.rules.negative_list import check_departments

    [finding] = check_departments([])
    assert finding.is_error and finding.section == "§5.2"
    assert check_departments(["公安局"]) == []
