"""Properties every count must have, whatever the ballots (DOMAIN §7–8, CONTRACTS §4).

The elections are small (up to three offices of up to three seats, a few candidates and
two written-in names, a few dozen ballots) so that ties, over-votes, void votes and the
reserved woman seat all turn up often.
"""

import math
from collections import Counter
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from huanjie.rules.profiles import HUNAN, NATIONAL
from huanjie.rules.tally import Candidate, Office, Result, Vote, count

NAMES = ["王芳", "丁一", "马兰", "方明", "刘洋", "孙红", "杨帆", "陈静", "周强", "赵磊", "黄丽"]
WRITE_INS = ["李四", "张三"]
PROFILES = [
    NATIONAL,
    HUNAN,
    replace(NATIONAL, majority_base="returned"),
    replace(NATIONAL, party_majority_base="present"),
]


@st.composite
def elections(draw, kind=None, mode=None, totals=False, profile=None, round=None) -> Vote:
    """A small vote given by its ballots, or by totals (``totals=True``)."""
    kind = kind or draw(st.sampled_from(["committee", "committee", "party"]))
    if kind == "party" or totals:
        mode = "separate"
    mode = mode or draw(st.sampled_from(["separate", "cascade"]))
    offices = tuple(
        Office(f"o{i}", f"职务{i}", draw(st.integers(1, 3))) for i in range(draw(st.integers(1, 3)))
    )
    names = iter(draw(st.permutations(NAMES)))
    candidates = tuple(
        Candidate(f"c{o.id}{j}", next(names), o.id, draw(st.sampled_from(["F", "M", None])))
        for o in offices
        for j in range(draw(st.integers(1, 3)))
    )
    people = [c.id for c in candidates] + WRITE_INS
    # Most votes go to a few people per office, so that more people than seats reach a
    # majority (ties at the cut-off, the reserved woman seat) now and then.
    favoured = {
        o.id: draw(st.lists(st.sampled_from(people), min_size=2, max_size=5, unique=True))
        for o in offices
    }
    if totals:
        ballots, counts = None, {}
        returned = draw(st.integers(0, 40))
    else:
        ballots, counts = draw(grouped_ballots(offices, people, favoured)), None
        returned = len(ballots)
    issued = max(0, returned + draw(st.sampled_from([0, 0, 0, 1, 3, -1])))
    electorate = draw(st.integers(1, 2 * issued + 2))
    present = draw(st.integers(0, electorate)) if kind == "party" else None
    if totals:
        # Figures at and around every threshold, so that edges and ties are common.
        edges = {0, 1, issued, returned, electorate, present or 0}
        edges |= {n // 2 + d for n in (issued, returned, electorate, present or 0) for d in (0, 1)}
        edges |= {-(-issued // 3), issued // 3}
        figure = st.sampled_from(sorted(edges))
        counts = {
            o.id: {who: draw(figure) for who in favoured[o.id]} | {"invalid": draw(figure)}
            for o in offices
        }
    return Vote(
        offices=offices,
        electorate=electorate,
        ballots_issued=issued,
        ballots_returned=returned,
        candidates=candidates,
        ballots=ballots,
        counts=counts,
        profile=profile or draw(st.sampled_from(PROFILES)),
        kind=kind,
        round=round or draw(st.sampled_from(["first", "runoff"])),
        mode=mode,
        present=present,
        write_in_sex={"李四": "M", "张三": draw(st.sampled_from(["F", "M"]))},
    )


@st.composite
def grouped_ballots(draw, offices, people, favoured) -> list:
    """Ballots of voters who come in groups that mark alike, mixed: over-voted,
    unreadable, blank and wholly invalid sections included."""

    def section(office: Office):
        few = st.sampled_from(favoured[office.id])
        marks = st.lists(few, min_size=1, max_size=office.seats, unique=True)
        stray = st.lists(st.sampled_from(people), max_size=office.seats + 1)  # may over-vote
        return st.one_of(marks, marks, marks, marks, stray, st.none())

    full = st.fixed_dictionaries({o.id: section(o) for o in offices})
    partial = st.fixed_dictionaries({}, optional={o.id: section(o) for o in offices})
    ballot = st.one_of(full, full, full, full, partial, st.just({"invalid": True}))
    least = draw(st.sampled_from([0, 2, 3, 4]))
    groups = draw(st.lists(st.tuples(ballot, st.integers(1, 8)), min_size=least, max_size=5))
    return draw(st.permutations([b for b, n in groups for _ in range(n)]))


def any_election(**kw):
    """Votes by ballots or by totals."""
    return st.one_of(elections(**kw), elections(totals=True, **kw))


def revote_seats(office) -> int:
    return office.seats - len(office.elected) - office.unfilled


def votes_of(office) -> dict[str, int]:
    return {t.who: t.votes for t in office.votes}


def as_compared(result: Result):
    return result.as_json(), [o.reasons for o in result.offices]


@settings(deadline=None, max_examples=200)
@given(st.data())
def test_the_order_of_the_ballots_never_matters(data):
    vote = data.draw(elections())
    shuffled = data.draw(st.permutations(vote.ballots))
    assert as_compared(count(replace(vote, ballots=shuffled))) == as_compared(count(vote))


@settings(deadline=None, max_examples=200)
@given(any_election())
def test_every_winner_clears_the_threshold(vote):
    result = count(vote)
    for office in result.offices:
        counted = votes_of(office)
        for who in office.elected:
            assert counted[who] >= office.threshold
    # The threshold itself, from the rules rather than from the code: strictly more than
    # half (§7 item 4, §8), or at least a third in a 居/村委会 run-off (§7 item 7).
    for office in result.offices:
        least = office.threshold
        if vote.kind == "party":
            due = vote.profile.party_majority_base == "due"
            base = vote.electorate if due else vote.present
            assert 2 * least > base >= 2 * (least - 1)
        elif vote.round == "runoff":  # a third of the ballots cast (returned)
            assert least == max(1, math.ceil(vote.ballots_returned / 3))
        else:
            assert 2 * least > vote.participants >= 2 * (least - 1)


@settings(deadline=None, max_examples=200)
@given(any_election())
def test_seats_are_elected_revoted_or_left_open(vote):
    result = count(vote)
    if not result.valid:
        return
    elected_anywhere = [who for o in result.offices for who in o.elected]
    assert len(elected_anywhere) == len(set(elected_anywhere)), "one person, one office"
    elected_so_far: set[str] = set()  # in this office or a higher one
    for office in result.offices:
        elected_so_far.update(office.elected)
        assert len(set(office.elected)) == len(office.elected)
        assert office.unfilled >= 0
        assert 0 <= office.reserved_for_woman <= office.unfilled
        # Revote groups count as seats: never more winners than seats.
        seats_in_revote = revote_seats(office)
        assert len(office.elected) + seats_in_revote + office.unfilled == office.seats
        if office.revote:
            assert seats_in_revote >= 1
            counted = votes_of(office)
            for group in office.revote:
                assert len(group) > seats_in_revote, "a re-vote is among more than the seats"
                assert len({counted[who] for who in group}) == 1, "the tied have equal votes"
                assert all(counted[who] >= office.threshold for who in group)
                assert not set(group) & elected_so_far
        else:
            assert seats_in_revote == 0
        if office.runoff_candidates:
            assert office.unfilled > 0
            assert not set(office.runoff_candidates) & set(elected_anywhere)
        if office.unfilled == 0:
            assert office.runoff_candidates == ()


@settings(deadline=None, max_examples=200)
@given(any_election())
def test_a_void_vote_elects_no_one(vote):
    result = count(vote)
    void = vote.ballots_returned > vote.ballots_issued
    if vote.kind == "committee":
        void = void or 2 * vote.participants <= vote.electorate
    else:
        void = void or 5 * vote.present <= 4 * vote.electorate
    assert result.valid is not void
    assert bool(result.void_reasons) is void
    if void:
        assert result.woman_elected is False
        for office in result.offices:
            assert office.elected == () and office.revote == ()
            assert office.unfilled == 0 and office.runoff_candidates == ()


def totals(vote: Vote) -> dict[str, dict[str, int]]:
    """The ballots of ``vote`` as the totals a 计票 sheet would show (§7 item 3; in a
    party vote a ballot approving more people than seats is void as a whole, §8)."""
    counts = {o.id: Counter() for o in vote.offices}
    for ballot in vote.ballots:
        over = any(
            isinstance(ballot.get(o.id), list) and len(set(ballot[o.id])) > o.seats
            for o in vote.offices
        )
        if vote.kind == "party" and over:
            for office in vote.offices:
                counts[office.id]["invalid"] += 1
            continue
        for office in vote.offices:
            section = ballot.get(office.id, [])
            people = None if ballot.get("invalid") or section is None else set(section)
            if people is None or len(people) > office.seats:
                counts[office.id]["invalid"] += 1
            else:
                counts[office.id].update(people)
    return {office: dict(c) for office, c in counts.items()}


@settings(deadline=None, max_examples=200)
@given(elections(mode="separate"))
def test_totals_give_the_same_result_as_ballots(vote):
    from_totals = replace(vote, ballots=None, counts=totals(vote))
    assert as_compared(count(from_totals)) == as_compared(count(vote))


@settings(deadline=None, max_examples=200)
@given(any_election(kind="committee"))
def test_a_runoff_winner_has_a_third_of_the_ballots(vote):
    vote = replace(vote, round="runoff")
    result = count(vote)
    least = math.ceil(vote.ballots_returned / 3)
    for office in result.offices:
        counted = votes_of(office)
        # The most votes: everyone still standing for this office and not elected has
        # fewer (a tie at the cut-off goes to a re-vote instead). Who is elected to, or
        # re-votes for, a higher office does not stand for this one.
        others = [
            t.votes
            for t in office.votes
            if t.who not in office.elected
            and office.reasons[t.who] not in ("elected_higher", "tied_higher")
        ]
        for who in office.elected:
            assert counted[who] >= least
            assert all(counted[who] > v for v in others)


@settings(deadline=None, max_examples=200)
@given(any_election(kind="committee"))
def test_woman_elected_says_whether_a_woman_is_elected(vote):
    result = count(vote)
    sex = {c.id: c.sex for c in vote.candidates} | dict(vote.write_in_sex)
    elected = [who for o in result.offices for who in o.elected]
    assert result.woman_elected is any(sex.get(who) == "F" for who in elected)


@settings(deadline=None, max_examples=200)
@given(any_election(kind="committee", profile=HUNAN, round="first"))
def test_with_the_reserved_seat_a_woman_is_elected_or_a_seat_waits_for_one(vote):
    result = count(vote)
    if not result.valid:
        return
    last = result.offices[-1]
    sex = {c.id: c.sex for c in vote.candidates} | dict(vote.write_in_sex)
    women_revote = any(all(sex.get(who) == "F" for who in group) for group in last.revote)
    if result.woman_elected or women_revote:
        # A woman is in, or women tied for the seat re-vote for it (§7 items 5, 8).
        assert last.reserved_for_woman == 0
    else:
        assert last.reserved_for_woman == 1 and last.unfilled >= 1
        if last.unfilled == 1:
            assert all(sex.get(who) == "F" for who in last.runoff_candidates)
