"""Pages of the candidates, one module of views per part of the work."""

from huanjie.candidates.views import meeting, party, place, reviews

urlpatterns = [
    *place.urlpatterns,
    *meeting.urlpatterns,
    *reviews.urlpatterns,
    *party.urlpatterns,
]
