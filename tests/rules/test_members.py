"""Party members: votes, the due-to-attend number and its five exclusions, the quorum
and the organisation setting (DOMAIN §2 item 3, §8)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from huanjie.rules.members import (
    Exclusion,
    Leave,
    Member,
    check_leave,
    due_to_attend,
    has_quorum,
    has_vote,
    no_vote_reason,
    organisation_advice,
)
from huanjie.rules.profiles import HUNAN, NATIONAL, apply_overrides

MEETING = date(2026, 12, 27)
APPROVED = {"branch_decided": True, "upper_level_agreed": True, "meeting_approved": True}


def test_only_full_members_without_sanction_or_suspension_vote():
    assert has_vote(Member(1, "刘伟", full=True))
    assert no_vote_reason(Member(2, "方敏", full=False)) == "probationary"
    sanctioned = Member(3, "李军", full=True, under_probation_sanction=True)
    assert no_vote_reason(sanctioned) == "probation_sanction"
    assert no_vote_reason(Member(4, "张勇", full=True, suspended=True)) == "suspended"


def roster(n):
    return [Member(i, f"党员{i}", full=True) for i in range(n)]


def test_the_due_number_leaves_out_approved_exclusions_only():
    people = roster(10) + [Member(10, "预备", full=False)]
    leaves = [
        Leave(0, Exclusion.BEDRIDDEN, **APPROVED),
        Leave(1, Exclusion.ABROAD, since=date(2026, 3, 1), **APPROVED),
        # Not yet approved by the meeting: still due.
        Leave(2, Exclusion.UNABLE_TO_EXPRESS_WILL, branch_decided=True, upper_level_agreed=True),
        # Away only four months by the meeting: still due.
        Leave(3, Exclusion.AWAY, since=date(2026, 8, 27), **APPROVED),
    ]
    # 10 full members (the probationary one has no vote), 2 left out.
    assert due_to_attend(people, leaves, MEETING) == 8


def test_six_months_away_are_counted_to_the_day():
    member = Member(1, "刘伟", full=True)
    just = Leave(1, Exclusion.AWAY, since=date(2026, 6, 27), **APPROVED)
    short = Leave(1, Exclusion.AWAY, since=date(2026, 6, 28), **APPROVED)
    assert check_leave(just, member, MEETING) == []
    assert [f.code for f in check_leave(short, member, MEETING)] == ["members.not_six_months"]
    assert [f.code for f in check_leave(Leave(1, Exclusion.ABROAD, **APPROVED), member, MEETING)]


def test_each_missing_approval_is_named():
    (finding,) = check_leave(
        Leave(1, Exclusion.BEDRIDDEN, branch_decided=True), Member(1, "刘伟", True), MEETING
    )
    assert finding.code == "members.approval_missing" and finding.params["missing"] == 2
    assert "上级党组织同意、党员大会通过" in finding.message_zh


def test_a_leave_for_someone_without_a_vote_is_only_a_warning():
    findings = check_leave(
        Leave(1, Exclusion.BEDRIDDEN, **APPROVED), Member(1, "方敏", False), MEETING
    )
    assert [(f.code, f.level) for f in findings] == [("members.no_vote", "warning")]


@pytest.mark.parametrize(("present", "quorum"), [(80, False), (81, True), (100, True)])
def test_the_quorum_is_more_than_four_fifths_of_those_due(present, quorum):
    # 4/5 of 100 = 80: exactly 80 is not "more than".
    assert has_quorum(present, 100, NATIONAL) is quorum
    assert has_quorum(present, 100, HUNAN) is quorum


def test_the_quorum_follows_the_profile():
    two_thirds = apply_overrides(NATIONAL, {"party_quorum": "2/3"})
    assert has_quorum(67, 100, two_thirds) and not has_quorum(66, 99, two_thirds)


@given(st.integers(0, 500), st.integers(0, 500))
def test_quorum_means_five_present_outnumber_four_due(present, due):
    assert has_quorum(present, due) is (5 * present > 4 * due)


@pytest.mark.parametrize(
    ("members", "kind"),
    [(49, "branch"), (50, "general_branch"), (99, "general_branch"), (100, "committee")],
)
def test_the_organisation_setting_follows_the_members(members, kind):
    assert organisation_advice(members) == kind
