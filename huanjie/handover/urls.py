"""Pages: handover and archive."""

urlpatterns = []
