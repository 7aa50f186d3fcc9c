"""Pages of the complaints and the incidents, one module of views per register, and
what they share: the cycle and the object of a URL in the user's area, the choices of
the forms in the user's language."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from huanjie.accounts import permissions
from huanjie.complaints.fields import REGISTER, title
from huanjie.cycles.services import RuleViolation
from huanjie.cycles.views import scoped_cycle, scoped_place
from huanjie.places.models import Kind, Place


def choices(enum) -> list[tuple[str, str]]:
    return [(m.value, title(m)) for m in enum]


def scoped_object(request, pk, model, object_id, capability=permissions.VIEW):
    """(cycle, object) of a URL: an object of the cycle at a place in the user's area
    (404 otherwise), with ``capability`` there (403 without)."""
    cycle = scoped_cycle(request, pk)
    found = get_object_or_404(
        model.objects.select_related("place", "cycle"), pk=object_id, cycle=cycle
    )
    permissions.require(request.user, capability, found.place)
    return cycle, found


def township_filter(request):
    """The township or street of ``?township=CODE`` if in the user's area, else None."""
    code = request.GET.get("township", "").strip()
    if not code:
        return None
    place = scoped_place(request, code)
    return place if place.kind in (Kind.TOWNSHIP, Kind.STREET) else None


def townships_of(scope):
    return (
        Place.objects.within(scope).filter(kind__in=(Kind.TOWNSHIP, Kind.STREET)).order_by("code")
    )


def register_places(user, cycle):
    """The places the user may register a complaint or an incident at: their area within
    the cycle's county, down to the villages and communities."""
    if not permissions.can(user, REGISTER):
        return Place.objects.none()
    return (
        permissions.visible_places(user)
        .filter(code__startswith=cycle.county.prefix)
        .exclude(kind=Kind.GROUP)
        .order_by("code")
    )


def form_moment(value, field: str) -> datetime | None:
    """A day and hour typed in a form (YYYY-MM-DDTHH:MM, as a datetime-local field
    sends it), in the server's time zone; empty means None."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise RuleViolation(
            _("%(field)s must be given as YYYY-MM-DD HH:MM.") % {"field": field}
        ) from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment
