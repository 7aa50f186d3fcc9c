"""The party steps of the timeline are signed off by the work itself (DOMAIN §3, §8):
the members' meeting when its election is complete, the first plenary when its result
is reported, and the approval when it is recorded — each once what it requires is done."""

from datetime import timedelta

from django.utils import timezone
from plenary_shared import elect_committee, hold_plenary

from huanjie.cycles.models import Step, StepStatus
from huanjie.party import plenary
from huanjie.rules import timeline

TODAY = timezone.localdate()


def done_before(cycle, place, key):
    for step in timeline.STEPS:
        if step.key == key:
            return
        Step.objects.create(
            cycle=cycle,
            place=place,
            key=step.key,
            status=StepStatus.DONE,
            done_on=TODAY - timedelta(days=1),
        )


def done(cycle, place):
    return dict(
        Step.objects.filter(cycle=cycle, place=place, status=StepStatus.DONE).values_list(
            "key", "done_on"
        )
    )


def test_each_party_step_is_signed_off_by_its_work(
    final_list, party_election, members, cycle, user_township_a
):
    place = party_election.place
    done_before(cycle, place, "party_members_meeting")
    elect_committee(user_township_a, party_election, members)
    assert done(cycle, place)["party_members_meeting"] == TODAY
    held = hold_plenary(user_township_a, party_election)
    assert "party_first_plenary" not in done(cycle, place)
    plenary.report(user_township_a, held, reported_on=TODAY)
    assert done(cycle, place)["party_first_plenary"] == TODAY
    plenary.approve(user_township_a, held, approved_on=TODAY, approved_by="中共某某乡委员会")
    assert done(cycle, place)["party_results_approval"] == TODAY


def test_nothing_is_signed_off_before_what_it_requires(
    final_list, party_election, members, cycle, user_township_a
):
    elect_committee(user_township_a, party_election, members)
    held = hold_plenary(user_township_a, party_election)
    plenary.report(user_township_a, held, reported_on=TODAY)
    assert done(cycle, party_election.place) == {}
