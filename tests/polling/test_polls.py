"""Opening the first vote with the final list."""

import pytest
from django.utils import timezone

from huanjie.cycles.services import RuleViolation
from huanjie.polling import polls


def test_the_first_vote_keeps_the_slate_in_stroke_order(poll):
    assert [o["id"] for o in poll.offices] == ["director", "member"]
    assert [c["name"] for c in poll.candidates] == ["王芳", "刘伟", "方敏", "李军", "吴丽"]
    assert poll.electorate == 12


def test_no_first_vote_before_the_list_is_final(election, roll, user_committee_a1):
    with pytest.raises(RuleViolation, match="not final"):
        polls.open_first(user_committee_a1, election, held_on=timezone.localdate())


def test_one_first_vote_per_election(poll, election, user_committee_a1):
    with pytest.raises(RuleViolation, match="already"):
        polls.open_first(user_committee_a1, election, held_on=timezone.localdate())
