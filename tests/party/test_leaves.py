"""Members left out of the due number (不计入应到会人数, DOMAIN §8): the situation, the
three approvals each with its day — the upper level's consent only by the township or
county — and the page that shows whether each leave counts."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from huanjie.audit.models import Record
from huanjie.cycles.services import RuleViolation
from huanjie.party import due, leaves, meetings
from huanjie.party.models import Leave
from huanjie.rules.members import Exclusion

pytestmark = pytest.mark.django_db


def days_ago(n):
    return timezone.localdate() - timedelta(days=n)


def approved():
    return {
        "branch_decided_on": days_ago(10),
        "upper_level_agreed_on": days_ago(8),
        "meeting_approved_on": days_ago(2),
    }


def test_an_approved_leave_leaves_the_member_out(party_election, members, user_township_a):
    leave = leaves.record_leave(
        user_township_a, party_election, members["陈霞"], Exclusion.BEDRIDDEN, **approved()
    )
    assert due.breakdown(party_election).number == 9
    record = Record.objects.get(action="party.leave")
    assert record.after["reason"] == "bedridden" and record.after["name"] == "陈霞"
    assert due.leave_findings(leave, timezone.localdate()) == []


def test_approvals_come_one_by_one(
    english, party_election, members, user_committee_a1, user_township_a
):
    leave = leaves.record_leave(
        user_committee_a1,
        party_election,
        members["石磊"],
        "abroad",
        since=days_ago(200),
        branch_decided_on=days_ago(10),
    )
    assert due.breakdown(party_election).number == 10
    (finding,) = due.leave_findings(leave, timezone.localdate())
    assert finding.code == "members.approval_missing"
    assert "upper level's consent, the meeting's approval" in finding.message_en
    # The committee cannot record the upper level's consent; the township can.
    with pytest.raises(PermissionDenied):
        leaves.change_leave(user_committee_a1, leave, upper_level_agreed_on=days_ago(5))
    leaves.change_leave(user_township_a, leave, upper_level_agreed_on=days_ago(5))
    leaves.change_leave(user_committee_a1, leave, meeting_approved_on=days_ago(1))
    assert due.breakdown(party_election).number == 9
    change = Record.objects.filter(action="party.leave_change").last()
    assert change.before["meeting_approved_on"] is None
    assert change.after["meeting_approved_on"] == days_ago(1).isoformat()


def test_away_needs_six_months_by_the_meeting(english, party_election, members, user_township_a):
    leave = leaves.record_leave(
        user_township_a,
        party_election,
        members["朱红"],
        "away",
        since=days_ago(90),
        **approved(),
    )
    (finding,) = due.leave_findings(leave, timezone.localdate())
    assert finding.code == "members.not_six_months"
    assert due.breakdown(party_election).number == 10


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"reason": "holiday"}, "one of the five situations"),
        ({"reason": "away"}, "since when"),
        ({"reason": "bedridden", "since": timezone.localdate() + timedelta(days=1)}, "future"),
        (
            {
                "reason": "bedridden",
                "branch_decided_on": days_ago(1),
                "meeting_approved_on": days_ago(3),
            },
            "cannot come before",
        ),
    ],
)
def test_bad_input_is_refused_with_its_field(
    english, party_election, members, user_township_a, values, message
):
    values = dict(values)
    reason = values.pop("reason")
    with pytest.raises(RuleViolation, match=message):
        leaves.record_leave(user_township_a, party_election, members["陈霞"], reason, **values)


def test_one_leave_per_member_and_only_members_of_the_place(
    english, party_election, members, user_township_a
):
    leaves.record_leave(user_township_a, party_election, members["陈霞"], "bedridden")
    with pytest.raises(RuleViolation, match="already left out"):
        leaves.record_leave(user_township_a, party_election, members["陈霞"], "bedridden")


def test_a_leave_is_withdrawn_with_its_reason(english, party_election, members, user_township_a):
    leave = leaves.record_leave(
        user_township_a, party_election, members["陈霞"], "bedridden", **approved()
    )
    with pytest.raises(RuleViolation, match="Say why"):
        leaves.withdraw_leave(user_township_a, leave, "")
    leaves.withdraw_leave(user_township_a, leave, "本人要求参会")
    assert not Leave.objects.exists()
    assert due.breakdown(party_election).number == 10
    record = Record.objects.get(action="party.leave_withdraw")
    assert record.before["name"] == "陈霞" and record.after == {"reason": "本人要求参会"}


def test_leaves_stand_once_the_vote_is_open(
    english, party_election, final_list, members, user_township_a
):
    leave = leaves.record_leave(
        user_township_a, party_election, members["陈霞"], "bedridden", **approved()
    )
    meeting = meetings.call(user_township_a, party_election, timezone.localdate())
    for name in ("丁一", "王芳", "王强", "方敏", "石磊", "朱红", "刘伟", "吴丽"):
        meetings.check_in(user_township_a, meeting, members[name])
    meetings.adopt_method(user_township_a, meeting)  # 8 of 9 due
    poll = meetings.open_vote(user_township_a, meeting)
    assert (poll.electorate, poll.present) == (9, 8)
    with pytest.raises(RuleViolation, match="vote of .* is open"):
        leaves.withdraw_leave(user_township_a, leave, "晚了")


def test_observers_and_other_townships_change_nothing(
    party_election, members, user_observer, user_township_b
):
    with pytest.raises(PermissionDenied):
        leaves.record_leave(user_observer, party_election, members["陈霞"], "bedridden")
    from django.http import Http404

    with pytest.raises(Http404):
        leaves.record_leave(user_township_b, party_election, members["陈霞"], "bedridden")


# The page


def url(cycle, village_a1, party_election, name="party_leaves", *extra):
    return reverse(name, args=[cycle.pk, village_a1.code, party_election.pk, *extra])


def test_the_page_records_a_leave_and_shows_whether_it_counts(
    english, client_for, cycle, village_a1, party_election, members, user_township_a
):
    client = client_for(user_township_a)
    page = url(cycle, village_a1, party_election)
    response = client.post(
        page,
        {
            "member": members["石磊"].pk,
            "reason": "abroad",
            "since": days_ago(30).isoformat(),
            "branch_decided_on": days_ago(3).isoformat(),
        },
        follow=True,
    )
    text = response.content.decode()
    assert "石磊 is recorded as left out" in text
    assert "needs 6 months" in text and "still due" in text
    assert 'data-due="10"' in text
    leave = Leave.objects.get()
    response = client.post(
        url(cycle, village_a1, party_election, "party_leave_change", leave.pk),
        {
            "since": days_ago(300).isoformat(),
            "upper_level_agreed_on": days_ago(2).isoformat(),
            "meeting_approved_on": days_ago(1).isoformat(),
        },
        follow=True,
    )
    text = response.content.decode()
    assert 'data-due="9"' in text and "left out" in text
    response = client.post(
        url(cycle, village_a1, party_election, "party_leave_withdraw", leave.pk),
        {"reason": "回国了"},
        follow=True,
    )
    assert "withdrawn" in response.content.decode() and not Leave.objects.exists()


def test_the_page_says_what_is_wrong(
    english, client_for, cycle, village_a1, party_election, members, user_township_a
):
    response = client_for(user_township_a).post(
        url(cycle, village_a1, party_election),
        {"member": members["石磊"].pk, "reason": "abroad"},
        follow=True,
    )
    assert "since when" in response.content.decode()
    response = client_for(user_township_a).post(
        url(cycle, village_a1, party_election),
        {"member": members["石磊"].pk, "reason": "bedridden", "since": "2026-13-01"},
        follow=True,
    )
    assert "Since" in response.content.decode() and not Leave.objects.exists()


def test_the_committee_cannot_record_the_upper_levels_consent(
    english, client_for, cycle, village_a1, party_election, members, user_committee_a1
):
    client = client_for(user_committee_a1)
    page = client.get(url(cycle, village_a1, party_election)).content.decode()
    assert 'name="upper_level_agreed_on"' not in page
    response = client.post(
        url(cycle, village_a1, party_election),
        {
            "member": members["陈霞"].pk,
            "reason": "bedridden",
            "upper_level_agreed_on": days_ago(1).isoformat(),
        },
    )
    assert response.status_code == 403


def test_scope_and_roles_of_the_page(
    client_for, cycle, village_a1, party_election, members, user_township_b, user_observer
):
    page = url(cycle, village_a1, party_election)
    assert client_for(user_township_b).get(page).status_code == 404
    assert client_for(user_observer).get(page).status_code == 200
    response = client_for(user_observer).post(
        page, {"member": members["陈霞"].pk, "reason": "bedridden"}
    )
    assert response.status_code == 403
    assert not Leave.objects.exists()
