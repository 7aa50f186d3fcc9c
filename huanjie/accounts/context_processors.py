from huanjie.accounts import permissions


def role(request):
    user = getattr(request, "user", None)
    r = permissions.role_of(user) if user else None
    return {
        "role": r,
        "can_sign_off": bool(r) and permissions.can(user, permissions.SIGN_OFF),
        "can_configure": bool(r) and permissions.can(user, permissions.CONFIGURE_CYCLE),
        "can_edit_places": bool(r) and permissions.can(user, permissions.EDIT_PLACES),
    }
