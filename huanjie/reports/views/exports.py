"""Pages of the reports: exports."""

urlpatterns = []
