"""Pages of the reports: progress."""

urlpatterns = []
