"""The due number of a party election (DOMAIN §8), derived from the roster and the
recorded leaves: 金茶村党支部 has twelve members, ten with a vote."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from huanjie.party import due
from huanjie.party.models import Leave, Meeting, Member, Organisation
from huanjie.rules import members as rules
from huanjie.rules.members import Exclusion

pytestmark = pytest.mark.django_db


def leave(election, member, reason, user, *, since=None, approvals=3):
    days = [date(2026, 1, 5), date(2026, 1, 10), date(2026, 1, 15)][:approvals]
    days += [None] * (3 - len(days))
    return Leave.objects.create(
        election=election,
        member=member,
        reason=reason,
        since=since,
        branch_decided_on=days[0],
        upper_level_agreed_on=days[1],
        meeting_approved_on=days[2],
        user=user,
    )


def names(people):
    return sorted(m.resident.name for m in people)


def test_everyone_with_a_vote_is_due(party_election, members):
    found = due.breakdown(party_election)
    assert found.number == 10 and found.roster == 12 and found.voters == 10
    assert names(found.without_vote["probationary"]) == ["许静"]
    assert names(found.without_vote["probation_sanction"]) == ["李军"]
    assert "黄涛" not in names(found.members)  # not a member


def test_a_suspended_member_is_not_due(party_election, members):
    Member.objects.filter(pk=members["张勇"].pk).update(suspended=True)
    found = due.breakdown(party_election)
    assert found.number == 9
    assert names(found.without_vote["suspended"]) == ["张勇"]


def test_only_leaves_passing_every_check_leave_the_due(party_election, members, user_township_a):
    day = timezone.localdate()
    leave(party_election, members["陈霞"], Exclusion.BEDRIDDEN, user_township_a)
    leave(
        party_election,
        members["石磊"],
        Exclusion.ABROAD,
        user_township_a,
        since=day - timedelta(days=400),
    )
    away = leave(
        party_election,
        members["朱红"],
        Exclusion.AWAY,
        user_township_a,
        since=day - timedelta(days=60),
    )
    pending = leave(
        party_election, members["方敏"], Exclusion.SERVING_SENTENCE, user_township_a, approvals=2
    )
    leave(party_election, members["许静"], Exclusion.BEDRIDDEN, user_township_a)  # no vote anyway
    found = due.breakdown(party_election, day)
    assert found.number == 8
    assert names(found.left_out[Exclusion.BEDRIDDEN]) == ["陈霞"]
    assert names(found.left_out[Exclusion.ABROAD]) == ["石磊"]
    assert {x.pk for x in found.not_counting} == {away.pk, pending.pk}
    assert names(due.due_members(party_election, day)) == names(found.members)
    # The rules core's own count agrees.
    roster = [m.as_rule() for m in due.roster_of(party_election)]
    leaves = [due.rule_leave(x) for x in Leave.objects.filter(election=party_election)]
    assert rules.due_to_attend(roster, leaves, day) == 8


def test_six_months_away_count_by_the_day_of_the_meeting(party_election, members, user_township_a):
    day = timezone.localdate()
    leave(
        party_election,
        members["朱红"],
        Exclusion.AWAY,
        user_township_a,
        since=day - timedelta(days=150),
    )
    meeting = Meeting(election=party_election, held_on=day + timedelta(days=60))
    assert due.breakdown(party_election, day).number == 10
    assert due.breakdown(meeting).number == 9  # six months by the meeting's day


def test_members_of_another_place_are_not_due(party_election, members, village_b1, residents):
    other = Organisation.objects.create(place=village_b1, name="黄兴村党支部", kind="branch")
    assert due.roster_of(party_election).filter(organisation=other).count() == 0
    assert due.organisation_of(party_election).name == "金茶村党支部"


def test_a_congress_is_due_its_seated_delegates(
    english, party_election, members, user_township_a, user_committee_a1
):
    from huanjie.cycles.services import RuleViolation
    from huanjie.party import meetings
    from huanjie.party.models import Congress, Delegate, Unit

    congress = Congress.objects.create(
        election=party_election, approved_on=date.today(), delegates=3, user=user_township_a
    )
    unit = Unit.objects.create(congress=congress, name="第一党小组", members=12, seats=3)
    for name, review in (("丁一", "confirmed"), ("王芳", "confirmed"), ("王强", "refused")):
        Delegate.objects.create(
            unit=unit, member=members[name], elected=True, review=review, user=user_township_a
        )
    meeting = meetings.call(
        user_committee_a1, party_election, timezone.localdate(), kind=Meeting.Kind.CONGRESS
    )
    found = due.breakdown(meeting)
    assert found.congress and names(found.members) == ["丁一", "王芳"]
    meetings.check_in(user_committee_a1, meeting, members["丁一"])
    with pytest.raises(RuleViolation, match="not a delegate"):
        meetings.check_in(user_committee_a1, meeting, members["王强"])
    quorum = meetings.quorum(meeting)
    assert (quorum.due, quorum.present, quorum.quorum) == (2, 1, False)
    meetings.check_in(user_committee_a1, meeting, members["王芳"])
    assert meetings.quorum(meeting).quorum
