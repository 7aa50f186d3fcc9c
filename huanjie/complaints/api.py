"""Complaints (信访/举报) and incidents in the JSON API (DOMAIN §10): the register of the
user's area with its filters, one complaint with its steps, the handling (steps,
referral, closing, reopening); the incidents with their level, steps, escalation and
resolution; complaints by type for the statistics; and what needs the user's
attention.

The same services as the pages (:mod:`huanjie.complaints.register`,
:mod:`huanjie.complaints.incidents`): a place or an object outside the user's area is
404, a missing capability 403, a refusal by a rule 400 with its message.
"""

from datetime import date, datetime
from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from huanjie.accounts import permissions
from huanjie.complaints import incidents, register
from huanjie.complaints.attention import attention
from huanjie.complaints.counts import counts_by_type, counts_by_type_below
from huanjie.complaints.models import Complaint, Incident
from huanjie.cycles.api import scoped_cycle
from huanjie.places.api import scoped_place
from huanjie.rules import complaints as rules
from huanjie.voters.api import _Mapped

router = Router(tags=["complaints"])

ComplaintTypeName = Literal[tuple(t.value for t in rules.ComplaintType)]  # type: ignore[valid-type]
ChannelName = Literal[tuple(c.value for c in rules.Channel)]  # type: ignore[valid-type]
OutcomeName = Literal[tuple(o.value for o in rules.Outcome)]  # type: ignore[valid-type]
LevelName = Literal[tuple(lv.value for lv in rules.Level)]  # type: ignore[valid-type]


# Schemas


class ComplaintStepOut(Schema):
    kind: str
    on: date
    action: str
    by: str


class ComplaintOut(Schema):
    """A complaint. ``state``: open, overdue or closed; ``days_overdue`` past the
    deadline (for a closed one, how late it was closed); ``escalated_to``: whom it was
    referred to ("" while with the township office)."""

    id: int
    cycle: int
    number: int
    place: str
    place_name: str
    type: ComplaintTypeName
    type_title: str
    received_on: date
    channel: ChannelName
    complainant: str
    anonymous: bool
    summary: str
    deadline: date
    state: str
    days_overdue: int
    escalated_to: str
    outcome: str
    measures: str
    closed_on: date | None


class ComplaintDetail(ComplaintOut):
    steps: list[ComplaintStepOut]


class ComplaintIn(Schema):
    """``place``: the area code of a place of the user's area; ``received_on``: today
    when left out; ``complainant``: empty for an anonymous complaint."""

    place: str
    type: ComplaintTypeName
    channel: ChannelName
    summary: str
    received_on: date | None = None
    complainant: str = ""


class ComplaintPatch(Schema):
    type: ComplaintTypeName | None = None
    channel: ChannelName | None = None
    complainant: str | None = None
    summary: str | None = None


class ComplaintFilters(Schema):
    """``q``: part of the summary, of who sent it or of the place's name, or the number;
    ``state``: open, overdue or closed; ``township``: an area code; ``overdue``: only
    those answered late or past the deadline."""

    q: str = ""
    type: ComplaintTypeName | None = None
    state: Literal["open", "overdue", "closed"] | None = None
    township: str = ""
    overdue: bool = False


class StepIn(Schema):
    action: str
    on: date | None = None
    by: str = ""


class NoteIn(Schema):
    note: str = ""


class CloseIn(Schema):
    outcome: OutcomeName
    measures: str = ""
    closed_on: date | None = None


class ReasonIn(Schema):
    reason: str


class IncidentStepOut(Schema):
    kind: str
    at: datetime
    action: str
    by: str
    level: str


class IncidentOut(Schema):
    """An incident. ``reported_to``: whom its level reaches; ``rises_at``: when it rises
    one level if still unresolved (null at 严重 or once resolved)."""

    id: int
    cycle: int
    place: str
    place_name: str
    level: LevelName
    level_title: str
    reported_level: LevelName
    escalated: bool
    reported_to: list[str]
    level_since: datetime
    rises_at: datetime | None
    occurred_at: datetime
    summary: str
    reported_by: str
    resolved_at: datetime | None
    resolution: str


class IncidentDetail(IncidentOut):
    steps: list[IncidentStepOut]


class IncidentIn(Schema):
    place: str
    level: LevelName
    occurred_at: datetime
    summary: str
    reported_by: str = ""


class IncidentFilters(Schema):
    q: str = ""
    level: LevelName | None = None
    state: Literal["open", "resolved"] | None = None
    township: str = ""


class IncidentStepIn(Schema):
    action: str
    at: datetime | None = None
    by: str = ""


class ResolveIn(Schema):
    resolution: str
    resolved_at: datetime | None = None


class CountsOut(Schema):
    """Complaints by type at ``within`` and below (every type, 0 when none), their
    ``total``, and the same for each area right below it by its code."""

    within: str
    counts: dict[str, int]
    total: int
    below: dict[str, dict[str, int]]


class AttentionOut(Schema):
    kind: str
    id: int
    place: str
    place_name: str
    grade: str
    title: str
    why: str
    url: str


# Helpers


def _complaint(c: Complaint, today: date, steps: bool = False) -> dict:
    answer = {
        "id": c.pk,
        "cycle": c.cycle_id,
        "number": c.number,
        "place": c.place.code,
        "place_name": c.place.name,
        "type": c.type,
        "type_title": rules.ComplaintType(c.type).title_zh,
        "received_on": c.received_on,
        "channel": c.channel,
        "complainant": c.complainant,
        "anonymous": c.is_anonymous,
        "summary": c.summary,
        "deadline": c.deadline,
        "state": register.state(c, today),
        "days_overdue": rules.days_overdue(c.deadline, today, c.closed_on),
        "escalated_to": c.escalated_to,
        "outcome": c.outcome,
        "measures": c.measures,
        "closed_on": c.closed_on,
    }
    if steps:
        answer["steps"] = [
            {"kind": s.kind, "on": s.on, "action": s.action, "by": s.by} for s in c.steps.all()
        ]
    return answer


def _incident(i: Incident, steps: bool = False) -> dict:
    level = i.level_rule
    answer = {
        "id": i.pk,
        "cycle": i.cycle_id,
        "place": i.place.code,
        "place_name": i.place.name,
        "level": i.level,
        "level_title": level.title_zh,
        "reported_level": i.reported_level,
        "escalated": i.escalated,
        "reported_to": [r.value for r in level.reported_to],
        "level_since": i.level_since,
        "rises_at": None if i.is_resolved else rules.escalation_due(level, i.level_since),
        "occurred_at": i.occurred_at,
        "summary": i.summary,
        "reported_by": i.reported_by,
        "resolved_at": i.resolved_at,
        "resolution": i.resolution,
    }
    if steps:
        answer["steps"] = [
            {"kind": s.kind, "at": s.at, "action": s.action, "by": s.by, "level": s.level}
            for s in i.steps.all()
        ]
    return answer


def scoped_complaint(request, id: int, capability: str = permissions.VIEW) -> Complaint:
    found = get_object_or_404(Complaint.objects.select_related("place", "cycle"), pk=id)
    permissions.require(request.user, capability, found.place)
    return found


def scoped_incident(request, id: int, capability: str = permissions.VIEW) -> Incident:
    found = get_object_or_404(Incident.objects.select_related("place", "cycle"), pk=id)
    permissions.require(request.user, capability, found.place)
    return found


def _township(request, code: str):
    return scoped_place(request, code) if code else None


# Complaints


@router.get("/cycles/{id}/complaints", response=list[ComplaintOut])
@paginate(LimitOffsetPagination, max_limit=500)
def list_complaints(request, id: int, filters: Query[ComplaintFilters]):
    """The complaints of the user's area, latest received first."""
    permissions.require(request.user, permissions.VIEW)
    cycle = scoped_cycle(request, id)
    today = timezone.localdate()
    found = register.search(
        register.complaints_within(cycle, permissions.scope_of(request.user)),
        q=filters.q,
        type=filters.type or "",
        state=filters.state or "",
        township=_township(request, filters.township),
        overdue=filters.overdue,
        today=today,
    )
    return _Mapped(found, lambda c: _complaint(c, today))


@router.post("/cycles/{id}/complaints", response={201: ComplaintDetail})
def create_complaint(request, id: int, payload: ComplaintIn):
    """Register a complaint (needs sign_off at the place); its deadline is computed."""
    cycle = scoped_cycle(request, id)
    place = scoped_place(request, payload.place, register.REGISTER)
    today = timezone.localdate()
    c = register.register_complaint(
        request.user,
        cycle,
        place,
        type=payload.type,
        received_on=payload.received_on or today,
        channel=payload.channel,
        summary=payload.summary,
        complainant=payload.complainant,
    )
    return Status(201, _complaint(c, today, steps=True))


@router.get("/complaints/{id}", response=ComplaintDetail)
def get_complaint(request, id: int):
    return _complaint(scoped_complaint(request, id), timezone.localdate(), steps=True)


@router.patch("/complaints/{id}", response=ComplaintDetail)
def patch_complaint(request, id: int, payload: ComplaintPatch):
    """Correct the type, channel, sender or summary (needs edit_elections)."""
    c = register.change_complaint(
        request.user, scoped_complaint(request, id), **payload.dict(exclude_none=True)
    )
    return _complaint(c, timezone.localdate(), steps=True)


@router.post("/complaints/{id}/steps", response={201: ComplaintDetail})
def add_complaint_step(request, id: int, payload: StepIn):
    c = scoped_complaint(request, id)
    register.add_step(request.user, c, payload.action, on=payload.on, by=payload.by)
    return Status(201, _complaint(c, timezone.localdate(), steps=True))


@router.post("/complaints/{id}/escalate", response=ComplaintDetail)
def escalate_complaint(request, id: int, payload: NoteIn):
    """Refer the complaint one step up (county office, then county leading group)."""
    c = scoped_complaint(request, id)
    register.escalate_complaint(request.user, c, payload.note)
    return _complaint(c, timezone.localdate(), steps=True)


@router.post("/complaints/{id}/close", response=ComplaintDetail)
def close_complaint(request, id: int, payload: CloseIn):
    """Close with the outcome; measures are needed when found true, even in part."""
    c = register.close_complaint(
        request.user,
        scoped_complaint(request, id),
        payload.outcome,
        payload.measures,
        closed_on=payload.closed_on,
    )
    return _complaint(c, timezone.localdate(), steps=True)


@router.post("/complaints/{id}/reopen", response=ComplaintDetail)
def reopen_complaint(request, id: int, payload: ReasonIn):
    c = register.reopen_complaint(request.user, scoped_complaint(request, id), payload.reason)
    return _complaint(c, timezone.localdate(), steps=True)


@router.get("/cycles/{id}/complaints/counts", response=CountsOut)
def complaint_counts(request, id: int, within: str = ""):
    """Complaints by type at ``within`` (the user's area when left out) and below."""
    cycle = scoped_cycle(request, id)
    place = scoped_place(request, within) if within else permissions.scope_of(request.user)
    permissions.require(request.user, permissions.VIEW, place)
    counts = counts_by_type(cycle, place)
    return {
        "within": place.code,
        "counts": counts,
        "total": sum(counts.values()),
        "below": counts_by_type_below(cycle, place),
    }


@router.get("/cycles/{id}/attention", response=list[AttentionOut])
def list_attention(request, id: int):
    """Overdue or referred complaints and 较重/严重 incidents of the user's area, the
    gravest first."""
    permissions.require(request.user, permissions.VIEW)
    cycle = scoped_cycle(request, id)
    return [
        {
            "kind": item.kind,
            "id": item.pk,
            "place": item.place.code,
            "place_name": item.place.name,
            "grade": item.grade,
            "title": item.title,
            "why": item.why,
            "url": item.url,
        }
        for item in attention(request.user, cycle)
    ]


# Incidents


@router.get("/cycles/{id}/incidents", response=list[IncidentOut])
@paginate(LimitOffsetPagination, max_limit=500)
def list_incidents(request, id: int, filters: Query[IncidentFilters]):
    permissions.require(request.user, permissions.VIEW)
    cycle = scoped_cycle(request, id)
    found = incidents.search(
        incidents.incidents_within(cycle, permissions.scope_of(request.user)),
        q=filters.q,
        level=filters.level or "",
        state=filters.state or "",
        township=_township(request, filters.township),
    )
    return _Mapped(found, _incident)


@router.post("/cycles/{id}/incidents", response={201: IncidentDetail})
def create_incident(request, id: int, payload: IncidentIn):
    """Report an incident (needs sign_off at the place)."""
    cycle = scoped_cycle(request, id)
    place = scoped_place(request, payload.place, register.REGISTER)
    i = incidents.report_incident(
        request.user,
        cycle,
        place,
        level=payload.level,
        occurred_at=payload.occurred_at,
        summary=payload.summary,
        reported_by=payload.reported_by,
    )
    return Status(201, _incident(i, steps=True))


@router.get("/incidents/{id}", response=IncidentDetail)
def get_incident(request, id: int):
    return _incident(scoped_incident(request, id), steps=True)


@router.post("/incidents/{id}/steps", response={201: IncidentDetail})
def add_incident_step(request, id: int, payload: IncidentStepIn):
    i = scoped_incident(request, id)
    incidents.add_incident_step(request.user, i, payload.action, at=payload.at, by=payload.by)
    return Status(201, _incident(i, steps=True))


@router.post("/incidents/{id}/escalate", response=IncidentDetail)
def escalate_incident(request, id: int, payload: NoteIn):
    i = scoped_incident(request, id)
    incidents.escalate_incident(request.user, i, payload.note)
    return _incident(i, steps=True)


@router.post("/incidents/{id}/resolve", response=IncidentDetail)
def resolve_incident(request, id: int, payload: ResolveIn):
    i = incidents.resolve_incident(
        request.user,
        scoped_incident(request, id),
        payload.resolution,
        resolved_at=payload.resolved_at,
    )
    return _incident(i, steps=True)
