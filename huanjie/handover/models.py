"""The handover between the outgoing and the new committee and the archive of a
place's cycle (DOMAIN §9).

A handover is one checklist per place and cycle: each item says what is handed over
and is ticked by both sides; the form is then signed by the outgoing and the incoming
side. Who signed is a name on paper; who recorded the signature in the system is the
user, kept beside it. An archive is a ZIP made from what the system holds, kept as
made: making it again gives a new one, so an earlier copy handed to the archives
office can still be checked against its record here.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Handover(models.Model):
    cycle = models.ForeignKey("cycles.Cycle", models.CASCADE, related_name="handovers")
    place = models.ForeignKey("places.Place", models.PROTECT, related_name="handovers")
    handed_on = models.DateField(_("handed over on"), null=True, blank=True)
    supervisor = models.CharField(_("supervised by (监交人)"), max_length=50, blank=True)
    note = models.TextField(_("note"), blank=True)

    outgoing_name = models.CharField(
        _("signed for the outgoing side by"), max_length=50, blank=True
    )
    outgoing_signed_on = models.DateField(_("outgoing side signed on"), null=True, blank=True)
    outgoing_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    outgoing_recorded_at = models.DateTimeField(null=True, blank=True)

    incoming_name = models.CharField(
        _("signed for the incoming side by"), max_length=50, blank=True
    )
    incoming_signed_on = models.DateField(_("incoming side signed on"), null=True, blank=True)
    incoming_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    incoming_recorded_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "place"], name="one_handover_per_place")
        ]

    def __str__(self):
        return f"{self.place} 交接"

    @property
    def place_code(self) -> str:
        return self.place.code

    def signed(self, side: str) -> bool:
        return getattr(self, f"{side}_signed_on") is not None

    @property
    def signed_by_any(self) -> bool:
        return self.signed("outgoing") or self.signed("incoming")

    @property
    def complete(self) -> bool:
        return self.signed("outgoing") and self.signed("incoming")


class HandoverItem(models.Model):
    """One line of the checklist: what is handed over and whether each side ticked it."""

    handover = models.ForeignKey(Handover, models.CASCADE, related_name="items")
    key = models.CharField(max_length=20, blank=True, help_text="the seed item, if any")
    title = models.CharField(_("item"), max_length=100)
    description = models.TextField(_("what is handed over"), blank=True)
    count = models.PositiveIntegerField(_("count"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    outgoing_checked = models.BooleanField(_("ticked by the outgoing side"), default=False)
    incoming_checked = models.BooleanField(_("ticked by the incoming side"), default=False)
    rank = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["handover", "rank", "id"]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return not (self.outgoing_checked and self.incoming_checked)


class Archive(models.Model):
    """The ZIP of a place's cycle: documents, exports, audit trail and manifest."""

    cycle = models.ForeignKey("cycles.Cycle", models.CASCADE, related_name="archives")
    place = models.ForeignKey("places.Place", models.PROTECT, related_name="archives")
    file = models.FileField(upload_to="archives/%Y/%m/")
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    size = models.PositiveBigIntegerField(_("size"))
    manifest = models.JSONField(_("manifest"))
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    made_at = models.DateTimeField(_("made at"))

    class Meta:
        ordering = ["-made_at", "-id"]
        indexes = [models.Index(fields=["cycle", "place"])]

    def __str__(self):
        return f"{self.place} 归档 {self.made_at:%Y-%m-%d %H:%M}"

    @property
    def files(self) -> int:
        return len(self.manifest.get("files", []))
