"""Progress reports (DOMAIN §10): the weekly report (每周一报告) of a place and of a
township, and the list of the places that are late and why.

Nothing here is typed: every line comes from the timelines of
:mod:`huanjie.cycles.timeline` — the rules core's deadlines joined with the sign-offs —
so a report says what the checklist says. A report on a past week reads the timeline
as it stood at the end of that week (:meth:`PlaceTimeline.on`): a step signed off later
is still overdue there.
"""

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from huanjie.accounts import permissions
from huanjie.cycles.services import RuleViolation
from huanjie.cycles.timeline import (
    PlaceTimeline,
    StepRow,
    by_parent,
    localized,
    summary,
    timelines,
)
from huanjie.documents import word
from huanjie.places.models import Kind, Place
from huanjie.rules import timeline as rules

TOWNSHIP_KINDS = (Kind.TOWNSHIP, Kind.STREET)


def week_of(day: date) -> tuple[date, date]:
    """(Monday, Sunday) of the week of ``day``."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def _longest_first(rows: list[StepRow]) -> list[StepRow]:
    return sorted(rows, key=lambda r: -r.days_overdue)


@dataclass
class PlaceWeek:
    """The weekly report of one village or community.

    ``start``–``end`` is the week (Monday–Sunday); ``as_of`` the day the report
    stands on — the week's Sunday, or today while the week runs. ``timeline`` is the
    place's timeline as of that day.
    """

    timeline: PlaceTimeline
    start: date
    end: date
    as_of: date
    done: list[StepRow] = field(default_factory=list)
    overdue: list[StepRow] = field(default_factory=list)
    due_next: list[StepRow] = field(default_factory=list)

    @property
    def place(self):
        return self.timeline.place

    @property
    def late(self) -> bool:
        return bool(self.overdue)

    @property
    def days_late(self) -> int:
        return self.timeline.days_late

    @property
    def progress(self) -> tuple[int, int]:
        return self.timeline.progress

    @property
    def percent(self) -> int:
        return self.timeline.percent

    @property
    def notes(self) -> list[StepRow]:
        """The steps of the report with a note: a sign-off's remark, a reopening's
        reason."""
        seen, rows = set(), []
        for row in [*self.done, *self.overdue, *self.due_next]:
            if row.record and row.record.note and row.rule.key not in seen:
                seen.add(row.rule.key)
                rows.append(row)
        return rows


def place_week(tl: PlaceTimeline, start: date, today: date) -> PlaceWeek:
    """The week from Monday ``start`` of a place whose timeline (as of ``today``) is
    ``tl``: steps finished that week by day, overdue steps longest first, steps due
    the next week by due date."""
    end = start + timedelta(days=6)
    as_of = min(end, today)
    then = tl.on(as_of)
    done = sorted(
        (r for r in then.rows if r.finished and r.record.done_on and start <= r.record.done_on),
        key=lambda r: r.record.done_on,
    )
    next_end = end + timedelta(days=7)
    due_next = sorted(
        (r for r in then.rows if not r.finished and r.due and end < r.due <= next_end),
        key=lambda r: r.due,
    )
    return PlaceWeek(then, start, end, as_of, done, _longest_first(then.overdue), due_next)


def late_first(weeks: list[PlaceWeek]) -> list[PlaceWeek]:
    """Late places first, the furthest behind at the top; then the others by code."""
    return sorted(weeks, key=lambda w: (not w.late, -w.days_late, -len(w.overdue), w.place.code))


@dataclass
class TownshipWeek:
    """The weekly report of a township or street: a line per place, late places first,
    and the totals of the lines."""

    township: Place
    start: date
    end: date
    as_of: date
    places: list[PlaceWeek]

    @property
    def late_places(self) -> list[PlaceWeek]:
        return [w for w in self.places if w.late]

    @property
    def totals(self) -> dict:
        done = sum(w.progress[0] for w in self.places)
        total = sum(w.progress[1] for w in self.places)
        return {
            "places": len(self.places),
            "late_places": len(self.late_places),
            "done": sum(len(w.done) for w in self.places),
            "overdue": sum(len(w.overdue) for w in self.places),
            "due_next": sum(len(w.due_next) for w in self.places),
            "steps_finished": done,
            "steps_total": total,
            "percent": round(100 * done / total) if total else 0,
        }


def electing_places(cycle, under: Place):
    """The villages and communities of ``under`` that elect in ``cycle``."""
    return (
        Place.objects.within(under)
        .electing()
        .filter(code__startswith=cycle.county.prefix)
        .order_by("code")
    )


@dataclass(frozen=True)
class OverTime:
    """The steps of the checklist over the weeks of a cycle, counted to the end of each
    week: those due by then, and those done by then (signed off, or marked not
    applicable, on or before that day)."""

    weeks: list[date]  # the Sundays
    due: list[int]
    done: list[int]


def over_time(cycle, tls: list[PlaceTimeline], today: date) -> OverTime:
    """Progress over time (DOMAIN §10) of the places of the timelines ``tls``: from the
    week the cycle starts to the week of ``today``."""
    rows = [r for tl in tls for r in tl.rows]
    sunday = week_of(min(cycle.starts_on, today))[1]
    weeks = []
    while sunday < today + timedelta(days=7):
        weeks.append(sunday)
        sunday += timedelta(days=7)
    dues = sorted(r.due for r in rows if r.due is not None)
    dones = sorted(r.record.done_on for r in rows if r.finished and r.record.done_on)
    return OverTime(
        weeks,
        [bisect_right(dues, w) for w in weeks],
        [bisect_right(dones, w) for w in weeks],
    )


def scope_over_time(cycle, under: Place, today: date | None = None) -> OverTime:
    """:func:`over_time` of the villages and communities of ``under``."""
    today = today or timezone.localdate()
    return over_time(cycle, timelines(cycle, electing_places(cycle, under), today), today)


def weekly_place(user, cycle, place: Place, day: date | None = None) -> PlaceWeek:
    """The weekly report of ``place`` for the week of ``day`` (default: this week)."""
    permissions.require(user, permissions.VIEW, place)
    today = timezone.localdate()
    start, _end = week_of(day or today)
    return place_week(timelines(cycle, [place], today)[0], start, today)


def weekly_township(user, cycle, township: Place, day: date | None = None) -> TownshipWeek:
    """The weekly report of a township or street for the week of ``day``: every
    place's report, late places first."""
    permissions.require(user, permissions.VIEW, township)
    today = timezone.localdate()
    start, end = week_of(day or today)
    tls = timelines(cycle, electing_places(cycle, township), today)
    weeks = late_first([place_week(tl, start, today) for tl in tls])
    return TownshipWeek(township, start, end, min(end, today), weeks)


# Which places are late and why


@dataclass
class LatePlace:
    """A place with overdue steps, each with its due date, days late and the earlier
    steps it waits for (:func:`huanjie.rules.timeline.unmet_requirements`)."""

    timeline: PlaceTimeline
    township: Place
    overdue: list[StepRow]

    @property
    def place(self):
        return self.timeline.place

    @property
    def days_late(self) -> int:
        return max(r.days_overdue for r in self.overdue)


@dataclass
class LateList:
    """The county's (or a township's) view of its late places."""

    townships: list[dict]  # summary() lines, with the township's late places counted
    places: list[LatePlace]  # filtered, the furthest behind first
    overdue_total: int  # overdue steps in scope, before the filters
    progress: OverTime  # of the whole scope, before the filters


def late_places(
    user,
    cycle,
    under: Place | None = None,
    *,
    township: Place | None = None,
    step: str = "",
    q: str = "",
    today: date | None = None,
) -> LateList:
    """The late places of ``under`` (default: the user's area) with their overdue
    steps, the furthest behind first, and a line per township with its counts.
    ``township``, ``step`` (a step key) and ``q`` (part of a name, or the start of a
    code) narrow the list of places, not the townships' counts."""
    under = under or permissions.scope_of(user)
    permissions.require(user, permissions.VIEW, under)
    if township is not None:
        permissions.require(user, permissions.VIEW, township)
    if step and step not in rules.BY_KEY:
        raise RuleViolation(_("Unknown step: %(key)s") % {"key": step})
    today = today or timezone.localdate()
    tls = timelines(cycle, electing_places(cycle, under), today)
    groups = by_parent(tls)
    townships = {t.pk: t for t in Place.objects.filter(pk__in=groups).order_by("code")}
    lines = [summary(t, groups[pk]) for pk, t in townships.items()]
    places = []
    for tl in tls:
        rows = [r for r in tl.overdue if not step or r.rule.key == step]
        if not rows:
            continue
        if township is not None and not township.contains(tl.place):
            continue
        if q and q not in tl.place.name and not tl.place.code.startswith(q):
            continue
        places.append(LatePlace(tl, townships[tl.place.parent_id], _longest_first(rows)))
    places.sort(key=lambda p: (-p.days_late, -len(p.overdue), p.place.code))
    return LateList(
        lines, places, sum(line["overdue"] for line in lines), over_time(cycle, tls, today)
    )


# The printable Word document


def weekly_docx(report: PlaceWeek | TownshipWeek) -> bytes:
    """The weekly report as a Word document: a heading, the figures, and its tables.
    Chinese text is set in 宋体 (SimSun) through the East Asian font setting, which is
    the one Word uses for CJK characters."""
    document = word.new_document()

    week = _("Week of %(start)s to %(end)s") % {
        "start": report.start.isoformat(),
        "end": report.end.isoformat(),
    }
    if isinstance(report, TownshipWeek):
        document.add_heading(_("Weekly progress report: %(place)s") % _place(report.township), 1)
        document.add_paragraph(week)
        totals = report.totals
        document.add_paragraph(
            _(
                "%(places)d places, %(late)d late; %(done)d steps finished this week, "
                "%(overdue)d overdue, %(next)d due next week; progress %(percent)d%%."
            )
            % {
                "places": totals["places"],
                "late": totals["late_places"],
                "done": totals["done"],
                "overdue": totals["overdue"],
                "next": totals["due_next"],
                "percent": totals["percent"],
            }
        )
        word.add_table(document, *_township_table(report))
        for week_of_place in report.late_places:
            document.add_heading(week_of_place.place.name, 2)
            word.add_table(document, *_overdue_table(week_of_place.overdue))
        return word.to_bytes(document)
    document.add_heading(_("Weekly progress report: %(place)s") % _place(report.place), 1)
    done, total = report.progress
    document.add_paragraph(
        week
        + " · "
        + _("progress %(done)d of %(total)d steps (%(percent)d%%)")
        % {"done": done, "total": total, "percent": report.percent}
    )
    sections = (
        (_("Overdue steps"), _overdue_table(report.overdue)),
        (_("Steps finished this week"), _done_table(report.done)),
        (_("Steps due next week"), _due_table(report.due_next)),
        (_("Notes"), _notes_table(report.notes)),
    )
    for title, (head, lines) in sections:
        document.add_heading(title, 2)
        if lines:
            word.add_table(document, head, lines)
        else:
            document.add_paragraph(_("None."))
    return word.to_bytes(document)


def _place(place) -> dict:
    return {"place": f"{place.name}（{place.code}）"}


def title(step) -> str:
    """A step's title in the active language."""
    return localized(step.title_zh, step.title_en)


def signer(row: StepRow) -> str:
    user = row.record.signed_off_by if row.record else None
    return (user.get_full_name() or user.get_username()) if user else ""


def waits_for(row: StepRow) -> str:
    return "、".join(title(s) for s in row.blocked_by)


def _iso(day) -> str:
    return day.isoformat() if day else "—"


def _overdue_table(rows):
    head = [_("Step"), _("Due"), _("Days overdue"), _("Waits for")]
    return head, [
        [title(r.rule), _iso(r.due), str(r.days_overdue), waits_for(r) or "—"] for r in rows
    ]


def _done_table(rows):
    head = [_("Step"), _("Due"), _("Done on"), _("Signed off by"), _("Status")]
    return head, [
        [
            title(r.rule),
            _iso(r.due),
            _iso(r.record.done_on),
            signer(r),
            (_("late") if r.late else _("on time"))
            if r.status == "done"
            else r.record.get_status_display(),
        ]
        for r in rows
    ]


def _due_table(rows):
    head = [_("Step"), _("Due"), _("Waits for")]
    return head, [[title(r.rule), _iso(r.due), waits_for(r) or "—"] for r in rows]


def _notes_table(rows):
    return [_("Step"), _("Note")], [[title(r.rule), r.record.note] for r in rows]


def _township_table(report: TownshipWeek):
    head = [
        _("Place"),
        _("Code"),
        _("Progress"),
        _("Finished this week"),
        _("Overdue"),
        _("Days late"),
        _("Due next week"),
    ]
    lines = [
        [
            w.place.name,
            w.place.code,
            f"{w.percent}%",
            str(len(w.done)),
            str(len(w.overdue)),
            str(w.days_late),
            str(len(w.due_next)),
        ]
        for w in report.places
    ]
    totals = report.totals
    lines.append(
        [
            _("Total"),
            "",
            f"{totals['percent']}%",
            str(totals["done"]),
            str(totals["overdue"]),
            "",
            str(totals["due_next"]),
        ]
    )
    return head, lines
