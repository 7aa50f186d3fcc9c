"""Every statistic of DOMAIN §11 against an independent count: a plain loop over the
rows, the existing per-election services (outcomes.election_state,
party.committees.of_place) where the rules live, and the fixture's own story."""

from collections import Counter
from datetime import date
from fractions import Fraction

import pytest
from django.utils import timezone

from huanjie.candidates.models import Candidate, NominationMeeting, Verdict
from huanjie.complaints.models import Complaint
from huanjie.cycles.models import Election
from huanjie.cycles.timeline import COMMITTEE_BODIES
from huanjie.party import committees
from huanjie.party.models import Attendance, Meeting, Member, Seat
from huanjie.places.models import Place
from huanjie.polling import outcomes
from huanjie.polling.models import CheckIn, Poll, Proxy
from huanjie.reports import checks, statistics
from huanjie.reports.models import PreviousMember
from huanjie.rules.ages import AGE_BANDS, age_band
from huanjie.rules.identity import age_on
from huanjie.rules.statistics import COLLEGE, UNKNOWN, Figures, education_level, merge
from huanjie.voters.models import Voter


def _age(birth, day):
    return age_on(birth, day)


def independent(cycle, place) -> Figures:
    """The figures of one place, counted row by row in Python."""
    today = timezone.localdate()
    f = Figures(places=1)
    for v in Voter.objects.all():
        if v.cycle_id == cycle.pk and v.place_id == place.pk and v.status == "listed":
            f.registered += 1
            f.registered_by_category[v.category] += 1
            f.supplementary += v.source == "supplementary"
    previous = {
        m.id_number
        for m in PreviousMember.objects.all()
        if m.cycle_id == cycle.pk and m.place_id == place.pk and m.body in COMMITTEE_BODIES
    }
    f.previous_places = int(bool(previous))
    for c in Complaint.objects.all():
        if c.cycle_id == cycle.pk and c.place_id == place.pk:
            f.complaints += 1
            f.complaints_by_type[c.type] += 1
    elections = [e for e in Election.objects.all() if e.cycle_id == cycle.pk and e.place == place]
    committee = next((e for e in elections if e.body in COMMITTEE_BODIES), None)
    day = (committee.election_day if committee else None) or today
    residents_in_office = []
    if committee is not None:
        for c in Candidate.objects.all():
            if c.election_id == committee.pk:
                f.nominees += 1
                f.candidates += c.status == "formal"
                f.women_candidates += c.status == "formal" and c.resident.sex == "F"
        for m in NominationMeeting.objects.all():
            if m.election_id == committee.pk and m.counted:
                f.nomination_places = 1
                f.nomination_roll, f.nomination_present = m.voters, m.present
        polls = [p for p in Poll.objects.all() if p.election_id == committee.pk]
        first = next((p for p in polls if p.round == "first"), None)
        if first is not None:
            ins = [c for c in CheckIn.objects.all() if c.poll_id == first.pk]
            f.voted = len(ins)
            f.proxy_votes = sum(1 for c in ins if c.proxy_id is not None)
            f.assisted = sum(1 for c in ins if c.assisted)
            f.mobile_box_votes = sum(1 for c in ins if c.station.kind == "mobile_box")
            if first.state == "confirmed":
                f.voting_places = 1
                offices = first.result["offices"]
                f.first_time_success = int(
                    first.result["valid"]
                    and all(len(o["elected"]) == o["seats"] and not o["unfilled"] for o in offices)
                )
        f.proxies = sum(1 for p in Proxy.objects.all() if p.election_id == committee.pk)
        f.runoff_places = int(
            any(p.round == "runoff" for p in polls)
            or any(
                p.state == "confirmed"
                and p.result["valid"]
                and any(o["unfilled"] for o in p.result["offices"])
                for p in polls
            )
        )
        f.rerun_places = int(
            any(p.round == "rerun" for p in polls)
            or any(p.state == "confirmed" and not p.result["valid"] for p in polls)
        )
        state = outcomes.election_state(committee)
        f.seats = sum(o.seats for o in state.offices)
        for w in state.winners:
            r = (w.candidate.resident if w.candidate_id else None) or (
                w.voter.resident if w.voter_id else None
            )
            f.elected += 1
            if r is None:
                for name in ("sex", "age_band", "education", "ethnicity"):
                    getattr(f, name)[UNKNOWN] += 1
                f.sex_age_band[UNKNOWN, UNKNOWN] += 1
                f.party["not_party_member"] += 1
                f.term["new"] += 1
                continue
            residents_in_office.append((w.office, r))
            f.sex[r.sex] += 1
            age = _age(r.birth_date, day)
            f.age_band[age_band(age, AGE_BANDS).key] += 1
            f.sex_age_band[r.sex, age_band(age, AGE_BANDS).key] += 1
            f.age_total += age
            f.aged += 1
            f.education[education_level(r.education)] += 1
            f.ethnicity[r.ethnicity] += 1
            member = Member.objects.filter(resident=r).exists()
            f.party["party_member" if member else "not_party_member"] += 1
            f.term["re_elected" if r.id_number in previous else "new"] += 1
    for office, r in residents_in_office:
        if office == "director":
            f.directors += 1
            f.directors_under_35 += _age(r.birth_date, day) < 35
            f.directors_under_40 += _age(r.birth_date, day) < 40
    for s in Seat.objects.all():
        if s.organisation.place_id == place.pk and s.until is None and s.office == "secretary":
            f.secretaries += 1
            f.secretaries_under_35 += _age(s.member.resident.birth_date, day) < 35
            f.secretaries_under_40 += _age(s.member.resident.birth_date, day) < 40
    two = committees.of_place(cycle, place).two
    f.dual_head_places = int(two.dual_head)
    f.two_committee_members = len(two.people)
    f.cross_appointed = len(two.cross_appointed)
    party = next((e for e in elections if e.body == "party_committee"), None)
    if party is not None:
        voting = [m for m in Meeting.objects.all() if m.election_id == party.pk and m.poll_id]
        if voting:
            meeting = voting[-1]
            f.party_due = meeting.due
            f.party_present = sum(1 for a in Attendance.objects.all() if a.meeting_id == meeting.pk)
    for c in Candidate.objects.all():
        if c.election in elections and c.status == "disqualified":
            f.disqualified += 1
            items = [i for v in Verdict.objects.all() if v.candidate_id == c.pk for i in v.items]
            items = [
                i for i in items if any(i in v.items for v in c.verdicts.filter(outcome="hit"))
            ]
            f.disqualified_by_item[str(min(items)) if items else UNKNOWN] += 1
    return f


@pytest.fixture
def report(built, cycle, county):
    return statistics.compute(cycle, county)


def test_every_place_matches_an_independent_count(built, cycle, report):
    assert [r.place.code for r in report.places] == sorted(p.code for p in Place.objects.electing())
    for row in report.places:
        assert row.figures == independent(cycle, row.place), row.place.name


def test_the_levels_are_the_places_summed(built, cycle, report, township_a, township_b):
    assert [r.place for r in report.rows] == [township_a, township_b]
    for row in report.rows:
        assert row.figures == merge(
            independent(cycle, p) for p in Place.objects.electing() if p.parent == row.place
        )
    assert report.total == merge(independent(cycle, p) for p in Place.objects.electing())
    township = statistics.compute(cycle, township_a)
    assert [r.place for r in township.rows] == [built["a2"], built["a1"]]
    assert township.total == report.rows[0].figures
    one = statistics.compute(cycle, built["a1"])
    assert one.total == report.places[1].figures


def test_the_fixtures_story_in_figures(built, report):
    f = {r.place.code: r.figures for r in report.places}
    a1, a2, b1, b2 = (f[built[k].code] for k in ("a1", "a2", "b1", "b2"))
    assert (a1.registered, a1.voted, a1.proxy_votes, a1.assisted, a1.mobile_box_votes) == (
        20,
        14,
        2,
        3,
        2,
    )
    assert a1.proxies == 2 and a1.turnout == Fraction(14, 20)
    assert (a1.party_due, a1.party_present) == (10, 8)  # the meeting that voted
    assert (a1.seats, a1.elected, a1.first_time_success) == (5, 5, 1)
    assert (a1.dual_head_places, a1.two_committee_members, a1.cross_appointed) == (1, 6, 2)
    assert (a1.secretaries, a1.directors) == (1, 1)
    assert a1.disqualified_by_item == Counter({"2": 1, "9": 1})
    assert (a2.seats, a2.elected, a2.runoff_places, a2.first_time_success) == (7, 7, 1, 0)
    assert a2.voted == 9  # the run-off's check-ins are not counted again
    assert (b1.rerun_places, b1.voting_places, b1.elected, b1.seats) == (1, 1, 0, 1)
    assert b1.disqualified_by_item == Counter({UNKNOWN: 1})
    assert (b2.voting_places, b2.registered, b2.seats) == (0, 8, 7)
    t = report.total
    assert (t.places, t.voting_places, t.first_time_success) == (4, 3, 1)
    assert t.first_time_success_rate == Fraction(1, 3)
    assert t.dual_head_rate == Fraction(1, 4)
    assert t.registered == 50 and t.elected == 12
    assert sum(t.sex.values()) == t.elected
    assert t.college_share == Fraction(sum(t.education[k] for k in COLLEGE), 12)


def test_re_elected_nomination_registration_and_complaints_in_the_story(built, report):
    f = {r.place.code: r.figures for r in report.places}
    a1, b1 = f[built["a1"].code], f[built["b1"].code]
    # The previous 村委会's director and a member are elected again; the previous
    # party committee member elected to the 村委会 is new to it
    assert a1.term == Counter({"re_elected": 2, "new": 3}) and a1.previous_places == 1
    assert a1.re_elected_share == Fraction(2, 5)
    assert report.total.term == Counter({"re_elected": 2, "new": 10})
    assert a1.registered_by_category == Counter({"户在人在": 18, "人在户不在": 2})
    assert a1.supplementary == 1
    assert (a1.nomination_places, a1.nomination_roll, a1.nomination_present) == (1, 19, 15)
    # Five winners and three who did not stand in the end; the winners' candidacies are
    # formal
    assert (a1.nominees, a1.candidates) == (8, 5)
    assert a1.complaints_by_type == Counter({"bribery": 1, "voter_registration": 1})
    assert b1.complaints == 1
    assert report.total.complaints_by_type == Counter({"bribery": 2, "voter_registration": 1})
    assert report.office_complaints == Counter({"lobbying": 1})


def test_a_township_scope_reads_only_its_places(
    built, cycle, township_b, django_assert_max_num_queries
):
    with django_assert_max_num_queries(24):
        found = statistics.compute(cycle, township_b)
    assert {r.place.code for r in found.places} == {built["b1"].code, built["b2"].code}
    assert found.total.registered == 18


def test_the_number_of_queries_does_not_grow_with_the_places(
    built, cycle, county, django_assert_max_num_queries
):
    with django_assert_max_num_queries(24):
        statistics.compute(cycle, county)


def test_a_place_without_election_day_counts_ages_today(built, cycle, county):
    Election.objects.filter(place=built["a1"]).update(election_day=None)
    today = date.today()
    found = statistics.compute(cycle, built["a1"], today=today)
    assert found.total == independent(cycle, built["a1"])


def test_the_cached_report_is_made_again_after_a_recorded_change(
    built, cycle, county, user_county_admin
):
    from huanjie.audit.trail import record

    before = statistics.cached(cycle, county)
    Voter.objects.filter(place=built["b2"], number=1).update(status="removed")
    # A change outside the services is not seen until the trail moves (or the timeout).
    assert statistics.cached(cycle, county).total.registered == before.total.registered
    record(user_county_admin, "voters.objection_decided", built["b2"], place=built["b2"])
    assert statistics.cached(cycle, county).total.registered == before.total.registered - 1


@pytest.fixture
def computed(monkeypatch):
    """The scopes :func:`statistics.compute` is called for."""
    calls = []
    compute = statistics.compute

    def spy(cycle, within, today=None, **kwargs):
        calls.append(within.code)
        return compute(cycle, within, today, **kwargs)

    monkeypatch.setattr(statistics, "compute", spy)
    return calls


def test_a_county_is_kept_township_by_township(
    built, cycle, county, township_a, township_b, user_county_admin, computed
):
    from huanjie.audit.trail import record

    first = statistics.cached(cycle, county)
    assert computed == [county.code]
    assert statistics.cached(cycle, county).total == first.total
    assert computed == [county.code]  # nothing recorded since: kept

    Voter.objects.filter(place=built["b2"], number=1).update(status="removed")
    record(user_county_admin, "voters.objection_decided", built["b2"], place=built["b2"])
    again = statistics.cached(cycle, county)
    assert computed == [county.code, township_b.code]  # only the township that changed
    assert again.total.registered == first.total.registered - 1
    assert again.total == merge(independent(cycle, p) for p in Place.objects.electing())
    assert [r.place for r in again.rows] == [township_a, township_b]
    assert [r.place.code for r in again.places] == [r.place.code for r in first.places]
    assert checks.disagreements(again) == checks.disagreements(first)

    record(user_county_admin, "places.edit", county, place=county)  # the county itself
    statistics.cached(cycle, county)
    assert computed[-1] == county.code
    record(user_county_admin, "accounts.edit", user_county_admin)  # names no place
    statistics.cached(cycle, county)
    assert computed[-1] == county.code and len(computed) == 4
    elsewhere = Place.objects.create(code="430122000000", name="望城区", kind="county")
    record(user_county_admin, "places.edit", elsewhere, place=elsewhere)
    statistics.cached(cycle, county)
    assert len(computed) == 4  # another county's change leaves this one kept
