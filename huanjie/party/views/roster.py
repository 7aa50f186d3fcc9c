"""Pages of the party elections: roster (not written yet)."""

from django.http import Http404
from django.urls import path


def party_place(request, pk, code):
    raise Http404


def party_roster(request, pk, code):
    raise Http404


urlpatterns = [
    path("cycles/<int:pk>/places/<str:code>/party/", party_place, name="party_place"),
    path("cycles/<int:pk>/places/<str:code>/party/members/", party_roster, name="party_roster"),
]
