"""The rolls of a cycle, built from the residents by the rules core (DOMAIN §4).

Who is registered where is decided by :func:`huanjie.rules.eligibility.register`, the
function ``huanjie roll build`` uses too; this module only reads residents, writes the
outcome and keeps what people decided (a township's choice in a conflict) across
rebuilds. A roll is rebuilt for a scope — a place, or every place of a township — until
it is posted; after that it changes only by objections and supplementary registration.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from pypinyin import Style, pinyin

from huanjie import bulk
from huanjie.accounts import permissions
from huanjie.audit.trail import record
from huanjie.cycles.models import Election
from huanjie.cycles.services import RuleViolation
from huanjie.places.models import Place
from huanjie.rules import changes, eligibility, names, seats
from huanjie.voters.models import Conflict, Exclusion, Publication, Resident, RollChange, Voter

#: The fields of a resident that the rules read, in the order of :func:`person_from`.
PERSON_FIELDS = (
    "id_number",
    "name",
    "household_code",
    "residence_code",
    "lives_since",
    "deprived_of_rights",
    "incapacitated",
    "intent",
    "approved",
    "staff_code",
)


def person_from(values: tuple) -> eligibility.Person:
    """The rules core's view of a resident, from the values of :data:`PERSON_FIELDS`."""
    number, name, household, residence, since, deprived, incapacitated, intent, approved, staff = (
        values
    )
    return eligibility.Person(
        number,
        name,
        household,
        residence,
        bulk.day(since),
        bool(deprived),
        bool(incapacitated),
        eligibility.Intent(intent or ""),
        bool(approved),
        staff or "",
    )


def person_of(resident: Resident) -> eligibility.Person:
    return person_from(tuple(getattr(resident, f) for f in PERSON_FIELDS))


@lru_cache(maxsize=20_000)
def _initial(char: str) -> str:
    letters = pinyin(char, style=Style.FIRST_LETTER, errors="ignore")
    return letters[0][0].lower() if letters and letters[0] else ""


def initials(name: str) -> str:
    """Pinyin initials, for searching a roll by typing "wxm" for 王小明."""
    return "".join(_initial(c) for c in name)


def _days(cycle):
    bodies = [b.value for b in (seats.Body.VILLAGERS_COMMITTEE, seats.Body.RESIDENTS_COMMITTEE)]
    return Election.objects.filter(cycle=cycle, body__in=bodies, election_day__isnull=False)


def election_days(cycle) -> dict[str, date]:
    """D of each place of the cycle: the day of its 村/居委会 election."""
    return dict(_days(cycle).values_list("place__code", "election_day").iterator())


def day_of(cycle, place) -> date | None:
    """D of one place, if set."""
    return _days(cycle).filter(place=place).values_list("election_day", flat=True).first()


def day_for(person: eligibility.Person, days: Mapping[str, date]) -> date | None:
    """The D that decides a person's age: that of the first of their communities with
    an election in this cycle (户籍地 first)."""
    for code in eligibility.communities(person):
        if code in days:
            return days[code]
    return None


def scope_places(scope: Place) -> list[Place]:
    return list(Place.objects.within(scope).electing().order_by("code"))


def _relevant(scope: Place):
    prefix = scope.prefix
    return Resident.objects.filter(in_records=True).filter(
        Q(household_code__startswith=prefix)
        | Q(residence_code__startswith=prefix)
        | Q(staff_code__startswith=prefix)
    )


def published_places(cycle, places: Iterable[Place]) -> list[Place]:
    ids = {p.id for p in places}
    posted = set(
        Publication.objects.filter(
            cycle=cycle, kind=Publication.Kind.VOTER_LIST, place_id__in=ids
        ).values_list("place_id", flat=True)
    )
    return [p for p in places if p.id in posted]


def require_unpublished(cycle, places: Iterable[Place]) -> None:
    posted = published_places(cycle, places)
    if posted:
        raise RuleViolation(
            _(
                "The voter list of %(places)s has been posted; it now changes only by "
                "objections (申诉) and supplementary registration (补登) (DOMAIN §4)."
            )
            % {"places": "、".join(p.name for p in posted)}
        )


def registrations(
    cycle, scope: Place, today: date | None = None, *, details: dict | None = None
) -> dict[str, eligibility.Registration]:
    """The outcome of the rules for every resident concerned by the scope, by ID number,
    with the township's decisions in conflicts applied. ``details``, if given, receives
    each resident's (id, ethnicity, group id) by ID number, read in the same pass."""
    today = today or timezone.localdate()
    days = election_days(cycle)
    decided = dict(
        Conflict.objects.filter(cycle=cycle, status=Conflict.Status.RESOLVED).values_list(
            "id_number", "registered_code"
        )
    )
    outcome = {}
    fields = ("id", "ethnicity", "group_id", *PERSON_FIELDS)
    for values in bulk.rows(_relevant(scope), fields):
        person = person_from(values[3:])
        if details is not None:
            details[person.id_number] = values[:3]
        day = day_for(person, days)
        if day is None:
            continue
        result = eligibility.register(person, day, today)
        if person.id_number in decided:
            try:
                result = eligibility.settle(result, decided[person.id_number])
            except ValueError:
                pass  # the data changed under the decision; the conflict opens again
        outcome[person.id_number] = result
    return outcome


def listed_places(cycle, scope: Place | None = None) -> dict[str, str]:
    """ID number → code of the place whose roll lists the person."""
    voters = Voter.objects.filter(cycle=cycle, status=Voter.Status.LISTED)
    if scope is not None:
        voters = voters.filter(place__code__startswith=scope.prefix)
    return dict(voters.values_list("id_number", "place__code").iterator(chunk_size=bulk.CHUNK))


def last_roll(cycle, scope: Place):
    """The cycle whose roll a new one is compared with: this one, if the scope has a
    roll yet, else the county's most recent earlier cycle that has one
    (在上届选民登记的基础上); ``None`` if there is none."""
    earlier = type(cycle).objects.filter(county=cycle.county, starts_on__lt=cycle.starts_on)
    for candidate in [cycle, *earlier.order_by("-starts_on")]:
        if Voter.objects.filter(cycle=candidate, place__code__startswith=scope.prefix).exists():
            return candidate
    return None


def snapshot(cycle, scope: Place) -> dict[str, eligibility.Registration]:
    """The last roll as it stands, to compare a new roll with (四增四减): for each
    person of the scope's residents, where that roll lists them and why it left them
    out elsewhere, as it said then — someone under age on the last D shows as such,
    whatever the age on this D. Empty when the scope never had a roll: a first roll
    has no changes to show."""
    last = last_roll(cycle, scope)
    if last is None:
        return {}
    listed = listed_places(last, scope)
    excluded: dict[str, list[tuple[str, eligibility.Reason]]] = {}
    for number, code, reason in (
        Exclusion.objects.filter(cycle=last, place__code__startswith=scope.prefix)
        .values_list("id_number", "place__code", "reason")
        .iterator(chunk_size=bulk.CHUNK)
    ):
        excluded.setdefault(number, []).append((code, eligibility.Reason(reason)))
    people = _relevant(scope).values_list(*PERSON_FIELDS).iterator(chunk_size=bulk.CHUNK)
    return {
        person.id_number: eligibility.Registration(
            person,
            listed.get(person.id_number),
            excluded=tuple(excluded.get(person.id_number, ())),
        )
        for person in map(person_from, people)
    }


@dataclass
class Built:
    places: int = 0
    voters: int = 0
    excluded: int = 0
    conflicts: int = 0
    changes: Counter = dataclasses.field(default_factory=Counter)

    def as_dict(self) -> dict:
        return {
            "places": self.places,
            "voters": self.voters,
            "excluded": self.excluded,
            "conflicts": self.conflicts,
            "changes": dict(self.changes),
        }


@transaction.atomic
def build(
    user,
    cycle,
    scope: Place,
    *,
    batch=None,
    before: Mapping[str, eligibility.Registration] | None = None,
    hints: Mapping[str, str] | None = None,
    today: date | None = None,
) -> Built:
    """Rebuild the rolls of the electing places within ``scope`` from the residents.

    With ``before`` (a :func:`snapshot` taken before new residents were written) the
    differences are stored as 四增四减 lines of ``batch``. People registered by the new
    data in one of these places are taken off the unposted roll of any other place, so
    that nobody is listed twice.
    """
    permissions.require(user, permissions.REGISTER_VOTERS, scope)
    places = scope_places(scope)
    if not places:
        raise RuleViolation(_("%(place)s has no villages or communities.") % {"place": scope})
    require_unpublished(cycle, places)
    days = election_days(cycle)
    missing = [p.name for p in places if p.code not in days]
    if missing:
        raise RuleViolation(
            _("Set the election day first: %(places)s") % {"places": "、".join(missing)}
        )
    by_code = {p.code: p for p in places}
    details: dict[str, tuple] = {}
    outcome = registrations(cycle, scope, today, details=details)

    # Clear the scope's roll; people it now registers leave any other unposted roll.
    # Nothing points at the lines of an unposted roll: objections come after posting.
    bulk.delete(Voter.objects.filter(cycle=cycle, place__in=places, source=Voter.Source.ROLL))
    bulk.delete(Exclusion.objects.filter(cycle=cycle, place__in=places))
    elsewhere = {
        number: code
        for number, code in listed_places(cycle).items()
        if number in outcome and code not in by_code
    }
    moving = [n for n, code in elsewhere.items() if outcome[n].place in by_code]
    if moving:
        others = Place.objects.filter(code__in={elsewhere[n] for n in moving})
        posted = {p.code for p in published_places(cycle, others)}
        moving = [n for n in moving if elsewhere[n] not in posted]
        for start in range(0, len(moving), 500):
            bulk.delete(
                Voter.objects.filter(
                    cycle=cycle,
                    id_number__in=moving[start : start + 500],
                    status=Voter.Status.LISTED,
                    source=Voter.Source.ROLL,
                )
            )
    moving = set(moving)

    # Residents who left the records leave every roll not yet posted.
    posted_ids = list(
        Publication.objects.filter(cycle=cycle, kind=Publication.Kind.VOTER_LIST).values_list(
            "place_id", flat=True
        )
    )
    bulk.delete(
        Voter.objects.filter(
            cycle=cycle, source=Voter.Source.ROLL, resident__in_records=False
        ).exclude(place_id__in=posted_ids)
    )

    result = Built(places=len(places))
    lines: dict[str, list[tuple]] = {code: [] for code in by_code}
    # People of the scope whom the rules register in a place outside it, listed nowhere
    # yet, are added at the end of that place's roll if it is built and not posted.
    outside: dict[str, list[tuple]] = {}
    exclusions = []
    for number, reg in outcome.items():
        person = reg.person
        if reg.place in by_code:
            if number not in elsewhere or number in moving:
                lines[reg.place].append((number, person.name, reg, *details[number]))
        elif reg.place in days and number not in elsewhere:
            outside.setdefault(reg.place, []).append((number, person.name, reg, *details[number]))
        for code, reason in reg.excluded:
            if code in by_code:
                exclusions.append(
                    (
                        cycle.id,
                        by_code[code].id,
                        details[number][0],
                        number,
                        person.name,
                        reason.value,
                    )
                )
    place_ids = {code: p.id for code, p in by_code.items()}
    starts = dict.fromkeys(by_code, 1)
    if outside:
        extra = {
            p.code: p for p in Place.objects.filter(code__in=outside).exclude(id__in=posted_ids)
        }
        tops = dict(
            Voter.objects.filter(cycle=cycle, place__in=extra.values())
            .values_list("place__code")
            .annotate(top=Max("number"))
        )
        for code, entries in outside.items():
            # A place whose roll is not built yet lists them when it is.
            if code in extra and code in tops:
                lines[code] = entries
                place_ids[code] = extra[code].id
                starts[code] = tops.get(code, 0) + 1
    now = timezone.now()
    first = bulk.first_id(Voter)
    rows = []
    for code, entries in lines.items():
        entries.sort(key=lambda e: (e[5] or 0, names.sort_key(e[1])))
        numbered = enumerate(entries, start=starts[code])
        for n, (number, name, reg, resident, ethnicity, group) in numbered:
            rows.append(
                (
                    first + len(rows),
                    cycle.id,
                    place_ids[code],
                    resident,
                    n,
                    number,
                    name,
                    initials(name),
                    reg.sex,
                    reg.birth_date.isoformat(),
                    ethnicity,
                    reg.category.value,
                    group,
                    Voter.Source.ROLL.value,
                    Voter.Status.LISTED.value,
                    "",
                    now,
                )
            )
    bulk.insert(
        Voter,
        (
            "id",
            "cycle_id",
            "place_id",
            "resident_id",
            "number",
            "id_number",
            "name",
            "name_initials",
            "sex",
            "birth_date",
            "ethnicity",
            "category",
            "group_id",
            "source",
            "status",
            "note",
            "added_at",
        ),
        rows,
    )
    bulk.reset_sequences(Voter)
    bulk.insert(
        Exclusion,
        ("cycle_id", "place_id", "resident_id", "id_number", "name", "reason"),
        exclusions,
    )
    result.voters = sum(len(lines[code]) for code in by_code)
    result.excluded = len(exclusions)
    result.conflicts = _record_conflicts(cycle, outcome, by_code, details)
    if before and batch is not None:
        result.changes = _record_changes(cycle, batch, by_code, before, outcome, hints or {})
    record(
        user,
        "voters.roll_built",
        scope,
        after={"cycle": cycle.id, **result.as_dict()},
        place=scope,
    )
    return result


def _record_conflicts(cycle, outcome, by_code, details) -> int:
    """Open a conflict for each person of the scope qualifying in several communities,
    unless the township has settled it; the others are left as they are."""
    # A conflict about someone no longer in the records is moot.
    Conflict.objects.filter(
        cycle=cycle, status=Conflict.Status.OPEN, resident__in_records=False
    ).delete()
    existing = {
        c.id_number: c for c in Conflict.objects.filter(cycle=cycle) if c.id_number in outcome
    }
    stale = [
        c.id
        for number, c in existing.items()
        if c.status == Conflict.Status.OPEN or outcome[number].place != c.registered_code
    ]
    for start in range(0, len(stale), 500):
        bulk.delete(Conflict.objects.filter(id__in=stale[start : start + 500]))
    kept = {n for n, c in existing.items() if c.id not in stale}
    new = []
    for number, reg in outcome.items():
        if number in kept or not reg.others:
            continue
        if not ({reg.place, *dict(reg.others)} & by_code.keys()):
            continue
        new.append(
            (
                cycle.id,
                details[number][0],
                number,
                reg.person.name,
                json.dumps(options_of(reg), ensure_ascii=False),
                reg.place,
                Conflict.Status.OPEN.value,
                "",
            )
        )
    bulk.insert(
        Conflict,
        (
            "cycle_id",
            "resident_id",
            "id_number",
            "name",
            "options",
            "registered_code",
            "status",
            "note",
        ),
        new,
    )
    return len(new) + len(kept)


def options_of(reg: eligibility.Registration) -> list[list[str]]:
    """The communities a person qualifies in, the registered one first, with categories."""
    return [[code, category.value] for code, category in ((reg.place, reg.category), *reg.others)]


def _record_changes(cycle, batch, by_code, before, outcome, hints) -> Counter:
    counts: Counter = Counter()
    rows = []
    for number in before.keys() | outcome.keys():
        old, new = before.get(number), outcome.get(number)
        for code in {old.place if old else None, new.place if new else None} & by_code.keys():
            change = changes.classify(code, old, new, hints.get(number, ""))
            if change is None:
                continue
            counts[change.value] += 1
            person = (new or old).person
            rows.append((cycle.id, by_code[code].id, batch.id, number, person.name, change.value))
    bulk.insert(
        RollChange, ("cycle_id", "place_id", "batch_id", "id_number", "name", "change"), rows
    )
    return counts
