"""The review queue of each joint-review department (联审, DOMAIN §5.2).

A reviewer sees their own department's queue; township and county staff choose the
department whose answer they enter. Each candidate gets a verdict: clear, or a hit
naming items of the negative list with the evidence. A row is answered in place (htmx)
and a reply sheet that finds nothing on anyone is entered by ticking the rows.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huanjie.accounts import permissions
from huanjie.candidates import review, roster
from huanjie.candidates.models import Candidate
from huanjie.candidates.views import page_query
from huanjie.cycles.services import RuleViolation
from huanjie.cycles.views import current_cycle
from huanjie.rules import negative_list
from huanjie.rules.identity import age_on, mask_id


def _department(request, cycle):
    choices = review.departments_for(request.user, cycle)
    if not choices:
        raise permissions.PermissionDenied
    wanted = request.GET.get("department") or request.POST.get("department")
    if wanted:
        found = next((d for d in choices if str(d.pk) == wanted), None)
        if found is None:
            raise Http404
        return found, choices
    return choices[0], choices


def row_of(candidate, department):
    election = candidate.election
    verdict = next((v for v in candidate.verdicts.all() if v.department_id == department.id), None)
    return {
        "candidate": candidate,
        "office": roster.office_title(election, candidate.office),
        "id_number": mask_id(candidate.resident.id_number),
        "age": age_on(candidate.resident.birth_date, election.election_day)
        if election.election_day
        else None,
        "verdict": verdict,
    }


def queue(request):
    cycle = current_cycle(request)
    if cycle is None:
        raise Http404
    department, choices = _department(request, cycle)
    answered = request.GET.get("tab") == "answered"
    q = request.GET.get("q", "").strip()
    found = review.queue(request.user, department, answered=answered)
    if q:
        found = found.filter(election__place__name__contains=q) | found.filter(
            resident__name__contains=q
        )
    page = Paginator(found.prefetch_related("verdicts"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "candidates/reviews.html",
        {
            "cycle": cycle,
            "department": department,
            "departments": choices,
            "answered": answered,
            "q": q,
            "page": page,
            "page_query": page_query(request),
            "rows": [row_of(c, department) for c in page],
            "negative_list": negative_list.NEGATIVE_LIST,
            "waiting": review.queue(request.user, department).count(),
        },
    )


def _back(department):
    return redirect(f"{reverse('reviews')}?department={department.pk}")


@require_POST
def verdict(request, candidate):
    cycle = current_cycle(request)
    if cycle is None:
        raise Http404
    department, _choices = _department(request, cycle)
    candidate = get_object_or_404(
        Candidate.objects.select_related("resident", "election__place"),
        pk=candidate,
        election__cycle=cycle,
    )
    error = None
    try:
        review.give_verdict(
            request.user,
            candidate,
            department,
            request.POST.get("outcome", ""),
            request.POST.getlist("items"),
            request.POST.get("note", ""),
        )
    except RuleViolation as exc:
        error = str(exc)
    if request.htmx:
        candidate = Candidate.objects.prefetch_related("verdicts").get(pk=candidate.pk)
        return render(
            request,
            "candidates/_review_row.html",
            {
                "r": row_of(candidate, department),
                "department": department,
                "negative_list": negative_list.NEGATIVE_LIST,
                "error": error,
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request, _("Verdict recorded for %(name)s.") % {"name": candidate.resident}
        )
    return _back(department)


@require_POST
def clear_selected(request):
    cycle = current_cycle(request)
    if cycle is None:
        raise Http404
    department, _choices = _department(request, cycle)
    ids = request.POST.getlist("candidate")
    waiting = review.queue(request.user, department).filter(id__in=ids)
    try:
        n = review.clear_all(request.user, department, list(waiting))
        messages.success(
            request,
            _("%(n)d candidates cleared by %(department)s.") % {"n": n, "department": department},
        )
    except RuleViolation as exc:
        messages.error(request, str(exc))
    return _back(department)


urlpatterns = [
    path("reviews/", queue, name="reviews"),
    path("reviews/clear/", clear_selected, name="reviews-clear"),
    path("reviews/<int:candidate>/verdict/", verdict, name="reviews-verdict"),
]
