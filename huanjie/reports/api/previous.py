"""API of the reports: the previous term's committee members (DOMAIN §11), listed
within a place, township or county, and imported from a township's or the county's
file.

The same services as the pages (:mod:`huanjie.reports.previous`): a place outside the
user's area is 404, a missing capability 403, a refusal by a rule 400 with its
message. ID numbers are always masked here.
"""

from datetime import date
from typing import Literal

from django.http import Http404
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from huanjie.accounts import permissions
from huanjie.cycles.api import scoped_cycle
from huanjie.places.api import scoped_place
from huanjie.places.models import Kind
from huanjie.reports import previous
from huanjie.reports.models import PreviousMember
from huanjie.rules.identity import mask_id
from huanjie.voters.api import _Mapped

router = Router()


class PreviousMemberOut(Schema):
    """A member of a previous committee. ``id_number`` is masked; ``office`` is the
    office key of the body (director, deputy, member, secretary, deputy_secretary)."""

    id: int
    place: str
    place_name: str
    body: str
    office: str
    office_title: str
    name: str
    id_number: str
    sex: Literal["M", "F"]
    birth_date: date
    education: str
    ethnicity: str
    party_member: bool


class PreviousFilters(Schema):
    """``q``: part of a name, or an ID number whole or its last characters."""

    q: str = ""
    body: str = ""
    sex: Literal["M", "F"] | None = None
    party_member: bool | None = None


class ProblemOut(Schema):
    file: str
    row: int | None
    column: str | None
    problem: str
    text: str


class ImportOut(Schema):
    """What the import did; when ``problems`` is not empty it did nothing (400)."""

    created: int
    replaced: int
    places: list[str]
    problems: list[ProblemOut]


def _scope(request, id: int, code: str, capability=None):
    cycle = scoped_cycle(request, id)
    place = scoped_place(request, code, capability or permissions.VIEW)
    if not cycle.county.contains(place) or place.kind == Kind.GROUP:
        raise Http404
    return cycle, place


def _member(m: PreviousMember) -> dict:
    return {
        "id": m.pk,
        "place": m.place.code,
        "place_name": m.place.name,
        "body": m.body,
        "office": m.office,
        "office_title": previous.office_title(m.body, m.office),
        "name": m.name,
        "id_number": mask_id(m.id_number),
        "sex": m.sex,
        "birth_date": m.birth_date,
        "education": m.education,
        "ethnicity": m.ethnicity,
        "party_member": m.party_member,
    }


@router.get("/cycles/{id}/places/{code}/previous", response=list[PreviousMemberOut])
@paginate(LimitOffsetPagination, max_limit=500)
def list_previous(request, id: int, code: str, filters: Query[PreviousFilters]):
    """The previous committees' members within the place, by place, body and office."""
    cycle, place = _scope(request, id, code)
    found = previous.search(previous.members_within(cycle, place), filters.q)
    if filters.body:
        found = found.filter(body=filters.body)
    if filters.sex:
        found = found.filter(sex=filters.sex)
    if filters.party_member is not None:
        found = found.filter(party_member=filters.party_member)
    return _Mapped(found.order_by("place__code", "body", "office", "id"), _member)


@router.post(
    "/cycles/{id}/places/{code}/previous/import", response={200: ImportOut, 400: ImportOut}
)
def import_previous(request, id: int, code: str, file: File[UploadedFile]):
    """Import a file of the previous members (multipart ``file``, CSV or XLSX) of the
    villages and communities of the place (needs edit_elections). All rows or
    nothing: with any problem nothing is written and the answer (400) lists every
    problem by row and column. The places the file names have theirs replaced."""
    cycle, place = _scope(request, id, code, previous.CAPABILITY)
    outcome = previous.import_previous(request.user, cycle, place, file.name, file.read())
    answer = {
        "created": outcome.created,
        "replaced": outcome.replaced,
        "places": [p.code for p in outcome.places],
        "problems": [
            {"file": p.file, "row": p.row, "column": p.column, "problem": p.problem, "text": str(p)}
            for p in outcome.problems
        ],
    }
    return Status(200 if outcome.ok else 400, answer)
