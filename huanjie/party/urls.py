"""Pages of the party elections, one module of views per part of the work."""

from huanjie.party.views import congress, meetings, plenary, roster

urlpatterns = [
    *roster.urlpatterns,
    *meetings.urlpatterns,
    *plenary.urlpatterns,
    *congress.urlpatterns,
]
