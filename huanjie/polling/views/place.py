"""Election day of a place: its elections with their polls, opening the first vote,
printing the ballots; and the list of places across the user's scope with the state
of their vote.

Every rule is the services' (:mod:`huanjie.polling.polls`, the rules core); the views
read the form and show the answer.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huanjie.accounts import permissions
from huanjie.candidates import roster
from huanjie.candidates.notices import body_title
from huanjie.cycles.models import Election
from huanjie.cycles.services import RuleViolation
from huanjie.cycles.timeline import localized
from huanjie.cycles.views import current_cycle, scoped_cycle, scoped_place
from huanjie.documents import ballots
from huanjie.polling import papers, polls
from huanjie.polling.models import Poll, Station
from huanjie.polling.views import PREFIX, form_int, page_query, place_election, place_poll
from huanjie.rules import names
from huanjie.rules.seats import Body
from huanjie.voters.publication import committee_of

BODIES = (Body.VILLAGERS_COMMITTEE, Body.RESIDENTS_COMMITTEE, Body.PARTY_COMMITTEE)


def election_block(election):
    body = Body(election.body)
    return {
        "election": election,
        "title": localized(body.title_zh, body.title_en),
        "final": roster.is_final(election),
        # A party election votes at its members' meeting (DOMAIN §8).
        "party": body == Body.PARTY_COMMITTEE,
        "polls": list(election.polls.order_by("held_on", "id")),
        "stations": list(election.stations.annotate(people=Count("scrutineers"))),
        "proxies": election.proxies.count(),
    }


def overview(request, pk, code):
    """The place's elections with their polls, stations and proxies."""
    cycle = scoped_cycle(request, pk)
    place = scoped_place(request, code)
    if not place.is_electing:
        raise Http404
    elections = Election.objects.filter(cycle=cycle, place=place, body__in=BODIES)
    return render(
        request,
        "polling/place.html",
        {
            "cycle": cycle,
            "place": place,
            "today": timezone.localdate(),
            "blocks": [election_block(e) for e in elections.select_related("cycle", "place")],
            "can_run": permissions.can(request.user, permissions.RUN_POLL, place),
            "layouts": Poll.Layout.choices,
            "methods": Poll.Method.choices,
        },
    )


@require_POST
def open_first(request, pk, code, election_id):
    """Open the first vote on election day with the final list."""
    cycle, place, election = place_election(request, pk, code, election_id, permissions.RUN_POLL)
    try:
        poll = polls.open_first(
            request.user,
            election,
            layout=request.POST.get("layout", Poll.Layout.SECTIONS),
            method=request.POST.get("method", Poll.Method.BALLOTS),
        )
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("The first vote of %(election)s is open.") % {"election": poll.election}
        )
    return redirect("polling-place", cycle.pk, place.code)


def ballot_paper(poll: Poll) -> ballots.BallotPaper:
    """The ballot of ``poll``: its offices highest first, each with its candidates in
    姓氏笔画 order (DOMAIN §6) — a run-off's candidates come by votes and are sorted here."""
    election = poll.election
    offices = []
    for office in poll.offices:
        people = [c["name"] for c in poll.candidates if c["office"] == office["id"]]
        offices.append(
            ballots.BallotOffice(
                title=office["title"], seats=office["seats"], names=tuple(names.sort_names(people))
            )
        )
    title = f"{election.place.name}{body_title(election)}{papers.ROUND_TITLES[poll.round]}选票"
    if election.body == Body.PARTY_COMMITTEE:
        return ballots.BallotPaper(
            title=title,
            election_day=poll.held_on,
            offices=tuple(offices),
            layout=poll.layout,
            instructions=ballots.PARTY_INSTRUCTIONS,
            legend=ballots.PARTY_LEGEND,
            seal_text=f"{election.place.name}党员大会（印章）",
        )
    return ballots.BallotPaper(
        title=title,
        election_day=poll.held_on,
        offices=tuple(offices),
        layout=poll.layout,
        seal_text=f"{committee_of(election.place)}（印章）",
    )


def ballot_pdf(request, pk, code, election_id, poll_id):
    """Ballots of a poll for one station or box, formal or spare, numbered from
    ``first``: the ballots printed for a box are counted on its cover."""
    cycle, place, election, poll = place_poll(request, pk, code, election_id, poll_id)
    kind = request.GET.get("set", "formal")
    if kind not in ("formal", "spare"):
        raise Http404
    station = None
    if request.GET.get("station"):
        station = get_object_or_404(Station, pk=request.GET["station"], election=election)
    try:
        copies = form_int(request.GET.get("copies") or default_copies(poll, kind), _("Copies"))
        first = form_int(request.GET.get("first") or 1, _("First number"))
        pdf = ballots.ballot_papers(
            ballot_paper(poll),
            copies=copies,
            set=kind,
            box_label=station.name if station else "",
            first_number=first,
        )
    except (RuleViolation, ValueError) as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"{place.code}-{poll.round}-{poll.held_on:%Y%m%d}-{kind}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def default_copies(poll: Poll, kind: str) -> int:
    """One formal ballot per registered voter; spares a tenth of that, at least ten."""
    voters = poll.electorate or 1
    return voters if kind == "formal" else max(10, voters // 10)


def index(request):
    """The places of the user's scope with their election day and the state of the
    vote, filtered by name, by day and by state."""
    cycle = current_cycle(request)
    if cycle is None:
        return render(request, "polling/index.html", {"cycle": None})
    scope = permissions.scope_of(request.user)
    q = request.GET.get("q", "").strip()
    state = request.GET.get("state", "")
    today = timezone.localdate()
    elections = (
        Election.objects.filter(cycle=cycle, place__code__startswith=scope.prefix, body__in=BODIES)
        .select_related("place")
        .annotate(
            polls_open=Count("polls", filter=~Q(polls__state=Poll.State.CONFIRMED)),
            polls_done=Count("polls", filter=Q(polls__state=Poll.State.CONFIRMED)),
            last_vote=Max("polls__held_on"),
        )
        .order_by("election_day", "place__code", "body")
    )
    if q:
        elections = elections.filter(place__name__contains=q)
    if state == "today":
        elections = elections.filter(election_day=today)
    elif state == "open":
        elections = elections.filter(polls_open__gt=0)
    elif state == "done":
        elections = elections.filter(polls_done__gt=0, polls_open=0)
    elif state == "coming":
        elections = elections.filter(election_day__gt=today)
    page = Paginator(elections, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "polling/index.html",
        {
            "cycle": cycle,
            "page": page,
            "q": q,
            "state": state,
            "today": today,
            "page_query": page_query(request),
            "states": (
                ("today", _("Voting today")),
                ("open", _("Vote or count under way")),
                ("done", _("Results confirmed")),
                ("coming", _("Election day to come")),
            ),
        },
    )


urlpatterns = [
    path("polling/", index, name="polling"),
    path(PREFIX, overview, name="polling-place"),
    path(f"{PREFIX}<int:election_id>/open/", open_first, name="polling-open"),
    path(
        f"{PREFIX}<int:election_id>/polls/<int:poll_id>/ballots.pdf",
        ballot_pdf,
        name="polling-ballots",
    ),
]
