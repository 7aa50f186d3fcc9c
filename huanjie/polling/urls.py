"""Pages of election day, one module of views per part of the work."""

from huanjie.polling.views import checkin, counting, place, results, setup

urlpatterns = [
    *place.urlpatterns,
    *setup.urlpatterns,
    *checkin.urlpatterns,
    *counting.urlpatterns,
    *results.urlpatterns,
]
