"""Posting the proxy list and the mobile-box lists signs off their timeline steps
(DOMAIN §6), once everything those steps require is done."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from huanjie.cycles.models import Step, StepStatus
from huanjie.polling import proxies, stations
from huanjie.polling.models import Station
from huanjie.rules import timeline

D = timezone.localdate()
EVE = D - timedelta(days=1)


def done_before(cycle, place, key):
    """Every step the timeline has before ``key``, signed off."""
    for step in timeline.STEPS:
        if step.key == key:
            return
        Step.objects.create(
            cycle=cycle, place=place, key=step.key, status=StepStatus.DONE, done_on=EVE
        )


def status(cycle, place, key):
    found = Step.objects.filter(cycle=cycle, place=place, key=key).first()
    return (found.status, found.done_on) if found else None


@pytest.fixture
def election_day():
    return D + timedelta(days=1)


@pytest.fixture
def entrusted(election, formal, roll, user_committee_a1, media):
    proxies.register(
        user_committee_a1,
        election,
        entruster="丁一",
        proxy="朱红",
        relation="sibling",
        signed_on=EVE,
        authorisation=SimpleUploadedFile("委托书.pdf", b"%PDF-1.4", "application/pdf"),
        today=EVE,
    )


def test_the_proxy_list_signs_off_its_step(entrusted, election, cycle, user_committee_a1):
    done_before(cycle, election.place, "proxy_list_published")
    proxies.publish(user_committee_a1, election, D, today=D)
    assert status(cycle, election.place, "proxy_list_published") == (StepStatus.DONE, D)


def test_the_step_waits_for_what_it_requires(entrusted, election, cycle, user_committee_a1):
    proxies.publish(user_committee_a1, election, D, today=D)
    assert status(cycle, election.place, "proxy_list_published") is None


def test_the_mobile_step_waits_for_every_box(election, roll, cycle, user_committee_a1, media):
    done_before(cycle, election.place, "mobile_box_published")
    boxes = []
    for name, voter in (("流动票箱一", "陈霞"), ("流动票箱二", "石磊")):
        box = Station.objects.create(
            election=election, kind=Station.Kind.MOBILE_BOX, name=name, user=user_committee_a1
        )
        stations.add_mobile_voter(user_committee_a1, box, voter, "卧病在床")
        stations.approve_list(user_committee_a1, box, EVE)
        boxes.append(box)
    stations.publish_mobile(user_committee_a1, boxes[0], D)
    assert status(cycle, election.place, "mobile_box_published") is None
    stations.publish_mobile(user_committee_a1, boxes[1], D)
    assert status(cycle, election.place, "mobile_box_published") == (StepStatus.DONE, D)
