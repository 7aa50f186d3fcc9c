"""Pages: public pages, open without a login under /public/ (see
huanjie.accounts.middleware.OPEN_PREFIXES)."""

from django.urls import path

from huanjie.public import views

urlpatterns = [
    path("public/", views.places, name="public"),
    path("public/places/<str:code>/", views.place, name="public-place"),
    path("public/notices/<str:source>/<int:pk>.pdf", views.notice, name="public-notice"),
    path("public/check/", views.check, name="public-check"),
]
