# ruff: noqa: F401, F811 -- the fixtures are imported from fixtures_notices
"""补登, supplementary registration on election day (DOMAIN §4): only on D, with the
rules' checks, and the names posted before the count.

``on_election_day`` makes today D for 金茶村, its list posted 20 days ago.
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
from huanjie.cycles.services import RuleViolation
from huanjie.rules.identity import make_id, mask_id
from huanjie.voters import publication, supplementary
from huanjie.voters.models import Publication, Voter

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_election_day(post_list):
    return post_list(days(-20), today())


@pytest.fixture
def desk(cycle, village_a1, user_committee_a1):
    """desk(id_number, name, on=today, **fields) registers at 金茶村's 补登 desk."""

    def _register(id_number, name, on=None, **fields):
        return supplementary.register(
            user_committee_a1,
            cycle,
            village_a1,
            id_number=id_number,
            name=name,
            on=on or today(),
            **fields,
        )

    return _register


def test_a_missed_voter_is_registered_on_election_day(
    on_election_day, desk, people, cycle, village_a1, group_a1_2
):
    voter = desk(people["孙丽"].id_number, "孙丽", group=group_a1_2, note="外出返乡")
    assert voter.source == Voter.Source.SUPPLEMENTARY
    assert voter.status == Voter.Status.LISTED
    assert voter.number == 7
    assert voter.category == "户在人不在"
    assert voter.group == group_a1_2 and voter.note == "外出返乡"
    assert voter.sex == "F" and voter.birth_date == people["孙丽"].birth_date
    assert publication.listed(cycle, village_a1).count() == 7
    rec = Record.objects.get(action="voters.voter_added")
    assert rec.after["source"] == "supplementary"
    assert rec.after["id_number"] == mask_id(voter.id_number)


def test_another_day_is_refused_naming_d(on_election_day, desk, people, english):
    with pytest.raises(RuleViolation) as refused:
        desk(people["孙丽"].id_number, "孙丽", on=days(-1))
    assert today().isoformat() in str(refused.value)
    assert "election day only" in str(refused.value)
    assert not Voter.objects.filter(name="孙丽").exists()


def test_election_day_still_to_come_is_refused(post_list, desk, people, english):
    post_list(days(-19), days(1))
    with pytest.raises(RuleViolation, match="has not come yet"):
        desk(people["孙丽"].id_number, "孙丽", on=days(1))


def test_an_under_age_person_is_refused(on_election_day, desk, people, english):
    with pytest.raises(RuleViolation, match="not 18"):
        desk(people["刘小"].id_number, "刘小")


def test_exactly_18_on_d_is_registered(on_election_day, desk, english):
    try:
        born = today().replace(year=today().year - 18)
    except ValueError:
        pytest.skip("D is 29 February: nobody was born on it 18 years ago")
    voter = desk(make_id("430121", born, 321, "M"), "新青年", stated="户在人在")
    assert voter.birth_date == born


def test_someone_listed_elsewhere_is_refused_naming_the_place(
    on_election_day, desk, people, english
):
    with pytest.raises(RuleViolation, match="黄兴村"):
        desk(people["周杰"].id_number, "周杰")


def test_someone_already_listed_here_is_refused(on_election_day, desk, people, english):
    with pytest.raises(RuleViolation, match="already on the list"):
        desk(people["王小明"].id_number, "王小明")


def test_an_invalid_id_number_is_refused(on_election_day, desk, english):
    with pytest.raises(RuleViolation, match="not valid"):
        desk("43012119900101123X", "某人", stated="户在人在")


def test_someone_the_records_do_not_know_gets_the_stated_category(on_election_day, desk):
    number = make_id("430121", date_years_ago(30), 555, "M")
    with pytest.raises(RuleViolation):
        desk(number, "外地人")
    assert desk(number, "外地人", stated="人在户不在").category == "人在户不在"


def date_years_ago(years):
    return today().replace(year=today().year - years, day=1)


def test_before_the_list_is_posted_nothing_is_registered(
    roll_a1, committee_ready, cycle, village_a1, desk, people, english
):
    set_election_day(cycle, village_a1, today())
    with pytest.raises(RuleViolation, match="has not been posted"):
        desk(people["孙丽"].id_number, "孙丽")


def test_the_desk_needs_the_right_to_register(
    on_election_day, cycle, village_a1, user_observer, user_township_b, people
):
    for user, error in ((user_observer, PermissionDenied), (user_township_b, Http404)):
        with pytest.raises(error):
            supplementary.register(
                user, cycle, village_a1, id_number=people["孙丽"].id_number, name="孙丽", on=today()
            )


# Posting the names before the count


def test_the_supplementary_list_is_posted(
    on_election_day, desk, people, cycle, village_a1, user_committee_a1, english
):
    with pytest.raises(RuleViolation, match="No name"):
        publication.publish_supplementary(user_committee_a1, cycle, village_a1, today())
    sun = desk(people["孙丽"].id_number, "孙丽")
    assert list(publication.unposted_supplementary(cycle, village_a1)) == [sun]
    with pytest.raises(RuleViolation, match="election day"):
        publication.publish_supplementary(user_committee_a1, cycle, village_a1, days(-1))
    first = publication.publish_supplementary(user_committee_a1, cycle, village_a1, today())
    assert first.kind == Publication.Kind.SUPPLEMENTARY and first.voters == 1
    text = stored_text(first)
    assert "补登选民名单" in text
    assert "孙丽" in text and mask_id(sun.id_number) in text and sun.id_number not in text
    assert not publication.unposted_supplementary(cycle, village_a1).exists()
    with pytest.raises(RuleViolation, match="No name"):
        publication.publish_supplementary(user_committee_a1, cycle, village_a1, today())
    later = desk(make_id("430121", date_years_ago(50), 556, "F"), "后来者", stated="户在人在")
    second = publication.publish_supplementary(user_committee_a1, cycle, village_a1, today())
    assert second.voters == 2
    assert "后来者" in stored_text(second) and mask_id(later.id_number) in stored_text(second)
    assert Record.objects.filter(action="voters.supplementary_published").count() == 2


# The page


def desk_url(cycle, place):
    return reverse("voters-supplementary", args=[cycle.pk, place.code])


def test_the_page_warns_until_the_names_are_posted(
    on_election_day, client_for, user_committee_a1, cycle, village_a1, people
):
    client = client_for(user_committee_a1)
    response = client.post(
        desk_url(cycle, village_a1),
        {"id_number": people["孙丽"].id_number, "name": "孙丽", "group": "", "note": ""},
        follow=True,
    )
    html = response.content.decode()
    assert "孙丽 is registered as voter number 7." in html
    assert "1 name registered today has not been posted yet" in html
    assert mask_id(people["孙丽"].id_number) in html
    assert people["孙丽"].id_number not in html
    response = client.post(
        reverse("voters-supplementary-publish", args=[cycle.pk, village_a1.code]), follow=True
    )
    html = response.content.decode()
    assert "The supplementary list was posted with 1 names." in html
    assert "has not been posted yet" not in html


def test_the_page_refuses_another_day(
    post_list, client_for, user_committee_a1, cycle, village_a1, people
):
    post_list(days(-25), days(-1))  # election day was yesterday
    response = client_for(user_committee_a1).post(
        desk_url(cycle, village_a1),
        {"id_number": people["孙丽"].id_number, "name": "孙丽"},
        follow=True,
    )
    assert "is done on election day only" in response.content.decode()
    assert not Voter.objects.filter(name="孙丽").exists()


def test_page_permissions(
    on_election_day, client_for, user_observer, user_township_b, cycle, village_a1, people
):
    publish = reverse("voters-supplementary-publish", args=[cycle.pk, village_a1.code])
    observer = client_for(user_observer)
    assert observer.get(desk_url(cycle, village_a1)).status_code == 200
    assert observer.post(desk_url(cycle, village_a1), {"name": "x"}).status_code == 403
    assert observer.post(publish).status_code == 403
    other = client_for(user_township_b)
    assert other.get(desk_url(cycle, village_a1)).status_code == 404
    assert other.post(desk_url(cycle, village_a1), {"name": "x"}).status_code == 404
    assert other.post(publish).status_code == 404
