# ruff: noqa: F401, F811 -- the fixtures are imported from fixtures_notices
"""Voter cards (选民证, DOMAIN §4): a batch per place once the list is posted, one card
per listed voter in number order, one audit record per batch."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from fixtures_notices import (
    committee_ready,
    days,
    media,
    pdf_pages,
    pdf_text,
    post_list,
    posted,
    roll_a1,
    set_election_day,
    today,
)

from huanjie.audit.models import Record
from huanjie.cycles.services import RuleViolation
from huanjie.documents import cards as layout
from huanjie.voters import cards, publication
from huanjie.voters.models import Voter

pytestmark = pytest.mark.django_db


def test_the_card_number_is_the_place_digits_and_the_voter_number(village_a1):
    assert cards.card_number(village_a1, 12) == "201-0012"
    assert cards.card_number(village_a1, 12345) == "201-12345"


def test_the_station_is_the_group_or_the_central_hall(roll_a1, group_a1_1):
    assert cards.station_of(Voter.objects.get(name="王小明")) == "第一村民小组投票站"
    assert cards.station_of(Voter.objects.get(name="赵敏")) == "中心会场"


def test_a_batch_has_a_card_for_every_listed_voter(posted, cycle, village_a1, user_committee_a1):
    Voter.objects.filter(name="钱进").update(status=Voter.Status.REMOVED)
    pdf = cards.issue(user_committee_a1, cycle, village_a1)
    text = pdf_text(pdf)
    listed = list(publication.listed(cycle, village_a1))
    assert len(listed) == 5
    for voter in listed:
        assert voter.name in text
        assert cards.card_number(village_a1, voter.number) in text
    assert "钱进" not in text
    assert "金茶村村民选举委员会" in text
    assert "第一村民小组投票站" in text and "中心会场" in text
    d = days(10)
    assert f"{d.year}年{d.month}月{d.day}日" in text
    assert pdf_pages(pdf) == 1  # eight to a sheet
    for voter in listed:  # no full ID number on a card
        assert voter.id_number not in text


def test_a_sheet_holds_eight_cards(posted, cycle, village_a1, user_committee_a1):
    model = Voter.objects.get(name="王小明")
    for number in range(7, 18):
        Voter.objects.create(
            cycle=cycle,
            place=village_a1,
            number=number,
            id_number=f"X{number}",
            name=f"选民{number}",
            sex="M",
            birth_date=model.birth_date,
            category=model.category,
            source=Voter.Source.OBJECTION,
        )
    pdf = cards.issue(user_committee_a1, cycle, village_a1)
    assert layout.PER_PAGE == 8
    assert pdf_pages(pdf) == 3  # 17 cards
    text = pdf_text(pdf)
    assert "选民17" in text and "201-0017" in text


def test_a_batch_is_audited_once(posted, cycle, village_a1, user_committee_a1):
    cards.issue(user_committee_a1, cycle, village_a1)
    rec = Record.objects.get(action="voters.cards_issued")
    assert rec.place_code == village_a1.code
    assert rec.after["cards"] == 6
    assert rec.after["first"] == "201-0001" and rec.after["last"] == "201-0006"


def test_no_cards_before_the_list_is_posted(
    roll_a1, committee_ready, cycle, village_a1, user_committee_a1, english
):
    with pytest.raises(RuleViolation, match="has not been posted"):
        cards.issue(user_committee_a1, cycle, village_a1)
    assert not Record.objects.filter(action="voters.cards_issued").exists()


def test_only_those_who_register_voters_issue_cards(
    posted, cycle, village_a1, user_observer, user_township_b
):
    with pytest.raises(PermissionDenied):
        cards.issue(user_observer, cycle, village_a1)
    with pytest.raises(Http404):
        cards.issue(user_township_b, cycle, village_a1)


# The page


def cards_url(cycle, place):
    return reverse("voters-cards", args=[cycle.pk, place.code])


def test_the_page_issues_the_pdf(posted, client_for, user_committee_a1, cycle, village_a1):
    client = client_for(user_committee_a1)
    page = client.get(cards_url(cycle, village_a1))
    assert page.status_code == 200
    assert "6 cards will be printed" in page.content.decode()
    assert "201-0001" in page.content.decode()
    response = client.post(cards_url(cycle, village_a1))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "王小明" in pdf_text(response.content)


def test_the_page_says_when_the_list_is_not_posted(
    roll_a1, committee_ready, client_for, user_committee_a1, cycle, village_a1
):
    set_election_day(cycle, village_a1, days(30))
    client = client_for(user_committee_a1)
    page = client.get(cards_url(cycle, village_a1)).content.decode()
    assert "once the voter list has been posted" in page
    response = client.post(cards_url(cycle, village_a1), follow=True)
    assert "has not been posted" in response.content.decode()


def test_page_permissions(posted, client_for, user_observer, user_township_b, cycle, village_a1):
    observer = client_for(user_observer)
    assert observer.get(cards_url(cycle, village_a1)).status_code == 200
    assert observer.post(cards_url(cycle, village_a1)).status_code == 403
    other = client_for(user_township_b)
    assert other.get(cards_url(cycle, village_a1)).status_code == 404
    assert other.post(cards_url(cycle, village_a1)).status_code == 404
    assert not Record.objects.filter(action="voters.cards_issued").exists()
