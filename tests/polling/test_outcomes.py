"""What a count of 金茶村's vote leads to: the confirmation that locks it and names the
winners, corrections with their reason, the re-vote among the tied, the run-off within
the profile's days, the re-run of a void vote, the state of the election across its
polls, and the printed announcement, result form and certificates (DOMAIN §7).

The vote is counted from the tally sheet's totals (12 voters: a winner needs 7 of the
12 ballots issued); the office ids are those of ``polling_shared.SLATE``.
"""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from huanjie.audit.models import Record
from huanjie.cycles.models import Step, StepStatus
from huanjie.cycles.services import RuleViolation
from huanjie.polling import counting, outcomes, papers
from huanjie.polling.models import Correction, Notice, Poll, Scrutineer, Station, Winner

pytestmark = pytest.mark.usefixtures("english")

#: Every seat filled in the first vote.
FILLED = {
    "director": {"刘伟": 8, "王芳": 3, "invalid": 1},
    "member": {"方敏": 8, "吴丽": 7, "李军": 2},
}
#: 吴丽 and 李军 tied at the cut-off for the second member seat.
TIED = {
    "director": {"刘伟": 8, "王芳": 3},
    "member": {"方敏": 8, "吴丽": 7, "李军": 7},
}
#: One member seat left open: only 方敏 has a majority; 周洁 was written in.
OPEN_SEAT = {
    "director": {"刘伟": 8, "王芳": 3},
    "member": {"方敏": 8, "吴丽": 3, "李军": 2, "周洁": 2},
}


def today():
    return timezone.localdate()


def central(poll, user):
    station, _ = Station.objects.get_or_create(
        election=poll.election,
        name="中心会场",
        defaults={"kind": Station.Kind.CENTRAL, "user": user},
    )
    return station


def counted(poll, user, counts, *, issued=12, returned=12):
    """Count ``poll`` from the totals ``counts`` (office → name → votes)."""
    ids = {c["name"]: c["id"] for c in poll.candidates}
    poll.method = Poll.Method.TOTALS
    poll.counts = {
        office: {ids.get(name, name): n for name, n in rows.items()}
        for office, rows in counts.items()
    }
    poll.save()
    poll.box_counts.update_or_create(
        station=central(poll, user), defaults={"issued": issued, "returned": returned}
    )
    counting.compute(user, poll)
    poll.refresh_from_db()
    return poll


def confirmed(poll, user, counts, **figures):
    return outcomes.confirm(user, counted(poll, user, counts, **figures))


def pdf_text(data: bytes) -> str:
    """The text of every page, lines joined (the documents wrap long sentences)."""
    pages = PdfReader(io.BytesIO(data)).pages
    return "".join(page.extract_text() for page in pages).replace("\n", "")


def actions(poll) -> list[str]:
    return list(
        Record.objects.filter(target_id=str(poll.pk), action__startswith="polling.")
        .order_by("seq")
        .values_list("action", flat=True)
    )


# Confirmation


def test_confirming_locks_the_result_and_names_the_winners(poll, roll, user_committee_a1):
    poll = confirmed(poll, user_committee_a1, FILLED)
    assert poll.state == Poll.State.CONFIRMED
    assert poll.confirmed_by == user_committee_a1 and poll.confirmed_at is not None
    winners = {w.name: w for w in poll.winners.all()}
    assert set(winners) == {"刘伟", "方敏", "吴丽"}
    assert winners["刘伟"].office == "director" and winners["刘伟"].votes == 8
    assert winners["刘伟"].candidate.resident.name == "刘伟"
    assert winners["刘伟"].voter == roll["刘伟"]
    assert "polling.confirm" in actions(poll)
    with pytest.raises(RuleViolation, match="locked"):
        counting.compute(user_committee_a1, poll)
    with pytest.raises(RuleViolation, match="already confirmed"):
        outcomes.confirm(user_committee_a1, poll)


def test_only_a_counted_vote_is_confirmed(poll, user_committee_a1):
    with pytest.raises(RuleViolation, match="count it first"):
        outcomes.confirm(user_committee_a1, poll)


def test_records_changed_after_the_count_are_counted_again_first(poll, user_committee_a1):
    poll = counted(poll, user_committee_a1, FILLED)
    poll.box_counts.update(issued=11)
    with pytest.raises(RuleViolation, match="count it again"):
        outcomes.confirm(user_committee_a1, poll)


def test_a_written_in_winner_is_the_one_voter_of_that_name(poll, roll, user_committee_a1):
    counts = {"director": {"刘伟": 8}, "member": {"方敏": 8, "许静": 7, "李军": 2}}
    poll = confirmed(poll, user_committee_a1, counts)
    written = poll.winners.get(name="许静")
    assert written.candidate is None and written.who == "许静"
    assert written.voter == roll["许静"]
    written.voter = None
    written.save()
    with pytest.raises(RuleViolation, match="not 王芳"):
        outcomes.assign_write_in(user_committee_a1, written, roll["王芳"])
    outcomes.assign_write_in(user_committee_a1, written, roll["许静"])
    assert Winner.objects.get(pk=written.pk).voter == roll["许静"]


def test_observers_cannot_confirm(poll, user_committee_a1, user_observer):
    from django.core.exceptions import PermissionDenied

    poll = counted(poll, user_committee_a1, FILLED)
    with pytest.raises(PermissionDenied):
        outcomes.confirm(user_observer, poll)


# Corrections


def test_a_correction_needs_its_reason_and_is_kept(poll, user_committee_a1):
    poll = confirmed(poll, user_committee_a1, FILLED)
    ids = {c["name"]: c["id"] for c in poll.candidates}
    fixed = {"member": {ids["方敏"]: 8, ids["吴丽"]: 5, ids["李军"]: 2}}
    with pytest.raises(RuleViolation, match="reason"):
        outcomes.correct(user_committee_a1, poll, "  ", counts=fixed)
    correction = outcomes.correct(
        user_committee_a1, poll, "吴丽's votes were misread from the tally sheet", counts=fixed
    )
    assert isinstance(correction, Correction)
    assert correction.before["counts"]["member"][ids["吴丽"]] == 7
    assert correction.after["counts"]["member"][ids["吴丽"]] == 5
    assert [w["name"] for w in correction.before["winners_removed"]] == ["吴丽"]
    poll.refresh_from_db()
    member = outcomes.office_result(poll, "member")
    assert member["elected"] == [ids["方敏"]] and member["unfilled"] == 1
    assert sorted(poll.winners.values_list("name", flat=True)) == ["刘伟", "方敏"]
    record = Record.objects.get(action="polling.correction")
    assert record.after["reason"].startswith("吴丽")
    with pytest.raises(RuleViolation, match="changes nothing"):
        outcomes.correct(user_committee_a1, poll, "again", counts=fixed)


def test_box_figures_are_corrected_and_the_vote_counted_again(poll, user_committee_a1):
    poll = confirmed(poll, user_committee_a1, FILLED)
    box = outcomes.BoxFigures(central(poll, user_committee_a1).pk, issued=12, returned=13)
    outcomes.correct(user_committee_a1, poll, "收回 was 13 on the sheet", box=box)
    poll.refresh_from_db()
    assert not poll.result["valid"]
    assert poll.result["void_reasons"] == ["returned_exceeds_issued"]
    assert not poll.winners.exists()


def test_no_correction_before_confirmation(poll, user_committee_a1):
    poll = counted(poll, user_committee_a1, FILLED)
    with pytest.raises(RuleViolation, match="Only a confirmed"):
        outcomes.correct(user_committee_a1, poll, "typo", counts={"director": {"x": 1}})


def test_no_correction_that_changes_a_scheduled_vote(poll, user_committee_a1):
    poll = confirmed(poll, user_committee_a1, OPEN_SEAT)
    outcomes.schedule_runoff(user_committee_a1, poll, today())
    ids = {c["name"]: c["id"] for c in poll.candidates}
    with pytest.raises(RuleViolation, match="already follows"):
        outcomes.correct(
            user_committee_a1, poll, "typo", counts={"member": {ids["方敏"]: 8, ids["吴丽"]: 7}}
        )


# Re-votes, run-offs and re-runs


def test_a_revote_among_the_tied_for_their_seat(poll, user_committee_a1):
    poll = confirmed(poll, user_committee_a1, TIED)
    assert sorted(poll.winners.values_list("name", flat=True)) == ["刘伟", "方敏"]
    revote = outcomes.schedule_revote(user_committee_a1, poll, "member", today())
    assert revote.round == Poll.Round.REVOTE and revote.follows == poll
    assert revote.state == Poll.State.OPEN
    assert revote.offices == [{"id": "member", "title": "委员", "seats": 1}]
    assert sorted(c["name"] for c in revote.candidates) == ["吴丽", "李军"]
    assert revote.due_by == today() + timedelta(days=10)
    assert "polling.revote" in actions(revote)
    with pytest.raises(RuleViolation, match="already scheduled"):
        outcomes.schedule_revote(user_committee_a1, poll, "member", today())
    with pytest.raises(RuleViolation, match="Nobody is tied"):
        outcomes.schedule_revote(user_committee_a1, poll, "director", today())


def test_the_runoff_is_due_within_the_profiles_days(poll, user_committee_a1):
    poll = confirmed(poll, user_committee_a1, OPEN_SEAT)
    late = today() + timedelta(days=11)
    with pytest.raises(RuleViolation, match=r"within 10 days.*DOMAIN §7 item 7"):
        outcomes.schedule_runoff(user_committee_a1, poll, late)
    with pytest.raises(RuleViolation, match="not held before"):
        outcomes.schedule_runoff(user_committee_a1, poll, today() - timedelta(days=1))
    runoff = outcomes.schedule_runoff(user_committee_a1, poll, today() + timedelta(days=10))
    assert runoff.round == Poll.Round.RUNOFF and runoff.follows == poll
    assert runoff.due_by == poll.held_on + timedelta(days=10)
    assert runoff.offices == [{"id": "member", "title": "委员", "seats": 1}]
    by_name = {c["name"]: c for c in runoff.candidates}
    # Open seats + 1 with most votes, the tie at the edge included; a written-in name
    # stands under its own name.
    assert set(by_name) == {"吴丽", "李军", "周洁"}
    assert by_name["周洁"] == {"id": "周洁", "name": "周洁", "office": "member", "sex": None}
    assert by_name["吴丽"]["id"].startswith("c")
    with pytest.raises(RuleViolation, match="already scheduled"):
        outcomes.schedule_runoff(user_committee_a1, poll, today())


def test_no_runoff_before_confirmation_or_without_open_seats(poll, user_committee_a1):
    poll = counted(poll, user_committee_a1, FILLED)
    with pytest.raises(RuleViolation, match="not confirmed"):
        outcomes.schedule_runoff(user_committee_a1, poll, today())
    poll = outcomes.confirm(user_committee_a1, poll)
    with pytest.raises(RuleViolation, match="no run-off"):
        outcomes.schedule_runoff(user_committee_a1, poll, today())


def test_a_reserved_woman_seat_goes_to_a_woman_only_runoff(
    poll, user_committee_a1, cycle, village_a1
):
    from huanjie.cycles.models import ProfileOverride

    ProfileOverride.objects.create(
        cycle=cycle, place=village_a1, parameter="reserved_woman_seat", value=True
    )
    counts = {"director": {"刘伟": 8}, "member": {"李军": 8, "吴丽": 3, "方敏": 2}}
    poll = confirmed(poll, user_committee_a1, counts)
    member = outcomes.office_result(poll, "member")
    assert member["reserved_for_woman"] == 1
    runoff = outcomes.schedule_runoff(user_committee_a1, poll, today())
    assert runoff.offices[0]["reserved_for_woman"] == 1
    assert {c["name"] for c in runoff.candidates} <= {"吴丽", "方敏"}


def test_a_rerun_only_when_void(poll, user_committee_a1):
    poll = confirmed(poll, user_committee_a1, FILLED)
    with pytest.raises(RuleViolation, match="Only a void"):
        outcomes.schedule_rerun(user_committee_a1, poll, today())


def test_a_void_vote_is_held_again_with_the_full_list(poll, user_committee_a1):
    # 5 of 12 voters is not more than half: the whole vote is void (DOMAIN §7 item 2).
    poll = confirmed(poll, user_committee_a1, FILLED, issued=5, returned=5)
    assert not poll.result["valid"] and not poll.winners.exists()
    with pytest.raises(RuleViolation, match="重新选举"):
        outcomes.schedule_runoff(user_committee_a1, poll, today())
    state = outcomes.election_state(poll.election)
    assert not state.complete
    assert [f.round for f in state.due] == [Poll.Round.RERUN]
    rerun = outcomes.schedule_rerun(user_committee_a1, poll, today() + timedelta(days=20))
    assert rerun.round == Poll.Round.RERUN and rerun.follows == poll
    assert rerun.candidates == poll.candidates and rerun.offices == poll.offices
    assert rerun.due_by is None
    state = outcomes.election_state(poll.election)
    assert state.origin == rerun and state.pending == [rerun] and not state.due


# The election across its polls


def test_the_election_is_complete_once_the_runoff_fills_the_seat(poll, user_committee_a1):
    poll = confirmed(poll, user_committee_a1, OPEN_SEAT)
    state = outcomes.election_state(poll.election)
    director, member = state.offices
    assert [w.name for w in director.winners] == ["刘伟"] and director.open == 0
    assert [w.name for w in member.winners] == ["方敏"] and member.open == 1
    assert [(f.round, f.office) for f in state.due] == [(Poll.Round.RUNOFF, "member")]
    assert not state.complete

    runoff = outcomes.schedule_runoff(user_committee_a1, poll, today())
    state = outcomes.election_state(poll.election)
    assert state.pending == [runoff] and not state.due and not state.complete

    # A run-off winner needs the most votes and at least 1/3 of the ballots (4 of 12).
    runoff = confirmed(runoff, user_committee_a1, {"member": {"吴丽": 6, "李军": 4, "周洁": 2}})
    assert [w.name for w in runoff.winners.all()] == ["吴丽"]
    state = outcomes.election_state(poll.election)
    assert state.complete
    assert [w.name for w in state.winners] == ["刘伟", "方敏", "吴丽"]


def test_a_complete_election_signs_off_the_vote(poll, user_committee_a1, cycle, village_a1):
    for key in ("formal_candidates_published", "objections_decided"):
        Step.objects.create(cycle=cycle, place=village_a1, key=key, status=StepStatus.DONE)
    confirmed(poll, user_committee_a1, FILLED)
    step = Step.objects.get(cycle=cycle, place=village_a1, key="voting")
    assert step.status == StepStatus.DONE and step.done_on == poll.held_on


def test_an_incomplete_election_leaves_the_timeline(poll, user_committee_a1, cycle, village_a1):
    for key in ("formal_candidates_published", "objections_decided"):
        Step.objects.create(cycle=cycle, place=village_a1, key=key, status=StepStatus.DONE)
    confirmed(poll, user_committee_a1, FILLED, issued=5, returned=5)
    assert not Step.objects.filter(cycle=cycle, place=village_a1, key="voting").exists()


# Documents


def test_the_announcement_and_the_report(poll, roll, user_committee_a1, media):
    poll = confirmed(poll, user_committee_a1, OPEN_SEAT)
    station = central(poll, user_committee_a1)
    for name, role, chief in (
        ("丁一", Scrutineer.Role.SCRUTINEER, True),
        ("石磊", Scrutineer.Role.SCRUTINEER, False),
        ("朱红", Scrutineer.Role.COUNTER, False),
    ):
        Scrutineer.objects.create(station=station, voter=roll[name], role=role, chief=chief)

    text = pdf_text(papers.announcement_pdf(poll))
    assert "金茶村第12届村民委员会选举结果公告" in text
    assert "刘伟（8票）" in text and "方敏（8票）" in text
    assert "尚有1名未选出" in text
    assert "金茶村村民选举委员会" in text

    report = pdf_text(papers.report_pdf(poll))
    assert "选举结果报告单" in report
    assert "总监票人：丁一" in report and "监票人：石磊" in report and "计票人：朱红" in report
    assert "周洁" in report
    # A count of totals does not say which box a void ballot came from.
    assert "中心会场" not in report

    notice = papers.publish_announcement(user_committee_a1, poll)
    assert notice.kind == Notice.Kind.ANNOUNCEMENT and notice.poll == poll
    assert notice.file.read().startswith(b"%PDF")
    assert {p["name"] for p in notice.people} == {"刘伟", "方敏"}
    assert Record.objects.filter(action="polling.announcement").exists()


def test_the_report_prints_the_box_when_its_ballots_are_known(poll, user_committee_a1):
    from huanjie.polling.models import BallotEntry

    ids = {c["name"]: c["id"] for c in poll.candidates}
    ballots = [{"director": [ids["刘伟"]], "member": [ids["方敏"], ids["吴丽"]]}] * 11
    ballots.append({"invalid": True})
    for counter in (1, 2):
        for number, marks in enumerate(ballots, 1):
            BallotEntry.objects.create(
                poll=poll, counter=counter, number=number, marks=marks, user=user_committee_a1
            )
    poll.box_counts.create(station=central(poll, user_committee_a1), issued=12, returned=12)
    counting.compute(user_committee_a1, poll)
    poll.refresh_from_db()
    report = pdf_text(papers.report_pdf(poll))
    assert "中心会场121211" in report.replace(" ", "")


def test_a_void_vote_is_announced_with_its_reason(poll, user_committee_a1):
    poll = confirmed(poll, user_committee_a1, FILLED, issued=5, returned=5)
    text = pdf_text(papers.announcement_pdf(poll))
    assert "参加投票的选民未超过登记选民的半数" in text
    assert "重新选举" in text


def test_certificates_are_numbered_and_printed(poll, user_committee_a1, village_a1):
    poll = confirmed(poll, user_committee_a1, FILLED)
    with pytest.raises(RuleViolation, match="issue the certificates first"):
        papers.certificates_pdf(poll)
    issued = papers.issue_certificates(user_committee_a1, poll.election)
    assert [w.certificate_number for w in issued] == [
        f"{village_a1.code}-12-01",
        f"{village_a1.code}-12-02",
        f"{village_a1.code}-12-03",
    ]
    assert all(w.certified_on == today() for w in issued)
    assert Record.objects.filter(action="polling.certificates").exists()
    with pytest.raises(RuleViolation, match="already"):
        papers.issue_certificates(user_committee_a1, poll)

    text = pdf_text(papers.certificates_pdf(poll.election))
    assert "当选证书" in text
    assert "刘伟同志" in text and "村民委员会主任" in text
    assert "吴丽同志" in text and "村民委员会委员" in text
    assert f"{village_a1.code}-12-03" in text


def test_the_revote_is_announced_as_a_vote_of_the_tied(poll, user_committee_a1):
    poll = confirmed(poll, user_committee_a1, TIED)
    text = pdf_text(papers.announcement_pdf(poll))
    assert "李军、吴丽得票相等（各7票）" in text or "吴丽、李军得票相等（各7票）" in text
    revote = outcomes.schedule_revote(user_committee_a1, poll, "member", today())
    revote = confirmed(revote, user_committee_a1, {"member": {"吴丽": 9, "李军": 3}})
    text = pdf_text(papers.announcement_pdf(revote))
    assert "金茶村第12届村民委员会再次投票结果公告" in text and "吴丽（9票）当选" in text
    assert outcomes.election_state(poll.election).complete
