from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone, translation

from huanjie.audit.models import Record
from huanjie.cycles import services
from huanjie.cycles.models import Step, StepStatus
from huanjie.cycles.profiles import effective_profile
from huanjie.cycles.timeline import place_timeline
from huanjie.rules import timeline


@pytest.fixture(autouse=True)
def chinese():
    """The rule messages are checked in the default language of the UI."""
    with translation.override("zh-hans"):
        yield


def sign(user, cycle, place, *keys):
    for key in keys:
        services.sign_off(user, cycle, place, key)


def test_sign_off_records_who_when_and_the_audit_entry(cycle, village_a1, user_township_a):
    step = services.sign_off(user_township_a, cycle, village_a1, "survey", note="入户摸底完成")
    assert step.status == StepStatus.DONE
    assert step.done_on == timezone.localdate()
    assert step.signed_off_by == user_township_a
    rec = Record.objects.get()
    assert rec.action == "step.sign_off"
    assert rec.before["status"] == "pending" and rec.after["status"] == "done"
    assert rec.after["step"] == "survey" and rec.place_code == village_a1.code


def test_the_audit_gate_no_election_before_the_audit(cycle, village_a1, user_township_a):
    """审计不结束不换届 (DOMAIN §3)."""
    sign(user_township_a, cycle, village_a1, "election_plan")
    with pytest.raises(services.RuleViolation, match="财务清理和离任审计"):
        services.sign_off(user_township_a, cycle, village_a1, "election_committee")
    assert not Step.objects.filter(key="election_committee", status="done").exists()
    sign(user_township_a, cycle, village_a1, "financial_audit", "election_committee")
    assert Step.objects.get(key="election_committee").status == StepStatus.DONE


def test_a_step_is_signed_off_once(cycle, village_a1, user_township_a):
    sign(user_township_a, cycle, village_a1, "survey")
    with pytest.raises(services.RuleViolation):
        sign(user_township_a, cycle, village_a1, "survey")
    assert Record.objects.count() == 1


def test_no_future_dates(cycle, village_a1, user_township_a):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(services.RuleViolation):
        services.sign_off(user_township_a, cycle, village_a1, "survey", done_on=tomorrow)


def test_only_optional_steps_can_be_not_needed(cycle, village_a1, user_township_a):
    with pytest.raises(services.RuleViolation):
        services.sign_off(user_township_a, cycle, village_a1, "survey", not_needed=True)
    step = services.sign_off(user_township_a, cycle, village_a1, "runoff", not_needed=True)
    assert step.status == StepStatus.NOT_NEEDED


def test_scope_and_role_are_enforced(
    cycle, village_a1, village_b1, user_township_a, user_observer, user_committee_a1, community_a2
):
    with pytest.raises(Http404):
        services.sign_off(user_township_a, cycle, village_b1, "survey")
    with pytest.raises(PermissionDenied):
        services.sign_off(user_observer, cycle, village_a1, "survey")
    with pytest.raises(Http404):
        services.sign_off(user_committee_a1, cycle, community_a2, "survey")
    services.sign_off(user_committee_a1, cycle, village_a1, "survey")
    assert Record.objects.count() == 1


def test_reopen_needs_a_reason_and_no_finished_dependant(cycle, village_a1, user_township_a):
    sign(
        user_township_a, cycle, village_a1, "financial_audit", "election_plan", "election_committee"
    )
    audit = Step.objects.get(key="financial_audit")
    with pytest.raises(services.RuleViolation):
        services.reopen(user_township_a, audit, "")
    with pytest.raises(services.RuleViolation, match="推选"):
        services.reopen(user_township_a, audit, "审计报告有误")
    services.reopen(user_township_a, Step.objects.get(key="election_committee"), "重新推选")
    services.reopen(user_township_a, Step.objects.get(key="financial_audit"), "审计报告有误")
    audit.refresh_from_db()
    assert audit.status == StepStatus.PENDING and audit.signed_off_by is None
    assert Record.objects.filter(action="step.reopen").count() == 2


def test_timeline_deadlines_follow_election_day_and_overrides(
    cycle, village_a1, user_county_admin, township_a, election_day
):
    tl = place_timeline(cycle, village_a1)
    due = {row.rule.key: row.due for row in tl.rows}
    assert due["voter_list_published"] == election_day - timedelta(days=20)
    assert due["formal_candidates_published"] == election_day - timedelta(days=7)
    assert due["voting"] == election_day

    services.set_override(user_county_admin, cycle, township_a, "voter_list_days_before", 25)
    tl = place_timeline(cycle, village_a1)
    due = {row.rule.key: row.due for row in tl.rows}
    assert due["voter_list_published"] == election_day - timedelta(days=25)
    assert effective_profile(cycle, village_a1).voter_list_days_before == 25


def test_overrides_apply_from_the_top_down(
    cycle, county, township_a, village_a1, village_b1, user_county_admin
):
    services.set_override(user_county_admin, cycle, county, "proxies_per_person", 4)
    services.set_override(user_county_admin, cycle, village_a1, "proxies_per_person", 5)
    assert effective_profile(cycle, village_a1).proxies_per_person == 5
    assert effective_profile(cycle, village_b1).proxies_per_person == 4


def test_a_bad_override_is_refused_and_nothing_written(
    cycle, county, user_county_admin, user_township_a, township_a
):
    with pytest.raises(services.RuleViolation):
        services.set_override(user_county_admin, cycle, county, "no_such_parameter", 1)
    with pytest.raises(services.RuleViolation):
        services.set_override(user_county_admin, cycle, county, "objection_days", -1)
    with pytest.raises(PermissionDenied):
        services.set_override(user_township_a, cycle, township_a, "objection_days", 6)
    assert not Record.objects.exists()


def test_overdue_and_late_steps(cycle, village_a1, user_township_a, election_a1):
    long_ago = timezone.localdate() - timedelta(days=100)
    services.set_election_day(user_township_a, election_a1, timezone.localdate() + timedelta(5))
    tl = place_timeline(cycle, village_a1)
    overdue = {row.rule.key for row in tl.overdue}
    assert "survey" in overdue and "voting" not in overdue
    services.sign_off(user_township_a, cycle, village_a1, "survey")
    row = next(r for r in place_timeline(cycle, village_a1).rows if r.rule.key == "survey")
    assert not row.overdue and row.late
    assert long_ago < row.due


def test_seats_outside_the_legal_range_are_refused(election_a1, user_township_a):
    with pytest.raises(services.RuleViolation, match="3至7"):
        services.set_seats(user_township_a, election_a1, {"member": 8})
    assert election_a1.offices.get(key="member").seats == 3
    services.set_seats(user_township_a, election_a1, {"member": 5})
    assert election_a1.offices.get(key="member").seats == 5
    rec = Record.objects.get(action="election.seats")
    assert rec.before["member"] == 3 and rec.after["member"] == 5


def test_progress_counts_required_steps(cycle, village_a1, user_township_a):
    done, total = place_timeline(cycle, village_a1).progress
    assert (done, total) == (0, len([s for s in timeline.STEPS if not s.optional]))
    sign(user_township_a, cycle, village_a1, "survey")
    assert place_timeline(cycle, village_a1).progress[0] == 1


def test_a_county_admin_opens_a_cycle(county, user_county_admin, user_township_a):
    from datetime import date

    cycle = services.create_cycle(
        user_county_admin,
        county,
        name="第十三届",
        term_number=13,
        starts_on=date(2031, 10, 1),
        ends_on=date(2032, 3, 31),
        profile="hunan",
    )
    assert cycle.profile == "hunan"
    assert Record.objects.get().action == "cycle.create"
    with pytest.raises(services.RuleViolation):
        services.create_cycle(
            user_county_admin,
            county,
            name="again",
            term_number=13,
            starts_on=date(2031, 10, 1),
            ends_on=date(2032, 3, 31),
        )
    with pytest.raises(Http404):  # the county is above the township's scope
        services.create_cycle(
            user_township_a,
            county,
            name="x",
            term_number=14,
            starts_on=date(2036, 10, 1),
            ends_on=date(2037, 3, 31),
        )


def test_set_up_elections_for_a_township(cycle, township_a, user_township_a, election_day):
    from huanjie.cycles.models import Election
    from huanjie.places.models import Place

    places = Place.objects.within(township_a).electing()
    created = services.set_up_elections(user_township_a, cycle, places, election_day)
    # the committee elections exist already (fixture); party + election committee added
    assert created == 4
    bodies = set(Election.objects.filter(place__code="430121001201").values_list("body", flat=True))
    assert bodies == {"villagers_committee", "party_committee", "election_committee"}
    assert services.set_up_elections(user_township_a, cycle, places, election_day) == 0


def test_add_an_attached_body(cycle, village_a1, user_township_a, community_a2):
    election = services.add_election(user_township_a, cycle, village_a1, "supervision_committee")
    assert sum(o.seats for o in election.offices.all()) in range(3, 6)
    with pytest.raises(services.RuleViolation):
        services.add_election(user_township_a, cycle, village_a1, "supervision_committee")
    with pytest.raises(services.RuleViolation):
        services.add_election(user_township_a, cycle, community_a2, "villagers_committee")
