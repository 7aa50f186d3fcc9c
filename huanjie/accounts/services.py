"""Accounts are given out by county admins, each with one role over a subtree of their
own scope; giving and withdrawing one is recorded like any other change."""

from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from huanjie.accounts import permissions
from huanjie.accounts.models import Role, RoleKind
from huanjie.audit.trail import record


class AccountError(Exception):
    pass


@transaction.atomic
def create_account(actor, *, username, full_name, kind, place, password, department=""):
    permissions.require(actor, permissions.EDIT_PLACES, place)
    if kind not in RoleKind.values:
        raise AccountError(_("Unknown role: %(kind)s") % {"kind": kind})
    if not username.strip():
        raise AccountError(_("Give a username."))
    if User.objects.filter(username=username).exists():
        raise AccountError(_("The username %(name)s is taken.") % {"name": username})
    try:
        validate_password(password)
    except ValidationError as exc:
        raise AccountError(" ".join(exc.messages)) from exc
    user = User.objects.create_user(username, password=password, first_name=full_name)
    Role.objects.create(user=user, kind=kind, place=place, department=department)
    record(
        actor,
        "account.create",
        user,
        after={"username": username, "role": kind, "place": place.code, "department": department},
        place=place,
    )
    return user


@transaction.atomic
def set_active(actor, user, active: bool):
    """Withdraw an account (or give it back): accounts are never deleted, because the
    audit trail names them."""
    role = Role.objects.select_related("place").get(user=user)
    permissions.require(actor, permissions.EDIT_PLACES, role.place)
    if user == actor:
        raise AccountError(_("You cannot withdraw your own account."))
    before = {"active": user.is_active}
    user.is_active = active
    user.save(update_fields=["is_active"])
    record(actor, "account.active", user, before=before, after={"active": active}, place=role.place)
    return user
