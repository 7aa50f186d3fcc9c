"""Writing to and checking the audit trail.

``record`` is called by every service function that changes state, inside the same
transaction as the change, so a change and its record are written together or not
at all.
"""

from django.db import connection, transaction
from django.utils import timezone

from huanjie.audit import chain
from huanjie.audit.models import Record


def _lock_tail():
    # SQLite runs write transactions one at a time (IMMEDIATE mode); PostgreSQL needs
    # an explicit lock so two writers cannot both extend the chain from the same tail.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(7242)")


def record(user, action: str, target, *, before=None, after=None, place=None) -> Record:
    with transaction.atomic():
        _lock_tail()
        tail = Record.objects.order_by("-seq").values("seq", "hash").first()
        seq, previous = (tail["seq"] + 1, tail["hash"]) if tail else (1, chain.GENESIS)
        place_code = place.code if place is not None else getattr(target, "place_code", "")
        rec = Record(
            seq=seq,
            at=timezone.now().replace(microsecond=0),
            user=user if user is not None and user.is_authenticated else None,
            username=user.get_username()
            if user is not None and user.is_authenticated
            else "system",
            action=action,
            target_type=target._meta.label_lower,
            target_id=str(target.pk),
            target_label=str(target)[:200],
            place_code=place_code,
            before=before,
            after=after,
            previous_hash=previous,
        )
        rec.hash = chain.link(previous, rec.content())
        rec.save(force_insert=True)
        return rec


def verify(batch: int = 5000) -> chain.Break | None:
    """The first broken record of the whole trail, or None if it is intact."""

    def rows():
        for rec in Record.objects.order_by("seq").iterator(chunk_size=batch):
            yield rec.seq, rec.previous_hash, rec.hash, rec.content()

    return chain.first_break(rows())


def history(*, place=None, target=None):
    qs = Record.objects.all()
    if place is not None:
        qs = qs.filter(place_code__startswith=place.prefix)
    if target is not None:
        qs = qs.filter(target_type=target._meta.label_lower, target_id=str(target.pk))
    return qs.order_by("-seq")
