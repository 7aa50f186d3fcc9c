"""Pages of the reports: progress — the weekly report (每周一报告) of a place or a
township, printable and as a Word document, and the view of the places that are late
and why (DOMAIN §10).

The reports are read from the timelines by :mod:`huanjie.reports.progress`; the views
read the week and the filters and show the answer.
"""

from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from huanjie.accounts import permissions
from huanjie.candidates.views import form_date, page_query
from huanjie.cycles.services import RuleViolation
from huanjie.cycles.timeline import localized
from huanjie.cycles.views import scoped_cycle, scoped_place
from huanjie.documents import charts
from huanjie.reports import progress
from huanjie.reports.summary import progress_chart
from huanjie.rules import timeline as rules

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def chosen_day(request):
    """The day whose week is asked for (``week``, any day of it); today when absent or
    mistyped — a mistyped week says so."""
    today = timezone.localdate()
    try:
        return form_date(request.GET.get("week", "").strip(), today)
    except RuleViolation as exc:
        messages.error(request, _("Week: %(problem)s") % {"problem": exc})
        return today


def report_place(request, pk, code):
    """(cycle, place) of a place's weekly report: a village or community of the cycle."""
    cycle = scoped_cycle(request, pk)
    place = scoped_place(request, code)
    if not place.is_electing or not cycle.county.contains(place):
        raise Http404
    return cycle, place


def report_township(request, pk, code):
    """(cycle, township) of a township's weekly report: a township or street."""
    cycle = scoped_cycle(request, pk)
    township = scoped_place(request, code)
    if township.kind not in progress.TOWNSHIP_KINDS or not cycle.county.contains(township):
        raise Http404
    return cycle, township


def _weeks(report) -> dict:
    return {
        "previous_week": report.start - timedelta(days=7),
        "next_week": report.start + timedelta(days=7),
        "this_week": report.start <= timezone.localdate() <= report.end,
    }


@require_safe
def weekly_place(request, pk, code):
    """A place's week: overdue steps first, then the steps finished (who signed off,
    when), the steps due next week and the notes."""
    cycle, place = report_place(request, pk, code)
    report = progress.weekly_place(request.user, cycle, place, chosen_day(request))
    context = {"cycle": cycle, "place": place, "report": report, **_weeks(report)}
    return render(request, "reports/weekly_place.html", context)


@require_safe
def weekly_township(request, pk, code):
    """A township's week: a line per place with the totals, late places first, and
    each late place's overdue steps."""
    cycle, township = report_township(request, pk, code)
    report = progress.weekly_township(request.user, cycle, township, chosen_day(request))
    context = {"cycle": cycle, "township": township, "report": report, **_weeks(report)}
    return render(request, "reports/weekly_township.html", context)


def _docx_response(report, name: str) -> HttpResponse:
    response = HttpResponse(progress.weekly_docx(report), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_safe
def weekly_place_docx(request, pk, code):
    cycle, place = report_place(request, pk, code)
    report = progress.weekly_place(request.user, cycle, place, chosen_day(request))
    return _docx_response(report, f"weekly-{place.code}-{report.start:%Y%m%d}.docx")


@require_safe
def weekly_township_docx(request, pk, code):
    cycle, township = report_township(request, pk, code)
    report = progress.weekly_township(request.user, cycle, township, chosen_day(request))
    return _docx_response(report, f"weekly-{township.code}-{report.start:%Y%m%d}.docx")


@require_safe
def late(request, pk):
    """Which places are late and why: the townships with their late places counted, and
    the late places with their overdue steps, the furthest behind first, filtered by
    township, step and name or code."""
    cycle = scoped_cycle(request, pk)
    permissions.require(request.user, permissions.VIEW)
    township = None
    if request.GET.get("township"):
        township = scoped_place(request, request.GET["township"])
    step = request.GET.get("step", "")
    if step and step not in rules.BY_KEY:
        messages.error(request, _("Step: there is no step %(key)s.") % {"key": step})
        step = ""
    q = request.GET.get("q", "").strip()
    found = progress.late_places(request.user, cycle, township=township, step=step, q=q)
    context = {
        "cycle": cycle,
        "scope": permissions.scope_of(request.user),
        "townships": found.townships,
        "late_total": sum(line["late_places"] for line in found.townships),
        "overdue_total": found.overdue_total,
        "found": len(found.places),
        "page": Paginator(found.places, 50).get_page(request.GET.get("page")),
        "page_query": page_query(request),
        "township": township,
        "step": step,
        "q": q,
        "steps": [(s.key, localized(s.title_zh, s.title_en)) for s in rules.STEPS],
        "localized": localized,
    }
    if not request.htmx:
        chart = progress_chart(
            found.progress,
            _("Progress over time: checklist steps, cumulative"),
            due=_("Due"),
            done=_("Done"),
            no_data=_("No data yet"),
        )
        context["chart"] = mark_safe(charts.svg(chart))  # charts.svg escapes every text
    template = "reports/progress_late_rows.html" if request.htmx else "reports/progress_late.html"
    return render(request, template, context)


PLACE = "cycles/<int:pk>/places/<str:code>/weekly"
TOWNSHIP = "cycles/<int:pk>/townships/<str:code>/weekly"

urlpatterns = [
    path(f"{PLACE}/", weekly_place, name="weekly-place"),
    path(f"{PLACE}.docx", weekly_place_docx, name="weekly-place-docx"),
    path(f"{TOWNSHIP}/", weekly_township, name="weekly-township"),
    path(f"{TOWNSHIP}.docx", weekly_township_docx, name="weekly-township-docx"),
    path("cycles/<int:pk>/late/", late, name="progress-late"),
]
