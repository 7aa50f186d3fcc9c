"""两推一选 of 金茶村's party committee (5 seats, so 6 candidates at least): the
recommendation by the members and the public, the township committee's decision, the
joint review with its backfill, the inspection, the 5-day 公示, the request and the
approval (DOMAIN §5.1, §5.3, §8; fixtures in tests/candidates/conftest.py).

Every date is in the past, as a notice cannot be dated in the future: recommended 20
days ago, decided 15 days ago, inspected 12 days ago, published 10 days ago (so the
公示 ran until 5 days ago)."""

from datetime import date, timedelta

import pytest
from candidates_shared import ROWS, TOP_SIX, today
from django.core.exceptions import PermissionDenied
from django.http import Http404

from huanjie.audit.models import Record
from huanjie.candidates import notices, recommendation, review, roster
from huanjie.candidates.models import Candidate, Notice
from huanjie.cycles.models import Election
from huanjie.cycles.services import RuleViolation
from huanjie.party.models import Member

pytestmark = pytest.mark.usefixtures("english")


def ago(days: int) -> date:
    return today() - timedelta(days=days)


def names_of(candidates):
    return [c.resident.name for c in candidates]


def candidate(election, name) -> Candidate:
    return Candidate.objects.select_related("resident").get(election=election, resident__name=name)


def ids_of(election, names):
    return [candidate(election, n).id for n in names]


@pytest.fixture
def recommended(party_election, party_members, user_committee_a1):
    return recommendation.hold(
        user_committee_a1,
        party_election,
        held_on=ago(20),
        members_present=35,
        public_present=50,
        rows=ROWS,
    )


@pytest.fixture
def decided(recommended, party_election, user_township_a):
    return recommendation.decide(
        user_township_a,
        party_election,
        decided_on=ago(15),
        chosen=ids_of(party_election, TOP_SIX),
    )


def clear_everyone(election, departments, user):
    for department in departments:
        review.clear_all(user, department, roster.standing(election))


def inspect_everyone(election, user):
    for c in roster.standing(election):
        if not c.inspected_on:
            recommendation.inspect(
                user, c, f"{c.resident.name}：政治素质好，群众公认。", on=ago(12)
            )


@pytest.fixture
def ready(decided, party_election, departments, user_township_a):
    clear_everyone(party_election, departments, user_township_a)
    inspect_everyone(party_election, user_township_a)
    return party_election


@pytest.fixture
def published(ready, user_township_a, media):
    return notices.publish_publicity(user_township_a, ready, ago(10))


# The recommendation (两推)


def test_the_recommendation_keeps_both_counts(recommended, party_election):
    people = {c.resident.name: c for c in Candidate.objects.filter(election=party_election)}
    assert set(people) == {name for name, _m, _p in ROWS}
    li = people["李军"]
    assert (li.member_votes, li.public_votes, li.votes) == (25, 8, 33)
    assert {c.status for c in people.values()} == {Candidate.Status.RECOMMENDED}
    assert {c.source for c in people.values()} == {Candidate.Source.RECOMMENDATION}
    # Only recommended: nobody is a candidate until the township decides.
    assert roster.standing(party_election) == []
    assert (recommended.members_present, recommended.public_present) == (35, 50)


def test_a_probationary_member_cannot_be_recommended(
    party_election, party_members, user_committee_a1
):
    with pytest.raises(RuleViolation, match="董玲 cannot be elected"):
        recommendation.hold(
            user_committee_a1,
            party_election,
            held_on=ago(20),
            members_present=35,
            public_present=50,
            rows=[*ROWS, ("董玲", 5, 5)],
        )
    assert not Candidate.objects.filter(election=party_election).exists()


@pytest.mark.parametrize("field", ["under_probation_sanction", "suspended"])
def test_a_member_without_rights_cannot_be_recommended(party_election, party_members, field):
    Member.objects.filter(resident__name="李军").update(**{field: True})
    with pytest.raises(RuleViolation, match="李军 cannot be elected"):
        recommendation.eligible_member(party_election, "李军")
    assert recommendation.eligible_member(party_election, "刘伟").resident.name == "刘伟"


def test_only_members_of_the_place_are_recommended(party_election, party_members, voters):
    with pytest.raises(RuleViolation, match="not a party member"):
        recommendation.eligible_member(party_election, "张三")
    by_id = recommendation.eligible_member(party_election, voters["方敏"].id_number.lower())
    assert by_id.resident == voters["方敏"]


def test_the_rows_are_checked(party_election, party_members, user_committee_a1):
    def hold(rows, **kw):
        recommendation.hold(
            user_committee_a1,
            party_election,
            held_on=kw.get("held_on", ago(20)),
            members_present=35,
            public_present=50,
            rows=rows,
        )

    with pytest.raises(RuleViolation, match="Row 2: 刘伟 is given twice"):
        hold([("刘伟", 1, 1), ("刘伟", 2, 2)])
    with pytest.raises(RuleViolation, match="Row 1: more votes than people"):
        hold([("刘伟", 36, 1)])
    with pytest.raises(RuleViolation, match="Nobody"):
        hold([])
    with pytest.raises(RuleViolation, match="future"):
        hold(ROWS, held_on=today() + timedelta(days=1))


def test_only_a_party_election_has_a_recommendation(election, party_members, user_committee_a1):
    with pytest.raises(RuleViolation, match="两推一选"):
        recommendation.hold(
            user_committee_a1,
            election,
            held_on=ago(20),
            members_present=35,
            public_present=50,
            rows=ROWS,
        )


def test_the_recommendation_can_be_recorded_again_until_the_decision(
    recommended, party_election, user_committee_a1, user_township_a
):
    recommendation.hold(
        user_committee_a1,
        party_election,
        held_on=ago(19),
        members_present=35,
        public_present=50,
        rows=ROWS[:7],
    )
    assert Candidate.objects.filter(election=party_election).count() == 7
    assert recommendation.of(party_election).held_on == ago(19)
    recommendation.decide(
        user_township_a,
        party_election,
        decided_on=ago(15),
        chosen=ids_of(party_election, TOP_SIX),
    )
    with pytest.raises(RuleViolation, match="has decided"):
        recommendation.hold(
            user_committee_a1,
            party_election,
            held_on=ago(14),
            members_present=35,
            public_present=50,
            rows=ROWS,
        )


# The township committee's decision


def test_six_candidates_are_needed_for_five_seats(recommended, party_election, user_township_a):
    assert recommendation.needed(party_election) == 6
    with pytest.raises(RuleViolation, match="at least 6 candidates.*5 were chosen"):
        recommendation.decide(
            user_township_a,
            party_election,
            decided_on=ago(15),
            chosen=ids_of(party_election, TOP_SIX[:5]),
        )
    assert recommendation.of(party_election).township_decided_on is None
    assert roster.standing(party_election) == []


def test_the_decision_puts_forward_the_chosen(decided, party_election):
    assert decided.township_decided_on == ago(15)
    assert sorted(names_of(roster.standing(party_election))) == sorted(TOP_SIX)
    assert candidate(party_election, "许静").status == Candidate.Status.RECOMMENDED


def test_the_decision_is_checked(recommended, party_election, user_township_a, user_committee_a1):
    chosen = ids_of(party_election, TOP_SIX)
    with pytest.raises(PermissionDenied):  # a township committee's decision
        recommendation.decide(user_committee_a1, party_election, decided_on=ago(15), chosen=chosen)
    with pytest.raises(RuleViolation, match="after the recommendation"):
        recommendation.decide(user_township_a, party_election, decided_on=ago(21), chosen=chosen)
    with pytest.raises(RuleViolation, match="Choose among"):
        recommendation.decide(
            user_township_a, party_election, decided_on=ago(15), chosen=[*chosen, 999_999]
        )
    recommendation.decide(user_township_a, party_election, decided_on=ago(15), chosen=chosen)
    with pytest.raises(RuleViolation, match="has decided"):
        recommendation.decide(user_township_a, party_election, decided_on=ago(14), chosen=chosen)


def test_out_of_scope_is_not_found(party_election, party_members, user_township_b, user_observer):
    with pytest.raises(Http404):
        recommendation.hold(
            user_township_b,
            party_election,
            held_on=ago(20),
            members_present=35,
            public_present=50,
            rows=ROWS,
        )
    with pytest.raises(PermissionDenied):
        recommendation.hold(
            user_observer,
            party_election,
            held_on=ago(20),
            members_present=35,
            public_present=50,
            rows=ROWS,
        )


# Joint review and backfill


def test_a_disqualified_candidate_is_replaced_by_the_next_by_total_votes(
    decided, party_election, departments, user_township_a
):
    discipline, _police = departments
    huang = candidate(party_election, "黄涛")
    review.give_verdict(user_township_a, huang, discipline, "hit", [2], "涉黑涉恶线索，已立案")
    huang.refresh_from_db()
    assert huang.status == Candidate.Status.DISQUALIFIED
    # 许静 (40 in all) before 李军 (33), though 李军 had more members' votes.
    xu = candidate(party_election, "许静")
    assert xu.status == Candidate.Status.NOMINEE and xu.replaces == huang
    assert len(roster.standing(party_election)) == 6

    review.give_verdict(user_township_a, xu, discipline, "hit", [9], "列入失信被执行人名单")
    li = candidate(party_election, "李军")
    assert li.status == Candidate.Status.NOMINEE and li.replaces_id == xu.id
    standing = names_of(roster.standing(party_election))
    assert "黄涛" not in standing and "许静" not in standing
    assert sorted(standing) == sorted(["刘伟", "方敏", "王芳", "吴丽", "丁一", "李军"])

    # Nobody left to recommend: the place stays empty, the disqualified never come back.
    review.withdraw(user_township_a, li, "本人申请", on=ago(1))
    assert {c.status for c in Candidate.objects.filter(resident__name__in=["黄涛", "许静"])} == {
        Candidate.Status.DISQUALIFIED
    }
    assert len(roster.standing(party_election)) == 5
    assert Record.objects.filter(action="candidates.nominee_added").count() == 2
    with pytest.raises(RuleViolation, match="Not yet inspected"):
        notices.publish_publicity(user_township_a, party_election, ago(10))
    assert any("needs at least 6" in p for p in recommendation.ready_for_publicity(party_election))


def test_only_the_chosen_are_reviewed(decided, party_election, departments, user_township_a):
    with pytest.raises(RuleViolation, match="under review"):
        review.give_verdict(
            user_township_a, candidate(party_election, "许静"), departments[0], "clear"
        )


# The inspection (考察)


def test_the_inspection_is_of_the_chosen_with_findings(decided, party_election, user_township_a):
    with pytest.raises(RuleViolation, match="put forward"):
        recommendation.inspect(user_township_a, candidate(party_election, "许静"), "好", on=ago(12))
    liu = candidate(party_election, "刘伟")
    with pytest.raises(RuleViolation, match="Write what"):
        recommendation.inspect(user_township_a, liu, "  ", on=ago(12))
    with pytest.raises(RuleViolation, match="future"):
        recommendation.inspect(user_township_a, liu, "好", on=today() + timedelta(days=1))
    recommendation.inspect(user_township_a, liu, " 群众公认 ", on=ago(12))
    liu.refresh_from_db()
    assert (liu.inspection, liu.inspected_on) == ("群众公认", ago(12))


# The public notice (公示)


def test_the_publicity_waits_for_the_decision(recommended, party_election, user_township_a):
    assert recommendation.ready_for_publicity(party_election) == [
        "The township committee has not decided on the candidates."
    ]
    with pytest.raises(RuleViolation, match="not decided"):
        notices.publish_publicity(user_township_a, party_election, ago(10))


def test_the_publicity_waits_for_inspections_and_verdicts(
    decided, party_election, departments, user_township_a, media
):
    problems = recommendation.ready_for_publicity(party_election)
    assert any(p.startswith("Not yet inspected") and "刘伟" in p for p in problems)
    assert any("await a verdict" in p for p in problems)
    inspect_everyone(party_election, user_township_a)
    with pytest.raises(RuleViolation, match="await a verdict"):
        notices.publish_publicity(user_township_a, party_election, ago(10))
    review.clear_all(user_township_a, departments[0], roster.standing(party_election))
    with pytest.raises(RuleViolation, match="await a verdict"):
        notices.publish_publicity(user_township_a, party_election, ago(10))
    review.clear_all(user_township_a, departments[1], roster.standing(party_election))
    assert recommendation.ready_for_publicity(party_election) == []
    assert not Notice.objects.filter(election=party_election).exists()


def test_the_publicity_runs_five_days(published, party_election, user_township_a):
    assert published.kind == Notice.Kind.PUBLICITY
    assert published.published_on == ago(10)
    assert published.ends_on == ago(5)
    assert published.names == 6
    assert recommendation.publicity(party_election) == published
    # The seed's notice went up on 12-21 and ran until 12-26.
    assert recommendation.publicity_ends(date(2020, 12, 21), party_election) == date(2020, 12, 26)
    with pytest.raises(RuleViolation, match="posted already"):
        notices.publish_publicity(user_township_a, party_election, ago(9))


def test_the_publicity_is_dated_after_the_decision_and_not_in_the_future(
    ready, user_township_a, user_committee_a1, media
):
    with pytest.raises(RuleViolation, match="future"):
        notices.publish_publicity(user_township_a, ready, today() + timedelta(days=1))
    with pytest.raises(RuleViolation, match="after the township"):
        notices.publish_publicity(user_township_a, ready, ago(16))
    with pytest.raises(PermissionDenied):
        notices.publish_publicity(user_committee_a1, ready, ago(10))
    assert recommendation.publicity(ready) is None


# The request (请示) and the approval (批复)


def test_no_request_before_the_publicity_is_over(ready, user_township_a, user_committee_a1, media):
    with pytest.raises(RuleViolation, match="not been published"):
        recommendation.request_approval(user_committee_a1, ready, requested_on=ago(1))
    notices.publish_publicity(user_township_a, ready, ago(10))
    with pytest.raises(RuleViolation, match=f"runs until {ago(5).isoformat()}"):
        recommendation.request_approval(user_committee_a1, ready, requested_on=ago(6))
    with pytest.raises(RuleViolation, match="future"):
        recommendation.request_approval(
            user_committee_a1, ready, requested_on=today() + timedelta(days=1)
        )
    rec = recommendation.request_approval(
        user_committee_a1, ready, requested_on=ago(5), number=" 星组请〔2021〕3号 "
    )
    assert (rec.requested_on, rec.request_number) == (ago(5), "星组请〔2021〕3号")


def test_the_approval_makes_the_candidates_final(
    published, party_election, departments, user_township_a, user_committee_a1
):
    with pytest.raises(RuleViolation, match="No request"):
        recommendation.approve(user_township_a, party_election, approved_on=ago(3))
    recommendation.request_approval(user_committee_a1, party_election, requested_on=ago(4))
    with pytest.raises(PermissionDenied):
        recommendation.approve(user_committee_a1, party_election, approved_on=ago(3))
    with pytest.raises(RuleViolation, match="before the request"):
        recommendation.approve(user_township_a, party_election, approved_on=ago(5))
    rec = recommendation.approve(
        user_township_a, party_election, approved_on=ago(3), number="星组复〔2021〕5号"
    )
    assert (rec.approved_on, rec.approval_number) == (ago(3), "星组复〔2021〕5号")
    formal = Candidate.objects.filter(election=party_election, status=Candidate.Status.FORMAL)
    assert sorted(names_of(formal)) == sorted(TOP_SIX)
    assert candidate(party_election, "许静").status == Candidate.Status.RECOMMENDED
    # A fresh instance: hold() cached the Recommendation on the fixture's election.
    assert roster.is_final(Election.objects.get(pk=party_election.pk))

    liu = candidate(party_election, "刘伟")
    with pytest.raises(RuleViolation, match="are final"):
        review.withdraw(user_committee_a1, liu, "本人申请")
    with pytest.raises(RuleViolation, match="are final"):
        review.give_verdict(user_township_a, liu, departments[0], "hit", [2], "x")
    with pytest.raises(RuleViolation, match="are final"):
        recommendation.inspect(user_township_a, liu, "再次考察", on=ago(1))
    with pytest.raises(RuleViolation, match="approved already"):
        recommendation.approve(user_township_a, party_election, approved_on=ago(2))
    assert candidate(party_election, "刘伟").status == Candidate.Status.FORMAL


def test_every_step_is_in_the_audit_trail(
    published, party_election, user_township_a, user_committee_a1
):
    recommendation.request_approval(user_committee_a1, party_election, requested_on=ago(4))
    recommendation.approve(user_township_a, party_election, approved_on=ago(3))
    place = party_election.place.code
    actions = list(
        Record.objects.filter(place_code=place, action__startswith="candidates.").values_list(
            "action", flat=True
        )
    )
    for action in (
        "candidates.recommendation",
        "candidates.township_decision",
        "candidates.verdict",
        "candidates.inspected",
        "candidates.notice_publicity",
        "candidates.approval_requested",
        "candidates.approved",
    ):
        assert action in actions, action
    assert actions.count("candidates.inspected") == 6
    held = Record.objects.get(action="candidates.recommendation")
    assert held.username == user_committee_a1.username
    li = candidate(party_election, "李军")
    assert held.after["people"][str(li.resident_id)] == [25, 8]
    decision = Record.objects.get(action="candidates.township_decision")
    assert decision.after["township_decided_on"] == ago(15).isoformat()
    assert decision.before["township_decided_on"] is None
    approved = Record.objects.get(action="candidates.approved")
    assert approved.before["approved_on"] is None
    assert approved.after["approved_on"] == ago(3).isoformat()
    notice = Record.objects.get(action="candidates.notice_publicity")
    assert notice.after["ends_on"] == ago(5).isoformat()
