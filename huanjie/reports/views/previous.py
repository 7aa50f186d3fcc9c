"""Pages of the previous term (DOMAIN §11): the previous committees' members of a
place, a township or the county, searched and filtered; their import; and the empty
file to fill in.

Every rule is the service's (:mod:`huanjie.reports.previous`); the views read the
forms and show the answer. ID numbers are masked on the list.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huanjie.accounts import permissions
from huanjie.audit.trail import history
from huanjie.candidates.views import page_query
from huanjie.cycles.services import RuleViolation
from huanjie.cycles.views import scoped_cycle, scoped_place
from huanjie.places.models import Kind, Place
from huanjie.reports import previous
from huanjie.reports.models import PREVIOUS_BODIES, PreviousMember
from huanjie.rules.identity import mask_id
from huanjie.voters.models import Education, Sex

PREFIX = "cycles/<int:pk>/places/<str:code>/previous/"

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 50

FILTERS = ("q", "body", "sex", "party", "place", "education")


def cycle_scope(request, pk, code, capability=permissions.VIEW):
    """(cycle, place) of a URL: a place of the cycle's county in the user's scope."""
    cycle = scoped_cycle(request, pk)
    place = scoped_place(request, code, capability)
    if not cycle.county.contains(place) or place.kind == Kind.GROUP:
        raise Http404
    return cycle, place


def filtered(request, cycle, place):
    """The previous members within ``place`` narrowed by the request's filters."""
    chosen = {name: request.GET.get(name, "").strip()[:50] for name in FILTERS}
    found = previous.search(previous.members_within(cycle, place), chosen["q"])
    if chosen["body"] in {b.value for b in PREVIOUS_BODIES}:
        found = found.filter(body=chosen["body"])
    if chosen["sex"] in Sex.values:
        found = found.filter(sex=chosen["sex"])
    if chosen["education"] == "none":
        found = found.filter(education="")
    elif chosen["education"] in Education.values:
        found = found.filter(education=chosen["education"])
    if chosen["party"] in ("yes", "no"):
        found = found.filter(party_member=chosen["party"] == "yes")
    if chosen["place"] and chosen["place"].isdigit():
        below = Place.objects.filter(code=chosen["place"]).first()
        if below is not None and place.contains(below):
            found = found.filter(place__code__startswith=below.prefix)
    return found, chosen


def member_line(member: PreviousMember) -> dict:
    return {
        "member": member,
        "masked": mask_id(member.id_number),
        "office": previous.office_title(member.body, member.office),
        "body": member.get_body_display(),
    }


def previous_list(request, pk, code):
    """The previous committees' members within the place, with their counts."""
    cycle, place = cycle_scope(request, pk, code)
    found, chosen = filtered(request, cycle, place)
    page = Paginator(found.order_by("place__code", "body", "office", "id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    below = (
        Place.objects.filter(parent=place).exclude(kind=Kind.GROUP).order_by("code")
        if not place.is_electing
        else Place.objects.none()
    )
    context = {
        "cycle": cycle,
        "place": place,
        "page": page,
        "lines": [member_line(m) for m in page.object_list],
        "chosen": chosen,
        "summary": previous.summary(previous.members_within(cycle, place)),
        "found": page.paginator.count,
        "bodies": [(b.value, b.title_zh) for b in PREVIOUS_BODIES],
        "sexes": Sex.choices,
        "educations": Education.choices,
        "below": below,
        "can_import": permissions.can(request.user, previous.CAPABILITY, place),
        "page_query": page_query(request),
        "records": history(place=place).filter(action__startswith="reports.previous")[:10]
        if place.is_electing
        else [],
    }
    template = "reports/previous_table.html" if request.htmx else "reports/previous.html"
    return render(request, template, context)


def import_page(request, pk, code):
    """Upload the previous members of a township or the county (or one place). A file
    with any bad row changes nothing and comes back with every problem listed (400)."""
    cycle, place = cycle_scope(request, pk, code, previous.CAPABILITY)
    problems = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose a CSV or XLSX file to import."))
        else:
            try:
                outcome = previous.import_previous(
                    request.user, cycle, place, upload.name, upload.read()
                )
            except RuleViolation as exc:
                messages.error(request, str(exc))
            else:
                if outcome.ok:
                    messages.success(
                        request,
                        _(
                            "Previous members imported: %(created)s for %(places)s place(s), "
                            "replacing %(replaced)s."
                        )
                        % {
                            "created": outcome.created,
                            "places": len(outcome.places),
                            "replaced": outcome.replaced,
                        },
                    )
                    return redirect("reports-previous", cycle.pk, place.code)
                problems = outcome.problems
    return render(
        request,
        "reports/previous_import.html",
        {"cycle": cycle, "place": place, "problems": problems},
        status=400 if problems else 200,
    )


@require_POST
def clear(request, pk, code):
    """Remove the previous members of one village or community."""
    cycle, place = cycle_scope(request, pk, code, previous.CAPABILITY)
    try:
        removed = previous.clear_place(request.user, cycle, place)
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("%(n)s previous members of %(place)s removed.") % {"n": removed, "place": place.name},
        )
    return redirect("reports-previous", cycle.pk, place.code)


def template(request):
    """The empty file of the import."""
    permissions.require(request.user, permissions.VIEW)
    response = HttpResponse(previous.template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="previous-term-template.xlsx"'
    return response


urlpatterns = [
    path("reports/previous-template.xlsx", template, name="reports-previous-template"),
    path(PREFIX, previous_list, name="reports-previous"),
    path(f"{PREFIX}import/", import_page, name="reports-previous-import"),
    path(f"{PREFIX}clear/", clear, name="reports-previous-clear"),
]
