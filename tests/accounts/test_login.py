import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk():
    return User.objects.create_user("clerk", password="correct horse battery")


def attempt(client, password):
    return client.post(reverse("login"), {"username": "clerk", "password": password})


def test_passwords_are_hashed_with_argon2(clerk):
    assert clerk.password.startswith("argon2")


def test_login_works(clerk):
    client = Client()
    assert attempt(client, "correct horse battery").status_code == 302


def test_five_failures_lock_the_account_even_with_the_right_password(clerk):
    client = Client()
    for _ in range(5):
        assert attempt(client, "wrong").status_code == 200
    page = attempt(client, "correct horse battery")
    assert page.status_code == 200
    assert "_auth_user_id" not in client.session


def test_pages_need_a_login():
    page = Client().get(reverse("dashboard"))
    assert page.status_code == 302 and page["Location"].startswith("/login/")


def test_sessions_expire_after_idle_time(settings):
    assert settings.SESSION_COOKIE_AGE <= 3600 and settings.SESSION_SAVE_EVERY_REQUEST
