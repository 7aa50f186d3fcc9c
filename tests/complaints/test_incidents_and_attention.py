"""Incidents with their levels and escalation, the panel of what needs attention, the
run that escalates what waited too long, and complaints by type (DOMAIN §10, §11)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from huanjie.audit.trail import history
from huanjie.complaints import incidents, register
from huanjie.complaints.attention import attention, escalate_overdue
from huanjie.complaints.counts import counts_by_type, counts_by_type_below
from huanjie.complaints.models import Incident
from huanjie.cycles.services import RuleViolation
from huanjie.rules.complaints import ComplaintType

pytestmark = pytest.mark.usefixtures("english")


def grades(items):
    return [(item.kind, item.place.name, item.grade) for item in items]


# Incidents


def test_report_records_level_and_clock(incident_a1, user_township_a):
    assert incident_a1.level == incident_a1.reported_level == "general"
    assert not incident_a1.escalated
    assert [r.value for r in incident_a1.reported_to] == ["township_office"]
    assert incident_a1.level_since > incident_a1.occurred_at
    rec = history(target=incident_a1).get()
    assert rec.action == "complaints.incident_report"
    assert rec.after["level"] == "general"


def test_report_refuses(cycle, village_a1, user_township_a, user_observer, user_township_b):
    now = timezone.now()
    values = {"level": "general", "occurred_at": now, "summary": "起哄"}
    with pytest.raises(RuleViolation, match="Level: “grave” is not one of the choices"):
        incidents.report_incident(user_township_a, cycle, village_a1, **values | {"level": "grave"})
    with pytest.raises(RuleViolation, match="cannot be in the future"):
        incidents.report_incident(
            user_township_a, cycle, village_a1, **values | {"occurred_at": now + timedelta(hours=2)}
        )
    with pytest.raises(PermissionDenied):
        incidents.report_incident(user_observer, cycle, village_a1, **values)
    with pytest.raises(Http404):
        incidents.report_incident(user_township_b, cycle, village_a1, **values)
    assert not Incident.objects.exists()


def test_committee_reports_but_does_not_handle(cycle, village_a1, user_committee_a1):
    incident = incidents.report_incident(
        user_committee_a1,
        cycle,
        village_a1,
        level="serious",
        occurred_at=timezone.now(),
        summary="候选人亲属在投票站外拉票",
    )
    assert incident.reported_by == "committee_a1"
    with pytest.raises(PermissionDenied):
        incidents.add_incident_step(user_committee_a1, incident, "劝离")
    with pytest.raises(PermissionDenied):
        incidents.escalate_incident(user_committee_a1, incident)


def test_escalate_by_hand_then_top(incident_a1, user_township_a):
    step = incidents.escalate_incident(user_township_a, incident_a1, "人数增多")
    incident_a1.refresh_from_db()
    assert incident_a1.level == "serious" and incident_a1.escalated
    assert step.kind == "escalated" and step.level == "serious"
    assert "county office" in step.action and "人数增多" in step.action
    incidents.escalate_incident(user_township_a, incident_a1)
    assert incident_a1.level == "severe"
    with pytest.raises(RuleViolation, match="already 严重"):
        incidents.escalate_incident(user_township_a, incident_a1)
    assert [r.action for r in history(target=incident_a1)][:2] == [
        "complaints.incident_escalate",
        "complaints.incident_escalate",
    ]


def test_steps_and_resolve(incident_a1, user_township_a):
    with pytest.raises(RuleViolation, match="before the incident occurred"):
        incidents.add_incident_step(
            user_township_a, incident_a1, "到场", at=incident_a1.occurred_at - timedelta(hours=1)
        )
    incidents.add_incident_step(user_township_a, incident_a1, "派出所到场", by="星沙派出所")
    with pytest.raises(RuleViolation, match="Resolution is required"):
        incidents.resolve_incident(user_township_a, incident_a1, "")
    incidents.resolve_incident(user_township_a, incident_a1, "劝离起哄人员，选举继续")
    assert incident_a1.is_resolved
    assert [s.kind for s in incident_a1.steps.all()] == ["action", "resolved"]
    with pytest.raises(RuleViolation, match="resolved"):
        incidents.escalate_incident(user_township_a, incident_a1)
    assert history(target=incident_a1).first().action == "complaints.incident_resolve"


# The run


def test_escalate_overdue_raises_each_level_at_its_due_time(incident_a1, incident_b1):
    since = incident_a1.level_since
    assert escalate_overdue(since + timedelta(hours=71)) == {"incidents": 0, "complaints": 0}
    assert escalate_overdue(since + timedelta(hours=100)) == {"incidents": 2, "complaints": 0}
    incident_a1.refresh_from_db()
    assert incident_a1.level == "severe"
    assert incident_a1.level_since == since + timedelta(hours=96)
    rises = list(incident_a1.steps.filter(kind="escalated"))
    assert [(s.level, s.at - since, s.by) for s in rises] == [
        ("serious", timedelta(hours=72), "system"),
        ("severe", timedelta(hours=96), "system"),
    ]
    assert "not resolved within 72 hours" in rises[0].action
    records = history(target=incident_a1).filter(action="complaints.incident_escalate")
    assert {r.username for r in records} == {"system"}
    # 严重 has nowhere to rise; running again changes nothing.
    assert escalate_overdue(since + timedelta(days=30)) == {"incidents": 0, "complaints": 0}
    incident_b1.refresh_from_db()
    assert incident_b1.level == "severe" and not incident_b1.escalated


def test_escalate_overdue_leaves_resolved_incidents(incident_a1, user_township_a):
    incidents.resolve_incident(user_township_a, incident_a1, "已平息")
    since = incident_a1.level_since
    assert escalate_overdue(since + timedelta(hours=200))["incidents"] == 0


def test_escalate_overdue_refers_overdue_complaints_once(
    complaint_a1, overdue_a1, user_township_a, today
):
    now = timezone.now()
    assert escalate_overdue(now) == {"incidents": 0, "complaints": 1}
    overdue_a1.refresh_from_db()
    assert overdue_a1.escalated_to == "county_office"
    step = overdue_a1.steps.get()
    assert step.kind == "escalated" and step.by == "system"
    assert "not answered by the deadline" in step.action
    assert escalate_overdue(now) == {"incidents": 0, "complaints": 0}
    complaint_a1.refresh_from_db()
    assert complaint_a1.escalated_to == ""


# The panel


def test_attention_by_area(
    cycle,
    complaint_a1,
    overdue_a1,
    complaint_b1,
    incident_a1,
    incident_b1,
    user_county_admin,
    user_township_a,
    user_township_b,
    user_committee_a1,
    user_observer,
    user_without_role,
):
    county = attention(user_county_admin, cycle)
    assert grades(county) == [
        ("incident", "黄兴村", "severe"),
        ("complaint", "金茶村", "overdue"),
    ]
    assert county[0].url == f"/cycles/{cycle.pk}/incidents/{incident_b1.pk}/"
    assert "county leading group" in county[0].why
    assert "5 days past the answer deadline" in county[1].why
    assert grades(attention(user_observer, cycle)) == grades(county)
    # A 严重 incident of township B is the county's and B's, not A's.
    assert grades(attention(user_township_a, cycle)) == [("complaint", "金茶村", "overdue")]
    assert grades(attention(user_township_b, cycle)) == [("incident", "黄兴村", "severe")]
    assert grades(attention(user_committee_a1, cycle)) == [("complaint", "金茶村", "overdue")]
    assert attention(user_without_role, cycle) == []


def test_attention_follows_escalation_and_closing(
    cycle, complaint_a1, overdue_a1, incident_a1, user_township_a
):
    assert grades(attention(user_township_a, cycle)) == [("complaint", "金茶村", "overdue")]
    incidents.escalate_incident(user_township_a, incident_a1)
    register.escalate_complaint(user_township_a, complaint_a1)
    items = attention(user_township_a, cycle)
    assert grades(items) == [
        ("incident", "金茶村", "serious"),
        ("complaint", "金茶村", "overdue"),
        ("complaint", "金茶村", "referred"),
    ]
    assert "escalated from general" in items[0].why
    register.close_complaint(user_township_a, overdue_a1, "unsubstantiated")
    incidents.resolve_incident(user_township_a, incident_a1, "已处置")
    assert grades(attention(user_township_a, cycle)) == [("complaint", "金茶村", "referred")]


# Counts


def test_counts_by_type(
    cycle,
    county,
    township_a,
    township_b,
    village_a1,
    complaint_a1,
    overdue_a1,
    complaint_b1,
    user_township_a,
    today,
):
    register.register_complaint(
        user_township_a,
        cycle,
        township_a,
        type="bribery",
        received_on=today,
        channel="letter",
        summary="街道层面反映",
    )
    all_types = [t.value for t in ComplaintType]
    total = counts_by_type(cycle, county)
    assert list(total) == all_types
    assert (total["bribery"], total["voter_registration"], total["threats"]) == (2, 1, 1)
    assert sum(total.values()) == 4
    a = counts_by_type(cycle, township_a)
    assert (a["bribery"], a["threats"], sum(a.values())) == (2, 0, 3)
    assert sum(counts_by_type(cycle, village_a1).values()) == 2
    below = counts_by_type_below(cycle, county)
    assert list(below) == [township_a.code, township_b.code]
    assert sum(below[township_a.code].values()) == 3
    # The parts add up to the total, type by type.
    assert {t: sum(part[t] for part in below.values()) for t in all_types} == total
    in_a = counts_by_type_below(cycle, township_a)
    assert list(in_a) == [township_a.code, village_a1.code]
    assert in_a[township_a.code]["bribery"] == 1
