# ruff: noqa: F401, F811 -- the fixtures are imported from fixtures_notices
"""Posting the voter list (选民名单公告, DOMAIN §3–4): the date checked against the profile,
posted once, the poster PDF grouped by 小组 with masked ID numbers, the timeline signed
off, and the notice page."""

import pytest
from django.urls import reverse
from fixtures_notices import (
    committee_ready,
    days,
    media,
    pdf_text,
    post_list,
    posted,
    roll_a1,
    set_election_day,
    stored_text,
    today,
)

from huanjie.audit.models import Record
from huanjie.cycles.models import Step, StepStatus
from huanjie.cycles.services import RuleViolation
from huanjie.rules.identity import mask_id
from huanjie.voters import publication
from huanjie.voters.models import Conflict, Publication, Voter

pytestmark = pytest.mark.django_db

A1_NAMES = ("王小明", "张伟", "李华", "王晓梅", "赵敏", "钱进")


def test_posted_exactly_20_days_before_d_is_accepted(post_list, cycle, village_a1):
    pub = post_list(today(), days(20))
    assert pub.kind == Publication.Kind.VOTER_LIST
    assert pub.published_on == today()
    assert pub.voters == 6
    steps = dict(Step.objects.filter(cycle=cycle, place=village_a1).values_list("key", "status"))
    assert steps["voter_registration"] == StepStatus.DONE
    assert steps["voter_list_published"] == StepStatus.DONE
    assert Step.objects.get(cycle=cycle, place=village_a1, key="voter_list_published").done_on == (
        today()
    )


def test_posted_19_days_before_d_is_refused_with_the_latest_date(
    post_list, cycle, village_a1, english
):
    with pytest.raises(RuleViolation) as refused:
        post_list(today(), days(19))
    message = str(refused.value)
    assert "20 days" in message and "DOMAIN §3, §4" in message
    assert days(-1).isoformat() in message  # the latest allowed date
    assert not Publication.objects.exists()
    assert not Step.objects.filter(key="voter_list_published").exists()


def test_a_date_in_the_future_is_refused(post_list, english):
    with pytest.raises(RuleViolation, match="future"):
        post_list(days(1), days(30))
    assert not Publication.objects.exists()


def test_the_list_is_posted_once(posted, cycle, village_a1, user_committee_a1, english):
    with pytest.raises(RuleViolation, match="posted once"):
        publication.publish_list(user_committee_a1, cycle, village_a1, days(-9))
    assert Publication.objects.count() == 1


def test_a_place_without_a_roll_cannot_post(
    cycle, village_a1, user_committee_a1, committee_ready, media, english
):
    set_election_day(cycle, village_a1, days(30))
    with pytest.raises(RuleViolation, match="no voters"):
        publication.publish_list(user_committee_a1, cycle, village_a1, today())


def test_without_the_election_committee_nothing_is_saved(
    cycle, village_a1, user_committee_a1, roll_a1, media, english
):
    set_election_day(cycle, village_a1, days(30))
    with pytest.raises(RuleViolation, match="cannot be signed off before"):
        publication.publish_list(user_committee_a1, cycle, village_a1, today())
    assert not Publication.objects.exists()
    assert not Step.objects.filter(status=StepStatus.DONE).exists()
    assert not Record.objects.filter(action="voters.list_published").exists()


def test_an_open_conflict_about_the_place_blocks_posting(post_list, english):
    Conflict.objects.filter(name="钱进").update(status=Conflict.Status.OPEN)
    with pytest.raises(RuleViolation, match="conflicts"):
        post_list(today(), days(30))


def test_a_step_signed_off_by_hand_is_kept(post_list, cycle, village_a1, user_committee_a1):
    Step.objects.create(
        cycle=cycle,
        place=village_a1,
        key="voter_registration",
        status=StepStatus.DONE,
        done_on=days(-3),
    )
    post_list(today(), days(25))
    step = Step.objects.get(cycle=cycle, place=village_a1, key="voter_registration")
    assert step.done_on == days(-3)


def test_the_poster_has_names_masked_ids_and_groups(posted, cycle, village_a1):
    text = stored_text(posted)
    assert "金茶村选民名单公告" in text
    for name in A1_NAMES:
        assert name in text
    for voter in Voter.objects.filter(cycle=cycle, place=village_a1):
        assert mask_id(voter.id_number) in text
        assert voter.id_number not in text
    assert "第一村民小组（共2人）" in text
    assert "第二村民小组（共1人）" in text
    assert "其他（共3人）" in text
    assert "选民共6人" in text
    assert "金茶村村民选举委员会" in text
    window_end = days(-5)
    assert f"{window_end.year}年{window_end.month}月{window_end.day}日" in text
    # Groups in the order of their codes, then the voters without a group.
    assert text.index("第一村民小组（共") < text.index("第二村民小组（共") < text.index("其他（共")


def test_posting_is_audited(posted, village_a1):
    rec = Record.objects.get(action="voters.list_published")
    assert rec.place_code == village_a1.code
    assert rec.after["names"] == 6
    assert rec.after["published_on"] == days(-10).isoformat()
    assert set(
        Record.objects.filter(action="step.sign_off").values_list("after__step", flat=True)
    ) == {"voter_registration", "voter_list_published"}


def test_posting_needs_the_right_to_register_voters(
    roll_a1, cycle, village_a1, user_observer, user_township_b, committee_ready, media
):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    with pytest.raises(PermissionDenied):
        publication.publish_list(user_observer, cycle, village_a1, today())
    with pytest.raises(Http404):
        publication.publish_list(user_township_b, cycle, village_a1, today())


# The notice page


def notice_url(cycle, place):
    return reverse("voters-notice", args=[cycle.pk, place.code])


def publish_url(cycle, place):
    return reverse("voters-notice-publish", args=[cycle.pk, place.code])


def test_the_page_shows_the_deadline_and_publishes(
    client_for, user_committee_a1, cycle, village_a1, roll_a1, committee_ready, media
):
    set_election_day(cycle, village_a1, days(25))
    client = client_for(user_committee_a1)
    page = client.get(notice_url(cycle, village_a1))
    assert page.status_code == 200
    html = page.content.decode()
    assert days(5).isoformat() in html  # latest allowed date
    assert "Not posted yet" in html
    assert "6 days left" in html  # today .. D − 20, both included
    response = client.post(
        reverse("voters-notice-publish", args=[cycle.pk, village_a1.code]),
        {"published_on": today().isoformat()},
        follow=True,
    )
    assert response.status_code == 200
    pub = Publication.objects.get()
    html = response.content.decode()
    assert reverse("voters-publication", args=[pub.pk]) in html
    download = client.get(reverse("voters-publication", args=[pub.pk]))
    assert download.status_code == 200
    assert "王小明" in pdf_text(b"".join(download.streaming_content))


def test_a_refused_date_is_explained_on_the_page(
    client_for, user_committee_a1, cycle, village_a1, roll_a1, committee_ready, media
):
    set_election_day(cycle, village_a1, days(10))
    response = client_for(user_committee_a1).post(
        reverse("voters-notice-publish", args=[cycle.pk, village_a1.code]),
        {"published_on": today().isoformat()},
        follow=True,
    )
    assert "the latest allowed date is" in response.content.decode()
    assert not Publication.objects.exists()


def test_observers_read_but_do_not_post(client_for, user_observer, posted, cycle, village_a1):
    client = client_for(user_observer)
    assert client.get(notice_url(cycle, village_a1)).status_code == 200
    assert client.get(reverse("voters-publication", args=[posted.pk])).status_code == 200
    response = client.post(publish_url(cycle, village_a1), {"published_on": today().isoformat()})
    assert response.status_code == 403


def test_observers_see_no_publish_form(
    client_for, user_observer, cycle, village_a1, roll_a1, committee_ready
):
    set_election_day(cycle, village_a1, days(30))
    page = client_for(user_observer).get(notice_url(cycle, village_a1)).content.decode()
    assert "Not posted yet" in page
    assert publish_url(cycle, village_a1) not in page


def test_another_township_does_not_see_the_place(
    client_for, user_township_b, posted, cycle, village_a1
):
    client = client_for(user_township_b)
    assert client.get(notice_url(cycle, village_a1)).status_code == 404
    assert client.get(reverse("voters-publication", args=[posted.pk])).status_code == 404
    response = client.post(
        reverse("voters-notice-publish", args=[cycle.pk, village_a1.code]),
        {"published_on": today().isoformat()},
    )
    assert response.status_code == 404
