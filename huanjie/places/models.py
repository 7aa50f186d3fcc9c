"""Places (地区/单位): county → township/street → village/community → group (DOMAIN §1).

A place is identified by its 12-digit statistical area code (统计用区划代码). The code
is hierarchical, so the *prefix* of a place — its code without the trailing zeros of
the levels below it — selects its whole subtree with one indexed ``startswith``. Role
scopes and, on PostgreSQL, partitions are both cut along that prefix.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County/district")
    TOWNSHIP = "township", _("Township")
    STREET = "street", _("Street")
    VILLAGE = "village", _("Village")
    COMMUNITY = "community", _("Community")
    GROUP = "group", _("Villager/resident group")


# Digits of the area code that a place of each kind determines (GB/T 10114 levels).
PREFIX_LENGTH = {
    Kind.PROVINCE: 2,
    Kind.CITY: 4,
    Kind.COUNTY: 6,
    Kind.TOWNSHIP: 9,
    Kind.STREET: 9,
    Kind.VILLAGE: 12,
    Kind.COMMUNITY: 12,
    Kind.GROUP: 15,
}

# The prefix lengths, shortest first: the levels of the hierarchy.
LEVELS = sorted(set(PREFIX_LENGTH.values()))


def codes_above(prefix: str, start: int = 0) -> list[str]:
    """The codes of the places above a prefix, top down, from the level of ``start``
    digits: 430121001201 → 430000000000, 430100000000, 430121000000, 430121001000.
    Area codes are hierarchical, so these follow from the code alone."""
    return [prefix[:n].ljust(12, "0") for n in LEVELS if start <= n < len(prefix)]


# Which kinds may stand directly below which.
CHILD_KINDS = {
    Kind.PROVINCE: {Kind.CITY},
    Kind.CITY: {Kind.COUNTY},
    Kind.COUNTY: {Kind.TOWNSHIP, Kind.STREET},
    Kind.TOWNSHIP: {Kind.VILLAGE, Kind.COMMUNITY},
    Kind.STREET: {Kind.VILLAGE, Kind.COMMUNITY},
    Kind.VILLAGE: {Kind.GROUP},
    Kind.COMMUNITY: {Kind.GROUP},
    Kind.GROUP: set(),
}

# Places that hold their own "两委" elections.
ELECTING_KINDS = (Kind.VILLAGE, Kind.COMMUNITY)


class PlaceQuerySet(models.QuerySet):
    def within(self, place):
        """The place and everything below it."""
        return self.filter(code__startswith=place.prefix)

    def electing(self):
        return self.filter(kind__in=ELECTING_KINDS)


class Place(models.Model):
    code = models.CharField(_("area code"), max_length=15, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children"
    )
    population = models.PositiveIntegerField(_("population"), default=0)
    households = models.PositiveIntegerField(_("households"), default=0)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("place")
        verbose_name_plural = _("places")

    def __str__(self):
        return self.name

    @property
    def prefix(self) -> str:
        return self.code[: PREFIX_LENGTH[self.kind]]

    @property
    def is_electing(self) -> bool:
        return self.kind in ELECTING_KINDS

    def contains(self, other) -> bool:
        return other.code.startswith(self.prefix)

    def ancestors(self):
        """From the top down to the parent, in one query."""
        return list(Place.objects.filter(code__in=codes_above(self.prefix)).order_by("code"))

    def township(self):
        if self.kind in (Kind.TOWNSHIP, Kind.STREET):
            return self
        return next((p for p in self.ancestors() if p.kind in (Kind.TOWNSHIP, Kind.STREET)), None)
