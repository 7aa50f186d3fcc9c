"""The places pages: the tree of the user's area, search, a place's page, the import.

Everything is cut to the user's scope (``huanjie.accounts.permissions``): the tree
starts at the scope's place, search finds nothing outside it, and a place outside it
is "not found". Paths ("长沙县 › 星沙街道 › 某社区") stop at the scope for the same reason.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from huanjie.accounts import permissions
from huanjie.audit.trail import history
from huanjie.cycles.profiles import display_value, effective_profile, overrides_for
from huanjie.cycles.views import cycles_for
from huanjie.party import committees
from huanjie.places import services
from huanjie.places.models import Kind, Place, codes_above
from huanjie.rules import profiles, seats

PAGE_SIZE = 50
SEPARATOR = " › "


def _children(place):
    """The places right below ``place``, each with how many it has below it, so the
    tree only offers to expand a node that has something to show."""
    return place.children.annotate(child_count=Count("children")).order_by("code")


def _paths(places, top) -> dict[str, str]:
    """ "长沙县 › 星沙街道 › 某社区" for each place, from ``top`` down, in one query."""
    wanted = {p.code: codes_above(p.prefix, start=len(top.prefix)) for p in places}
    names = dict(
        Place.objects.filter(code__in={c for codes in wanted.values() for c in codes}).values_list(
            "code", "name"
        )
    )
    by_code = {p.code: p for p in places}
    return {
        code: SEPARATOR.join([names[c] for c in codes if c in names] + [by_code[code].name])
        for code, codes in wanted.items()
    }


def tree(request):
    """The tree from the scope's place down, a node's children loaded when it is opened
    (``?node=CODE``, htmx); with ``q`` or ``kind``, a paginated search instead."""
    permissions.require(request.user, permissions.VIEW)
    scope = permissions.scope_of(request.user)
    node_code = request.GET.get("node")
    if node_code:
        node = get_object_or_404(Place, code=node_code)
        permissions.require(request.user, permissions.VIEW, node)
        return render(request, "places/_children.html", {"children": _children(node)})

    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    if kind not in Kind.values:
        kind = ""
    context = {
        "scope": scope,
        "q": q,
        "kind": kind,
        "kinds": Kind.choices,
        "searching": bool(q or kind),
        "can_import": permissions.can(request.user, permissions.EDIT_PLACES, scope),
    }
    if context["searching"]:
        found = permissions.visible_places(request.user)
        if q:
            found = found.filter(Q(name__icontains=q) | Q(code__startswith=q))
        if kind:
            found = found.filter(kind=kind)
        page = Paginator(found.order_by("code"), PAGE_SIZE).get_page(request.GET.get("page"))
        paths = _paths(page.object_list, scope)
        context["page"] = page
        context["results"] = [(place, paths[place.code]) for place in page.object_list]
    else:
        context["children"] = _children(scope)
    template = "places/_results.html" if request.htmx else "places/tree.html"
    return render(request, template, context)


def _cycles_of(user, place):
    """The cycles a place takes part in now: those of its county that have not ended,
    or, between cycles, the latest one (its results are what the page should show)."""
    cycles = [c for c in cycles_for(user) if c.county.contains(place)]
    today = timezone.localdate()
    current = [c for c in cycles if c.ends_on >= today]
    return current or cycles[:1]


def detail(request, code):
    place = get_object_or_404(Place.objects.select_related("parent"), code=code)
    permissions.require(request.user, permissions.VIEW, place)
    scope = permissions.scope_of(request.user)
    cycles = []
    if place.is_electing:
        for cycle in _cycles_of(request.user, place):
            overrides = overrides_for(cycle, place)
            profile = effective_profile(cycle, place, overrides)
            overridden = {o.parameter for o in overrides}
            cycles.append(
                {
                    "cycle": cycle,
                    "elections": list(
                        cycle.elections.filter(place=place).prefetch_related("offices")
                    ),
                    "profile": profile,
                    "parameters": [
                        (
                            parameter,
                            display_value(getattr(profile, parameter.name)),
                            parameter.name in overridden,
                        )
                        for parameter in profiles.PARAMETERS
                    ],
                    # The party committee in office and the 居/村委会 side by side
                    # (一肩挑, 交叉任职; DOMAIN §2, §11).
                    "two_committees": committees.of_place(cycle, place),
                }
            )
    context = {
        "place": place,
        "ancestors": [a for a in place.ancestors() if scope.contains(a)],
        "children": _children(place),
        "cycles": cycles,
        "records": history(place=place)[:20],
        "can_edit_elections": permissions.can(request.user, permissions.EDIT_ELECTIONS, place),
        "bodies": [(b.value, b.title_zh, b.title_en) for b in seats.Body],
    }
    return render(request, "places/detail.html", context)


def import_places(request):
    """Upload a CSV or XLSX of places. A file with any bad row changes nothing and
    comes back with every problem listed (400), so it can be fixed in one go."""
    permissions.require(request.user, permissions.EDIT_PLACES)
    problems = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose a CSV or XLSX file to import."))
        else:
            outcome = services.import_places(request.user, upload.name, upload.read())
            if outcome.ok:
                messages.success(
                    request,
                    _(
                        "Places imported: %(created)s created, %(updated)s updated, "
                        "%(unchanged)s unchanged."
                    )
                    % {
                        "created": outcome.created,
                        "updated": outcome.updated,
                        "unchanged": outcome.unchanged,
                    },
                )
                return redirect("places")
            problems = outcome.problems
    return render(
        request,
        "places/import.html",
        {"problems": problems},
        status=400 if problems else 200,
    )
