from django.urls import path

from huanjie.cycles import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cycles/new/", views.create_cycle, name="cycle-create"),
    path("cycles/<int:pk>/", views.cycle_detail, name="cycle"),
    path("cycles/<int:pk>/elections/", views.set_up_elections, name="elections-set-up"),
    path(
        "cycles/<int:pk>/places/<str:code>/elections/",
        views.add_election,
        name="election-add",
    ),
    path("cycles/<int:pk>/profile/", views.choose_profile, name="cycle-profile"),
    path("cycles/<int:pk>/overrides/", views.add_override, name="override-add"),
    path("overrides/<int:pk>/delete/", views.delete_override, name="override-delete"),
    path("cycles/<int:pk>/places/<str:code>/timeline/", views.timeline, name="timeline"),
    path(
        "cycles/<int:pk>/places/<str:code>/steps/<str:key>/sign-off/",
        views.sign_off,
        name="step-sign-off",
    ),
    path(
        "cycles/<int:pk>/places/<str:code>/steps/<str:key>/reopen/",
        views.reopen,
        name="step-reopen",
    ),
    path(
        "cycles/<int:pk>/places/<str:code>/steps/<str:key>/documents/",
        views.attach,
        name="step-attach",
    ),
    path("documents/<int:pk>/", views.document, name="document"),
    path("elections/<int:pk>/", views.election_detail, name="election"),
]
