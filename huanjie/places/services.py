"""Changing places: the import of a county's tree from a spreadsheet.

An import is all-or-nothing. Every row is checked first (``huanjie.places.importer``);
if any row is wrong nothing is written and every problem is returned, so the clerk
fixes the file once instead of finding a half-imported tree. Otherwise the places are
created or updated in one transaction, each with its audit record (DOMAIN §10, 全程纪实).
"""

from dataclasses import dataclass, field

from django.db import transaction

from huanjie.accounts import permissions
from huanjie.audit.snapshot import snapshot
from huanjie.audit.trail import record
from huanjie.places import importer
from huanjie.places.models import Place

PLACE_FIELDS = ("code", "name", "kind", "population", "households")
UPDATED_FIELDS = ("name", "population", "households")


@dataclass
class ImportOutcome:
    """What an import did, or, when ``problems`` is not empty, why it did nothing."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[importer.Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _picture(place) -> dict:
    return {**snapshot(place, PLACE_FIELDS), "parent": place.parent.code if place.parent else None}


@transaction.atomic
def import_places(user, name: str, data: bytes) -> ImportOutcome:
    """Import the places of a CSV or XLSX file named ``name``.

    Only a role with EDIT_PLACES may import, and only places inside its scope; a row
    outside it is a problem of that row (the file is the clerk's, so the clerk should
    see which row, rather than being refused without a reason). The checks run inside
    the transaction so that what they saw is what the writes find.
    """
    permissions.require(user, permissions.EDIT_PLACES)
    scope = permissions.scope_of(user)
    try:
        table = importer.read_table(data, name)
    except importer.FileError as exc:
        return ImportOutcome(problems=[importer.Problem(name, None, None, str(exc))])
    existing = {
        p.code: p
        for p in Place.objects.select_for_update(of=("self",))
        .filter(code__in=importer.referenced_codes(table))
        .select_related("parent")
    }
    known = {code: importer.Known(code, p.kind) for code, p in existing.items()}
    rows, problems = importer.check(table, name, known, scope.prefix)
    if problems:
        return ImportOutcome(problems=problems)

    outcome = ImportOutcome()
    for row in rows:
        parent = existing.get(row.parent) if row.parent else None
        place = existing.get(row.code)
        if place is None:
            place = Place.objects.create(
                code=row.code,
                name=row.name,
                kind=row.kind,
                parent=parent,
                population=row.population or 0,
                households=row.households or 0,
            )
            existing[place.code] = place
            record(user, "place.create", place, after=_picture(place), place=place)
            outcome.created += 1
            continue
        before = _picture(place)
        place.name = row.name
        if row.population is not None:
            place.population = row.population
        if row.households is not None:
            place.households = row.households
        after = _picture(place)
        if after == before:
            outcome.unchanged += 1
            continue
        place.save(update_fields=UPDATED_FIELDS)
        record(user, "place.update", place, before=before, after=after, place=place)
        outcome.updated += 1
    return outcome
