"""Statistics of the cycle (DOMAIN §11), their consistency checks, the exports and
the progress reports.

The statistics are computed from the records and never typed, with one exception:
the previous term, which the system did not run. Its committees are imported from the
townships' lists (:class:`PreviousMember`), so that the new committees can be compared
with them ("comparable with the previous term", re-elected vs new).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huanjie.rules.seats import Body
from huanjie.voters.models import Education, Sex

#: The bodies whose previous members are imported: the "两委" (DOMAIN §2).
PREVIOUS_BODIES = (Body.VILLAGERS_COMMITTEE, Body.RESIDENTS_COMMITTEE, Body.PARTY_COMMITTEE)


class PreviousMember(models.Model):
    """A member of a committee of the previous term in a village or community, as the
    township's list gives them. ``cycle`` is the cycle that replaces that term;
    ``office`` is a key of :data:`huanjie.rules.seats.OFFICES` of the body. Sex and birth
    date come from the ID number, as for residents."""

    cycle = models.ForeignKey(
        "cycles.Cycle", models.CASCADE, related_name="previous_members", db_index=False
    )
    place = models.ForeignKey("places.Place", models.PROTECT, related_name="previous_members")
    body = models.CharField(
        _("body"), max_length=30, choices=[(b.value, b.title_zh) for b in PREVIOUS_BODIES]
    )
    office = models.CharField(_("office"), max_length=30)
    name = models.CharField(_("name"), max_length=50)
    id_number = models.CharField(_("ID number"), max_length=18)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    education = models.CharField(
        _("education"), max_length=20, choices=Education.choices, blank=True
    )
    ethnicity = models.CharField(_("ethnicity"), max_length=20, default="汉族")
    party_member = models.BooleanField(_("party member"), default=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        ordering = ["place__code", "body", "id"]
        indexes = [models.Index(fields=["cycle", "id_number"])]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "place", "body", "id_number"], name="one_previous_seat_per_body"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.get_body_display()} {self.office})"
