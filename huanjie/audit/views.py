from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from huanjie.accounts import permissions
from huanjie.audit.models import Record
from huanjie.places.models import Place


def records(request):
    """The history of everything in the user's scope, newest first, filterable by place,
    user and action."""
    scope = permissions.scope_of(request.user)
    permissions.require(request.user, permissions.VIEW)
    place = scope
    if request.GET.get("place"):
        place = get_object_or_404(Place, code=request.GET["place"])
        permissions.require(request.user, permissions.VIEW, place)
    qs = Record.objects.filter(place_code__startswith=place.prefix).order_by("-seq")
    if request.GET.get("user"):
        qs = qs.filter(username=request.GET["user"])
    if request.GET.get("action"):
        qs = qs.filter(action__startswith=request.GET["action"])
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "audit/records.html", {"place": place, "page": page})
