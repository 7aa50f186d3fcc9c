"""Pages of the party elections: plenary."""

urlpatterns = []
