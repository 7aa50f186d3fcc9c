"""Pages: statistics and reports."""

urlpatterns = []
