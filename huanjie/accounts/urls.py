from django.urls import path

from huanjie.accounts import views

urlpatterns = [
    path("", views.accounts, name="accounts"),
    path("<int:pk>/active/", views.set_active, name="account-active"),
]
