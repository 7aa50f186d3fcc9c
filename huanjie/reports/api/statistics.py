"""API of the reports: the statistics of DOMAIN §11 — the same figures as the page, for
the user's scope or a township, county or place in it, with the places whose numbers
disagree (:mod:`huanjie.reports.checks`).

Counts are whole numbers; each breakdown is a mapping of its keys (``unknown`` where the
records do not say) that adds up to its total; rates are given as decimals (None where
the base is zero) beside the counts they come from.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from ninja import Router
from pydantic import BaseModel

from huanjie.accounts import permissions
from huanjie.cycles.api import scoped_cycle
from huanjie.cycles.timeline import localized
from huanjie.places.api import scoped_place
from huanjie.places.models import Kind
from huanjie.reports import checks, statistics
from huanjie.reports.views.statistics import summary_response, within_cycle
from huanjie.rules import statistics as rules
from huanjie.rules.complaints import ComplaintType
from huanjie.voters.models import Category

router = Router()


class PlaceRef(BaseModel):
    code: str
    name: str
    kind: str


class RatesOut(BaseModel):
    """The rates of §11 as decimals of the counts beside them; None without a base."""

    turnout: float | None
    party_turnout: float | None
    first_time_success: float | None
    women_share: float | None
    college_share: float | None
    party_share: float | None
    dual_head: float | None
    cross_appointment: float | None
    re_elected_share: float | None
    average_age: float | None


class FiguresOut(BaseModel):
    places: int
    registered: int
    registered_by_category: dict[str, int]
    supplementary: int
    nomination_places: int
    nomination_roll: int
    nomination_present: int
    nominees: int
    candidates: int
    women_candidates: int
    voted: int
    proxies: int
    proxy_votes: int
    mobile_box_votes: int
    assisted: int
    party_due: int
    party_present: int
    voting_places: int
    first_time_success: int
    runoff_places: int
    rerun_places: int
    seats: int
    elected: int
    sex: dict[str, int]
    age_band: dict[str, int]
    education: dict[str, int]
    party: dict[str, int]
    ethnicity: dict[str, int]
    term: dict[str, int]
    previous_places: int
    age_total: int
    aged: int
    secretaries: int
    secretaries_under_35: int
    secretaries_under_40: int
    directors: int
    directors_under_35: int
    directors_under_40: int
    dual_head_places: int
    two_committee_members: int
    cross_appointed: int
    disqualified: int
    disqualified_by_item: dict[str, int]
    complaints: int
    complaints_by_type: dict[str, int]
    rates: RatesOut


class RowOut(BaseModel):
    place: PlaceRef
    figures: FiguresOut


class FindingOut(BaseModel):
    code: str
    section: str
    level: str
    message: str
    params: dict[str, Any]


class DisagreementOut(BaseModel):
    place: PlaceRef
    findings: list[FindingOut]


class StatisticsOut(BaseModel):
    """``rows`` are the townships below a county, or the places below a township (the
    place itself for a village or community); ``places`` every village and community,
    with ``?places=true``."""

    cycle: int
    within: PlaceRef
    level: str
    total: FiguresOut
    rows: list[RowOut]
    places: list[RowOut] | None
    #: Complaints registered at a township or county office, by type (in no row).
    office_complaints: dict[str, int]
    disagreements: list[DisagreementOut]


def _decimal(rate) -> float | None:
    return None if rate is None else round(float(rate), 4)


_CATEGORIES = tuple(Category.values)
_TYPES = tuple(t.value for t in ComplaintType)


def figures_out(f: rules.Figures, bands) -> dict:
    """The figures as the API gives them: every count, each breakdown in full (the age
    bands, the education categories and both party keys even when zero, ``unknown``
    last) and the rates."""
    return {
        **{name: getattr(f, name) for name in rules.COUNTS},
        "registered_by_category": {k: f.registered_by_category[k] for k in _CATEGORIES},
        "sex": {k: f.sex[k] for k in ("M", "F", rules.UNKNOWN)},
        "age_band": {k: f.age_band[k] for k in (*(b.key for b in bands), rules.UNKNOWN)},
        "education": {k: f.education[k] for k in (*rules.EDUCATION, rules.UNKNOWN)},
        "party": {k: f.party[k] for k in (rules.PARTY_MEMBER, rules.NOT_PARTY_MEMBER)},
        "ethnicity": dict(f.ethnicity.most_common()),
        "term": {k: f.term[k] for k in (rules.RE_ELECTED, rules.NEW)},
        "disqualified_by_item": dict(sorted(f.disqualified_by_item.items())),
        "complaints_by_type": _by_type(f.complaints_by_type),
        "rates": {
            "turnout": _decimal(f.turnout),
            "party_turnout": _decimal(f.party_turnout),
            "first_time_success": _decimal(f.first_time_success_rate),
            "women_share": _decimal(f.women_share),
            "college_share": _decimal(f.college_share),
            "party_share": _decimal(f.party_share),
            "dual_head": _decimal(f.dual_head_rate),
            "cross_appointment": _decimal(f.cross_appointment_rate),
            "re_elected_share": _decimal(f.re_elected_share),
            "average_age": _decimal(f.average_age),
        },
    }


def _by_type(counts) -> dict[str, int]:
    return {t: counts[t] for t in _TYPES}


def _place(place) -> dict:
    return {"code": place.code, "name": place.name, "kind": place.kind}


def _row(row, bands) -> dict:
    return {"place": _place(row.place), "figures": figures_out(row.figures, bands)}


def _answer(cycle, within, with_places: bool) -> dict:
    report = statistics.cached(cycle, within)
    return {
        "cycle": cycle.pk,
        "within": _place(within),
        "level": report.level,
        "total": figures_out(report.total, report.bands),
        "rows": [_row(r, report.bands) for r in report.rows],
        "places": [_row(r, report.bands) for r in report.places] if with_places else None,
        "office_complaints": _by_type(report.office_complaints),
        "disagreements": [
            {
                "place": _place(d.place),
                "findings": [
                    {
                        "code": f.code,
                        "section": f.section,
                        "level": f.level,
                        "message": localized(f.message_zh, f.message_en),
                        "params": f.params,
                    }
                    for f in d.findings
                ],
            }
            for d in checks.disagreements(report)
        ],
    }


@router.get("/cycles/{id}/statistics", response=StatisticsOut)
def scope_statistics(request, id: int, places: bool = False):
    """The statistics of DOMAIN §11 for the user's scope: a row per township (county)
    or per village and community (township)."""
    cycle = scoped_cycle(request, id)
    scope = permissions.scope_of(request.user)
    permissions.require(request.user, permissions.VIEW, scope)
    return _answer(cycle, within_cycle(cycle, scope), places)


@router.get("/cycles/{id}/places/{code}/statistics", response=StatisticsOut)
def place_statistics(request, id: int, code: str, places: bool = False):
    """The statistics of DOMAIN §11 for a county, township, village or community in
    the user's scope."""
    cycle = scoped_cycle(request, id)
    place = scoped_place(request, code)
    if place.kind == Kind.GROUP:
        raise Http404
    return _answer(cycle, within_cycle(cycle, place), places)


@router.get("/cycles/{id}/places/{code}/statistics/summary.docx")
def summary_docx(request, id: int, code: str):
    """The work summary (工作总结) of a township or county in the user's scope: the
    基本情况 written with the figures above, their tables and charts, as a Word
    document."""
    cycle = scoped_cycle(request, id)
    place = scoped_place(request, code)
    if place.kind == Kind.GROUP:
        raise Http404
    return summary_response(cycle, within_cycle(cycle, place))
