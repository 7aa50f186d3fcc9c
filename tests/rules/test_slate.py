"""Slate rules: surplus, women, avoidance, the election committee, structure targets
(DOMAIN §5.3)."""

from datetime import date
from fractions import Fraction
from itertools import count

import pytest
from hypothesis import given
from hypothesis import strategies as st

from huanjie.rules.findings import has_errors
from huanjie.rules.profiles import HUNAN, NATIONAL, apply_overrides
from huanjie.rules.seats import Body
from huanjie.rules.slate import (
    Candidate,
    candidates_needed,
    check_avoidance,
    check_election_committee,
    check_slate,
    check_structure,
    check_surplus,
    check_women,
)

D = date(2021, 1, 28)
VILLAGE = Body.VILLAGERS_COMMITTEE
COMMUNITY = Body.RESIDENTS_COMMITTEE
PARTY = Body.PARTY_COMMITTEE
SUPERVISION = Body.SUPERVISION_COMMITTEE
_ids = count(1)


def born(age: int) -> date:
    """Born so as to be ``age`` on D."""
    return date(D.year - age, 1, 1)


def cand(name, body=VILLAGE, office="member", sex="M", age=40, person=None, **kw):
    n = next(_ids)
    return Candidate(
        id=n,
        person=person if person is not None else name,
        name=name,
        sex=sex,
        birth_date=born(age),
        body=body,
        office=office,
        **kw,
    )


def codes(findings):
    return [(f.code, f.level) for f in findings]


@pytest.mark.parametrize(
    ("body", "seats", "needed"),
    [
        (VILLAGE, 1, 2),
        (VILLAGE, 3, 4),
        (COMMUNITY, 5, 6),
        (VILLAGE, 0, 0),
        (PARTY, 5, 6),  # 5 × 1.2 = 6
        (PARTY, 7, 9),  # 7 × 1.2 = 8.4, rounded up
        (PARTY, 3, 4),  # 3.6
        (PARTY, 10, 12),
        (SUPERVISION, 3, 3),
    ],
)
def test_candidates_needed(body, seats, needed):
    assert candidates_needed(body, seats, NATIONAL) == needed


def test_candidates_needed_follow_the_profile():
    profile = apply_overrides(NATIONAL, {"committee_surplus": 2, "party_surplus_ratio": "1/4"})
    assert candidates_needed(VILLAGE, 3, profile) == 5
    assert candidates_needed(PARTY, 5, profile) == 7  # 6.25
    assert profile.party_surplus_ratio == Fraction(1, 4)


def test_committee_surplus_per_office():
    seats = {"director": 1, "deputy": 1, "member": 3}
    slate = [
        cand("甲", office="director"),
        cand("乙", office="director"),
        cand("丙", office="deputy"),  # one deputy candidate for one seat: 等额
        *(cand(f"委员{i}") for i in range(4)),
    ]
    [finding] = check_surplus(VILLAGE, seats, slate, NATIONAL)
    assert (finding.code, finding.level) == ("slate.surplus", "error")
    assert finding.params == {
        "body": "villagers_committee",
        "office": "deputy",
        "seats": 1,
        "needed": 2,
        "candidates": 1,
    }
    assert finding.message_zh == "村民委员会副主任应选1名，实行差额选举，候选人至少2名，现为1名"
    slate.append(cand("丁", office="deputy"))
    assert check_surplus(VILLAGE, seats, slate, NATIONAL) == []


def test_a_person_counts_once_per_office():
    seats = {"director": 1}
    slate = [cand("甲", office="director"), cand("甲", office="director")]
    assert codes(check_surplus(VILLAGE, seats, slate, NATIONAL)) == [("slate.surplus", "error")]


def test_party_surplus_over_the_whole_committee():
    seats = {"secretary": 1, "deputy_secretary": 1, "member": 5}  # 7 seats → 9
    slate = [cand(f"党员{i}", body=PARTY) for i in range(8)]
    [finding] = check_surplus(PARTY, seats, slate, NATIONAL)
    assert finding.code == "slate.party_surplus"
    assert finding.params["needed"] == 9
    assert "20%" in finding.message_zh
    slate.append(cand("党员8", body=PARTY))
    assert check_surplus(PARTY, seats, slate, NATIONAL) == []


def test_party_five_seats_need_six():
    seats = {"secretary": 1, "deputy_secretary": 2, "member": 2}
    slate = [cand(f"党员{i}", body=PARTY, office="member") for i in range(6)]
    assert check_surplus(PARTY, seats, slate, HUNAN) == []
    assert check_surplus(PARTY, seats, slate[:5], HUNAN)[0].params["needed"] == 6


def test_other_bodies_have_no_surplus_rule():
    assert check_surplus(SUPERVISION, {"chair": 1, "member": 2}, [], NATIONAL) == []


def test_a_woman_among_the_candidates():
    men = [cand("甲"), cand("乙")]
    [finding] = check_women(VILLAGE, men, NATIONAL)
    assert (finding.code, finding.section, finding.level) == ("slate.no_woman", "§5.3", "error")
    assert check_women(VILLAGE, [*men, cand("丙", sex="F", office="director")], NATIONAL) == []
    # A woman standing for another body does not count.
    assert check_women(VILLAGE, [*men, cand("丁", body=PARTY, sex="F")], NATIONAL) != []


def test_reserved_woman_seat_needs_a_woman_member_candidate():
    slate = [cand("甲"), cand("丙", sex="F", office="director")]
    assert check_women(VILLAGE, slate, NATIONAL) == []
    [finding] = check_women(VILLAGE, slate, HUNAN)
    assert (finding.code, finding.section) == ("slate.no_woman_member", "§7")
    assert check_women(VILLAGE, [*slate, cand("丁", sex="F")], HUNAN) == []
    # The party committee has no reserved seat.
    assert check_women(PARTY, [cand("戊", body=PARTY, sex="F", office="secretary")], HUNAN) == []


# Family: 1 ═ 2 (recorded from 1's side); their son 3 (recorded as 3 → 1 only); 3's
# children 5 and 7, each recording their father.
TIES = [(1, 2, "spouse"), (3, 1, "parent"), (5, 3, "parent"), (7, 3, "parent")]


def test_avoidance_finds_a_grandparent_through_the_chain():
    slate = [
        cand("王祖", person=1, body=VILLAGE, office="director"),
        cand("王孙", person=5, body=SUPERVISION, office="member", sex="F"),
        cand("李某", person=9, body=PARTY),
    ]
    [finding] = check_avoidance(slate, TIES)
    assert (finding.code, finding.level) == ("slate.avoidance", "error")
    assert finding.params["kinship"] == "grandchild"
    assert finding.params["persons"] == [1, 5]
    assert finding.params["candidates"] == [slate[0].id, slate[1].id]
    assert (
        finding.message_zh == "王祖与王孙为近亲属（王孙是王祖的孙子女、外孙子女），应实行任职回避"
    )


def test_avoidance_siblings_spouses_and_cross_appointment():
    slate = [
        cand("王甲", person=5, body=VILLAGE),
        cand("王甲", person=5, body=PARTY),  # the same person on two bodies: no pair
        cand("王乙", person=7, body=PARTY, sex="F"),  # sibling through parent 3
        cand("王奶", person=2, body=SUPERVISION, sex="F"),  # spouse of 1, not a grandparent
        cand("王爷", person=1, body=COMMUNITY),  # spouse of 2 recorded from 1's side
    ]
    found = [(f.params["persons"], f.params["kinship"]) for f in check_avoidance(slate, TIES)]
    assert found == [
        ([5, 7], "sibling"),
        ([5, 1], "grandparent"),
        ([7, 1], "grandparent"),
        ([2, 1], "spouse"),
    ]


def test_avoidance_ignores_the_election_committee_and_council():
    slate = [
        cand("王爷", person=1, body=Body.ELECTION_COMMITTEE),
        cand("王奶", person=2, body=VILLAGE, sex="F"),
    ]
    assert check_avoidance(slate, TIES) == []


def test_election_committee_members_must_leave():
    slate = [
        cand("甲", is_committee_member=True),
        cand("甲", office="director", is_committee_member=True),  # reported once
        cand("乙", body=PARTY, is_committee_member=True),  # the party election is not its
        cand("丙"),
    ]
    [finding] = check_election_committee(slate)
    assert (finding.code, finding.section, finding.level) == (
        "slate.election_committee_member",
        "§3",
        "error",
    )
    assert finding.message_zh == "甲是选举委员会成员，作为候选人应退出选举委员会"


@pytest.mark.parametrize(
    ("candidate", "code"),
    [
        (cand("甲", body=PARTY, office="secretary", age=54), None),
        (cand("甲", body=PARTY, office="secretary", age=55), "slate.age_new"),
        (cand("甲", body=PARTY, office="secretary", sex="F", age=49), None),
        (cand("甲", body=PARTY, office="secretary", sex="F", age=50), "slate.age_new"),
        (cand("甲", age=49), None),
        (cand("甲", age=50), "slate.age_new"),
        (cand("甲", body=PARTY, age=52), "slate.age_new"),
        (cand("甲", continuing=True, age=54), None),
        (cand("甲", continuing=True, age=55), "slate.age_continuing"),
        (cand("甲", continuing=True, sex="F", age=52), "slate.age_continuing"),
        (cand("甲", continuing=True, age=60), "slate.age_continuing"),
        (cand("甲", continuing=True, age=61), "slate.age_continuing_over"),
        (cand("甲", body=SUPERVISION, age=70), None),  # not one of the two committees
    ],
)
def test_age_targets(candidate, code):
    young = cand("青", age=29, education="bachelor")
    found = [f for f in check_structure([candidate, young], D) if f.code.startswith("slate.age")]
    assert [f.code for f in found] == ([code] if code else [])
    assert all(f.level == "warning" for f in found)


def test_age_counted_on_election_day():
    # 50 on D exactly: no longer under 50.
    birthday = Candidate(1, 1, "甲", "M", date(1971, 1, 28), VILLAGE, "member", "bachelor")
    after_d = Candidate(2, 2, "乙", "M", date(1971, 1, 29), VILLAGE, "member", "bachelor")
    found = check_structure([birthday, after_d], D)
    assert [f.params["candidate"] for f in found if f.code == "slate.age_new"] == [1]


def test_young_cadre_with_a_degree():
    older = cand("甲", age=45, education="postgraduate")
    young_without = cand("乙", age=28, education="high_school")
    [finding] = check_structure([older, young_without], D)
    assert (finding.code, finding.level) == ("slate.young_cadre", "warning")
    assert check_structure([older, cand("丙", age=35, education="college")], D) == []
    assert check_structure([], D) == []


def test_women_share_of_the_residents_committee():
    young = cand("青", body=COMMUNITY, age=29, education="college")
    women = [cand(f"女{i}", body=COMMUNITY, sex="F") for i in range(2)]
    # 7 seats: 30% is 2.1, so 3 women.
    [finding] = check_structure([young, *women], D, residents_committee_seats=7)
    assert (finding.code, finding.level) == ("slate.women_share", "warning")
    assert finding.params == {"seats": 7, "target": 3, "women": 2}
    more = [*women, cand("女2", body=COMMUNITY, sex="F")]
    assert check_structure([young, *more], D, residents_committee_seats=7) == []


def test_a_good_slate_has_no_findings():
    seats = {
        VILLAGE: {"director": 1, "deputy": 1, "member": 3},
        PARTY: {"secretary": 1, "deputy_secretary": 1, "member": 3},
    }
    slate = [
        cand("张一", office="director", person=11),
        cand("张二", office="director", person=12),
        cand("张三", office="deputy", person=13),
        cand("张四", office="deputy", person=14, sex="F"),
        *(cand(f"李{i}", person=20 + i) for i in range(3)),
        cand("刘女", person=30, sex="F", age=30, education="college"),
        *(cand(f"党{i}", body=PARTY, person=40 + i) for i in range(5)),
        cand("党女", body=PARTY, person=50, sex="F", office="secretary", age=45),
    ]
    assert check_slate(slate, seats, HUNAN, D, TIES) == []


def test_check_slate_puts_errors_first():
    seats = {VILLAGE: {"director": 1, "deputy": 1, "member": 3}}
    slate = [cand("甲", office="director", age=58, is_committee_member=True)]
    found = check_slate(slate, seats, NATIONAL, D)
    assert has_errors(found)
    assert [f.code for f in found] == [
        "slate.surplus",
        "slate.surplus",
        "slate.surplus",
        "slate.no_woman",
        "slate.election_committee_member",
        "slate.age_new",
        "slate.young_cadre",
    ]
    levels = [f.level for f in found]
    assert levels == sorted(levels)  # "error" < "warning"


@given(st.integers(0, 50), st.fractions(0, 1))
def test_party_surplus_is_the_least_that_reaches_the_ratio(seats, ratio):
    profile = apply_overrides(NATIONAL, {"party_surplus_ratio": ratio})
    need = candidates_needed(PARTY, seats, profile)
    assert need >= seats * (1 + ratio)
    assert seats == 0 or need - 1 < seats * (1 + ratio)
