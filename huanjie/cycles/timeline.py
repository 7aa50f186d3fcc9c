"""Each place's checklist: the rules core's steps and deadlines joined with what was
done (DOMAIN §3, §8). Built for many places at once with a fixed number of queries,
because the county dashboard shows every place of the county."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from huanjie.cycles.models import Election, ProfileOverride, Step, StepStatus
from huanjie.cycles.profiles import applicable, effective_profile
from huanjie.rules import timeline
from huanjie.rules.seats import Body

COMMITTEE_BODIES = (Body.VILLAGERS_COMMITTEE, Body.RESIDENTS_COMMITTEE)


@dataclass
class StepRow:
    rule: timeline.Step
    due: date | None
    record: Step | None
    today: date
    blocked_by: tuple[timeline.Step, ...] = ()

    @property
    def status(self) -> str:
        return self.record.status if self.record else StepStatus.PENDING

    @property
    def finished(self) -> bool:
        return self.status != StepStatus.PENDING

    @property
    def overdue(self) -> bool:
        return (
            not self.finished
            and self.due is not None
            and timeline.overdue(self.due, None, self.today)
        )

    @property
    def late(self) -> bool:
        return (
            self.status == StepStatus.DONE
            and self.due is not None
            and timeline.late(self.due, self.record.done_on)
        )

    @property
    def days_overdue(self) -> int:
        return (self.today - self.due).days if self.overdue else 0


@dataclass
class PlaceTimeline:
    place: object
    election_day: date | None
    rows: list[StepRow] = field(default_factory=list)

    # The rows are read many times over on a county's pages and not changed once
    # built, so what is derived from them is worked out once.
    @cached_property
    def _finished(self) -> frozenset[str]:
        return frozenset(r.rule.key for r in self.rows if r.finished)

    @property
    def finished_keys(self) -> set[str]:
        return set(self._finished)

    @cached_property
    def progress(self) -> tuple[int, int]:
        return timeline.progress(self._finished)

    @property
    def percent(self) -> int:
        done, total = self.progress
        return round(100 * done / total) if total else 0

    @cached_property
    def overdue(self) -> list[StepRow]:
        return [r for r in self.rows if r.overdue]

    @property
    def days_late(self) -> int:
        """How far behind the place is: the days of its longest overdue step."""
        return max((r.days_overdue for r in self.overdue), default=0)

    @property
    def current(self) -> StepRow | None:
        """The first step not yet finished: where the place stands."""
        return next((r for r in self.rows if not r.finished and not r.rule.optional), None)

    def blocked_by(self, key: str) -> tuple[str, ...]:
        return timeline.unmet_requirements(key, self._finished)

    def on(self, day: date) -> "PlaceTimeline":
        """The timeline as it stood at the end of ``day``: a step finished later is
        pending again, and lateness is counted to ``day`` — what a report on a past week
        must say."""
        rows = [
            StepRow(r.rule, r.due, None if _finished_after(r, day) else r.record, day)
            for r in self.rows
        ]
        return _with_blockers(PlaceTimeline(self.place, self.election_day, rows))


def _finished_after(row: StepRow, day: date) -> bool:
    return row.finished and row.record.done_on is not None and row.record.done_on > day


def _with_blockers(tl: PlaceTimeline) -> PlaceTimeline:
    """Name, on each pending step, the earlier steps it still waits for."""
    finished = tl._finished
    for row in tl.rows:
        if not row.finished:
            missing = timeline.unmet_requirements(row.rule.key, finished)
            row.blocked_by = tuple(timeline.BY_KEY[k] for k in missing)
    return tl


def timelines(cycle, places, today: date | None = None) -> list[PlaceTimeline]:
    """The timelines of the given electing places of a cycle."""
    today = today or timezone.localdate()
    places = list(places)
    codes = [p.code for p in places]
    days = dict(
        Election.objects.filter(
            cycle=cycle, place__code__in=codes, body__in=COMMITTEE_BODIES
        ).values_list("place__code", "election_day")
    )
    records = defaultdict(dict)
    steps = list(Step.objects.filter(cycle=cycle, place__in=[p.pk for p in places]))
    # A few people sign off the steps of many places: each is read once, not per step.
    signers = get_user_model().objects.in_bulk({s.signed_off_by_id for s in steps} - {None})
    for step in steps:
        if step.signed_off_by_id:
            step.signed_off_by = signers[step.signed_off_by_id]
        records[step.place_id][step.key] = step
    all_overrides = list(ProfileOverride.objects.filter(cycle=cycle).select_related("place"))
    result = []
    # Places voting on one day under the same overrides share their deadlines.
    deadlines = {}
    for place in places:
        overrides = applicable(all_overrides, place)
        day = days.get(place.code)
        key = (day, tuple(o.pk for o in overrides))
        if key not in deadlines:
            profile = effective_profile(cycle, place, overrides)
            deadlines[key] = timeline.due_dates(day, profile) if day else {}
        due = deadlines[key]
        rows = [
            StepRow(rule, due.get(rule.key), records[place.pk].get(rule.key), today)
            for rule in timeline.STEPS
        ]
        result.append(_with_blockers(PlaceTimeline(place, day, rows)))
    return result


def place_timeline(cycle, place, today: date | None = None) -> PlaceTimeline:
    return timelines(cycle, [place], today)[0]


def overdue_steps(tls) -> list[tuple[object, StepRow]]:
    """(place, step) of every overdue step of the timelines, the longest overdue first."""
    return sorted(
        ((tl.place, row) for tl in tls for row in tl.overdue),
        key=lambda pair: (-pair[1].days_overdue, pair[0].code),
    )


def by_parent(tls) -> dict[int, list[PlaceTimeline]]:
    """The timelines grouped by the place's parent: a village's or community's is its
    township or street (CHILD_KINDS)."""
    groups = {}
    for tl in tls:
        groups.setdefault(tl.place.parent_id, []).append(tl)
    return groups


def summary(place, tls) -> dict:
    """One line of a dashboard for ``place`` over the timelines ``tls`` (its own, or
    those of a township's places): progress share, overdue steps and late places."""
    done = sum(tl.progress[0] for tl in tls)
    total = sum(tl.progress[1] for tl in tls)
    return {
        "place": place,
        "places": len(tls),
        "percent": round(100 * done / total) if total else 0,
        "overdue": sum(len(tl.overdue) for tl in tls),
        "late_places": sum(1 for tl in tls if tl.overdue),
        "timeline": tls[0] if len(tls) == 1 else None,
    }


def localized(zh: str, en: str) -> str:
    """The rules core carries both wordings; pick the one of the active language."""
    return zh if (translation.get_language() or "zh-hans").startswith("zh") else en
