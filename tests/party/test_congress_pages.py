"""The delegate congress page (party_congress) and its forms."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from test_congress import make_roster, put_forward, unit_named

from huanjie.party import congress
from huanjie.party.models import Congress, Delegate, Meeting


@pytest.fixture
def roster(village_a1, cycle):
    return make_roster(village_a1)


def url(election, name="party_congress", *args):
    return reverse(name, args=[election.cycle_id, election.place.code, election.pk, *args])


def approve(client, election, **fields):
    data = {
        "approved_on": (timezone.localdate() - timedelta(days=2)).isoformat(),
        "reference": "湘星组〔2026〕7号",
        "delegates": "10",
        "cadres_at_most": "50",
        "front_line_at_least": "30",
        "women_at_least": "15",
        "young_at_least": "60",
        "young_under": "50",
        **fields,
    }
    return client.post(url(election, "party_congress_approve"), data, follow=True)


@pytest.fixture
def approved(party_election, roster, user_township_a):
    return congress.approve(
        user_township_a,
        party_election,
        approved_on=timezone.localdate() - timedelta(days=2),
        delegates=10,
    )


def test_the_page_before_any_approval(client_for, party_election, roster, user_township_a):
    response = client_for(user_township_a).get(url(party_election))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Record the approval" in body
    assert 'data-code="congress.not_approved"' in body
    assert 'data-code="congress.few_members"' in body
    assert (
        reverse("party_meetings", args=[party_election.cycle_id, "430121001201", party_election.pk])
        in body
    )


def test_approval_through_the_form(client_for, party_election, roster, user_township_a):
    response = approve(client_for(user_township_a), party_election, women_at_least="20")
    assert response.status_code == 200
    found = Congress.objects.get(election=party_election)
    assert found.delegates == 10 and found.approval_reference == "湘星组〔2026〕7号"
    assert found.targets["women_at_least"] == "1/5"
    body = response.content.decode()
    assert "10 delegates shared among 3 units" in body
    assert "第一党小组" in body and "Add a candidate" in body
    assert not found.scattered
    approve(client_for(user_township_a), party_election, scattered="on")
    assert Congress.objects.get(election=party_election).scattered


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"delegates": "x"}, "Delegates must be a whole number."),
        ({"delegates": "2"}, "2 delegates cannot give each of the 3 units one delegate."),
        ({"women_at_least": "120"}, "Women must be between 0 and 100."),
        ({"approved_on": "5/1/2026"}, "Dates must be given as YYYY-MM-DD."),
    ],
)
def test_approval_form_refusals_say_what_is_wrong(
    client_for, party_election, roster, user_township_a, fields, message
):
    response = approve(client_for(user_township_a), party_election, **fields)
    assert message in response.content.decode()
    assert not Congress.objects.exists()


def test_who_may_approve_and_see(
    client_for, party_election, roster, user_committee_a1, user_observer, user_township_b
):
    assert approve(client_for(user_committee_a1), party_election).status_code == 403
    assert approve(client_for(user_observer), party_election).status_code == 403
    assert approve(client_for(user_township_b), party_election).status_code == 404
    assert client_for(user_township_b).get(url(party_election)).status_code == 404
    assert not Congress.objects.exists()
    body = client_for(user_observer).get(url(party_election)).content.decode()
    assert "Record the approval" not in body


def test_not_a_party_election_is_404(client_for, election_a1, user_township_a):
    assert client_for(user_township_a).get(url(election_a1)).status_code == 404


def test_candidates_votes_review_and_call_through_the_page(
    client_for, approved, party_election, roster, user_committee_a1
):
    client = client_for(user_committee_a1)
    third = unit_named(party_election, "第三党小组")
    names = [m.resident.name for m in roster.values() if m.cell == "第三党小组"]
    response = client.post(
        url(party_election, "party_congress_candidate", third.pk), {"member": "不存在"}, follow=True
    )
    assert "不存在 is not a party member of 第三党小组." in response.content.decode()
    for name in names[:2]:
        client.post(url(party_election, "party_congress_candidate", third.pk), {"member": name})
    assert third.delegates.count() == 2
    body = client.get(url(party_election)).content.decode()
    assert 'data-code="congress.surplus"' in body
    client.post(url(party_election, "party_congress_candidate", third.pk), {"member": names[2]})
    a, b, c = congress.candidates(third)
    response = client.post(
        url(party_election, "party_congress_result", third.pk),
        {f"votes-{a.pk}": "7", f"votes-{b.pk}": "", f"votes-{c.pk}": "2"},
        follow=True,
    )
    assert f"The votes of {b.member.resident.name} are missing." in response.content.decode()
    response = client.post(
        url(party_election, "party_congress_result", third.pk),
        {f"votes-{a.pk}": "7", f"votes-{b.pk}": "4", f"votes-{c.pk}": "4"},
        follow=True,
    )
    body = response.content.decode()
    assert "1 of 2 delegates elected" in body and "Tied across the last seat" in body
    client.post(
        url(party_election, "party_congress_result", third.pk),
        {f"votes-{a.pk}": "7", f"votes-{b.pk}": "5", f"votes-{c.pk}": "4"},
    )
    assert set(Delegate.objects.filter(elected=True)) == {a, b}
    # the other units vote
    for name, seats in (("第一党小组", 5), ("第二党小组", 3)):
        unit = unit_named(party_election, name)
        put_forward(user_committee_a1, party_election, unit, seats + 1)
        congress.record_result(
            user_committee_a1,
            party_election,
            unit,
            {d.pk: 20 - i for i, d in enumerate(congress.candidates(unit))},
        )
    body = client.get(url(party_election)).content.decode()
    assert 'data-share="women"' in body and "Call the congress" not in body
    response = client.post(
        url(party_election, "party_congress_review", a.pk), {"decision": "refuse"}, follow=True
    )
    assert "Say why the credentials are refused." in response.content.decode()
    for d in Delegate.objects.filter(elected=True):
        client.post(url(party_election, "party_congress_review", d.pk), {"decision": "confirm"})
    assert len(congress.seated(party_election)) == 10
    body = client.get(url(party_election)).content.decode()
    assert "Call the congress" in body
    day = (timezone.localdate() + timedelta(days=5)).isoformat()
    response = client.post(
        url(party_election, "party_congress_call"), {"held_on": day, "venue": "村部"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "party_meetings", args=[party_election.cycle_id, "430121001201", party_election.pk]
    )
    assert Meeting.objects.get(election=party_election).kind == Meeting.Kind.CONGRESS


def test_observer_cannot_change_anything(
    client_for, approved, party_election, roster, user_observer
):
    client = client_for(user_observer)
    third = unit_named(party_election, "第三党小组")
    name = next(m.resident.name for m in roster.values() if m.cell == "第三党小组")
    posts = [
        (url(party_election, "party_congress_candidate", third.pk), {"member": name}),
        (url(party_election, "party_congress_reallocate"), {}),
        (url(party_election, "party_congress_result", third.pk), {}),
        (url(party_election, "party_congress_call"), {}),
    ]
    for target, data in posts:
        assert client.post(target, data).status_code == 403
    body = client.get(url(party_election)).content.decode()
    assert "Add a candidate" not in body and "Share the seats again" not in body
    assert not Delegate.objects.exists()


def test_delegate_list_as_a_spreadsheet(
    client_for, approved, party_election, user_committee_a1, user_observer
):
    third = unit_named(party_election, "第三党小组")
    put_forward(user_committee_a1, party_election, third, 3)
    congress.record_result(
        user_committee_a1,
        party_election,
        third,
        {d.pk: 9 - i for i, d in enumerate(congress.candidates(third))},
    )
    response = client_for(user_observer).get(url(party_election, "party_congress_xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:3] == ("No.", "Unit", "Name")
    assert [r[1] for r in rows[2:]] == ["第三党小组", "第三党小组"]
    assert all("*" in r[5] for r in rows[2:])  # ID numbers masked
