"""Who counts at a party vote and what the count makes of it (DOMAIN §8): votes from
the member's status, the due number derived from the roster and the approved leaves,
the quorum of more than 4/5 of those due, and the majority of those due (or present,
by the older rule) through the count itself."""

from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from huanjie.rules import tally
from huanjie.rules.members import (
    Exclusion,
    Leave,
    Member,
    due_to_attend,
    has_quorum,
    has_vote,
)
from huanjie.rules.profiles import NATIONAL, apply_overrides

DAY = date(2026, 12, 27)
APPROVED = {"branch_decided": True, "upper_level_agreed": True, "meeting_approved": True}


@pytest.mark.parametrize(
    ("member", "votes"),
    [
        (Member(1, "丁一", full=True), True),
        (Member(2, "许静", full=False), False),  # 预备党员
        (Member(3, "李军", full=True, under_probation_sanction=True), False),  # 留党察看
        (Member(4, "张勇", full=True, suspended=True), False),  # detained or arrested
        (Member(5, "陈霞", full=False, under_probation_sanction=True), False),
    ],
)
def test_rights_come_from_status(member, votes):
    assert has_vote(member) is votes


def test_the_due_number_is_the_voters_less_the_approved_leaves():
    roster = [Member(i, f"党员{i}", full=True) for i in range(10)]
    roster += [Member(10, "许静", full=False), Member(11, "李军", True, True)]
    leaves = [
        Leave(0, Exclusion.BEDRIDDEN, **APPROVED),  # left out
        Leave(1, Exclusion.ABROAD, since=date(2026, 1, 2), **APPROVED),  # left out
        Leave(2, Exclusion.AWAY, since=date(2026, 9, 1), **APPROVED),  # not six months
        Leave(3, Exclusion.SERVING_SENTENCE, branch_decided=True),  # approvals missing
        Leave(10, Exclusion.BEDRIDDEN, **APPROVED),  # no vote: not due anyway
    ]
    assert due_to_attend(roster, [], DAY) == 10
    assert due_to_attend(roster, leaves, DAY) == 8


@pytest.mark.parametrize(
    ("present", "due", "quorum"),
    [(8, 10, False), (9, 10, True), (80, 100, False), (81, 100, True), (0, 0, False)],
)
def test_the_quorum_is_more_than_four_fifths(present, due, quorum):
    assert has_quorum(present, due) is quorum


@given(st.integers(0, 2000), st.integers(0, 2000))
def test_quorum_iff_five_present_exceed_four_due(present, due):
    assert has_quorum(present, due) is (present * 5 > due * 4)


@given(st.integers(0, 500), st.integers(0, 500), st.integers(0, 50))
def test_quorum_is_monotone(present, due, more):
    """More present never loses the quorum; more due never gains it."""
    if has_quorum(present, due):
        assert has_quorum(present + more, due)
    if has_quorum(present, due + more):
        assert has_quorum(present, due)


SEATS = 3
PEOPLE = ("c1", "c2", "c3", "c4")


def vote(due, present, approvals, profile=NATIONAL):
    """A party vote of ``present`` ballots in which c1 is approved on ``approvals``
    ballots, c2 and c3 on every ballot, c4 on none."""
    ballots = [{"member": (["c1"] if i < approvals else []) + ["c2", "c3"]} for i in range(present)]
    return tally.count(
        tally.Vote(
            offices=(tally.Office("member", "委员", SEATS),),
            electorate=due,
            present=present,
            ballots_issued=present,
            ballots_returned=present,
            candidates=tuple(tally.Candidate(p, p, "member") for p in PEOPLE),
            ballots=ballots,
            profile=profile,
            kind="party",
        )
    )


def test_the_majority_is_counted_on_those_due():
    # Due 10, present 9: more than half of 10 is 6.
    result = vote(10, 9, approvals=6)
    assert result.valid and result.offices[0].threshold == 6
    assert result.offices[0].elected == ("c2", "c3", "c1")
    # 5 approvals are more than half of the 9 present but not of the 10 due.
    result = vote(10, 9, approvals=5)
    assert result.offices[0].elected == ("c2", "c3")
    assert result.offices[0].unfilled == 1


def test_with_the_older_rule_the_majority_is_of_those_present():
    older = apply_overrides(NATIONAL, {"party_majority_base": "present"})
    result = vote(10, 9, approvals=5, profile=older)
    assert result.offices[0].threshold == 5
    assert "c1" in result.offices[0].elected
    assert "c1" not in vote(10, 9, approvals=4, profile=older).offices[0].elected


def test_a_vote_without_quorum_elects_nobody():
    result = vote(10, 8, approvals=8)
    assert not result.valid
    assert result.void_reasons == ("quorum_not_met",)
    assert all(not o.elected for o in result.offices)


def test_the_party_quorum_is_the_profiles():
    looser = apply_overrides(NATIONAL, {"party_quorum": Fraction(2, 3)})
    assert has_quorum(7, 10, looser) and not has_quorum(7, 10)


def test_a_party_runoff_keeps_the_party_majority():
    ballots = [{"member": ["c4"]} for _ in range(5)] + [{"member": []} for _ in range(4)]
    result = tally.count(
        tally.Vote(
            offices=(tally.Office("member", "委员", 1),),
            electorate=10,
            present=9,
            ballots_issued=9,
            ballots_returned=9,
            candidates=(tally.Candidate("c4", "c4", "member"),),
            ballots=ballots,
            kind="party",
            round="runoff",
        )
    )
    # A 居/村委会 run-off would elect with 1/3 of the ballots cast; a party one needs 6.
    assert result.offices[0].threshold == 6
    assert result.offices[0].elected == ()
