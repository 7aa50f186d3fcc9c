"""Setting up the vote of an election (DOMAIN §6): its stations and mobile boxes, who
watches and counts at each, the voters a mobile box goes to, and the entrustments
with their published list.

Every rule is the services' (:mod:`huanjie.polling.stations`,
:mod:`huanjie.polling.proxies`, the rules core); the views read the form and show the
answer. A refused form comes back with the refusal next to it and what was typed still
in it; the people of a station and a box's voters change in place (htmx), with the
station's findings refreshed alongside.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huanjie.accounts import permissions
from huanjie.audit.trail import history
from huanjie.cycles.profiles import effective_profile
from huanjie.cycles.services import RuleViolation
from huanjie.cycles.timeline import localized
from huanjie.polling import proxies, stations
from huanjie.polling.models import MobileVoter, Notice, Proxy, Scrutineer, Station
from huanjie.polling.views import PREFIX, form_date, form_int, page_query, place_election
from huanjie.rules import kinship
from huanjie.rules.identity import mask_id
from huanjie.rules.seats import Body

STATIONS = PREFIX + "<int:election_id>/stations/"
STATION = STATIONS + "<int:station_id>/"
PROXIES = PREFIX + "<int:election_id>/proxies/"

#: The set-up actions of the audit trail, for the history shown on these pages.
ACTIONS = ("station", "scrutineer", "mobile", "proxy")

PROXIES_PER_PAGE = 50


def finding_rows(findings):
    return [
        {
            "level": f.level,
            "section": f.section,
            "code": f.code,
            "message": localized(f.message_zh, f.message_en),
        }
        for f in findings
    ]


def setup_history(place):
    wanted = Q()
    for action in ACTIONS:
        wanted |= Q(action__startswith=f"polling.{action}")
    return history(place=place).filter(wanted)[:20]


def _base(request, cycle, place, election, **extra):
    body = Body(election.body)
    return {
        "cycle": cycle,
        "place": place,
        "election": election,
        "title": localized(body.title_zh, body.title_en),
        "today": timezone.localdate(),
        "can_run": permissions.can(request.user, permissions.RUN_POLL, place),
        **extra,
    }


def _station(election, station_id) -> Station:
    station = get_object_or_404(Station, pk=station_id, election=election)
    station.election = election
    return station


# Stations


def _stations_context(request, cycle, place, election, **extra):
    found = stations.stations_of(election)
    findings = stations.election_findings(election, found)
    duties = {}
    for line in Scrutineer.objects.filter(station__in=found).select_related("voter"):
        duties.setdefault(line.station_id, []).append(line)
    rows = []
    for station in found:
        people = duties.get(station.pk, [])
        rows.append(
            {
                "station": station,
                "scrutineers": [d for d in people if d.role == Scrutineer.Role.SCRUTINEER],
                "counters": [d for d in people if d.role == Scrutineer.Role.COUNTER],
                "chief": next((d for d in people if d.chief), None),
                "findings": finding_rows(findings[station.pk]),
                "voters": station.mobile_voters.count()
                if station.kind == Station.Kind.MOBILE_BOX
                else None,
                "notice": stations.mobile_notice(station)
                if station.kind == Station.Kind.MOBILE_BOX
                else None,
            }
        )
    return _base(
        request,
        cycle,
        place,
        election,
        rows=rows,
        kinds=Station.Kind.choices,
        candidates=stations.candidates_of(election),
        records=setup_history(place),
        add_form=extra.pop("add_form", {"kind": Station.Kind.STATION, "booths": 1}),
        **extra,
    )


def stations_page(request, pk, code, election_id):
    """The election's stations and boxes with their people and what the rules say."""
    cycle, place, election = place_election(request, pk, code, election_id)
    return render(
        request, "polling/stations.html", _stations_context(request, cycle, place, election)
    )


@require_POST
def station_add(request, pk, code, election_id):
    cycle, place, election = place_election(request, pk, code, election_id, permissions.RUN_POLL)
    form = {
        "kind": request.POST.get("kind", ""),
        "name": request.POST.get("name", ""),
        "location": request.POST.get("location", ""),
        "booths": request.POST.get("booths", ""),
    }
    try:
        station = stations.add_station(
            request.user,
            election,
            kind=form["kind"],
            name=form["name"],
            location=form["location"],
            booths=form_int(form["booths"] or "1", _("Secret booths")),
        )
    except RuleViolation as exc:
        context = _stations_context(
            request, cycle, place, election, add_form=form, add_error=str(exc)
        )
        return render(request, "polling/stations.html", context)
    messages.success(request, _("%(station)s is set up.") % {"station": station})
    return redirect("polling-station", cycle.pk, place.code, election.pk, station.pk)


def _duties_context(station):
    people = stations.duties_of(station)
    return {
        "station": station,
        "scrutineers": [d for d in people if d.role == Scrutineer.Role.SCRUTINEER],
        "counters": [d for d in people if d.role == Scrutineer.Role.COUNTER],
        "findings": finding_rows(stations.station_findings(station)),
        "roles": Scrutineer.Role.choices,
    }


def _station_context(request, cycle, place, election, station, **extra):
    return _base(
        request,
        cycle,
        place,
        election,
        kinds=Station.Kind.choices,
        candidates=stations.candidates_of(election),
        records=setup_history(place),
        edit_form=extra.pop(
            "edit_form",
            {"name": station.name, "location": station.location, "booths": station.booths},
        ),
        duty_form=extra.pop("duty_form", {"role": Scrutineer.Role.SCRUTINEER}),
        **_duties_context(station),
        **extra,
    )


def station_page(request, pk, code, election_id, station_id):
    """One station: its name, place and booths, its scrutineers and counters."""
    cycle, place, election = place_election(request, pk, code, election_id)
    station = _station(election, station_id)
    return render(
        request,
        "polling/station.html",
        _station_context(request, cycle, place, election, station),
    )


@require_POST
def station_edit(request, pk, code, election_id, station_id):
    cycle, place, election = place_election(request, pk, code, election_id, permissions.RUN_POLL)
    station = _station(election, station_id)
    form = {
        "name": request.POST.get("name", ""),
        "location": request.POST.get("location", ""),
        "booths": request.POST.get("booths", ""),
    }
    try:
        stations.edit_station(
            request.user,
            station,
            name=form["name"],
            location=form["location"],
            booths=form_int(form["booths"], _("Secret booths")),
        )
    except RuleViolation as exc:
        station.refresh_from_db()
        context = _station_context(
            request, cycle, place, election, station, edit_form=form, edit_error=str(exc)
        )
        return render(request, "polling/station.html", context)
    messages.success(request, _("Saved."))
    return redirect("polling-station", cycle.pk, place.code, election.pk, station.pk)


@require_POST
def station_delete(request, pk, code, election_id, station_id):
    cycle, place, election = place_election(request, pk, code, election_id, permissions.RUN_POLL)
    station = _station(election, station_id)
    try:
        stations.delete_station(request.user, station)
    except RuleViolation as exc:
        messages.error(request, str(exc))
        return redirect("polling-station", cycle.pk, place.code, election.pk, station.pk)
    messages.success(request, _("%(station)s is removed.") % {"station": station})
    return redirect("polling-stations", cycle.pk, place.code, election.pk)


def _duties_answer(request, cycle, place, election, station, **extra):
    """The people panel alone for htmx, else the whole station page."""
    if request.htmx:
        context = _base(request, cycle, place, election, **_duties_context(station))
        context["duty_form"] = extra.get("duty_form", {"role": Scrutineer.Role.SCRUTINEER})
        context["duty_error"] = extra.get("duty_error")
        context["duty_done"] = extra.get("duty_done")
        return render(request, "polling/station_duties.html", context)
    if extra.get("duty_error"):
        return render(
            request,
            "polling/station.html",
            _station_context(request, cycle, place, election, station, **extra),
        )
    if extra.get("duty_done"):
        messages.success(request, extra["duty_done"])
    return redirect("polling-station", cycle.pk, place.code, election.pk, station.pk)


@require_POST
def duty_add(request, pk, code, election_id, station_id):
    """Put a voter on duty; a candidate or a near relative of one comes back refused
    with the relation named."""
    cycle, place, election = place_election(request, pk, code, election_id, permissions.RUN_POLL)
    station = _station(election, station_id)
    form = {
        "voter": request.POST.get("voter", ""),
        "role": request.POST.get("role", Scrutineer.Role.SCRUTINEER),
        "chief": bool(request.POST.get("chief")),
    }
    try:
        line = stations.add_duty(
            request.user, station, form["voter"], role=form["role"], chief=form["chief"]
        )
    except RuleViolation as exc:
        return _duties_answer(
            request, cycle, place, election, station, duty_form=form, duty_error=str(exc)
        )
    done = _("%(name)s is on duty as %(role)s.") % {
        "name": line.voter.name,
        "role": line.get_role_display(),
    }
    return _duties_answer(
        request,
        cycle,
        place,
        election,
        station,
        duty_form={"role": form["role"]},
        duty_done=done,
    )


@require_POST
def duty_remove(request, pk, code, election_id, station_id, duty_id):
    cycle, place, election = place_election(request, pk, code, election_id, permissions.RUN_POLL)
    station = _station(election, station_id)
    line = get_object_or_404(
        Scrutineer.objects.select_related("voter"), pk=duty_id, station=station
    )
    line.station = station
    try:
        stations.remove_duty(request.user, line)
    except RuleViolation as exc:
        return _duties_answer(request, cycle, place, election, station, duty_error=str(exc))
    done = _("%(name)s is off duty.") % {"name": line.voter.name}
    return _duties_answer(request, cycle, place, election, station, duty_done=done)


@require_POST
def duty_chief(request, pk, code, election_id, station_id, duty_id):
    cycle, place, election = place_election(request, pk, code, election_id, permissions.RUN_POLL)
    station = _station(election, station_id)
    line = get_object_or_404(
        Scrutineer.objects.select_related("voter"), pk=duty_id, station=station
    )
    line.station = station
    try:
        stations.make_chief(request.user, line)
    except RuleViolation as exc:
        return _duties_answer(request, cycle, place, election, station, duty_error=str(exc))
    done = _("%(name)s is the chief scrutineer.") % {"name": line.voter.name}
    return _duties_answer(request, cycle, place, election, station, duty_done=done)


# Mobile boxes


def _box(election, station_id) -> Station:
    station = _station(election, station_id)
    if station.kind != Station.Kind.MOBILE_BOX:
        raise Http404
    return station


def _mobile_voters_context(station):
    return {
        "station": station,
        "lines": stations.mobile_voters(station),
        "notice": stations.mobile_notice(station),
    }


def _mobile_context(request, cycle, place, election, station, **extra):
    return _base(
        request,
        cycle,
        place,
        election,
        records=setup_history(place),
        mobile_form=extra.pop("mobile_form", {}),
        **_mobile_voters_context(station),
        **extra,
    )


def mobile_page(request, pk, code, election_id, station_id):
    """The voters a mobile box goes to, their approval and the posted list."""
    cycle, place, election = place_election(request, pk, code, election_id)
    station = _box(election, station_id)
    return render(
        request, "polling/mobile.html", _mobile_context(request, cycle, place, election, station)
    )


def _mobile_answer(request, cycle, place, election, station, **extra):
    if request.htmx:
        context = _base(request, cycle, place, election, **_mobile_voters_context(station))
        context["mobile_form"] = extra.get("mobile_form", {})
        context["mobile_error"] = extra.get("mobile_error")
        context["mobile_done"] = extra.get("mobile_done")
        return render(request, "polling/mobile_voters.html", context)
    if any(key.endswith("_error") and value for key, value in extra.items()):
        return render(
            request,
            "polling/mobile.html",
            _mobile_context(request, cycle, place, election, station, **extra),
        )
    if extra.get("mobile_done"):
        messages.success(request, extra["mobile_done"])
    return redirect("polling-mobile", cycle.pk, place.code, election.pk, station.pk)


@require_POST
def mobile_add(request, pk, code, election_id, station_id):
    cycle, place, election = place_election(request, pk, code, election_id, permissions.RUN_POLL)
    station = _box(election, station_id)
    form = {"voter": request.POST.get("voter", ""), "reason": request.POST.get("reason", "")}
    try:
        line = stations.add_mobile_voter(request.user, station, form["voter"], form["reason"])
    except RuleViolation as exc:
        return _mobile_answer(
            request, cycle, place, election, station, mobile_form=form, mobile_error=str(exc)
        )
    station.refresh_from_db()
    done = _("%(name)s is approved for %(station)s.") % {
        "name": line.voter.name,
        "station": station,
    }
    return _mobile_answer(request, cycle, place, election, station, mobile_done=done)


@require_POST
def mobile_remove(request, pk, code, election_id, station_id, line_id):
    cycle, place, election = place_election(request, pk, code, election_id, permissions.RUN_POLL)
    station = _box(election, station_id)
    line = get_object_or_404(
        MobileVoter.objects.select_related("voter"), pk=line_id, station=station
    )
    line.station = station
    try:
        stations.remove_mobile_voter(request.user, line)
    except RuleViolation as exc:
        return _mobile_answer(request, cycle, place, election, station, mobile_error=str(exc))
    done = _("%(name)s is taken off %(station)s.") % {"name": line.voter.name, "station": station}
    return _mobile_answer(request, cycle, place, election, station, mobile_done=done)


@require_POST
def mobile_approve(request, pk, code, election_id, station_id):
    cycle, place, election = place_election(request, pk, code, election_id, permissions.RUN_POLL)
    station = _box(election, station_id)
    try:
        day = form_date(request.POST.get("approved_on"), timezone.localdate())
        stations.approve_list(request.user, station, day)
    except RuleViolation as exc:
        context = _mobile_context(request, cycle, place, election, station, approve_error=str(exc))
        return render(request, "polling/mobile.html", context)
    messages.success(request, _("The voters of %(station)s are approved.") % {"station": station})
    return redirect("polling-mobile", cycle.pk, place.code, election.pk, station.pk)


@require_POST
def mobile_publish(request, pk, code, election_id, station_id):
    cycle, place, election = place_election(request, pk, code, election_id, permissions.RUN_POLL)
    station = _box(election, station_id)
    try:
        day = form_date(request.POST.get("published_on"), timezone.localdate())
        stations.publish_mobile(request.user, station, day)
    except RuleViolation as exc:
        context = _mobile_context(request, cycle, place, election, station, publish_error=str(exc))
        return render(request, "polling/mobile.html", context)
    messages.success(request, _("The voters of %(station)s are posted.") % {"station": station})
    return redirect("polling-mobile", cycle.pk, place.code, election.pk, station.pk)


def _pdf(notice: Notice) -> FileResponse:
    return FileResponse(
        notice.file.open("rb"),
        as_attachment=True,
        filename=notice.file.name.rsplit("/", 1)[-1],
        content_type="application/pdf",
    )


def mobile_notice(request, pk, code, election_id, station_id):
    """The posted list of a mobile box, as it was posted."""
    _cycle, _place, election = place_election(request, pk, code, election_id)
    notice = stations.mobile_notice(_box(election, station_id))
    if notice is None:
        raise Http404
    return _pdf(notice)


# Proxies


def _relation_titles() -> dict[str, str]:
    return {k.value: localized(k.title_zh, k.title_en) for k in kinship.Kinship}


def _proxy_rows(lines):
    titles = _relation_titles()
    return [
        {
            "line": line,
            "entruster_id": mask_id(line.entruster.id_number),
            "proxy_id": mask_id(line.proxy.id_number),
            "relation": titles.get(line.relation, line.relation),
        }
        for line in lines
    ]


def _proxies_context(request, cycle, place, election, **extra):
    q = request.GET.get("q", "").strip()
    page = Paginator(proxies.entrustments(election, q), PROXIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    total = proxies.entrustments(election).count()
    profile = effective_profile(cycle, place)
    titles = _relation_titles()
    return _base(
        request,
        cycle,
        place,
        election,
        q=q,
        page=page,
        page_query=page_query(request),
        rows=_proxy_rows(page),
        total=total,
        limit=profile.proxies_per_person,
        relations=[(r, titles[r]) for r in profile.proxy_relations],
        notices=list(
            Notice.objects.filter(election=election, kind=Notice.Kind.PROXIES).order_by(
                "-published_on", "-at", "-id"
            )
        ),
        changed=proxies.changed_since_posted(election),
        before_day=election.election_day is not None
        and timezone.localdate() < election.election_day,
        records=setup_history(place),
        form=extra.pop("form", {"signed_on": timezone.localdate().isoformat()}),
        **extra,
    )


def proxies_page(request, pk, code, election_id):
    """The entrustments with search and pages, registering one, the published lists."""
    cycle, place, election = place_election(request, pk, code, election_id)
    context = _proxies_context(request, cycle, place, election)
    if request.htmx and request.htmx.target == "proxy-list":
        return render(request, "polling/proxies_list.html", context)
    return render(request, "polling/proxies.html", context)


@require_POST
def proxy_add(request, pk, code, election_id):
    """Register an entrustment with its signed authorisation (an uploaded file)."""
    cycle, place, election = place_election(request, pk, code, election_id, permissions.RUN_POLL)
    form = {
        "entruster": request.POST.get("entruster", ""),
        "proxy": request.POST.get("proxy", ""),
        "relation": request.POST.get("relation", ""),
        "signed_on": request.POST.get("signed_on", ""),
    }
    try:
        line, warnings = proxies.register(
            request.user,
            election,
            entruster=form["entruster"],
            proxy=form["proxy"],
            relation=form["relation"],
            signed_on=form_date(form["signed_on"], timezone.localdate()),
            authorisation=request.FILES.get("authorisation"),
        )
    except RuleViolation as exc:
        context = _proxies_context(request, cycle, place, election, form=form, error=str(exc))
        return render(request, "polling/proxies.html", context)
    messages.success(
        request,
        _("%(entruster)s entrusts %(proxy)s.")
        % {"entruster": line.entruster.name, "proxy": line.proxy.name},
    )
    for finding in warnings:
        messages.warning(request, localized(finding.message_zh, finding.message_en))
    return redirect("polling-proxies", cycle.pk, place.code, election.pk)


@require_POST
def proxy_withdraw(request, pk, code, election_id, proxy_id):
    cycle, place, election = place_election(request, pk, code, election_id, permissions.RUN_POLL)
    line = get_object_or_404(
        Proxy.objects.select_related("entruster", "proxy"), pk=proxy_id, election=election
    )
    line.election = election
    try:
        proxies.withdraw(request.user, line, request.POST.get("reason", ""))
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("The entrustment of %(entruster)s is withdrawn.")
            % {"entruster": line.entruster.name},
        )
    return redirect("polling-proxies", cycle.pk, place.code, election.pk)


def proxy_authorisation(request, pk, code, election_id, proxy_id):
    """The signed authorisation, for the people running the vote only: it carries the
    entruster's signature and often their ID number."""
    _cycle, _place, election = place_election(request, pk, code, election_id, permissions.RUN_POLL)
    line = get_object_or_404(Proxy, pk=proxy_id, election=election)
    return FileResponse(
        line.authorisation.open("rb"),
        as_attachment=True,
        filename=line.authorisation.name.rsplit("/", 1)[-1],
    )


@require_POST
def proxies_publish(request, pk, code, election_id):
    cycle, place, election = place_election(request, pk, code, election_id, permissions.RUN_POLL)
    try:
        day = form_date(request.POST.get("published_on"), timezone.localdate())
        notice = proxies.publish(request.user, election, day)
    except RuleViolation as exc:
        context = _proxies_context(request, cycle, place, election, publish_error=str(exc))
        return render(request, "polling/proxies.html", context)
    messages.success(
        request,
        _("The list of entrusters and proxies is published (%(n)d entrustments).")
        % {"n": len(notice.people)},
    )
    return redirect("polling-proxies", cycle.pk, place.code, election.pk)


def proxies_notice(request, pk, code, election_id, notice_id):
    """A published list of entrusters and proxies, as it was published."""
    _cycle, _place, election = place_election(request, pk, code, election_id)
    notice = get_object_or_404(Notice, pk=notice_id, election=election, kind=Notice.Kind.PROXIES)
    return _pdf(notice)


urlpatterns = [
    path(STATIONS, stations_page, name="polling-stations"),
    path(STATIONS + "add/", station_add, name="polling-station-add"),
    path(STATION, station_page, name="polling-station"),
    path(STATION + "edit/", station_edit, name="polling-station-edit"),
    path(STATION + "delete/", station_delete, name="polling-station-delete"),
    path(STATION + "duties/", duty_add, name="polling-scrutineer-add"),
    path(STATION + "duties/<int:duty_id>/remove/", duty_remove, name="polling-scrutineer-remove"),
    path(STATION + "duties/<int:duty_id>/chief/", duty_chief, name="polling-scrutineer-chief"),
    path(STATION + "mobile/", mobile_page, name="polling-mobile"),
    path(STATION + "mobile/add/", mobile_add, name="polling-mobile-add"),
    path(STATION + "mobile/<int:line_id>/remove/", mobile_remove, name="polling-mobile-remove"),
    path(STATION + "mobile/approve/", mobile_approve, name="polling-mobile-approve"),
    path(STATION + "mobile/publish/", mobile_publish, name="polling-mobile-publish"),
    path(STATION + "mobile/notice.pdf", mobile_notice, name="polling-mobile-notice"),
    path(PROXIES, proxies_page, name="polling-proxies"),
    path(PROXIES + "add/", proxy_add, name="polling-proxy-add"),
    path(PROXIES + "<int:proxy_id>/withdraw/", proxy_withdraw, name="polling-proxy-withdraw"),
    path(
        PROXIES + "<int:proxy_id>/authorisation/",
        proxy_authorisation,
        name="polling-proxy-authorisation",
    ),
    path(PROXIES + "publish/", proxies_publish, name="polling-proxies-publish"),
    path(PROXIES + "notices/<int:notice_id>.pdf", proxies_notice, name="polling-proxies-notice"),
]
