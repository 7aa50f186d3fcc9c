"""Party organisations of each place and their members (DOMAIN §2 item 3, §8)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    class Kind(models.TextChoices):
        BRANCH = "branch", _("Party branch (党支部)")
        GENERAL_BRANCH = "general_branch", _("General branch (党总支)")
        COMMITTEE = "committee", _("Party committee (党委)")

    place = models.ForeignKey("places.Place", models.PROTECT, related_name="party_organisations")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    def __str__(self):
        return self.name


class Member(models.Model):
    class Status(models.TextChoices):
        FULL = "full", _("Full member (正式党员)")
        PROBATIONARY = "probationary", _("Probationary member (预备党员)")

    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="members")
    resident = models.OneToOneField(
        "voters.Resident", models.PROTECT, related_name="party_membership"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    joined_on = models.DateField(_("joined on"))
    under_probation_sanction = models.BooleanField(
        _("under probation sanction (留党察看)"), default=False
    )
    suspended = models.BooleanField(_("suspended (detained/arrested)"), default=False)

    def __str__(self):
        return f"{self.resident} ({self.get_status_display()})"
