"""Who a user is in the election work, and over which places (DOMAIN §1)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleKind(models.TextChoices):
    COUNTY_ADMIN = "county_admin", _("County admin")
    TOWNSHIP_STAFF = "township_staff", _("Township staff")
    COMMITTEE_MEMBER = "committee_member", _("Election committee member")
    REVIEWER = "reviewer", _("Review department")
    OBSERVER = "observer", _("Observer")


class Role(models.Model):
    """A user's role, scoped to the subtree of one place."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="role")
    kind = models.CharField(_("role"), max_length=20, choices=RoleKind.choices)
    place = models.ForeignKey("places.Place", models.PROTECT, related_name="+")
    department = models.CharField(_("department"), max_length=50, blank=True)

    def __str__(self):
        return f"{self.get_kind_display()} · {self.place}"
