"""API: the handover checklist and the archive of a place (DOMAIN §9).

The services decide (:mod:`huanjie.handover.checklist`, :mod:`huanjie.handover.archives`);
a refusal is 400 with the rule's message, a place out of scope 404, a missing
capability 403. Preparing the list and ticking need ``sign_off`` (the place's
committee, the township, the county); recording the signatures and making an archive
need ``edit_elections`` (the township, the county); reading and checking an archive
need ``view``.
"""

from datetime import date, datetime
from typing import Annotated, Literal

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, File, Router, Schema
from ninja.files import UploadedFile

from huanjie.accounts import permissions
from huanjie.cycles.api import scoped_cycle
from huanjie.cycles.timeline import localized
from huanjie.handover import archives, checklist
from huanjie.handover.models import Archive, Handover, HandoverItem
from huanjie.places.api import scoped_place

router = Router(tags=["handover"])

Side = Literal["outgoing", "incoming"]


class ItemOut(Schema):
    id: int
    key: str
    title: str
    description: str
    count: int | None
    note: str
    outgoing_checked: bool
    incoming_checked: bool
    open: bool

    @staticmethod
    def resolve_open(obj) -> bool:
        return obj.is_open


class SignatureOut(Schema):
    name: str
    signed_on: date | None
    recorded_by: str | None
    recorded_at: datetime | None


class HandoverOut(Schema):
    id: int
    place: str
    cycle: int
    handed_on: date | None
    supervisor: str
    note: str
    items: list[ItemOut]
    outgoing: SignatureOut
    incoming: SignatureOut
    complete: bool


class ItemIn(Schema):
    title: str
    description: str = ""
    count: Annotated[int, Field(ge=0)] | None = None
    note: str = ""


class TickIn(Schema):
    side: Side
    checked: bool = True


class DetailsIn(Schema):
    handed_on: date | None = None
    supervisor: str = ""
    note: str = ""


class SignIn(Schema):
    side: Side
    name: str
    signed_on: date | None = None  # today when left out


class ArchiveOut(Schema):
    id: int
    place: str
    cycle: int
    made_at: datetime
    made_by: str
    sha256: str
    size: int
    files: int
    notes: list[str]


class ProblemOut(Schema):
    code: str  # archive.missing, archive.changed, archive.unlisted, archive.not_zip, …
    path: str
    message: str


class CheckOut(Schema):
    intact: bool
    sha256: str
    problems: list[ProblemOut]
    archive: int | None  # the archive kept here with this very SHA-256, if any


def _place(request, id: int, code: str, capability=permissions.VIEW):
    cycle = scoped_cycle(request, id)
    place = scoped_place(request, code, capability)
    if not place.is_electing or not cycle.county.contains(place):
        raise Http404
    return cycle, place


def _signature(handover: Handover, side: str) -> dict:
    by = getattr(handover, f"{side}_recorded_by")
    return {
        "name": getattr(handover, f"{side}_name"),
        "signed_on": getattr(handover, f"{side}_signed_on"),
        "recorded_by": by.get_username() if by else None,
        "recorded_at": getattr(handover, f"{side}_recorded_at"),
    }


def _handover_out(handover: Handover) -> dict:
    return {
        "id": handover.pk,
        "place": handover.place.code,
        "cycle": handover.cycle_id,
        "handed_on": handover.handed_on,
        "supervisor": handover.supervisor,
        "note": handover.note,
        "items": list(handover.items.all()),
        "outgoing": _signature(handover, "outgoing"),
        "incoming": _signature(handover, "incoming"),
        "complete": handover.complete,
    }


def _archive_out(archive: Archive) -> dict:
    return {
        "id": archive.pk,
        "place": archive.place.code,
        "cycle": archive.cycle_id,
        "made_at": archive.made_at,
        "made_by": archive.made_by.get_username(),
        "sha256": archive.sha256,
        "size": archive.size,
        "files": archive.files,
        "notes": archive.manifest.get("notes", []),
    }


def _existing(cycle, place) -> Handover:
    handover = checklist.handover_of(cycle, place)
    if handover is None:
        raise Http404
    return handover


def scoped_item(request, item_id: int) -> HandoverItem:
    item = get_object_or_404(HandoverItem.objects.select_related("handover__place"), pk=item_id)
    permissions.require(request.user, permissions.VIEW, item.handover.place)
    return item


@router.get("/cycles/{id}/places/{code}/handover", response=HandoverOut)
def get_handover(request, id: int, code: str):
    """The place's checklist with its ticks and signatures (404 until started)."""
    return _handover_out(_existing(*_place(request, id, code)))


@router.post("/cycles/{id}/places/{code}/handover", response=HandoverOut)
def start_handover(request, id: int, code: str):
    """Start the checklist with the five seed items (the same one if started)."""
    cycle, place = _place(request, id, code)
    return _handover_out(checklist.start(request.user, cycle, place))


@router.patch("/cycles/{id}/places/{code}/handover", response=HandoverOut)
def patch_handover(request, id: int, code: str, payload: DetailsIn):
    """The handover day, the supervisor (监交人) and a note."""
    handover = _existing(*_place(request, id, code))
    checklist.set_details(request.user, handover, **payload.dict())
    return _handover_out(handover)


@router.post("/cycles/{id}/places/{code}/handover/items", response=ItemOut)
def add_item(request, id: int, code: str, payload: ItemIn):
    handover = _existing(*_place(request, id, code))
    return checklist.add_item(request.user, handover, **payload.dict())


@router.put("/handover/items/{item_id}", response=ItemOut)
def change_item(request, item_id: int, payload: ItemIn):
    """Change an item; its ticks are cleared if what it says changed."""
    return checklist.change_item(request.user, scoped_item(request, item_id), **payload.dict())


@router.delete("/handover/items/{item_id}", response={204: None})
def remove_item(request, item_id: int):
    checklist.remove_item(request.user, scoped_item(request, item_id))
    return 204, None


@router.post("/handover/items/{item_id}/tick", response=ItemOut)
def tick(request, item_id: int, payload: TickIn):
    """Tick an item for one side (``checked: false`` takes the tick back)."""
    return checklist.tick(
        request.user, scoped_item(request, item_id), payload.side, payload.checked
    )


@router.post("/cycles/{id}/places/{code}/handover/sign", response=HandoverOut)
def sign(request, id: int, code: str, payload: SignIn):
    """Record one side's signature; refused (400) while an item is open."""
    handover = _existing(*_place(request, id, code))
    signed = checklist.sign(request.user, handover, payload.side, payload.name, payload.signed_on)
    return _handover_out(signed)


@router.get("/cycles/{id}/places/{code}/archives", response=list[ArchiveOut])
def list_archives(request, id: int, code: str):
    """The place's archives, newest first (download them from the archive page)."""
    cycle, place = _place(request, id, code)
    return [_archive_out(a) for a in archives.archives_of(cycle, place)]


@router.post("/cycles/{id}/places/{code}/archives", response=ArchiveOut)
def make_archive(request, id: int, code: str):
    """Make a new archive of the place's cycle."""
    cycle, place = _place(request, id, code)
    return _archive_out(archives.make(request.user, cycle, place))


@router.post("/archives/verify", response=CheckOut)
def verify_archive(request, file: File[UploadedFile]):
    """Check an archive (multipart ``file``) against its manifest."""
    permissions.require(request.user, permissions.VIEW)
    checked = archives.check(file, request.user)
    return {
        "intact": checked.intact,
        "sha256": checked.sha256,
        "problems": [
            {
                "code": p.code,
                "path": p.params.get("path", ""),
                "message": localized(p.message_zh, p.message_en),
            }
            for p in checked.problems
        ],
        "archive": checked.known.pk if checked.known else None,
    }
