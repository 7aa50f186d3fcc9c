"""Pages of the handover and the archive of a place (DOMAIN §9).

The handover page shows the checklist with both sides' ticks and the signatures, and
the printable form; the archive page makes, lists and hands out the place's archives
and checks an uploaded one against its manifest. Every rule is the services'
(:mod:`huanjie.handover.checklist`, :mod:`huanjie.handover.archives`); the views read
the form and show the answer.
"""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huanjie.accounts import permissions
from huanjie.audit.trail import history
from huanjie.cycles.services import RuleViolation
from huanjie.cycles.timeline import localized
from huanjie.cycles.views import scoped_cycle, scoped_place
from huanjie.handover import archives, checklist
from huanjie.handover.models import Archive, HandoverItem
from huanjie.voters.views.notices import form_date

PREFIX = "cycles/<int:pk>/places/<str:code>/"


def place_of(request, pk, code, capability=permissions.VIEW):
    """(cycle, place) of a URL: a village or community in the user's scope, with
    ``capability``."""
    cycle = scoped_cycle(request, pk)
    place = scoped_place(request, code, capability)
    if not place.is_electing or not cycle.county.contains(place):
        raise Http404
    return cycle, place


def _handover(cycle, place):
    handover = checklist.handover_of(cycle, place)
    if handover is None:
        raise Http404
    return handover


def _item(handover, item_id) -> HandoverItem:
    item = get_object_or_404(HandoverItem, pk=item_id, handover=handover)
    item.handover = handover
    return item


def _back(cycle, place):
    return redirect("handover-place", cycle.pk, place.code)


def page(request, pk, code):
    """The checklist, its ticks and signatures."""
    cycle, place = place_of(request, pk, code)
    handover = checklist.handover_of(cycle, place)
    items = list(handover.items.all()) if handover else []
    return render(
        request,
        "handover/place.html",
        {
            "cycle": cycle,
            "place": place,
            "handover": handover,
            "items": items,
            "open_items": [i for i in items if i.is_open],
            "can_prepare": permissions.can(request.user, checklist.PREPARE, place),
            "can_sign": permissions.can(request.user, checklist.SUPERVISE, place),
            "sides": (
                ("outgoing", _("Outgoing side (移交方)")),
                ("incoming", _("Incoming side (接收方)")),
            ),
            "today": timezone.localdate(),
            "history": history(place=place).filter(action__startswith="handover.")[:20],
        },
    )


def _act(request, pk, code, capability, work, done: str):
    """Run ``work(cycle, place)`` and come back to the page with its message."""
    cycle, place = place_of(request, pk, code, capability)
    try:
        work(cycle, place)
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return _back(cycle, place)


@require_POST
def start(request, pk, code):
    return _act(
        request,
        pk,
        code,
        checklist.PREPARE,
        lambda cycle, place: checklist.start(request.user, cycle, place),
        _("The handover checklist is started with its five items."),
    )


def _item_fields(post) -> dict:
    return {
        "title": post.get("title", ""),
        "description": post.get("description", ""),
        "count": post.get("count", ""),
        "note": post.get("note", ""),
    }


@require_POST
def add_item(request, pk, code):
    def work(cycle, place):
        checklist.add_item(request.user, _handover(cycle, place), **_item_fields(request.POST))

    return _act(request, pk, code, checklist.PREPARE, work, _("Item added."))


@require_POST
def change_item(request, pk, code, item_id):
    def work(cycle, place):
        item = _item(_handover(cycle, place), item_id)
        checklist.change_item(request.user, item, **_item_fields(request.POST))

    return _act(request, pk, code, checklist.PREPARE, work, _("Item changed."))


@require_POST
def remove_item(request, pk, code, item_id):
    def work(cycle, place):
        checklist.remove_item(request.user, _item(_handover(cycle, place), item_id))

    return _act(request, pk, code, checklist.PREPARE, work, _("Item removed."))


@require_POST
def tick(request, pk, code, item_id):
    checked = request.POST.get("checked") == "1"

    def work(cycle, place):
        item = _item(_handover(cycle, place), item_id)
        checklist.tick(request.user, item, request.POST.get("side", ""), checked)

    done = _("Item ticked.") if checked else _("Tick taken back.")
    return _act(request, pk, code, checklist.PREPARE, work, done)


@require_POST
def details(request, pk, code):
    def work(cycle, place):
        handed_on = form_date(request.POST.get("handed_on"), None)
        checklist.set_details(
            request.user,
            _handover(cycle, place),
            handed_on=handed_on,
            supervisor=request.POST.get("supervisor", ""),
            note=request.POST.get("note", ""),
        )

    return _act(request, pk, code, checklist.PREPARE, work, _("Handover details saved."))


@require_POST
def sign(request, pk, code):
    def work(cycle, place):
        signed_on = form_date(request.POST.get("signed_on"), timezone.localdate())
        checklist.sign(
            request.user,
            _handover(cycle, place),
            request.POST.get("side", ""),
            request.POST.get("name", ""),
            signed_on,
        )

    return _act(request, pk, code, checklist.SUPERVISE, work, _("Signature recorded."))


def form_pdf(request, pk, code):
    """The printable handover form."""
    cycle, place = place_of(request, pk, code)
    handover = _handover(cycle, place)
    response = HttpResponse(checklist.form_pdf(handover), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{place.code}-handover.pdf"'
    return response


# The archive


def archive_page(request, pk, code, *, checked=None, status=200):
    """The place's archives, the button to make one, and the check of an upload."""
    cycle, place = place_of(request, pk, code)
    problems = []
    if checked is not None:
        problems = [localized(p.message_zh, p.message_en) for p in checked.problems]
    return render(
        request,
        "handover/archive.html",
        {
            "cycle": cycle,
            "place": place,
            "archives": archives.archives_of(cycle, place),
            "can_make": permissions.can(request.user, archives.MAKE, place),
            "checked": checked,
            "problems": problems,
        },
        status=status,
    )


@require_POST
def make_archive(request, pk, code):
    cycle, place = place_of(request, pk, code, archives.MAKE)
    try:
        made = archives.make(request.user, cycle, place)
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Archive made: %(files)d files, SHA-256 %(sha)s.")
            % {"files": made.files, "sha": made.sha256},
        )
    return redirect("archive-place", cycle.pk, place.code)


def download_archive(request, pk, code, archive_id):
    cycle, place = place_of(request, pk, code)
    archive = get_object_or_404(Archive, pk=archive_id, cycle=cycle, place=place)
    name = f"{place.code}-{place.name}-归档-{timezone.localtime(archive.made_at):%Y%m%d%H%M%S}.zip"
    return FileResponse(
        archive.file.open("rb"), as_attachment=True, filename=name, content_type="application/zip"
    )


@require_POST
def verify_archive(request, pk, code):
    """Check an uploaded archive against its manifest; reading only, so any user who
    may see the place may check."""
    place_of(request, pk, code)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose the archive file (.zip) to check."))
        return redirect("archive-place", pk, code)
    checked = archives.check(upload, request.user)
    return archive_page(request, pk, code, checked=checked)


urlpatterns = [
    path(f"{PREFIX}handover/", page, name="handover-place"),
    path(f"{PREFIX}handover/start/", start, name="handover-start"),
    path(f"{PREFIX}handover/items/", add_item, name="handover-item-add"),
    path(f"{PREFIX}handover/items/<int:item_id>/", change_item, name="handover-item-change"),
    path(f"{PREFIX}handover/items/<int:item_id>/remove/", remove_item, name="handover-item-remove"),
    path(f"{PREFIX}handover/items/<int:item_id>/tick/", tick, name="handover-tick"),
    path(f"{PREFIX}handover/details/", details, name="handover-details"),
    path(f"{PREFIX}handover/sign/", sign, name="handover-sign"),
    path(f"{PREFIX}handover/form.pdf", form_pdf, name="handover-pdf"),
    path(f"{PREFIX}archive/", archive_page, name="archive-place"),
    path(f"{PREFIX}archive/make/", make_archive, name="archive-make"),
    path(f"{PREFIX}archive/<int:archive_id>/download/", download_archive, name="archive-download"),
    path(f"{PREFIX}archive/verify/", verify_archive, name="archive-verify"),
]
