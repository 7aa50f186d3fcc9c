"""What needs someone's attention: complaints past their answer deadline or referred up,
and open incidents at 较重/严重 or that have risen (DOMAIN §10); and the run that
raises what has waited too long.

Each item goes to the people it is reported to, within their area: 较重 and 严重
incidents reach the township leading group and the county (``Level.reported_to``), and
overdue complaints are referred to the county office
(:data:`huanjie.rules.complaints.OVERDUE_COMPLAINT_TO`), which the township that has
them watches too. So a county user sees every such item of the county, a township
user those of the township, a committee those of its place. The dashboard shows the list with
``complaints/_attention.html``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from huanjie.accounts import permissions
from huanjie.complaints import register
from huanjie.complaints.fields import title
from huanjie.complaints.incidents import incidents_within, rise
from huanjie.complaints.models import Complaint, Incident
from huanjie.rules import complaints as rules

#: Order on the panel: the gravest first.
_ORDER = {"severe": 0, "serious": 1, "overdue": 2, "referred": 3}


@dataclass(frozen=True)
class Item:
    """One line of the panel. ``grade``: severe or serious (an incident's level now),
    overdue or referred (a complaint past its deadline, or referred up in time)."""

    kind: str  # "complaint" or "incident"
    pk: int
    place: object
    grade: str
    title: str
    why: str
    since: date | datetime
    url: str


def _complaint_item(c: Complaint, today: date) -> Item:
    late = rules.days_overdue(c.deadline, today)
    if late:
        why = _("%(days)s days past the answer deadline (%(deadline)s)") % {
            "days": late,
            "deadline": c.deadline.isoformat(),
        }
    else:
        why = _("referred to the %(to)s") % {"to": title(rules.Recipient(c.escalated_to))}
    return Item(
        kind="complaint",
        pk=c.pk,
        place=c.place,
        grade="overdue" if late else "referred",
        title=_("Complaint no. %(number)s · %(type)s")
        % {"number": c.number, "type": title(c.type_rule)},
        why=why,
        since=c.deadline,
        url=reverse("complaint", args=[c.cycle_id, c.pk]),
    )


def _incident_item(i: Incident) -> Item:
    level = i.level_rule
    to = "、".join(title(r) for r in level.reported_to)
    why = _("%(level)s, reported to the %(to)s") % {"level": title(level), "to": to}
    if i.escalated:
        why += " · " + _("escalated from %(level)s") % {
            "level": title(rules.Level(i.reported_level))
        }
    return Item(
        kind="incident",
        pk=i.pk,
        place=i.place,
        grade=level.value,
        title=_("Incident at %(place)s") % {"place": i.place.name},
        why=why,
        since=i.occurred_at,
        url=reverse("incident", args=[i.cycle_id, i.pk]),
    )


def attention(user, cycle, *, today: date | None = None, limit: int = 50) -> list[Item]:
    """The complaints and incidents of ``cycle`` that need ``user``'s attention, the
    gravest first: empty for a user who may not read."""
    scope = permissions.scope_of(user)
    if scope is None or not permissions.can(user, permissions.VIEW):
        return []
    today = today or timezone.localdate()
    complaints = register.complaints_within(cycle, scope).filter(
        Q(deadline__lt=today) | ~Q(escalated_to=""), closed_on__isnull=True
    )
    # Escalation only raises, so every incident to show is at 较重 or 严重 now, and
    # both reach the county.
    incidents = incidents_within(cycle, scope).filter(resolved_at__isnull=True)
    incidents = incidents.exclude(level=rules.Level.GENERAL)
    items = [_complaint_item(c, today) for c in complaints] + [
        _incident_item(i)
        for i in incidents
        if rules.needs_attention(i.level_rule, i.escalated, i.is_resolved)
    ]
    items.sort(key=lambda it: (_ORDER[it.grade], str(it.since), it.place.code))
    return items[:limit]


def escalate_overdue(now: datetime | None = None, *, cycle=None) -> dict[str, int]:
    """Raise every open incident that has outlived its level's hours, one level per
    period run out (each rise dated when it fell due), and refer every open complaint
    past its deadline, not yet referred, to the county office. Recorded as steps and in
    the audit trail as the system's. Returns how many of each it did."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    incidents = Incident.objects.filter(resolved_at__isnull=True).exclude(level=rules.Level.SEVERE)
    complaints = Complaint.objects.filter(
        closed_on__isnull=True, deadline__lt=today, escalated_to=""
    )
    if cycle is not None:
        incidents = incidents.filter(cycle=cycle)
        complaints = complaints.filter(cycle=cycle)
    done = {"incidents": 0, "complaints": 0}
    for incident in incidents.select_related("place"):
        with transaction.atomic():
            for e in rules.escalations(incident.level_rule, incident.level_since, now):
                hours = rules.HANDLE_WITHIN_HOURS[e.from_level]
                rise(
                    None,
                    incident,
                    e.due,
                    _("not resolved within %(hours)s hours at %(level)s")
                    % {"hours": hours, "level": title(e.from_level)},
                )
                done["incidents"] += 1
    for complaint in complaints.select_related("place"):
        with transaction.atomic():
            register.refer(
                None,
                complaint,
                today,
                _("not answered by the deadline (%(deadline)s)")
                % {"deadline": complaint.deadline.isoformat()},
            )
            done["complaints"] += 1
    return done
