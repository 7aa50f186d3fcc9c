"""Complaints and incidents (DOMAIN §10): the types, the answer deadline, and the levels
of incidents with their escalation."""

from datetime import date, datetime, timedelta

import pytest

from huanjie.rules.complaints import (
    ANSWER_DAYS,
    PROHIBITIONS,
    Channel,
    ComplaintType,
    Level,
    Outcome,
    Recipient,
    answer_deadline,
    check_complaint,
    days_left,
    days_overdue,
    escalation_due,
    escalations,
    is_overdue,
    needs_attention,
)

RECEIVED = date(2021, 1, 4)


def codes(found):
    return [f.code for f in found]


def test_eight_prohibitions_then_the_work():
    assert len(PROHIBITIONS) == 8
    assert all(t.is_prohibition for t in PROHIBITIONS)
    assert ComplaintType.BRIBERY in PROHIBITIONS
    assert ComplaintType.REFUSING_HANDOVER in PROHIBITIONS
    assert not ComplaintType.VOTER_REGISTRATION.is_prohibition
    assert not ComplaintType.OTHER.is_prohibition
    assert len(ComplaintType) == 12


@pytest.mark.parametrize("enum", [ComplaintType, Channel, Outcome, Level, Recipient])
def test_every_value_has_both_titles(enum):
    for member in enum:
        assert member.title_zh and member.title_en
    assert len({m.title_zh for m in enum}) == len(enum)


def test_bribery_names_red_envelopes():
    assert "红包" in ComplaintType.BRIBERY.title_zh
    assert "red envelopes" in ComplaintType.BRIBERY.title_en


def test_deadline_counts_from_the_day_after_receipt():
    assert ANSWER_DAYS == 15
    assert answer_deadline(RECEIVED) == date(2021, 1, 19)
    assert answer_deadline(RECEIVED, days=5) == date(2021, 1, 9)
    with pytest.raises(ValueError):
        answer_deadline(RECEIVED, days=0)


def test_overdue_from_the_day_after_the_deadline():
    deadline = answer_deadline(RECEIVED)
    assert not is_overdue(deadline, deadline)
    assert days_left(deadline, deadline) == 1
    assert is_overdue(deadline, deadline + timedelta(days=1))
    assert days_overdue(deadline, deadline + timedelta(days=3)) == 3
    assert days_left(deadline, deadline + timedelta(days=3)) == 0
    assert days_left(deadline, RECEIVED) == 16


def test_a_closed_complaint_is_judged_by_the_day_closed():
    deadline = answer_deadline(RECEIVED)
    later = deadline + timedelta(days=30)
    assert not is_overdue(deadline, later, closed_on=deadline)
    assert is_overdue(deadline, later, closed_on=deadline + timedelta(days=2))
    assert days_overdue(deadline, later, closed_on=deadline + timedelta(days=2)) == 2


def test_check_complaint_days_and_outcome():
    today = date(2021, 1, 10)
    assert codes(check_complaint(RECEIVED, today, complainant="李四")) == []
    assert codes(check_complaint(today + timedelta(days=1), today, complainant="李四")) == [
        "complaints.received_in_future"
    ]
    found = check_complaint(
        RECEIVED, today, complainant="李四", closed_on=RECEIVED - timedelta(days=1)
    )
    assert codes(found) == ["complaints.closed_before_received", "complaints.no_outcome"]
    assert all(f.is_error for f in found)
    found = check_complaint(
        RECEIVED, today, complainant="李四", closed_on=today, outcome=Outcome.PARTLY
    )
    assert codes(found) == ["complaints.no_measures"]
    assert (
        check_complaint(
            RECEIVED,
            today,
            complainant="李四",
            closed_on=today,
            outcome=Outcome.UNSUBSTANTIATED,
        )
        == []
    )
    assert codes(
        check_complaint(
            RECEIVED,
            today,
            complainant="李四",
            closed_on=today + timedelta(days=1),
            outcome=Outcome.UNSUBSTANTIATED,
        )
    ) == ["complaints.closed_in_future"]


def test_anonymous_is_a_warning_only():
    (found,) = check_complaint(RECEIVED, RECEIVED, complainant="  ")
    assert found.code == "complaints.anonymous"
    assert not found.is_error
    assert found.section == "§10"


def test_levels_and_whom_they_reach():
    assert [lv.title_zh for lv in Level] == ["一般", "较重", "严重"]
    assert Level.GENERAL.reported_to == (Recipient.TOWNSHIP_OFFICE,)
    assert Level.SERIOUS.reported_to == (Recipient.TOWNSHIP_GROUP, Recipient.COUNTY_OFFICE)
    assert Level.SEVERE.reported_to == (Recipient.COUNTY_GROUP,)
    assert not Level.GENERAL.reaches_county
    assert Level.SERIOUS.reaches_county and Level.SEVERE.reaches_county
    assert Level.GENERAL.next is Level.SERIOUS
    assert Level.SERIOUS.next is Level.SEVERE
    assert Level.SEVERE.next is None


def test_escalation_due_by_level():
    since = datetime(2021, 1, 4, 9, 0)
    assert escalation_due(Level.GENERAL, since) == since + timedelta(hours=72)
    assert escalation_due(Level.SERIOUS, since) == since + timedelta(hours=24)
    assert escalation_due(Level.SEVERE, since) is None
    assert escalation_due(Level.GENERAL, since, {Level.GENERAL: 10}) == since + timedelta(hours=10)


def test_escalations_rise_one_level_each_period():
    since = datetime(2021, 1, 4, 9, 0)
    assert escalations(Level.GENERAL, since, since + timedelta(hours=71, minutes=59)) == []
    (one,) = escalations(Level.GENERAL, since, since + timedelta(hours=72))
    assert (one.from_level, one.to_level, one.due) == (
        Level.GENERAL,
        Level.SERIOUS,
        since + timedelta(hours=72),
    )
    two = escalations(Level.GENERAL, since, since + timedelta(hours=100))
    assert [(e.to_level, e.due - since) for e in two] == [
        (Level.SERIOUS, timedelta(hours=72)),
        (Level.SEVERE, timedelta(hours=96)),
    ]
    assert escalations(Level.SEVERE, since, since + timedelta(days=30)) == []


def test_needs_attention():
    assert not needs_attention(Level.GENERAL, escalated=False, resolved=False)
    assert needs_attention(Level.GENERAL, escalated=True, resolved=False)
    assert needs_attention(Level.SERIOUS, escalated=False, resolved=False)
    assert needs_attention(Level.SEVERE, escalated=False, resolved=False)
    assert not needs_attention(Level.SEVERE, escalated=True, resolved=True)
