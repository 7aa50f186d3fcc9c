"""The rule profile that applies to a place: the cycle's profile with the county's
overrides applied from the top of the tree down to the place (DOMAIN §12)."""

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from huanjie.rules import profiles
from huanjie.rules.kinship import Kinship


def _relation(value: str) -> str:
    if value not in Kinship._value2member_map_:
        return value
    kinship = Kinship(value)
    return kinship.title_zh if (get_language() or "zh").startswith("zh") else kinship.title_en


def applicable(overrides, place) -> list:
    """Of a cycle's overrides, those set on the place or above it, the higher place
    first, so that the nearer setting wins."""
    found = (o for o in overrides if place.code.startswith(o.place.prefix))
    return sorted(found, key=lambda o: len(o.place.prefix))


def overrides_for(cycle, place) -> list:
    return applicable(cycle.overrides.select_related("place"), place)


def effective_profile(cycle, place, overrides=None) -> profiles.Profile:
    if overrides is None:
        overrides = overrides_for(cycle, place)
    profile = profiles.PROFILES[cycle.profile]
    for override in overrides:
        profile = profiles.apply_overrides(profile, {override.parameter: override.value})
    return profile


def display_value(value: object) -> str:
    """A parameter value as text for a page, in the user's language: 1/3, 3–7, yes/no,
    配偶、父母 (the relations a proxy may be)."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if value is None:
        return _("not set")
    if isinstance(value, tuple) and all(isinstance(v, str) for v in value):
        separator = "、" if (get_language() or "zh").startswith("zh") else ", "
        return separator.join(_relation(v) for v in value)
    if isinstance(value, tuple):
        return f"{value[0]}–{value[1]}"
    return str(value)
