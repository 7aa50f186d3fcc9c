"""Scrutineers and counters of a station or box (DOMAIN §6)."""

import pytest

from huanjie.rules.findings import has_errors
from huanjie.rules.kinship import Family
from huanjie.rules.scrutineers import (
    MIN_SCRUTINEERS,
    Candidate,
    Duty,
    check_count,
    check_duty,
    check_elsewhere,
    check_station,
)

# 王芳 (a candidate) is 王强's wife; 石磊 is 张勇's father; 张勇's son is 张小明; 刘伟
# (a candidate) and 刘敏 share a parent, 刘父.
TIES = [
    ("王强", "王芳", "spouse"),
    ("张勇", "石磊", "parent"),
    ("张小明", "张勇", "parent"),
    ("刘伟", "刘父", "parent"),
    ("刘敏", "刘父", "parent"),
]
CANDIDATES = [Candidate("王芳", "王芳"), Candidate("刘伟", "刘伟"), Candidate("张勇", "张勇")]


def duty(name, role="scrutineer", chief=False):
    return Duty(name, name, role, chief)


def codes(findings):
    return [(f.code, f.level) for f in findings]


def test_three_scrutineers_are_enough():
    assert MIN_SCRUTINEERS == 3
    assert check_count("中心会场", [duty("丁一", chief=True), duty("方敏"), duty("许静")]) == []


def test_two_scrutineers_and_a_counter_are_too_few():
    (finding,) = check_count("第一投票站", [duty("丁一"), duty("方敏"), duty("许静", "counter")])
    assert (finding.code, finding.level, finding.section) == ("scrutineers.too_few", "error", "§6")
    assert finding.message_zh == "第一投票站应有监票人至少3名，现为2名"
    assert finding.message_en == "第一投票站 needs at least 3 scrutineers; it has 2."
    assert finding.params == {"station": "第一投票站", "needed": 3, "scrutineers": 2}


def test_a_station_without_anyone():
    assert check_count("流动票箱", [])[0].params["scrutineers"] == 0


def test_a_candidate_may_not_watch_or_count():
    (finding,) = check_duty(duty("刘伟", "counter"), CANDIDATES, TIES)
    assert finding.code == "scrutineers.candidate"
    assert finding.message_zh == "刘伟是候选人，不得担任计票人"
    assert finding.message_en == "刘伟 is a candidate and may not be a counter."


@pytest.mark.parametrize(
    ("person", "zh", "en"),
    [
        ("王强", "王强是候选人王芳的配偶", "王强 is the spouse of candidate 王芳"),
        ("石磊", "石磊是候选人张勇的父母", "石磊 is the parent of candidate 张勇"),
        ("张小明", "张小明是候选人张勇的子女", "张小明 is the child of candidate 张勇"),
        ("刘敏", "刘敏是候选人刘伟的兄弟姐妹", "刘敏 is the sibling of candidate 刘伟"),
        ("刘父", "刘父是候选人刘伟的父母", "刘父 is the parent of candidate 刘伟"),
    ],
)
def test_a_near_relative_of_a_candidate_is_named_with_the_relation(person, zh, en):
    (finding,) = check_duty(duty(person), CANDIDATES, TIES)
    assert finding.code == "scrutineers.relative" and finding.is_error
    assert finding.message_zh == f"{zh}，候选人的近亲属不得担任监票人"
    assert finding.message_en.startswith(en)
    assert finding.params["name"] == person


def test_a_grandchild_is_near_a_great_grandchild_is_not():
    ties = TIES + [("张孙", "张小明", "parent")]
    candidates = [*CANDIDATES, Candidate("石磊", "石磊")]
    # 张孙 is 张勇's grandchild and 石磊's great-grandchild, who is no near relative.
    (finding,) = check_duty(duty("张孙"), candidates, ties)
    assert (finding.params["candidate_name"], finding.params["kinship"]) == ("张勇", "grandchild")


def test_related_to_two_candidates_is_reported_for_each():
    candidates = [*CANDIDATES, Candidate("张小明", "张小明")]
    findings = check_duty(duty("石磊"), candidates, TIES)
    assert [f.params["candidate_name"] for f in findings] == ["张勇", "张小明"]
    assert [f.params["kinship"] for f in findings] == ["parent", "grandparent"]


def test_unrelated_voters_may_serve():
    assert check_duty(duty("丁一"), CANDIDATES, TIES) == []
    assert check_duty(duty("丁一"), [], ()) == []


def test_a_station_lists_the_count_then_each_person():
    family = Family(TIES)
    people = [duty("丁一", chief=True), duty("王强"), duty("刘伟", "counter")]
    findings = check_station("第一投票站", people, CANDIDATES, family)
    assert codes(findings) == [
        ("scrutineers.too_few", "error"),
        ("scrutineers.relative", "error"),
        ("scrutineers.candidate", "error"),
    ]
    assert has_errors(findings)
    fine = [duty("丁一", chief=True), duty("方敏"), duty("许静"), duty("朱红", "counter")]
    assert check_station("第一投票站", fine, CANDIDATES, family) == []


def test_a_person_on_duty_at_two_open_stations_is_a_warning():
    duties = [Duty(1, "丁一"), Duty(2, "王强"), Duty(3, "石磊")]
    findings = check_elsewhere("第一投票站", duties, {2: ["流动票箱一"]})
    assert [(f.code, f.level, f.params["name"]) for f in findings] == [
        ("scrutineers.elsewhere", "warning", "王强")
    ]
    assert "流动票箱一" in findings[0].message_zh
    assert check_elsewhere("第一投票站", duties, {}) == []
