"""Pages of the party elections: roster."""

urlpatterns = []
