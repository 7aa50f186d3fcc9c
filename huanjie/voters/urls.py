"""Pages of voter registration, one module of views per part of the work."""

from huanjie.voters.views import conflicts, imports, notices, objections, rolls, statistics

urlpatterns = [
    *imports.urlpatterns,
    *rolls.urlpatterns,
    *conflicts.urlpatterns,
    *notices.urlpatterns,
    *objections.urlpatterns,
    *statistics.urlpatterns,
]
