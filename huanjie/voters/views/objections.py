"""Objections to a posted voter list (申诉): the list with its countdowns, the form that
records one, the form that decides one, and the posting of the decisions.

The windows and the effects on the roll are the services' (:mod:`huanjie.voters.
objections`, :mod:`huanjie.voters.publication`); the views pass today's date.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huanjie.accounts import permissions
from huanjie.cycles.services import RuleViolation
from huanjie.cycles.views import scoped_cycle
from huanjie.rules.identity import mask_id
from huanjie.voters import objections, publication
from huanjie.voters.models import Category, Objection, Voter
from huanjie.voters.views.notices import (
    PREFIX,
    chosen_group,
    electing_place,
    form_date,
    group_choices,
    place_history,
    stated_category,
)


def objection_list(request, pk, code):
    """The place's objections, filtered by status, with the days left to object and,
    for each pending one, the days left to decide it."""
    cycle = scoped_cycle(request, pk)
    place = electing_place(request, code)
    today = timezone.localdate()
    status = request.GET.get("status", "")
    items = Objection.objects.filter(cycle=cycle, place=place).select_related("voter", "published")
    if status in Objection.Status.values:
        items = items.filter(status=status)
    rows = []
    for o in items:
        window = objections.decision_window(o) if o.status == Objection.Status.PENDING else None
        rows.append(
            {
                "objection": o,
                "subject_id": mask_id(o.subject_id_number) if o.subject_id_number else "",
                "window": window,
                "left": window.days_left(today) if window else None,
                "overdue": window is not None and today > window.last,
            }
        )
    window = objections.objection_window(cycle, place)
    unposted = (
        Objection.objects.filter(cycle=cycle, place=place, published__isnull=True)
        .exclude(status=Objection.Status.PENDING)
        .count()
    )
    return render(
        request,
        "voters/objections.html",
        {
            "cycle": cycle,
            "place": place,
            "today": today,
            "rows": rows,
            "status": status,
            "statuses": Objection.Status.choices,
            "posted": publication.voter_list(cycle, place),
            "window": window,
            "window_left": window.days_left(today) if window else None,
            "window_open": window is not None and window.contains(today),
            "unposted": unposted,
            "can_register": permissions.can(request.user, permissions.REGISTER_VOTERS, place),
            "records": place_history(place),
        },
    )


def objection_new(request, pk, code):
    """Record an objection as received by the committee."""
    cycle = scoped_cycle(request, pk)
    place = electing_place(request, code, permissions.REGISTER_VOTERS)
    today = timezone.localdate()
    form = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        try:
            kind = request.POST.get("kind", "")
            voter = None
            if kind != Objection.Kind.OMITTED:
                voter = _listed_voter(cycle, place, request.POST.get("voter_number", ""))
            objections.file_objection(
                request.user,
                cycle,
                place,
                kind,
                objector=request.POST.get("objector", ""),
                objector_contact=request.POST.get("objector_contact", ""),
                reason=request.POST.get("reason", ""),
                filed_on=form_date(request.POST.get("filed_on"), today),
                voter=voter,
                subject_name=request.POST.get("subject_name", ""),
                subject_id_number=request.POST.get("subject_id_number", ""),
                today=today,
            )
            messages.success(request, _("The objection is recorded."))
            return redirect("voters-objections", pk=cycle.pk, code=place.code)
        except RuleViolation as exc:
            messages.error(request, str(exc))
    return render(
        request,
        "voters/objection_form.html",
        {
            "cycle": cycle,
            "place": place,
            "today": today,
            "form": form,
            "kinds": Objection.Kind.choices,
            "window": objections.objection_window(cycle, place),
        },
    )


def _listed_voter(cycle, place, number: str) -> Voter:
    """The listed line with the number on the posted list."""
    voter = None
    if number.strip().isdigit():
        voter = Voter.objects.filter(
            cycle=cycle, place=place, number=int(number), status=Voter.Status.LISTED
        ).first()
    if voter is None:
        raise RuleViolation(
            _("No voter of %(place)s is listed under number %(number)s.")
            % {"place": place.name, "number": number.strip() or "—"}
        )
    return voter


def objection_decide(request, pk, code, oid):
    """The committee's decision on one objection."""
    cycle = scoped_cycle(request, pk)
    place = electing_place(request, code, permissions.REGISTER_VOTERS)
    objection = get_object_or_404(
        Objection.objects.select_related("voter", "cycle", "place"),
        pk=oid,
        cycle=cycle,
        place=place,
    )
    today = timezone.localdate()
    form = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        try:
            objections.decide(
                request.user,
                objection,
                request.POST.get("upheld") == "1",
                request.POST.get("decision", ""),
                form_date(request.POST.get("decided_on"), today),
                corrected_name=request.POST.get("corrected_name", ""),
                group=chosen_group(place, request.POST.get("group")),
                stated=stated_category(request.POST.get("category")),
                today=today,
            )
            messages.success(request, _("The decision is recorded."))
            return redirect("voters-objections", pk=cycle.pk, code=place.code)
        except RuleViolation as exc:
            messages.error(request, str(exc))
    window = objections.decision_window(objection)
    return render(
        request,
        "voters/objection_decide.html",
        {
            "cycle": cycle,
            "place": place,
            "today": today,
            "objection": objection,
            "subject_id": mask_id(objection.subject_id_number)
            if objection.subject_id_number
            else "",
            "window": window,
            "left": window.days_left(today),
            "form": form,
            "groups": group_choices(place),
            "categories": Category.choices,
        },
    )


@require_POST
def publish_decisions(request, pk, code):
    cycle = scoped_cycle(request, pk)
    place = electing_place(request, code, permissions.REGISTER_VOTERS)
    today = timezone.localdate()
    try:
        on = form_date(request.POST.get("published_on"), today)
        pub = publication.publish_decisions(request.user, cycle, place, on, today=today)
        messages.success(request, _("%(n)d decisions were posted.") % {"n": pub.voters})
    except RuleViolation as exc:
        messages.error(request, str(exc))
    return redirect("voters-objections", pk=cycle.pk, code=place.code)


urlpatterns = [
    path(PREFIX + "objections/", objection_list, name="voters-objections"),
    path(PREFIX + "objections/new/", objection_new, name="voters-objection-new"),
    path(PREFIX + "objections/<int:oid>/decide/", objection_decide, name="voters-objection-decide"),
    path(PREFIX + "objections/publish/", publish_decisions, name="voters-decisions-publish"),
]
