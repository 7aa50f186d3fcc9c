"""Pages of election day, one module of views per part of the work: the place's polls,
the stations with their scrutineers and mobile boxes and the proxies, the check-in
desks, the count and its results."""

from django.shortcuts import get_object_or_404

from huanjie.accounts import permissions
from huanjie.candidates.views import form_date, form_int, page_query, place_election
from huanjie.polling.models import Poll

__all__ = ["PREFIX", "form_date", "form_int", "page_query", "place_election", "place_poll"]

PREFIX = "cycles/<int:pk>/places/<str:code>/polling/"


def place_poll(request, pk, code, election_id, poll_id, capability=permissions.VIEW):
    """(cycle, place, election, poll) of a URL, in the user's scope and with
    ``capability``."""
    cycle, place, election = place_election(request, pk, code, election_id, capability)
    poll = get_object_or_404(Poll, pk=poll_id, election=election)
    poll.election = election
    return cycle, place, election, poll
