"""Pages of the party elections: plenary (not written yet)."""

from django.http import Http404
from django.urls import path


def party_plenary(request, pk, code, election_id):
    raise Http404


urlpatterns = [
    path(
        "cycles/<int:pk>/places/<str:code>/party/<int:election_id>/plenary/",
        party_plenary,
        name="party_plenary",
    ),
]
