"""The members' meeting of 金茶村党支部 (DOMAIN §8): ten members due, so nine present
make the quorum; the vote counted with the party majority on the due number; the seats
left open filled by a run-off or given up (减少名额)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from huanjie.audit.models import Record
from huanjie.cycles.services import RuleViolation
from huanjie.documents import ballots
from huanjie.party import meetings
from huanjie.party.models import Meeting, Member, Organisation, SeatReduction
from huanjie.polling import counting, outcomes
from huanjie.polling.models import Poll
from huanjie.polling.views.place import ballot_paper

pytestmark = pytest.mark.django_db

#: The ten members with a vote, in the order they arrive.
VOTERS = ("丁一", "王芳", "王强", "方敏", "石磊", "朱红", "刘伟", "吴丽", "张勇", "陈霞")


@pytest.fixture
def meeting(party_election, final_list, user_committee_a1):
    return meetings.call(user_committee_a1, party_election, timezone.localdate(), "村部会议室")


def arrive(user, meeting, members, names):
    for name in names:
        meetings.check_in(user, meeting, members[name])


def count(user, poll, approvals):
    """Enter the ballots: ``approvals`` is one list of names per ballot."""
    ids = {c["name"]: c["id"] for c in poll.candidates}
    for number, names in enumerate(approvals, 1):
        marks = {"member": [ids.get(n, n) for n in names]}
        for counter in (1, 2):
            counting.enter(user, poll, counter, number, marks)
    counting.compute(user, poll)
    return outcomes.confirm(user, poll)


def opened(user, meeting, members, present=VOTERS[:9]):
    arrive(user, meeting, members, present)
    meetings.adopt_method(user, meeting, "差额选举，无记名投票")
    return meetings.open_vote(user, meeting)


def test_eight_of_ten_is_no_quorum_and_the_meeting_is_adjourned(
    english, meeting, members, user_committee_a1, party_election
):
    arrive(user_committee_a1, meeting, members, VOTERS[:8] + ("许静", "李军"))
    found = meetings.quorum(meeting)
    assert (found.due, found.present, found.without_vote) == (10, 8, 2)
    assert not found.quorum and found.needed == 9 and found.missing == 1
    with pytest.raises(RuleViolation, match="8 of the 10 due"):
        meetings.adopt_method(user_committee_a1, meeting)
    with pytest.raises(RuleViolation, match="Without quorum"):
        meetings.open_vote(user_committee_a1, meeting)
    meetings.adjourn(user_committee_a1, meeting)
    meeting.refresh_from_db()
    assert (meeting.state, meeting.due, meeting.present) == ("adjourned", 10, 8)
    assert not Poll.objects.filter(election=party_election).exists()
    with pytest.raises(RuleViolation):
        meetings.check_in(user_committee_a1, meeting, members["陈霞"])
    # A second meeting with nine present votes.
    second = meetings.call(user_committee_a1, party_election, timezone.localdate(), "村部")
    poll = opened(user_committee_a1, second, members)
    second.refresh_from_db()
    assert second.state == "voting" and second.poll == poll
    assert (poll.electorate, poll.present, poll.held_on) == (10, 9, second.held_on)
    actions = set(Record.objects.values_list("action", flat=True))
    assert {"party.meeting", "party.check_in", "party.meeting_adjourn", "party.method"} <= actions
    assert "party.vote_open" in actions


def test_a_meeting_with_quorum_is_not_adjourned(english, meeting, members, user_committee_a1):
    arrive(user_committee_a1, meeting, members, VOTERS[:9])
    assert meetings.quorum(meeting).quorum
    with pytest.raises(RuleViolation, match="has its quorum"):
        meetings.adjourn(user_committee_a1, meeting)


def test_the_vote_opens_only_with_the_method_adopted(english, meeting, members, user_committee_a1):
    arrive(user_committee_a1, meeting, members, VOTERS)
    with pytest.raises(RuleViolation, match="Adopt the election method"):
        meetings.open_vote(user_committee_a1, meeting)
    meetings.adopt_method(user_committee_a1, meeting)
    with pytest.raises(RuleViolation, match="adopted already"):
        meetings.adopt_method(user_committee_a1, meeting)
    meetings.open_vote(user_committee_a1, meeting)
    with pytest.raises(RuleViolation, match="voting"):
        meetings.open_vote(user_committee_a1, meeting)


def test_check_in_refuses_a_second_time_and_outsiders(
    english, meeting, members, residents, user_committee_a1, village_b1
):
    meetings.check_in(user_committee_a1, meeting, members["丁一"])
    with pytest.raises(RuleViolation, match="丁一 checked in already"):
        meetings.check_in(user_committee_a1, meeting, members["丁一"])
    other = Organisation.objects.create(place=village_b1, name="黄兴村党支部", kind="branch")
    outsider = Member.objects.create(
        organisation=other,
        resident=residents["黄涛"],
        status="full",
        joined_on=timezone.localdate() - timedelta(days=3000),
    )
    with pytest.raises(RuleViolation, match="not a member of the party organisation of 金茶村"):
        meetings.check_in(user_committee_a1, meeting, outsider)


def test_a_check_in_is_taken_back_with_a_reason(english, meeting, members, user_committee_a1):
    done = meetings.check_in(user_committee_a1, meeting, members["丁一"])
    with pytest.raises(RuleViolation, match="Say why"):
        meetings.undo(user_committee_a1, done, " ")
    meetings.undo(user_committee_a1, done, "点错了")
    assert meetings.quorum(meeting).present == 0
    meetings.check_in(user_committee_a1, meeting, members["丁一"])
    assert Record.objects.filter(action="party.check_in_undo").exists()


def test_find_by_name_initials_and_id_number(meeting, members):
    (found,) = meetings.find(meeting, "王芳")
    assert found.member == members["王芳"] and found.due and found.no_vote is None
    assert {m.member.resident.name for m in meetings.find(meeting, "王")} == {"王芳", "王强"}
    assert [m.member.resident.name for m in meetings.find(meeting, "wf")] == ["王芳"]
    number = members["许静"].resident.id_number
    (found,) = meetings.find(meeting, number)
    assert found.no_vote == "probationary" and not found.due
    assert "*" in found.id_number
    assert meetings.find(meeting, "黄涛") == []  # not a member


def test_one_meeting_at_a_time(english, meeting, party_election, user_committee_a1):
    with pytest.raises(RuleViolation, match="under way"):
        meetings.call(user_committee_a1, party_election, timezone.localdate())


def test_a_committee_election_has_no_members_meeting(english, cycle, user_committee_a1):
    election = cycle.elections.exclude(body="party_committee").filter(place__code="430121001201")
    with pytest.raises(RuleViolation, match="not a party election"):
        meetings.call(user_committee_a1, election.get(), timezone.localdate())


def test_permissions_and_scope(meeting, members, user_observer, user_township_b, party_election):
    with pytest.raises(PermissionDenied):
        meetings.check_in(user_observer, meeting, members["丁一"])
    with pytest.raises(Http404):
        meetings.call(user_township_b, party_election, timezone.localdate())
    with pytest.raises(PermissionDenied):
        meetings.adjourn(user_observer, meeting)


def test_counting_elects_on_the_due_number(meeting, members, user_committee_a1, party_election):
    poll = opened(user_committee_a1, meeting, members)
    # Nine ballots: 丁一 and 王芳 on all, 刘伟 on six, 吴丽 on five. Six of ten elect;
    # five would be more than half of the nine present, but not of the ten due.
    ballots_ = [["丁一", "王芳", "刘伟"]] * 5 + [["丁一", "王芳", "吴丽"]] * 1
    ballots_ += [["丁一", "王芳", "刘伟"]] + [["丁一", "王芳", "吴丽"]] * 2
    poll = count(user_committee_a1, poll, ballots_)
    (office,) = poll.result["offices"]
    assert office["threshold"] == 6
    assert sorted(w.name for w in poll.winners.all()) == ["丁一", "刘伟", "王芳"]
    assert office["unfilled"] == 0
    assert outcomes.election_state(party_election).complete
    meetings.close(user_committee_a1, meeting)


def test_the_party_ballot_prints_for_the_meetings_poll(meeting, members, user_committee_a1):
    poll = opened(user_committee_a1, meeting, members)
    paper = ballot_paper(poll)
    assert paper.instructions == ballots.PARTY_INSTRUCTIONS
    assert [o.seats for o in paper.offices] == [3]
    assert list(paper.offices[0].names) == ["丁一", "王芳", "刘伟", "吴丽"]
    pdf = ballots.ballot_papers(paper, copies=2, set="formal")
    assert pdf.startswith(b"%PDF")


def short_of_one(user, meeting, members):
    """A vote electing 丁一 and 王芳 only: one seat open."""
    poll = opened(user, meeting, members)
    return count(user, poll, [["丁一", "王芳", "刘伟"]] * 5 + [["丁一", "王芳", "吴丽"]] * 4)


def test_a_seat_left_open_goes_to_a_runoff_with_the_party_majority(
    meeting, members, user_committee_a1, party_election
):
    poll = short_of_one(user_committee_a1, meeting, members)
    (office,) = poll.result["offices"]
    assert office["unfilled"] == 1
    (follow,) = outcomes.follow_ups(poll)
    assert follow.round == "runoff" and follow.due_by is None
    runoff = outcomes.schedule_runoff(user_committee_a1, poll, poll.held_on)
    assert (runoff.electorate, runoff.present) == (10, 9)
    assert {c["name"] for c in runoff.candidates} == {"刘伟", "吴丽"}
    # Five approvals: more than half of the nine present, not of the ten due.
    runoff = count(user_committee_a1, runoff, [["刘伟"]] * 5 + [["吴丽"]] * 4)
    assert runoff.result["offices"][0]["threshold"] == 6
    assert runoff.winners.count() == 0
    # Once a run-off is scheduled, the seats are not given up.
    with pytest.raises(RuleViolation):
        meetings.reduce_seats(user_committee_a1, poll, 9)


def test_seat_reduction_of_a_committee_of_five(
    english, meeting, members, user_committee_a1, party_election, final_list
):
    # Five seats, five candidates wanted: make 委员 three seats and add 张勇 and 陈霞.
    from huanjie.candidates.models import Candidate

    party_election.offices.filter(key="member").update(seats=3)
    for name in ("张勇", "陈霞"):
        Candidate.objects.create(
            election=party_election,
            office=party_election.offices.get(key="member"),
            resident=members[name].resident,
            status=Candidate.Status.FORMAL,
            source=Candidate.Source.RECOMMENDATION,
        )
    poll = opened(user_committee_a1, meeting, members)
    assert poll.offices[0]["seats"] == 5
    ballot = ["丁一", "王芳", "刘伟", "吴丽"]
    poll = count(user_committee_a1, poll, [ballot] * 6 + [["陈霞"]] * 3)
    assert poll.result["offices"][0]["unfilled"] == 1
    with pytest.raises(RuleViolation, match="more than half of 10"):
        meetings.reduce_seats(user_committee_a1, poll, 5)
    found = meetings.reduce_seats(user_committee_a1, poll, 6)
    assert (found.seats_before, found.seats_after, found.base) == (5, 4, 10)
    state = outcomes.election_state(party_election)
    assert state.complete and state.offices[0].seats == 4 and not state.due
    assert outcomes.follow_ups(poll) == []
    with pytest.raises(RuleViolation, match="No seat"):
        outcomes.schedule_runoff(user_committee_a1, poll, poll.held_on)
    with pytest.raises(RuleViolation, match="reduced already"):
        meetings.reduce_seats(user_committee_a1, poll, 7)
    record = Record.objects.get(action="party.seat_reduction")
    assert record.after["seats_after"] == 4 and record.before == {"seats": 5, "open": 1}


def test_a_branch_of_three_cannot_stop_at_two(english, meeting, members, user_committee_a1):
    poll = short_of_one(user_committee_a1, meeting, members)
    with pytest.raises(RuleViolation, match="at least 3 members"):
        meetings.reduce_seats(user_committee_a1, poll, 9)
    assert not SeatReduction.objects.exists()


def test_reduction_needs_a_confirmed_vote(english, meeting, members, user_committee_a1):
    poll = opened(user_committee_a1, meeting, members)
    with pytest.raises(RuleViolation, match="not confirmed"):
        meetings.reduce_seats(user_committee_a1, poll, 9)


# The pages


def page(cycle, place, election, name="party_meetings", *extra):
    return reverse(name, args=[cycle.pk, place.code, election.pk, *extra])


HTMX = {"HX-Request": "true"}


def test_the_meetings_pages_run_a_meeting_without_then_with_quorum(
    english, client_for, cycle, village_a1, party_election, final_list, members, user_committee_a1
):
    client = client_for(user_committee_a1)
    listing = client.get(page(cycle, village_a1, party_election)).content.decode()
    assert 'data-due="10"' in listing and "probationary (预备党员)" in listing
    response = client.post(
        page(cycle, village_a1, party_election),
        {"held_on": timezone.localdate().isoformat(), "venue": "村部会议室"},
        follow=True,
    )
    meeting = Meeting.objects.get()
    assert response.redirect_chain[-1][0] == page(
        cycle, village_a1, party_election, "party_meeting", meeting.pk
    )
    args = (cycle, village_a1, party_election)
    found = client.get(page(*args, "party_meeting_find", meeting.pk), {"q": "wf"}, headers=HTMX)
    assert "王芳" in found.content.decode() and "王强" not in found.content.decode()
    check_in = page(*args, "party_meeting_check_in", meeting.pk)
    for name in VOTERS[:8]:
        answer = client.post(check_in, {"member": members[name].pk}, headers=HTMX)
        assert answer["HX-Trigger"] == "meeting-changed"
    answer = client.post(check_in, {"member": members["许静"].pk}, headers=HTMX)
    assert "present, without a vote" in answer.content.decode()
    again = client.post(check_in, {"member": members["丁一"].pk}, headers=HTMX)
    assert "checked in already" in again.content.decode()
    quorum = client.get(page(*args, "party_meeting_quorum", meeting.pk)).content.decode()
    assert 'data-present="8"' in quorum and 'data-quorum="no"' in quorum
    shown = client.get(page(*args, "party_meeting", meeting.pk)).content.decode()
    assert "every 3s" in shown and "Adjourn for lack of quorum" in shown
    assert "Open the vote" not in shown
    response = client.post(page(*args, "party_meeting_vote", meeting.pk), follow=True)
    assert "Without quorum" in response.content.decode()
    response = client.post(page(*args, "party_meeting_adjourn", meeting.pk), follow=True)
    assert "adjourned for lack of quorum" in response.content.decode()

    client.post(page(*args), {"held_on": timezone.localdate().isoformat()})
    second = Meeting.objects.latest("id")
    check_in = page(*args, "party_meeting_check_in", second.pk)
    for name in VOTERS[:9]:
        client.post(check_in, {"member": members[name].pk})
    quorum = client.get(page(*args, "party_meeting_quorum", second.pk)).content.decode()
    assert 'data-quorum="yes"' in quorum
    client.post(page(*args, "party_meeting_method", second.pk), {"text": "差额选举"})
    response = client.post(page(*args, "party_meeting_vote", second.pk), follow=True)
    text = response.content.decode()
    second.refresh_from_db()
    assert second.state == "voting" and second.poll is not None
    ballots_url = reverse(
        "polling-ballots", args=[cycle.pk, village_a1.code, party_election.pk, second.poll.pk]
    )
    assert ballots_url in text
    pdf = client.get(ballots_url)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_a_check_in_is_taken_back_on_the_page(
    english, client_for, cycle, village_a1, meeting, members, user_committee_a1, party_election
):
    client = client_for(user_committee_a1)
    done = meetings.check_in(user_committee_a1, meeting, members["丁一"])
    undo = page(cycle, village_a1, party_election, "party_meeting_undo", meeting.pk)
    response = client.post(undo, {"attendance": done.pk, "reason": ""}, follow=True)
    assert "Say why" in response.content.decode()
    response = client.post(undo, {"attendance": done.pk, "reason": "点错了"}, follow=True)
    assert "taken back" in response.content.decode()
    assert meetings.quorum(meeting).present == 0


def test_the_reduction_form_gives_up_a_seat(
    english, client_for, cycle, village_a1, meeting, members, user_committee_a1, party_election
):
    poll = short_of_one(user_committee_a1, meeting, members)
    client = client_for(user_committee_a1)
    shown = client.get(page(cycle, village_a1, party_election, "party_meeting", meeting.pk))
    assert "1 seat left open" in shown.content.decode()
    response = client.post(
        page(cycle, village_a1, party_election, "party_reduction", poll.pk),
        {"consenting": "9"},
        follow=True,
    )
    # 金茶村党支部 has three seats: two elected is below the least branch committee.
    assert "at least 3 members" in response.content.decode()
    response = client.post(
        page(cycle, village_a1, party_election, "party_reduction", poll.pk),
        {"consenting": "many"},
        follow=True,
    )
    assert "Voters consenting must be a whole number" in response.content.decode()


def test_pages_check_role_and_scope(
    client_for, cycle, village_a1, meeting, members, user_observer, user_township_b, party_election
):
    args = (cycle, village_a1, party_election)
    assert client_for(user_township_b).get(page(*args)).status_code == 404
    url = page(*args, "party_meeting", meeting.pk)
    assert client_for(user_township_b).get(url).status_code == 404
    observer = client_for(user_observer)
    shown = observer.get(url).content.decode()
    assert "Adjourn" not in shown and "check-in" not in shown
    check_in = page(*args, "party_meeting_check_in", meeting.pk)
    assert observer.post(check_in, {"member": members["丁一"].pk}).status_code == 403
    assert observer.post(page(*args, "party_meeting_adjourn", meeting.pk)).status_code == 403
    assert observer.post(page(*args), {"held_on": "2026-12-27"}).status_code == 403
    committee = cycle.elections.exclude(body="party_committee").first()
    other = reverse("party_meetings", args=[cycle.pk, village_a1.code, committee.pk])
    assert observer.get(other).status_code == 404
