"""Pages of the party elections: meetings (not written yet)."""

from django.http import Http404
from django.urls import path


def party_leaves(request, pk, code, election_id):
    raise Http404


def party_meetings(request, pk, code, election_id):
    raise Http404


urlpatterns = [
    path(
        "cycles/<int:pk>/places/<str:code>/party/<int:election_id>/leaves/",
        party_leaves,
        name="party_leaves",
    ),
    path(
        "cycles/<int:pk>/places/<str:code>/party/<int:election_id>/meetings/",
        party_meetings,
        name="party_meetings",
    ),
]
