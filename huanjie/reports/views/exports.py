"""Pages of the reports: the exports of a place, a township or the county — the roll,
the candidates and the results as XLSX — and the page that links them.

The rows are the service's (:mod:`huanjie.reports.exports`). Reading needs VIEW in
scope; the roll's and candidates' ID numbers are whole only for those who keep the
roll there (REGISTER_VOTERS), as on a voter's own page, and masked for the others.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from huanjie.accounts import permissions
from huanjie.reports import civil_form, exports
from huanjie.reports.models import PreviousMember
from huanjie.reports.views.previous import cycle_scope

PREFIX = "cycles/<int:pk>/places/<str:code>/exports/"


def full_ids(request, place) -> bool:
    """Whole ID numbers for who keeps the roll in ``place``."""
    return permissions.can(request.user, permissions.REGISTER_VOTERS, place)


def _file(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=exports.XLSX)
    # Named in Chinese whatever the page language: the files go up to the township
    # and the county with the other reports.
    response.headers["Content-Disposition"] = content_disposition_header(True, name)
    return response


def page(request, pk, code):
    """What can be exported for the place, the township or the county."""
    cycle, place = cycle_scope(request, pk, code)
    roll_places = exports.roll_places(place)
    return render(
        request,
        "reports/exports.html",
        {
            "cycle": cycle,
            "place": place,
            "roll": bool(roll_places),
            "roll_places": len(roll_places),
            "full_ids": full_ids(request, place),
            "previous": PreviousMember.objects.filter(
                cycle=cycle, place__code__startswith=place.prefix
            ).count(),
            "below": place.children.exclude(kind="group").order_by("code")
            if not place.is_electing
            else [],
        },
    )


def roll(request, pk, code):
    """The roll of a village or community, or of every place of a township."""
    cycle, place = cycle_scope(request, pk, code)
    if not exports.roll_places(place):
        raise Http404
    data = exports.roll_xlsx(cycle, place, full_ids=full_ids(request, place))
    return _file(data, f"选民名单-{place.name}.xlsx")


def candidates(request, pk, code):
    """The candidates of the 两委 elections of the place, township or county."""
    cycle, place = cycle_scope(request, pk, code)
    data = exports.candidates_xlsx(cycle, place, full_ids=full_ids(request, place))
    return _file(data, f"候选人-{place.name}.xlsx")


def results(request, pk, code):
    """The votes and their results of the place, township or county."""
    cycle, place = cycle_scope(request, pk, code)
    return _file(exports.results_xlsx(cycle, place), f"选举结果-{place.name}.xlsx")


@require_GET
def civil(request, pk, code):
    """The civil-affairs form (民主选举情况统计表) of the place, township or county."""
    cycle, place = cycle_scope(request, pk, code)
    return _file(civil_form.workbook(cycle, place), f"民主选举情况统计-{place.name}.xlsx")


urlpatterns = [
    path(PREFIX, page, name="reports-exports"),
    path(f"{PREFIX}roll.xlsx", roll, name="reports-exports-roll"),
    path(f"{PREFIX}candidates.xlsx", candidates, name="reports-exports-candidates"),
    path(f"{PREFIX}results.xlsx", results, name="reports-exports-results"),
    path(f"{PREFIX}civil-form.xlsx", civil, name="reports-civil-form"),
]
