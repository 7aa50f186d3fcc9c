"""Whether an entrustment may be registered (委托投票, DOMAIN §6)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from huanjie.rules.findings import has_errors
from huanjie.rules.profiles import HUNAN, NATIONAL, apply_overrides
from huanjie.rules.proxies import (
    Entrustment,
    Person,
    accepted,
    check_entrustment,
    relation_titles,
)

# 王芳 is 王强's wife; 石磊 is 张勇's father.
TIES = [("王芳", "王强", "spouse"), ("张勇", "石磊", "parent")]


def p(name):
    return Person(name, name)


def entrust(entruster, proxy, relation="sibling"):
    return Entrustment(p(entruster), p(proxy), relation)


def codes(findings):
    return [(f.code, f.level) for f in findings]


def held_by(proxy, n):
    """``n`` entrustments already held by ``proxy``, from voters 甲1…"""
    return [entrust(f"甲{i}", proxy) for i in range(1, n + 1)]


def test_a_spouse_may_be_entrusted():
    assert check_entrustment(entrust("王芳", "王强", "spouse"), [], NATIONAL, ties=TIES) == []


def test_a_child_entrusts_a_parent_as_the_ties_say():
    assert check_entrustment(entrust("张勇", "石磊", "parent"), [], NATIONAL, ties=TIES) == []


def test_nobody_entrusts_themself():
    (finding,) = check_entrustment(entrust("王芳", "王芳"), [], NATIONAL)
    assert finding.code == "proxies.self" and finding.section == "§6"


def test_a_formal_candidate_cannot_accept():
    findings = check_entrustment(entrust("丁一", "刘伟"), [], NATIONAL, candidates={"刘伟"})
    assert codes(findings) == [("proxies.candidate", "error")]
    assert findings[0].message_zh == "刘伟是本次选举的候选人，正式候选人不能接受委托"


@pytest.mark.parametrize(("profile", "limit"), [(NATIONAL, 3), (HUNAN, 5)])
def test_the_proxy_accepts_at_most_the_profiles_number(profile, limit):
    registered = held_by("刘伟", limit - 1)
    assert check_entrustment(entrust("乙", "刘伟"), registered, profile) == []
    registered.append(entrust("乙", "刘伟"))
    (finding,) = check_entrustment(entrust("丙", "刘伟"), registered, profile)
    assert finding.code == "proxies.limit"
    assert finding.params == {"proxy": "刘伟", "holds": limit, "limit": limit}
    assert finding.message_zh == f"刘伟已接受{limit}人委托，每一选民接受委托不得超过{limit}人"


def test_a_county_override_of_the_limit():
    two = apply_overrides(HUNAN, {"proxies_per_person": 2})
    assert codes(check_entrustment(entrust("丙", "刘伟"), held_by("刘伟", 2), two)) == [
        ("proxies.limit", "error")
    ]


def test_one_entrustment_per_entruster():
    registered = [entrust("丁一", "方敏")]
    (finding,) = check_entrustment(entrust("丁一", "许静"), registered, NATIONAL)
    assert finding.code == "proxies.one_per_entruster"
    assert "方敏" in finding.message_zh and "方敏" in finding.message_en


def test_no_chains_either_way():
    registered = [entrust("丁一", "方敏")]
    # 丁一 gave their vote away: they cannot take someone else's.
    assert codes(check_entrustment(entrust("许静", "丁一"), registered, NATIONAL)) == [
        ("proxies.proxy_entrusted", "error")
    ]
    # 方敏 holds 丁一's vote: she cannot hand hers (and with it 丁一's) on.
    assert codes(check_entrustment(entrust("方敏", "许静"), registered, NATIONAL)) == [
        ("proxies.entruster_is_proxy", "error")
    ]


def test_the_relation_must_be_in_the_local_scope():
    spouses_only = apply_overrides(NATIONAL, {"proxy_relations": ["spouse", "parent"]})
    (finding,) = check_entrustment(entrust("丁一", "方敏", "sibling"), [], spouses_only)
    assert finding.code == "proxies.relation"
    assert finding.message_zh == (
        "受委托人应是委托人的近亲属（配偶、父母），“兄弟姐妹”不在本地选举办法规定的范围内"
    )
    assert finding.params["allowed"] == ["spouse", "parent"]
    neighbour = check_entrustment(entrust("丁一", "方敏", "neighbour"), [], NATIONAL)
    assert codes(neighbour) == [("proxies.relation", "error")]
    assert "“neighbour”" in neighbour[0].message_en


def test_a_relation_the_ties_contradict_is_a_warning():
    findings = check_entrustment(entrust("王芳", "王强", "sibling"), [], NATIONAL, ties=TIES)
    assert codes(findings) == [("proxies.relation_disagrees", "warning")]
    assert not has_errors(findings)
    assert findings[0].params == {"declared": "sibling", "recorded": "spouse"}
    assert findings[0].message_zh == (
        "委托书写明王强是王芳的兄弟姐妹，家庭关系登记为配偶，请核对委托书"
    )


def test_people_the_ties_do_not_relate_are_taken_at_the_authorisations_word():
    assert check_entrustment(entrust("丁一", "方敏", "sibling"), [], NATIONAL, ties=TIES) == []


def test_every_broken_rule_is_said_at_once():
    registered = [entrust("丁一", "方敏"), *held_by("刘伟", 3)]
    findings = check_entrustment(
        entrust("丁一", "刘伟", "cousin"), registered, NATIONAL, candidates={"刘伟"}
    )
    assert [f.code for f in findings] == [
        "proxies.one_per_entruster",
        "proxies.candidate",
        "proxies.relation",
        "proxies.limit",
    ]


def test_relation_titles():
    assert relation_titles("grandchild") == ("孙子女、外孙子女", "grandchild")
    assert relation_titles("cousin") == ("cousin", "cousin")
    assert accepted([entrust("甲", "乙"), entrust("丙", "乙")]) == {"乙": 2}


VOTERS = [f"v{i}" for i in range(8)]


@given(
    limit=st.integers(min_value=0, max_value=5),
    attempts=st.lists(st.tuples(st.sampled_from(VOTERS), st.sampled_from(VOTERS)), max_size=40),
)
def test_registering_only_what_the_rules_allow_never_exceeds_the_limit(limit, attempts):
    profile = apply_overrides(NATIONAL, {"proxies_per_person": limit})
    registered = []
    for entruster, proxy in attempts:
        new = entrust(entruster, proxy)
        if not has_errors(check_entrustment(new, registered, profile)):
            registered.append(new)
    counts = accepted(registered)
    assert all(n <= limit for n in counts.values())
    entrusters = [e.entruster.id for e in registered]
    assert len(entrusters) == len(set(entrusters))  # one entrustment each
    assert not set(entrusters) & set(counts)  # and no chains
