"""The append-only audit trail. Rows are only ever inserted: the database itself
refuses UPDATE and DELETE on the table (triggers in the first migration)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Record(models.Model):
    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField(_("when"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    username = models.CharField(_("who"), max_length=150)
    action = models.CharField(_("what"), max_length=60)
    target_type = models.CharField(max_length=60)
    target_id = models.CharField(max_length=60)
    target_label = models.CharField(max_length=200)
    place_code = models.CharField(max_length=15, db_index=True, blank=True)
    before = models.JSONField(null=True)
    after = models.JSONField(null=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"#{self.seq} {self.action} {self.target_label}"

    @property
    def action_label(self) -> str:
        from huanjie.audit.actions import label

        return label(self.action)

    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) of what differs, for people reading the history."""
        before, after = self.before or {}, self.after or {}
        keys = list(dict.fromkeys([*before, *after]))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]

    def content(self) -> dict:
        """What the hash covers."""
        return {
            "seq": self.seq,
            "at": self.at.isoformat(),
            "user": self.username,
            "action": self.action,
            "target": [self.target_type, self.target_id, self.target_label],
            "place": self.place_code,
            "before": self.before,
            "after": self.after,
        }
