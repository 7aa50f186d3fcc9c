"""The cycles part of the JSON API: cycles, elections, timelines, sign-off, profiles.

Reads are cut to the user's scope like the pages. Changes go through
``huanjie.cycles.services`` — the same checks against the rules core and the same
audit records as the web forms — and a refusal by a rule comes back as 400 with the
rule's message (see ``huanjie.api``).
"""

from datetime import date
from fractions import Fraction
from typing import Annotated, Any

from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from huanjie.accounts import permissions
from huanjie.cycles import services
from huanjie.cycles.models import Election
from huanjie.cycles.profiles import display_value, effective_profile, overrides_for
from huanjie.cycles.timeline import place_timeline
from huanjie.cycles.views import cycles_for
from huanjie.places.api import PlaceRef, scoped_place
from huanjie.places.models import Place
from huanjie.rules import profiles, seats

router = Router(tags=["cycles"])


# Schemas


class CycleOut(Schema):
    id: int
    name: str
    term_number: int
    starts_on: date
    ends_on: date
    profile: str
    profile_title: str
    county: PlaceRef

    @staticmethod
    def resolve_profile_title(obj) -> str:
        return profiles.PROFILES[obj.profile].title


class OfficeOut(Schema):
    key: str
    title: str
    seats: int
    rank: int


class ElectionOut(Schema):
    id: int
    cycle: int
    place: PlaceRef
    body: str
    body_title: str
    election_day: date | None
    offices: list[OfficeOut]

    @staticmethod
    def resolve_cycle(obj) -> int:
        return obj.cycle_id

    @staticmethod
    def resolve_body_title(obj) -> str:
        return seats.Body(obj.body).title_zh


class FindingOut(Schema):
    code: str
    section: str
    level: str
    message_zh: str
    message_en: str
    params: dict[str, Any]


class ElectionDetail(ElectionOut):
    findings: list[FindingOut]

    @staticmethod
    def resolve_findings(obj) -> list:
        """What the rules core says about the seats as they stand (DOMAIN §2, §5.3)."""
        profile = effective_profile(obj.cycle, obj.place)
        layout = {o.key: o.seats for o in obj.offices.all()}
        return seats.check_seats(seats.Body(obj.body), layout, profile)


class ElectionPatch(Schema):
    """Fields left out are not changed; ``"election_day": null`` clears the day."""

    election_day: date | None = None
    seats: dict[str, Annotated[int, Field(ge=0, le=99)]] | None = None


class StepOut(Schema):
    key: str
    title_zh: str
    title_en: str
    section: str
    phase: str
    optional: bool
    due: date | None
    status: str
    overdue: bool
    late: bool
    signed_off_by: str | None
    done_on: date | None
    note: str


class TimelineOut(Schema):
    cycle: int
    place: PlaceRef
    election_day: date | None
    done: int
    total: int
    percent: int
    steps: list[StepOut]


class SignOffIn(Schema):
    done_on: date | None = None
    note: str = ""
    not_needed: bool = False


class ParameterValue(Schema):
    name: str
    title_zh: str | None
    title_en: str | None
    section: str | None
    value: Any
    display: str
    overridden: bool


class ProfileOut(Schema):
    cycle: int
    place: PlaceRef
    profile: str
    title: str
    values: list[ParameterValue]


# Lookups within the user's scope


def scoped_cycle(request, cycle_id: int):
    cycle = next((c for c in cycles_for(request.user) if c.pk == cycle_id), None)
    if cycle is None:
        raise Http404
    return cycle


def scoped_election(request, election_id: int) -> Election:
    election = get_object_or_404(
        Election.objects.select_related("place", "cycle").prefetch_related("offices"),
        pk=election_id,
    )
    permissions.require(request.user, permissions.VIEW, election.place)
    return election


def electing_place(request, cycle, code: str) -> Place:
    place = scoped_place(request, code)
    if not place.is_electing or not cycle.county.contains(place):
        raise Http404
    return place


def _step(row) -> dict:
    record = row.record
    finished = record is not None and row.finished
    return {
        "key": row.rule.key,
        "title_zh": row.rule.title_zh,
        "title_en": row.rule.title_en,
        "section": row.rule.section,
        "phase": row.rule.phase,
        "optional": row.rule.optional,
        "due": row.due,
        "status": row.status,
        "overdue": row.overdue,
        "late": row.late,
        "signed_off_by": (
            record.signed_off_by.get_username() if finished and record.signed_off_by else None
        ),
        "done_on": record.done_on if finished else None,
        "note": record.note if record else "",
    }


def _json_value(value):
    """A profile value as JSON: fractions as "1/3", ranges as [3, 7]."""
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, tuple):
        return list(value)
    return value


# Endpoints


@router.get("/cycles", response=list[CycleOut])
def list_cycles(request):
    """The cycles of the county of the user's area."""
    permissions.require(request.user, permissions.VIEW)
    return cycles_for(request.user)


@router.get("/cycles/{id}", response=CycleOut)
def get_cycle(request, id: int):
    return scoped_cycle(request, id)


@router.get("/cycles/{id}/elections", response=list[ElectionOut])
@paginate(LimitOffsetPagination, max_limit=500)
def list_elections(request, id: int, place: str | None = None):
    """The elections of a cycle in the user's area, or below ``place`` (a code)."""
    cycle = scoped_cycle(request, id)
    top = scoped_place(request, place) if place else permissions.scope_of(request.user)
    return (
        Election.objects.filter(cycle=cycle, place__code__startswith=top.prefix)
        .select_related("place")
        .prefetch_related("offices")
        .order_by("place__code", "body")
    )


@router.get("/elections/{id}", response=ElectionDetail)
def get_election(request, id: int):
    return scoped_election(request, id)


@router.patch("/elections/{id}", response=ElectionDetail)
def patch_election(request, id: int, payload: ElectionPatch):
    """Set the election day and/or the seats of offices. Both are saved or neither."""
    election = scoped_election(request, id)
    permissions.require(request.user, permissions.EDIT_ELECTIONS, election.place)
    with transaction.atomic():
        if (
            "election_day" in payload.model_fields_set
            and payload.election_day != election.election_day
        ):
            services.set_election_day(request.user, election, payload.election_day)
        if payload.seats:
            current = {o.key: o.seats for o in election.offices.all()}
            changed = {k: v for k, v in payload.seats.items() if current.get(k) != v}
            if changed:
                services.set_seats(request.user, election, changed)
    return scoped_election(request, id)


@router.get("/cycles/{id}/places/{code}/timeline", response=TimelineOut)
def get_timeline(request, id: int, code: str):
    cycle = scoped_cycle(request, id)
    place = electing_place(request, cycle, code)
    tl = place_timeline(cycle, place)
    done, total = tl.progress
    return {
        "cycle": cycle.pk,
        "place": place,
        "election_day": tl.election_day,
        "done": done,
        "total": total,
        "percent": tl.percent,
        "steps": [_step(row) for row in tl.rows],
    }


@router.post("/cycles/{id}/places/{code}/steps/{key}/sign-off", response=StepOut)
def sign_off(request, id: int, code: str, key: str, payload: SignOffIn):
    """Sign off a step as done (or an optional one as not needed), as on the timeline."""
    cycle = scoped_cycle(request, id)
    place = electing_place(request, cycle, code)
    services.sign_off(
        request.user,
        cycle,
        place,
        key,
        done_on=payload.done_on,
        note=payload.note,
        not_needed=payload.not_needed,
    )
    row = next(r for r in place_timeline(cycle, place).rows if r.rule.key == key)
    return _step(row)


@router.get("/cycles/{id}/places/{code}/profile", response=ProfileOut)
def get_profile(request, id: int, code: str):
    """Every parameter value that applies to a place: the cycle's profile with the
    county's overrides on the place and above it (DOMAIN §12)."""
    cycle = scoped_cycle(request, id)
    place = scoped_place(request, code)
    if not cycle.county.contains(place):
        raise Http404
    overrides = overrides_for(cycle, place)
    overridden = {o.parameter for o in overrides}
    profile = effective_profile(cycle, place, overrides)
    values = []
    for name, value in profiles.profile_values(profile):
        parameter = profiles.BY_NAME.get(name)
        values.append(
            {
                "name": name,
                "title_zh": parameter.title_zh if parameter else None,
                "title_en": parameter.title_en if parameter else None,
                "section": parameter.section if parameter else None,
                "value": _json_value(value),
                "display": display_value(value),
                "overridden": name in overridden
                or (name.startswith("plan.") and "plan" in overridden),
            }
        )
    return {
        "cycle": cycle.pk,
        "place": place,
        "profile": profile.key,
        "title": profile.title,
        "values": values,
    }
