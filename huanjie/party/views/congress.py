"""Pages of the party elections: congress."""

urlpatterns = []
