"""What a place has posted (张榜公布), for anyone to read without signing in.

A notice goes up on the wall of the village or community; the same PDF, as it was
posted, may be read here. Three apps keep posted notices: the roll's
(:class:`huanjie.voters.models.Publication`: voter list, objection decisions, 补登), the
candidates' (:class:`huanjie.candidates.models.Notice`: nomination, party 公示, formal
list) and election day's (:class:`huanjie.polling.models.Notice`: proxies, mobile-box
voters, results). Each of their records is written when the notice is posted, so a
record is a posted notice; nothing else of a place (its roll, its drafts, its
timeline) is shown. Only the current cycle of the place's county counts: a notice of
an earlier term is no longer on any wall.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count

from huanjie.candidates.models import Notice as CandidateNotice
from huanjie.cycles.models import Cycle
from huanjie.places.models import Place, codes_above
from huanjie.polling.models import Notice as PollingNotice
from huanjie.voters.models import Publication

#: The models that hold posted notices, by the name used in their public address.
SOURCES = {
    "voters": Publication,
    "candidates": CandidateNotice,
    "polling": PollingNotice,
}


@dataclass(frozen=True)
class PostedNotice:
    """One posted notice as the public list shows it."""

    source: str
    pk: int
    title: str
    #: The election it concerns (村民委员会, 党支部委员会 …), empty for the roll's.
    body: str
    #: What distinguishes it further: the mobile box of a list of its voters.
    detail: str
    published_on: date
    at: datetime


def current_cycle(place: Place) -> Cycle | None:
    """The newest cycle of the county the place lies in."""
    return (
        Cycle.objects.filter(county__code__in=codes_above(place.prefix))
        .order_by("-starts_on", "-pk")
        .first()
    )


def current_cycles() -> list[int]:
    """The newest cycle of each county, as ids."""
    newest: dict[int, int] = {}
    for cycle_id, county_id in Cycle.objects.order_by("-starts_on", "-pk").values_list(
        "pk", "county_id"
    ):
        newest.setdefault(county_id, cycle_id)
    return list(newest.values())


def _voter_notices(cycle, place):
    return Publication.objects.filter(cycle=cycle, place=place)


def _candidate_notices(cycle, place):
    return CandidateNotice.objects.filter(election__cycle=cycle, election__place=place)


def _polling_notices(cycle, place):
    return PollingNotice.objects.filter(election__cycle=cycle, election__place=place)


def posted(cycle, place) -> list[PostedNotice]:
    """Every notice the place has posted in the cycle, newest first."""
    notices = [
        PostedNotice("voters", p.pk, p.get_kind_display(), "", "", p.published_on, p.at)
        for p in _voter_notices(cycle, place)
    ]
    notices += [
        PostedNotice(
            "candidates",
            n.pk,
            n.get_kind_display(),
            n.election.get_body_display(),
            "",
            n.published_on,
            n.at,
        )
        for n in _candidate_notices(cycle, place).select_related("election")
    ]
    notices += [
        PostedNotice(
            "polling",
            n.pk,
            n.get_kind_display(),
            n.election.get_body_display(),
            n.station.name if n.station else "",
            n.published_on,
            n.at,
        )
        for n in _polling_notices(cycle, place).select_related("election", "station")
    ]
    return sorted(notices, key=lambda n: (n.published_on, n.at), reverse=True)


def counts(places) -> Counter:
    """How many notices each of ``places`` has posted in its current cycle, by place id:
    three grouped queries for a page of places."""
    ids = [p.pk for p in places]
    cycles = current_cycles()
    total: Counter = Counter()
    rows = (
        Publication.objects.filter(cycle_id__in=cycles, place_id__in=ids)
        .values_list("place_id")
        .annotate(n=Count("pk"))
    )
    total.update(dict(rows))
    for model in (CandidateNotice, PollingNotice):
        rows = (
            model.objects.filter(election__cycle_id__in=cycles, election__place_id__in=ids)
            .values_list("election__place_id")
            .annotate(n=Count("pk"))
        )
        total.update(dict(rows))
    return total


def posted_file(source: str, pk: int):
    """The posted notice ``pk`` of ``source`` and its place, or None when there is no
    such notice of a place's current cycle: nothing but a posted notice is served."""
    model = SOURCES.get(source)
    if model is None:
        return None
    if model is Publication:
        notice = Publication.objects.select_related("place").filter(pk=pk).first()
    else:
        notice = model.objects.select_related("election__place").filter(pk=pk).first()
    if notice is None or not notice.file:
        return None
    held_by = notice if model is Publication else notice.election
    current = current_cycle(held_by.place)
    if current is None or current.pk != held_by.cycle_id:
        return None
    return notice, held_by.place
