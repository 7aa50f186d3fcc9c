"""Pages of the reports, one module of views per part."""

from huanjie.reports.views import exports, previous, progress, statistics

urlpatterns = [
    *statistics.urlpatterns,
    *previous.urlpatterns,
    *exports.urlpatterns,
    *progress.urlpatterns,
]
