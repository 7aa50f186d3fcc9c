from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.utils.translation import gettext as _

from huanjie.accounts import throttle


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


class LoginView(auth_views.LoginView):
    """Django's login, refusing to even check a password while the user or the
    address is locked out after repeated failures."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")
        address = client_address(request)
        if throttle.is_locked(username, address):
            messages.error(request, _("Too many failed logins. Try again in 15 minutes."))
            return self.get(request, *args, **kwargs)
        response = super().post(request, *args, **kwargs)
        if request.user.is_authenticated:
            throttle.clear(username, address)
        else:
            throttle.record_failure(username, address)
        return response
