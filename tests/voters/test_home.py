"""The "Voters" menu entry leads each user to the rolls of their own scope."""

from django.urls import reverse


def test_committee_member_lands_on_their_place(client_for, user_committee_a1, cycle):
    response = client_for(user_committee_a1).get(reverse("voters"))
    assert response.status_code == 302
    assert response.url == reverse("roll", args=[cycle.pk, "430121001201"])


def test_township_staff_lands_on_their_township(client_for, user_township_b, cycle):
    response = client_for(user_township_b).get(reverse("voters"))
    assert response.url == reverse("roll", args=[cycle.pk, "430121100000"])


def test_the_menu_shows_the_entry(client_for, user_observer, cycle):
    page = client_for(user_observer).get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("voters")}"' in page
