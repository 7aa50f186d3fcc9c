"""Giving up the seats a party vote left open (减少名额, DOMAIN §8): close to the
seats, no smaller than the least committee, and more than half of the voters."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from huanjie.rules.profiles import NATIONAL, apply_overrides
from huanjie.rules.reduction import (
    MOST_OPEN,
    SMALLEST_COMMITTEE,
    Reduction,
    check_reduction,
    consent_base,
)


def codes(reduction):
    return [f.code for f in check_reduction(reduction)]


def test_one_seat_short_with_consent_may_be_given_up():
    r = Reduction(seats=5, elected=4, consenting=6, base=10, organisation="branch")
    assert check_reduction(r) == []
    assert r.seats_after == 4


def test_two_seats_short_is_not_close_to_the_seats():
    r = Reduction(seats=7, elected=5, consenting=10, base=10, organisation="branch")
    assert codes(r) == ["reduction.not_close"]


def test_nothing_to_reduce_when_every_seat_is_filled():
    r = Reduction(seats=3, elected=3, consenting=10, base=10, organisation="branch")
    assert codes(r) == ["reduction.nothing_open"]


@pytest.mark.parametrize(
    ("kind", "elected", "ok"),
    [
        ("branch", 2, False),
        ("branch", 3, True),
        ("general_branch", 4, False),
        ("general_branch", 5, True),
        ("committee", 4, False),
        ("committee", 5, True),
    ],
)
def test_the_committee_left_is_no_smaller_than_its_kind_allows(kind, elected, ok):
    r = Reduction(seats=elected + 1, elected=elected, consenting=9, base=10, organisation=kind)
    assert ("reduction.too_small" not in codes(r)) is ok
    assert SMALLEST_COMMITTEE["branch"] == 3


def test_a_branch_of_three_seats_with_two_elected_runs_off():
    # 金茶村: three seats, two elected — too small a committee to stop at two.
    r = Reduction(seats=3, elected=2, consenting=10, base=10, organisation="branch")
    assert codes(r) == ["reduction.too_small"]


@pytest.mark.parametrize(("consenting", "ok"), [(5, False), (6, True)])
def test_consent_needs_more_than_half_of_the_voters(consenting, ok):
    r = Reduction(seats=4, elected=3, consenting=consenting, base=10, organisation="branch")
    assert (codes(r) == []) is ok


def test_more_consenting_than_voters_is_refused():
    r = Reduction(seats=4, elected=3, consenting=11, base=10, organisation="branch")
    assert codes(r) == ["reduction.more_than_voters"]


def test_the_base_of_consent_follows_the_majority_base_of_the_profile():
    assert consent_base(10, 9, NATIONAL) == 10
    older = apply_overrides(NATIONAL, {"party_majority_base": "present"})
    assert consent_base(10, 9, older) == 9
    # 5 of the 9 present is more than half of them, not of the 10 due.
    r = Reduction(4, 3, 5, consent_base(10, 9, older), "branch")
    assert check_reduction(r) == []
    r = Reduction(4, 3, 5, consent_base(10, 9, NATIONAL), "branch")
    assert codes(r) == ["reduction.no_consent"]


def test_findings_say_what_is_missing_in_both_languages():
    (finding,) = check_reduction(Reduction(4, 3, 4, 10, "branch"))
    assert "6" in finding.message_en and "10" in finding.message_en
    assert "半数" in finding.message_zh


@given(
    seats=st.integers(1, 15),
    elected=st.integers(0, 15),
    base=st.integers(1, 200),
    consenting=st.integers(0, 200),
    kind=st.sampled_from(sorted(SMALLEST_COMMITTEE)),
)
def test_allowed_exactly_when_close_big_enough_and_consented(
    seats, elected, base, consenting, kind
):
    r = Reduction(seats, elected, consenting, base, kind)
    allowed = (
        0 < seats - elected <= MOST_OPEN
        and elected >= SMALLEST_COMMITTEE[kind]
        and base < 2 * consenting
        and consenting <= base
    )
    assert (check_reduction(r) == []) is allowed
