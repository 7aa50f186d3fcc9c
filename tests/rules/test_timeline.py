"""The checklist, its deadlines and gates (DOMAIN §3, §8)."""

from datetime import date

import pytest

from huanjie.rules.profiles import HUNAN, NATIONAL, apply_overrides
from huanjie.rules.timeline import (
    BY_KEY,
    STEPS,
    due_dates,
    late,
    overdue,
    progress,
    unmet_requirements,
    windows,
)

D = date(2021, 1, 28)  # the seed's election day (004)


@pytest.fixture(params=[NATIONAL, HUNAN], ids=["national", "hunan"])
def due(request):
    return due_dates(D, request.param)


def test_keys_are_unique_and_requirements_come_earlier():
    keys = [s.key for s in STEPS]
    assert len(keys) == len(set(keys)) == 29
    for index, step in enumerate(STEPS):
        for required in step.requires:
            assert keys.index(required) < index, (step.key, required)
    assert [s.key for s in STEPS if s.optional] == ["runoff"]
    assert {s.phase for s in STEPS} == {"preparation", "party", "committee", "after"}


def test_every_step_has_a_due_date(due):
    assert list(due) == [s.key for s in STEPS]


def test_voter_list_20_days_before(due):
    assert due["voter_list_published"] == date(2021, 1, 8)


def test_objections_5_days_then_decision_3_days(due):
    assert due["objections_closed"] == date(2021, 1, 13)
    assert due["objections_decided"] == date(2021, 1, 16)


def test_formal_candidates_7_days_before(due):
    assert due["formal_candidates_published"] == date(2021, 1, 21)


def test_voting_results_and_runoff(due):
    assert due["proxy_list_published"] == date(2021, 1, 27)
    assert due["mobile_box_published"] == date(2021, 1, 27)
    assert due["voting"] == D
    assert due["results_reported"] == date(2021, 1, 29)
    assert due["runoff"] == date(2021, 2, 7)


def test_planned_dates_are_the_seeds(due):
    assert due["nomination"] == date(2021, 1, 18)
    assert due["party_members_meeting"] == date(2020, 12, 28)
    assert due["survey"] == date(2020, 12, 9)
    assert due["filing_and_certificates"] == date(2021, 2, 10)
    assert due["handover"] == date(2021, 2, 4)


def test_party_publicity_runs_5_days_from_its_start(due):
    assert due["party_publicity"] == date(2020, 12, 26)
    assert windows(D, NATIONAL)["party_publicity"] == (date(2020, 12, 21), date(2020, 12, 26))
    longer = due_dates(D, apply_overrides(NATIONAL, {"party_publicity_days": 7}))
    assert longer["party_publicity"] == date(2020, 12, 28)
    # the approval, planned for 12-27, cannot come before the notice has run
    assert longer["party_approval_of_candidates"] == date(2020, 12, 28)
    assert longer["party_members_meeting"] == date(2020, 12, 28)


def test_objection_window():
    assert windows(D, NATIONAL)["objections_closed"] == (date(2021, 1, 8), date(2021, 1, 13))


def test_overridden_deadlines_move():
    profile = apply_overrides(
        HUNAN,
        {
            "voter_list_days_before": 25,
            "objection_days": 4,
            "objection_decision_days": 2,
            "formal_candidates_days_before": 10,
            "runoff_within_days": 15,
            "plan.nomination": -14,
        },
    )
    due = due_dates(D, profile)
    assert due["voter_list_published"] == date(2021, 1, 3)
    assert due["objections_closed"] == date(2021, 1, 7)
    assert due["objections_decided"] == date(2021, 1, 9)
    assert due["formal_candidates_published"] == date(2021, 1, 18)
    assert due["runoff"] == date(2021, 2, 12)
    assert due["nomination"] == date(2021, 1, 14)


def test_planned_dates_give_way_to_statutory_ones():
    early = apply_overrides(NATIONAL, {"voter_list_days_before": 30})
    due = due_dates(D, early)
    assert due["voter_list_published"] == date(2020, 12, 29)
    # planned for D−21 and D−28, pulled forward to the list's date
    assert due["voter_registration"] == date(2020, 12, 29)
    assert due["election_committee"] == date(2020, 12, 29)
    assert due["financial_audit"] == date(2020, 12, 9)
    long_notice = apply_overrides(NATIONAL, {"party_publicity_days": 10})
    for profile in (NATIONAL, HUNAN, early, long_notice):
        due = due_dates(D, profile)
        for step in STEPS:
            assert all(due[r] <= due[step.key] for r in step.requires), step.key


def test_seed_plan_needs_no_adjustment():
    # every planned date is the plan's own: D + offset (party_publicity: its start + 5)
    for profile in (NATIONAL, HUNAN):
        due = due_dates(D, profile)
        for key, offset in profile.plan.items():
            if key != "party_publicity":
                assert (due[key] - D).days == offset, key


def test_audit_gate():
    # 审计不结束不换届: neither the election committee nor the party meeting without it
    assert unmet_requirements("election_committee", set()) == ("financial_audit", "election_plan")
    assert unmet_requirements("election_committee", {"election_plan"}) == ("financial_audit",)
    assert unmet_requirements("election_committee", {"financial_audit", "election_plan"}) == ()
    party_ready = {"party_publicity", "party_approval_of_candidates"}
    assert unmet_requirements("party_members_meeting", party_ready) == ("financial_audit",)
    assert unmet_requirements("party_members_meeting", party_ready | {"financial_audit"}) == ()


def test_committee_gates():
    assert unmet_requirements("voter_list_published", {"election_committee"}) == (
        "voter_registration",
    )
    assert unmet_requirements("qualification_review", set()) == ("nomination",)
    assert unmet_requirements("formal_candidates_published", {"nomination"}) == (
        "qualification_review",
    )
    assert "formal_candidates_published" in unmet_requirements("voting", {"objections_decided"})
    assert unmet_requirements("survey", set()) == ()


def test_overdue_and_late():
    due = date(2021, 1, 8)
    assert overdue(due, None, date(2021, 1, 9))
    assert not overdue(due, None, date(2021, 1, 8))  # due today is not overdue yet
    assert not overdue(due, date(2021, 1, 10), date(2021, 1, 12))  # done, if late
    assert late(due, date(2021, 1, 9))
    assert not late(due, date(2021, 1, 8))
    assert not late(due, None)


def test_progress_counts_required_steps_only():
    assert progress(set()) == (0, 28)
    assert progress({"survey", "runoff", "no_such_step"}) == (1, 28)
    assert progress(set(BY_KEY)) == (28, 28)


def test_statutory_steps_are_the_computed_ones():
    statutory = {s.key for s in STEPS if s.statutory}
    assert statutory == {
        "party_publicity",
        "voter_list_published",
        "objections_closed",
        "objections_decided",
        "formal_candidates_published",
        "proxy_list_published",
        "mobile_box_published",
        "voting",
        "results_reported",
        "runoff",
    }
    # every other step takes its date from the plan; party_publicity its start
    assert set(NATIONAL.plan) == {s.key for s in STEPS} - statutory | {"party_publicity"}


def test_the_formal_list_and_the_party_notice_follow_the_profile():
    from datetime import date

    from huanjie.rules.profiles import Profile
    from huanjie.rules.timeline import formal_list_deadline, publicity_end

    assert formal_list_deadline(date(2021, 1, 28), Profile()) == date(2021, 1, 21)
    assert publicity_end(date(2020, 12, 21), Profile()) == date(2020, 12, 26)
    assert publicity_end(date(2020, 12, 21), Profile(party_publicity_days=7)) == date(2020, 12, 28)


def test_the_runoff_is_held_within_the_profiles_days():
    from datetime import date

    from huanjie.rules.profiles import Profile
    from huanjie.rules.timeline import runoff_deadline

    # Seed 004: D = 2021-01-28, 另行选举 within ten days.
    assert runoff_deadline(date(2021, 1, 28), Profile()) == date(2021, 2, 7)
    assert runoff_deadline(date(2021, 1, 28), Profile(runoff_within_days=0)) == date(2021, 1, 28)
