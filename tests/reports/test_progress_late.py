"""Which places are late and why (DOMAIN §10): the townships with their late places
counted, the late places with their overdue steps, filters, pages and scope."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from huanjie.cycles import services
from huanjie.cycles.models import Election, Office, Step, StepStatus
from huanjie.cycles.profiles import effective_profile
from huanjie.cycles.timeline import COMMITTEE_BODIES
from huanjie.places.models import Kind, Place
from huanjie.reports import progress
from huanjie.rules import seats
from huanjie.rules.timeline import BY_KEY, due_dates


def this_monday():
    return progress.week_of(timezone.localdate())[0]


def set_day(cycle, place, day):
    Election.objects.filter(cycle=cycle, place=place).update(election_day=day)


@pytest.fixture
def county_state(cycle, tree, user_county_admin):
    """With M this Monday: 金茶村 votes at M+40 (preparation due M-10) with all of it
    signed off but the audit; 黄兴村 at M+45 (due M-5) with all but the plan; 松雅社区 at
    M+200, nothing due; 黄花社区 has no election day."""
    monday = this_monday()
    set_day(cycle, tree["village_a1"], monday + timedelta(days=40))
    set_day(cycle, tree["village_b1"], monday + timedelta(days=45))
    set_day(cycle, tree["community_a2"], monday + timedelta(days=200))
    set_day(cycle, tree["community_b2"], None)
    for place, keys in (
        ("village_a1", ("survey", "org_setting", "democratic_evaluation", "election_plan")),
        ("village_b1", ("survey", "org_setting", "democratic_evaluation", "financial_audit")),
    ):
        for key in keys:
            services.sign_off(
                user_county_admin, cycle, tree[place], key, done_on=monday - timedelta(days=9)
            )
    return tree


def late_by_hand(cycle, today):
    """The codes of the places with a step past its due date and not finished, counted
    from the elections, the rules core's due dates and the step records alone."""
    finished = {
        (s.place_id, s.key) for s in Step.objects.filter(cycle=cycle).exclude(status="pending")
    }
    late = set()
    for election in Election.objects.filter(cycle=cycle).select_related("place"):
        if election.election_day is None:
            continue
        due = due_dates(election.election_day, effective_profile(cycle, election.place))
        if any(
            day < today and (election.place_id, key) not in finished for key, day in due.items()
        ):
            late.add(election.place.code)
    return late


def codes(found):
    return [p.place.code for p in found.places]


def test_late_places_the_furthest_behind_first_with_why(county_state, cycle, user_county_admin):
    today = this_monday() + timedelta(days=1)
    found = progress.late_places(user_county_admin, cycle, today=today)
    assert codes(found) == ["430121001201", "430121100201"]
    jincha, huangxing = found.places
    assert [(r.rule.key, r.days_overdue) for r in jincha.overdue] == [
        ("financial_audit", 11),
        ("party_recommendation", 3),
        ("party_township_review", 1),
    ]
    assert jincha.overdue[0].due == this_monday() - timedelta(days=10)
    assert [s.key for s in jincha.overdue[2].blocked_by] == ["party_recommendation"]
    assert [(r.rule.key, r.days_overdue) for r in huangxing.overdue] == [("election_plan", 6)]
    assert (jincha.township.name, huangxing.township.name) == ("星沙街道", "黄花镇")
    assert found.overdue_total == 4


def test_townships_count_their_late_places(county_state, cycle, user_county_admin):
    found = progress.late_places(user_county_admin, cycle, today=this_monday())
    lines = [(t["place"].code, t["places"], t["late_places"]) for t in found.townships]
    assert lines == [("430121001000", 2, 1), ("430121100000", 2, 1)]


def test_filters_narrow_the_places_not_the_counts(county_state, cycle, user_county_admin):
    today = this_monday() + timedelta(days=1)
    late = lambda **kw: progress.late_places(user_county_admin, cycle, today=today, **kw)  # noqa: E731
    assert codes(late(township=county_state["township_b"])) == ["430121100201"]
    by_step = late(step="party_recommendation")
    assert codes(by_step) == ["430121001201"]
    assert [r.rule.key for r in by_step.places[0].overdue] == ["party_recommendation"]
    assert codes(late(q="金茶")) == ["430121001201"]
    assert codes(late(q="430121100")) == ["430121100201"]
    assert sum(t["late_places"] for t in late(q="金茶").townships) == 2


def test_an_unknown_step_is_refused(county_state, cycle, user_county_admin, english):
    with pytest.raises(services.RuleViolation, match="Unknown step"):
        progress.late_places(user_county_admin, cycle, step="nap")


def late_url(cycle):
    return reverse("progress-late", args=[cycle.pk])


def test_county_view_lists_exactly_the_late_places(
    county_state, cycle, user_county_admin, client_for
):
    page = client_for(user_county_admin).get(late_url(cycle))
    assert page.status_code == 200
    listed = {p.place.code for p in page.context["page"]}
    assert listed == late_by_hand(cycle, timezone.localdate())
    assert page.context["late_total"] == len(listed) == page.context["found"]
    html = page.content.decode()
    assert 'data-township="430121001000"' in html and 'data-step="financial_audit"' in html
    chart = html.split('id="progress-chart"', 1)[1].split("</section>", 1)[0]
    assert "<svg" in chart and "<polyline" in chart


def test_drill_down_into_a_township_with_htmx(county_state, cycle, user_county_admin, client_for):
    page = client_for(user_county_admin).get(
        late_url(cycle), {"township": "430121100000"}, headers={"HX-Request": "true"}
    )
    assert b"<html" not in page.content
    assert [p.place.code for p in page.context["page"]] == ["430121100201"]


def test_a_mistyped_step_says_so(county_state, cycle, user_county_admin, client_for):
    page = client_for(user_county_admin).get(late_url(cycle), {"step": "nap"})
    assert "Step: there is no step nap." in page.content.decode()
    assert page.context["found"] == 2


@pytest.fixture
def many_late(county_state, cycle):
    """Sixty more villages of 黄花镇, all voting in ten days with nothing signed off."""
    day = timezone.localdate() + timedelta(days=10)
    for n in range(60):
        place = Place.objects.create(
            code=f"430121100{300 + n}",
            name=f"新村{n:02d}",
            kind=Kind.VILLAGE,
            parent=county_state["township_b"],
        )
        election = Election.objects.create(
            cycle=cycle, place=place, body=seats.Body.VILLAGERS_COMMITTEE, election_day=day
        )
        Office.objects.bulk_create(election.default_offices(Kind.VILLAGE))
    return county_state


def test_pages_of_fifty(many_late, cycle, user_county_admin, client_for):
    client = client_for(user_county_admin)
    first = client.get(late_url(cycle), {"township": "430121100000"})
    assert first.context["found"] == 61
    assert len(first.context["page"]) == 50
    second = client.get(late_url(cycle), {"township": "430121100000", "page": 2})
    seen = [p.place.code for p in first.context["page"]] + [
        p.place.code for p in second.context["page"]
    ]
    assert len(set(seen)) == 61
    assert "township=430121100000&amp;page=2" in first.content.decode()


def test_api_late_list(many_late, cycle, user_county_admin, client_for):
    client = client_for(user_county_admin)
    url = f"/api/cycles/{cycle.pk}/late"
    data = client.get(url, {"limit": 20, "offset": 40}).json()
    assert data["count"] == 62 and len(data["places"]) == 20
    assert data["late_places"] == len(late_by_hand(cycle, timezone.localdate())) == 62
    days = [p["days_late"] for p in client.get(url, {"limit": 500}).json()["places"]]
    assert days == sorted(days, reverse=True)
    jincha = client.get(url, {"q": "金茶"}).json()["places"][0]
    assert jincha["township"]["code"] == "430121001000"
    assert jincha["overdue"][0]["key"] == "financial_audit"
    assert client.get(url, {"step": "nap"}).status_code == 400


# Scope and permissions


def test_a_township_sees_only_its_own(county_state, cycle, user_township_b, client_for):
    client = client_for(user_township_b)
    page = client.get(late_url(cycle))
    assert [t["place"].code for t in page.context["townships"]] == ["430121100000"]
    assert {p.place.code for p in page.context["page"]} == {"430121100201"}
    assert client.get(late_url(cycle), {"township": "430121001000"}).status_code == 404
    api = f"/api/cycles/{cycle.pk}/late"
    assert client.get(api, {"township": "430121001000"}).status_code == 404
    assert [p["place"]["code"] for p in client.get(api).json()["places"]] == ["430121100201"]


def test_an_observer_reads_and_changes_nothing(county_state, cycle, user_observer, client_for):
    client = client_for(user_observer)
    assert client.get(late_url(cycle)).status_code == 200
    assert client.post(late_url(cycle)).status_code == 405
    assert Step.objects.filter(status=StepStatus.DONE).count() == 8


def test_a_user_without_a_role_sees_nothing(county_state, cycle, user_without_role, client_for):
    client = client_for(user_without_role)
    assert client.get(late_url(cycle)).status_code in (403, 404)
    assert client.get(f"/api/cycles/{cycle.pk}/late").status_code in (403, 404)


def test_progress_over_time_counts_the_steps_due_and_done_by_each_sunday(
    cycle, county_state, county, user_county_admin
):
    today = timezone.localdate()
    found = progress.scope_over_time(cycle, county, today)
    assert progress.late_places(user_county_admin, cycle, today=today).progress == found
    assert found.weeks[0] == progress.week_of(cycle.starts_on)[1]
    assert found.weeks[-1] == progress.week_of(today)[1]
    assert all(w.weekday() == 6 for w in found.weeks)
    assert len(found.weeks) == len(found.due) == len(found.done)
    # Counted by hand: the due dates of the rules core and the sign-offs' days
    dues = []
    for election in Election.objects.filter(cycle=cycle, body__in=COMMITTEE_BODIES):
        if election.election_day is not None:
            due = due_dates(election.election_day, effective_profile(cycle, election.place))
            dues += [day for key, day in due.items() if key in BY_KEY]
    dones = [s.done_on for s in Step.objects.filter(cycle=cycle).exclude(status="pending")]
    for week, due, done in zip(found.weeks, found.due, found.done, strict=True):
        assert due == sum(1 for d in dues if d <= week)
        assert done == sum(1 for d in dones if d <= week)
    assert found.done[-1] == 8  # the eight steps signed off
    assert found.done == sorted(found.done) and found.due == sorted(found.due)
