"""What the complaints and the incidents share: who may register and who handles, and
the checks of the values typed in (place, choices, texts).

Who may do what: the election committee of a place, the township and the county
register complaints and report incidents in their area (``SIGN_OFF``, which every
working role has); handling — steps, referral or escalation, closing — is the
township's and the county's (``EDIT_ELECTIONS``, which the committee has not).
Observers read (``VIEW``); out of a user's area a complaint does not exist (404).
"""

from django.utils.translation import gettext as _

from huanjie.accounts import permissions
from huanjie.cycles.services import RuleViolation
from huanjie.cycles.timeline import localized
from huanjie.places.models import Kind

REGISTER = permissions.SIGN_OFF
HANDLE = permissions.EDIT_ELECTIONS

SUMMARY_MAX = 2000
NAME_MAX = 100


def who(user) -> str:
    """How a user signs a step: their name, else their login."""
    if user is None or not user.is_authenticated:
        return "system"
    return user.get_full_name() or user.get_username()


def check_place(cycle, place) -> None:
    """Complaints and incidents are at a place of the cycle's county down to a village
    or community (a group's are registered at its village)."""
    if not cycle.county.contains(place) or place.kind == Kind.GROUP:
        raise RuleViolation(
            _("%(place)s is not a place of %(cycle)s to register at.")
            % {"place": place.name, "cycle": cycle.name}
        )


def choice(enum, value, field: str):
    """``value`` as a member of ``enum``, or a message naming the field."""
    try:
        return enum(value)
    except ValueError:
        raise RuleViolation(
            _("%(field)s: “%(value)s” is not one of the choices.")
            % {"field": field, "value": value}
        ) from None


def text(value, field: str, limit: int, *, required: bool) -> str:
    """``value`` stripped; refused when required and empty, or longer than ``limit``."""
    found = (value or "").strip()
    if required and not found:
        raise RuleViolation(_("%(field)s is required.") % {"field": field})
    if len(found) > limit:
        raise RuleViolation(
            _("%(field)s is at most %(limit)s characters.") % {"field": field, "limit": limit}
        )
    return found


def title(member) -> str:
    """A rules enum member's title in the user's language."""
    return localized(member.title_zh, member.title_en)
