"""Pages of the candidates, one module of views per part of the work: the place's
candidates and their findings, the nomination meeting, the review queues of the
departments, the party committee's 两推一选."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from huanjie.accounts import permissions
from huanjie.audit.trail import history
from huanjie.cycles.models import Election
from huanjie.cycles.services import RuleViolation
from huanjie.cycles.views import scoped_cycle, scoped_place
from huanjie.voters.views.notices import form_date

__all__ = ["PREFIX", "form_date", "form_int", "page_query", "place_election", "place_history"]

PREFIX = "cycles/<int:pk>/places/<str:code>/candidates/"


def place_election(request, pk, code, election_id, capability=permissions.VIEW):
    """(cycle, place, election) of a URL, in the user's scope and with ``capability``."""
    cycle = scoped_cycle(request, pk)
    place = scoped_place(request, code, capability)
    if not place.is_electing:
        raise Http404
    election = get_object_or_404(
        Election.objects.select_related("cycle", "place"), pk=election_id, cycle=cycle, place=place
    )
    return cycle, place, election


def form_int(value, field: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise RuleViolation(_("%(field)s must be a whole number.") % {"field": field}) from None


def place_history(place):
    return history(place=place).filter(action__startswith="candidates.")[:20]


def page_query(request) -> str:
    """The request's filters without its page number, for the links to other pages."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
