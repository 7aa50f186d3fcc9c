"""Pages of election day, one module of views per part of the work: the place's polls,
the stations with their scrutineers and mobile boxes and the proxies, the check-in
desks, the count and its results."""

from huanjie.candidates.views import form_date, form_int, page_query, place_election

__all__ = ["PREFIX", "form_date", "form_int", "page_query", "place_election"]

PREFIX = "cycles/<int:pk>/places/<str:code>/polling/"
