"""Statistics of the rolls (DOMAIN §11): registered voters by category, sex, age band
and ethnicity, for a village or community (one row per 小组), a township (one row per
village or community) or the county (one row per township).

Every count comes from one grouped query per election day — age is counted on the D of
each voter's own place — and the rows, the totals and every breakdown are sums of the
same cells, so a breakdown always adds up to its total (DOMAIN §11 asks for that, and
the seeds' own reports often fail it).
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case, Count, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from huanjie.places.models import Kind, Place
from huanjie.rules import ages
from huanjie.rules.eligibility import REASON_ZH, Category, Reason
from huanjie.voters import rolls
from huanjie.voters.models import Exclusion, Voter

CATEGORIES = [c.value for c in Category]
SEXES = ("M", "F")
#: Shown for a voter whose ethnicity the residents file left empty.
UNKNOWN_ETHNICITY = "未填"


@dataclass
class Counts:
    """Registered voters, and the same number broken down four ways."""

    total: int = 0
    category: Counter = field(default_factory=Counter)
    sex: Counter = field(default_factory=Counter)
    band: Counter = field(default_factory=Counter)
    ethnicity: Counter = field(default_factory=Counter)

    def add(self, category: str, sex: str, band: str, ethnicity: str, n: int) -> None:
        self.total += n
        self.category[category] += n
        self.sex[sex] += n
        self.band[band] += n
        self.ethnicity[ethnicity or UNKNOWN_ETHNICITY] += n

    def __iadd__(self, other: Counts) -> Counts:
        self.total += other.total
        self.category.update(other.category)
        self.sex.update(other.sex)
        self.band.update(other.band)
        self.ethnicity.update(other.ethnicity)
        return self

    def breakdowns(self) -> dict[str, Counter]:
        return {
            "category": self.category,
            "sex": self.sex,
            "band": self.band,
            "ethnicity": self.ethnicity,
        }

    def adds_up(self) -> bool:
        return all(sum(c.values()) == self.total for c in self.breakdowns().values())

    @property
    def women_percent(self) -> float:
        return round(100 * self.sex["F"] / self.total, 1) if self.total else 0.0


@dataclass
class Row:
    """One line of the table: a place below the one asked for (a 小组, a village or
    community, a township), or the voters of a village with no 小组 (``place`` None)."""

    place: Place | None
    label: str
    counts: Counts = field(default_factory=Counts)
    excluded: int = 0


@dataclass
class Statistics:
    place: Place
    rows: list[Row]
    total: Counts
    excluded: Counter  # reason → people not registered, over the places of the scope
    places: int  # villages and communities counted
    ethnicities: list[str]  # most numerous first

    @property
    def bands(self):
        return ages.AGE_BANDS

    @property
    def categories(self):
        return CATEGORIES

    def adds_up(self) -> bool:
        """Each breakdown of the total and of every row sums to its total, and the rows
        sum to the total."""
        summed = Counts()
        for row in self.rows:
            summed += row.counts
        return (
            self.total.adds_up()
            and all(row.counts.adds_up() for row in self.rows)
            and summed == self.total
        )


def _band_case(day: date) -> Case:
    whens = []
    for band in ages.AGE_BANDS:
        after, until = ages.born_between(band, day)
        condition = Q()
        if after is not None:
            condition &= Q(birth_date__gt=after)
        if until is not None:
            condition &= Q(birth_date__lte=until)
        whens.append(When(condition, then=Value(band.key)))
    return Case(*whens, default=Value(""))


def row_places(place: Place, electing: list[Place]) -> dict[int, Place]:
    """Each counted place → the row it is counted in: the child of ``place`` it lies
    under (for a township, the place itself)."""
    children = list(Place.objects.filter(parent=place).exclude(kind=Kind.GROUP).order_by("code"))
    rows = {}
    for p in electing:
        rows[p.id] = next((c for c in children if c.contains(p)), p)
    return rows


def compute(cycle, place: Place, today: date | None = None) -> Statistics:
    """The statistics of the listed voters of ``cycle`` in ``place`` and below."""
    electing = [place] if place.is_electing else rolls.scope_places(place)
    days = rolls.election_days(cycle)
    fallback = today or timezone.localdate()
    by_day: dict[date, list[int]] = defaultdict(list)
    for p in electing:
        by_day[days.get(p.code, fallback)].append(p.id)
    by_id = {p.id: p for p in electing}

    rows: dict[object, Row] = {}
    if place.is_electing:
        groups = Place.objects.filter(parent=place, kind=Kind.GROUP).order_by("code")
        for group in groups:
            rows[group.id] = Row(group, group.name)
        key_field = "group_id"
    else:
        owner = row_places(place, electing)
        for p in sorted(set(owner.values()), key=lambda p: p.code):
            rows[p.id] = Row(p, p.name)
        key_field = "place_id"

    total = Counts()
    for day, ids in by_day.items():
        cells = (
            Voter.objects.filter(cycle=cycle, place_id__in=ids, status=Voter.Status.LISTED)
            .values(key_field, "category", "sex", "ethnicity", band=_band_case(day))
            .annotate(n=Count("id"))
            .order_by()
        )
        for cell in cells:
            key = cell[key_field]
            if not place.is_electing:
                key = owner[key].id
            if key not in rows:
                rows[key] = Row(None, _("No group (小组)"))
            args = (cell["category"], cell["sex"], cell["band"], cell["ethnicity"], cell["n"])
            rows[key].counts.add(*args)
            total.add(*args)

    excluded: Counter = Counter()
    for place_id, reason, n in (
        Exclusion.objects.filter(cycle=cycle, place_id__in=list(by_id))
        .values_list("place_id", "reason")
        .annotate(n=Count("id"))
        .order_by()
    ):
        excluded[reason] += n
        if not place.is_electing:
            rows[owner[place_id].id].excluded += n
    ordered = [row for key, row in rows.items() if key is not None]
    ordered += [row for key, row in rows.items() if key is None]
    return Statistics(
        place=place,
        rows=ordered,
        total=total,
        excluded=excluded,
        places=len(electing),
        ethnicities=[e for e, _n in total.ethnicity.most_common()],
    )


def reasons(stats: Statistics) -> list[tuple[str, str, int]]:
    """(reason, Chinese wording, people) of the exclusions, in the rules' order."""
    return [(r.value, REASON_ZH[r], stats.excluded[r.value]) for r in Reason if stats.excluded[r]]


def header(stats: Statistics) -> list[str]:
    """The column titles of the table, as the page and the XLSX file show them."""
    return [
        _("Place"),
        _("Registered voters"),
        *stats.categories,
        _("Men"),
        _("Women"),
        *(band.label for band in stats.bands),
        *stats.ethnicities,
        _("Not registered"),
    ]


def line(stats: Statistics, counts: Counts, label: str, excluded: int | None) -> list:
    return [
        label,
        counts.total,
        *(counts.category[c] for c in stats.categories),
        *(counts.sex[s] for s in SEXES),
        *(counts.band[b.key] for b in stats.bands),
        *(counts.ethnicity[e] for e in stats.ethnicities),
        excluded,
    ]


def table(stats: Statistics) -> list[list]:
    """The rows of the table, the total last; "not registered" is left empty for the
    rows of 小组 (an exclusion belongs to the village, not to a group)."""
    body = [
        line(stats, row.counts, row.label, None if stats.place.is_electing else row.excluded)
        for row in stats.rows
    ]
    return [*body, line(stats, stats.total, _("Total"), sum(stats.excluded.values()))]


def workbook(stats: Statistics, cycle) -> bytes:
    """The table as an XLSX file: the same columns and rows as the page, then the people
    not registered by reason."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("Registered voters")[:31]
    title = _("%(place)s: voter registration statistics") % {"place": stats.place.name}
    sheet.append([title])
    sheet.append([cycle.name])
    sheet.append([])
    sheet.append(header(stats))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for values in table(stats):
        sheet.append(values)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 24
    sheet.freeze_panes = "B5"

    other = book.create_sheet(_("Not registered")[:31])
    other.append([_("Reason"), _("Code"), _("People")])
    for cell in other[1]:
        cell.font = Font(bold=True)
    for reason, wording, n in reasons(stats):
        other.append([wording, reason, n])
    other.append([_("Total"), "", sum(stats.excluded.values())])
    other.column_dimensions["A"].width = 28
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
