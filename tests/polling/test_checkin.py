"""The check-in desks (DOMAIN §6): finding a voter, one ballot per person, mobile boxes,
proxies, taking back a mistaken click, the counts and a voter registered at 补登."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from huanjie.audit.models import Record
from huanjie.cycles.services import RuleViolation
from huanjie.polling import checkin
from huanjie.polling.models import CheckIn, Poll, Proxy, Station
from huanjie.rules import eligibility
from huanjie.rules.identity import make_id, mask_id
from huanjie.voters import supplementary
from huanjie.voters.cards import card_number
from huanjie.voters.models import Publication, Voter

pytestmark = pytest.mark.usefixtures("english")


def names(found):
    return [m.voter.name for m in found.matches]


# Finding


def test_a_voter_is_found_by_id_number_with_it_masked(poll, roll):
    wang = roll["王芳"]
    found = checkin.find(poll, f" {wang.id_number} ")
    assert found.by == checkin.BY_ID_NUMBER
    assert names(found) == ["王芳"]
    assert found.matches[0].id_number == mask_id(wang.id_number) != wang.id_number


def test_a_lower_case_x_in_an_id_number_is_read_as_x(poll, roll):
    voter = roll["丁一"]
    Voter.objects.filter(pk=voter.pk).update(id_number=voter.id_number[:17] + "X")
    assert names(checkin.find(poll, voter.id_number[:17] + "x")) == ["丁一"]


def test_a_voter_is_found_by_voter_number_and_by_the_card_number(poll, roll, village_a1):
    li = roll["李军"]
    assert names(checkin.find(poll, str(li.number))) == ["李军"]
    card = checkin.find(poll, card_number(village_a1, li.number))
    assert card.by == checkin.BY_CARD and names(card) == ["李军"]
    assert card.matches[0].card == card_number(village_a1, li.number)


def test_a_card_of_another_place_is_refused(poll, roll):
    with pytest.raises(RuleViolation, match="not a card of 金茶村"):
        checkin.find(poll, "001-0001")


def test_a_voter_is_found_by_name_by_its_beginning_and_by_pinyin_initials(poll):
    assert names(checkin.find(poll, "许静")) == ["许静"]
    assert sorted(names(checkin.find(poll, "王"))) == ["王强", "王芳"]
    initials = checkin.find(poll, "XJ")
    assert initials.by == checkin.BY_INITIALS and names(initials) == ["许静"]


def test_namesakes_are_listed_with_masked_id_group_and_number(
    poll, roll, village_a1, group_a1_2, cycle
):
    other = Voter.objects.create(
        cycle=cycle,
        place=village_a1,
        number=99,
        id_number=make_id("430121", date(1961, 7, 7), 77, "F"),
        name="陈霞",
        name_initials="cx",
        sex="F",
        birth_date=date(1961, 7, 7),
        category="户在人在",
        group=group_a1_2,
        source=Voter.Source.ROLL,
    )
    found = checkin.find(poll, "陈霞")
    assert [m.voter.number for m in found.matches] == [roll["陈霞"].number, 99]
    second = found.matches[1]
    assert (second.group, second.id_number) == ("第二村民小组", mask_id(other.id_number))


def test_an_id_number_of_another_roll_says_where_it_is_listed(poll, cycle, community_a2):
    number = make_id("430121", date(1980, 1, 1), 55, "M")
    Voter.objects.create(
        cycle=cycle,
        place=community_a2,
        number=1,
        id_number=number,
        name="欧阳明",
        sex="M",
        birth_date=date(1980, 1, 1),
        category="户在人在",
        source=Voter.Source.ROLL,
    )
    found = checkin.find(poll, number)
    assert found.matches == [] and found.elsewhere == "松雅社区"


def test_a_removed_voter_is_not_found(poll, roll):
    Voter.objects.filter(pk=roll["朱红"].pk).update(status=Voter.Status.REMOVED)
    assert checkin.find(poll, "朱红").matches == []


# Issuing


def test_a_ballot_is_issued_once_and_the_second_is_refused_with_when_and_where(
    poll, roll, central, station, user_committee_a1
):
    li = roll["李军"]
    first = checkin.issue(user_committee_a1, poll, li, central)
    assert (first.voter, first.station, first.proxy, first.assisted) == (li, central, None, False)
    at = timezone.localtime(first.at).strftime("%H:%M")
    with pytest.raises(RuleViolation, match=f"already, at 中心会场 at {at}"):
        checkin.issue(user_committee_a1, poll, li, station)
    assert CheckIn.objects.filter(poll=poll, voter=li).count() == 1
    record = Record.objects.get(action="polling.check_in")
    assert record.after["name"] == "李军" and record.after["station"] == "中心会场"
    assert record.after["id_number"] == mask_id(li.id_number)
    assert checkin.find(poll, "李军").matches[0].check_in == first


def test_the_database_refuses_the_second_ballot_of_two_desks_at_once(
    poll, roll, central, station, user_committee_a1, monkeypatch
):
    li = roll["李军"]
    checkin.issue(user_committee_a1, poll, li, central)
    # The second desk checks nothing the first desk wrote before its own insert: the
    # constraint one_ballot_per_voter refuses it, and the message is the same.
    looked = []
    first_ballot = checkin.first_ballot
    monkeypatch.setattr(
        checkin, "first_ballot", lambda p, v: looked.append(v) or first_ballot(p, v)
    )
    with pytest.raises(RuleViolation, match="already, at 中心会场"):
        checkin.issue(user_committee_a1, poll, li, station)
    assert looked == [li]
    assert CheckIn.objects.filter(voter=li).count() == 1
    assert Record.objects.filter(action="polling.check_in").count() == 1


def test_a_second_ballot_is_said_before_any_other_refusal(
    poll, roll, central, box, user_committee_a1
):
    chen = roll["陈霞"]
    checkin.issue(user_committee_a1, poll, chen, box)
    with pytest.raises(RuleViolation, match="already, at 流动票箱一"):
        checkin.issue(user_committee_a1, poll, chen, central)


def test_a_voter_of_another_roll_is_refused(poll, cycle, community_a2, central, user_committee_a1):
    stranger = Voter.objects.create(
        cycle=cycle,
        place=community_a2,
        number=1,
        id_number=make_id("430121", date(1980, 1, 1), 55, "M"),
        name="欧阳明",
        sex="M",
        birth_date=date(1980, 1, 1),
        category="户在人在",
        source=Voter.Source.ROLL,
    )
    with pytest.raises(RuleViolation, match="not on the voter list of 金茶村"):
        checkin.issue(user_committee_a1, poll, stranger, central)


def test_a_mobile_box_voter_votes_by_their_box_only(poll, roll, central, box, user_committee_a1):
    chen = roll["陈霞"]
    with pytest.raises(RuleViolation, match="mobile box 流动票箱一"):
        checkin.issue(user_committee_a1, poll, chen, central)
    with pytest.raises(RuleViolation, match="only to the voters approved"):
        checkin.issue(user_committee_a1, poll, roll["李军"], box)
    assert checkin.issue(user_committee_a1, poll, chen, box).station == box
    assert checkin.find(poll, "陈霞").matches[0].mobile_box == box


def test_an_entrusted_ballot_goes_to_the_proxy_only(
    poll, roll, central, entrusted, user_committee_a1, user_township_a
):
    wang = roll["王芳"]
    with pytest.raises(RuleViolation, match="entrusted their vote to 王强"):
        checkin.issue(user_committee_a1, poll, wang, central)
    other = Proxy.objects.create(
        election=poll.election,
        entruster=roll["朱红"],
        proxy=roll["刘伟"],
        relation="姐妹",
        signed_on=timezone.localdate(),
        authorisation="proxies/x.pdf",
        user=user_committee_a1,
    )
    with pytest.raises(RuleViolation, match="has not entrusted their vote to 刘伟"):
        checkin.issue(user_committee_a1, poll, wang, central, proxy=other)
    with pytest.raises(RuleViolation, match="has not entrusted"):
        checkin.issue(user_committee_a1, poll, roll["李军"], central, proxy=entrusted)

    # 王强 comes: the desk finds him and shows whose ballot he collects.
    found = checkin.find(poll, "王强").matches[0]
    assert [e.proxy.entruster.name for e in found.entrusted] == ["王芳"]
    assert found.entrusted[0].check_in is None
    assert checkin.find(poll, "王芳").matches[0].proxy == entrusted

    collected = checkin.issue(user_township_a, poll, wang, central, proxy=entrusted)
    own = checkin.issue(user_township_a, poll, roll["王强"], central)
    assert collected.proxy == entrusted and own.proxy is None
    found = checkin.find(poll, "王强").matches[0]
    assert found.entrusted[0].check_in == collected and found.check_in == own
    with pytest.raises(RuleViolation, match="collected by their proxy 王强 at 中心会场"):
        checkin.issue(user_committee_a1, poll, wang, central, proxy=entrusted)


def test_a_station_of_another_election_is_refused(poll, roll, user_committee_a1, election_b1):
    elsewhere = Station.objects.create(
        election=election_b1,
        kind=Station.Kind.CENTRAL,
        name="黄兴村中心会场",
        user=user_committee_a1,
    )
    with pytest.raises(RuleViolation, match="not a station"):
        checkin.issue(user_committee_a1, poll, roll["李军"], elsewhere)


def test_no_ballot_once_voting_is_over(poll, roll, central, user_committee_a1):
    done = checkin.issue(user_committee_a1, poll, roll["李军"], central)
    Poll.objects.filter(pk=poll.pk).update(state=Poll.State.COUNTING)
    poll.refresh_from_db()
    with pytest.raises(RuleViolation, match="over"):
        checkin.issue(user_committee_a1, poll, roll["许静"], central)
    done.poll = poll
    with pytest.raises(RuleViolation, match="over"):
        checkin.undo(user_committee_a1, done, "点错了")


def test_who_may_issue(poll, roll, central, user_observer, user_township_b, user_township_a):
    with pytest.raises(PermissionDenied):
        checkin.issue(user_observer, poll, roll["李军"], central)
    with pytest.raises(Http404):
        checkin.issue(user_township_b, poll, roll["李军"], central)
    assert checkin.issue(user_township_a, poll, roll["李军"], central).user == user_township_a
    assert not CheckIn.objects.filter(user__in=[user_observer, user_township_b]).exists()


# Taking back


def test_a_mistaken_check_in_is_taken_back_with_its_reason(poll, roll, central, user_committee_a1):
    xu = roll["许静"]
    wrong = checkin.issue(user_committee_a1, poll, xu, central)
    with pytest.raises(RuleViolation, match="Say why"):
        checkin.undo(user_committee_a1, wrong, "  ")
    checkin.undo(user_committee_a1, wrong, "点错了人")
    assert not CheckIn.objects.filter(voter=xu).exists()
    record = Record.objects.get(action="polling.check_in_undo")
    assert record.before["name"] == "许静" and record.after == {"reason": "点错了人"}
    assert checkin.issue(user_committee_a1, poll, xu, central).voter == xu


def test_an_observer_cannot_take_back(poll, roll, central, user_committee_a1, user_observer):
    done = checkin.issue(user_committee_a1, poll, roll["许静"], central)
    with pytest.raises(PermissionDenied):
        checkin.undo(user_observer, done, "x")
    assert CheckIn.objects.filter(pk=done.pk).exists()


# Counts


def test_counts_per_box_and_in_all(poll, roll, central, station, box, entrusted, user_committee_a1):
    issue = checkin.issue
    issue(user_committee_a1, poll, roll["李军"], central, assisted=True)
    issue(user_committee_a1, poll, roll["王芳"], central, proxy=entrusted)
    issue(user_committee_a1, poll, roll["许静"], station)
    issue(user_committee_a1, poll, roll["陈霞"], box)
    counts = checkin.counts(poll)
    by_name = {b.station.name: b for b in counts.boxes}
    assert (by_name["中心会场"].issued, by_name["中心会场"].proxies) == (2, 1)
    assert by_name["中心会场"].assisted == 1
    assert by_name["第一投票站"].issued == 1 and by_name["流动票箱一"].issued == 1
    assert (counts.issued, counts.proxies, counts.assisted, counts.mobile) == (4, 1, 1, 1)
    assert counts.electorate == 12
    assert counts.turnout == 33.3


def test_counts_list_every_station_before_any_ballot(poll, central, station):
    counts = checkin.counts(poll)
    assert [b.issued for b in counts.boxes] == [0, 0] and counts.turnout == 0.0


# 补登


@pytest.fixture
def posted(cycle, village_a1, user_committee_a1):
    """金茶村's list went up 25 days before today's vote."""
    return Publication.objects.create(
        cycle=cycle,
        place=village_a1,
        kind=Publication.Kind.VOTER_LIST,
        published_on=timezone.localdate() - timedelta(days=25),
        voters=12,
        file="notices/list.pdf",
        user=user_committee_a1,
    )


def test_a_voter_registered_at_the_supplementary_desk_is_checked_in(
    poll, posted, cycle, village_a1, central, user_committee_a1
):
    number = make_id("430121", date(1990, 5, 5), 99, "M")
    assert checkin.find(poll, number).matches == []
    added = supplementary.register(
        user_committee_a1,
        cycle,
        village_a1,
        id_number=number,
        name="黄涛",
        on=timezone.localdate(),
        stated=eligibility.Category.RESIDENT_REGISTERED,
    )
    found = checkin.find(poll, number)
    assert names(found) == ["黄涛"] and found.matches[0].voter.source == "supplementary"
    assert names(checkin.find(poll, "ht")) == ["黄涛"]
    done = checkin.issue(user_committee_a1, poll, added, central)
    assert done.voter == added
    assert checkin.counts(poll).electorate == 13


def test_no_ballot_before_the_day_of_the_vote(poll, roll, user_committee_a1):
    from datetime import timedelta

    from django.utils import timezone

    from huanjie.cycles.services import RuleViolation
    from huanjie.polling import checkin
    from huanjie.polling.models import Station

    station = Station.objects.create(
        election=poll.election, kind=Station.Kind.CENTRAL, name="中心会场", user=user_committee_a1
    )
    poll.held_on = timezone.localdate() + timedelta(days=1)
    poll.save()
    with pytest.raises(RuleViolation, match="desks open that day"):
        checkin.issue(user_committee_a1, poll, roll["丁一"], station)
