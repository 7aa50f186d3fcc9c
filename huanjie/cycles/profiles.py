"""The rule profile that applies to a place: the cycle's profile with the county's
overrides applied from the top of the tree down to the place (DOMAIN §12)."""

from django.utils.translation import gettext as _

from huanjie.rules import profiles


def overrides_for(cycle, place) -> list:
    """Overrides on the place and its ancestors, the higher place first."""
    codes = [p.code for p in place.ancestors()] + [place.code]
    found = list(cycle.overrides.filter(place__code__in=codes).select_related("place"))
    return sorted(found, key=lambda o: len(o.place.prefix))


def effective_profile(cycle, place, overrides=None) -> profiles.Profile:
    if overrides is None:
        overrides = overrides_for(cycle, place)
    profile = profiles.PROFILES[cycle.profile]
    for override in overrides:
        profile = profiles.apply_overrides(profile, {override.parameter: override.value})
    return profile


def display_value(value: object) -> str:
    """A parameter value as text for a page, in the user's language: 1/3, 3–7, yes/no."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if value is None:
        return _("not set")
    if isinstance(value, tuple):
        return f"{value[0]}–{value[1]}"
    return str(value)
