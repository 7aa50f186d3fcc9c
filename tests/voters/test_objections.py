# ruff: noqa: F401, F811 -- the fixtures are imported from fixtures_notices
"""Objections (申诉, DOMAIN §3–4): received within the objection window counted from the
posting, decided within the decision window, upheld decisions changing the roll, the
decisions posted, and the pages.

``posted`` (fixtures_notices) posts 金茶村's list on today − 10 with D = today + 10: the
objection window runs from today − 10 to today − 5.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from fixtures_notices import (
    committee_ready,
    days,
    media,
    post_list,
    posted,
    roll_a1,
    set_election_day,
    stored_text,
    today,
)

from huanjie.audit.models import Record
from huanjie.cycles.models import Step
from huanjie.cycles.services import RuleViolation
from huanjie.rules.identity import make_id, mask_id
from huanjie.voters import objections, publication
from huanjie.voters.models import Objection, Publication, Voter

pytestmark = pytest.mark.django_db


@pytest.fixture
def file(cycle, village_a1, user_committee_a1):
    """file(kind, filed_on, **fields) records an objection in 金茶村 as its committee."""

    def _file(kind, filed_on, **fields):
        fields.setdefault("objector", "王大明")
        fields.setdefault("reason", "本人反映")
        return objections.file_objection(
            user_committee_a1, cycle, village_a1, kind, filed_on=filed_on, **fields
        )

    return _file


@pytest.fixture
def decide(user_committee_a1):
    def _decide(objection, upheld, decided_on, **fields):
        return objections.decide(
            user_committee_a1, objection, upheld, "经调查核实。", decided_on, **fields
        )

    return _decide


def voter(name):
    return Voter.objects.get(name=name, status=Voter.Status.LISTED)


def listed_names(cycle, place):
    return set(publication.listed(cycle, place).values_list("name", flat=True))


# The objection window


def test_before_the_list_is_posted_objections_are_refused(
    roll_a1, committee_ready, cycle, village_a1, file, people, english
):
    set_election_day(cycle, village_a1, days(30))
    with pytest.raises(RuleViolation, match="has not been posted"):
        file("omitted", today(), subject_name="孙丽", subject_id_number=people["孙丽"].id_number)
    assert not Objection.objects.exists()


def test_the_last_day_of_the_window_is_accepted(posted, file, people):
    objection = file(
        "omitted", days(-5), subject_name="孙丽", subject_id_number=people["孙丽"].id_number
    )
    assert objection.status == Objection.Status.PENDING
    assert objection.filed_on == days(-5)


def test_the_day_after_the_window_is_refused_with_the_dates(posted, file, people, english):
    with pytest.raises(RuleViolation) as refused:
        file("wrongly_listed", days(-4), voter=voter("钱进"))
    message = str(refused.value)
    assert days(-10).isoformat() in message and days(-5).isoformat() in message
    assert days(-4).isoformat() in message


def test_a_day_before_the_posting_is_refused(posted, file, english):
    with pytest.raises(RuleViolation, match="outside that window"):
        file("wrongly_listed", days(-11), voter=voter("钱进"))


def test_the_day_of_posting_is_accepted(posted, file):
    assert file("wrongly_listed", days(-10), voter=voter("钱进")).voter == voter("钱进")


def test_an_omission_needs_a_valid_id_number(posted, file, english):
    with pytest.raises(RuleViolation, match="not valid"):
        file("omitted", days(-6), subject_name="某人", subject_id_number="430121199001011234")


def test_an_omission_of_someone_listed_here_is_refused(posted, file, english):
    listed = voter("王小明")
    with pytest.raises(RuleViolation, match="already on the list"):
        file("omitted", days(-6), subject_name="王小明", subject_id_number=listed.id_number)


def test_filing_is_audited_with_the_masked_number(posted, file, people):
    objection = file(
        "omitted", days(-6), subject_name="孙丽", subject_id_number=people["孙丽"].id_number
    )
    rec = Record.objects.get(action="voters.objection_filed")
    assert rec.target_id == str(objection.pk)
    assert rec.after["subject_id_number"] == mask_id(people["孙丽"].id_number)
    assert people["孙丽"].id_number not in str(rec.after)


# The decision window


@pytest.fixture
def late_objection(posted, file):
    """An objection received on the last day of the window, today − 5: the committee
    decides it by today − 2."""
    return file("wrongly_listed", days(-5), voter=voter("钱进"))


def test_the_last_day_of_the_decision_window_is_accepted(late_objection, decide):
    assert decide(late_objection, False, days(-2)).status == Objection.Status.REJECTED


def test_a_late_decision_is_refused(late_objection, decide, english):
    with pytest.raises(RuleViolation) as refused:
        decide(late_objection, True, days(-1))
    assert days(-2).isoformat() in str(refused.value)
    late_objection.refresh_from_db()
    assert late_objection.status == Objection.Status.PENDING
    assert voter("钱进").status == Voter.Status.LISTED


def test_a_decision_before_the_objection_is_refused(late_objection, decide, english):
    with pytest.raises(RuleViolation, match="outside that window"):
        decide(late_objection, True, days(-6))


def test_a_decision_is_taken_once(late_objection, decide, english):
    decide(late_objection, False, days(-3))
    with pytest.raises(RuleViolation, match="was decided on"):
        decide(late_objection, True, days(-3))


# What an upheld decision does to the roll


def test_an_upheld_omission_adds_the_voter(posted, file, decide, cycle, village_a1, people):
    before = listed_names(cycle, village_a1)
    objection = file(
        "omitted", days(-8), subject_name="孙丽", subject_id_number=people["孙丽"].id_number
    )
    decide(objection, True, days(-7))
    added = voter("孙丽")
    assert listed_names(cycle, village_a1) == before | {"孙丽"}
    assert added.place == village_a1
    assert added.source == Voter.Source.OBJECTION
    assert added.number == 7
    # Registered here and living away: the rules' category, now that she takes part.
    assert added.category == "户在人不在"
    assert added.resident == people["孙丽"]
    objection.refresh_from_db()
    assert objection.voter == added and objection.status == Objection.Status.UPHELD
    assert Record.objects.filter(action="voters.voter_added", target_id=str(added.pk)).exists()
    rec = Record.objects.get(action="voters.objection_decided")
    assert rec.before["status"] == "pending" and rec.after["status"] == "upheld"


def test_an_omitted_person_unknown_to_the_records_needs_a_category(posted, file, decide, english):
    number = make_id("430121", today().replace(year=today().year - 40), 777, "F")
    objection = file("omitted", days(-8), subject_name="外来人", subject_id_number=number)
    with pytest.raises(RuleViolation, match="state the category"):
        decide(objection, True, days(-7))
    decide(objection, True, days(-7), stated="人在户不在")
    assert voter("外来人").category == "人在户不在"


def test_an_omitted_person_listed_elsewhere_is_refused_naming_the_place(
    posted, file, decide, people, english
):
    objection = file(
        "omitted", days(-8), subject_name="周杰", subject_id_number=people["周杰"].id_number
    )
    with pytest.raises(RuleViolation, match="黄兴村"):
        decide(objection, True, days(-7))
    assert voter("周杰").place.name == "黄兴村"


def test_an_omitted_person_under_age_is_refused(posted, file, decide, people, english):
    objection = file(
        "omitted", days(-8), subject_name="刘小", subject_id_number=people["刘小"].id_number
    )
    with pytest.raises(RuleViolation, match="not 18"):
        decide(objection, True, days(-7))
    assert not Voter.objects.filter(name="刘小").exists()


def test_an_upheld_wrong_listing_removes_the_line(posted, file, decide, cycle, village_a1):
    line = voter("钱进")
    decide(file("wrongly_listed", days(-8), voter=line), True, days(-7))
    line.refresh_from_db()
    assert line.status == Voter.Status.REMOVED
    assert "钱进" not in listed_names(cycle, village_a1)
    rec = Record.objects.get(action="voters.voter_removed")
    assert rec.before["status"] == "listed" and rec.after["status"] == "removed"


def test_an_upheld_wrong_detail_corrects_the_name(posted, file, decide):
    line = voter("李华")
    objection = file("wrong_details", days(-8), voter=line, reason="名字错了")
    with pytest.raises(RuleViolation):
        decide(objection, True, days(-7))  # no corrected name given
    decide(objection, True, days(-7), corrected_name="李桦")
    line.refresh_from_db()
    assert line.name == "李桦" and line.name_initials == "lh"
    rec = Record.objects.get(action="voters.voter_corrected")
    assert rec.before["name"] == "李华" and rec.after["name"] == "李桦"


def test_a_rejected_objection_leaves_the_roll(posted, file, decide, cycle, village_a1):
    before = listed_names(cycle, village_a1)
    decide(file("wrongly_listed", days(-8), voter=voter("钱进")), False, days(-7))
    assert listed_names(cycle, village_a1) == before


def test_only_the_committee_side_records_and_decides(
    posted, cycle, village_a1, user_observer, user_township_b, people
):
    for user, error in ((user_observer, PermissionDenied), (user_township_b, Http404)):
        with pytest.raises(error):
            objections.file_objection(
                user,
                cycle,
                village_a1,
                "wrongly_listed",
                objector="x",
                reason="y",
                filed_on=days(-6),
                voter=voter("钱进"),
            )


# Posting the decisions


def test_the_decisions_notice_has_names_and_masked_ids(
    posted, file, decide, cycle, village_a1, user_committee_a1, people
):
    sun = people["孙丽"]
    decide(
        file("omitted", days(-8), subject_name="孙丽", subject_id_number=sun.id_number),
        True,
        days(-7),
    )
    qian = voter("钱进")
    decide(file("wrongly_listed", days(-8), voter=qian), False, days(-6))
    pending = file("wrong_details", days(-8), voter=voter("李华"))
    pub = publication.publish_decisions(user_committee_a1, cycle, village_a1, days(-6))
    assert pub.kind == Publication.Kind.DECISIONS and pub.voters == 2
    text = stored_text(pub)
    assert "申诉处理结果公告" in text
    for name, number in (("孙丽", sun.id_number), ("钱进", qian.id_number)):
        assert name in text
        assert mask_id(number) in text
        assert number not in text
    assert "申诉成立，予以登记" in text and "申诉不成立" in text
    assert "李华" not in text  # still pending
    assert set(Objection.objects.filter(published=pub).values_list("subject_name", flat=True)) == {
        "孙丽",
        "钱进",
    }
    pending.refresh_from_db()
    assert pending.published is None
    rec = Record.objects.get(action="voters.decisions_published")
    assert rec.after["names"] == 2


def test_decisions_are_posted_once_and_not_before_they_are_taken(
    posted, file, decide, cycle, village_a1, user_committee_a1, english
):
    decide(file("wrongly_listed", days(-8), voter=voter("钱进")), False, days(-6))
    with pytest.raises(RuleViolation, match="cannot be posted before"):
        publication.publish_decisions(user_committee_a1, cycle, village_a1, days(-7))
    publication.publish_decisions(user_committee_a1, cycle, village_a1, days(-6))
    with pytest.raises(RuleViolation, match="no decisions"):
        publication.publish_decisions(user_committee_a1, cycle, village_a1, days(-5))


def _step(cycle, place, key):
    return Step.objects.filter(cycle=cycle, place=place, key=key, status="done").first()


def test_the_last_decisions_after_the_window_sign_off_the_objection_steps(
    posted, file, decide, cycle, village_a1, user_committee_a1
):
    # Posted on today − 10: objections until today − 5.
    decide(file("wrongly_listed", days(-8), voter=voter("钱进")), False, days(-6))
    publication.publish_decisions(user_committee_a1, cycle, village_a1, days(-4))
    assert _step(cycle, village_a1, "objections_closed").done_on == days(-5)
    assert _step(cycle, village_a1, "objections_decided").done_on == days(-4)


def test_not_while_the_window_is_open_or_an_objection_waits(
    posted, file, decide, cycle, village_a1, user_committee_a1
):
    decide(file("wrongly_listed", days(-8), voter=voter("钱进")), False, days(-7))
    publication.publish_decisions(user_committee_a1, cycle, village_a1, days(-6))
    file("wrong_details", days(-6), voter=voter("李华"))
    decide(file("wrongly_listed", days(-6), voter=voter("张伟")), False, days(-5))
    publication.publish_decisions(user_committee_a1, cycle, village_a1, days(-4))
    assert _step(cycle, village_a1, "objections_closed") is None
    assert _step(cycle, village_a1, "objections_decided") is None


# Pages


def objections_url(cycle, place, *rest):
    return reverse("voters-objections", args=[cycle.pk, place.code]) + "".join(rest)


@pytest.fixture
def open_window(post_list):
    """金茶村's list posted two days ago (D = today + 18): objections until today + 3."""
    return post_list(days(-2), days(18))


def test_the_page_counts_down_the_windows(
    open_window, client_for, user_committee_a1, cycle, village_a1, file
):
    file("wrongly_listed", days(-1), voter=voter("钱进"))
    page = client_for(user_committee_a1).get(objections_url(cycle, village_a1)).content.decode()
    assert "4 days left" in page  # objections: today .. today + 3
    assert "3 days left" in page  # decision: today .. (today − 1) + 3
    assert "钱进" in page
    assert reverse("voters-objection-new", args=[cycle.pk, village_a1.code]) in page


def test_the_status_filter(
    open_window, client_for, user_committee_a1, cycle, village_a1, file, decide
):
    decide(file("wrongly_listed", days(-1), voter=voter("钱进")), False, days(-1))
    file("wrong_details", days(-1), voter=voter("李华"))
    client = client_for(user_committee_a1)

    def table(status):
        page = client.get(objections_url(cycle, village_a1, f"?status={status}")).content.decode()
        return page.split("<h2>")[0]  # the objections, not the history below them

    pending = table("pending")
    assert "李华" in pending and "钱进" not in pending
    rejected = table("rejected")
    assert "钱进" in rejected and "李华" not in rejected


def test_record_decide_and_post_through_the_pages(
    open_window, client_for, user_committee_a1, cycle, village_a1, people
):
    client = client_for(user_committee_a1)
    response = client.post(
        reverse("voters-objection-new", args=[cycle.pk, village_a1.code]),
        {
            "kind": "omitted",
            "subject_name": "孙丽",
            "subject_id_number": people["孙丽"].id_number,
            "objector": "孙丽",
            "reason": "本人回村参加选举",
            "filed_on": today().isoformat(),
        },
        follow=True,
    )
    assert "The objection is recorded." in response.content.decode()
    objection = Objection.objects.get()
    decide_url = reverse("voters-objection-decide", args=[cycle.pk, village_a1.code, objection.pk])
    assert client.get(decide_url).status_code == 200
    response = client.post(
        decide_url,
        {"upheld": "1", "decision": "予以登记", "decided_on": today().isoformat()},
        follow=True,
    )
    assert "The decision is recorded." in response.content.decode()
    assert voter("孙丽").source == Voter.Source.OBJECTION
    response = client.post(
        reverse("voters-decisions-publish", args=[cycle.pk, village_a1.code]),
        {"published_on": today().isoformat()},
        follow=True,
    )
    assert "1 decisions were posted." in response.content.decode()
    assert Publication.objects.filter(kind=Publication.Kind.DECISIONS).count() == 1


def test_a_wrong_voter_number_is_explained(
    open_window, client_for, user_committee_a1, cycle, village_a1
):
    response = client_for(user_committee_a1).post(
        reverse("voters-objection-new", args=[cycle.pk, village_a1.code]),
        {"kind": "wrongly_listed", "voter_number": "99", "objector": "x", "reason": "y"},
        follow=True,
    )
    assert "No voter of 金茶村 is listed under number 99." in response.content.decode()
    assert not Objection.objects.exists()


def test_page_permissions(
    open_window, client_for, user_observer, user_township_b, cycle, village_a1, file
):
    objection = file("wrongly_listed", days(-1), voter=voter("钱进"))
    new = reverse("voters-objection-new", args=[cycle.pk, village_a1.code])
    decide_url = reverse("voters-objection-decide", args=[cycle.pk, village_a1.code, objection.pk])
    publish = reverse("voters-decisions-publish", args=[cycle.pk, village_a1.code])
    observer = client_for(user_observer)
    assert observer.get(objections_url(cycle, village_a1)).status_code == 200
    for url in (new, decide_url, publish):
        assert observer.post(url, {}).status_code == 403
    other = client_for(user_township_b)
    assert other.get(objections_url(cycle, village_a1)).status_code == 404
    for url in (new, decide_url, publish):
        assert other.post(url, {}).status_code == 404
