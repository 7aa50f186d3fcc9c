"""The nomination meeting, the joint review with its backfill, and the formal list of
金茶村's 村委会 (tests/candidates/conftest.py)."""

import io

import pytest
from candidates_shared import today
from pypdf import PdfReader

from huanjie.audit.models import Record
from huanjie.candidates import nomination, notices, review, roster
from huanjie.candidates.models import Candidate, NominationMeeting, Verdict
from huanjie.cycles.models import Step, StepStatus
from huanjie.cycles.services import RuleViolation
from huanjie.rules import names

pytestmark = pytest.mark.usefixtures("english")


def names_of(candidates):
    return [c.resident.name for c in candidates]


def stored_text(notice) -> str:
    with notice.file.open("rb") as f:
        return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(f.read())).pages)


@pytest.fixture
def meeting(posted, election, user_committee_a1):
    """The meeting held today, 12 of 16 voters present, counted as totals."""
    return nomination.open_meeting(user_committee_a1, election, held_on=today(), present=12)


@pytest.fixture
def counted(meeting, user_committee_a1):
    """Director: 张勇 9, 王芳 7, 丁一 2. Members (3 places): 方敏 8, 刘伟 6, 黄涛 5,
    李军 4, 周洁 1."""
    user = user_committee_a1
    nomination.enter_totals(user, meeting, "director", [("张勇", 9), ("王芳", 7), ("丁一", 2)])
    nomination.enter_totals(
        user, meeting, "member", [("方敏", 8), ("刘伟", 6), ("黄涛", 5), ("李军", 4), ("周洁", 1)]
    )
    nomination.count(user, meeting)
    return meeting


def test_a_meeting_of_half_the_voters_cannot_nominate(posted, election, user_committee_a1):
    with pytest.raises(RuleViolation, match="more than half"):
        nomination.open_meeting(user_committee_a1, election, held_on=today(), present=8)
    meeting = nomination.open_meeting(user_committee_a1, election, held_on=today(), present=9)
    assert meeting.voters == 16
    assert meeting.places == {"director": 2, "member": 3}


def test_no_meeting_before_the_voter_list_is_posted(voters, election, user_committee_a1):
    with pytest.raises(RuleViolation, match="not been posted"):
        nomination.open_meeting(user_committee_a1, election, held_on=today(), present=12)


def test_the_count_makes_the_most_voted_nominees(counted, election):
    standing = roster.standing(election)
    assert names_of(standing) == ["张勇", "王芳", "方敏", "刘伟", "黄涛"]
    assert [c.votes for c in standing] == [9, 7, 8, 6, 5]
    assert {c.source for c in standing} == {Candidate.Source.NOMINATION}


def test_ballots_are_counted_with_over_marked_sections_invalid(posted, election, user_committee_a1):
    user = user_committee_a1
    meeting = nomination.open_meeting(
        user, election, held_on=today(), present=12, method=NominationMeeting.Method.BALLOTS
    )
    for _ in range(3):
        nomination.enter_ballot(user, meeting, {"director": ["张勇"], "member": ["方敏", "刘伟"]})
    nomination.enter_ballot(user, meeting, {"director": ["王芳"], "member": ["黄涛", "李军"]})
    # Three names for two member seats: the member section is void, the director's counts.
    nomination.enter_ballot(
        user, meeting, {"director": ["王芳"], "member": ["周洁", "许静", "吴丽"]}
    )
    nomination.count(user, meeting)
    meeting.refresh_from_db()
    assert meeting.ballots == 5
    assert meeting.invalid == {"director": 0, "member": 1}
    assert names_of(roster.standing(election)) == ["张勇", "王芳", "方敏", "刘伟"]
    # 黄涛 and 李军 tie for the third member place: a re-vote decides.
    ties = nomination.ties(meeting)
    tied = {c for c in ties["member"][0]}
    assert tied == {
        election.place.voters.get(name="黄涛").resident_id,
        election.place.voters.get(name="李军").resident_id,
    }


def test_a_tie_at_the_cut_off_waits_for_a_revote(meeting, election, voters, user_committee_a1):
    user = user_committee_a1
    nomination.enter_totals(user, meeting, "director", [("张勇", 9), ("王芳", 7)])
    nomination.enter_totals(
        user, meeting, "member", [("方敏", 8), ("刘伟", 6), ("黄涛", 5), ("李军", 5)]
    )
    nomination.count(user, meeting)
    assert names_of(roster.standing(election)) == ["张勇", "王芳", "方敏", "刘伟"]
    tied = {voters["黄涛"].id, voters["李军"].id}
    assert {k: (set(v[0]), v[1]) for k, v in nomination.ties(meeting).items()} == {
        "member": (tied, 1)
    }
    with pytest.raises(RuleViolation, match="re-vote"):
        notices.publish_nomination(user, election, today())
    with pytest.raises(RuleViolation, match="tied people"):
        nomination.revote(user, meeting, "member", {voters["黄涛"].id: 3})
    added = nomination.revote(user, meeting, "member", {voters["黄涛"].id: 4, voters["李军"].id: 7})
    assert names_of(added) == ["李军"]
    assert added[0].source == Candidate.Source.REVOTE
    assert added[0].votes == 5  # the meeting's votes, which order the backfill
    assert nomination.ties(meeting) == {}


def test_the_nomination_result_notice_has_the_votes(counted, election, user_committee_a1):
    notice = notices.publish_nomination(user_committee_a1, election, today())
    text = stored_text(notice)
    assert "金茶村第12届村民委员会成员候选人提名结果公告" in text.replace("\n", "")
    for name, votes in (("张勇", 9), ("王芳", 7), ("方敏", 8), ("黄涛", 5)):
        assert name in text and str(votes) in text
    assert "到会12人" in text


def test_a_hit_disqualifies_and_the_next_in_the_ranking_comes_in(
    counted, election, departments, discipline_reviewer, police_reviewer, voters
):
    discipline, police = departments
    fang = Candidate.objects.get(election=election, resident=voters["方敏"])
    review.give_verdict(discipline_reviewer, fang, discipline, "hit", [8], "挪用惠民资金，未退赔")
    fang.refresh_from_db()
    assert fang.status == Candidate.Status.DISQUALIFIED
    members = [c for c in roster.standing(election) if c.office == "member"]
    assert names_of(members) == ["刘伟", "黄涛", "李军"]
    li = members[-1]
    assert li.source == Candidate.Source.BACKFILL and li.replaces == fang
    # The replacement waits for both departments, like everyone else.
    queue = review.queue(police_reviewer, police)
    assert "李军" in names_of(queue)
    assert "方敏" not in names_of(queue)
    assert Record.objects.filter(action="candidates.disqualified").exists()


def test_a_reviewer_answers_for_their_own_department_only(
    counted, election, departments, discipline_reviewer
):
    _discipline, police = departments
    candidate = roster.standing(election)[0]
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        review.give_verdict(discipline_reviewer, candidate, police, "clear")


def test_a_hit_needs_an_item_and_evidence(counted, election, departments, discipline_reviewer):
    discipline, _police = departments
    candidate = roster.standing(election)[0]
    with pytest.raises(RuleViolation):
        review.give_verdict(discipline_reviewer, candidate, discipline, "hit", [], "x")
    with pytest.raises(RuleViolation, match="evidence"):
        review.give_verdict(discipline_reviewer, candidate, discipline, "hit", [2], "")


def clear_everyone(election, departments, user):
    for department in departments:
        review.clear_all(user, department, roster.standing(election))


def test_the_formal_list_waits_for_every_verdict(
    counted, election, departments, user_township_a, user_committee_a1
):
    with pytest.raises(RuleViolation, match="await"):
        notices.publish_formal(user_committee_a1, election, today())
    review.clear_all(user_township_a, departments[0], roster.standing(election))
    assert notices.formal_blockers(election)
    clear_everyone(election, departments, user_township_a)
    assert notices.formal_blockers(election) == []


def test_near_relatives_block_the_formal_list_until_one_withdraws(
    counted, election, departments, user_township_a, user_committee_a1, voters
):
    """张勇 (director) and 陈霞, his grandmother, both standing: 任职回避."""
    chen_row = nomination.find_voter(election.cycle, election.place, "陈霞")
    Candidate.objects.create(
        election=election,
        office="member",
        resident_id=chen_row.resident_id,
        source=Candidate.Source.NOMINATION,
        votes=1,
    )
    clear_everyone(election, departments, user_township_a)
    problems = notices.formal_blockers(election)
    assert any("陈霞" in p and "grandparent" in p for p in problems)
    chen = Candidate.objects.get(election=election, resident=voters["陈霞"])
    review.withdraw(user_committee_a1, chen, "本人申请")
    assert not any("陈霞" in p for p in notices.formal_blockers(election))


def test_the_formal_list_in_stroke_order_closes_the_list(
    counted, election, departments, user_township_a, user_committee_a1
):
    clear_everyone(election, departments, user_township_a)
    notice = notices.publish_formal(user_committee_a1, election, today())
    text = stored_text(notice)
    text = text.replace("\n", "")
    assert "按姓氏笔画排列" in text
    members = ["方敏", "刘伟", "黄涛"]
    positions = [text.index(n) for n in names.sort_names(members)]
    assert positions == sorted(positions)
    assert names.sort_names(members) == ["方敏", "刘伟", "黄涛"]
    assert {c.status for c in roster.standing(election)} == {Candidate.Status.FORMAL}
    done = set(
        Step.objects.filter(place=election.place, status=StepStatus.DONE).values_list(
            "key", flat=True
        )
    )
    assert {"nomination", "qualification_review", "formal_candidates_published"} <= done
    candidate = roster.standing(election)[0]
    with pytest.raises(RuleViolation, match="final"):
        review.withdraw(user_committee_a1, candidate, "本人申请")


def test_the_formal_list_goes_up_at_least_seven_days_before_d(
    counted, election, departments, user_township_a, user_committee_a1, d
):
    from datetime import timedelta

    clear_everyone(election, departments, user_township_a)
    election.election_day = today() + timedelta(days=6)
    election.save()
    with pytest.raises(RuleViolation, match="at least 7 days"):
        notices.publish_formal(user_committee_a1, election, today())


def test_verdicts_are_kept_per_department(counted, election, departments, discipline_reviewer):
    discipline, _ = departments
    candidate = roster.standing(election)[0]
    review.give_verdict(discipline_reviewer, candidate, discipline, "clear")
    assert Verdict.objects.get(candidate=candidate).outcome == "clear"
