"""The voters part of the JSON API: rolls, the people left off them, conflicts and
their resolution, statistics.

The same lookups and services as the pages: a place or conflict outside the user's
area is 404, a missing capability 403, a refusal by a rule 400 with its message (see
``huanjie.api``). ID numbers are always masked here (rules.identity.mask_id).
"""

from datetime import date, datetime

from django.http import Http404
from ninja import Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from huanjie.accounts import permissions
from huanjie.cycles.api import scoped_cycle
from huanjie.places.api import PlaceRef, scoped_place
from huanjie.places.models import Kind
from huanjie.rules import ages
from huanjie.rules.eligibility import REASON_ZH, Reason
from huanjie.rules.identity import age_on, mask_id
from huanjie.voters import conflicts, rolls, statistics
from huanjie.voters.models import Category, Conflict, Exclusion, Sex, Voter
from huanjie.voters.views.rolls import REASON_EN, RollFilters, roll_query, search

router = Router(tags=["voters"])


# Schemas


class VoterOut(Schema):
    number: int
    name: str
    name_initials: str
    id_number: str  # masked
    sex: str
    age: int | None  # on the place's election day
    age_band: str | None
    ethnicity: str
    category: str
    group: PlaceRef | None
    source: str
    status: str


class VoterFilters(Schema):
    """``q``: part of a name, pinyin initials ("wxm") or an ID number, whole or its
    last digits. ``group``: a 小组 code, or "none". ``age_band``: a key of the bands of
    DOMAIN §11 (under_30, 30_35, 36_40, 41_45, 46_50, 51_55, over_55)."""

    q: str | None = None
    category: Category | None = None
    group: str | None = None
    sex: Sex | None = None
    age_band: str | None = None
    status: Voter.Status = Voter.Status.LISTED


class ExclusionOut(Schema):
    name: str
    id_number: str  # masked
    reason: str
    reason_zh: str
    reason_en: str


class OptionOut(Schema):
    code: str
    name: str
    category: str
    in_system: bool  # False for a community outside the places this system holds
    registered: bool
    listed: bool


class ConflictOut(Schema):
    id: int
    name: str
    id_number: str  # masked
    registered_code: str
    status: str
    options: list[OptionOut]
    can_resolve: bool
    decided_by: str | None
    decided_at: datetime | None
    note: str


class ResolveIn(Schema):
    """The community to register the person in; a note is needed when it is not the
    rules' own choice."""

    code: str
    note: str = ""


class CountsOut(Schema):
    total: int
    category: dict[str, int]
    sex: dict[str, int]
    age_band: dict[str, int]
    ethnicity: dict[str, int]


class StatisticsRow(Schema):
    place: PlaceRef | None  # None: the voters of a village in no 小组
    label: str
    counts: CountsOut
    excluded: int | None  # None for the rows of 小组


class StatisticsOut(Schema):
    cycle: int
    place: PlaceRef
    places: int
    total: CountsOut
    rows: list[StatisticsRow]
    excluded: dict[str, int]


class BuiltOut(Schema):
    places: int
    voters: int
    excluded: int
    conflicts: int
    changes: dict[str, int]


# Lookups


def cycle_place(request, id: int, code: str, capability: str = permissions.VIEW):
    cycle = scoped_cycle(request, id)
    place = scoped_place(request, code, capability)
    if not cycle.county.contains(place) or place.kind == Kind.GROUP:
        raise Http404
    return cycle, place


def electing(request, id: int, code: str):
    cycle, place = cycle_place(request, id, code)
    if not place.is_electing:
        raise Http404
    return cycle, place


def _counts(counts: statistics.Counts) -> dict:
    return {
        "total": counts.total,
        "category": {c: counts.category[c] for c in statistics.CATEGORIES},
        "sex": {s: counts.sex[s] for s in statistics.SEXES},
        "age_band": {b.key: counts.band[b.key] for b in ages.AGE_BANDS},
        "ethnicity": dict(counts.ethnicity.most_common()),
    }


def _conflicts(user, cycle, found) -> list[dict]:
    places = conflicts.places_of(found)
    listed = conflicts.listed_in(cycle, [c.id_number for c in found])
    return [
        {
            "id": c.id,
            "name": c.name,
            "id_number": mask_id(c.id_number),
            "registered_code": c.registered_code,
            "status": c.status,
            "options": [
                {
                    "code": o.code,
                    "name": o.name,
                    "category": o.category,
                    "in_system": o.place is not None,
                    "registered": o.registered,
                    "listed": o.listed,
                }
                for o in conflicts.options(c, places, listed.get(c.id_number))
            ],
            "can_resolve": conflicts.can_resolve(user, c, places),
            "decided_by": c.decided_by.get_username() if c.decided_by_id else None,
            "decided_at": c.decided_at,
            "note": c.note,
        }
        for c in found
    ]


class _Mapped:
    """Rows for the paginator: it counts and slices; only the page it keeps is turned
    into the answer's dicts (``convert`` takes one item, or the whole slice if
    ``whole``)."""

    def __init__(self, found, convert, whole: bool = False):
        self.found, self.convert, self.whole = found, convert, whole

    def __len__(self) -> int:
        return self.found.count() if hasattr(self.found, "model") else len(self.found)

    def __getitem__(self, index):
        part = list(self.found[index])
        return self.convert(part) if self.whole else [self.convert(item) for item in part]


def _voter(voter: Voter, day: date | None) -> dict:
    age = age_on(voter.birth_date, day) if day else None
    return {
        "number": voter.number,
        "name": voter.name,
        "name_initials": voter.name_initials,
        "id_number": mask_id(voter.id_number),
        "sex": voter.sex,
        "age": age,
        "age_band": ages.age_band(age).key if age is not None else None,
        "ethnicity": voter.ethnicity,
        "category": voter.category,
        "group": voter.group,
        "source": voter.source,
        "status": voter.status,
    }


def _exclusion(e: Exclusion) -> dict:
    return {
        "name": e.name,
        "id_number": mask_id(e.id_number),
        "reason": e.reason,
        "reason_zh": REASON_ZH.get(e.reason, e.reason),
        "reason_en": str(REASON_EN.get(e.reason, e.reason)),
    }


# Endpoints


@router.get("/cycles/{id}/places/{code}/voters", response=list[VoterOut])
@paginate(LimitOffsetPagination, max_limit=500)
def list_voters(request, id: int, code: str, filters: Query[VoterFilters]):
    """The roll of a village or community in roll order, filtered as on the page."""
    cycle, place = electing(request, id, code)
    day = rolls.day_of(cycle, place)
    chosen = RollFilters.from_query(
        {
            "q": filters.q or "",
            "category": filters.category or "",
            "group": filters.group or "",
            "sex": filters.sex or "",
            "band": filters.age_band or "",
            "status": filters.status,
        }
    )
    return _Mapped(roll_query(cycle, place, chosen, day), lambda v: _voter(v, day))


@router.get("/cycles/{id}/places/{code}/voters/excluded", response=list[ExclusionOut])
@paginate(LimitOffsetPagination, max_limit=500)
def list_excluded(request, id: int, code: str, reason: Reason | None = None, q: str | None = None):
    """The people considered for the roll and left off it, with the rules' reason."""
    cycle, place = electing(request, id, code)
    found = Exclusion.objects.filter(cycle=cycle, place=place)
    if reason:
        found = found.filter(reason=reason)
    found = search(found, q or "").order_by("reason", "name", "id")
    return _Mapped(found, _exclusion)


@router.post("/cycles/{id}/places/{code}/voters/rebuild", response=BuiltOut)
def rebuild(request, id: int, code: str):
    """Rebuild the unposted rolls of a place, or of every place of a township, from the
    residents; decisions taken in conflicts are kept."""
    cycle, place = cycle_place(request, id, code, permissions.REGISTER_VOTERS)
    return rolls.build(request.user, cycle, place).as_dict()


@router.get("/cycles/{id}/conflicts", response=list[ConflictOut])
@paginate(LimitOffsetPagination, max_limit=500)
def list_conflicts(
    request, id: int, place: str | None = None, status: Conflict.Status | None = None
):
    """Conflicts with a community in the user's area (or below ``place``)."""
    cycle = scoped_cycle(request, id)
    top = scoped_place(request, place) if place else permissions.scope_of(request.user)
    found = conflicts.within(cycle, top, status)
    return _Mapped(found, lambda part: _conflicts(request.user, cycle, part), whole=True)


@router.get("/cycles/{id}/conflicts/{conflict_id}", response=ConflictOut)
def get_conflict(request, id: int, conflict_id: int):
    cycle = scoped_cycle(request, id)
    return _conflicts(request.user, cycle, [_visible(request, cycle, conflict_id)])[0]


def _visible(request, cycle, conflict_id: int) -> Conflict:
    conflict = Conflict.objects.filter(cycle=cycle, pk=conflict_id).first()
    scope = permissions.scope_of(request.user)
    if conflict is None or not any(
        code.startswith(scope.prefix) for code in conflicts.codes_of(conflict)
    ):
        raise Http404
    return conflict


@router.post("/cycles/{id}/conflicts/{conflict_id}/resolve", response=ConflictOut)
def resolve(request, id: int, conflict_id: int, payload: ResolveIn):
    """Register the person in ``code``, one of the communities of the conflict. The
    same checks and audit record as on the page."""
    cycle = scoped_cycle(request, id)
    conflict = _visible(request, cycle, conflict_id)
    done = conflicts.resolve(request.user, conflict, payload.code, payload.note)
    return _conflicts(request.user, cycle, [done])[0]


@router.get("/cycles/{id}/places/{code}/voters/statistics", response=StatisticsOut)
def get_statistics(request, id: int, code: str):
    """Registered voters by category, sex, age band (on each place's D) and ethnicity,
    with one row per 小组, village/community or township below the place; every
    breakdown adds up to its total (DOMAIN §11)."""
    cycle, place = cycle_place(request, id, code)
    stats = statistics.compute(cycle, place)
    return {
        "cycle": cycle.pk,
        "place": place,
        "places": stats.places,
        "total": _counts(stats.total),
        "rows": [
            {
                "place": row.place,
                "label": row.label,
                "counts": _counts(row.counts),
                "excluded": None if place.is_electing else row.excluded,
            }
            for row in stats.rows
        ],
        "excluded": {reason: n for reason, _zh, n in statistics.reasons(stats)},
    }
