"""The first plenary (一届一次全委会): the new committee elects its 书记 and 副书记
from among its members (DOMAIN §2 item 3, §8)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from huanjie.rules import tally
from huanjie.rules.plenary import (
    Choice,
    CommitteeMember,
    check_candidates,
    check_counts,
    check_result,
    count,
    elected,
)
from huanjie.rules.profiles import NATIONAL, apply_overrides

#: A committee of five: 丁一 stands for 书记, 王芳 for 副书记.
FIVE = tuple(
    CommitteeMember(f"m{i}", name, sex)
    for i, (name, sex) in enumerate(
        (("丁一", "M"), ("王芳", "F"), ("刘伟", "M"), ("吴丽", "F"), ("张勇", "M"))
    )
)
EQUAL = (Choice("m0", "secretary"), Choice("m1", "deputy_secretary"))


def plenary(counts, present=5, deputies=1, candidates=EQUAL, issued=None, returned=None):
    issued = present if issued is None else issued
    returned = issued if returned is None else returned
    return count(FIVE, present, deputies, candidates, counts, issued, returned)


def test_single_candidates_are_elected_with_more_than_half_of_the_committee():
    result = plenary({"secretary": {"m0": 5}, "deputy_secretary": {"m1": 4}})
    assert result.valid
    assert elected(result) == {"secretary": ("m0",), "deputy_secretary": ("m1",)}
    assert result.offices[0].threshold == 3  # more than half of five
    assert check_result(result) == []


def test_the_secretary_needs_more_than_half_of_the_committee_not_of_those_present():
    # Five members, all five present: three votes win, two do not.
    short = plenary({"secretary": {"m0": 2, "m2": 2}, "deputy_secretary": {"m1": 5}})
    assert elected(short)["secretary"] == ()
    assert [f.code for f in check_result(short)] == ["plenary.seat_open"]
    assert elected(plenary({"secretary": {"m0": 3}, "deputy_secretary": {"m1": 3}}))[
        "secretary"
    ] == ("m0",)


def test_the_majority_is_of_the_committee_even_when_some_are_absent():
    ten = tuple(CommitteeMember(f"m{i}", f"委员{i}") for i in range(10))
    # Nine of ten present (> 4/5): five votes are half of ten, not enough.
    result = count(ten, 9, 0, (Choice("m0", "secretary"),), {"secretary": {"m0": 5}}, 9, 9)
    assert result.valid
    assert elected(result)["secretary"] == ()
    result = count(ten, 9, 0, (Choice("m0", "secretary"),), {"secretary": {"m0": 6}}, 9, 9)
    assert elected(result)["secretary"] == ("m0",)


def test_exactly_four_fifths_present_is_no_quorum():
    result = plenary({"secretary": {"m0": 4}, "deputy_secretary": {"m1": 4}}, present=4)
    assert not result.valid
    assert result.void_reasons == ("quorum_not_met",)
    assert elected(result) == {"secretary": (), "deputy_secretary": ()}
    assert [f.code for f in check_result(result)] == ["plenary.void"]


def test_the_older_rule_counts_the_majority_on_those_present():
    ten = tuple(CommitteeMember(f"m{i}", f"委员{i}") for i in range(10))
    older = apply_overrides(NATIONAL, {"party_majority_base": "present"})
    result = count(ten, 9, 0, (Choice("m0", "secretary"),), {"secretary": {"m0": 5}}, 9, 9, older)
    assert elected(result)["secretary"] == ("m0",)


def test_a_candidate_outside_the_committee_is_refused():
    outsider = (Choice("x9", "secretary", name="黄涛"), Choice("m1", "deputy_secretary"))
    findings = check_candidates(FIVE, {"secretary": 1, "deputy_secretary": 1}, outsider)
    assert [f.code for f in findings] == ["plenary.not_a_member", "plenary.no_candidate"]
    assert "黄涛" in findings[0].message_en
    with pytest.raises(ValueError, match="not a member of the new committee"):
        plenary({"secretary": {"x9": 5}}, candidates=outsider)


def test_votes_written_in_for_someone_outside_the_committee_are_refused():
    findings = check_counts(FIVE, {"secretary": {"黄涛": 3, "m0": 2}}, 5)
    assert [f.code for f in findings] == ["plenary.not_a_member"]
    assert check_counts(FIVE, {"secretary": {"m0": 6}}, 5)[0].code == (
        "plenary.votes_exceed_ballots"
    )


def test_a_member_who_did_not_stand_can_be_written_in_under_their_name():
    result = plenary({"secretary": {"m0": 1, "m2": 4}, "deputy_secretary": {"m1": 4}})
    assert elected(result)["secretary"] == ("m2",)
    assert [t.name for t in result.offices[0].votes] == ["刘伟", "丁一"]


def test_no_deputy_secretary_when_the_election_has_none():
    result = plenary({"secretary": {"m0": 5}}, deputies=0, candidates=EQUAL[:1])
    assert [o.id for o in result.offices] == ["secretary"]
    assert check_candidates(FIVE, {"secretary": 1, "deputy_secretary": 0}, EQUAL[:1]) == []


def test_every_office_needs_a_candidate_and_nobody_stands_twice():
    seats = {"secretary": 1, "deputy_secretary": 2}
    codes = [f.code for f in check_candidates(FIVE, seats, (Choice("m0", "secretary"),) * 2)]
    assert codes == ["plenary.twice", "plenary.no_candidate"]
    fewer = check_candidates(FIVE, seats, EQUAL)
    assert [(f.code, f.level) for f in fewer] == [("plenary.fewer_candidates", "warning")]
    assert check_candidates(FIVE, seats, (Choice("m0", "chair"),))[0].code == (
        "plenary.unknown_office"
    )


def test_the_secretary_elected_leaves_the_deputy_count():
    both = EQUAL + (Choice("m0", "deputy_secretary"), Choice("m2", "deputy_secretary"))
    result = plenary(
        {"secretary": {"m0": 5}, "deputy_secretary": {"m0": 5, "m1": 3, "m2": 2}},
        candidates=both,
    )
    assert elected(result) == {"secretary": ("m0",), "deputy_secretary": ("m1",)}
    assert result.offices[1].reasons["m0"] == "elected_higher"
    texts = dict((t.who, text) for t, text in tally.explain(result.offices[1], "en"))
    assert texts["m0"] == "elected to a higher office"


def test_more_ballots_returned_than_issued_voids_the_plenary():
    result = plenary({"secretary": {"m0": 5}, "deputy_secretary": {"m1": 5}}, issued=5, returned=6)
    assert result.void_reasons == ("returned_exceeds_issued",)


@given(size=st.integers(1, 15), data=st.data())
def test_quorum_and_majority_are_those_of_a_party_vote_on_the_committee(size, data):
    committee = tuple(CommitteeMember(f"m{i}", f"委员{i}") for i in range(size))
    present = data.draw(st.integers(0, size))
    votes = data.draw(st.integers(0, present))
    result = count(
        committee,
        present,
        0,
        (Choice("m0", "secretary"),),
        {"secretary": {"m0": votes}},
        present,
        present,
    )
    quorum = 5 * present > 4 * size
    assert result.valid == quorum
    assert (elected(result)["secretary"] == ("m0",)) == (quorum and 2 * votes > size)
