"""Pages: complaints and incidents."""

from huanjie.complaints.views import complaints, incidents

urlpatterns = [*complaints.urlpatterns, *incidents.urlpatterns]
