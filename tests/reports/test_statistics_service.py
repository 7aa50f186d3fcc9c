"""Every statistic of DOMAIN §11 against an independent count (:mod:`independent`)
and the fixture's own story; the county kept township by township."""

from collections import Counter
from dataclasses import fields
from datetime import date
from fractions import Fraction

import pytest
from django.core.cache import cache
from independent import independent

from huanjie.cycles.models import Election
from huanjie.places.models import Place
from huanjie.reports import checks, statistics
from huanjie.reports.models import PreviousMember
from huanjie.rules.identity import age_on
from huanjie.rules.statistics import COLLEGE, UNKNOWN, merge
from huanjie.voters.models import Voter


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


def test_the_previous_term_is_counted_as_the_new_one(built, cycle, report):
    """金茶村's previous 村委会 (three members on record; the party committee's member is
    not of it) beside its new one, ages on the same election day."""
    places, new, old = report.against_previous()
    a1 = next(r for r in report.places if r.place == built["a1"])
    assert places == 1 and new == a1.figures
    members = list(PreviousMember.objects.filter(place=built["a1"], body="villagers_committee"))
    assert old.elected == len(members) == 3
    assert old.sex == Counter(m.sex for m in members)
    day = Election.objects.get(place=built["a1"], body="villagers_committee").election_day
    assert old.age_total == sum(age_on(m.birth_date, day) for m in members)
    assert old == a1.previous and report.places[0].previous is None


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
    cache.clear()  # this process's copy goes with the cache's
    assert statistics.cached(cycle, county).total == first.total
    assert computed == [county.code, county.code]
    computed.pop()

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


def test_the_story_exercises_every_statistic(built, report):
    """So that the independent count above is held against something on every figure."""
    zero = [f.name for f in fields(report.total) if not getattr(report.total, f.name)]
    assert zero == []
