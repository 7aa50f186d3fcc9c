"""Pages: complaints and incidents."""

urlpatterns = []
