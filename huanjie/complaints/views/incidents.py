"""Pages of the incidents (一般/较重/严重, DOMAIN §10): the incidents of the user's area
with their level and whom they reach, a new incident, and one incident with its steps,
its escalation and its resolution.

Every rule is the services' (:mod:`huanjie.complaints.incidents`).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huanjie.accounts import permissions
from huanjie.audit.trail import history
from huanjie.candidates.views import page_query
from huanjie.complaints import incidents
from huanjie.complaints.fields import HANDLE, REGISTER, title
from huanjie.complaints.models import Incident
from huanjie.complaints.views import (
    choices,
    form_moment,
    register_places,
    scoped_object,
    township_filter,
    townships_of,
)
from huanjie.cycles.services import RuleViolation
from huanjie.cycles.views import scoped_cycle, scoped_place
from huanjie.rules import complaints as rules

PREFIX = "cycles/<int:pk>/incidents/"
PAGE_SIZE = 50


def line(i: Incident, now) -> dict:
    """An incident as the pages show it: its level, whom it reaches, and when it rises
    if left unresolved."""
    level = i.level_rule
    due = None if i.is_resolved else rules.escalation_due(level, i.level_since)
    return {
        "i": i,
        "level": title(level),
        "reported_level": title(rules.Level(i.reported_level)),
        "reported_to": "、".join(title(r) for r in level.reported_to),
        "rises_at": due,
        "late": due is not None and due <= now,
    }


def incident_list(request, pk):
    permissions.require(request.user, permissions.VIEW)
    cycle = scoped_cycle(request, pk)
    scope = permissions.scope_of(request.user)
    chosen = {
        "q": request.GET.get("q", "").strip(),
        "level": request.GET.get("level", ""),
        "state": request.GET.get("state", ""),
        "township": request.GET.get("township", ""),
    }
    found = incidents.search(
        incidents.incidents_within(cycle, scope),
        q=chosen["q"],
        level=chosen["level"],
        state=chosen["state"],
        township=township_filter(request),
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    return render(
        request,
        "complaints/incidents.html",
        {
            "cycle": cycle,
            "scope": scope,
            "page": page,
            "rows": [line(i, now) for i in page.object_list],
            "chosen": chosen,
            "levels": choices(rules.Level),
            "states": [("open", _("Open")), ("resolved", _("Resolved"))],
            "townships": townships_of(scope),
            "can_register": permissions.can(request.user, REGISTER),
            "page_query": page_query(request),
        },
    )


def incident_new(request, pk):
    permissions.require(request.user, REGISTER)
    cycle = scoped_cycle(request, pk)
    values = request.POST if request.method == "POST" else request.GET
    if request.method == "POST":
        try:
            place = scoped_place(request, request.POST.get("place", ""), REGISTER)
            incident = incidents.report_incident(
                request.user,
                cycle,
                place,
                level=request.POST.get("level", ""),
                occurred_at=form_moment(request.POST.get("occurred_at"), _("Occurred at")),
                summary=request.POST.get("summary", ""),
                reported_by=request.POST.get("reported_by", ""),
            )
        except RuleViolation as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("The incident is recorded and reported to the %(to)s.")
                % {"to": "、".join(title(r) for r in incident.reported_to)},
            )
            return redirect("incident", cycle.pk, incident.pk)
    return render(
        request,
        "complaints/incident_new.html",
        {
            "cycle": cycle,
            "places": register_places(request.user, cycle),
            "levels": [
                (lv.value, title(lv), "、".join(title(r) for r in lv.reported_to))
                for lv in rules.Level
            ],
            "values": values,
        },
        status=400 if request.method == "POST" else 200,
    )


def incident_detail(request, pk, incident):
    cycle, i = scoped_object(request, pk, Incident, incident)
    return render(
        request,
        "complaints/incident.html",
        {
            "cycle": cycle,
            "row": line(i, timezone.now()),
            "i": i,
            "steps": i.steps.all(),
            "can_handle": permissions.can(request.user, HANDLE, i.place),
            "next_level": title(i.level_rule.next) if i.level_rule.next else "",
            "records": history(target=i)[:20],
        },
    )


def _handle(request, pk, incident, act, done: str):
    cycle, i = scoped_object(request, pk, Incident, incident, HANDLE)
    try:
        act(i)
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("incident", cycle.pk, i.pk)


@require_POST
def incident_step(request, pk, incident):
    post = request.POST
    return _handle(
        request,
        pk,
        incident,
        lambda i: incidents.add_incident_step(
            request.user,
            i,
            post.get("action", ""),
            at=form_moment(post.get("at"), _("At")),
            by=post.get("by", ""),
        ),
        _("The step is recorded."),
    )


@require_POST
def incident_escalate(request, pk, incident):
    return _handle(
        request,
        pk,
        incident,
        lambda i: incidents.escalate_incident(request.user, i, request.POST.get("note", "")),
        _("The incident is escalated."),
    )


@require_POST
def incident_resolve(request, pk, incident):
    post = request.POST
    return _handle(
        request,
        pk,
        incident,
        lambda i: incidents.resolve_incident(
            request.user,
            i,
            post.get("resolution", ""),
            resolved_at=form_moment(post.get("resolved_at"), _("Resolved at")),
        ),
        _("The incident is resolved."),
    )


urlpatterns = [
    path(PREFIX, incident_list, name="incidents"),
    path(f"{PREFIX}new/", incident_new, name="incident_new"),
    path(f"{PREFIX}<int:incident>/", incident_detail, name="incident"),
    path(f"{PREFIX}<int:incident>/step/", incident_step, name="incident_step"),
    path(f"{PREFIX}<int:incident>/escalate/", incident_escalate, name="incident_escalate"),
    path(f"{PREFIX}<int:incident>/resolve/", incident_resolve, name="incident_resolve"),
]
