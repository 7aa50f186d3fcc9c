"""Pages of the reports: previous."""

urlpatterns = []
