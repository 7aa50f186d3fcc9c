"""Statistics of the rolls for a village or community, a township or the county
(DOMAIN §11), on a page and as an XLSX file with the same table.

The counting is :func:`huanjie.voters.statistics.compute`; the page and the file only
lay it out.
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.http import content_disposition_header

from huanjie.rules.eligibility import Category
from huanjie.voters import statistics
from huanjie.voters.views.rolls import cycle_place, reason_label, tab_counts

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def page(request, pk, code):
    cycle, place = cycle_place(request, pk, code)
    stats = statistics.compute(cycle, place)
    return render(
        request,
        "voters/statistics.html",
        {
            "cycle": cycle,
            "place": place,
            "stats": stats,
            "header": statistics.header(stats),
            "table": statistics.table(stats),
            "reasons": [
                (reason_label(reason), wording, n)
                for reason, wording, n in statistics.reasons(stats)
            ],
            "excluded_total": sum(stats.excluded.values()),
            "migrants": stats.total.category[Category.RESIDENT_UNREGISTERED],
            "absent": stats.total.category[Category.REGISTERED_ABSENT],
            "counts": tab_counts(cycle, place) if place.is_electing else None,
            "tab": "statistics",
        },
    )


def download(request, pk, code):
    """The table as 选民登记统计-<place>.xlsx."""
    cycle, place = cycle_place(request, pk, code)
    stats = statistics.compute(cycle, place)
    response = HttpResponse(statistics.workbook(stats, cycle), content_type=XLSX)
    # Named in Chinese whatever the page language: the file goes up to the township
    # and the county with the other reports.
    response.headers["Content-Disposition"] = content_disposition_header(
        True, f"选民登记统计-{place.name}.xlsx"
    )
    return response


urlpatterns = [
    path("cycles/<int:pk>/places/<str:code>/voters/statistics/", page, name="roll-statistics"),
    path(
        "cycles/<int:pk>/places/<str:code>/voters/statistics.xlsx",
        download,
        name="roll-statistics-xlsx",
    ),
]
