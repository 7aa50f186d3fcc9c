"""Conflicts pages: the people who qualify in more than one community of the user's
area (不重登, DOMAIN §4), and the township's — or, across townships, the county's —
decision on where each is registered.

The decision is carried out and audited by :func:`huanjie.voters.conflicts.resolve`;
these views list, show and pass the choice on.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huanjie.accounts import permissions
from huanjie.audit.trail import history
from huanjie.cycles.services import RuleViolation
from huanjie.cycles.views import scoped_cycle, scoped_place
from huanjie.places.models import Kind
from huanjie.rules.identity import mask_id
from huanjie.voters import conflicts
from huanjie.voters.models import Conflict

PAGE_SIZE = 50
STATUSES = ("open", "resolved", "all")


def rows(user, cycle, found) -> list[dict]:
    """Conflicts as the pages show them: masked number, each community with its name
    and category, which one registers the person and which roll lists them."""
    places = conflicts.places_of(found)
    listed = conflicts.listed_in(cycle, [c.id_number for c in found])
    resolver = permissions.can(user, permissions.RESOLVE_CONFLICTS)
    decided = [(c, conflicts.can_resolve(user, c, places)) for c in found]
    return [
        {
            "conflict": c,
            "masked": mask_id(c.id_number),
            "options": conflicts.options(c, places, listed.get(c.id_number)),
            "can_resolve": can,
            # may resolve conflicts, but this one reaches beyond the user's area
            "beyond": resolver and not can,
        }
        for c, can in decided
    ]


def visible_conflict(request, cycle, conflict_id: int) -> Conflict:
    """A conflict of the cycle with at least one community in the user's scope."""
    conflict = get_object_or_404(Conflict, cycle=cycle, pk=conflict_id)
    scope = permissions.scope_of(request.user)
    if not any(code.startswith(scope.prefix) for code in conflicts.codes_of(conflict)):
        raise Http404
    return conflict


def conflict_list(request, pk):
    """Conflicts within the user's area, or within ``?place=CODE``; open ones by
    default (``?status=resolved`` or ``all``)."""
    cycle = scoped_cycle(request, pk)
    code = request.GET.get("place")
    place = scoped_place(request, code) if code else permissions.scope_of(request.user)
    if place.kind == Kind.GROUP:
        raise Http404
    status = request.GET.get("status", "open")
    if status not in STATUSES:
        status = "open"
    found = conflicts.within(cycle, place, None if status == "all" else status)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = f"place={place.code}&status={status}"
    return render(
        request,
        "voters/conflicts.html",
        {
            "cycle": cycle,
            "place": place,
            "status": status,
            "statuses": [
                ("open", _("Open")),
                ("resolved", _("Resolved")),
                ("all", _("All")),
            ],
            "page": page,
            "rows": rows(request.user, cycle, list(page.object_list)),
            "query": query,
            "next": f"{request.path}?{query}&page={page.number}",
        },
    )


def conflict_detail(request, pk, conflict):
    cycle = scoped_cycle(request, pk)
    found = visible_conflict(request, cycle, conflict)
    (row,) = rows(request.user, cycle, [found])
    return render(
        request,
        "voters/conflict.html",
        {"cycle": cycle, "row": row, "c": found, "records": history(target=found)[:20]},
    )


@require_POST
def resolve(request, pk, conflict):
    """Register the person in the community chosen in the form."""
    cycle = scoped_cycle(request, pk)
    found = visible_conflict(request, cycle, conflict)
    try:
        done = conflicts.resolve(
            request.user, found, request.POST.get("code", ""), request.POST.get("note", "")
        )
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("%(name)s is registered in %(place)s.")
            % {"name": done.name, "place": _place_name(done)},
        )
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect("conflict", pk=cycle.pk, conflict=found.pk)


def _place_name(conflict: Conflict) -> str:
    places = conflicts.places_of([conflict])
    code = conflict.registered_code
    return places[code].name if code in places else code


urlpatterns = [
    path("cycles/<int:pk>/voters/conflicts/", conflict_list, name="conflicts"),
    path("cycles/<int:pk>/voters/conflicts/<int:conflict>/", conflict_detail, name="conflict"),
    path(
        "cycles/<int:pk>/voters/conflicts/<int:conflict>/resolve/",
        resolve,
        name="conflict-resolve",
    ),
]
