"""The party roster in the JSON API (DOMAIN §2 item 3, §8): a place's organisations
with what their number of members suggests, its members with their vote, one member
read or changed, and the import of a roster file.

The same services as the pages (:mod:`huanjie.party.roster`): a place outside the
user's area is 404, a missing capability 403, a refusal by a rule 400 with its
message. ID numbers are always masked here.
"""

from datetime import date
from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from huanjie.accounts import permissions
from huanjie.cycles.services import RuleViolation
from huanjie.party import roster
from huanjie.party.models import Member, Organisation
from huanjie.places.api import scoped_place
from huanjie.rules.identity import mask_id
from huanjie.voters.api import _Mapped

router = Router()


# Schemas


class OrganisationOut(Schema):
    """An organisation with its members, those with a vote, the setting the number of
    members suggests (``advised``: branch from 1, general_branch from 50, committee
    from 100) and whether it differs from ``kind``, with the words to say so."""

    id: int
    place: str
    name: str
    kind: Organisation.Kind
    members: int
    voting: int
    advised: Organisation.Kind
    differs: bool
    advice: str


class KindIn(Schema):
    kind: Organisation.Kind


class MemberOut(Schema):
    """A member. ``id_number`` is masked. ``vote``: whether they vote at the members'
    meeting; ``no_vote_reason`` (probationary, probation_sanction, suspended) and
    ``no_vote_text`` in the user's language when they do not."""

    id: int
    organisation: int
    name: str
    id_number: str
    status: Member.Status
    joined_on: date
    under_probation_sanction: bool
    suspended: bool
    location: str
    cell: str
    cadre: bool
    front_line: bool
    vote: bool
    no_vote_reason: str | None
    no_vote_text: str


class MemberPatch(Schema):
    """The fields to change; those left out stay."""

    status: Member.Status | None = None
    under_probation_sanction: bool | None = None
    suspended: bool | None = None
    location: str | None = None
    cell: str | None = None
    cadre: bool | None = None
    front_line: bool | None = None


class MemberChanged(Schema):
    """The member after the change and whether their vote changed with it."""

    member: MemberOut
    vote_changed: bool


class MemberFilters(Schema):
    """``q``: part of a name, or an ID number whole or its last characters;
    ``vote``: yes or no; ``cell``: a branch or party group, "none" for members
    without one."""

    q: str = ""
    status: Member.Status | None = None
    vote: Literal["yes", "no"] | None = None
    cell: str = ""
    organisation: int | None = None


class ProblemOut(Schema):
    file: str
    row: int | None
    column: str | None
    problem: str
    text: str


class ImportIn(Schema):
    """``organisation``: needed when the place has more than one."""

    organisation: int | None = None


class ImportOut(Schema):
    """What the import did; when ``problems`` is not empty it did nothing (400)."""

    created: int
    updated: int
    unchanged: int
    problems: list[ProblemOut]


# Helpers


def _organisation(advice: roster.Advice) -> dict:
    o = advice.organisation
    return {
        "id": o.pk,
        "place": o.place.code,
        "name": o.name,
        "kind": o.kind,
        "members": advice.members,
        "voting": advice.voting,
        "advised": advice.advised,
        "differs": advice.differs,
        "advice": advice.message,
    }


def _member(member: Member) -> dict:
    reason = roster.no_vote_reason(member)
    return {
        "id": member.pk,
        "organisation": member.organisation_id,
        "name": member.resident.name,
        "id_number": mask_id(member.resident.id_number),
        "status": member.status,
        "joined_on": member.joined_on,
        "under_probation_sanction": member.under_probation_sanction,
        "suspended": member.suspended,
        "location": member.location,
        "cell": member.cell,
        "cadre": member.cadre,
        "front_line": member.front_line,
        "vote": reason is None,
        "no_vote_reason": reason,
        "no_vote_text": roster.reason_text(reason),
    }


def scoped_member(request, member_id: int, capability: str = permissions.VIEW) -> Member:
    member = get_object_or_404(
        Member.objects.select_related("organisation__place", "resident"), pk=member_id
    )
    permissions.require(request.user, capability, member.organisation.place)
    return member


def _electing_place(request, code: str, capability: str = permissions.VIEW):
    place = scoped_place(request, code, capability)
    if not place.is_electing:
        raise RuleViolation(_("Only a village or community has a party organisation here."))
    return place


# Endpoints


@router.get("/places/{code}/party/organisations", response=list[OrganisationOut])
def list_organisations(request, code: str):
    """The place's party organisations with the advice of their number of members
    (DOMAIN §2 item 3)."""
    place = _electing_place(request, code)
    return [_organisation(roster.advice(o)) for o in roster.organisations_of(place)]


@router.patch("/party/organisations/{id}", response=OrganisationOut)
def set_organisation_kind(request, id: int, payload: KindIn):
    """Change the kind of an organisation (needs run_party); recorded."""
    organisation = get_object_or_404(Organisation.objects.select_related("place"), pk=id)
    permissions.require(request.user, permissions.VIEW, organisation.place)
    place = organisation.place
    organisation = roster.set_kind(request.user, organisation, payload.kind)
    organisation.place = place
    return _organisation(roster.advice(organisation))


@router.get("/places/{code}/party/members", response=list[MemberOut])
@paginate(LimitOffsetPagination, max_limit=500)
def list_members(request, code: str, filters: Query[MemberFilters]):
    """The members of the place's organisations, searched and filtered."""
    place = _electing_place(request, code)
    found = roster.search(roster.members_of(place), filters.q)
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.vote == "yes":
        found = found.filter(roster.VOTING)
    elif filters.vote == "no":
        found = found.exclude(roster.VOTING)
    if filters.cell == "none":
        found = found.filter(cell="")
    elif filters.cell:
        found = found.filter(cell=filters.cell)
    if filters.organisation:
        found = found.filter(organisation_id=filters.organisation)
    return _Mapped(found, _member)


@router.get("/party/members/{id}", response=MemberOut)
def get_member(request, id: int):
    return _member(scoped_member(request, id))


@router.patch("/party/members/{id}", response=MemberChanged)
def patch_member(request, id: int, payload: MemberPatch):
    """Change a member (needs run_party); the answer says whether the vote changed."""
    member = scoped_member(request, id)
    changes = payload.dict(exclude_none=True)
    edited = roster.update_member(request.user, member, **changes)
    return {"member": _member(edited.member), "vote_changed": edited.vote_changed}


@router.post("/places/{code}/party/members/import", response={200: ImportOut, 400: ImportOut})
def import_members(request, code: str, payload: Form[ImportIn], file: File[UploadedFile]):
    """Import a roster file (multipart: ``file``, CSV or XLSX, and ``organisation``).
    All rows or nothing: with any problem nothing is written and the answer (400)
    lists every problem by row and column."""
    place = _electing_place(request, code)
    permissions.require(request.user, permissions.RUN_PARTY, place)
    organisations = list(Organisation.objects.filter(place=place).order_by("id"))
    if payload.organisation is not None:
        organisation = next((o for o in organisations if o.pk == payload.organisation), None)
    else:
        organisation = organisations[0] if len(organisations) == 1 else None
    if organisation is None:
        raise RuleViolation(_("Choose the organisation the members belong to."))
    organisation.place = place
    outcome = roster.import_members(request.user, organisation, file.name, file.read())
    answer = {
        "created": outcome.created,
        "updated": outcome.updated,
        "unchanged": outcome.unchanged,
        "problems": [
            {
                "file": p.file,
                "row": p.row,
                "column": p.column,
                "problem": p.problem,
                "text": str(p),
            }
            for p in outcome.problems
        ],
    }
    return Status(200 if outcome.ok else 400, answer)
