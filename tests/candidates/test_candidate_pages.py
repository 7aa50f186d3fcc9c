"""The candidates pages through the test client: the nomination meeting, the review
queues, withdrawals, the formal list and the printed sheets of 金茶村's 村委会."""

import io

import pytest
from candidates_shared import today
from django.urls import reverse
from pypdf import PdfReader

from huanjie.candidates import nomination, roster
from huanjie.candidates.models import Candidate, NominationBallot, Notice, Verdict

pytestmark = pytest.mark.usefixtures("english")


def url(name, election, *extra):
    return reverse(name, args=[election.cycle_id, election.place.code, election.pk, *extra])


def page_of(election):
    return reverse("candidates-place", args=[election.cycle_id, election.place.code])


def pdf_text(data: bytes) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).replace("\n", "")


@pytest.fixture
def committee(client_for, user_committee_a1):
    return client_for(user_committee_a1)


@pytest.fixture
def counted(posted, election, committee):
    """The meeting entered and counted through the pages."""
    committee.post(
        url("candidates-nomination-open", election),
        {"held_on": today().isoformat(), "present": "12", "method": "totals"},
    )
    committee.post(
        url("candidates-nomination-totals", election),
        {"office": "director", "rows": "张勇 9\n王芳 7\n丁一 2"},
    )
    committee.post(
        url("candidates-nomination-totals", election),
        {"office": "member", "rows": "方敏 8\n刘伟 6\n黄涛 5\n李军 4"},
    )
    committee.post(url("candidates-nomination-count", election))
    return nomination.meeting_of(election)


def test_a_meeting_below_quorum_is_refused_with_the_numbers(posted, election, committee):
    response = committee.post(
        url("candidates-nomination-open", election),
        {"held_on": today().isoformat(), "present": "8"},
        follow=True,
    )
    assert "8 of 16 voters are present" in response.content.decode()
    assert nomination.meeting_of(election) is None


def test_a_bad_line_of_totals_names_the_line(posted, election, committee):
    committee.post(
        url("candidates-nomination-open", election),
        {"held_on": today().isoformat(), "present": "12"},
    )
    response = committee.post(
        url("candidates-nomination-totals", election),
        {"office": "director", "rows": "张勇 9\n王芳 seven"},
        follow=True,
    )
    assert "Line 2" in response.content.decode()


def test_the_count_shows_the_ranking_and_the_overview_the_nominees(counted, election, committee):
    body = committee.get(url("candidates-nomination", election)).content.decode()
    assert "Result of the count" in body
    assert body.index("张勇") < body.index("王芳") < body.index("丁一")
    overview = committee.get(page_of(election)).content.decode()
    for name in ("张勇", "王芳", "方敏", "刘伟", "黄涛"):
        assert f'data-name="{name}"' in overview
    assert 'data-name="李军"' not in overview
    # The cycle has no review departments: nobody can be reviewed, the list is blocked.
    assert "No joint-review department" in overview
    assert "disabled" in overview.split('class="inline formal"')[1].split("</form>")[0]


def test_ballots_are_entered_by_voter_number_and_can_be_taken_back(
    posted, election, committee, voters
):
    committee.post(
        url("candidates-nomination-open", election),
        {"held_on": today().isoformat(), "present": "12", "method": "ballots"},
    )
    number = nomination.find_voter(election.cycle, election.place, "张勇").number
    committee.post(
        url("candidates-nomination-ballot", election),
        {"office_director": str(number), "office_member": "方敏 刘伟"},
    )
    ballot = NominationBallot.objects.get()
    assert ballot.sections["director"] == [voters["张勇"].id]
    committee.post(url("candidates-nomination-ballot-delete", election, ballot.pk))
    assert not NominationBallot.objects.exists()


def test_the_nomination_result_is_posted_with_the_votes(counted, election, committee):
    committee.post(
        url("candidates-nomination-publish", election), {"published_on": today().isoformat()}
    )
    notice = Notice.objects.get(kind=Notice.Kind.NOMINATION)
    response = committee.get(reverse("candidates-notice", args=[notice.pk]))
    text = pdf_text(b"".join(response.streaming_content))
    assert "张勇" in text and "9" in text


def test_a_reviewer_sees_their_department_and_a_hit_brings_in_the_next(
    counted, election, departments, client_for, discipline_reviewer, voters, committee
):
    reviewer = client_for(discipline_reviewer)
    assert "still await a verdict from 2" in committee.get(page_of(election)).content.decode()
    queue = reviewer.get(reverse("reviews") + f"?cycle={election.cycle_id}")
    body = queue.content.decode()
    assert "纪检监察机关" in body and "公安局" not in body
    assert body.count('class="verdict"') == 5
    fang = Candidate.objects.get(resident=voters["方敏"])
    row = reviewer.post(
        reverse("reviews-verdict", args=[fang.pk]) + f"?cycle={election.cycle_id}",
        {
            "department": departments[0].pk,
            "outcome": "hit",
            "items": ["8"],
            "note": "挪用惠民资金",
        },
        headers={"HX-Request": "true"},
    )
    assert "Disqualified" in row.content.decode()
    assert roster.standing(election)[-1].resident.name == "李军"
    # The police department may not be answered by this reviewer.
    other = reviewer.post(
        reverse("reviews-verdict", args=[fang.pk]),
        {"department": departments[1].pk, "outcome": "clear"},
    )
    assert other.status_code == 404


def test_township_staff_clear_a_department_in_one_go(
    counted, election, departments, client_for, user_township_a
):
    staff = client_for(user_township_a)
    police = departments[1]
    ids = [c.pk for c in roster.standing(election)]
    staff.post(reverse("reviews-clear"), {"department": police.pk, "candidate": ids})
    assert Verdict.objects.filter(department=police, outcome="clear").count() == 5


def test_withdrawal_fills_the_place_and_the_formal_list_closes_it(
    counted, election, departments, client_for, user_township_a, committee, voters
):
    huang = Candidate.objects.get(resident=voters["黄涛"])
    response = committee.post(
        url("candidates-withdraw", election, huang.pk), {"reason": "外出务工"}, follow=True
    )
    assert "李军" in response.content.decode()
    staff = client_for(user_township_a)
    for department in departments:
        ids = [c.pk for c in roster.standing(election)]
        staff.post(reverse("reviews-clear"), {"department": department.pk, "candidate": ids})
    response = committee.post(
        url("candidates-formal-publish", election),
        {"published_on": today().isoformat()},
        follow=True,
    )
    assert "formal candidates are published" in response.content.decode()
    notice = Notice.objects.get(kind=Notice.Kind.FORMAL)
    text = pdf_text(
        b"".join(committee.get(reverse("candidates-notice", args=[notice.pk])).streaming_content)
    )
    assert "正式候选人公告" in text and "李军" in text and "黄涛" not in text
    late = committee.post(
        url("candidates-withdraw", election, Candidate.objects.get(resident=voters["李军"]).pk),
        {"reason": "x"},
        follow=True,
    )
    assert "final" in late.content.decode()


def test_the_sheets_print_the_standing_candidates(counted, election, committee):
    intro = committee.get(url("candidates-introduction", election))
    assert intro["Content-Type"] == "application/pdf"
    text = pdf_text(intro.content)
    assert "候选人简介" in text and "张勇" in text
    letters = committee.get(url("candidates-commitments", election))
    assert len(PdfReader(io.BytesIO(letters.content)).pages) == 5


def test_observers_read_but_change_nothing_and_other_townships_see_nothing(
    counted, election, client_for, user_observer, user_township_b
):
    observer = client_for(user_observer)
    body = observer.get(page_of(election)).content.decode()
    assert (
        "张勇" in body and "candidates-formal" not in body and 'class="inline formal"' not in body
    )
    assert observer.post(url("candidates-nomination-count", election)).status_code == 403
    outsider = client_for(user_township_b)
    assert outsider.get(page_of(election)).status_code == 404
    assert outsider.get(url("candidates-nomination", election)).status_code == 404


def test_the_index_lists_the_places_with_their_state(
    counted, election, client_for, user_township_a
):
    body = client_for(user_township_a).get(reverse("candidates") + "?state=open").content.decode()
    assert "金茶村" in body
    body = client_for(user_township_a).get(reverse("candidates") + "?state=final").content.decode()
    assert "金茶村" not in body
