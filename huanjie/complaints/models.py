"""Complaints and reports (信访/举报) and incidents of the cycle (DOMAIN §10).

What is stored is what people did: who received a complaint, when, what each step of
its handling was and how it ended; when an incident happened, at which level, and how
it rose. The deadline is computed once, when the complaint is registered, from the
rules (:func:`huanjie.rules.complaints.answer_deadline`), and stays what the person
who complained was told.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huanjie.rules import complaints as rules


def _choices(enum):
    return [(m.value, m.title_zh) for m in enum]


class Complaint(models.Model):
    """One complaint or report, numbered in the cycle as registered."""

    cycle = models.ForeignKey("cycles.Cycle", models.CASCADE, related_name="complaints")
    place = models.ForeignKey("places.Place", models.PROTECT, related_name="complaints")
    number = models.PositiveIntegerField(_("number"))
    type = models.CharField(_("type"), max_length=30, choices=_choices(rules.ComplaintType))
    received_on = models.DateField(_("received on"))
    channel = models.CharField(_("channel"), max_length=10, choices=_choices(rules.Channel))
    complainant = models.CharField(_("from"), max_length=100, blank=True)
    summary = models.TextField(_("summary"))
    deadline = models.DateField(_("answer by"))
    escalated_to = models.CharField(
        _("referred to"), max_length=20, blank=True, choices=_choices(rules.Recipient)
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, blank=True, choices=_choices(rules.Outcome)
    )
    measures = models.TextField(_("measures"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "number"], name="one_complaint_per_number")
        ]
        indexes = [models.Index(fields=["cycle", "deadline"], name="complaint_deadline")]

    def __str__(self):
        return f"第{self.number}号信访/举报 · {self.place}"

    @property
    def place_code(self) -> str:
        return self.place.code

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None

    @property
    def is_anonymous(self) -> bool:
        return not self.complainant.strip()

    @property
    def type_rule(self) -> rules.ComplaintType:
        return rules.ComplaintType(self.type)


class ComplaintStep(models.Model):
    """One step of a complaint's handling: what was done, on which day, by whom."""

    class Kind(models.TextChoices):
        ACTION = "action", _("Action")
        ESCALATED = "escalated", _("Referred up")
        CLOSED = "closed", _("Closed")

    complaint = models.ForeignKey(Complaint, models.CASCADE, related_name="steps")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ACTION)
    on = models.DateField(_("date"))
    action = models.TextField(_("action"))
    by = models.CharField(_("by"), max_length=100)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["on", "id"]

    def __str__(self):
        return f"{self.on} {self.action[:40]}"


class Incident(models.Model):
    """One incident at a place: its level now and the level it was reported at."""

    cycle = models.ForeignKey("cycles.Cycle", models.CASCADE, related_name="incidents")
    place = models.ForeignKey("places.Place", models.PROTECT, related_name="incidents")
    level = models.CharField(_("level"), max_length=10, choices=_choices(rules.Level))
    reported_level = models.CharField(
        _("level reported"), max_length=10, choices=_choices(rules.Level)
    )
    level_since = models.DateTimeField(_("at this level since"))
    occurred_at = models.DateTimeField(_("occurred at"))
    summary = models.TextField(_("summary"))
    reported_by = models.CharField(_("reported by"), max_length=100)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]

    def __str__(self):
        return f"{self.place} {self.get_level_display()} {self.occurred_at:%Y-%m-%d}"

    @property
    def place_code(self) -> str:
        return self.place.code

    @property
    def level_rule(self) -> rules.Level:
        return rules.Level(self.level)

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None

    @property
    def escalated(self) -> bool:
        return self.level != self.reported_level

    @property
    def reported_to(self) -> tuple[rules.Recipient, ...]:
        return self.level_rule.reported_to


class IncidentStep(models.Model):
    """One step of an incident's handling; a rise records the level it rose to."""

    class Kind(models.TextChoices):
        ACTION = "action", _("Action")
        ESCALATED = "escalated", _("Escalated")
        RESOLVED = "resolved", _("Resolved")

    incident = models.ForeignKey(Incident, models.CASCADE, related_name="steps")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ACTION)
    at = models.DateTimeField(_("at"))
    action = models.TextField(_("action"))
    by = models.CharField(_("by"), max_length=100)
    level = models.CharField(_("level"), max_length=10, blank=True, choices=_choices(rules.Level))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action[:40]}"
