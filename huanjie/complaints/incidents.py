"""Incidents of the cycle and their levels (一般/较重/严重, DOMAIN §10).

An incident is reported at a level that says whom it reaches
(:attr:`huanjie.rules.complaints.Level.reported_to`); it is handled in steps and
resolved. One not resolved within its level's hours rises one level — when the user
escalates it, or when :func:`huanjie.complaints.attention.escalate_overdue` runs — and
each rise is a step of its own. The clock of a level starts when the incident is
reported at it, not when it happened: an office cannot handle what it does not know.
Steps taken do not stop the clock; only resolving the incident does, since one still
open after its hours needs the level above.

Who may do what: see :mod:`huanjie.complaints.fields`.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from huanjie.accounts import permissions
from huanjie.audit.trail import record
from huanjie.complaints.fields import (
    HANDLE,
    NAME_MAX,
    REGISTER,
    SUMMARY_MAX,
    check_place,
    choice,
    text,
    who,
)
from huanjie.complaints.models import Incident, IncidentStep
from huanjie.cycles.services import RuleViolation
from huanjie.cycles.timeline import localized
from huanjie.rules import complaints as rules

STATES = ("open", "resolved")


def state_of(i: Incident) -> dict:
    """An incident for the audit trail."""
    return {
        "place": i.place.code,
        "level": i.level,
        "reported_level": i.reported_level,
        "level_since": i.level_since.isoformat(),
        "occurred_at": i.occurred_at.isoformat(),
        "summary": i.summary,
        "reported_by": i.reported_by,
        "resolved_at": i.resolved_at.isoformat() if i.resolved_at else None,
        "resolution": i.resolution,
    }


def _moment(value: datetime | None, now: datetime, field: str) -> datetime:
    value = value or now
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > now:
        raise RuleViolation(_("%(field)s cannot be in the future.") % {"field": field})
    return value


def _require_open(incident: Incident) -> None:
    if incident.is_resolved:
        raise RuleViolation(_("The incident is resolved."))


def _step(user, incident, kind, at, action, by="", level="") -> IncidentStep:
    return IncidentStep.objects.create(
        incident=incident,
        kind=kind,
        at=at,
        action=action,
        by=text(by, _("By"), NAME_MAX, required=False) or who(user),
        level=level,
        user=user if user is not None and user.is_authenticated else None,
    )


@transaction.atomic
def report_incident(
    user,
    cycle,
    place,
    *,
    level: str,
    occurred_at: datetime,
    summary: str,
    reported_by: str = "",
    now: datetime | None = None,
) -> Incident:
    """Record an incident at ``level`` (``complaints.incident_report``); its clock at
    that level starts now."""
    permissions.require(user, REGISTER, place)
    check_place(cycle, place)
    now = now or timezone.now()
    grade = choice(rules.Level, level, _("Level"))
    if occurred_at is None:
        raise RuleViolation(_("Give the day and hour the incident occurred."))
    occurred_at = _moment(occurred_at, now, _("The time it occurred"))
    incident = Incident.objects.create(
        cycle=cycle,
        place=place,
        level=grade.value,
        reported_level=grade.value,
        level_since=now,
        occurred_at=occurred_at,
        summary=text(summary, _("Summary"), SUMMARY_MAX, required=True),
        reported_by=text(reported_by, _("Reported by"), NAME_MAX, required=False) or who(user),
        registered_by=user,
    )
    record(user, "complaints.incident_report", incident, after=state_of(incident), place=place)
    return incident


@transaction.atomic
def add_incident_step(
    user, incident: Incident, action: str, *, at: datetime | None = None, by: str = "", now=None
) -> IncidentStep:
    """Record a step of the handling (``complaints.incident_step``)."""
    permissions.require(user, HANDLE, incident.place)
    _require_open(incident)
    now = now or timezone.now()
    at = _moment(at, now, _("The time of a step"))
    if at < incident.occurred_at:
        raise RuleViolation(_("A step cannot come before the incident occurred."))
    action = text(action, _("Action"), SUMMARY_MAX, required=True)
    step = _step(user, incident, IncidentStep.Kind.ACTION, at, action, by)
    record(
        user,
        "complaints.incident_step",
        incident,
        after={"at": step.at.isoformat(), "action": step.action, "by": step.by},
        place=incident.place,
    )
    return step


def rise(user, incident: Incident, at: datetime, why: str) -> IncidentStep:
    """Raise an open incident one level at ``at``, recorded as a step and in the audit
    trail (``complaints.incident_escalate``); the caller checks who may."""
    above = incident.level_rule.next
    if above is None:
        raise RuleViolation(
            _("The incident is already 严重 (severe) and with the county leading group.")
        )
    before = {"level": incident.level, "level_since": incident.level_since.isoformat()}
    incident.level = above.value
    incident.level_since = at
    incident.save(update_fields=["level", "level_since"])
    to = "、".join(localized(r.title_zh, r.title_en) for r in above.reported_to)
    action = localized(
        f"升级为{above.title_zh}，报{to}", f"escalated to {above.title_en}, to the {to}"
    )
    if why:
        action = f"{action}: {why}"
    step = _step(user, incident, IncidentStep.Kind.ESCALATED, at, action, level=above.value)
    record(
        user,
        "complaints.incident_escalate",
        incident,
        before=before,
        after={"level": above.value, "level_since": at.isoformat(), "why": why},
        place=incident.place,
    )
    return step


@transaction.atomic
def escalate_incident(user, incident: Incident, note: str = "", *, now=None) -> IncidentStep:
    """Raise the incident one level now, with the reason."""
    permissions.require(user, HANDLE, incident.place)
    _require_open(incident)
    note = text(note, _("Note"), SUMMARY_MAX, required=False)
    return rise(user, incident, now or timezone.now(), note)


@transaction.atomic
def resolve_incident(
    user, incident: Incident, resolution: str, *, resolved_at: datetime | None = None, now=None
) -> Incident:
    """Mark the incident resolved, with how (``complaints.incident_resolve``)."""
    permissions.require(user, HANDLE, incident.place)
    _require_open(incident)
    now = now or timezone.now()
    resolved_at = _moment(resolved_at, now, _("The time resolved"))
    if resolved_at < incident.occurred_at:
        raise RuleViolation(_("An incident cannot be resolved before it occurred."))
    before = state_of(incident)
    incident.resolution = text(resolution, _("Resolution"), SUMMARY_MAX, required=True)
    incident.resolved_at = resolved_at
    incident.save()
    _step(user, incident, IncidentStep.Kind.RESOLVED, resolved_at, incident.resolution)
    record(
        user,
        "complaints.incident_resolve",
        incident,
        before=before,
        after=state_of(incident),
        place=incident.place,
    )
    return incident


def incidents_within(cycle, place):
    """The incidents of the cycle at ``place`` and everything below it."""
    return Incident.objects.filter(
        cycle=cycle, place__code__startswith=place.prefix
    ).select_related("place")


def search(found, *, q="", level="", state="", township=None):
    """Narrow incidents by ``q`` (summary, reporter, place), ``level``, ``state`` (open or
    resolved) and ``township`` (a place)."""
    q = (q or "").strip()
    if q:
        found = found.filter(
            Q(summary__contains=q) | Q(reported_by__contains=q) | Q(place__name__contains=q)
        )
    if level in rules.Level._value2member_map_:
        found = found.filter(level=level)
    if state == "open":
        found = found.filter(resolved_at__isnull=True)
    elif state == "resolved":
        found = found.filter(resolved_at__isnull=False)
    if township is not None:
        found = found.filter(place__code__startswith=township.prefix)
    return found
