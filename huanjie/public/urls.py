"""Pages: public pages."""

urlpatterns = []
