"""Nomination meetings: quorum, counting, ranking, ties, backfill (DOMAIN §5.1, §5.2)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from huanjie.rules.nomination import (
    backfill,
    check_women,
    count_nominations,
    has_quorum,
    rank,
)


def test_quorum_is_more_than_half():
    assert has_quorum(601, 1200)
    assert not has_quorum(600, 1200)
    assert has_quorum(3, 5)
    assert not has_quorum(0, 0)
    with pytest.raises(ValueError):
        has_quorum(-1, 10)


def test_count_per_office_with_over_marked_sections():
    seats = {"director": 1, "deputy": 1, "member": 3}
    ballots = [
        {"director": [1], "member": [4, 5, 6]},
        {"director": [1, 2], "member": [4, 5]},  # director over-marked, members count
        {"director": [2], "deputy": [3], "member": [4, 5, 6, 7]},  # members over-marked
        {"director": [], "member": [4, 4]},  # blank section; one name twice is one vote
        {"chair": [9]},  # no such office: invalid for it
    ]
    count = count_nominations(ballots, seats)
    assert count.ballots == 5
    assert count.votes["director"] == {1: 1, 2: 1}
    assert count.votes["deputy"] == {3: 1}
    assert count.votes["member"] == {4: 3, 5: 2, 6: 1}
    assert count.invalid == {"director": 1, "deputy": 0, "member": 1, "chair": 1}


def test_rank_clear_cut():
    ranking = rank({"甲": 50, "乙": 40, "丙": 30, "丁": 10}, 2)
    assert ranking.nominees == ("甲", "乙")
    assert not ranking.needs_revote
    assert ranking.shortfall == 0
    assert ranking.standing[0] == ("甲", 50)


def test_tie_at_the_cut_off_goes_to_a_revote():
    # 3 places: 1 is in; 2, 3 and 4 share 30 votes and the 2 remaining places.
    ranking = rank({1: 50, 2: 30, 3: 30, 4: 30, 5: 10}, 3)
    assert ranking.nominees == (1,)
    assert ranking.tied == (2, 3, 4)
    assert ranking.revote_places == 2
    assert ranking.needs_revote
    assert ranking.shortfall == 0


def test_tie_that_fits_is_no_tie():
    ranking = rank({1: 50, 2: 30, 3: 30, 4: 10}, 3)
    assert ranking.nominees == (1, 2, 3)
    assert not ranking.needs_revote


def test_too_few_named():
    ranking = rank({1: 5, 2: 0}, 3)
    assert ranking.nominees == (1,)
    assert ranking.shortfall == 2
    assert rank({}, 0).nominees == ()
    assert rank({1: 3}, 0).nominees == ()


def test_women_among_nominees():
    sex = {1: "M", 2: "M", 3: "F"}
    assert check_women([1, 3], sex) == []
    [finding] = check_women([1, 2], sex)
    assert (finding.code, finding.section, finding.level) == (
        "nomination.no_woman",
        "§5.1",
        "error",
    )
    assert "妇女" in finding.message_zh


VOTES = {1: 90, 2: 80, 3: 70, 4: 60, 5: 50, 6: 40, 7: 40, 8: 30}


def test_backfill_in_order_of_votes():
    result = backfill(VOTES, [1, 2, 3], out={2})
    assert result.replacements == ((2, 4),)


def test_backfill_skips_a_second_disqualified():
    # 2 is disqualified; 4, next in the ranking, was disqualified too: 5 comes in.
    result = backfill(VOTES, [1, 2, 3], out={2, 4})
    assert result.replacements == ((2, 5),)


def test_backfill_of_several_places_keeps_slate_order():
    result = backfill(VOTES, [1, 2, 3], out={3, 1})
    assert result.replacements == ((1, 4), (3, 5))


def test_backfill_tie_is_not_broken():
    # 6 and 7 have 40 votes each for the one place left by 3.
    result = backfill(VOTES, [1, 2, 3, 4, 5], out={3})
    assert result.replacements == ((3, None),)
    assert result.tied == (6, 7)
    assert result.revote_places == 1


def test_backfill_when_the_ranking_runs_out():
    result = backfill({1: 5, 2: 4}, [1, 2], out={1})
    assert result.replacements == ((1, None),)
    assert not result.needs_revote


names = st.integers(0, 15)
ballot = st.fixed_dictionaries(
    {"director": st.lists(names, max_size=2), "member": st.lists(names, max_size=4)}
)
SEATS = {"director": 1, "member": 3}


@given(st.lists(ballot, max_size=30), st.randoms(use_true_random=False))
def test_the_order_of_ballots_never_matters(ballots, random):
    shuffled = list(ballots)
    random.shuffle(shuffled)
    first, second = count_nominations(ballots, SEATS), count_nominations(shuffled, SEATS)
    assert first == second
    for office, seats in SEATS.items():
        assert rank(first.votes[office], seats + 1) == rank(second.votes[office], seats + 1)


@given(st.dictionaries(names, st.integers(0, 6), max_size=15), st.integers(0, 8))
def test_places_are_never_exceeded_and_ties_never_broken(votes, places):
    ranking = rank(votes, places)
    assert len(ranking.nominees) + ranking.revote_places + ranking.shortfall == places
    assert len(ranking.nominees) <= places
    assert ranking.shortfall >= 0
    chosen = set(ranking.nominees)
    for nominee in chosen:
        # Whoever is in has more votes than anyone left out or tied.
        others = [v for n, v in votes.items() if n not in chosen]
        assert all(votes[nominee] >= v for v in others)
    if ranking.tied:
        assert 0 < ranking.revote_places < len(ranking.tied)
        tied_votes = {votes[n] for n in ranking.tied}
        assert len(tied_votes) == 1
        # Nobody outside the tied group has the same votes.
        (cut,) = tied_votes
        assert {n for n, v in votes.items() if v == cut} == set(ranking.tied)
        assert all(votes[n] > cut for n in chosen)
    else:
        # Without a re-vote, no one left out has as many votes as someone in.
        lowest_in = min((votes[n] for n in chosen), default=None)
        if lowest_in is not None:
            assert all(v < lowest_in for n, v in votes.items() if n not in chosen)


@given(
    st.dictionaries(names, st.integers(1, 6), min_size=1, max_size=15),
    st.data(),
)
def test_backfill_never_brings_back_anyone_out_or_on_the_slate(votes, data):
    people = sorted(votes)
    slate = data.draw(st.lists(st.sampled_from(people), unique=True, max_size=len(people)))
    out = data.draw(st.sets(st.sampled_from(people)))
    result = backfill(votes, slate, out)
    leaving = [n for n in slate if n in out]
    assert [old for old, _ in result.replacements] == leaving
    new = [n for _, n in result.replacements if n is not None]
    assert len(new) == len(set(new))
    assert not set(new) & (set(slate) | out)
    assert not set(result.tied) & (set(slate) | out | set(new))
