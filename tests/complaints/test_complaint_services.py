"""The register of complaints: registering, handling, referral, closing, reopening, and
who may do each (DOMAIN §10)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from huanjie.audit.models import Record
from huanjie.audit.trail import history, verify
from huanjie.complaints import register
from huanjie.complaints.models import Complaint, ComplaintStep
from huanjie.cycles.services import RuleViolation

pytestmark = pytest.mark.usefixtures("english")


def actions(target):
    return [r.action for r in history(target=target)][::-1]


def test_register_numbers_and_deadline(complaint_a1, overdue_a1, today):
    assert complaint_a1.number == 1
    assert overdue_a1.number == 2
    assert complaint_a1.deadline == today - timedelta(days=3) + timedelta(days=15)
    assert register.state(complaint_a1, today) == "open"
    assert register.state(overdue_a1, today) == "overdue"
    assert overdue_a1.is_anonymous and not complaint_a1.is_anonymous
    rec = history(target=complaint_a1).get()
    assert rec.action == "complaints.register"
    assert rec.place_code == "430121001201"
    assert rec.after["type"] == "bribery"
    assert rec.after["deadline"] == complaint_a1.deadline.isoformat()


def test_answer_days_is_a_parameter(cycle, village_a1, user_township_a, today):
    c = register.register_complaint(
        user_township_a,
        cycle,
        village_a1,
        type="other",
        received_on=today,
        channel="phone",
        summary="问题",
        answer_days=5,
    )
    assert c.deadline == today + timedelta(days=5)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"type": "gossip"}, "Type: “gossip” is not one of the choices."),
        ({"channel": "fax"}, "Channel: “fax” is not one of the choices."),
        ({"summary": "  "}, "Summary is required."),
        ({"complainant": "x" * 101}, "From is at most 100 characters."),
        ({"received_on": "tomorrow"}, "The day received cannot be in the future."),
    ],
)
def test_register_refuses_bad_input(cycle, village_a1, user_township_a, today, changes, message):
    values = {
        "type": "bribery",
        "received_on": today,
        "channel": "visit",
        "summary": "红包",
        "complainant": "",
    }
    if changes.get("received_on") == "tomorrow":
        changes = {"received_on": today + timedelta(days=1)}
    values.update(changes)
    with pytest.raises(RuleViolation) as exc:
        register.register_complaint(user_township_a, cycle, village_a1, **values)
    assert str(exc.value) == message
    assert not Complaint.objects.exists()
    assert not Record.objects.exists()


def test_register_at_a_group_or_outside_the_county_is_refused(
    cycle, group_a1_1, user_county_admin, today
):
    with pytest.raises(RuleViolation, match="not a place of"):
        register.register_complaint(
            user_county_admin,
            cycle,
            group_a1_1,
            type="other",
            received_on=today,
            channel="phone",
            summary="问题",
        )


def test_who_may_register(
    cycle, village_a1, township_a, user_committee_a1, user_observer, user_township_b, today
):
    values = {"type": "lobbying", "received_on": today, "channel": "online", "summary": "拉票"}
    c = register.register_complaint(user_committee_a1, cycle, village_a1, **values)
    assert c.registered_by == user_committee_a1
    with pytest.raises(PermissionDenied):
        register.register_complaint(user_observer, cycle, village_a1, **values)
    with pytest.raises(Http404):
        register.register_complaint(user_township_b, cycle, village_a1, **values)
    # The committee's area is its village: the township is beyond it.
    with pytest.raises(Http404):
        register.register_complaint(user_committee_a1, cycle, township_a, **values)


def test_handling_is_the_township_and_the_county(
    complaint_a1, user_committee_a1, user_observer, user_county_admin, user_township_b
):
    for user in (user_committee_a1, user_observer):
        with pytest.raises(PermissionDenied):
            register.add_step(user, complaint_a1, "核查")
    with pytest.raises(Http404):
        register.add_step(user_township_b, complaint_a1, "核查")
    step = register.add_step(user_county_admin, complaint_a1, "约谈当事人", by="县纪委")
    assert (step.by, step.kind) == ("县纪委", ComplaintStep.Kind.ACTION)


def test_steps_days(complaint_a1, user_township_a, today):
    with pytest.raises(RuleViolation, match="cannot be in the future"):
        register.add_step(user_township_a, complaint_a1, "核查", on=today + timedelta(days=1))
    with pytest.raises(RuleViolation, match="before the day received"):
        register.add_step(user_township_a, complaint_a1, "核查", on=today - timedelta(days=4))
    with pytest.raises(RuleViolation, match="Action is required"):
        register.add_step(user_township_a, complaint_a1, " ")
    step = register.add_step(
        user_township_a, complaint_a1, "走访核实", on=today - timedelta(days=1)
    )
    assert step.by == "township_a"
    assert actions(complaint_a1) == ["complaints.register", "complaints.step"]


def test_refer_up_twice_then_no_further(complaint_a1, user_township_a):
    assert register.next_referral(complaint_a1).value == "county_office"
    register.escalate_complaint(user_township_a, complaint_a1, "涉及县管干部")
    assert complaint_a1.escalated_to == "county_office"
    register.escalate_complaint(user_township_a, complaint_a1)
    assert complaint_a1.escalated_to == "county_group"
    assert register.next_referral(complaint_a1) is None
    with pytest.raises(RuleViolation, match="already with the county leading group"):
        register.escalate_complaint(user_township_a, complaint_a1)
    kinds = [s.kind for s in complaint_a1.steps.all()]
    assert kinds == ["escalated", "escalated"]
    assert "涉及县管干部" in complaint_a1.steps.first().action
    assert actions(complaint_a1).count("complaints.escalate") == 2


def test_close_needs_outcome_and_measures(complaint_a1, user_township_a, today):
    with pytest.raises(RuleViolation, match="Outcome"):
        register.close_complaint(user_township_a, complaint_a1, "")
    with pytest.raises(RuleViolation, match="closed with the measures taken"):
        register.close_complaint(user_township_a, complaint_a1, "substantiated")
    with pytest.raises(RuleViolation, match="cannot come before the day received"):
        register.close_complaint(
            user_township_a, complaint_a1, "unsubstantiated", closed_on=today - timedelta(days=9)
        )
    c = register.close_complaint(
        user_township_a, complaint_a1, "partly", "取消该候选人资格，收回红包"
    )
    assert c.closed_on == today and c.outcome == "partly"
    assert register.state(c, today) == "closed"
    assert c.steps.last().kind == "closed"
    with pytest.raises(RuleViolation, match="is closed: reopen it first"):
        register.add_step(user_township_a, c, "再次核查")
    rec = history(target=c).first()
    assert rec.action == "complaints.close"
    assert rec.before["outcome"] == "" and rec.after["outcome"] == "partly"


def test_reopen(complaint_a1, user_township_a):
    register.close_complaint(user_township_a, complaint_a1, "unsubstantiated")
    with pytest.raises(RuleViolation, match="Reason is required"):
        register.reopen_complaint(user_township_a, complaint_a1, "")
    c = register.reopen_complaint(user_township_a, complaint_a1, "举报人补充了新证据")
    assert not c.is_closed and c.outcome == ""
    with pytest.raises(RuleViolation, match="is open"):
        register.reopen_complaint(user_township_a, c, "again")
    assert actions(c)[-1] == "complaints.reopen"


def test_change_corrects_and_is_audited(complaint_a1, user_township_a):
    deadline = complaint_a1.deadline
    register.change_complaint(user_township_a, complaint_a1, type="lobbying", complainant="")
    complaint_a1.refresh_from_db()
    assert complaint_a1.type == "lobbying" and complaint_a1.is_anonymous
    assert complaint_a1.deadline == deadline
    with pytest.raises(RuleViolation, match="changes nothing"):
        register.change_complaint(user_township_a, complaint_a1, type="lobbying")
    with pytest.raises(RuleViolation, match="Unknown field: deadline"):
        register.change_complaint(user_township_a, complaint_a1, deadline="2030-01-01")
    rec = history(target=complaint_a1).first()
    assert (rec.action, rec.before["type"], rec.after["type"]) == (
        "complaints.change",
        "bribery",
        "lobbying",
    )
    assert verify() is None


def test_search_filters(
    complaint_a1, overdue_a1, complaint_b1, county, township_a, cycle, user_township_a, today
):
    everything = register.complaints_within(cycle, county)
    assert everything.count() == 3
    assert list(register.search(everything, township=township_a)) == [complaint_a1, overdue_a1]
    assert list(register.search(everything, type="threats")) == [complaint_b1]
    assert list(register.search(everything, state="overdue", today=today)) == [overdue_a1]
    assert list(register.search(everything, q="红包")) == [complaint_a1]
    assert list(register.search(everything, q="黄兴")) == [complaint_b1]
    assert list(register.search(everything, q="2")) == [overdue_a1]
    register.close_complaint(user_township_a, overdue_a1, "unsubstantiated")
    assert list(register.search(everything, state="closed")) == [overdue_a1]
    # Closed late, it still counts as overdue for the filter.
    assert list(register.search(everything, overdue=True, today=today)) == [overdue_a1]
    assert set(register.search(everything, state="open")) == {complaint_a1, complaint_b1}
