"""Pages of the party elections: congress (not written yet)."""

from django.http import Http404
from django.urls import path


def party_congress(request, pk, code, election_id):
    raise Http404


urlpatterns = [
    path(
        "cycles/<int:pk>/places/<str:code>/party/<int:election_id>/congress/",
        party_congress,
        name="party_congress",
    ),
]
