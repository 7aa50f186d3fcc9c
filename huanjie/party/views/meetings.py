"""Pages of the party elections: meetings."""

urlpatterns = []
