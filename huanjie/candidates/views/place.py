"""A place's candidates: every election with its candidates and their review, the
slate findings (refreshed after every change), one candidate's record, withdrawals,
the formal list and the printed sheets; and the list of places across the user's
scope.

Every rule is the services' (:mod:`huanjie.candidates.roster`, :mod:`~.notices`,
:mod:`~.review`, :mod:`~.candidacy`); the views read the form and show the answer.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huanjie.accounts import permissions
from huanjie.candidates import candidacy, nomination, notices, review, roster
from huanjie.candidates.models import Candidate, Notice
from huanjie.candidates.views import PREFIX, form_date, page_query, place_election, place_history
from huanjie.cycles.models import Election
from huanjie.cycles.services import RuleViolation
from huanjie.cycles.timeline import localized
from huanjie.cycles.views import current_cycle, scoped_cycle, scoped_place
from huanjie.rules import negative_list
from huanjie.rules.identity import age_on, mask_id
from huanjie.rules.seats import Body


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


def candidate_rows(election, candidates, reviews):
    rows = []
    for c in candidates:
        state = reviews.get(c.id)
        rows.append(
            {
                "candidate": c,
                "office": roster.office_title(election, c.office),
                "id_number": mask_id(c.resident.id_number),
                "age": age_on(c.resident.birth_date, election.election_day)
                if election.election_day
                else None,
                "review": state,
            }
        )
    return rows


def election_block(election, findings, can_nominate):
    everyone = list(
        Candidate.objects.filter(election=election)
        .select_related("resident", "replaces__resident")
        .order_by("office", "-votes", "id")
    )
    standing = roster.standing(election)
    left = [c for c in everyone if not c.standing]
    reviews = roster.reviews(standing + left, election.cycle)
    mine = roster.election_findings(election, findings)
    body = Body(election.body)
    return {
        "election": election,
        "title": localized(body.title_zh, body.title_en),
        "is_party": body == Body.PARTY_COMMITTEE,
        "is_committee": body in nomination.COMMITTEES,
        "rows": candidate_rows(election, standing, reviews),
        "left": candidate_rows(election, left, reviews),
        "findings": finding_rows(mine),
        "final": roster.is_final(election),
        "meeting": nomination.meeting_of(election),
        "notices": list(Notice.objects.filter(election=election)),
        "latest": notices.latest_formal_day(election),
        "blockers": notices.formal_blockers(election)
        if body in nomination.COMMITTEES and can_nominate
        else [],
    }


def overview(request, pk, code):
    """The place's elections with their candidates, review states and findings."""
    cycle = scoped_cycle(request, pk)
    place = scoped_place(request, code)
    if not place.is_electing:
        raise Http404
    findings = roster.slate_findings(cycle, place)
    can_nominate = permissions.can(request.user, permissions.NOMINATE, place)
    blocks = [
        election_block(e, findings, can_nominate) for e in roster.place_elections(cycle, place)
    ]
    return render(
        request,
        "candidates/place.html",
        {
            "cycle": cycle,
            "place": place,
            "today": timezone.localdate(),
            "blocks": blocks,
            "general": finding_rows(f for f in findings if roster.is_general(f)),
            "can_nominate": can_nominate,
            "records": place_history(place),
        },
    )


def findings_panel(request, pk, code):
    """The slate findings alone, for htmx to refresh after a change elsewhere."""
    cycle = scoped_cycle(request, pk)
    place = scoped_place(request, code)
    return render(
        request,
        "candidates/_findings.html",
        {"findings": finding_rows(roster.slate_findings(cycle, place))},
    )


def candidate_detail(request, pk, code, election, candidate):
    cycle, place, election = place_election(request, pk, code, election)
    candidate = get_object_or_404(
        Candidate.objects.select_related("resident", "replaces__resident"),
        pk=candidate,
        election=election,
    )
    verdicts = list(candidate.verdicts.select_related("department", "user"))
    answered = {v.department_id for v in verdicts}
    return render(
        request,
        "candidates/candidate.html",
        {
            "cycle": cycle,
            "place": place,
            "election": election,
            "candidate": candidate,
            "office": roster.office_title(election, candidate.office),
            "id_number": mask_id(candidate.resident.id_number),
            "verdicts": [
                {"verdict": v, "items": [negative_list.BY_NUMBER[i] for i in v.items]}
                for v in verdicts
            ],
            "awaiting": [d for d in roster.departments(cycle) if d.id not in answered],
            "replaced_by": list(candidate.replaced_by.select_related("resident")),
            "final": roster.is_final(election),
            "today": timezone.localdate(),
            "can_nominate": permissions.can(request.user, permissions.NOMINATE, place),
            "review_departments": review.departments_for(request.user, cycle),
            "negative_list": negative_list.NEGATIVE_LIST,
        },
    )


def _back(pk, code, election_id, candidate_id=None):
    if candidate_id:
        return redirect("candidates-candidate", pk, code, election_id, candidate_id)
    return redirect("candidates-place", pk, code)


@require_POST
def candidate_update(request, pk, code, election, candidate):
    """Introduction, outgoing committee, election committee, commitment letter."""
    _cycle, _place, election = place_election(request, pk, code, election, permissions.NOMINATE)
    candidate = get_object_or_404(Candidate, pk=candidate, election=election)
    what = request.POST.get("what")
    try:
        if what == "describe":
            candidacy.describe(
                request.user,
                candidate,
                introduction=request.POST.get("introduction", ""),
                continuing=bool(request.POST.get("continuing")),
            )
        elif what == "committee":
            candidacy.set_election_committee(
                request.user, candidate, bool(request.POST.get("on_election_committee"))
            )
        elif what == "commitment":
            candidacy.record_commitment(
                request.user,
                candidate,
                signed_on=form_date(request.POST.get("signed_on"), timezone.localdate()),
                upload=request.FILES.get("file"),
            )
        else:
            raise RuleViolation(_("Unknown change."))
        messages.success(request, _("Saved."))
    except RuleViolation as exc:
        messages.error(request, str(exc))
    return _back(pk, code, election.pk, candidate.pk)


@require_POST
def withdraw(request, pk, code, election, candidate):
    _cycle, _place, election = place_election(request, pk, code, election, permissions.NOMINATE)
    candidate = get_object_or_404(
        Candidate.objects.select_related("resident"), pk=candidate, election=election
    )
    try:
        added = review.withdraw(request.user, candidate, request.POST.get("reason", ""))
        text = _("%(name)s has withdrawn.") % {"name": candidate.resident.name}
        if added:
            text += " " + _("Filled in from the ranking: %(names)s.") % {
                "names": "、".join(c.resident.name for c in added)
            }
        messages.success(request, text)
    except RuleViolation as exc:
        messages.error(request, str(exc))
    return _back(pk, code, election.pk)


@require_POST
def publish_formal(request, pk, code, election):
    _cycle, _place, election = place_election(request, pk, code, election, permissions.NOMINATE)
    today = timezone.localdate()
    try:
        notice = notices.publish_formal(
            request.user, election, form_date(request.POST.get("published_on"), today)
        )
        messages.success(
            request,
            _("The formal candidates are published (%(n)d names).") % {"n": notice.names},
        )
    except RuleViolation as exc:
        messages.error(request, str(exc))
    return _back(pk, code, election.pk)


def notice_file(request, notice):
    """A posted notice as it was posted."""
    notice = get_object_or_404(Notice.objects.select_related("election__place"), pk=notice)
    permissions.require(request.user, permissions.VIEW, notice.election.place)
    return FileResponse(
        notice.file.open("rb"),
        as_attachment=True,
        filename=notice.file.name.rsplit("/", 1)[-1],
        content_type="application/pdf",
    )


def _pdf(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def introduction(request, pk, code, election):
    _cycle, place, election = place_election(request, pk, code, election)
    return _pdf(
        notices.introduction_pdf(election), f"{place.code}-{election.body}-introduction.pdf"
    )


def commitments(request, pk, code, election):
    _cycle, place, election = place_election(request, pk, code, election, permissions.NOMINATE)
    return _pdf(notices.commitment_pdf(election), f"{place.code}-{election.body}-commitments.pdf")


def index(request):
    """The places of the user's scope with their candidates: how many stand, how many
    await a verdict, whether the formal list is out; filtered by name and state."""
    cycle = current_cycle(request)
    if cycle is None:
        return render(request, "candidates/index.html", {"cycle": None})
    scope = permissions.scope_of(request.user)
    q = request.GET.get("q", "").strip()
    state = request.GET.get("state", "")
    elections = (
        Election.objects.filter(
            cycle=cycle,
            place__code__startswith=scope.prefix,
            body__in=(Body.VILLAGERS_COMMITTEE, Body.RESIDENTS_COMMITTEE, Body.PARTY_COMMITTEE),
        )
        .select_related("place")
        .annotate(
            standing=Count("candidates", filter=Q(candidates__status__in=roster.STANDING)),
            formal=Count("candidates", filter=Q(candidates__status=Candidate.Status.FORMAL)),
            out=Count(
                "candidates",
                filter=Q(
                    candidates__status__in=(
                        Candidate.Status.DISQUALIFIED,
                        Candidate.Status.WITHDRAWN,
                    )
                ),
            ),
        )
        .order_by("place__code", "body")
    )
    if q:
        elections = elections.filter(place__name__contains=q)
    if state == "none":
        elections = elections.filter(standing=0)
    elif state == "open":
        elections = elections.filter(standing__gt=0, formal=0)
    elif state == "final":
        elections = elections.filter(formal__gt=0)
    page = Paginator(elections, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "candidates/index.html",
        {
            "cycle": cycle,
            "page": page,
            "q": q,
            "state": state,
            "page_query": page_query(request),
            "states": (
                ("none", _("No candidates yet")),
                ("open", _("Candidates, list not final")),
                ("final", _("Formal list")),
            ),
        },
    )


urlpatterns = [
    path("candidates/", index, name="candidates"),
    path(PREFIX, overview, name="candidates-place"),
    path(PREFIX + "findings/", findings_panel, name="candidates-findings"),
    path(PREFIX + "<int:election>/<int:candidate>/", candidate_detail, name="candidates-candidate"),
    path(
        PREFIX + "<int:election>/<int:candidate>/update/",
        candidate_update,
        name="candidates-candidate-update",
    ),
    path(PREFIX + "<int:election>/<int:candidate>/withdraw/", withdraw, name="candidates-withdraw"),
    path(PREFIX + "<int:election>/formal/", publish_formal, name="candidates-formal-publish"),
    path(PREFIX + "<int:election>/introduction.pdf", introduction, name="candidates-introduction"),
    path(PREFIX + "<int:election>/commitments.pdf", commitments, name="candidates-commitments"),
    path("candidates/notices/<int:notice>/", notice_file, name="candidates-notice"),
]
