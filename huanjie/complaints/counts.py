"""Complaints by type (DOMAIN §11: "complaints by type") for the statistics: of a
place, a township or the county, and broken down by the places right below it.

Every type is in the answer, with 0 when there was none, so that the rows of a form
are the same for every place and each breakdown adds up to its total.
"""

from collections import Counter

from django.db.models import Count

from huanjie.complaints.models import Complaint
from huanjie.places.models import LEVELS
from huanjie.rules.complaints import ComplaintType


def _empty() -> dict[str, int]:
    return {t.value: 0 for t in ComplaintType}


def counts_by_type(cycle, within) -> dict[str, int]:
    """How many complaints of each type the cycle registered at ``within`` and below,
    every type in :class:`~huanjie.rules.complaints.ComplaintType` order."""
    counts = _empty()
    rows = (
        Complaint.objects.filter(cycle=cycle, place__code__startswith=within.prefix)
        .values("type")
        .annotate(n=Count("id"))
    )
    for row in rows:
        counts[row["type"]] = row["n"]
    return counts


def counts_by_type_below(cycle, within) -> dict[str, dict[str, int]]:
    """:func:`counts_by_type` for each area right below ``within``, by the area code of
    that level (a township's villages, the county's townships); complaints registered
    at ``within`` itself are under its own code. The parts add up to the total."""
    deeper = next((n for n in LEVELS if n > len(within.prefix)), None)
    tally: dict[str, Counter] = {}
    rows = Complaint.objects.filter(cycle=cycle, place__code__startswith=within.prefix).values_list(
        "place__code", "type"
    )
    for code, kind in rows:
        key = code[:deeper].ljust(12, "0") if deeper else code
        tally.setdefault(key, Counter())[kind] += 1
    return {key: _empty() | dict(counter) for key, counter in sorted(tally.items())}
