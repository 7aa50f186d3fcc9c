"""Pages of the reports: statistics."""

urlpatterns = []
