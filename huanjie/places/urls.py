from django.urls import path

from huanjie.places import views

urlpatterns = [
    path("", views.tree, name="places"),
    path("import/", views.import_places, name="places-import"),
    path("<str:code>/", views.detail, name="place"),
]
