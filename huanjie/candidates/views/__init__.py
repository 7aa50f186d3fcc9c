"""Pages of the candidates, one module of views per part of the work: the place's
candidates and their findings, the nomination meeting, the review queues of the
departments, the party committee's 两推一选."""

from datetime import date

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from huanjie.accounts import permissions
from huanjie.audit.trail import history
from huanjie.cycles.models import Election
from huanjie.cycles.services import RuleViolation
from huanjie.cycles.views import scoped_cycle, scoped_place

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


def form_date(value, default: date) -> date:
    """A date typed in a form (YYYY-MM-DD); an empty field means ``default``."""
    if not value:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise RuleViolation(_("Dates must be given as YYYY-MM-DD.")) from None


def form_int(value, field: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise RuleViolation(_("%(field)s must be a whole number.") % {"field": field}) from None


def place_history(place):
    return history(place=place).filter(action__startswith="candidates.")[:20]
