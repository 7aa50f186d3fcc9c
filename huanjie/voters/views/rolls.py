"""The rolls (选民名单) of a cycle: a community's roll with its filters and search, the
people it leaves out and why, one voter's line, the rebuild button, and for a township
or the county the list of its places with their counts.

ID numbers are masked on every list (rules.identity.mask_id); only a single voter's
page shows the full number, and only to those who keep the roll (REGISTER_VOTERS).
Who is on a roll is decided by the rules core through ``huanjie.voters.rolls``; these
views only read the outcome and call the services.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from huanjie.accounts import permissions
from huanjie.audit.trail import history
from huanjie.cycles.services import RuleViolation
from huanjie.cycles.timeline import localized
from huanjie.cycles.views import current_cycle, scoped_cycle, scoped_place
from huanjie.places.models import Kind, Place
from huanjie.rules import ages
from huanjie.rules.eligibility import REASON_ZH, Reason
from huanjie.rules.identity import age_on, mask_id
from huanjie.search import id_or_name
from huanjie.voters import conflicts, rolls, statistics
from huanjie.voters.models import Category, Conflict, Exclusion, Publication, Resident, Sex, Voter

PAGE_SIZE = 50

#: English wording of the reasons a person is not on a roll (REASON_ZH is the Chinese).
REASON_EN = {
    Reason.INVALID_ID: gettext_lazy("Invalid ID number"),
    Reason.DUPLICATE_RECORD: gettext_lazy("Duplicate record"),
    Reason.UNDER_AGE: gettext_lazy("Under 18 on election day"),
    Reason.DEPRIVED_OF_RIGHTS: gettext_lazy("Deprived of political rights"),
    Reason.INCAPACITATED: gettext_lazy("Unable to express their will"),
    Reason.ABSENT_DECLINED: gettext_lazy("Lives elsewhere, declined to take part"),
    Reason.ABSENT_UNREACHABLE: gettext_lazy("Lives elsewhere, could not be reached"),
    Reason.ABSENT_NO_INTENT: gettext_lazy("Lives elsewhere, did not say they will take part"),
    Reason.NOT_APPLIED: gettext_lazy("Lives here, registered elsewhere, did not apply"),
    Reason.RESIDENCE_TOO_SHORT: gettext_lazy("Lived here less than a year"),
    Reason.NOT_APPROVED: gettext_lazy("Not agreed by the voters' meeting"),
    Reason.REGISTERED_ELSEWHERE: gettext_lazy("Registered in another community"),
}


def reason_label(reason: str) -> str:
    """The reason in the user's language: the official Chinese wording, or English."""
    try:
        known = Reason(reason)
    except ValueError:
        return reason
    return localized(REASON_ZH[known], str(REASON_EN[known]))


def cycle_place(request, pk: int, code: str, capability: str = permissions.VIEW):
    """The cycle and a place of its county that the user may see (404 otherwise)."""
    cycle = scoped_cycle(request, pk)
    place = scoped_place(request, code, capability)
    if not cycle.county.contains(place) or place.kind == Kind.GROUP:
        raise Http404
    return cycle, place


# Filtering and search


_INITIALS = re.compile(r"[A-Za-z]+")


def search(found, q: str):
    """Narrow a queryset of roll lines (or exclusions) by what was typed: digits are an
    ID number, whole or its last digits; Latin letters are pinyin initials ("wxm" finds
    王小明); anything else is part of a name."""
    q = q.strip()
    if _INITIALS.fullmatch(q) and found.model is Voter:
        return found.filter(name_initials__startswith=q.lower())
    return id_or_name(found, q)


@dataclass
class RollFilters:
    """What a roll may be narrowed by; unknown values are ignored rather than refused,
    as a link may outlive a group or a band."""

    category: str = ""
    group: str = ""  # a 小组 code, or "none"
    sex: str = ""
    band: str = ""  # a key of rules.ages.AGE_BANDS
    q: str = ""
    status: str = Voter.Status.LISTED

    @classmethod
    def from_query(cls, data) -> RollFilters:
        filters = cls(
            category=data.get("category", ""),
            group=data.get("group", ""),
            sex=data.get("sex", ""),
            band=data.get("band", ""),
            q=(data.get("q") or "").strip()[:50],
            status=data.get("status") or Voter.Status.LISTED,
        )
        if filters.category not in Category.values:
            filters.category = ""
        if filters.sex not in Sex.values:
            filters.sex = ""
        if filters.band not in ages.BY_KEY:
            filters.band = ""
        if filters.status not in Voter.Status.values:
            filters.status = Voter.Status.LISTED
        return filters

    def query(self) -> str:
        """The filters as a query string, for the pager's links."""
        values = {k: v for k, v in vars(self).items() if v}
        if values.get("status") == Voter.Status.LISTED:
            del values["status"]
        return urlencode(values)

    @property
    def active(self) -> bool:
        return bool(self.query())


def roll_query(cycle, place: Place, filters: RollFilters, day: date | None):
    """The lines of ``place``'s roll that match ``filters``, in roll order. The age band
    is that on the place's election day ``day`` (today when it is not set)."""
    found = Voter.objects.filter(cycle=cycle, place=place, status=filters.status)
    if filters.category:
        found = found.filter(category=filters.category)
    if filters.sex:
        found = found.filter(sex=filters.sex)
    if filters.group == "none":
        found = found.filter(group__isnull=True)
    elif filters.group:
        found = found.filter(group__code=filters.group)
    if filters.band:
        after, until = ages.born_between(ages.BY_KEY[filters.band], day or date.today())
        if after is not None:
            found = found.filter(birth_date__gt=after)
        if until is not None:
            found = found.filter(birth_date__lte=until)
    return search(found, filters.q).select_related("group").order_by("number")


def voter_rows(page, day: date | None):
    """Roll lines as the tables show them: masked number, age on D and its band."""
    for voter in page:
        age = age_on(voter.birth_date, day) if day else None
        yield {
            "voter": voter,
            "masked": mask_id(voter.id_number),
            "age": age,
            "band": ages.age_band(age).label if age is not None else "",
        }


def posted(cycle, place: Place):
    """The voter list notice of the place, if it has been posted."""
    return (
        Publication.objects.filter(cycle=cycle, place=place, kind=Publication.Kind.VOTER_LIST)
        .order_by("published_on")
        .first()
    )


def tab_counts(cycle, place: Place) -> dict:
    return {
        "listed": Voter.objects.filter(
            cycle=cycle, place=place, status=Voter.Status.LISTED
        ).count(),
        "excluded": Exclusion.objects.filter(cycle=cycle, place=place).count(),
        "conflicts": len(conflicts.within(cycle, place, Conflict.Status.OPEN)),
    }


# Pages


def roll(request, pk, code):
    """A village's or community's roll; for a township or the county, its places."""
    cycle, place = cycle_place(request, pk, code)
    if not place.is_electing:
        return _overview(request, cycle, place)
    filters = RollFilters.from_query(request.GET)
    day = rolls.day_of(cycle, place)
    found = roll_query(cycle, place, filters, day)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    notice = posted(cycle, place)
    context = {
        "cycle": cycle,
        "place": place,
        "day": day,
        "filters": filters,
        "page": page,
        "rows": list(voter_rows(page.object_list, day)),
        "counts": tab_counts(cycle, place),
        "tab": "roll",
        "categories": Category.choices,
        "sexes": Sex.choices,
        "bands": ages.AGE_BANDS,
        "groups": Place.objects.filter(parent=place, kind=Kind.GROUP).order_by("code"),
        "statuses": Voter.Status.choices,
        "posted": notice,
        "can_rebuild": notice is None
        and permissions.can(request.user, permissions.REGISTER_VOTERS, place),
    }
    template = "voters/roll_table.html" if request.htmx else "voters/roll.html"
    return render(request, template, context)


def _overview(request, cycle, place: Place):
    """One row per place below: its voters, the people left out, the open conflicts
    and whether its list has been posted."""
    electing = rolls.scope_places(place)
    owner = statistics.row_places(place, electing)
    rows = {}
    for p in sorted(set(owner.values()), key=lambda p: p.code):
        rows[p.id] = {
            "place": p,
            "places": 0,
            "voters": 0,
            "excluded": 0,
            "conflicts": 0,
            "posted": 0,
            "day": None,
        }
    days = rolls.election_days(cycle)
    posted_ids = {p.id for p in rolls.published_places(cycle, electing)}
    for p in electing:
        row = rows[owner[p.id].id]
        row["places"] += 1
        row["posted"] += p.id in posted_ids
        row["day"] = days.get(p.code)
    ids = [p.id for p in electing]
    for model, key, extra in (
        (Voter, "voters", {"status": Voter.Status.LISTED}),
        (Exclusion, "excluded", {}),
    ):
        counted = (
            model.objects.filter(cycle=cycle, place_id__in=ids, **extra)
            .values_list("place_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        for place_id, n in counted:
            rows[owner[place_id].id][key] += n
    by_code = {p.code: p for p in electing}
    still_open = conflicts.within(cycle, place, Conflict.Status.OPEN)
    for conflict in still_open:
        concerned = {
            owner[by_code[code].id].id for code in conflicts.codes_of(conflict) if code in by_code
        }
        for row_id in concerned:
            rows[row_id]["conflicts"] += 1
    table = list(rows.values())
    totals = {key: sum(r[key] for r in table) for key in ("places", "voters", "excluded", "posted")}
    # A conflict between two places of the table is on both rows, once in the total.
    totals["conflicts"] = len(still_open)
    return render(
        request,
        "voters/roll_overview.html",
        {
            "cycle": cycle,
            "place": place,
            "rows": table,
            "totals": totals,
            "children_electing": all(r["place"].is_electing for r in table),
            "can_rebuild": permissions.can(request.user, permissions.REGISTER_VOTERS, place),
        },
    )


def excluded(request, pk, code):
    """The people considered for the roll and left off it, with the rules' reason."""
    cycle, place = cycle_place(request, pk, code)
    if not place.is_electing:
        raise Http404
    reason = request.GET.get("reason", "")
    if reason not in {r.value for r in Reason}:
        reason = ""
    q = (request.GET.get("q") or "").strip()[:50]
    found = Exclusion.objects.filter(cycle=cycle, place=place)
    if reason:
        found = found.filter(reason=reason)
    found = search(found, q).order_by("reason", "name", "id")
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "exclusion": e,
            "masked": mask_id(e.id_number),
            "reason_zh": REASON_ZH.get(e.reason, e.reason),
            "reason_en": REASON_EN.get(e.reason, e.reason),
        }
        for e in page.object_list
    ]
    context = {
        "cycle": cycle,
        "place": place,
        "page": page,
        "rows": rows,
        "reason": reason,
        "q": q,
        "query": urlencode({k: v for k, v in (("reason", reason), ("q", q)) if v}),
        "reasons": [(r.value, reason_label(r.value)) for r in Reason],
        "counts": tab_counts(cycle, place),
        "tab": "excluded",
    }
    return render(request, "voters/roll_excluded.html", context)


def voter(request, pk, code, number):
    """One line of the roll, with the resident's places; the full ID number is shown
    to those who keep the roll."""
    cycle, place = cycle_place(request, pk, code)
    line = get_object_or_404(
        Voter.objects.select_related("group", "resident"), cycle=cycle, place=place, number=number
    )
    full = permissions.can(request.user, permissions.REGISTER_VOTERS, place)
    day = rolls.day_of(cycle, place)
    age = age_on(line.birth_date, day) if day else None
    resident: Resident | None = line.resident
    codes = (
        [
            (_("Household registered in"), resident.household_code),
            (_("Lives in"), resident.residence_code),
            (_("Full-time staff of"), resident.staff_code),
        ]
        if resident
        else []
    )
    names = Place.objects.in_bulk([c for _t, c in codes if c], field_name="code")
    conflict = Conflict.objects.filter(cycle=cycle, id_number=line.id_number).first()
    scope = permissions.scope_of(request.user)
    elsewhere = [
        {"exclusion": e, "reason": reason_label(e.reason)}
        for e in Exclusion.objects.filter(cycle=cycle, id_number=line.id_number)
        .filter(Q(place__code__startswith=scope.prefix))
        .select_related("place")
        .order_by("place__code")
    ]
    return render(
        request,
        "voters/roll_voter.html",
        {
            "cycle": cycle,
            "place": place,
            "line": line,
            "id_number": line.id_number if full else mask_id(line.id_number),
            "full": full,
            "day": day,
            "age": age,
            "band": ages.age_band(age).label if age is not None else "",
            "codes": [(title, c, names.get(c)) for title, c in codes],
            "conflict": conflict,
            "elsewhere": elsewhere,
            "records": history(target=conflict)[:20] if conflict else [],
        },
    )


@require_POST
def rebuild(request, pk, code):
    """Rebuild the rolls of a place (or of every place of a township) from the
    residents, keeping the decisions taken in conflicts."""
    cycle, place = cycle_place(request, pk, code, permissions.REGISTER_VOTERS)
    try:
        built = rolls.build(request.user, cycle, place)
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _(
                "Rolls rebuilt for %(places)d place(s): %(voters)d voters, %(excluded)d not "
                "registered, %(conflicts)d conflicts."
            )
            % {
                "places": built.places,
                "voters": built.voters,
                "excluded": built.excluded,
                "conflicts": built.conflicts,
            },
        )
    return redirect("roll", pk=cycle.pk, code=place.code)


def home(request):
    """The rolls of the user's own place (or the places below it) in the current cycle."""
    cycle = current_cycle(request)
    scope = permissions.scope_of(request.user)
    if cycle is None or scope is None:
        raise Http404
    return redirect("roll", cycle.pk, scope.code)


urlpatterns = [
    path("voters/", home, name="voters"),
    path("cycles/<int:pk>/places/<str:code>/voters/", roll, name="roll"),
    path("cycles/<int:pk>/places/<str:code>/voters/excluded/", excluded, name="roll-excluded"),
    path("cycles/<int:pk>/places/<str:code>/voters/rebuild/", rebuild, name="roll-rebuild"),
    path("cycles/<int:pk>/places/<str:code>/voters/<int:number>/", voter, name="roll-voter"),
]
