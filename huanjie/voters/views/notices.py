"""The notices of a place's roll: the voter list (选民名单公告) with its deadline, the
posted PDFs, the voter cards (选民证) and the election-day 补登 desk with its list.

Every rule is the services' (:mod:`huanjie.voters.publication`,
:mod:`huanjie.voters.supplementary`, :mod:`huanjie.voters.cards`); the views read the
form, pass today's date and show what the service says.
"""

from datetime import date

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
from huanjie.cycles.views import scoped_cycle, scoped_place
from huanjie.places.models import Kind, Place
from huanjie.rules import eligibility
from huanjie.rules.identity import mask_id
from huanjie.rules.objections import days_until
from huanjie.voters import cards, objections, publication, rolls, supplementary
from huanjie.voters.models import Category, Publication

PREFIX = "cycles/<int:pk>/places/<str:code>/voters/"


def electing_place(request, code, capability=permissions.VIEW):
    place = scoped_place(request, code, capability)
    if not place.is_electing:
        raise Http404
    return place


def form_date(value, default: date) -> date:
    """A date typed in a form (YYYY-MM-DD); an empty field means ``default``."""
    if not value:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise RuleViolation(_("Dates must be given as YYYY-MM-DD.")) from None


def place_history(place):
    return history(place=place).filter(action__startswith="voters.")[:20]


def group_choices(place):
    return Place.objects.filter(parent=place, kind=Kind.GROUP).order_by("code")


def notice(request, pk, code):
    """The state of the place's voter list: posted or not, the deadline and its
    countdown, the objection window, and every notice posted so far."""
    cycle = scoped_cycle(request, pk)
    place = electing_place(request, code)
    today = timezone.localdate()
    posted = publication.voter_list(cycle, place)
    day = rolls.day_of(cycle, place)
    context = {
        "cycle": cycle,
        "place": place,
        "today": today,
        "election_day": day,
        "posted": posted,
        "listed": publication.listed(cycle, place).count(),
        "publications": Publication.objects.filter(cycle=cycle, place=place).order_by("at"),
        "can_register": permissions.can(request.user, permissions.REGISTER_VOTERS, place),
        "records": place_history(place),
    }
    if day is not None:
        latest = publication.latest_day(cycle, place)
        context.update(latest=latest, left=days_until(latest, today), late=latest < today)
    if posted is not None:
        window = objections.objection_window(cycle, place)
        context.update(
            window=window,
            window_left=window.days_left(today),
            pending=objections.pending(cycle, place).count(),
        )
    return render(request, "voters/notice.html", context)


@require_POST
def publish(request, pk, code):
    cycle = scoped_cycle(request, pk)
    place = electing_place(request, code, permissions.REGISTER_VOTERS)
    today = timezone.localdate()
    try:
        on = form_date(request.POST.get("published_on"), today)
        pub = publication.publish_list(request.user, cycle, place, on, today=today)
        messages.success(
            request,
            _("The voter list of %(place)s was posted on %(day)s with %(n)d names.")
            % {"place": place.name, "day": pub.published_on.isoformat(), "n": pub.voters},
        )
    except RuleViolation as exc:
        messages.error(request, str(exc))
    return redirect("voters-notice", pk=cycle.pk, code=place.code)


def download(request, pk):
    """A posted notice, as it was posted."""
    pub = get_object_or_404(Publication.objects.select_related("place"), pk=pk)
    permissions.require(request.user, permissions.VIEW, pub.place)
    name = f"{pub.place.name}{publication.TITLE_ZH[pub.kind]}-{pub.published_on}.pdf"
    return FileResponse(
        pub.file.open("rb"), as_attachment=True, filename=name, content_type="application/pdf"
    )


# Voter cards


def voter_cards(request, pk, code):
    """GET: what the batch will hold; POST: issue it (one audit record) as a PDF."""
    cycle = scoped_cycle(request, pk)
    place = electing_place(request, code)
    posted = publication.voter_list(cycle, place)
    if request.method == "POST":
        permissions.require(request.user, permissions.REGISTER_VOTERS, place)
        try:
            pdf = cards.issue(request.user, cycle, place, today=timezone.localdate())
        except RuleViolation as exc:
            messages.error(request, str(exc))
            return redirect("voters-cards", pk=cycle.pk, code=place.code)
        response = HttpResponse(pdf, content_type="application/pdf")
        filename = f"{place.code}-voter-cards.pdf"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return render(
        request,
        "voters/cards.html",
        {
            "cycle": cycle,
            "place": place,
            "posted": posted,
            "listed": publication.listed(cycle, place).count(),
            "election_day": rolls.day_of(cycle, place),
            "format_example": cards.card_number(place, 1),
            "can_register": permissions.can(request.user, permissions.REGISTER_VOTERS, place),
            "records": history(place=place).filter(action="voters.cards_issued")[:10],
        },
    )


# Supplementary registration (补登)


def supplementary_desk(request, pk, code):
    """The 补登 desk of election day: the form, the names registered so far, and a
    warning until they are all posted (they must be, before the count)."""
    cycle = scoped_cycle(request, pk)
    place = electing_place(request, code)
    today = timezone.localdate()
    form = {}
    if request.method == "POST":
        permissions.require(request.user, permissions.REGISTER_VOTERS, place)
        form = request.POST
        try:
            group = chosen_group(place, request.POST.get("group"))
            voter = supplementary.register(
                request.user,
                cycle,
                place,
                id_number=request.POST.get("id_number", ""),
                name=request.POST.get("name", ""),
                group=group,
                note=request.POST.get("note", ""),
                stated=stated_category(request.POST.get("category")),
                on=today,
                today=today,
            )
            messages.success(
                request,
                _("%(name)s is registered as voter number %(number)d.")
                % {"name": voter.name, "number": voter.number},
            )
            return redirect("voters-supplementary", pk=cycle.pk, code=place.code)
        except RuleViolation as exc:
            messages.error(request, str(exc))
    names = list(publication.supplementary(cycle, place).select_related("group"))
    unposted = set(publication.unposted_supplementary(cycle, place).values_list("id", flat=True))
    return render(
        request,
        "voters/supplementary.html",
        {
            "cycle": cycle,
            "place": place,
            "today": today,
            "election_day": rolls.day_of(cycle, place),
            "posted": publication.voter_list(cycle, place),
            "rows": [(v, mask_id(v.id_number), v.id in unposted) for v in names],
            "unposted": len(unposted),
            "postings": Publication.objects.filter(
                cycle=cycle, place=place, kind=Publication.Kind.SUPPLEMENTARY
            ).order_by("at"),
            "groups": group_choices(place),
            "categories": Category.choices,
            "form": form,
            "can_register": permissions.can(request.user, permissions.REGISTER_VOTERS, place),
        },
    )


def chosen_group(place, value):
    if not value:
        return None
    group = group_choices(place).filter(pk=value).first()
    if group is None:
        raise RuleViolation(_("Choose a group of %(place)s.") % {"place": place.name})
    return group


def stated_category(value):
    """The category the committee states, for a person the records do not know."""
    try:
        return eligibility.Category(value)
    except ValueError:
        return None


@require_POST
def publish_supplementary(request, pk, code):
    cycle = scoped_cycle(request, pk)
    place = electing_place(request, code, permissions.REGISTER_VOTERS)
    today = timezone.localdate()
    try:
        pub = publication.publish_supplementary(request.user, cycle, place, today, today=today)
        messages.success(
            request,
            _("The supplementary list was posted with %(n)d names.") % {"n": pub.voters},
        )
    except RuleViolation as exc:
        messages.error(request, str(exc))
    return redirect("voters-supplementary", pk=cycle.pk, code=place.code)


urlpatterns = [
    path(PREFIX + "notice/", notice, name="voters-notice"),
    path(PREFIX + "notice/publish/", publish, name="voters-notice-publish"),
    path("voters/notices/<int:pk>/", download, name="voters-publication"),
    path(PREFIX + "cards/", voter_cards, name="voters-cards"),
    path(PREFIX + "supplementary/", supplementary_desk, name="voters-supplementary"),
    path(
        PREFIX + "supplementary/publish/",
        publish_supplementary,
        name="voters-supplementary-publish",
    ),
]
