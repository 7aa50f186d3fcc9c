"""Cycles (换届), their elections, offices and the timeline of each place.

Deadlines are not stored: they follow from the election day D and the rule profile
(``huanjie.rules.timeline``), so changing D or an override moves them all at once.
What is stored is what people did: who signed off a step, when, and with what papers.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huanjie.rules import profiles, seats, timeline


class Cycle(models.Model):
    """One term change of a county: the 12th 换届, say, run under one rule profile."""

    county = models.ForeignKey("places.Place", models.PROTECT, related_name="cycles")
    name = models.CharField(_("name"), max_length=100)
    term_number = models.PositiveSmallIntegerField(_("term number"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    profile = models.CharField(
        _("rule profile"),
        max_length=20,
        choices=[(key, p.title) for key, p in profiles.PROFILES.items()],
        default="national",
    )

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["county", "term_number"], name="one_cycle_per_term")
        ]

    def __str__(self):
        return self.name


class ProfileOverride(models.Model):
    """A county's setting of one profile parameter for a place and everything below it."""

    cycle = models.ForeignKey(Cycle, models.CASCADE, related_name="overrides")
    place = models.ForeignKey("places.Place", models.CASCADE, related_name="profile_overrides")
    parameter = models.CharField(_("parameter"), max_length=60)
    value = models.JSONField(_("value"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "place", "parameter"], name="one_override_per_parameter"
            )
        ]

    def __str__(self):
        return f"{self.place} {self.parameter}={self.value}"


class Election(models.Model):
    """One body elected in one place in one cycle (DOMAIN §2)."""

    cycle = models.ForeignKey(Cycle, models.CASCADE, related_name="elections")
    place = models.ForeignKey("places.Place", models.PROTECT, related_name="elections")
    body = models.CharField(
        _("body"), max_length=30, choices=[(b.value, b.title_zh) for b in seats.Body]
    )
    election_day = models.DateField(_("election day"), null=True, blank=True)

    class Meta:
        ordering = ["place__code", "body"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "place", "body"], name="one_election_per_body")
        ]

    def __str__(self):
        return f"{self.place} {self.get_body_display()}"

    def default_offices(self, kind_of_place: str) -> list["Office"]:
        """Unsaved offices of the rules core's default seat layout, highest first."""
        body = seats.Body(self.body)
        layout = seats.default_offices(body, kind_of_place)
        return [
            Office(election=self, key=o.key, title=o.title_zh, seats=layout[o.key], rank=rank)
            for rank, o in enumerate(seats.OFFICES[body])
        ]


class Office(models.Model):
    """An office of an election and its seats (职务/应选名额)."""

    election = models.ForeignKey(Election, models.CASCADE, related_name="offices")
    key = models.CharField(_("office"), max_length=30)
    title = models.CharField(_("title"), max_length=30)
    seats = models.PositiveSmallIntegerField(_("seats"))
    rank = models.PositiveSmallIntegerField(_("rank"), default=0, help_text="highest first")

    class Meta:
        ordering = ["election", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["election", "key"], name="one_office_per_key")
        ]

    def __str__(self):
        return f"{self.title} × {self.seats}"


class StepStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DONE = "done", _("Done")
    NOT_NEEDED = "not_needed", _("Not needed")


class Step(models.Model):
    """What was done about one checklist step of one place in one cycle (DOMAIN §3)."""

    cycle = models.ForeignKey(Cycle, models.CASCADE, related_name="steps")
    place = models.ForeignKey("places.Place", models.PROTECT, related_name="steps")
    key = models.CharField(_("step"), max_length=40)
    status = models.CharField(
        _("status"), max_length=12, choices=StepStatus.choices, default=StepStatus.PENDING
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "place", "key"], name="one_step_per_key")
        ]
        indexes = [models.Index(fields=["cycle", "status"])]

    def __str__(self):
        rule = timeline.BY_KEY.get(self.key)
        return f"{self.place} · {rule.title_zh if rule else self.key}"


class StepDocument(models.Model):
    """A paper attached to a step: minutes, the approved plan, a photo of a notice."""

    step = models.ForeignKey(Step, models.CASCADE, related_name="documents")
    file = models.FileField(upload_to="steps/%Y/%m/")
    name = models.CharField(_("name"), max_length=200)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.name
