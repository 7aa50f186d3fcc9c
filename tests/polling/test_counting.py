"""Entering the count of 金茶村's first vote (tests/polling/conftest.py): two counters
type the ballots, the scrutineers settle where they differ, the boxes' sheets give the
ballots issued and returned, and the rules core counts.

Keys: director 1 王芳, 2 刘伟; members 1 方敏, 2 李军, 3 吴丽.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from polling_shared import ids, type_in

from huanjie.audit.models import Record
from huanjie.cycles.models import ProfileOverride
from huanjie.cycles.services import RuleViolation
from huanjie.polling import counting
from huanjie.polling.models import BallotEntry, Poll, Station

pytestmark = pytest.mark.usefixtures("english")

#: Ten ballots: 刘伟 6 for director (elected, 6 of 10 issued), members 吴丽 7 and 方敏 6;
#: ballot 8 over-votes the members, ballot 9 writes in 丁一 and 陈霞, ballot 10 is void.
BALLOTS = [
    "2 / 13",
    "2 / 13",
    "2 / 12",
    "2 / 13",
    "2 / 23",
    "2 / 13",
    "1 / 13",
    "1 / 123",
    "+丁一 / 3 +陈霞",
    "x",
]


def test_two_counters_who_agree_give_the_count(boxed, user_committee_a1, user_township_a):
    type_in(user_committee_a1, boxed, 1, BALLOTS)
    type_in(user_township_a, boxed, 2, BALLOTS)
    assert counting.disagreements(boxed) == []
    result = counting.compute(user_committee_a1, boxed)
    who = ids(boxed)
    director, member = result.offices
    assert result.valid and result.participants == 10
    assert director.threshold == 6
    assert director.elected == (who["刘伟"],)
    assert [(t.name, t.votes, t.write_in) for t in director.votes] == [
        ("刘伟", 6, False),
        ("王芳", 2, False),
        ("丁一", 1, True),
    ]
    assert director.invalid == 1
    assert member.elected == (who["吴丽"], who["方敏"])
    assert member.invalid == 2  # the over-voted section and the void ballot
    assert ("陈霞", 1, True) in [(t.name, t.votes, t.write_in) for t in member.votes]


def test_a_discrepancy_stops_the_count_until_the_scrutineers_read_the_ballot(
    boxed, user_committee_a1, user_township_a
):
    type_in(user_committee_a1, boxed, 1, BALLOTS)
    type_in(user_township_a, boxed, 2, [*BALLOTS[:4], "2 / 12", *BALLOTS[5:]])
    assert counting.disagreements(boxed) == [5]
    with pytest.raises(RuleViolation, match="differ on ballots 5"):
        counting.compute(user_committee_a1, boxed)
    number, first, second = counting.disagreement_rows(boxed)[0]
    keys = counting.keyboard(boxed)
    assert (number, keys.format(first), keys.format(second)) == (5, "2 / 23", "2 / 12")

    counting.reconcile(user_committee_a1, boxed, 5, keys.parse("2 / 23"))
    assert counting.disagreements(boxed) == []
    assert counting.compute(user_committee_a1, boxed).offices[1].elected == (
        ids(boxed)["吴丽"],
        ids(boxed)["方敏"],
    )
    settled = Record.objects.get(action="polling.ballot_reconcile")
    who = ids(boxed)
    assert settled.before == {
        "number": 5,
        "entries": {
            "1": {"director": [who["刘伟"]], "member": [who["李军"], who["吴丽"]]},
            "2": {"director": [who["刘伟"]], "member": [who["方敏"], who["李军"]]},
        },
    }
    read = {"director": [who["刘伟"]], "member": [who["李军"], who["吴丽"]]}
    assert settled.after == {"number": 5, "entries": {"1": read, "2": read}}


def test_a_ballot_only_one_counter_entered_is_a_discrepancy(boxed, user_committee_a1):
    type_in(user_committee_a1, boxed, 1, BALLOTS)
    type_in(user_committee_a1, boxed, 2, BALLOTS[:9])
    assert counting.disagreements(boxed) == [10]
    assert counting.readings(boxed, 10) == {1: {"invalid": True}, 2: None}
    counting.reconcile(user_committee_a1, boxed, 10, {"invalid": True})
    assert BallotEntry.objects.get(poll=boxed, counter=2, number=10).marks == {"invalid": True}


def test_the_order_of_typing_does_not_matter(poll, user_committee_a1):
    keys = counting.keyboard(poll)
    counting.enter(user_committee_a1, poll, 1, 1, keys.parse("2 / 31"))
    counting.enter(user_committee_a1, poll, 2, 1, keys.parse("2/13"))
    assert counting.disagreements(poll) == []


def test_entering_again_changes_the_counters_entry(poll, user_committee_a1):
    keys = counting.keyboard(poll)
    counting.enter(user_committee_a1, poll, 1, 1, keys.parse("1 / 12"))
    counting.enter(user_committee_a1, poll, 1, 2, keys.parse("2 / 3"))
    assert counting.next_number(poll, 1) == 3
    assert counting.next_number(poll, 2) == 1
    entry = counting.enter(user_committee_a1, poll, 1, 1, keys.parse("1 / 13"))
    assert poll.entries.filter(counter=1).count() == 2
    changed = Record.objects.filter(action="polling.ballot_enter").order_by("-seq").first()
    assert changed.before["marks"] != changed.after["marks"]
    counting.delete_entry(user_committee_a1, entry)
    assert counting.next_number(poll, 1) == 3
    assert Record.objects.filter(action="polling.ballot_delete").count() == 1


def test_write_ins(boxed, user_committee_a1):
    who = ids(boxed)
    marks = {"director": ["刘伟"], "member": [" 周洁 ", "c" + who["方敏"][1:]]}
    entry = counting.enter(user_committee_a1, boxed, 1, 1, marks)
    assert entry.marks == {"director": [who["刘伟"]], "member": [who["方敏"], "周洁"]}
    with pytest.raises(RuleViolation, match="c999 is not a candidate"):
        counting.enter(user_committee_a1, boxed, 1, 2, {"director": ["c999"]})
    with pytest.raises(RuleViolation, match="Unknown office: deputy"):
        counting.enter(user_committee_a1, boxed, 1, 2, {"deputy": []})


def test_a_woman_written_in_is_known_by_the_roll(boxed, user_committee_a1):
    lines = ["2 / +陈霞 +许静"] * 7 + ["1 / 12"] * 3
    type_in(user_committee_a1, boxed, 1, lines)
    type_in(user_committee_a1, boxed, 2, lines)
    member = counting.compute(user_committee_a1, boxed).offices[1]
    assert member.elected == ("许静", "陈霞")  # 许 (6 strokes) before 陈 (7)
    assert counting.write_in_sex(boxed, [{"member": ["许静"]}], None) == {"许静": "F"}


def test_void_ballots_and_boxes(poll, user_committee_a1, central):
    station = Station.objects.create(
        election=poll.election, kind=Station.Kind.STATION, name="第一投票站", user=user_committee_a1
    )
    mobile = Station.objects.create(
        election=poll.election,
        kind=Station.Kind.MOBILE_BOX,
        name="流动票箱",
        user=user_committee_a1,
    )
    counting.set_box(user_committee_a1, poll, central, 6, 6)
    counting.set_box(user_committee_a1, poll, mobile, 2, 1)
    counting.set_box(user_committee_a1, poll, station, 4, 3)
    type_in(user_committee_a1, poll, 1, BALLOTS)
    type_in(user_committee_a1, poll, 2, BALLOTS)
    rows = counting.box_rows(poll)
    assert [r.station.name for r in rows] == ["中心会场", "第一投票站", "流动票箱"]
    assert [(r.issued, r.returned, r.first, r.last) for r in rows] == [
        (6, 6, 1, 6),
        (4, 3, 7, 9),
        (2, 1, 10, 10),
    ]
    assert [(r.entered, r.valid, r.invalid) for r in rows] == [(6, 6, 0), (3, 3, 0), (1, 0, 1)]
    assert counting.ballot_figures(poll) == (12, 10)
    box = Record.objects.filter(action="polling.box_count").order_by("seq").last()
    assert box.after == {"station": "第一投票站", "issued": 4, "returned": 3}


def test_more_returned_than_issued_is_recorded_and_voids_the_vote(poll, central, user_committee_a1):
    with pytest.raises(RuleViolation, match="cannot be negative"):
        counting.set_box(user_committee_a1, poll, central, -1, 0)
    counting.set_box(user_committee_a1, poll, central, 9, 10)
    type_in(user_committee_a1, poll, 1, BALLOTS)
    type_in(user_committee_a1, poll, 2, BALLOTS)
    result = counting.compute(user_committee_a1, poll)
    assert not result.valid
    assert result.void_reasons == ("returned_exceeds_issued",)
    kept = counting.counted(poll)
    assert kept.void_reasons == ("returned_exceeds_issued",)
    assert set(kept.offices[0].reasons.values()) == {"void"}


def test_a_box_of_another_election_is_refused(poll, election_b1, user_county_admin):
    other = Station.objects.create(
        election=election_b1,
        kind=Station.Kind.CENTRAL,
        name="黄兴村中心会场",
        user=user_county_admin,
    )
    with pytest.raises(RuleViolation, match="not a box of this election"):
        counting.set_box(user_county_admin, poll, other, 1, 1)


def test_a_change_takes_back_the_result(boxed, user_committee_a1):
    type_in(user_committee_a1, boxed, 1, BALLOTS)
    type_in(user_committee_a1, boxed, 2, BALLOTS)
    counting.compute(user_committee_a1, boxed)
    assert boxed.result is not None
    counting.enter(user_committee_a1, boxed, 1, 11, {"invalid": True})
    boxed.refresh_from_db()
    assert boxed.result is None
    last = Record.objects.filter(action="polling.ballot_enter").order_by("-seq").first()
    assert last.after["result_withdrawn"] is True


def test_the_kept_result_is_explained(boxed, user_committee_a1):
    type_in(user_committee_a1, boxed, 1, BALLOTS)
    type_in(user_committee_a1, boxed, 2, BALLOTS)
    computed = counting.compute(user_committee_a1, boxed)
    kept = counting.counted(boxed)
    assert [dict(o.reasons) for o in kept.offices] == [dict(o.reasons) for o in computed.offices]
    rows = {(r["office"], r["name"]): r for r in counting.explanations(kept)}
    assert rows["director", "刘伟"]["zh"] == "得票6，达到当选票数6，当选"
    assert rows["director", "刘伟"]["en"] == "6 votes, at least the 6 needed: elected"
    assert rows["director", "刘伟"]["elected"] is True
    assert rows["member", "李军"]["reason"] == "below_threshold"
    assert rows["member", "李军"]["zh"] == "得票2，未达到当选票数6"
    assert counting.language_of("zh-hans") == "zh"
    assert counting.language_of("en") == "en"


def test_the_kept_figures_explain_a_result_the_records_no_longer_give(boxed, user_committee_a1):
    type_in(user_committee_a1, boxed, 1, BALLOTS)
    type_in(user_committee_a1, boxed, 2, BALLOTS)
    computed = counting.compute(user_committee_a1, boxed)
    BallotEntry.objects.filter(poll=boxed, counter=2, number=1).delete()  # behind its back
    kept = counting.counted(boxed)
    assert [dict(o.reasons) for o in kept.offices] == [dict(o.reasons) for o in computed.offices]


def test_a_result_the_rules_no_longer_give_comes_without_reasons(boxed, user_committee_a1):
    lines = ["2 / 2 +丁一"] * 7 + ["1 / 13"] * 3  # two men elected members
    type_in(user_committee_a1, boxed, 1, lines)
    type_in(user_committee_a1, boxed, 2, lines)
    assert not counting.compute(user_committee_a1, boxed).woman_elected
    ProfileOverride.objects.create(
        cycle=boxed.election.cycle,
        place=boxed.election.place,
        parameter="reserved_woman_seat",
        value=True,
    )
    kept = counting.counted(boxed)
    assert len(kept.offices[1].elected) == 2  # as counted
    assert all(not o.reasons for o in kept.offices)
    assert counting.explanations(kept) == []


def test_cascade_results_are_explained_too(boxed, user_committee_a1, user_county_admin):
    """一次投票分别计算: a director candidate's votes count for the members too, and
    the director elected leaves the members' count (DOMAIN §7 item 6)."""
    ProfileOverride.objects.create(
        cycle=boxed.election.cycle,
        place=boxed.election.place,
        parameter="cascade_counting",
        value=True,
    )
    lines = ["2 / 13"] * 4 + ["1 / 13"] * 3 + ["2 / 3"] * 3
    type_in(user_committee_a1, boxed, 1, lines)
    type_in(user_committee_a1, boxed, 2, lines)
    computed = counting.compute(user_committee_a1, boxed)
    kept = counting.counted(boxed)
    assert [dict(o.reasons) for o in kept.offices] == [dict(o.reasons) for o in computed.offices]
    assert kept.offices[1].reasons  # known


def test_totals_from_the_tally_sheet(boxed, user_committee_a1):
    who = ids(boxed)
    with pytest.raises(RuleViolation, match="ballot by ballot"):
        counting.enter_totals(user_committee_a1, boxed, {})
    counting.set_method(user_committee_a1, boxed, Poll.Method.TOTALS)
    with pytest.raises(RuleViolation, match="tally sheet"):
        counting.enter(user_committee_a1, boxed, 1, 1, {"invalid": True})
    with pytest.raises(RuleViolation, match="given twice"):
        counting.enter_totals(user_committee_a1, boxed, {"director": {who["刘伟"]: 6, "刘伟": 1}})
    with pytest.raises(RuleViolation, match="11 votes, but 10 ballots were returned"):
        counting.enter_totals(user_committee_a1, boxed, {"director": {who["刘伟"]: 11}})
    with pytest.raises(RuleViolation, match="cannot be negative"):
        counting.enter_totals(user_committee_a1, boxed, {"member": {"invalid": -1}})
    counts = counting.enter_totals(
        user_committee_a1,
        boxed,
        {
            "director": {who["刘伟"]: 7, who["王芳"]: 2, "invalid": 1},
            "member": {who["方敏"]: 6, "吴丽": 7, "周洁": 1},
        },
    )
    assert counts["member"] == {who["方敏"]: 6, who["吴丽"]: 7, "周洁": 1}
    result = counting.compute(user_committee_a1, boxed)
    assert result.offices[0].elected == (who["刘伟"],)
    assert Record.objects.filter(action="polling.totals").count() == 1
    with pytest.raises(RuleViolation, match="cannot change"):
        counting.set_method(user_committee_a1, boxed, Poll.Method.BALLOTS)


def test_a_confirmed_poll_refuses_every_change(boxed, central, user_committee_a1):
    type_in(user_committee_a1, boxed, 1, BALLOTS[:1])
    entry = boxed.entries.get()
    Poll.objects.filter(pk=boxed.pk).update(state=Poll.State.CONFIRMED)
    boxed.refresh_from_db()
    for change in (
        lambda: counting.enter(user_committee_a1, boxed, 1, 2, {"invalid": True}),
        lambda: counting.delete_entry(user_committee_a1, entry),
        lambda: counting.reconcile(user_committee_a1, boxed, 1, {"invalid": True}),
        lambda: counting.set_box(user_committee_a1, boxed, central, 3, 3),
        lambda: counting.set_method(user_committee_a1, boxed, Poll.Method.TOTALS),
        lambda: counting.enter_totals(user_committee_a1, boxed, {}),
    ):
        with pytest.raises(RuleViolation, match="confirmed and locked"):
            change()


def test_only_those_who_run_the_poll_enter_it(poll, user_observer, user_township_b):
    with pytest.raises(PermissionDenied):
        counting.enter(user_observer, poll, 1, 1, {"invalid": True})
    with pytest.raises(Http404):
        counting.enter(user_township_b, poll, 1, 1, {"invalid": True})
    with pytest.raises(RuleViolation, match="counter 1 or counter 2"):
        counting.enter(poll.user, poll, 3, 1, {"invalid": True})
    with pytest.raises(RuleViolation, match="numbered from 1"):
        counting.enter(poll.user, poll, 1, 0, {"invalid": True})
