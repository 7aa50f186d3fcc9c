"""Dashboard, timelines and elections: the pages a township office works in."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from huanjie.accounts import permissions
from huanjie.audit.trail import history
from huanjie.complaints.attention import attention
from huanjie.cycles import services
from huanjie.cycles.models import Cycle, Election, ProfileOverride, Step, StepDocument
from huanjie.cycles.profiles import display_value, effective_profile, overrides_for
from huanjie.cycles.timeline import (
    by_parent,
    localized,
    overdue_steps,
    place_timeline,
    summary,
    timelines,
)
from huanjie.places.models import Kind, Place
from huanjie.rules import profiles, seats


def cycles_for(user):
    """Cycles the user works in: those of the county containing, or inside, their scope."""
    scope = permissions.scope_of(user)
    if scope is None:
        return []
    return [
        c
        for c in Cycle.objects.select_related("county")
        if scope.contains(c.county) or c.county.contains(scope)
    ]


def current_cycle(request):
    cycles = cycles_for(request.user)
    wanted = request.GET.get("cycle")
    if wanted:
        cycle = next((c for c in cycles if str(c.pk) == wanted), None)
        if cycle is None:
            raise Http404
        return cycle
    return cycles[0] if cycles else None


def scoped_place(request, code, capability=permissions.VIEW):
    place = get_object_or_404(Place, code=code)
    permissions.require(request.user, capability, place)
    return place


def scoped_cycle(request, pk):
    cycle = next((c for c in cycles_for(request.user) if c.pk == pk), None)
    if cycle is None:
        raise Http404
    return cycle


def dashboard(request):
    """County: one row per township; township: one row per village or community.
    Overdue steps of every place in scope are listed below, the longest overdue first."""
    scope = permissions.scope_of(request.user)
    if scope is None:
        raise PermissionDenied
    cycle = current_cycle(request)
    if cycle is None:
        return render(
            request,
            "cycles/dashboard.html",
            {"scope": scope, "cycle": None, "cycles": cycles_for(request.user)},
        )
    places = Place.objects.within(scope).electing().order_by("code")
    q = request.GET.get("q", "").strip()
    all_timelines = timelines(cycle, places, timezone.localdate())
    if scope.kind in (Kind.PROVINCE, Kind.CITY, Kind.COUNTY):
        groups = by_parent(all_timelines)
        townships = Place.objects.filter(pk__in=groups).order_by("code")
        rows = [summary(township, groups[township.pk]) for township in townships]
    else:
        rows = [summary(tl.place, [tl]) for tl in all_timelines]
    if q:
        rows = [r for r in rows if q in r["place"].name or r["place"].code.startswith(q)]
    overdue = overdue_steps(all_timelines)
    context = {
        "scope": scope,
        "cycle": cycle,
        "rows": rows,
        "overdue": overdue[:200],
        "overdue_total": len(overdue),
        "places_total": len(all_timelines),
        "late_places": len({p.code for p, _row in overdue}),
        "q": q,
        "localized": localized,
    }
    if not request.htmx:
        context["attention"] = attention(request.user, cycle)
    template = "cycles/_dashboard_rows.html" if request.htmx else "cycles/dashboard.html"
    return render(request, template, context)


def timeline(request, pk, code):
    cycle = scoped_cycle(request, pk)
    place = scoped_place(request, code)
    if not place.is_electing:
        raise Http404
    tl = place_timeline(cycle, place, timezone.localdate())
    profile = effective_profile(cycle, place)
    context = {
        "cycle": cycle,
        "place": place,
        "tl": tl,
        "profile": profile,
        "can_sign": permissions.can(request.user, permissions.SIGN_OFF, place),
        "records": history(place=place)[:20],
        "today": timezone.localdate(),
    }
    return render(request, "cycles/timeline.html", context)


def _timeline_response(request, cycle, place):
    if request.htmx:
        tl = place_timeline(cycle, place, timezone.localdate())
        return render(
            request,
            "cycles/_timeline_table.html",
            {
                "cycle": cycle,
                "place": place,
                "tl": tl,
                "can_sign": True,
                "today": timezone.localdate(),
            },
        )
    return redirect("timeline", pk=cycle.pk, code=place.code)


@require_POST
def sign_off(request, pk, code, key):
    cycle = scoped_cycle(request, pk)
    place = scoped_place(request, code, permissions.SIGN_OFF)
    done_on = request.POST.get("done_on") or None
    try:
        done_on = date.fromisoformat(done_on) if done_on else None
        services.sign_off(
            request.user,
            cycle,
            place,
            key,
            done_on=done_on,
            note=request.POST.get("note", ""),
            not_needed=request.POST.get("not_needed") == "1",
        )
        messages.success(request, _("Step signed off."))
    except ValueError:
        messages.error(request, _("The date must be given as YYYY-MM-DD."))
    except services.RuleViolation as exc:
        messages.error(request, str(exc))
    return _timeline_response(request, cycle, place)


@require_POST
def reopen(request, pk, code, key):
    cycle = scoped_cycle(request, pk)
    place = scoped_place(request, code, permissions.SIGN_OFF)
    step = get_object_or_404(Step, cycle=cycle, place=place, key=key)
    try:
        services.reopen(request.user, step, request.POST.get("reason", ""))
        messages.success(request, _("Step reopened."))
    except services.RuleViolation as exc:
        messages.error(request, str(exc))
    return _timeline_response(request, cycle, place)


@require_POST
def attach(request, pk, code, key):
    cycle = scoped_cycle(request, pk)
    place = scoped_place(request, code, permissions.SIGN_OFF)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file to attach."))
    else:
        step, _created = Step.objects.get_or_create(cycle=cycle, place=place, key=key)
        services.attach_document(request.user, step, upload)
        messages.success(request, _("Document attached."))
    return redirect("timeline", pk=cycle.pk, code=place.code)


def document(request, pk):
    doc = get_object_or_404(StepDocument.objects.select_related("step__place"), pk=pk)
    permissions.require(request.user, permissions.VIEW, doc.step.place)
    return FileResponse(doc.file.open("rb"), as_attachment=True, filename=doc.name)


def election_detail(request, pk):
    election = get_object_or_404(Election.objects.select_related("place", "cycle"), pk=pk)
    permissions.require(request.user, permissions.VIEW, election.place)
    can_edit = permissions.can(request.user, permissions.EDIT_ELECTIONS, election.place)
    offices = list(election.offices.all())
    profile = effective_profile(election.cycle, election.place)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        try:
            day = request.POST.get("election_day")
            if day and date.fromisoformat(day) != election.election_day:
                services.set_election_day(request.user, election, date.fromisoformat(day))
            new = {
                o.key: int(request.POST[f"seats_{o.key}"])
                for o in offices
                if f"seats_{o.key}" in request.POST
                and int(request.POST[f"seats_{o.key}"]) != o.seats
            }
            if new:
                services.set_seats(request.user, election, new)
            messages.success(request, _("Election saved."))
            return redirect("election", pk=election.pk)
        except ValueError:
            messages.error(request, _("Seats must be whole numbers and the date YYYY-MM-DD."))
        except services.RuleViolation as exc:
            messages.error(request, str(exc))
    findings = seats.check_seats(
        seats.Body(election.body), {o.key: o.seats for o in offices}, profile
    )
    return render(
        request,
        "cycles/election.html",
        {
            "election": election,
            "offices": offices,
            "findings": findings,
            "can_edit": can_edit,
            "records": history(target=election)[:20],
            "localized": localized,
        },
    )


def cycle_detail(request, pk):
    cycle = scoped_cycle(request, pk)
    scope = permissions.scope_of(request.user)
    place_code = request.GET.get("place") or scope.code
    place = scoped_place(request, place_code)
    profile = effective_profile(cycle, place)
    overrides = overrides_for(cycle, place)
    overridden = {o.parameter for o in overrides}
    return render(
        request,
        "cycles/cycle.html",
        {
            "cycle": cycle,
            "place": place,
            "profile": profile,
            "parameters": profiles.PARAMETERS,
            "values": {k: display_value(v) for k, v in profiles.profile_values(profile)},
            "overrides": overrides,
            "overridden": overridden,
            "profile_choices": profiles.PROFILES,
            "can_configure": permissions.can(
                request.user, permissions.CONFIGURE_CYCLE, cycle.county
            ),
            "can_edit_elections": permissions.can(request.user, permissions.EDIT_ELECTIONS, place),
            "localized": localized,
        },
    )


@require_POST
def choose_profile(request, pk):
    cycle = scoped_cycle(request, pk)
    try:
        services.choose_profile(request.user, cycle, request.POST.get("profile", ""))
        messages.success(request, _("Rule profile changed."))
    except services.RuleViolation as exc:
        messages.error(request, str(exc))
    return redirect("cycle", pk=cycle.pk)


@require_POST
def add_override(request, pk):
    cycle = scoped_cycle(request, pk)
    place = scoped_place(request, request.POST.get("place", ""), permissions.CONFIGURE_CYCLE)
    raw = request.POST.get("value", "").strip()
    value = _parse_value(raw)
    try:
        services.set_override(
            request.user,
            cycle,
            place,
            request.POST.get("parameter", ""),
            value,
            request.POST.get("reason", ""),
        )
        messages.success(request, _("Override saved."))
    except services.RuleViolation as exc:
        messages.error(request, str(exc))
    return redirect(reverse("cycle", args=[cycle.pk]) + f"?place={place.code}")


def _parse_value(raw: str):
    """Form input to the JSON-ish value the profile accepts: 5, true, 1/3, 3-7."""
    lowered = raw.lower()
    if lowered in ("true", "false", "是", "否"):
        return lowered in ("true", "是")
    if raw.lstrip("-").isdigit():
        return int(raw)
    if "-" in raw and all(part.isdigit() for part in raw.split("-", 1)):
        low, high = raw.split("-", 1)
        return [int(low), int(high)]
    return raw


@require_POST
def delete_override(request, pk):
    override = get_object_or_404(ProfileOverride.objects.select_related("place", "cycle"), pk=pk)
    cycle = scoped_cycle(request, override.cycle_id)
    services.remove_override(request.user, override)
    messages.success(request, _("Override removed."))
    return redirect(reverse("cycle", args=[cycle.pk]) + f"?place={override.place.code}")


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise services.RuleViolation(_("Dates must be given as YYYY-MM-DD.")) from None


def create_cycle(request):
    """County admins open a term change for their county."""
    scope = permissions.scope_of(request.user)
    counties = Place.objects.within(scope).filter(kind=Kind.COUNTY) if scope else []
    if not permissions.can(request.user, permissions.CONFIGURE_CYCLE):
        raise PermissionDenied
    if request.method == "POST":
        try:
            county = scoped_place(
                request, request.POST.get("county", ""), permissions.CONFIGURE_CYCLE
            )
            cycle = services.create_cycle(
                request.user,
                county,
                name=request.POST.get("name", "").strip() or f"{county.name}换届",
                term_number=int(request.POST.get("term_number") or 0),
                starts_on=_date(request.POST.get("starts_on")),
                ends_on=_date(request.POST.get("ends_on")),
                profile=request.POST.get("profile", "national"),
            )
            messages.success(request, _("Cycle created."))
            return redirect("cycle", pk=cycle.pk)
        except ValueError:
            messages.error(request, _("The term number must be a whole number."))
        except services.RuleViolation as exc:
            messages.error(request, str(exc))
    return render(
        request,
        "cycles/create.html",
        {"counties": counties, "profile_choices": profiles.PROFILES, "form": request.POST},
    )


@require_POST
def set_up_elections(request, pk):
    cycle = scoped_cycle(request, pk)
    scope = permissions.scope_of(request.user)
    under = scoped_place(request, request.POST.get("place") or scope.code)
    try:
        day = _date(request.POST.get("election_day"))
        places = Place.objects.within(under).electing().filter(code__startswith=cycle.county.prefix)
        created = services.set_up_elections(request.user, cycle, places, day)
        messages.success(
            request,
            ngettext("%(n)d election set up.", "%(n)d elections set up.", created) % {"n": created},
        )
    except services.RuleViolation as exc:
        messages.error(request, str(exc))
    return redirect(reverse("cycle", args=[cycle.pk]) + f"?place={under.code}")


@require_POST
def add_election(request, pk, code):
    cycle = scoped_cycle(request, pk)
    place = scoped_place(request, code, permissions.EDIT_ELECTIONS)
    try:
        day = request.POST.get("election_day")
        election = services.add_election(
            request.user, cycle, place, request.POST.get("body", ""), _date(day) if day else None
        )
        messages.success(request, _("Election added."))
        return redirect("election", pk=election.pk)
    except services.RuleViolation as exc:
        messages.error(request, str(exc))
    return redirect("place", code=place.code)
