"""Pages of the party roster (DOMAIN §2 item 3, §8): the places of the user's scope
with their organisations, a place's party page with its organisations and its
committee election, the member roster with its filters, printed and exported, the
import, and the page of one member.

Every rule is the services' (:mod:`huanjie.party.roster`); the views read the forms
and show the answer.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huanjie.accounts import permissions
from huanjie.audit.trail import history
from huanjie.candidates.views import page_query
from huanjie.cycles.models import Election
from huanjie.cycles.services import RuleViolation
from huanjie.cycles.views import current_cycle, scoped_cycle, scoped_place
from huanjie.party import roster
from huanjie.party.models import Member, Organisation
from huanjie.places.models import Kind, Place
from huanjie.rules.identity import mask_id
from huanjie.rules.seats import Body

PREFIX = "cycles/<int:pk>/places/<str:code>/party/"

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def place_of(request, pk, code, capability=permissions.VIEW):
    """(cycle, place) of a URL: a village or community in the user's scope, with
    ``capability``."""
    cycle = scoped_cycle(request, pk)
    place = scoped_place(request, code, capability)
    if not place.is_electing:
        raise Http404
    return cycle, place


def place_member(request, pk, code, member_id, capability=permissions.VIEW):
    cycle, place = place_of(request, pk, code, capability)
    member = get_object_or_404(
        Member.objects.select_related("organisation__place", "resident"),
        pk=member_id,
        organisation__place=place,
    )
    return cycle, place, member


# -- the places of the scope ----------------------------------------------------------


def index(request):
    """The villages and communities of the user's scope with their organisations: how
    many members, how many vote, and what the number of members suggests."""
    permissions.require(request.user, permissions.VIEW)
    cycle = current_cycle(request)
    if cycle is None:
        return render(request, "party/index.html", {"cycle": None})
    scope = permissions.scope_of(request.user)
    q = request.GET.get("q", "").strip()
    township = request.GET.get("township", "")
    places = Place.objects.within(scope).electing().order_by("code")
    if q:
        places = places.filter(name__contains=q)
    if township:
        places = places.filter(parent__code=township)
    places = places.prefetch_related(
        Prefetch(
            "party_organisations",
            queryset=Organisation.objects.annotate(
                n_members=Count("members"),
                n_voting=Count("members", filter=roster.VOTING_MEMBERS),
            ).order_by("id"),
        )
    )
    page = Paginator(places, 50).get_page(request.GET.get("page"))
    rows = [(p, [roster.advice(o) for o in p.party_organisations.all()]) for p in page.object_list]
    townships = (
        Place.objects.within(scope).filter(kind__in=(Kind.TOWNSHIP, Kind.STREET)).order_by("code")
    )
    return render(
        request,
        "party/index.html",
        {
            "cycle": cycle,
            "page": page,
            "rows": rows,
            "q": q,
            "township": township,
            "townships": townships,
            "page_query": page_query(request),
        },
    )


# -- a place's party page -------------------------------------------------------------


def party_place(request, pk, code):
    """The place's organisations, with the advice of their number of members, and
    its party committee election with the pages of its steps."""
    cycle, place = place_of(request, pk, code)
    elections = (
        Election.objects.filter(cycle=cycle, place=place, body=Body.PARTY_COMMITTEE)
        .select_related("cycle", "place")
        .prefetch_related("offices")
    )
    can_run = permissions.can(request.user, permissions.RUN_PARTY, place)
    return render(
        request,
        "party/place.html",
        {
            "cycle": cycle,
            "place": place,
            "advice": [roster.advice(o) for o in roster.organisations_of(place)],
            "elections": [(e, sum(office.seats for office in e.offices.all())) for e in elections],
            "can_run": can_run,
            "kinds": Organisation.Kind.choices,
            "default_name": f"{place.name}党支部",
            "records": history(place=place).filter(action__startswith="party.")[:20],
        },
    )


@require_POST
def organisation_add(request, pk, code):
    cycle, place = place_of(request, pk, code, permissions.RUN_PARTY)
    try:
        organisation = roster.add_organisation(
            request.user, place, request.POST.get("name", ""), request.POST.get("kind", "")
        )
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(name)s is set up.") % {"name": organisation.name})
    return redirect("party_place", cycle.pk, place.code)


@require_POST
def organisation_kind(request, pk, code, organisation_id):
    cycle, place = place_of(request, pk, code, permissions.RUN_PARTY)
    organisation = get_object_or_404(Organisation, pk=organisation_id, place=place)
    organisation.place = place
    try:
        organisation = roster.set_kind(request.user, organisation, request.POST.get("kind", ""))
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("%(name)s is now a %(kind)s.")
            % {"name": organisation.name, "kind": organisation.get_kind_display()},
        )
    return redirect("party_place", cycle.pk, place.code)


# -- the roster -----------------------------------------------------------------------

FILTERS = ("q", "status", "vote", "cell", "organisation")


def filtered(request, place):
    """The place's members narrowed by the request's filters, and the filters."""
    chosen = {name: request.GET.get(name, "").strip() for name in FILTERS}
    found = roster.search(roster.members_of(place), chosen["q"])
    if chosen["status"] in Member.Status.values:
        found = found.filter(status=chosen["status"])
    if chosen["vote"] == "yes":
        found = found.filter(roster.VOTING)
    elif chosen["vote"] == "no":
        found = found.exclude(roster.VOTING)
    if chosen["cell"] == "none":
        found = found.filter(cell="")
    elif chosen["cell"]:
        found = found.filter(cell=chosen["cell"])
    if chosen["organisation"].isdigit():
        found = found.filter(organisation_id=int(chosen["organisation"]))
    return found, chosen


def member_line(member: Member) -> dict:
    reason = roster.no_vote_reason(member)
    return {
        "member": member,
        "masked": mask_id(member.resident.id_number),
        "reason": reason,
        "reason_text": roster.reason_text(reason),
    }


def party_roster(request, pk, code):
    """The members of the place's organisations, searched and filtered."""
    cycle, place = place_of(request, pk, code)
    found, chosen = filtered(request, place)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    organisations = list(roster.organisations_of(place))
    cells = (
        Member.objects.filter(organisation__place=place)
        .exclude(cell="")
        .values_list("cell", flat=True)
        .distinct()
        .order_by("cell")
    )
    return render(
        request,
        "party/roster_table.html" if request.htmx else "party/roster.html",
        {
            "cycle": cycle,
            "place": place,
            "page": page,
            "lines": [member_line(m) for m in page.object_list],
            "chosen": chosen,
            "cells": list(cells),
            "organisations": organisations,
            "statuses": Member.Status.choices,
            "total": sum(o.n_members for o in organisations),
            "voting": sum(o.n_voting for o in organisations),
            "can_run": permissions.can(request.user, permissions.RUN_PARTY, place),
            "page_query": page_query(request),
        },
    )


def roster_xlsx(request, pk, code):
    """The roster (as filtered) as XLSX in the columns of the import: full ID numbers
    for who keeps the roster, masked for everyone else."""
    cycle, place = place_of(request, pk, code)
    found, _chosen = filtered(request, place)
    full = permissions.can(request.user, permissions.RUN_PARTY, place)
    data = roster.workbook(found, full_ids=full, title=f"{place.name}党员名册")
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{place.code}-party-members.xlsx"'
    return response


def roster_pdf(request, pk, code):
    """The printed roster, as filtered, with the CJK font embedded."""
    cycle, place = place_of(request, pk, code)
    found, _chosen = filtered(request, place)
    pdf = roster.roster_pdf(place, found, timezone.localdate())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{place.code}-party-members.pdf"'
    return response


def import_template(request):
    """An empty roster file with the columns of the import."""
    permissions.require(request.user, permissions.VIEW)
    response = HttpResponse(roster.template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="party-members-template.xlsx"'
    return response


def import_members(request, pk, code):
    """Upload a roster into one of the place's organisations. A file with any bad row
    changes nothing and comes back with every problem listed (400)."""
    cycle, place = place_of(request, pk, code, permissions.RUN_PARTY)
    organisations = list(Organisation.objects.filter(place=place).order_by("id"))
    problems = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        chosen = request.POST.get("organisation", "")
        organisation = next((o for o in organisations if str(o.pk) == chosen), None)
        if organisation is None and len(organisations) == 1:
            organisation = organisations[0]
        if upload is None:
            messages.error(request, _("Choose a CSV or XLSX file to import."))
        elif organisation is None:
            messages.error(request, _("Choose the organisation the members belong to."))
        else:
            organisation.place = place
            outcome = roster.import_members(request.user, organisation, upload.name, upload.read())
            if outcome.ok:
                messages.success(
                    request,
                    _(
                        "Members imported into %(organisation)s: %(created)s added, "
                        "%(updated)s changed, %(unchanged)s unchanged."
                    )
                    % {
                        "organisation": organisation.name,
                        "created": outcome.created,
                        "updated": outcome.updated,
                        "unchanged": outcome.unchanged,
                    },
                )
                return redirect("party_roster", cycle.pk, place.code)
            problems = outcome.problems
    return render(
        request,
        "party/import.html",
        {
            "cycle": cycle,
            "place": place,
            "organisations": organisations,
            "problems": problems,
            "columns": roster.COLUMNS.values(),
        },
        status=400 if problems else 200,
    )


# -- one member -----------------------------------------------------------------------


def member(request, pk, code, member_id):
    """A member's page; who runs the party work changes the member here, and is told
    when the change gives or takes away the member's vote."""
    cycle, place, member = place_member(request, pk, code, member_id)
    can_run = permissions.can(request.user, permissions.RUN_PARTY, place)
    if request.method == "POST":
        permissions.require(request.user, permissions.RUN_PARTY, place)
        changes = {
            "status": request.POST.get("status", ""),
            "location": request.POST.get("location", ""),
            "cell": request.POST.get("cell", ""),
            **{
                name: name in request.POST
                for name in ("under_probation_sanction", "suspended", "cadre", "front_line")
            },
        }
        try:
            edited = roster.update_member(request.user, member, **changes)
        except RuleViolation as exc:
            messages.error(request, str(exc))
        else:
            name = member.resident.name
            if not edited.vote_changed:
                messages.success(request, _("%(name)s is saved.") % {"name": name})
            elif edited.reason_after is None:
                messages.warning(
                    request,
                    _("%(name)s is saved and now has a vote at the members' meeting.")
                    % {"name": name},
                )
            else:
                messages.warning(
                    request,
                    _("%(name)s is saved and no longer has a vote: %(reason)s.")
                    % {"name": name, "reason": roster.reason_text(edited.reason_after)},
                )
            return redirect("party_member", cycle.pk, place.code, member.pk)
    return render(
        request,
        "party/member.html",
        {
            "cycle": cycle,
            "place": place,
            "line": member_line(member),
            "statuses": Member.Status.choices,
            "can_run": can_run,
            "records": history(target=member)[:20],
        },
    )


@require_POST
def member_delete(request, pk, code, member_id):
    cycle, place, member = place_member(request, pk, code, member_id, permissions.RUN_PARTY)
    name = member.resident.name
    try:
        roster.remove_member(request.user, member)
    except RuleViolation as exc:
        messages.error(request, str(exc))
        return redirect("party_member", cycle.pk, place.code, member.pk)
    messages.success(request, _("%(name)s is taken off the roster.") % {"name": name})
    return redirect("party_roster", cycle.pk, place.code)


urlpatterns = [
    path("party/", index, name="party"),
    path("party/members-template.xlsx", import_template, name="party_import_template"),
    path(PREFIX, party_place, name="party_place"),
    path(f"{PREFIX}organisations/", organisation_add, name="party_organisation_add"),
    path(
        f"{PREFIX}organisations/<int:organisation_id>/kind/",
        organisation_kind,
        name="party_organisation_kind",
    ),
    path(f"{PREFIX}members/", party_roster, name="party_roster"),
    path(f"{PREFIX}members.xlsx", roster_xlsx, name="party_roster_xlsx"),
    path(f"{PREFIX}members.pdf", roster_pdf, name="party_roster_pdf"),
    path(f"{PREFIX}members/import/", import_members, name="party_import"),
    path(f"{PREFIX}members/<int:member_id>/", member, name="party_member"),
    path(f"{PREFIX}members/<int:member_id>/delete/", member_delete, name="party_member_delete"),
]
