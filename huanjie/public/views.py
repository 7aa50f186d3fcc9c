"""Pages anyone may open without signing in: the notices each place has posted and
the voter self-check (选民自查).

They live under ``/public/``, the prefix the login middleware lets through
(:mod:`huanjie.accounts.middleware`); every other page still asks for a login.
"""

import logging

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from huanjie.accounts.views import client_address
from huanjie.candidates.views import page_query
from huanjie.places.models import Kind, Place
from huanjie.public import notices, selfcheck, throttle
from huanjie.rules.identity import check_id, mask_id
from huanjie.voters.importer import id_messages

log = logging.getLogger(__name__)

TOWNSHIP_KINDS = (Kind.TOWNSHIP, Kind.STREET)


def places(request):
    """The villages and communities, found by name or area code and by township."""
    found = Place.objects.electing().select_related("parent")
    q = request.GET.get("q", "").strip()
    if q:
        found = found.filter(Q(name__icontains=q) | Q(code__startswith=q))
    townships = Place.objects.filter(kind__in=TOWNSHIP_KINDS).order_by("code")
    township = request.GET.get("township", "")
    if township:
        found = found.filter(parent__code=township)
    page = Paginator(found.order_by("code"), 50).get_page(request.GET.get("page"))
    posted = notices.counts(page.object_list)
    rows = [(place, posted[place.pk]) for place in page.object_list]
    context = {
        "page": page,
        "rows": rows,
        "q": q,
        "township": township,
        "townships": townships,
        "query": page_query(request),
    }
    return render(request, "public/places.html", context)


def place(request, code):
    """What one place has posted in the current cycle, newest first."""
    found = get_object_or_404(Place.objects.electing().select_related("parent"), code=code)
    cycle = notices.current_cycle(found)
    context = {
        "place": found,
        "cycle": cycle,
        "notices": notices.posted(cycle, found) if cycle else [],
    }
    return render(request, "public/place.html", context)


def notice(request, source, pk):
    """A posted notice's PDF, as it was posted; anything else is not found."""
    found = notices.posted_file(source, pk)
    if found is None:
        raise Http404
    posted, where = found
    name = f"{where.name}-{posted.get_kind_display()}-{posted.published_on:%Y%m%d}.pdf"
    return FileResponse(
        posted.file.open("rb"), filename=name.replace("/", "-"), content_type="application/pdf"
    )


@never_cache
@sensitive_post_parameters("name", "id_number")
@require_http_methods(["GET", "POST"])
def check(request):
    """选民自查: name and ID number in, "registered in … under number …" or "not
    registered" out, a limited number of times per address and per ID number."""
    context = {"limit": throttle.limit(), "minutes": throttle.window() // 60}
    if request.method != "POST":
        return render(request, "public/check.html", context)
    name = request.POST.get("name", "").strip()
    number = request.POST.get("id_number", "").strip().upper()
    context["name"] = name
    address = client_address(request)
    waiting = throttle.wait(address, number)
    if waiting:
        minutes = -(-waiting // 60)
        context["error"] = ngettext(
            "Too many checks. Try again in %(minutes)d minute (at most %(limit)d checks in "
            "%(window)d minutes).",
            "Too many checks. Try again in %(minutes)d minutes (at most %(limit)d checks in "
            "%(window)d minutes).",
            minutes,
        ) % {"minutes": minutes, "limit": throttle.limit(), "window": throttle.window() // 60}
        return render(request, "public/check.html", context, status=429)
    throttle.record_try(address, number)
    if not name:
        context["error"] = _("Enter your name as it is on your ID card.")
        return render(request, "public/check.html", context, status=400)
    verdict = check_id(number)
    if not verdict.valid:
        problem = id_messages()[verdict.reason if number else None]
        context["error"] = _("Check the ID number: %(problem)s.") % {"problem": problem}
        return render(request, "public/check.html", context, status=400)
    answer = selfcheck.check(name, verdict.number)
    log.info(
        "self-check from %s for %s: %s",
        address,
        mask_id(verdict.number),
        "registered" if answer.registered else "not registered",
    )
    context["answer"] = answer
    return render(request, "public/check.html", context)
