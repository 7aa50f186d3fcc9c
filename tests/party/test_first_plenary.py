"""The first plenary of 金茶村党支部's new committee, its report and the approval that
puts the committee in office (DOMAIN §2 item 3, §8)."""

import io
from datetime import date, timedelta

import pypdf
import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from plenary_shared import COMMITTEE, elect_committee, hold_plenary

from huanjie.audit.models import Record
from huanjie.cycles.services import RuleViolation
from huanjie.party import plenary
from huanjie.party.models import Plenary, Seat

TODAY = timezone.localdate


@pytest.fixture
def elected(final_list, party_election, members, user_township_a):
    elect_committee(user_township_a, party_election, members)
    return party_election


def test_the_plenary_waits_for_the_members_meeting(final_list, party_election, user_township_a):
    with pytest.raises(RuleViolation, match="has not elected the whole committee"):
        plenary.open_plenary(user_township_a, party_election, held_on=TODAY(), present=5)


def test_the_committee_is_the_meetings_winners_and_the_recommended_stand(
    elected, user_committee_a1, english
):
    held = plenary.open_plenary(user_committee_a1, elected, held_on=TODAY(), present=5)
    assert [c["name"] for c in held.committee] == list(COMMITTEE)
    assert [(c["office"], c["name"]) for c in held.candidates] == [
        ("secretary", "丁一"),
        ("deputy_secretary", "王芳"),
    ]
    assert [o["id"] for o in held.offices] == ["secretary", "deputy_secretary"]
    assert Record.objects.filter(action="party.plenary_opened").count() == 1
    with pytest.raises(RuleViolation, match="has a plenary already"):
        plenary.open_plenary(user_committee_a1, elected, held_on=TODAY(), present=5)


def test_a_candidate_outside_the_committee_is_refused(elected, members, user_township_a, english):
    with pytest.raises(RuleViolation, match="石磊 is not a member of the new committee"):
        plenary.open_plenary(
            user_township_a,
            elected,
            held_on=TODAY(),
            present=5,
            candidates={"secretary": ["石磊"], "deputy_secretary": ["王芳"]},
        )
    held = plenary.open_plenary(user_township_a, elected, held_on=TODAY(), present=5)
    with pytest.raises(RuleViolation, match="石磊 is not a member of the new committee"):
        plenary.enter_votes(user_township_a, held, counts={"secretary": {"石磊": 5}})


def test_the_secretary_needs_more_than_half_of_the_committee(elected, user_township_a, english):
    held = hold_plenary(user_township_a, elected, present=5, secretary=2, deputy=3)
    assert plenary.elected_of(held) == {"secretary": [], "deputy_secretary": ["王芳"]}
    reasons = {(r["name"], r["office"]): r["en"] for r in plenary.explanations(held)}
    assert reasons[("丁一", "secretary")] == "2 votes, fewer than the 3 needed"
    with pytest.raises(RuleViolation, match="1 seat\\(s\\) not filled"):
        plenary.report(user_township_a, held, reported_on=TODAY())
    # The votes are entered again after a second ballot.
    held = plenary.enter_votes(
        user_township_a,
        held,
        counts={"secretary": {"丁一": 4, "刘伟": 1}, "deputy_secretary": {"王芳": 3}},
    )
    assert plenary.elected_of(held)["secretary"] == ["丁一"]


def test_exactly_four_fifths_of_the_committee_present_is_no_quorum(elected, user_township_a):
    held = hold_plenary(user_township_a, elected, present=4, secretary=4, deputy=4)
    assert held.result["void_reasons"] == ["quorum_not_met"]
    with pytest.raises(RuleViolation):
        plenary.report(user_township_a, held, reported_on=TODAY())
    # Adjourned: taken back, and held another day with everyone.
    plenary.cancel(user_township_a, held)
    assert not Plenary.objects.exists()
    assert Record.objects.filter(action="party.plenary_cancelled").exists()
    held = hold_plenary(user_township_a, elected, present=5)
    assert held.result["valid"]


def test_the_secretary_cannot_also_be_deputy(elected, user_township_a):
    held = plenary.open_plenary(
        user_township_a,
        elected,
        held_on=TODAY(),
        present=5,
        candidates={"secretary": ["丁一"], "deputy_secretary": ["丁一", "王芳"]},
    )
    held = plenary.enter_votes(
        user_township_a,
        held,
        counts={"secretary": {"丁一": 5}, "deputy_secretary": {"丁一": 5, "王芳": 3}},
    )
    assert plenary.elected_of(held) == {"secretary": ["丁一"], "deputy_secretary": ["王芳"]}


def test_approval_needs_the_upper_level(elected, user_committee_a1, user_township_a):
    held = hold_plenary(user_committee_a1, elected)
    held = plenary.report(user_committee_a1, held, reported_on=TODAY())
    with pytest.raises(PermissionDenied):
        plenary.approve(user_committee_a1, held, approved_on=TODAY(), approved_by="星沙街道党工委")


def test_a_township_out_of_scope_cannot_touch_the_plenary(elected, user_township_b):
    with pytest.raises(Http404):
        plenary.open_plenary(user_township_b, elected, held_on=TODAY(), present=5)


def test_an_observer_cannot_hold_the_plenary(elected, user_observer):
    with pytest.raises(PermissionDenied):
        plenary.open_plenary(user_observer, elected, held_on=TODAY(), present=5)


def test_a_report_can_be_withdrawn_before_the_approval(elected, user_township_a):
    held = hold_plenary(user_township_a, elected)
    held = plenary.report(user_township_a, held, reported_on=TODAY())
    assert held.state == Plenary.State.REPORTED
    with pytest.raises(RuleViolation, match="withdraw the report"):
        plenary.enter_votes(user_township_a, held, counts={"secretary": {"丁一": 5}})
    held = plenary.withdraw_report(user_township_a, held)
    assert (held.state, held.reported_on) == (Plenary.State.OPEN, None)


def test_the_approved_committee_takes_office_and_the_one_before_leaves(
    elected, members, branch, user_township_a, english
):
    before = [
        Seat.objects.create(
            organisation=branch, member=members["陈霞"], office="secretary", since=date(2021, 1, 5)
        ),
        Seat.objects.create(
            organisation=branch, member=members["丁一"], office="member", since=date(2021, 1, 5)
        ),
    ]
    held = hold_plenary(user_township_a, elected)
    held = plenary.report(user_township_a, held, reported_on=TODAY())
    with pytest.raises(RuleViolation, match="Name the party organisation"):
        plenary.approve(user_township_a, held, approved_on=TODAY(), approved_by=" ")
    with pytest.raises(RuleViolation, match="in the future"):
        plenary.approve(
            user_township_a, held, approved_on=TODAY() + timedelta(days=1), approved_by="街道党工委"
        )
    seats = plenary.approve(
        user_township_a,
        held,
        approved_on=TODAY(),
        approved_by="中共星沙街道工作委员会",
        reference="星工〔2026〕9号",
    )
    assert [(s.office, s.member.resident.name) for s in seats] == [
        ("secretary", "丁一"),
        ("deputy_secretary", "王芳"),
        ("member", "王强"),
        ("member", "刘伟"),
        ("member", "吴丽"),
    ]
    held.refresh_from_db()
    assert (held.state, held.approval_reference) == (Plenary.State.APPROVED, "星工〔2026〕9号")
    for seat in before:
        seat.refresh_from_db()
        assert seat.until == TODAY()
    current = Seat.objects.filter(organisation=branch, until__isnull=True)
    assert current.count() == 5
    assert all(s.since == TODAY() for s in current)
    approved = Record.objects.get(action="party.plenary_approved")
    assert approved.after["approval_reference"] == "星工〔2026〕9号"
    with pytest.raises(RuleViolation, match="approved; they do not change"):
        plenary.withdraw_report(user_township_a, held)


def test_the_report_prints_the_committee_votes_and_who_was_elected(elected, user_township_a):
    held = hold_plenary(user_township_a, elected)
    pages = pypdf.PdfReader(io.BytesIO(plenary.report_pdf(held))).pages
    text = "".join(page.extract_text() for page in pages).replace("\n", "")
    assert "关于金茶村党支部选举书记、副书记结果的报告" in text
    assert "丁一、王芳、王强、刘伟、吴丽" in text
    assert "应到会委员5名，实到会5名" in text
    assert "丁一当选为书记" in text
    assert "王芳当选为副书记" in text
