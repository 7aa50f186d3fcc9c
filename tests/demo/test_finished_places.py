"""The demo's finished places (huanjie.demo.finished): the default seed's county of
20,000 has five places of 泉塘街道 whose elections are over, held through the services,
and the statistics count them as an independent count of the same records does.

One build for the whole module (it takes a while), rolled back at its end.
"""

from collections import Counter
from datetime import date

import pytest
from django.db import transaction
from django.test import override_settings
from independent import independent

from huanjie.audit.trail import verify
from huanjie.candidates.models import Candidate, Verdict
from huanjie.complaints.models import Complaint
from huanjie.cycles.models import Cycle, Election, Step, StepStatus
from huanjie.cycles.timeline import place_timeline
from huanjie.demo import county as demo
from huanjie.demo import finished
from huanjie.demo.load import build_demo
from huanjie.party.models import Meeting, Seat
from huanjie.places.models import Place
from huanjie.polling import outcomes
from huanjie.polling.models import CheckIn, Notice, Poll, Proxy, Station, Winner
from huanjie.reports import checks, statistics
from huanjie.reports.models import PreviousMember
from huanjie.rules.seats import Body, committee_body

RESIDENTS, SEED = 20_000, 2026
TODAY = date(2026, 11, 21)

#: The finished places of the default seed and what each shows (other tests may count
#: on these codes).
PLACES = {
    "430121003001": "rerun",  # 柏田社区: void (turnout under half), 重新选举
    "430121003004": "dual_head",  # 白河社区: party seats, the 书记 elected 主任
    "430121003007": "party",  # 银湘社区: party seats, 交叉任职, a candidate disqualified
    "430121003008": "runoff",  # 南冲社区: a member seat left open, 另行选举
    "430121003201": "filled",  # 柳园村: filled the first time, a candidate disqualified
}


@pytest.fixture(scope="module")
def summary(django_db_setup, django_db_blocker, tmp_path_factory):
    """One build for the whole module, rolled back at its end."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_demo(RESIDENTS, SEED, today=TODAY)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def cycle(summary):
    return Cycle.objects.get()


def committee_election(code):
    place = Place.objects.get(code=code)
    return Election.objects.get(place=place, body=committee_body(place.kind))


def first_vote(code):
    return Poll.objects.get(election=committee_election(code), round=Poll.Round.FIRST)


@pytest.mark.django_db
def test_the_plan_is_the_seeds_and_only_large_demos_have_one(summary):
    planned = finished.plan(demo.generate(RESIDENTS, SEED), SEED, TODAY)
    assert {code: p.role for code, p in planned.items()} == PLACES
    assert summary["finished_places"] == len(PLACES)
    assert all((TODAY - p.day).days >= finished.DAYS_AGO["filled"] for p in planned.values())
    # A small demo (the browser tests') has no place large enough.
    assert finished.plan(demo.generate(2_000, 7), 7, TODAY) == {}


@pytest.mark.django_db
def test_every_finished_place_has_confirmed_votes_and_its_committee(summary):
    for code, role in PLACES.items():
        election = committee_election(code)
        assert election.election_day < TODAY
        first = first_vote(code)
        assert first.state == Poll.State.CONFIRMED
        assert first.result["valid"] == (role != "rerun")
        state = outcomes.election_state(election)
        assert state.complete, code
        assert len(state.winners) == sum(o.seats for o in state.offices) == 5
        assert all(w.certificate_number for w in state.winners)
        assert Notice.objects.filter(election=election, kind=Notice.Kind.ANNOUNCEMENT).exists()
        women = [w for w in state.winners if w.candidate.resident.sex == "F"]
        assert women, code
    # Ballot by ballot by two counters somewhere, from the tally sheet elsewhere.
    polls = Poll.objects.filter(election__place__code__in=PLACES)
    assert {p.method for p in polls} == {Poll.Method.BALLOTS, Poll.Method.TOTALS}
    ballots = polls.filter(method=Poll.Method.BALLOTS).exclude(election__body="party_committee")
    for poll in ballots:
        assert poll.entries.filter(counter=1).count() == poll.entries.filter(counter=2).count()


@pytest.mark.django_db
def test_the_runoff_and_the_rerun(summary):
    runoff_place = next(c for c, r in PLACES.items() if r == "runoff")
    first = first_vote(runoff_place)
    assert sum(o["unfilled"] for o in first.result["offices"]) == 1
    runoff = first.followed_by.get()
    assert runoff.round == Poll.Round.RUNOFF and runoff.state == Poll.State.CONFIRMED
    assert runoff.winners.count() == 1
    steps = Step.objects.filter(place__code=runoff_place, key__in=["voting", "runoff"])
    assert {s.key: s.done_on for s in steps} == {"voting": first.held_on, "runoff": runoff.held_on}

    rerun_place = next(c for c, r in PLACES.items() if r == "rerun")
    void = first_vote(rerun_place)
    assert void.result["void_reasons"] == ["turnout_not_majority"]
    assert not void.winners.exists()
    again = void.followed_by.get()
    assert again.round == Poll.Round.RERUN and again.result["valid"]


@pytest.mark.django_db
def test_ballots_by_proxy_at_the_mobile_box_and_written_by_a_helper(summary):
    for code in PLACES:
        first = first_vote(code)
        ins = first.check_ins.all()
        assert ins.filter(proxy__isnull=False).exists(), code
        assert ins.filter(station__kind=Station.Kind.MOBILE_BOX).exists(), code
        assert 0.4 < ins.count() / first.electorate < 0.95
        # Each box's sheet says the ballots its desk handed out.
        for sheet in first.box_counts.all():
            assert sheet.issued == ins.filter(station=sheet.station).count()
    assert CheckIn.objects.filter(assisted=True, poll__election__place__code__in=PLACES).exists()
    assert Notice.objects.filter(kind=Notice.Kind.PROXIES).count() == len(PLACES)
    assert Notice.objects.filter(kind=Notice.Kind.MOBILE_BOX).count() == len(PLACES)


@pytest.mark.django_db
def test_party_seats_in_office_with_a_dual_head_and_cross_appointments(summary):
    party = [c for c, r in PLACES.items() if r in finished.PARTY_ROLES]
    for code in party:
        seats = Seat.objects.filter(organisation__place__code=code, until__isnull=True)
        assert Counter(s.office for s in seats) == {
            "secretary": 1,
            "deputy_secretary": 1,
            "member": 3,
        }
        meeting = Meeting.objects.get(election__place__code=code)
        assert meeting.state == Meeting.State.CLOSED and meeting.poll.state == "confirmed"
        assert meeting.attendance.count() == meeting.present > 4 / 5 * meeting.due
    dual = next(c for c, r in PLACES.items() if r == "dual_head")
    secretary = Seat.objects.get(organisation__place__code=dual, office="secretary")
    director = outcomes.election_state(committee_election(dual)).offices[0].winners[0]
    assert director.office == "director"
    assert director.candidate.resident_id == secretary.member.resident_id
    for code in party:
        on_party = set(
            Seat.objects.filter(organisation__place__code=code).values_list(
                "member__resident_id", flat=True
            )
        )
        elected = {
            w.candidate.resident_id
            for w in outcomes.election_state(committee_election(code)).winners
        }
        assert on_party & elected, code  # 交叉任职


@pytest.mark.django_db
def test_the_joint_review_turned_two_nominees_down(summary):
    dropped = Candidate.objects.filter(status=Candidate.Status.DISQUALIFIED)
    assert {c.election.place.code for c in dropped} == {
        c for c, r in PLACES.items() if r in finished.DISQUALIFIED
    }
    hits = Verdict.objects.filter(candidate__in=dropped, outcome=Verdict.Outcome.HIT)
    assert sorted(v.items for v in hits) == [[2], [3]]
    assert all(c.replaced_by.get().source == Candidate.Source.BACKFILL for c in dropped)


@pytest.mark.django_db
def test_previous_members_some_re_elected(summary, cycle):
    previous = PreviousMember.objects.filter(cycle=cycle)
    assert {m.place.code for m in previous} == set(PLACES)
    assert set(previous.values_list("body", flat=True)) >= {
        Body.RESIDENTS_COMMITTEE,
        Body.VILLAGERS_COMMITTEE,
        Body.PARTY_COMMITTEE,
    }
    ids = set(previous.values_list("id_number", flat=True))
    elected = [
        w.candidate.resident.id_number
        for code in PLACES
        for w in outcomes.election_state(committee_election(code)).winners
    ]
    again = [i for i in elected if i in ids]
    assert 0 < len(again) < len(elected)


@pytest.mark.django_db
def test_complaints_of_different_types(summary):
    found = Complaint.objects.filter(place__code__in=PLACES)
    assert len({c.type for c in found}) == found.count() == 3
    assert found.filter(closed_on__isnull=True).count() == 1


@pytest.mark.django_db
def test_the_steps_are_signed_off_and_none_is_overdue(summary, cycle):
    assert Step.objects.count() == summary["steps_signed_off"]
    for code in PLACES:
        timeline = place_timeline(cycle, Place.objects.get(code=code), TODAY)
        assert not timeline.overdue, (code, timeline.overdue)
        done = {
            s.key: s.done_on for s in Step.objects.filter(place__code=code, status=StepStatus.DONE)
        }
        origin = outcomes.election_state(committee_election(code)).origin
        assert done["voting"] == origin.held_on
        assert "results_reported" in done and "proxy_list_published" in done
    assert verify() is None


@pytest.mark.django_db
def test_the_statistics_agree_with_a_count_of_the_records(summary, cycle):
    county = Place.objects.get(code=demo.COUNTY_CODE)
    total = statistics.compute(cycle, county, TODAY).total
    roles = Counter(PLACES.values())
    assert total.voting_places == len(PLACES)
    assert total.first_time_success == roles["dual_head"] + roles["party"] + roles["filled"]
    assert total.runoff_places == roles["runoff"] == 1
    assert total.rerun_places == roles["rerun"] == 1
    firsts = Poll.objects.filter(round=Poll.Round.FIRST).exclude(election__body="party_committee")
    ins = CheckIn.objects.filter(poll__in=firsts)
    assert total.voted == ins.count()
    assert total.proxy_votes == ins.filter(proxy__isnull=False).count()
    assert total.mobile_box_votes == ins.filter(station__kind=Station.Kind.MOBILE_BOX).count()
    assert total.assisted == ins.filter(assisted=True).count()
    assert total.proxies == Proxy.objects.count()
    assert total.elected == 5 * len(PLACES)
    women = Winner.objects.filter(  # a void vote elects no one
        poll__election__body__in=[Body.RESIDENTS_COMMITTEE, Body.VILLAGERS_COMMITTEE],
        candidate__resident__sex="F",
    )
    assert total.sex["F"] == women.count()
    assert total.secretaries == roles["dual_head"] + roles["party"]
    assert total.dual_head_places == roles["dual_head"]
    assert total.cross_appointed >= len(finished.PARTY_ROLES)
    assert total.disqualified == len(finished.DISQUALIFIED)
    assert total.party_present == sum(m.attendance.count() for m in Meeting.objects.all())


@pytest.mark.django_db
def test_every_place_of_the_demo_matches_an_independent_count(summary, cycle):
    """Every statistic of every village and community of the generated county, against
    a count of its records one by one (tests/independent.py)."""
    county = Place.objects.get(code=demo.COUNTY_CODE)
    report = statistics.compute(cycle, county, TODAY)
    assert [r.place.code for r in report.places] == sorted(
        Place.objects.within(county).electing().values_list("code", flat=True)
    )
    for row in report.places:
        assert row.figures == independent(cycle, row.place, TODAY), row.place.name
    assert report.total.voting_places == len(PLACES)
    assert checks.disagreements(report) == []
