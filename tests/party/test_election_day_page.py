"""On the election-day page of a place, a party election is run from its members'
meeting: no stations, proxies, desk or "open the first vote" there (DOMAIN §8)."""

from django.urls import reverse


def test_the_party_election_points_to_its_members_meeting(
    final_list, party_election, cycle, village_a1, client_for, user_committee_a1
):
    page = client_for(user_committee_a1).get(
        reverse("polling-place", args=[cycle.pk, village_a1.code])
    )
    html = page.content.decode()
    section = html[html.index(f'id="election-{party_election.pk}"') :]
    meetings = reverse("party_meetings", args=[cycle.pk, village_a1.code, party_election.pk])
    assert meetings in section
    assert "open-at-meeting" in section
    assert reverse("polling-open", args=[cycle.pk, village_a1.code, party_election.pk]) not in html
    stations = reverse("polling-stations", args=[cycle.pk, village_a1.code, party_election.pk])
    assert stations not in html
