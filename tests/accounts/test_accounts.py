import pytest
from django.contrib.auth.models import User
from django.http import Http404
from django.urls import reverse

from huanjie.accounts import services
from huanjie.audit.models import Record

PASSWORD = "village-office-2026"


def test_county_admin_gives_a_township_account(client_for, user_county_admin, township_a):
    client = client_for(user_county_admin)
    page = client.post(
        reverse("accounts"),
        {
            "username": "xingsha",
            "full_name": "李明",
            "kind": "township_staff",
            "place": township_a.code,
            "password": PASSWORD,
        },
    )
    assert page.status_code == 302
    user = User.objects.get(username="xingsha")
    assert user.role.place == township_a and user.check_password(PASSWORD)
    assert Record.objects.get().action == "account.create"
    listing = client.get(reverse("accounts"), {"q": "李"})
    assert [r.user.username for r in listing.context["page"]] == ["xingsha"]


def test_weak_passwords_and_taken_names_are_refused(user_county_admin, township_a):
    with pytest.raises(services.AccountError):
        services.create_account(
            user_county_admin,
            username="a",
            full_name="",
            kind="observer",
            place=township_a,
            password="123",
        )
    with pytest.raises(services.AccountError):
        services.create_account(
            user_county_admin,
            username="county_admin",
            full_name="",
            kind="observer",
            place=township_a,
            password=PASSWORD,
        )
    assert not Record.objects.exists()


def test_only_county_admins_manage_accounts_and_only_in_scope(
    client_for, user_township_a, user_county_admin, township_b
):
    assert client_for(user_township_a).get(reverse("accounts")).status_code == 403
    with pytest.raises(Http404):
        services.create_account(
            user_township_a,
            username="x",
            full_name="",
            kind="observer",
            place=township_b,
            password=PASSWORD,
        )


def test_withdrawn_accounts_cannot_log_in(client_for, user_county_admin, user_observer):
    client_for(user_county_admin).post(reverse("account-active", args=[user_observer.pk]))
    user_observer.refresh_from_db()
    assert not user_observer.is_active
    assert Record.objects.get().after == {"active": False}
    with pytest.raises(services.AccountError):
        services.set_active(user_county_admin, user_county_admin, False)
