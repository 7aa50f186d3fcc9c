from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huanjie.accounts import permissions, services, throttle
from huanjie.accounts.models import Role, RoleKind
from huanjie.places.models import Place


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
            minutes = settings.LOGIN_LOCKOUT_SECONDS // 60
            messages.error(
                request,
                _("Too many failed logins. Try again in %(minutes)d minutes.")
                % {"minutes": minutes},
            )
            return self.get(request, *args, **kwargs)
        response = super().post(request, *args, **kwargs)
        if request.user.is_authenticated:
            throttle.clear(username, address)
        else:
            throttle.record_failure(username, address)
        return response


def accounts(request):
    """The accounts within the admin's scope, and a form to give out a new one."""
    if not permissions.can(request.user, permissions.EDIT_PLACES):
        raise PermissionDenied
    scope = permissions.scope_of(request.user)
    if request.method == "POST":
        place = get_object_or_404(Place, code=request.POST.get("place", ""))
        try:
            services.create_account(
                request.user,
                username=request.POST.get("username", "").strip(),
                full_name=request.POST.get("full_name", "").strip(),
                kind=request.POST.get("kind", ""),
                place=place,
                password=request.POST.get("password", ""),
                department=request.POST.get("department", "").strip(),
            )
            messages.success(request, _("Account created."))
            return redirect("accounts")
        except services.AccountError as exc:
            messages.error(request, str(exc))
    roles = Role.objects.filter(place__code__startswith=scope.prefix).select_related(
        "user", "place"
    )
    q = request.GET.get("q", "").strip()
    if q:
        roles = roles.filter(Q(user__username__icontains=q) | Q(user__first_name__icontains=q))
    page = Paginator(roles.order_by("place__code", "user__username"), 50).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "kinds": RoleKind.choices, "scope": scope, "form": request.POST}
    return render(request, "accounts/accounts.html", context)


@require_POST
def set_active(request, pk):
    user = get_object_or_404(User, pk=pk)
    try:
        services.set_active(request.user, user, request.POST.get("active") == "1")
        messages.success(request, _("Account updated."))
    except services.AccountError as exc:
        messages.error(request, str(exc))
    return redirect("accounts")
