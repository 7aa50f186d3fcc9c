"""Counting a vote (DOMAIN §7 for 居/村委会, §8 for party elections; CONTRACTS §4).

Each case states its arithmetic in a comment, so that a failure says which rule and
which figure disagree. Orders of names are stated through ``sort_names`` (姓氏笔画),
never spelt out by hand.
"""

from dataclasses import replace
from fractions import Fraction

import pytest

from huanjie.rules.names import sort_names
from huanjie.rules.profiles import HUNAN, NATIONAL, apply_overrides
from huanjie.rules.tally import (
    REASONS,
    Candidate,
    Office,
    OfficeResult,
    Result,
    Vote,
    count,
    explain,
    majority,
    runoff_minimum,
    threshold,
    void_reasons,
)

DIRECTOR = Office("director", "主任", 1)
DEPUTY = Office("deputy", "副主任", 1)
MEMBER = Office("member", "委员", 3)
COMMITTEE = (DIRECTOR, DEPUTY, MEMBER)

CANDIDATES = (
    Candidate("d1", "王建国", "director", "M"),
    Candidate("d2", "李明", "director", "M"),
    Candidate("d3", "马丽", "director", "F"),
    Candidate("p1", "张伟", "deputy", "M"),
    Candidate("p2", "刘洋", "deputy", "M"),
    Candidate("m1", "杨帆", "member", "M"),
    Candidate("m2", "赵磊", "member", "M"),
    Candidate("m3", "周强", "member", "M"),
    Candidate("m4", "钱进", "member", "M"),
    Candidate("m5", "方明", "member", "M"),
    Candidate("w1", "陈静", "member", "F"),
    Candidate("w2", "黄丽", "member", "F"),
    Candidate("w3", "吴敏", "member", "F"),
)
NAMES = {c.id: c.name for c in CANDIDATES}

# A committee vote that stands: 1,200 registered, 1,000 ballots issued and returned,
# so the majority is 501 (1,000 / 2 = 500; strictly more is 501).
WINNERS = {"director": {"d1": 700, "d2": 290}, "deputy": {"p1": 650, "p2": 340}}


def tally(
    counts=None,
    *,
    ballots=None,
    offices=COMMITTEE,
    electorate=1200,
    issued=1000,
    returned=None,
    candidates=CANDIDATES,
    **options,
) -> Result:
    if returned is None:
        returned = len(ballots) if ballots is not None else issued
    return count(
        Vote(
            offices=offices,
            electorate=electorate,
            ballots_issued=issued,
            ballots_returned=returned,
            candidates=candidates,
            ballots=ballots,
            counts=counts,
            **options,
        )
    )


def office(result: Result, office_id: str) -> OfficeResult:
    (found,) = [o for o in result.offices if o.id == office_id]
    return found


def votes(result: Result, office_id: str) -> dict[str, int]:
    return {t.who: t.votes for t in office(result, office_id).votes}


def members(**counts: int) -> dict:
    """Counts of a full committee with the given 委员 figures and clear winners above."""
    return {**WINNERS, "member": counts}


def in_stroke_order(*ids: str) -> list[str]:
    by_name = {NAMES.get(i, i): i for i in ids}
    return [by_name[n] for n in sort_names(by_name)]


# --- §7 item 1: returned ≤ issued -----------------------------------------------


def test_more_ballots_returned_than_issued_voids_the_vote():
    # 1,001 returned of 1,000 issued: void whatever the votes say (d1 has 700 > 500.5).
    result = tally(WINNERS, issued=1000, returned=1001)
    assert not result.valid
    assert result.void_reasons == ("returned_exceeds_issued",)
    for o in result.offices:
        assert o.elected == () and o.revote == () and o.unfilled == 0
        assert o.runoff_candidates == () and o.reserved_for_woman == 0
    assert result.woman_elected is False
    # The votes are still shown as counted.
    assert votes(result, "director") == {"d1": 700, "d2": 290}
    assert {office(result, "director").reasons[w] for w in ("d1", "d2")} == {"void"}


def test_as_many_returned_as_issued_stands():
    result = tally(WINNERS, issued=1000, returned=1000)
    assert result.valid and result.void_reasons == ()
    assert office(result, "director").elected == ("d1",)


def test_both_void_reasons_in_contract_order():
    # 600 issued of 1,200 is not more than half; 650 returned of 600 issued.
    result = tally(WINNERS, issued=600, returned=650)
    assert result.void_reasons == ("returned_exceeds_issued", "turnout_not_majority")


# --- §7 item 2: turnout (双过半, first half) -----------------------------------------


def test_turnout_of_exactly_half_voids_the_vote():
    # 600 of 1,200 = 1/2, not more than half: void.
    result = tally({"director": {"d1": 600}}, electorate=1200, issued=600)
    assert not result.valid
    assert result.void_reasons == ("turnout_not_majority",)
    assert all(o.elected == () for o in result.offices)
    assert result.as_json()["turnout"] == {"electorate": 1200, "participants": 600, "rate": 0.5}


def test_turnout_of_one_more_than_half_stands():
    # 601 of 1,200 > 600: valid; majority of 601 is 301 (601 / 2 = 300.5).
    result = tally({"director": {"d1": 301, "d2": 300}}, electorate=1200, issued=601)
    assert result.valid
    assert office(result, "director").threshold == 301
    assert office(result, "director").elected == ("d1",)
    assert result.as_json()["turnout"] == {
        "electorate": 1200,
        "participants": 601,
        "rate": round(601 / 1200, 4),
    }


def test_turnout_with_majority_base_returned_counts_the_ballots_returned():
    # 601 issued but 600 returned of 1,200: with "returned" as the base, 600 took part.
    returned_base = apply_overrides(NATIONAL, {"majority_base": "returned"})
    assert tally(WINNERS, issued=601, returned=600).valid
    result = tally(WINNERS, issued=601, returned=600, profile=returned_base)
    assert result.void_reasons == ("turnout_not_majority",)


def test_void_reasons_alone():
    def vote(**kw) -> Vote:
        return Vote(offices=COMMITTEE, **{"electorate": 1200, **kw})

    assert void_reasons(vote(ballots_issued=601, ballots_returned=601)) == ()
    assert void_reasons(vote(ballots_issued=600, ballots_returned=600)) == ("turnout_not_majority",)
    assert void_reasons(vote(ballots_issued=700, ballots_returned=701)) == (
        "returned_exceeds_issued",
    )


# --- §7 item 4: majority (双过半, second half) ---------------------------------------


def test_majority_and_runoff_minimum():
    assert majority(1000) == 501  # 1,000 / 2 = 500, strictly more: 501
    assert majority(1001) == 501  # 1,001 / 2 = 500.5, strictly more: 501
    assert majority(1) == 1
    assert majority(2) == 2
    assert runoff_minimum(1000, Fraction(1, 3)) == 334  # 1,000 / 3 = 333.3…, at least: 334
    assert runoff_minimum(999, Fraction(1, 3)) == 333  # 999 / 3 = 333 exactly
    assert runoff_minimum(0, Fraction(1, 3)) == 1  # never less than one vote


def test_threshold_501_of_1000():
    # 1,000 issued: 501 wins, 500 (exactly half) does not.
    assert office(tally({"director": {"d1": 501}}), "director").elected == ("d1",)
    result = tally({"director": {"d1": 500, "d2": 480}})
    assert office(result, "director").threshold == 501
    assert office(result, "director").elected == ()
    assert office(result, "director").unfilled == 1


def test_threshold_501_of_1001():
    # 1,001 issued: half is 500.5, so 501 wins and 500 does not.
    result = tally({"director": {"d1": 501}}, issued=1001)
    assert office(result, "director").threshold == 501
    assert office(result, "director").elected == ("d1",)
    result = tally({"director": {"d1": 500}}, issued=1001)
    assert office(result, "director").elected == ()


def test_majority_base_is_issued_by_default_and_returned_by_override():
    # 1,000 issued, 990 returned; d1 has 500.
    # Issued: 1,000 / 2 = 500 → 501 needed, d1 fails.
    # Returned: 990 / 2 = 495 → 496 needed, d1 wins.
    counts = {"director": {"d1": 500, "d2": 480}}
    by_issued = office(tally(counts, issued=1000, returned=990), "director")
    assert (by_issued.threshold, by_issued.elected) == (501, ())
    returned_base = apply_overrides(NATIONAL, {"majority_base": "returned"})
    by_returned = office(
        tally(counts, issued=1000, returned=990, profile=returned_base), "director"
    )
    assert (by_returned.threshold, by_returned.elected) == (496, ("d1",))
    assert by_returned.reasons["d2"] == "below_threshold"  # 480 < 496


def test_threshold_function_follows_the_profile():
    vote = Vote(offices=COMMITTEE, electorate=1200, ballots_issued=1000, ballots_returned=990)
    assert threshold(vote) == 501
    assert threshold(replace(vote, profile=replace(NATIONAL, majority_base="returned"))) == 496
    # A run-off needs a third of the ballots cast (returned), whatever the majority
    # base: 990 / 3 = 330.
    assert threshold(replace(vote, round="runoff")) == 330


# --- §7 item 3: invalid sections, unreadable parts, invalid ballots -------------------


# Six ballots of ten voters (6 > 5: the vote stands); majority 6 / 2 + 1 = 4.
SECTION_BALLOTS = [
    {"director": ["d1"], "deputy": ["p1"], "member": ["m1", "m2", "m3"]},
    {"director": ["d1", "d2"], "deputy": ["p1"], "member": ["m1", "m2"]},  # 主任 over-voted
    {"director": ["d1"], "deputy": ["p1"], "member": ["m1", "m2", "m3", "m4"]},  # 委员 over
    {"director": None, "deputy": ["p1"], "member": ["m1", "m3"]},  # 主任 unreadable
    {"invalid": True},  # wholly invalid
    {"director": ["d1", "d1"], "member": ["m1", "m1", "m2"]},  # duplicates; no 副主任 marked
]


def test_over_voted_section_is_invalid_for_that_office_only():
    result = tally(ballots=SECTION_BALLOTS, electorate=10, issued=6)
    assert result.valid
    # 主任: d1 on ballots 1, 3, 6 = 3; invalid: 2 (over), 4 (unreadable), 5 (whole) = 3.
    assert votes(result, "director") == {"d1": 3}
    assert office(result, "director").invalid == 3
    # 副主任: p1 on ballots 1–4 = 4 (ballot 2's over-voted 主任 does not touch it);
    # invalid: ballot 5 only; ballot 6 has no 副主任 marks, a blank section, not invalid.
    assert votes(result, "deputy") == {"p1": 4}
    assert office(result, "deputy").invalid == 1
    assert office(result, "deputy").elected == ("p1",)  # 4 ≥ 4
    # 委员: ballot 3 marks 4 people for 3 seats: invalid, and ballot 5.
    # m1: ballots 1, 2, 4, 6 = 4; m2: 1, 2, 6 = 3; m3: 1, 4 = 2; m4: none counted.
    assert votes(result, "member") == {"m1": 4, "m2": 3, "m3": 2}
    assert office(result, "member").invalid == 2
    assert office(result, "member").elected == ("m1",)
    assert office(result, "member").unfilled == 2


def test_duplicate_mark_counts_once_and_does_not_over_vote():
    # 委员 [m1, m1, m2] names two people for three seats: valid, one vote each.
    # 主任 [d1, d1] names one person for one seat: valid, one vote.
    result = tally(ballots=[SECTION_BALLOTS[5]], electorate=1, issued=1)
    assert votes(result, "member") == {"m1": 1, "m2": 1}
    assert votes(result, "director") == {"d1": 1}
    assert office(result, "member").invalid == office(result, "director").invalid == 0


def test_wholly_invalid_ballot_is_invalid_for_every_office():
    result = tally(ballots=[{"invalid": True}] * 3, electorate=5, issued=3)
    assert result.valid  # 3 of 5 took part
    for o in result.offices:
        assert o.invalid == 3 and o.votes == () and o.elected == ()
        assert o.unfilled == o.seats


def test_unreadable_section_leaves_the_rest_counted():
    ballots = [{"director": ["d1"], "deputy": None, "member": ["m1"]}]
    result = tally(ballots=ballots, electorate=1, issued=1)
    assert office(result, "deputy").invalid == 1
    assert votes(result, "director") == {"d1": 1} and votes(result, "member") == {"m1": 1}


def test_totals_give_the_same_result_as_the_ballots():
    # The same six ballots as totals (CONTRACTS §4: "counts" may replace "ballots").
    counts = {
        "director": {"d1": 3, "invalid": 3},
        "deputy": {"p1": 4, "invalid": 1},
        "member": {"m1": 4, "m2": 3, "m3": 2, "invalid": 2},
    }
    from_ballots = tally(ballots=SECTION_BALLOTS, electorate=10, issued=6)
    from_counts = tally(counts, electorate=10, issued=6, returned=6)
    assert from_counts.as_json() == from_ballots.as_json()
    for a, b in zip(from_counts.offices, from_ballots.offices, strict=True):
        assert a.reasons == b.reasons


def test_zero_in_totals_is_no_vote():
    result = tally({"director": {"d1": 700, "d2": 0}})
    assert votes(result, "director") == {"d1": 700}


# --- §7 item 5: more winners than seats, ties, write-ins --------------------------------


def test_more_majority_winners_than_seats_most_votes_win():
    # 3 seats; 800, 700, 650, 600 all > 500: the three with most votes win.
    result = tally(members(m1=800, m2=700, m3=650, m4=600))
    member = office(result, "member")
    assert member.elected == ("m1", "m2", "m3")
    assert member.revote == () and member.unfilled == 0 and member.runoff_candidates == ()
    assert member.reasons["m4"] == "outranked"


def test_tie_at_the_cut_off_goes_to_a_revote_among_the_tied():
    # 3 seats: 700 and 650 are in; 550 and 550 share the third seat → re-vote.
    member = office(tally(members(m1=700, m2=650, m3=550, m4=550, m5=520)), "member")
    assert member.elected == ("m1", "m2")
    assert member.revote == (tuple(in_stroke_order("m3", "m4")),)
    # The re-voted seat is neither filled nor open for a run-off; m5 (520 > 500) is out.
    assert member.unfilled == 0 and member.runoff_candidates == ()
    assert member.reasons["m3"] == member.reasons["m4"] == "tied"
    assert member.reasons["m5"] == "outranked"


def test_three_tied_for_two_seats():
    # 800 is in; 600, 600, 600 for the remaining 2 seats: 1 + 2 = 3 seats.
    member = office(tally(members(m1=800, m2=600, m3=600, m4=600)), "member")
    assert member.elected == ("m1",)
    assert member.revote == (tuple(in_stroke_order("m2", "m3", "m4")),)
    assert member.unfilled == 0


def test_tie_below_the_cut_off_does_not_matter():
    # 3 seats: 650, 600, 580 win; 560 and 560 tie for fourth place: no re-vote.
    member = office(tally(members(m1=650, m2=600, m3=580, m4=560, m5=560)), "member")
    assert member.elected == ("m1", "m2", "m3")
    assert member.revote == ()
    # Nor does a tie below the threshold: 300 and 300 of 1,000.
    member = office(tally(members(m1=800, m2=700, m3=650, m4=300, m5=300)), "member")
    assert member.elected == ("m1", "m2", "m3") and member.revote == ()


def test_tie_that_fits_the_seats_is_no_tie():
    # 3 seats: 800, 600, 600: all three fit.
    member = office(tally(members(m1=800, m2=600, m3=600, m4=200)), "member")
    assert member.elected == ("m1",) + tuple(in_stroke_order("m2", "m3"))
    assert member.revote == ()


def test_write_ins_are_counted_and_can_win():
    # 另选他人: 李四 written 600 times beats the candidate's 350 of 1,000 (600 > 500).
    counts = {"director": {"d1": 350, "李四": 600}, "deputy": {"p1": 700}}
    director = office(tally(counts), "director")
    assert director.elected == ("李四",)
    assert director.as_json()["votes"] == [
        {"who": "李四", "name": "李四", "votes": 600, "write_in": True},
        {"who": "d1", "name": "王建国", "votes": 350, "write_in": False},
    ]


def test_write_ins_from_ballots():
    # Five voters, five ballots: majority 3.
    ballots = [{"director": ["李四"]}] * 3 + [{"director": ["d1"]}] * 2
    director = office(tally(ballots=ballots, electorate=5, issued=5), "director")
    assert {t.who: (t.votes, t.write_in) for t in director.votes} == {
        "李四": (3, True),
        "d1": (2, False),
    }
    assert director.elected == ("李四",)


def test_unfilled_seats_and_runoff_candidates():
    # 3 seats, majority 501: only m1 (700) wins; 2 seats open.
    # Run-off: 2 + 1 = 3 with most votes: m2 500, m3 450, m4 400 — and m5 400,
    # tied at the edge, is included; m6 (write-in, 100) is not.
    member = office(tally(members(m1=700, m2=500, m3=450, m4=400, m5=400, 王芳=100)), "member")
    assert member.elected == ("m1",)
    assert member.unfilled == 2 and member.revote == ()
    assert member.runoff_candidates == ("m2", "m3", *in_stroke_order("m4", "m5"))
    assert member.reserved_for_woman == 0


def test_runoff_candidates_of_a_single_seat():
    # 主任: 480 < 501, nobody wins; 1 + 1 = 2 candidates: d1 and d2 (not d3 with 100).
    director = office(tally({"director": {"d1": 480, "d2": 400, "d3": 100}}), "director")
    assert director.elected == () and director.unfilled == 1
    assert director.runoff_candidates == ("d1", "d2")


# --- §7 item 7: the run-off round -------------------------------------------------------


def runoff(counts, **kw) -> OfficeResult:
    return office(tally(counts, round="runoff", offices=(DIRECTOR,), **kw), "director")


def test_runoff_most_votes_win_with_a_third_of_the_ballots():
    # 1,000 ballots: at least 1,000 / 3 = 333.3… → 334.
    # 400 is the most and ≥ 334: elected although not a majority; 350 ≥ 334 is outranked.
    director = runoff({"director": {"d1": 400, "d2": 350}})
    assert director.threshold == 334
    assert director.elected == ("d1",)
    assert director.reasons["d2"] == "outranked"


def test_runoff_below_a_third_elects_no_one():
    # 333 < 334: the seat stays open.
    director = runoff({"director": {"d1": 333, "d2": 300}})
    assert director.elected == () and director.unfilled == 1
    # 334 is enough.
    assert runoff({"director": {"d1": 334, "d2": 300}}).elected == ("d1",)


def test_runoff_threshold_of_999_is_333():
    # 999 / 3 = 333 exactly: 333 wins.
    director = runoff({"director": {"d1": 333, "d2": 300}}, issued=999)
    assert director.threshold == 333 and director.elected == ("d1",)


def test_runoff_tie_at_the_top_goes_to_a_revote():
    director = runoff({"director": {"d1": 400, "d2": 400}})
    assert director.elected == ()
    assert director.revote == (tuple(in_stroke_order("d1", "d2")),)
    assert director.unfilled == 0


def test_runoff_still_needs_turnout():
    # 600 of 1,200 is not more than half, in the run-off too.
    result = tally({"director": {"d1": 500}}, round="runoff", offices=(DIRECTOR,), issued=600)
    assert result.void_reasons == ("turnout_not_majority",)
    assert office(result, "director").elected == ()


# --- §7 item 6: separate offices and cascade counting -----------------------------------

# Seven ballots of ten voters; majority 7 / 2 + 1 = 4. A and B stand for 主任, C and D
# for 副主任, E–H for 委员.
PEOPLE = tuple(
    Candidate(who, name, office, "M")
    for who, name, office in (
        ("A", "王建国", "director"),
        ("B", "李明", "director"),
        ("C", "张伟", "deputy"),
        ("D", "刘洋", "deputy"),
        ("E", "杨帆", "member"),
        ("F", "赵磊", "member"),
        ("G", "周强", "member"),
        ("H", "钱进", "member"),
    )
)
CASCADE_BALLOTS = [
    {"director": ["A"], "deputy": ["C"], "member": ["E", "F", "G"]},
    {"director": ["A"], "deputy": ["C"], "member": ["E", "F", "G"]},
    {"director": ["A"], "deputy": ["B"], "member": ["E", "F"]},
    {"director": ["A"], "deputy": ["D"], "member": ["B", "E"]},
    {"director": ["B"], "deputy": ["B"], "member": ["E"]},  # B twice: one vote
    {"director": ["B"], "deputy": ["C"], "member": ["F", "G", "H"]},
    {"director": ["B"], "deputy": ["D"], "member": ["C", "F", "H"]},
]


def cascade(ballots=CASCADE_BALLOTS, mode="cascade", electorate=10) -> Result:
    return tally(
        ballots=ballots,
        candidates=PEOPLE,
        electorate=electorate,
        issued=len(ballots),
        mode=mode,
    )


def test_cascade_counting():
    result = cascade()
    # 主任: A on ballots 1–4 = 4 ≥ 4 → elected; B on 5–7 = 3.
    assert votes(result, "director") == {"A": 4, "B": 3}
    assert office(result, "director").elected == ("A",)
    # 副主任 = 主任 + 副主任 marks, one vote per ballot per person:
    #   B: ballot 3 (副主任) + ballots 5, 6, 7 (主任; ballot 5 marks B twice: once) = 4
    #   C: ballots 1, 2, 6 = 3;  D: ballots 4, 7 = 2;
    #   A (4 主任 votes) won 主任 and leaves the lower counts.
    assert votes(result, "deputy") == {"B": 4, "C": 3, "D": 2}
    assert office(result, "deputy").elected == ("B",)
    # 委员 = all three sections:
    #   E: ballots 1–5 = 5;  F: 1, 2, 3, 6, 7 = 5;  C: 1, 2, 6 (副主任) + 7 (委员) = 4;
    #   G: 1, 2, 6 = 3;  D: 4, 7 = 2;  H: 6, 7 = 2;  A and B won above and leave.
    assert votes(result, "member") == {"E": 5, "F": 5, "C": 4, "G": 3, "D": 2, "H": 2}
    member = office(result, "member")
    assert member.elected == (*in_stroke_order_of(PEOPLE, "E", "F"), "C")
    assert member.reasons["G"] == "below_threshold"


def in_stroke_order_of(people, *ids: str) -> list[str]:
    by_name = {p.name: p.id for p in people if p.id in ids}
    return [by_name[n] for n in sort_names(by_name)]


def test_the_same_ballots_counted_separately():
    # Without cascade: 副主任 B: ballots 3, 5 = 2; C: 1, 2, 6 = 3; D: 4, 7 = 2 → no one
    # reaches 4, the seat is open.
    result = cascade(mode="separate")
    assert votes(result, "deputy") == {"C": 3, "B": 2, "D": 2}
    assert office(result, "deputy").elected == ()
    assert office(result, "deputy").unfilled == 1


def test_cascade_marks_above_an_invalid_section_still_count():
    # 副主任 over-voted on all three ballots: invalid for 副主任, but a 主任 mark is a
    # 主任 vote, and a 副主任 candidate's votes include his 主任 votes.
    # 3 of 4 voters; majority 2: A (2 主任 votes) wins 主任 and leaves; B has 1.
    ballots = [{"director": ["B"], "deputy": ["C", "D"], "member": ["E"]}] + [
        {"director": ["A"], "deputy": ["C", "D"], "member": ["E"]}
    ] * 2
    result = cascade(ballots, electorate=4)
    assert office(result, "director").elected == ("A",)
    assert office(result, "deputy").invalid == 3
    assert votes(result, "deputy") == {"B": 1}
    assert votes(result, "member") == {"E": 3, "B": 1}


def test_separate_offices_a_director_winner_does_not_take_a_lower_seat():
    # d1 wins 主任 with 700; 600 voters also wrote d1 in for 委员 — he holds one office
    # only, so the 3 委员 seats go to m1, m2 and m3.
    counts = {**WINNERS, "member": {"m1": 800, "m2": 700, "d1": 600, "m3": 550}}
    member = office(tally(counts), "member")
    assert member.elected == ("m1", "m2", "m3")
    assert member.reasons["d1"] == "elected_higher"


# --- §7 item 8: the reserved woman seat -----------------------------------------------


def test_woman_over_the_threshold_replaces_the_lowest_member_winner():
    # Hunan: m1 800, m2 700, m3 600 would win; no woman is elected anywhere.
    # w1 has 550 ≥ 501: she takes the last seat; m3 (600, the lowest winner) leaves.
    counts = members(m1=800, m2=700, m3=600, w1=550, w2=300)
    result = tally(counts, profile=HUNAN)
    member = office(result, "member")
    assert member.elected == ("m1", "m2", "w1")
    assert member.reasons["w1"] == "woman_seat"
    assert member.reasons["m3"] == "displaced_by_woman"
    assert member.unfilled == 0 and member.reserved_for_woman == 0
    assert result.woman_elected is True
    # The national profile has no reserved seat.
    national = tally(counts, profile=NATIONAL)
    assert office(national, "member").elected == ("m1", "m2", "m3")
    assert national.woman_elected is False


def test_the_woman_with_most_votes_takes_the_seat():
    # w1 530 and w3 510 both passed 501: w1 (most votes) takes the seat from m3 (560).
    counts = members(m1=750, m2=650, m3=560, w1=530, w3=510)
    member = office(tally(counts, profile=HUNAN), "member")
    assert member.elected == ("m1", "m2", "w1")
    assert member.reasons["w3"] == "outranked"


def test_no_woman_passed_leaves_a_member_seat_open_for_women():
    # Hunan: w1 450 < 501. m3 (600) gives up the last seat, which stays open for a
    # woman-only 另行选举 with 1 + 1 = 2 women: w1 450 and w2 250 (not w3 with 150).
    counts = members(m1=800, m2=700, m3=600, w1=450, w2=250, w3=150, m4=50)
    result = tally(counts, profile=HUNAN)
    member = office(result, "member")
    assert member.elected == ("m1", "m2")
    assert member.unfilled == 1 and member.reserved_for_woman == 1
    assert member.runoff_candidates == ("w1", "w2")
    assert member.reasons["m3"] == "seat_reserved"
    assert result.woman_elected is False


def test_reserved_seat_among_seats_already_open():
    # Hunan: only m1 (800) and m2 (700) pass, one seat is open anyway; no woman passed,
    # so that open seat is for women only: candidates w1 450 and w2 300.
    member = office(
        tally(members(m1=800, m2=700, m3=480, w1=450, w2=300, w3=200), profile=HUNAN), "member"
    )
    assert member.elected == ("m1", "m2")
    assert member.unfilled == 1 and member.reserved_for_woman == 1
    assert member.runoff_candidates == ("w1", "w2")


def test_a_woman_elected_director_leaves_the_members_as_they_are():
    counts = {
        "director": {"d3": 700, "d1": 290},  # 马丽 (F) wins 主任
        "deputy": {"p1": 650},
        "member": {"m1": 800, "m2": 700, "m3": 600, "w1": 550},
    }
    result = tally(counts, profile=HUNAN)
    assert office(result, "director").elected == ("d3",)
    assert office(result, "member").elected == ("m1", "m2", "m3")
    assert office(result, "member").reserved_for_woman == 0
    assert result.woman_elected is True


def test_a_woman_among_the_member_winners_changes_nothing():
    member = office(tally(members(w2=800, m1=700, m2=600, w1=550), profile=HUNAN), "member")
    assert member.elected == ("w2", "m1", "m2")


def test_a_woman_written_in_can_take_the_reserved_seat():
    counts = members(m1=800, m2=700, m3=600, 孙红=560)
    result = tally(counts, profile=HUNAN, write_in_sex={"孙红": "F"})
    assert office(result, "member").elected == ("m1", "m2", "孙红")
    assert result.woman_elected is True


def test_no_reserved_seat_in_a_runoff_round():
    # A 另行选举 for 3 member seats under the Hunan profile: most votes ≥ 334 win, men
    # or women; the reservation belongs to the first vote.
    result = tally(
        {"member": {"m1": 800, "m2": 700, "m3": 600, "w1": 550}},
        offices=(MEMBER,),
        round="runoff",
        profile=HUNAN,
    )
    member = office(result, "member")
    assert member.elected == ("m1", "m2", "m3")
    assert member.reserved_for_woman == 0 and member.unfilled == 0


def test_a_woman_tied_at_the_cut_off_takes_the_seat():
    # Hunan, 3 seats: m1 800, m2 700 are in; m3 and w1 tie at 600 for the third seat.
    # No woman is elected, and w1 passed: the seat is hers, no re-vote is needed.
    member = office(tally(members(m1=800, m2=700, m3=600, w1=600), profile=HUNAN), "member")
    assert member.elected == ("m1", "m2", "w1")
    assert member.revote == () and member.unfilled == 0
    assert member.reasons["m3"] == "displaced_by_woman"


def test_no_woman_passed_and_a_tie_at_the_cut_off():
    # Hunan, 3 seats: m1 800, m2 700 are in; m3 and m4 tie at 600 for the third seat,
    # w1 (250) did not pass. The seat they would re-vote for is kept for a woman.
    counts = members(m1=800, m2=700, m3=600, m4=600, w1=250)
    member = office(tally(counts, profile=HUNAN), "member")
    assert member.elected == ("m1", "m2")
    assert member.revote == ()
    assert member.unfilled == 1 and member.reserved_for_woman == 1
    assert member.runoff_candidates == ("w1",)  # the only woman with votes
    assert member.reasons["m3"] == member.reasons["m4"] == "seat_reserved"


def test_woman_seat_when_the_lowest_winners_are_tied():
    # Hunan, 3 seats: m1 800, m2 700, m3 700; w1 550 passed and takes the last seat.
    # That leaves 2 seats for m1, m2 and m3: m1 is in, and m2 and m3 are tied at the
    # cut-off for the one seat left — a re-vote among the tied (§7 item 5), not the
    # stroke order of their names.
    member = office(tally(members(m1=800, m2=700, m3=700, w1=550), profile=HUNAN), "member")
    assert member.elected == ("m1", "w1")
    assert member.revote == (tuple(in_stroke_order("m2", "m3")),)
    assert member.unfilled == 0


def test_woman_seat_when_the_women_are_tied():
    # Hunan: no woman elected; w1 and w2 both have 520 ≥ 501 and tie for "the woman
    # with the most votes": the tied women re-vote for the reserved seat (§7 items 5
    # and 8); m3 (560) gives up the last seat either way.
    counts = members(m1=750, m2=650, m3=560, w1=520, w2=520)
    member = office(tally(counts, profile=HUNAN), "member")
    assert member.elected == ("m1", "m2")
    assert member.revote == (tuple(in_stroke_order("w1", "w2")),)
    assert member.unfilled == 0


def test_woman_seat_and_a_revote_at_the_cut_off():
    # Hunan, 3 seats: m1 700; m2, m3, m4 tie at 580 for 2 seats. w1 520 passed and
    # takes one seat, so m2, m3, m4 re-vote for the 1 seat left: 1 + 1 + 1 = 3.
    counts = members(m1=700, m2=580, m3=580, m4=580, w1=520)
    member = office(tally(counts, profile=HUNAN), "member")
    assert member.elected == ("m1", "w1")
    assert member.revote == (tuple(in_stroke_order("m2", "m3", "m4")),)
    assert member.unfilled == 0


# --- §8: party elections ----------------------------------------------------------------

PARTY_SEATS = Office("committee", "委员", 5)
PARTY = tuple(
    Candidate(f"q{i}", name, "committee", "M")
    for i, name in enumerate(["丁一", "马兰", "王芳", "方明", "刘洋", "孙红"], start=1)
)


def party(counts=None, *, due=100, present=81, issued=None, returned=None, **kw) -> Result:
    issued = present if issued is None else issued
    return tally(
        counts,
        offices=(PARTY_SEATS,),
        candidates=PARTY,
        kind="party",
        electorate=due,
        present=present,
        issued=issued,
        returned=returned,
        **kw,
    )


def test_party_quorum_of_exactly_four_fifths_fails():
    # 80 present of 100 due = 4/5, not more: void.
    result = party({"committee": {"q1": 80}}, present=80)
    assert result.void_reasons == ("quorum_not_met",)
    assert office(result, "committee").elected == ()


def test_party_quorum_of_81_passes():
    result = party({"committee": {"q1": 81}}, present=81)
    assert result.valid and office(result, "committee").elected == ("q1",)


def test_party_majority_is_of_those_due():
    # 100 due, 81 present: more than half of the 100 due is 51, even with 81 present.
    result = party({"committee": {"q1": 60, "q2": 51, "q3": 50, "q4": 45}})
    committee = office(result, "committee")
    assert committee.threshold == 51
    assert committee.elected == ("q1", "q2")
    assert committee.unfilled == 3


def test_party_majority_of_those_present_by_the_older_rule():
    # "present": 81 / 2 = 40.5 → 41. q3 (50) and q4 (45) now win too.
    by_present = apply_overrides(NATIONAL, {"party_majority_base": "present"})
    committee = office(
        party({"committee": {"q1": 60, "q2": 51, "q3": 50, "q4": 45}}, profile=by_present),
        "committee",
    )
    assert committee.threshold == 41
    assert committee.elected == ("q1", "q2", "q3", "q4")


def test_party_ballot_approving_more_than_the_seats_is_invalid():
    # Five seats; the second ballot approves six people: invalid.
    ballots = [
        {"committee": ["q1", "q2", "q3", "q4", "q5"]},
        {"committee": ["q1", "q2", "q3", "q4", "q5", "q6"]},
    ]
    result = party(ballots=ballots, due=2, present=2)
    assert office(result, "committee").invalid == 1
    assert votes(result, "committee") == {f"q{i}": 1 for i in range(1, 6)}


def test_party_more_returned_than_issued_is_void():
    result = party({"committee": {"q1": 70}}, issued=81, returned=82)
    assert result.void_reasons == ("returned_exceeds_issued",)
    assert office(result, "committee").elected == ()


def test_party_runoff_keeps_the_party_majority():
    # A party 另行选举 needs the same majority: 51 of 100 due; 40 of 81 is not enough
    # although it is more than a third.
    result = party({"committee": {"q1": 51, "q2": 40}}, round="runoff")
    assert office(result, "committee").threshold == 51
    assert office(result, "committee").elected == ("q1",)


def test_party_vote_has_no_reserved_woman_seat():
    result = party({"committee": {f"q{i}": 70 for i in range(1, 6)}}, profile=HUNAN)
    committee = office(result, "committee")
    assert len(committee.elected) == 5 and committee.reserved_for_woman == 0


# --- CONTRACTS §4: output ----------------------------------------------------------------


def test_votes_most_first_then_stroke_order():
    # Equal votes are listed in 姓氏笔画 order, write-ins among them by the name written.
    counts = {"member": {"m1": 300, "m2": 500, "w1": 300, "李四": 300, "丁一": 300, "m3": 100}}
    member = office(tally(counts, offices=(MEMBER,)), "member")
    tied = ["m1", "w1", "李四", "丁一"]
    assert [t.who for t in member.votes] == ["m2", *in_stroke_order(*tied), "m3"]
    names = [t.name for t in member.votes]
    assert names[1:5] == sort_names(names[1:5])


def test_result_as_json_has_the_contract_keys():
    data = tally(members(m1=800, m2=700, m3=600)).as_json()
    assert list(data) == ["valid", "void_reasons", "turnout", "offices", "woman_elected"]
    assert list(data["turnout"]) == ["electorate", "participants", "rate"]
    assert data["turnout"] == {"electorate": 1200, "participants": 1000, "rate": 0.8333}
    assert list(data["offices"][0]) == [
        "id",
        "seats",
        "threshold",
        "votes",
        "invalid",
        "elected",
        "revote",
        "unfilled",
        "reserved_for_woman",
        "runoff_candidates",
    ]
    assert [o["id"] for o in data["offices"]] == ["director", "deputy", "member"]


# --- explanations -------------------------------------------------------------------------


def sentences(o: OfficeResult, language="zh") -> dict[str, str]:
    return {t.who: text for t, text in explain(o, language)}


def test_explain_says_why_in_chinese_and_english():
    # 3 seats, 501 needed: m1 and m2 in, m3 and m4 tied for the third, m5 outranked.
    counts = members(m1=700, m2=600, m3=560, m4=560, m5=530, w1=40)
    member = office(tally(counts), "member")
    zh = sentences(member)
    assert zh["m1"] == "得票700，达到当选票数501，当选"
    assert zh["m3"] == "得票560，与他人在当选名次上票数相等，须就票数相等者重新投票"
    assert zh["m5"] == "得票530，达到当选票数但名额已由得票更多者当选"
    assert zh["w1"] == "得票40，未达到当选票数501"
    en = sentences(member, "en")
    assert en["m1"] == "700 votes, at least the 501 needed: elected"
    assert (
        en["m3"] == "560 votes, tied with others at the last seat: a re-vote among the tied decides"
    )
    assert en["w1"] == "40 votes, fewer than the 501 needed"
    # In the order of the votes.
    assert [t.who for t, _ in explain(member)] == [t.who for t in member.votes]


def test_explain_the_reserved_seat():
    member = office(tally(members(m1=800, m2=700, m3=600, w1=550), profile=HUNAN), "member")
    zh = sentences(member)
    assert zh["w1"] == "得票550，达到当选票数501，按妇女委员专职专选当选"
    assert zh["m3"] == "得票600，达到当选票数，但最后一个名额依法由妇女当选"
    member = office(tally(members(m1=800, m2=700, m3=600, w1=450), profile=HUNAN), "member")
    assert sentences(member)["m3"] == "得票600，达到当选票数，但最后一个名额须留给妇女另行选举"
    assert sentences(member, "en")["m3"] == (
        "600 votes, enough to win, but the last seat is kept for a woman-only run-off"
    )


def test_explain_higher_office_and_void():
    counts = {**WINNERS, "member": {"m1": 800, "d1": 600}}
    assert sentences(office(tally(counts), "member"))["d1"] == "已当选更高职务"
    void = office(tally(counts, issued=1000, returned=1001), "member")
    assert set(sentences(void).values()) == {"选举无效，无人当选"}
    assert set(sentences(void, "en").values()) == {"the vote is void: no one is elected"}


def test_every_person_counted_has_a_reason():
    result = tally(members(m1=700, m2=600, m3=560, m4=560, w1=520), profile=HUNAN)
    for o in result.offices:
        assert set(o.reasons) >= {t.who for t in o.votes}
        assert set(o.reasons.values()) <= set(REASONS)


@pytest.mark.parametrize("profile", [NATIONAL, HUNAN])
def test_profiles_agree_on_a_plain_vote(profile):
    # A woman wins a member seat outright: both profiles give the same result.
    result = tally(members(m1=800, w1=700, m2=600, m3=550), profile=profile)
    assert office(result, "member").elected == ("m1", "w1", "m2")
    assert result.woman_elected is True


def test_someone_tied_for_a_higher_office_does_not_stand_for_a_lower_one():
    # Director: 李四 and 张三 tie at 600 (of 1,000) — a re-vote. 李四's 600 votes as
    # deputy do not count there while the director re-vote is pending: d1 (550) wins.
    counts = {
        "director": {"李四": 600, "张三": 600},
        "deputy": {"李四": 600, "d1": 550},
    }
    result = tally(counts, offices=(DIRECTOR, DEPUTY))
    director, deputy = office(result, "director"), office(result, "deputy")
    assert director.revote == (tuple(in_stroke_order("李四", "张三")),)
    assert deputy.elected == ("d1",)
    assert deputy.reasons["李四"] == "tied_higher"
