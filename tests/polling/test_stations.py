"""Stations and mobile boxes of 金茶村's vote, their scrutineers and counters, and the
voters a mobile box goes to (DOMAIN §6)."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from pypdf import PdfReader

from huanjie.audit.models import Record
from huanjie.cycles.services import RuleViolation
from huanjie.polling import stations
from huanjie.polling.models import CheckIn, MobileVoter, Notice, Scrutineer, Station


def today():
    return timezone.localdate()


def pdf_text(notice) -> str:
    with notice.file.open("rb") as f:
        reader = PdfReader(io.BytesIO(f.read()))
    return "".join(p.extract_text() for p in reader.pages).replace("\n", "")


@pytest.fixture(autouse=True)
def chinese():
    """The rules' messages in Chinese, whatever an earlier test left active."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def central(election, formal, roll, user_committee_a1):
    return stations.add_station(
        user_committee_a1, election, kind="central", name="中心会场", location="村部礼堂", booths=3
    )


@pytest.fixture
def box(election, formal, roll, user_committee_a1):
    return stations.add_station(user_committee_a1, election, kind="mobile_box", name="流动票箱一")


def watched(station, user, *names):
    for name in names:
        stations.add_duty(user, station, name)


def codes(findings):
    return [f.code for f in findings]


def test_a_station_is_set_up_and_audited(central, user_committee_a1):
    assert (central.kind, central.location, central.booths) == ("central", "村部礼堂", 3)
    rec = Record.objects.get(action="polling.station_add")
    assert rec.after["name"] == "中心会场" and rec.place_code == "430121001201"


def test_one_central_venue_and_unique_names(central, election, user_committee_a1):
    with pytest.raises(RuleViolation):
        stations.add_station(user_committee_a1, election, kind="central", name="第二会场")
    with pytest.raises(RuleViolation):
        stations.add_station(user_committee_a1, election, kind="station", name="中心会场")
    with pytest.raises(RuleViolation):
        stations.add_station(user_committee_a1, election, kind="station", name="一组", booths=0)
    with pytest.raises(RuleViolation):
        stations.add_station(user_committee_a1, election, kind="station", name="  ")
    assert Station.objects.count() == 1


def test_a_station_is_edited_and_removed(election, formal, roll, user_committee_a1):
    station = stations.add_station(user_committee_a1, election, kind="station", name="一组")
    stations.edit_station(user_committee_a1, station, name="第一投票站", location="一组", booths=2)
    station.refresh_from_db()
    assert (station.name, station.location, station.booths) == ("第一投票站", "一组", 2)
    edit = Record.objects.get(action="polling.station_edit")
    assert (edit.before["name"], edit.after["name"]) == ("一组", "第一投票站")
    watched(station, user_committee_a1, "丁一")
    stations.delete_station(user_committee_a1, station)
    assert not Station.objects.exists()
    assert Record.objects.get(action="polling.station_delete").before["people"] == ["丁一"]


def test_a_station_ballots_went_through_stays(central, poll, roll, user_committee_a1):
    CheckIn.objects.create(poll=poll, voter=roll["丁一"], station=central, user=user_committee_a1)
    with pytest.raises(RuleViolation):
        stations.delete_station(user_committee_a1, central)


def test_fewer_than_three_scrutineers_is_a_finding_until_fixed(central, user_committee_a1):
    assert codes(stations.station_findings(central)) == ["scrutineers.too_few"]
    watched(central, user_committee_a1, "丁一", "许静")
    stations.add_duty(user_committee_a1, central, "朱红", role="counter")
    (finding,) = stations.station_findings(central)
    assert finding.message_zh == "中心会场应有监票人至少3名，现为2名"
    watched(central, user_committee_a1, "陈霞")
    assert stations.station_findings(central) == []
    assert stations.election_findings(central.election) == {central.pk: []}


def test_a_near_relative_of_a_candidate_is_refused_with_the_relation(
    central, user_committee_a1, roll
):
    # 王强 is the husband of 王芳, a formal candidate for director.
    with pytest.raises(RuleViolation) as refused:
        stations.add_duty(user_committee_a1, central, "王强")
    assert "王强是候选人王芳的配偶" in str(refused.value)
    assert "监票人" in str(refused.value)
    with pytest.raises(RuleViolation, match="计票人"):
        stations.add_duty(user_committee_a1, central, str(roll["王强"].number), role="counter")
    assert not Scrutineer.objects.exists()
    assert not Record.objects.filter(action="polling.scrutineer_add").exists()


def test_a_candidate_is_refused(central, user_committee_a1, roll):
    with pytest.raises(RuleViolation, match="刘伟是候选人"):
        stations.add_duty(user_committee_a1, central, roll["刘伟"].id_number)


def test_a_relative_of_someone_not_standing_may_serve(central, user_committee_a1):
    # 石磊 is 张勇's father; neither stands.
    watched(central, user_committee_a1, "石磊", "张勇")
    assert Scrutineer.objects.count() == 2


def test_one_duty_per_voter_and_station_and_a_single_chief(central, user_committee_a1, english):
    first = stations.add_duty(user_committee_a1, central, "丁一", chief=True)
    with pytest.raises(RuleViolation, match="already on duty"):
        stations.add_duty(user_committee_a1, central, "丁一", role="counter")
    second = stations.add_duty(user_committee_a1, central, "许静", chief=True)
    first.refresh_from_db()
    assert (first.chief, second.chief) == (False, True)
    stations.make_chief(user_committee_a1, first)
    second.refresh_from_db()
    assert (Scrutineer.objects.get(pk=first.pk).chief, second.chief) == (True, False)
    counter = stations.add_duty(user_committee_a1, central, "朱红", role="counter")
    with pytest.raises(RuleViolation):
        stations.make_chief(user_committee_a1, counter)
    with pytest.raises(RuleViolation):
        stations.add_duty(user_committee_a1, central, "陈霞", role="counter", chief=True)
    stations.remove_duty(user_committee_a1, counter)
    assert Record.objects.get(action="polling.scrutineer_remove").before["name"] == "朱红"
    assert Record.objects.filter(action="polling.scrutineer_chief").count() == 1


def test_an_unknown_voter_is_refused(central, user_committee_a1):
    with pytest.raises(RuleViolation, match="黄涛"):
        stations.add_duty(user_committee_a1, central, "黄涛")


def test_the_observer_and_another_township_cannot_set_up(
    election, formal, central, user_observer, user_township_b
):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    with pytest.raises(PermissionDenied):
        stations.add_station(user_observer, election, kind="station", name="一组")
    with pytest.raises(Http404):
        stations.add_duty(user_township_b, central, "丁一")


# Mobile boxes


def test_mobile_box_voters_are_approved_with_a_reason(box, user_committee_a1, roll):
    line = stations.add_mobile_voter(user_committee_a1, box, "陈霞", "年老行动不便")
    assert (line.voter, line.reason) == (roll["陈霞"], "年老行动不便")
    with pytest.raises(RuleViolation):
        stations.add_mobile_voter(user_committee_a1, box, "朱红", "  ")
    assert Record.objects.get(action="polling.mobile_voter_add").after["name"] == "陈霞"


def test_a_voter_is_on_one_box(box, election, user_committee_a1):
    other = stations.add_station(user_committee_a1, election, kind="mobile_box", name="流动票箱二")
    stations.add_mobile_voter(user_committee_a1, box, "陈霞", "卧病在床")
    with pytest.raises(RuleViolation, match="流动票箱一"):
        stations.add_mobile_voter(user_committee_a1, other, "陈霞", "卧病在床")
    with pytest.raises(RuleViolation):
        stations.add_mobile_voter(user_committee_a1, box, "陈霞", "卧病在床")
    assert MobileVoter.objects.count() == 1


def test_only_a_mobile_box_has_voters(central, user_committee_a1):
    with pytest.raises(RuleViolation, match="mobile box|流动票箱"):
        stations.add_mobile_voter(user_committee_a1, central, "陈霞", "卧病在床")


def test_the_mobile_box_list_is_approved_then_posted(box, user_committee_a1, media, english):
    with pytest.raises(RuleViolation):  # nobody to approve
        stations.approve_list(user_committee_a1, box, today())
    stations.add_mobile_voter(user_committee_a1, box, "陈霞", "年老行动不便")
    stations.add_mobile_voter(user_committee_a1, box, "石磊", "残疾")
    with pytest.raises(RuleViolation):  # not approved yet
        stations.publish_mobile(user_committee_a1, box, today())
    with pytest.raises(RuleViolation):
        stations.approve_list(user_committee_a1, box, today() + timedelta(days=1))
    yesterday = today() - timedelta(days=1)
    stations.approve_list(user_committee_a1, box, yesterday)
    assert box.approved_on == yesterday
    notice = stations.publish_mobile(user_committee_a1, box, today())
    assert (notice.kind, notice.station, notice.published_on) == ("mobile_box", box, today())
    assert sorted(notice.people) == sorted(m.voter_id for m in MobileVoter.objects.all())
    text = pdf_text(notice)
    assert "流动票箱投票选民名单公告" in text
    assert "陈霞" in text and "石磊" in text and "年老行动不便" in text
    assert "金茶村村民选举委员会" in text
    assert stations.mobile_notice(box) == notice
    rec = Record.objects.get(action="polling.mobile_list_published")
    assert rec.after["voters"] == 2
    # Posted: the list no longer changes.
    with pytest.raises(RuleViolation, match="posted|公布"):
        stations.add_mobile_voter(user_committee_a1, box, "朱红", "卧病在床")
    with pytest.raises(RuleViolation):
        stations.remove_mobile_voter(user_committee_a1, MobileVoter.objects.first())
    with pytest.raises(RuleViolation):
        stations.publish_mobile(user_committee_a1, box, today())
    with pytest.raises(RuleViolation, match="posted"):
        stations.delete_station(user_committee_a1, box)
    assert Notice.objects.count() == 1


def test_a_change_after_approval_needs_approving_again(box, user_committee_a1):
    stations.add_mobile_voter(user_committee_a1, box, "陈霞", "年老行动不便")
    stations.approve_list(user_committee_a1, box, today())
    line = stations.add_mobile_voter(user_committee_a1, box, "石磊", "残疾")
    box.refresh_from_db()
    assert box.approved_on is None
    stations.approve_list(user_committee_a1, box, today())
    stations.remove_mobile_voter(user_committee_a1, line)
    box.refresh_from_db()
    assert box.approved_on is None
    assert Record.objects.filter(action="polling.mobile_list_reopened").count() == 2


def test_no_mobile_list_after_election_day(box, election, user_committee_a1):
    stations.add_mobile_voter(user_committee_a1, box, "陈霞", "年老行动不便")
    election.election_day = today() - timedelta(days=1)
    election.save()
    with pytest.raises(RuleViolation, match="election day|选举日"):
        stations.approve_list(user_committee_a1, box, today())


def test_someone_on_duty_at_two_stations_is_warned_about(central, box, user_committee_a1):
    watched(central, user_committee_a1, "丁一", "许静", "陈霞")
    watched(box, user_committee_a1, "丁一", "朱红", "张勇")
    found = stations.election_findings(central.election)
    assert codes(found[central.pk]) == ["scrutineers.elsewhere"]
    assert codes(found[box.pk]) == ["scrutineers.elsewhere"]
    assert "流动票箱一" in found[central.pk][0].message_zh
    assert not found[box.pk][0].is_error
