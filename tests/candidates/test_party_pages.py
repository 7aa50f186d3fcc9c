"""The 两推一选 page of 金茶村's party committee through the test client: the whole
flow posted as township staff, the state of each step on the page, and who may see
and do what (DOMAIN §5.1, §8; fixtures in tests/candidates/conftest.py)."""

import re
from datetime import timedelta

import pytest
from candidates_shared import today
from django.urls import reverse

from huanjie.candidates import notices, recommendation, review, roster
from huanjie.candidates.models import Candidate, Notice

pytestmark = pytest.mark.usefixtures("english", "media")

#: One person a line as typed, a blank line and a tab among them.
ROWS = (
    "刘伟 30 40\n方敏 28 35\n王芳 25 30\n吴丽 22 28\n\n"
    "黄涛\t20 25\n丁一 18 25\n李军 25 8\n许静，10，30\n"
)
TOP_SIX = ["刘伟", "方敏", "王芳", "吴丽", "黄涛", "丁一"]


def ago(days):
    return (today() - timedelta(days=days)).isoformat()


def url(election, name="candidates-party", *extra):
    return reverse(name, args=[election.cycle_id, election.place.code, election.pk, *extra])


def text(response) -> str:
    return response.content.decode()


def table(html: str, css: str) -> str:
    found = re.search(rf'<table class="grid {css}">(.*?)</table>', html, re.S)
    return found.group(1) if found else ""


def names_in(html: str, css: str) -> list[str]:
    return re.findall(r'<tr[^>]* data-name="([^"]+)"', table(html, css))


def step_state(html: str, key: str) -> str:
    return re.search(rf'data-step="{key}" data-state="(\w+)"', html).group(1)


def party_forms(html: str) -> list[str]:
    """The forms of the page that post to the 两推一选 endpoints."""
    return [a for a in re.findall(r'<form[^>]* action="([^"]+)"', html) if "/party/" in a]


def ids_of(election, names):
    found = Candidate.objects.filter(election=election, resident__name__in=names)
    return [str(c.pk) for c in found]


@pytest.fixture
def staff(client_for, user_township_a):
    return client_for(user_township_a)


def recommend(client, election, rows=ROWS, held_on=None):
    return client.post(
        url(election, "candidates-party-recommend"),
        {
            "held_on": held_on or ago(20),
            "members_present": "35",
            "public_present": "50",
            "rows": rows,
        },
        follow=True,
    )


def decide(client, election, names, on=None):
    return client.post(
        url(election, "candidates-party-decide"),
        {"decided_on": on or ago(15), "chosen": ids_of(election, names)},
        follow=True,
    )


@pytest.fixture
def decided(staff, party_election, party_members, departments):
    recommend(staff, party_election)
    decide(staff, party_election, TOP_SIX)
    return party_election


def clear_and_inspect(client, election, departments, user):
    for department in departments:
        review.clear_all(user, department, roster.standing(election))
    for c in roster.standing(election):
        client.post(
            url(election, "candidates-party-inspect", c.pk),
            {"findings": "政治素质好，群众公认。", "inspected_on": ago(12)},
        )


def test_the_whole_flow_as_township_staff(
    staff, party_election, party_members, departments, user_township_a
):
    election = party_election
    page = text(staff.get(url(election)))
    assert step_state(page, "recommend") == "current"
    assert step_state(page, "approve") == "waiting"
    assert "Record the recommendation" in page
    assert "At least 6 candidates are needed" in page

    # (1) The recommendation: a bad line is named, and what was typed comes back.
    page = text(recommend(staff, election, rows="刘伟 30 40\n方敏 28\n"))
    assert "Line 2: write a name or ID number" in page
    assert "方敏 28" in page
    assert not Candidate.objects.filter(election=election).exists()
    page = text(recommend(staff, election, rows=ROWS + "董玲 3 4\n"))
    assert "董玲 cannot be elected" in page
    page = text(recommend(staff, election))
    assert "8 people recommended" in page
    assert step_state(page, "recommend") == "done"
    assert step_state(page, "decide") == "current"

    # (2) Ranked by total votes: 许静 (40) before 李军 (33) despite fewer members' votes.
    assert names_in(page, "ranking") == [*TOP_SIX, "许静", "李军"]
    assert 'name="chosen"' in page
    page = text(decide(staff, election, TOP_SIX[:5]))
    assert "needs at least 6 candidates" in page and "5 were chosen" in page
    page = text(decide(staff, election, TOP_SIX))
    assert "decision is recorded: 6 candidates" in page
    assert 'name="chosen"' not in page
    assert "Record the recommendation" not in page

    # (3) Every candidate awaits the departments and the inspection.
    assert sorted(names_in(page, "chosen")) == sorted(TOP_SIX)
    assert page.count('data-review="awaiting"') == 6
    assert "纪检监察机关、公安局" in page
    assert "Not yet inspected" in page
    page = text(
        staff.post(
            url(election, "candidates-party-publicity"), {"published_on": ago(10)}, follow=True
        )
    )
    assert "Not yet inspected" in page
    assert not Notice.objects.filter(election=election).exists()

    # A hit on 黄涛: 许静 comes in from the ranking, and is reviewed like the others.
    huang = Candidate.objects.get(election=election, resident__name="黄涛")
    review.give_verdict(user_township_a, huang, departments[0], "hit", [2], "涉黑涉恶线索")
    liu = Candidate.objects.get(election=election, resident__name="刘伟")
    page = text(
        staff.post(
            url(election, "candidates-party-inspect", liu.pk),
            {"findings": "  ", "inspected_on": ago(12)},
            follow=True,
        )
    )
    assert "Write what the inspection found" in page
    clear_and_inspect(staff, election, departments, user_township_a)
    page = text(staff.get(url(election)))
    left = table(page, "left")
    assert 'data-name="黄涛" data-status="disqualified"' in left
    assert "第2项" in left and "许静" in left
    assert sorted(names_in(page, "chosen")) == sorted(
        ["刘伟", "方敏", "王芳", "吴丽", "丁一", "许静"]
    )
    assert page.count('data-review="clear"') == 6
    assert page.count('data-inspected="yes"') == 6
    assert "replaces 黄涛" in page
    assert step_state(page, "review") == "done"
    assert "Publish the candidates (公示)" in page

    # (4) The 公示, ten days ago: it ran until five days ago.
    page = text(
        staff.post(
            url(election, "candidates-party-publicity"), {"published_on": ago(10)}, follow=True
        )
    )
    assert f"until {ago(5)}" in page
    notice = recommendation.publicity(election)
    assert notice.ends_on.isoformat() == ago(5)
    assert reverse("candidates-notice", args=[notice.pk]) in page
    assert step_state(page, "publicity") == "done"
    assert "Publish the candidates (公示)" not in page
    download = staff.get(reverse("candidates-notice", args=[notice.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")

    # (5) The request, not before the 公示 is over.
    page = text(
        staff.post(
            url(election, "candidates-party-request"),
            {"requested_on": ago(6), "number": "星组请〔2021〕3号"},
            follow=True,
        )
    )
    assert f"runs until {ago(5)}" in page
    page = text(
        staff.post(
            url(election, "candidates-party-request"),
            {"requested_on": ago(5), "number": "星组请〔2021〕3号"},
            follow=True,
        )
    )
    assert "request for approval (请示) is recorded" in page
    assert "星组请〔2021〕3号" in page
    assert step_state(page, "approve") == "current"

    # (6) The approval: everyone is final, no form is left.
    page = text(
        staff.post(
            url(election, "candidates-party-approve"),
            {"approved_on": ago(1), "number": "星组复〔2021〕5号"},
            follow=True,
        )
    )
    assert "6 formal candidates" in page
    assert "The candidates are final" in page
    assert all(s == "done" for s in re.findall(r'data-state="(\w+)"', page))
    assert set(
        Candidate.objects.filter(
            election=election, resident__name__in=names_in(page, "chosen")
        ).values_list("status", flat=True)
    ) == {Candidate.Status.FORMAL}
    assert party_forms(page) == []

    xu = Candidate.objects.get(election=election, resident__name="许静")
    page = text(
        staff.post(
            url(election, "candidates-party-inspect", xu.pk),
            {"findings": "再次考察", "inspected_on": ago(0)},
            follow=True,
        )
    )
    assert "are final" in page
    assert "candidates.approved" in page  # the history


def test_the_publicity_running_holds_the_request(
    decided, staff, departments, user_township_a, client_for, user_committee_a1
):
    election = decided
    clear_and_inspect(staff, election, departments, user_township_a)
    notices.publish_publicity(user_township_a, election, today() - timedelta(days=2))
    page = text(staff.get(url(election)))
    ends = (today() + timedelta(days=3)).isoformat()
    assert f"The public notice runs until {ends}; the request comes after it." in page
    assert 'name="requested_on"' not in page
    assert step_state(page, "publicity") == "done"
    assert step_state(page, "request") == "current"
    assert "running" in page
    page = text(
        client_for(user_committee_a1).post(
            url(election, "candidates-party-request"), {"requested_on": ago(0)}, follow=True
        )
    )
    assert f"runs until {ends}" in page
    assert recommendation.of(election).requested_on is None


def test_the_slate_findings_show_with_their_section(decided, staff):
    Candidate.objects.filter(election=decided, resident__name__in=["方敏", "王芳", "吴丽"]).update(
        status=Candidate.Status.WITHDRAWN
    )
    page = text(staff.get(url(decided)))
    assert 'data-code="slate.no_woman"' in page
    assert 'data-code="slate.party_surplus"' in page
    assert "(DOMAIN §5.3)" in page
    assert "There must be at least one woman" in page


def test_a_committee_member_recommends_but_does_not_decide(
    party_election, party_members, client_for, user_committee_a1
):
    client = client_for(user_committee_a1)
    page = text(client.get(url(party_election)))
    assert "Record the recommendation" in page
    page = text(recommend(client, party_election))
    assert "8 people recommended" in page
    assert 'name="chosen"' not in page
    response = client.post(
        url(party_election, "candidates-party-decide"),
        {"decided_on": ago(15), "chosen": ids_of(party_election, TOP_SIX)},
    )
    assert response.status_code == 403
    assert recommendation.of(party_election).township_decided_on is None


POSTS = (
    ("candidates-party-recommend", {"held_on": ago(20), "rows": ROWS}),
    ("candidates-party-decide", {"decided_on": ago(15)}),
    ("candidates-party-publicity", {"published_on": ago(10)}),
    ("candidates-party-request", {"requested_on": ago(5)}),
    ("candidates-party-approve", {"approved_on": ago(1)}),
)


def test_an_observer_sees_the_page_without_forms(decided, client_for, user_observer):
    client = client_for(user_observer)
    response = client.get(url(decided))
    assert response.status_code == 200
    page = text(response)
    assert sorted(names_in(page, "chosen")) == sorted(TOP_SIX)
    assert "<textarea" not in page
    assert 'name="chosen"' not in page
    assert party_forms(page) == []
    for name, data in POSTS:
        assert client.post(url(decided, name), data).status_code == 403, name
    liu = Candidate.objects.get(election=decided, resident__name="刘伟")
    inspect = url(decided, "candidates-party-inspect", liu.pk)
    assert client.post(inspect, {"findings": "好", "inspected_on": ago(1)}).status_code == 403
    liu.refresh_from_db()
    assert liu.inspected_on is None


def test_another_township_does_not_find_the_page(decided, client_for, user_township_b):
    client = client_for(user_township_b)
    assert client.get(url(decided)).status_code == 404
    for name, data in POSTS:
        assert client.post(url(decided, name), data).status_code == 404, name


def test_only_a_party_election_has_the_page(election, staff, party_election):
    assert staff.get(url(election)).status_code == 404
    assert staff.post(url(election, "candidates-party-recommend"), {}).status_code == 404
    assert staff.get(url(party_election)).status_code == 200


def test_the_forms_only_take_posts(party_election, staff):
    assert staff.get(url(party_election, "candidates-party-recommend")).status_code == 405
