"""The delegate congress rules (DOMAIN §2 item 3, §8; seed 003)."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from huanjie.rules import congress
from huanjie.rules.congress import CompositionTargets, Delegate
from huanjie.rules.members import Member
from huanjie.rules.profiles import NATIONAL, apply_overrides

# When a congress may be held


def test_a_congress_needs_approval():
    codes = [f.code for f in congress.check_congress(600, approved=False)]
    assert codes == ["congress.not_approved"]
    assert congress.check_congress(600, approved=False)[0].is_error


def test_fewer_than_500_members_is_a_warning_not_a_block():
    (finding,) = congress.check_congress(499)
    assert finding.code == "congress.few_members"
    assert not finding.is_error
    assert finding.params == {"members": 499, "threshold": 500}
    assert congress.check_congress(500) == []
    assert congress.check_congress(40, scattered=True) == []


# Allocation


def test_allocation_by_largest_remainder():
    # quotas 5.25, 3, 1.75: the seat left goes to the largest fraction
    assert congress.allocate({"a": 21, "b": 12, "c": 7}, 10) == {"a": 5, "b": 3, "c": 2}
    # quotas 4.2857, 2.8571, 2.8571 → 4, 2, 2 and two left for b and c
    assert congress.allocate({"a": 30, "b": 20, "c": 20}, 10) == {"a": 4, "b": 3, "c": 3}


def test_a_tie_of_remainders_goes_to_more_members_then_the_key():
    # quotas 1.5 and 1.5: one seat left, tie broken by the key
    assert congress.allocate({"b": 10, "a": 10}, 3) == {"b": 1, "a": 2}
    # quotas 2.5 and 1.5: equal fractions, the larger unit gets the seat left
    assert congress.allocate({"y": 15, "x": 25}, 4) == {"y": 1, "x": 3}


def test_every_unit_has_at_least_one_delegate():
    # quota of c is 0.1: it gets one, and the other 9 are shared between a and b
    # by their quotas of 9 (5.45 and 3.55), not by those of 10 (6 and 3.9)
    assert congress.allocate({"a": 60, "b": 39, "c": 1}, 10) == {"a": 5, "b": 4, "c": 1}
    assert congress.allocate({"a": 1000, "b": 1, "c": 1}, 3) == {"a": 1, "b": 1, "c": 1}


def test_allocation_refuses_impossible_inputs():
    with pytest.raises(ValueError, match="fewer delegates"):
        congress.allocate({"a": 5, "b": 5, "c": 5}, 2)
    with pytest.raises(ValueError, match="member"):
        congress.allocate({"a": 5, "b": 0}, 2)


units = st.dictionaries(
    st.text(min_size=1, max_size=3), st.integers(1, 2000), min_size=1, max_size=12
)


@given(units, st.integers(0, 300))
def test_allocation_properties(units, extra):
    delegates = len(units) + extra
    seats = congress.allocate(units, delegates)
    assert set(seats) == set(units)
    assert sum(seats.values()) == delegates
    assert all(s >= 1 for s in seats.values())
    for a in units:
        for b in units:
            if units[a] > units[b]:
                assert seats[a] >= seats[b]


@given(units, st.integers(0, 300))
def test_allocation_is_within_one_of_the_quota_when_no_minimum_bites(units, extra):
    delegates = len(units) + extra
    total = sum(units.values())
    if any(delegates * m < total for m in units.values()):
        return
    seats = congress.allocate(units, delegates)
    for key, members in units.items():
        quota = Fraction(delegates * members, total)
        assert int(quota) <= seats[key] <= int(quota) + 1


# Candidates


def test_candidates_needed_is_the_party_surplus():
    assert congress.candidates_needed(5, NATIONAL) == 6
    assert congress.candidates_needed(1, NATIONAL) == 2
    assert congress.candidates_needed(7, NATIONAL) == 9
    assert congress.candidates_needed(10, NATIONAL) == 12
    wider = apply_overrides(NATIONAL, {"party_surplus_ratio": "3/10"})
    assert congress.candidates_needed(10, wider) == 13


def test_check_candidates_at_the_edge():
    assert congress.check_candidates("第一党小组", 5, 6, NATIONAL) == []
    (finding,) = congress.check_candidates("第一党小组", 5, 5, NATIONAL)
    assert finding.is_error
    assert finding.params["needed"] == 6
    assert "至少6名" in finding.message_zh
    assert "needs at least 6 candidates" in finding.message_en


def test_cut_off_elects_the_top_and_reports_a_tie():
    assert congress.cut_off({"a": 9, "b": 7, "c": 5}, 2) == (["a", "b"], [])
    assert congress.cut_off({"a": 9, "b": 7, "c": 7, "d": 1}, 2) == (["a"], ["b", "c"])
    assert congress.cut_off({"a": 9, "b": 9, "c": 9}, 2) == ([], ["a", "b", "c"])
    assert congress.cut_off({"a": 9, "b": 8}, 2) == (["a", "b"], [])
    # a tie below the cut-off is no tie for the seats
    assert congress.cut_off({"a": 9, "b": 3, "c": 3}, 1) == (["a"], [])


def test_a_delegate_needs_the_majority_of_the_unit():
    # A unit of 20 members due: 11 votes elect, 10 do not, and the seat stays open.
    assert congress.cut_off({"a": 11, "b": 10}, 2, needed=11) == (["a"], [])
    assert congress.cut_off({"a": 10, "b": 10}, 1, needed=11) == ([], [])
    assert congress.cut_off({"a": 12, "b": 11, "c": 11}, 2, needed=11) == (["a"], ["b", "c"])


# Composition


def person(i, *, sex="M", age=40, cadre=False, front_line=False, full=True):
    return Delegate(
        id=i,
        member=Member(i, f"代表{i}", full=full),
        unit="u",
        home_unit="u",
        sex=sex,
        age=age,
        cadre=cadre,
        front_line=front_line,
    )


def ten(cadres=5, front=3, women=2, old=4):
    return [
        person(
            i,
            cadre=i < cadres,
            front_line=i >= 10 - front,
            sex="F" if i < women else "M",
            age=60 if i < old else 40,
        )
        for i in range(10)
    ]


def test_composition_at_the_limits_is_within_them():
    # 50% cadres, 30% front-line, 20% women, 60% under 50
    assert congress.check_composition(ten()) == []


def test_composition_beyond_each_limit():
    codes = {f.code: f for f in congress.check_composition(ten(cadres=6, front=2, women=1, old=5))}
    assert set(codes) == {
        "congress.composition_cadres",
        "congress.composition_front_line",
        "congress.composition_women",
        "congress.composition_young",
    }
    cadres = codes["congress.composition_cadres"]
    assert not cadres.is_error
    assert cadres.params["share"] == "3/5" and cadres.params["target"] == "1/2"
    assert "60%" in cadres.message_en and "at most 50%" in cadres.message_en
    assert "不超过50%" in cadres.message_zh
    women = codes["congress.composition_women"]
    assert "at least 15%" in women.message_en and "10%" in women.message_en


def test_women_at_15_percent_exactly():
    delegates = [person(i, sex="F" if i < 3 else "M", age=30) for i in range(20)]
    targets = CompositionTargets(cadres_at_most=None, front_line_at_least=None)
    assert congress.check_composition(delegates, targets) == []
    delegates[2] = person(2, age=30)
    (finding,) = congress.check_composition(delegates, targets)
    assert finding.code == "congress.composition_women"


def test_composition_counts_only_the_elected_and_targets_are_configurable():
    delegates = [*ten(), person(99, cadre=True)]
    delegates[-1] = Delegate(**{**delegates[-1].__dict__, "elected": False})
    assert congress.check_composition(delegates) == []
    strict = CompositionTargets(cadres_at_most=Fraction(2, 5), young_under=40)
    codes = [f.code for f in congress.check_composition(ten(), strict)]
    assert codes == ["congress.composition_cadres", "congress.composition_young"]
    assert congress.check_composition([]) == []


def test_targets_round_trip_as_json():
    targets = CompositionTargets(women_at_least=Fraction(1, 5), young_at_least=None)
    data = targets.as_json()
    assert data["women_at_least"] == "1/5" and data["young_at_least"] is None
    assert CompositionTargets.from_json(data) == targets
    assert CompositionTargets.from_json({}) == CompositionTargets()
    assert CompositionTargets.from_json(None) == CompositionTargets()


# Credentials


def test_credentials_of_a_full_member_elected_by_their_unit():
    assert congress.check_credentials(person(1)) == []


def test_credentials_refused():
    probationary = person(1, full=False)
    (finding,) = congress.check_credentials(probationary)
    assert finding.code == "congress.no_vote" and finding.params["reason"] == "probationary"
    sanctioned = Delegate(
        id=2, member=Member(2, "李军", True, under_probation_sanction=True), unit="u", home_unit="u"
    )
    assert "probation sanction" in congress.check_credentials(sanctioned)[0].message_en
    elsewhere = Delegate(id=3, member=Member(3, "王芳", True), unit="a", home_unit="b")
    assert [f.code for f in congress.check_credentials(elsewhere)] == ["congress.other_unit"]
    not_elected = Delegate(
        id=4, member=Member(4, "吴丽", True), unit="a", home_unit="a", elected=False
    )
    assert [f.code for f in congress.check_credentials(not_elected)] == ["congress.not_elected"]
    assert all(f.is_error for f in congress.check_credentials(sanctioned))
