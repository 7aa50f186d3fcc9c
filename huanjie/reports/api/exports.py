"""API of the reports: the roll, the candidates and the results of a place, a
township or the county as XLSX files, as on the exports page. ID numbers are whole
only for those who keep the roll in the place (register_voters)."""

from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header
from ninja import Router

from huanjie.accounts import permissions
from huanjie.reports import civil_form, exports
from huanjie.reports.api.previous import _scope

router = Router()


def _file(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=exports.XLSX)
    response.headers["Content-Disposition"] = content_disposition_header(True, name)
    return response


def _full(request, place) -> bool:
    return permissions.can(request.user, permissions.REGISTER_VOTERS, place)


@router.get("/cycles/{id}/places/{code}/exports/roll.xlsx", response={200: None})
def roll(request, id: int, code: str):
    """The roll (listed voters) of a village or community, or of a township's places."""
    cycle, place = _scope(request, id, code)
    if not exports.roll_places(place):
        raise Http404
    data = exports.roll_xlsx(cycle, place, full_ids=_full(request, place))
    return _file(data, f"选民名单-{place.name}.xlsx")


@router.get("/cycles/{id}/places/{code}/exports/candidates.xlsx", response={200: None})
def candidates(request, id: int, code: str):
    """The candidates of the 两委 elections within the place."""
    cycle, place = _scope(request, id, code)
    data = exports.candidates_xlsx(cycle, place, full_ids=_full(request, place))
    return _file(data, f"候选人-{place.name}.xlsx")


@router.get("/cycles/{id}/places/{code}/exports/results.xlsx", response={200: None})
def results(request, id: int, code: str):
    """The votes and the votes per person of the 两委 elections within the place."""
    cycle, place = _scope(request, id, code)
    return _file(exports.results_xlsx(cycle, place), f"选举结果-{place.name}.xlsx")


@router.get("/cycles/{id}/places/{code}/exports/civil-form.xlsx", response={200: None})
def civil(request, id: int, code: str):
    """The civil-affairs form (民主选举情况统计表): a row per village or community, a
    subtotal per township and the total, from the statistics of the cycle."""
    cycle, place = _scope(request, id, code)
    return _file(civil_form.workbook(cycle, place), f"民主选举情况统计-{place.name}.xlsx")
