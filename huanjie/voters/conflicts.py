"""Conflicts: one person who qualifies in more than one community (不重登, DOMAIN §4).

The rules core registers such a person in the community of the best category and opens
a :class:`~huanjie.voters.models.Conflict`; the township (or the county, when the
communities lie in more than one township) confirms that choice or picks another of
the communities. :func:`resolve` carries the decision out on the rolls at once — the
person leaves one roll and joins the other — and :func:`huanjie.voters.rolls.build`
keeps it on every rebuild. A decision can be changed by resolving again, as long as
neither roll has been posted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from huanjie.accounts import permissions
from huanjie.audit.trail import record
from huanjie.cycles.services import RuleViolation
from huanjie.places.models import Place
from huanjie.rules import eligibility
from huanjie.voters import rolls
from huanjie.voters.models import Conflict, Exclusion, Voter

#: What the audit record keeps of a conflict, before and after a decision.
FIELDS = ("registered_code", "status", "note", "listed_in")

#: Added to voter numbers while closing a gap, so that no two lines of a roll ever
#: share a number, even for a moment (the database checks each row as it is updated).
_SHIFT = 1_000_000


@dataclass(frozen=True)
class Option:
    """One community where the person qualifies, as the conflict pages show it."""

    code: str
    category: str
    place: Place | None  # None: a community outside the places this system holds
    registered: bool  # the community the rules (or the last decision) chose
    listed: bool  # the roll that lists the person now

    @property
    def name(self) -> str:
        return self.place.name if self.place else self.code


def codes_of(conflict: Conflict) -> list[str]:
    return [code for code, _category in conflict.options]


def places_of(conflicts) -> dict[str, Place]:
    """The places of all the options of ``conflicts`` that the database holds, by code."""
    codes = {code for c in conflicts for code in codes_of(c)}
    return Place.objects.in_bulk(codes, field_name="code")


def listed_in(cycle, numbers) -> dict[str, str]:
    """ID number → code of the community whose roll lists the person."""
    return dict(
        Voter.objects.filter(
            cycle=cycle, id_number__in=list(numbers), status=Voter.Status.LISTED
        ).values_list("id_number", "place__code")
    )


def options(conflict: Conflict, places: dict[str, Place], listed: str | None) -> list[Option]:
    return [
        Option(code, category, places.get(code), code == conflict.registered_code, code == listed)
        for code, category in conflict.options
    ]


def within(cycle, scope: Place, status: str | None = None) -> list[Conflict]:
    """The conflicts of the cycle with at least one community in ``scope``, open ones
    first, then by name.

    The options are JSON; the database narrows the search by the text of the prefix
    and the exact test on each code is made here.
    """
    found = Conflict.objects.filter(cycle=cycle, options__icontains=scope.prefix)
    if status:
        found = found.filter(status=status)
    return [
        c
        for c in found.select_related("decided_by").order_by("status", "name", "id")
        if any(code.startswith(scope.prefix) for code in codes_of(c))
    ]


def can_resolve(user, conflict: Conflict, places: dict[str, Place]) -> bool:
    """Whether ``user`` may decide: every community of the conflict that the database
    holds must be within their scope, with the capability to resolve there."""
    held = [places[code] for code in codes_of(conflict) if code in places]
    return bool(held) and all(
        permissions.can(user, permissions.RESOLVE_CONFLICTS, place) for place in held
    )


def _require(user, conflict: Conflict, places: dict[str, Place]) -> None:
    """404 when none of the communities is the user's, 403 when the user lacks the
    capability or one of the communities lies outside their scope (the county decides
    for conflicts across townships)."""
    scope = permissions.scope_of(user)
    if scope is None:
        raise PermissionDenied
    held = [places[code] for code in codes_of(conflict) if code in places]
    mine = [place for place in held if scope.contains(place)]
    if not mine:
        raise Http404
    for place in mine:
        permissions.require(user, permissions.RESOLVE_CONFLICTS, place)
    if len(mine) < len(held):
        raise PermissionDenied


def _roll_exists(cycle, place: Place) -> bool:
    """Whether the roll of ``place`` has been built: a built roll has lines or, for a
    place where nobody qualifies, exclusions."""
    return (
        Voter.objects.filter(cycle=cycle, place=place).exists()
        or Exclusion.objects.filter(cycle=cycle, place=place).exists()
    )


def _close_gap(cycle, place: Place, number: int) -> None:
    """Renumber the lines after ``number`` one down, so that the roll has no hole where
    someone left it (a gap on a posted list looks like a name taken off)."""
    after = Voter.objects.filter(cycle=cycle, place=place, number__gt=number)
    after.update(number=F("number") + _SHIFT)
    Voter.objects.filter(cycle=cycle, place=place, number__gt=_SHIFT).update(
        number=F("number") - _SHIFT - 1
    )


def _next_number(cycle, place: Place) -> int:
    top = Voter.objects.filter(cycle=cycle, place=place).aggregate(top=Max("number"))["top"]
    return (top or 0) + 1


def _outcomes(
    conflict: Conflict, code: str, today: date | None
) -> tuple[eligibility.Registration, eligibility.Registration]:
    """What the rules say of the person today: their own choice, and with ``code``
    chosen instead."""
    cycle = conflict.cycle
    person = rolls.person_of(conflict.resident)
    day = rolls.day_for(person, rolls.election_days(cycle))
    if day is None:
        raise RuleViolation(
            _("Set the election day of %(name)s's communities first.") % {"name": conflict.name}
        )
    outcome = eligibility.register(person, day, today or timezone.localdate())
    try:
        return outcome, eligibility.settle(outcome, code)
    except ValueError:
        raise RuleViolation(
            _(
                "The residents' data of %(name)s have changed since the roll was built and "
                "%(code)s is no longer a community where they qualify: rebuild the rolls "
                "first (DOMAIN §4)."
            )
            % {"name": conflict.name, "code": code}
        ) from None


@transaction.atomic
def resolve(user, conflict: Conflict, code: str, note: str = "", *, today=None) -> Conflict:
    """Register the person of ``conflict`` in the community ``code``.

    The line on the roll where the person is listed goes, and a line is added at the
    end of the chosen community's roll (if that roll has been built; otherwise the next
    build lists the person there). The exclusions of the two communities follow: the
    one left gets "registered elsewhere", the chosen one loses its exclusion. Refused
    when either roll has been posted (it then changes only by objections, DOMAIN §4).
    A choice other than the rules' needs a note saying why.
    """
    conflict = (
        Conflict.objects.select_for_update(of=("self",))
        .select_related("cycle", "resident")
        .get(pk=conflict.pk)
    )
    places = places_of([conflict])
    _require(user, conflict, places)
    if not conflict.resident.in_records:
        raise RuleViolation(
            _("%(name)s is no longer in the household records: there is nothing to decide.")
            % {"name": conflict.name}
        )
    cycle = conflict.cycle
    note = note.strip()[:200]
    if code not in codes_of(conflict):
        raise RuleViolation(
            _("%(code)s is not one of the communities where %(name)s qualifies.")
            % {"code": code, "name": conflict.name}
        )
    if code == conflict.registered_code and conflict.status == Conflict.Status.RESOLVED:
        raise RuleViolation(
            _("%(name)s is already registered in %(place)s.")
            % {"name": conflict.name, "place": _name(places, code)}
        )
    outcome, settled = _outcomes(conflict, code, today)
    if code != outcome.place and not note:
        raise RuleViolation(
            _("Say why %(name)s is registered in %(place)s rather than where the rules put them.")
            % {"name": conflict.name, "place": _name(places, code)}
        )
    line = (
        Voter.objects.select_for_update(of=("self",))
        .select_related("place")
        .filter(cycle=cycle, id_number=conflict.id_number, status=Voter.Status.LISTED)
        .first()
    )
    if line is not None:  # normally one of the options; held all the same if not
        places.setdefault(line.place.code, line.place)
    concerned = {conflict.registered_code, code} | ({line.place.code} if line else set())
    rolls.require_unpublished(cycle, [places[c] for c in sorted(concerned) if c in places])
    if line is not None and line.place.code != code and line.source != Voter.Source.ROLL:
        raise RuleViolation(
            _(
                "%(name)s was added to the roll of %(place)s by %(source)s; that line is not "
                "the rules' to move."
            )
            % {"name": conflict.name, "place": line.place.name, "source": line.get_source_display()}
        )
    before = _picture(conflict, line.place.code if line else None)
    built = [places[c] for c in sorted(concerned) if c in places and _roll_exists(cycle, places[c])]

    chosen = places.get(code)
    if line is not None and line.place.code != code:
        left, number = line.place, line.number
        line.delete()
        _close_gap(cycle, left, number)
        line = None
    if line is None and chosen in built:
        line = _add_line(conflict, chosen, settled)
    _replace_exclusions(conflict, settled, built)

    conflict.options = [pair for pair in conflict.options if pair[0] == code] + [
        pair for pair in conflict.options if pair[0] != code
    ]
    conflict.registered_code = code
    conflict.status = Conflict.Status.RESOLVED
    conflict.decided_by = user
    conflict.decided_at = timezone.now()
    conflict.note = note
    conflict.save()
    after = _picture(conflict, line.place.code if line else None)
    where = chosen or places.get(before["registered_code"]) or next(iter(places.values()))
    record(user, "voters.conflict_resolved", conflict, before=before, after=after, place=where)
    return conflict


def _name(places: dict[str, Place], code: str) -> str:
    return places[code].name if code in places else code


def _picture(conflict: Conflict, listed: str | None) -> dict:
    return {
        "registered_code": conflict.registered_code,
        "status": conflict.status,
        "note": conflict.note,
        "listed_in": listed,
    }


def _add_line(conflict: Conflict, place: Place, settled: eligibility.Registration) -> Voter:
    resident = conflict.resident
    group = resident.group if resident.group_id else None
    return Voter.objects.create(
        cycle=conflict.cycle,
        place=place,
        resident=resident,
        number=_next_number(conflict.cycle, place),
        id_number=conflict.id_number,
        name=resident.name,
        name_initials=rolls.initials(resident.name),
        sex=settled.sex,
        birth_date=settled.birth_date,
        ethnicity=resident.ethnicity,
        category=settled.category.value,
        group=group if group is not None and place.contains(group) else None,
        source=Voter.Source.ROLL,
        status=Voter.Status.LISTED,
    )


def _replace_exclusions(conflict: Conflict, settled: eligibility.Registration, places) -> None:
    """The person's exclusions in ``places`` (the communities concerned whose roll has
    been built), as the settled outcome says."""
    Exclusion.objects.filter(
        cycle=conflict.cycle, id_number=conflict.id_number, place__in=places
    ).delete()
    by_code = {place.code: place for place in places}
    Exclusion.objects.bulk_create(
        Exclusion(
            cycle=conflict.cycle,
            place=by_code[code],
            resident=conflict.resident,
            id_number=conflict.id_number,
            name=conflict.name,
            reason=reason.value,
        )
        for code, reason in settled.excluded
        if code in by_code
    )
