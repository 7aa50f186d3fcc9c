"""API of the reports: progress — the weekly report (每周一报告) of a place or a
township, and the places that are late and why (DOMAIN §10), as the pages show them.

``week`` is any day of the week asked for (Monday–Sunday), this week when left out.
"""

from datetime import date, datetime

from django.http import Http404
from ninja import Query, Router, Schema

from huanjie.cycles.api import electing_place, scoped_cycle
from huanjie.places.api import PlaceRef, scoped_place
from huanjie.reports import progress

router = Router()


class StepRef(Schema):
    key: str
    title_zh: str
    title_en: str


class WeekStepOut(StepRef):
    section: str
    due: date | None
    status: str
    done_on: date | None
    signed_off_by: str | None
    signed_off_at: datetime | None
    late: bool  # finished after its due date
    days_overdue: int  # still pending past its due date, on the report's day
    waits_for: list[StepRef]  # earlier steps not finished (rules.timeline.unmet_requirements)
    note: str


class PlaceWeekOut(Schema):
    place: PlaceRef
    week_start: date
    week_end: date
    as_of: date
    election_day: date | None
    steps_finished: int
    steps_total: int
    percent: int
    late: bool
    days_late: int
    overdue: list[WeekStepOut]  # longest overdue first
    done: list[WeekStepOut]  # finished in the week, by day
    due_next: list[WeekStepOut]  # due in the week after, by due date
    notes: list[WeekStepOut]


class TotalsOut(Schema):
    places: int
    late_places: int
    done: int
    overdue: int
    due_next: int
    steps_finished: int
    steps_total: int
    percent: int


class TownshipWeekOut(Schema):
    cycle: int
    township: PlaceRef
    week_start: date
    week_end: date
    as_of: date
    totals: TotalsOut
    places: list[PlaceWeekOut]  # late places first, the furthest behind at the top


class PlaceReportOut(PlaceWeekOut):
    cycle: int


class TownshipLineOut(Schema):
    township: PlaceRef
    places: int
    late_places: int
    overdue: int
    percent: int


class LatePlaceOut(Schema):
    place: PlaceRef
    township: PlaceRef
    election_day: date | None
    days_late: int
    overdue: list[WeekStepOut]


class LateOut(Schema):
    cycle: int
    townships: list[TownshipLineOut]
    late_places: int  # in the user's area, before the filters
    overdue_steps: int  # in the user's area, before the filters
    count: int  # late places that pass the filters
    offset: int
    limit: int
    places: list[LatePlaceOut]


def _ref(step) -> dict:
    return {"key": step.key, "title_zh": step.title_zh, "title_en": step.title_en}


def _step(row) -> dict:
    record = row.record if row.finished else None
    user = record.signed_off_by if record else None
    return {
        **_ref(row.rule),
        "section": row.rule.section,
        "due": row.due,
        "status": row.status,
        "done_on": record.done_on if record else None,
        "signed_off_by": user.get_username() if user else None,
        "signed_off_at": record.signed_off_at if record else None,
        "late": row.late,
        "days_overdue": row.days_overdue,
        "waits_for": [_ref(s) for s in row.blocked_by],
        "note": row.record.note if row.record else "",
    }


def _place_week(week: progress.PlaceWeek) -> dict:
    finished, total = week.progress
    return {
        "place": week.place,
        "week_start": week.start,
        "week_end": week.end,
        "as_of": week.as_of,
        "election_day": week.timeline.election_day,
        "steps_finished": finished,
        "steps_total": total,
        "percent": week.percent,
        "late": week.late,
        "days_late": week.days_late,
        "overdue": [_step(r) for r in week.overdue],
        "done": [_step(r) for r in week.done],
        "due_next": [_step(r) for r in week.due_next],
        "notes": [_step(r) for r in week.notes],
    }


@router.get("/cycles/{id}/places/{code}/weekly", response=PlaceReportOut)
def weekly_place(request, id: int, code: str, week: date | None = None):
    """The weekly report of a village or community: overdue steps first, the steps
    finished in the week with who signed them off, those due the week after, the
    progress share and the notes."""
    cycle = scoped_cycle(request, id)
    place = electing_place(request, cycle, code)
    report = progress.weekly_place(request.user, cycle, place, week)
    return {"cycle": cycle.pk, **_place_week(report)}


@router.get("/cycles/{id}/townships/{code}/weekly", response=TownshipWeekOut)
def weekly_township(request, id: int, code: str, week: date | None = None):
    """The weekly report of a township or street: every place's report, late places
    first, and the totals of them all."""
    cycle = scoped_cycle(request, id)
    township = scoped_place(request, code)
    if township.kind not in progress.TOWNSHIP_KINDS or not cycle.county.contains(township):
        raise Http404
    report = progress.weekly_township(request.user, cycle, township, week)
    return {
        "cycle": cycle.pk,
        "township": township,
        "week_start": report.start,
        "week_end": report.end,
        "as_of": report.as_of,
        "totals": report.totals,
        "places": [_place_week(w) for w in report.places],
    }


@router.get("/cycles/{id}/late", response=LateOut)
def late(
    request,
    id: int,
    township: str | None = None,
    step: str = "",
    q: str = "",
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0),
):
    """Which places of the user's area are late and why: a line per township with its
    late places counted, and the late places with their overdue steps (due date, days
    late, the steps each waits for), the furthest behind first. ``township`` (a code),
    ``step`` (a step key) and ``q`` (part of a name or the start of a code) narrow the
    places; an unknown step is refused."""
    cycle = scoped_cycle(request, id)
    within = scoped_place(request, township) if township else None
    found = progress.late_places(request.user, cycle, township=within, step=step, q=q.strip())
    return {
        "cycle": cycle.pk,
        "townships": [
            {
                "township": line["place"],
                "places": line["places"],
                "late_places": line["late_places"],
                "overdue": line["overdue"],
                "percent": line["percent"],
            }
            for line in found.townships
        ],
        "late_places": sum(line["late_places"] for line in found.townships),
        "overdue_steps": found.overdue_total,
        "count": len(found.places),
        "offset": offset,
        "limit": limit,
        "places": [
            {
                "place": p.place,
                "township": p.township,
                "election_day": p.timeline.election_day,
                "days_late": p.days_late,
                "overdue": [_step(r) for r in p.overdue],
            }
            for p in found.places[offset : offset + limit]
        ],
    }
