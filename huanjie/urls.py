from django.contrib.auth import views as auth_views
from django.urls import include, path

from huanjie.accounts.views import LoginView
from huanjie.api import api

urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("places/", include("huanjie.places.urls")),
    path("audit/", include("huanjie.audit.urls")),
    path("accounts/", include("huanjie.accounts.urls")),
    path("", include("huanjie.voters.urls")),
    path("", include("huanjie.candidates.urls")),
    path("", include("huanjie.polling.urls")),
    path("", include("huanjie.party.urls")),
    path("", include("huanjie.reports.urls")),
    path("", include("huanjie.complaints.urls")),
    path("", include("huanjie.handover.urls")),
    path("", include("huanjie.public.urls")),
    path("", include("huanjie.cycles.urls")),
]
