"""The plenary page: open the plenary, enter its votes, see why each person is elected,
print the report, record the approval; and the two committees of the place."""

import pytest
from django.urls import reverse
from django.utils import timezone
from plenary_shared import elect_committee, hold_plenary

from huanjie.party import plenary
from huanjie.party.models import Plenary, Seat


@pytest.fixture
def elected(final_list, party_election, members, user_township_a):
    elect_committee(user_township_a, party_election, members)
    return party_election


def url(election, name="party_plenary", *extra):
    return reverse(name, args=[election.cycle_id, election.place.code, election.pk, *extra])


def test_the_page_waits_for_the_members_meeting(
    final_list, party_election, user_committee_a1, client_for
):
    page = client_for(user_committee_a1).get(url(party_election))
    assert page.status_code == 200
    assert "has not elected the whole committee yet" in page.content.decode()
    assert b'class="open-plenary"' not in page.content


def test_a_plenary_from_opening_to_approval(
    elected, members, user_committee_a1, user_township_a, client_for
):
    committee = client_for(user_committee_a1)
    page = committee.get(url(elected)).content.decode()
    assert "丁一、王芳、王强、刘伟、吴丽" in page
    assert 'class="open-plenary"' in page
    ding, wang = members["丁一"].pk, members["王芳"].pk
    response = committee.post(
        url(elected, "party_plenary_open"),
        {"present": "5", "secretary": [ding], "deputy_secretary": [wang]},
    )
    assert response.status_code == 302
    held = Plenary.objects.get()
    # Four votes of five for 丁一 and two for 王芳: the deputy seat stays open.
    committee.post(
        url(elected, "party_plenary_votes", held.pk),
        {
            f"votes-secretary-m{ding}": "4",
            f"votes-secretary-m{members['刘伟'].pk}": "1",
            f"votes-deputy_secretary-m{wang}": "2",
            "ballots_issued": "5",
            "ballots_returned": "5",
        },
    )
    page = committee.get(url(elected)).content.decode()
    assert "4 votes, at least the 3 needed: elected" in page
    assert "2 votes, fewer than the 3 needed" in page
    assert 'data-code="plenary.seat_open"' in page
    assert 'class="report no-print"' not in page
    committee.post(
        url(elected, "party_plenary_votes", held.pk),
        {
            f"votes-secretary-m{ding}": "5",
            f"votes-deputy_secretary-m{wang}": "4",
            "ballots_issued": "5",
            "ballots_returned": "5",
        },
    )
    response = committee.post(url(elected, "party_plenary_report", held.pk), {})
    held.refresh_from_db()
    assert held.state == Plenary.State.REPORTED
    pdf = committee.get(url(elected, "party_plenary_pdf", held.pk))
    assert pdf["Content-Type"] == "application/pdf"
    # The committee reports; only the upper level approves.
    page = committee.get(url(elected)).content.decode()
    assert 'class="approve no-print"' not in page
    assert committee.post(url(elected, "party_plenary_approve", held.pk), {}).status_code == 403
    township = client_for(user_township_a)
    assert 'class="approve no-print"' in township.get(url(elected)).content.decode()
    township.post(
        url(elected, "party_plenary_approve", held.pk),
        {"approved_by": "星沙街道党工委", "reference": "星工〔2026〕9号"},
    )
    held.refresh_from_db()
    assert held.state == Plenary.State.APPROVED
    assert Seat.objects.filter(until__isnull=True).count() == 5
    page = township.get(url(elected)).content.decode()
    assert "星工〔2026〕9号" in page
    assert "The committee is in office." in page


def test_a_bad_number_is_named(elected, user_committee_a1, client_for):
    held = hold_plenary(user_committee_a1, elected)
    client = client_for(user_committee_a1)
    response = client.post(
        url(elected, "party_plenary_votes", held.pk),
        {
            f"votes-secretary-{held.committee[0]['id']}": "five",
            "ballots_issued": "5",
            "ballots_returned": "5",
        },
        follow=True,
    )
    assert "书记, 丁一 must be a whole number." in response.content.decode()


def test_the_report_can_be_withdrawn(elected, user_committee_a1, client_for):
    held = hold_plenary(user_committee_a1, elected)
    plenary.report(user_committee_a1, held, reported_on=timezone.localdate())
    client = client_for(user_committee_a1)
    client.post(url(elected, "party_plenary_withdraw", held.pk))
    held.refresh_from_db()
    assert held.state == Plenary.State.OPEN


def test_scope_and_roles(elected, user_township_b, user_observer, client_for):
    assert client_for(user_township_b).get(url(elected)).status_code == 404
    observer = client_for(user_observer)
    assert observer.get(url(elected)).status_code == 200
    assert b'class="open-plenary"' not in observer.get(url(elected)).content
    response = observer.post(url(elected, "party_plenary_open"), {"present": "5"})
    assert response.status_code == 403
    assert not Plenary.objects.exists()


def test_a_committee_election_has_no_plenary(cycle, village_a1, user_township_a, client_for):
    committee = cycle.elections.get(place=village_a1, body="villagers_committee")
    response = client_for(user_township_a).get(url(committee))
    assert response.status_code == 404


def test_the_two_committees_page(elected, user_township_a, client_for):
    held = hold_plenary(user_township_a, elected)
    held = plenary.report(user_township_a, held, reported_on=timezone.localdate())
    plenary.approve(
        user_township_a, held, approved_on=timezone.localdate(), approved_by="街道党工委"
    )
    page = client_for(user_township_a).get(
        reverse("party_committees", args=[elected.cycle_id, elected.place.code])
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert 'data-dual-head="no"' in text
    assert '<span data-office="secretary">secretary 丁一</span>' in text
    assert '<span data-office="deputy_secretary">deputy secretary 王芳</span>' in text
    assert "Nobody elected yet." in text  # the 村委会 has not voted
