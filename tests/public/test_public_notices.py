"""The posted notices of each place, for anyone without signing in."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from huanjie.candidates.models import Notice as CandidateNotice
from huanjie.cycles.models import Cycle, Step, StepDocument
from huanjie.polling.models import Notice as PollingNotice
from huanjie.public import notices
from huanjie.voters.models import Publication


@pytest.fixture
def anonymous(client_for):
    return client_for()


@pytest.fixture
def posted_a1(
    village_a1,
    election_a1,
    mobile_box,
    post_publication,
    post_candidates,
    post_polling,
):
    """Every kind of notice 金茶村 posts, oldest first."""
    return [
        post_publication(village_a1, Publication.Kind.VOTER_LIST, on=notices_day(20)),
        post_publication(village_a1, Publication.Kind.DECISIONS, on=notices_day(12)),
        post_candidates(election_a1, CandidateNotice.Kind.FORMAL, on=notices_day(7)),
        post_polling(election_a1, PollingNotice.Kind.PROXIES, on=notices_day(3)),
        post_polling(
            election_a1, PollingNotice.Kind.MOBILE_BOX, on=notices_day(2), station=mobile_box
        ),
        post_polling(election_a1, PollingNotice.Kind.ANNOUNCEMENT, on=notices_day(0)),
    ]


def notices_day(days_ago):
    return timezone.localdate() - timedelta(days=days_ago)


@pytest.fixture
def posted_b1(village_b1, election_b1, post_publication, post_candidates):
    return [
        post_publication(village_b1, Publication.Kind.VOTER_LIST),
        post_candidates(election_b1, CandidateNotice.Kind.FORMAL),
    ]


def notice_url(notice):
    source = {Publication: "voters", CandidateNotice: "candidates", PollingNotice: "polling"}
    return reverse("public-notice", args=[source[type(notice)], notice.pk])


def test_a_place_lists_its_posted_notices_newest_first(anonymous, village_a1, posted_a1, posted_b1):
    response = anonymous.get(reverse("public-place", args=[village_a1.code]))
    assert response.status_code == 200
    listed = response.context["notices"]
    assert [(n.source, n.pk) for n in listed] == [
        ("polling", posted_a1[5].pk),
        ("polling", posted_a1[4].pk),
        ("polling", posted_a1[3].pk),
        ("candidates", posted_a1[2].pk),
        ("voters", posted_a1[1].pk),
        ("voters", posted_a1[0].pk),
    ]
    html = response.content.decode()
    for notice in posted_a1:
        assert notice_url(notice) in html
    for notice in posted_b1:
        assert notice_url(notice) not in html
    assert "流动票箱一" in html


def test_the_list_names_the_kind_and_election(anonymous, village_a1, posted_a1, english):
    html = anonymous.get(reverse("public-place", args=[village_a1.code])).content.decode()
    assert "Voter list (选民名单公告)" in html
    assert "Formal candidates (正式候选人公告)" in html
    assert "Results announcement" in html
    assert "村民委员会" in html


def test_a_place_with_nothing_posted_says_so(anonymous, community_a2, cycle, english):
    response = anonymous.get(reverse("public-place", args=[community_a2.code]))
    assert response.status_code == 200
    assert response.context["notices"] == []
    assert "Nothing posted yet." in response.content.decode()


def test_only_villages_and_communities_have_a_page(anonymous, township_a, cycle):
    assert anonymous.get(reverse("public-place", args=[township_a.code])).status_code == 404
    assert anonymous.get(reverse("public-place", args=["430121999999"])).status_code == 404


def test_a_posted_notice_is_served_as_posted(anonymous, posted_a1):
    for notice in posted_a1:
        response = anonymous.get(notice_url(notice))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        with notice.file.open("rb") as f:
            assert b"".join(response.streaming_content) == f.read()


def test_nothing_but_a_posted_notice_is_served(
    anonymous, posted_a1, village_a1, cycle, user_committee_a1
):
    step = Step.objects.create(cycle=cycle, place=village_a1, key="election_plan")
    paper = StepDocument.objects.create(
        step=step,
        file=ContentFile(b"%PDF minutes", name="minutes.pdf"),
        name="minutes.pdf",
        sha256="0" * 64,
        uploaded_by=user_committee_a1,
    )
    missing = max(n.pk for n in posted_a1) + 100
    for url in (
        reverse("public-notice", args=["steps", paper.pk]),
        reverse("public-notice", args=["proxies", 1]),
        reverse("public-notice", args=["voters", missing]),
        reverse("public-notice", args=["candidates", missing]),
        reverse("public-notice", args=["polling", missing]),
    ):
        assert anonymous.get(url).status_code == 404, url


def test_notices_of_an_earlier_cycle_are_no_longer_shown(anonymous, cycle, village_a1, posted_a1):
    Cycle.objects.create(
        county=cycle.county,
        name="第十三届",
        term_number=13,
        starts_on=cycle.starts_on + timedelta(days=365 * 5),
        ends_on=cycle.ends_on + timedelta(days=365 * 5),
    )
    response = anonymous.get(reverse("public-place", args=[village_a1.code]))
    assert response.context["notices"] == []
    assert anonymous.get(notice_url(posted_a1[0])).status_code == 404


def test_places_are_found_by_name_code_and_township(
    anonymous, cycle, village_a1, community_a2, village_b1, township_b, posted_a1
):
    def found(**query):
        response = anonymous.get(reverse("public"), query)
        assert response.status_code == 200
        return {place.name: count for place, count in response.context["rows"]}

    everything = found()
    assert set(everything) == {"金茶村", "松雅社区", "黄兴村", "黄花社区"}
    assert everything["金茶村"] == len(posted_a1)
    assert everything["黄兴村"] == 0
    assert set(found(q="金茶")) == {"金茶村"}
    assert set(found(q="430121100")) == {"黄兴村", "黄花社区"}
    assert set(found(township=township_b.code)) == {"黄兴村", "黄花社区"}
    assert found(q="不存在") == {}


def test_the_counts_and_the_list_agree(cycle, village_a1, village_b1, posted_a1, posted_b1):
    assert notices.counts([village_a1, village_b1]) == {
        village_a1.pk: len(posted_a1),
        village_b1.pk: len(posted_b1),
    }
    assert len(notices.posted(cycle, village_a1)) == len(posted_a1)
