from django.urls import path

from huanjie.audit import views

urlpatterns = [path("", views.records, name="audit")]
