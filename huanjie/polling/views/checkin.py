"""The check-in desk of a station or mobile box (DOMAIN §6).

The clerk chooses the desk's station once (it stays in the URL, and the session
remembers it for the poll); then it is one search box all day. Enter searches by ID
number, voter or card number, name or pinyin initials; one voter found shows the
voter with the button that hands out the ballot (and, for a proxy, the entrusted
ballots they collect), several a list to pick from. The answer replaces the previous
one in place (htmx) and the cursor is back in the search box; the counts of every desk
refresh by themselves every few seconds.

Every rule is :mod:`huanjie.polling.checkin`'s; the views read the form and show the
answer. Someone not on the list is sent to the 补登 desk
(:func:`huanjie.voters.views.notices.supplementary_desk`), and once registered there is
found here like everyone else.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huanjie.accounts import permissions
from huanjie.cycles.services import RuleViolation
from huanjie.polling import checkin
from huanjie.polling.models import CheckIn, Poll, Proxy, Station
from huanjie.polling.views import PREFIX, place_poll
from huanjie.voters.models import Voter

DESK = PREFIX + "<int:election_id>/polls/<int:poll_id>/desk/"

#: Seconds between two refreshes of the counts.
REFRESH = 5


def _session_key(poll) -> str:
    return f"polling-desk-{poll.pk}"


def _station(request, election, value, poll=None):
    """The desk's station: ``value`` from the URL or form, else the one this session
    chose for the poll; None when none is chosen yet."""
    if not value and poll is not None:
        value = request.session.get(_session_key(poll))
    if not value:
        return None
    try:
        return Station.objects.get(pk=int(value), election=election)
    except (ValueError, Station.DoesNotExist):
        raise Http404 from None


def _context(request, cycle, place, election, poll, station, **extra):
    return {
        "cycle": cycle,
        "place": place,
        "election": election,
        "poll": poll,
        "station": station,
        "can_issue": poll.state == Poll.State.OPEN
        and permissions.can(request.user, permissions.RUN_POLL, place),
        "refresh": REFRESH,
        "urls": _urls(cycle, place, election, poll),
        **extra,
    }


def _urls(cycle, place, election, poll) -> dict:
    args = [cycle.pk, place.code, election.pk, poll.pk]
    return {
        "desk": reverse("polling-desk", args=args),
        "find": reverse("polling-desk-find", args=args),
        "issue": reverse("polling-desk-issue", args=args),
        "undo": reverse("polling-desk-undo", args=args),
        "counts": reverse("polling-desk-counts", args=args),
        "supplementary": reverse("voters-supplementary", args=[cycle.pk, place.code]),
    }


def desk(request, pk, code, election_id, poll_id):
    """The desk: the choice of station, then the search box, the answer and the
    counts."""
    cycle, place, election, poll = place_poll(request, pk, code, election_id, poll_id)
    if request.GET.get("choose"):
        station = None
    else:
        station = _station(request, election, request.GET.get("station"), poll)
    if station is not None:
        request.session[_session_key(poll)] = station.pk
    return render(
        request,
        "polling/desk.html",
        _context(
            request,
            cycle,
            place,
            election,
            poll,
            station,
            stations=Station.objects.filter(election=election),
            counts=checkin.counts(poll),
        ),
    )


def find(request, pk, code, election_id, poll_id):
    """The voters a search names; the answer alone for htmx, else the whole desk."""
    cycle, place, election, poll = place_poll(request, pk, code, election_id, poll_id)
    station = _station(request, election, request.GET.get("station"), poll)
    query = request.GET.get("q", "")
    extra = {"query": query}
    try:
        extra["found"] = checkin.find(poll, query)
    except RuleViolation as exc:
        extra["error"] = str(exc)
    context = _context(request, cycle, place, election, poll, station, **extra)
    if request.htmx:
        return render(request, "polling/desk_result.html", context)
    context["stations"] = Station.objects.filter(election=election)
    context["counts"] = checkin.counts(poll)
    return render(request, "polling/desk.html", context)


def _answer(request, context, *, changed: bool):
    """The answer of a change: in place for htmx (telling the counts to refresh), else
    as a message on the desk."""
    if request.htmx:
        response = render(request, "polling/desk_result.html", context)
        if changed:
            response["HX-Trigger"] = "desk-changed"
        return response
    if context.get("error"):
        messages.error(request, context["error"])
    elif context.get("issued"):
        messages.success(request, context["message"])
    elif context.get("undone"):
        messages.success(request, context["message"])
    url = context["urls"]["desk"]
    if context.get("station"):
        url += f"?station={context['station'].pk}"
    return redirect(url)


@require_POST
def issue(request, pk, code, election_id, poll_id):
    """Hand the chosen voter a ballot (to their proxy when ``proxy`` is given)."""
    cycle, place, election, poll = place_poll(
        request, pk, code, election_id, poll_id, permissions.RUN_POLL
    )
    station = _station(request, election, request.POST.get("station"))
    voter = get_object_or_404(
        Voter,
        pk=_number(request.POST.get("voter")),
        cycle_id=election.cycle_id,
        place=place,
    )
    proxy = None
    if request.POST.get("proxy"):
        proxy = get_object_or_404(
            Proxy.objects.select_related("proxy"),
            pk=_number(request.POST.get("proxy")),
            election=election,
        )
    extra = {"voter": voter}
    changed = False
    try:
        if station is None:
            raise RuleViolation(_choose_station_message())
        done = checkin.issue(
            request.user,
            poll,
            voter,
            station,
            proxy=proxy,
            assisted=bool(request.POST.get("assisted")),
        )
        extra["issued"] = done
        extra["message"] = _issued_message(done)
        changed = True
    except RuleViolation as exc:
        extra["error"] = str(exc)
    return _answer(
        request,
        _context(request, cycle, place, election, poll, station, **extra),
        changed=changed,
    )


@require_POST
def undo(request, pk, code, election_id, poll_id):
    """Take back a check-in clicked by mistake, with the reason."""
    cycle, place, election, poll = place_poll(
        request, pk, code, election_id, poll_id, permissions.RUN_POLL
    )
    station = _station(request, election, request.POST.get("station"))
    check_in = get_object_or_404(
        CheckIn.objects.select_related("voter", "station", "proxy__proxy"),
        pk=_number(request.POST.get("check_in")),
        poll=poll,
    )
    check_in.poll = poll
    voter = check_in.voter
    extra = {"voter": voter}
    changed = False
    try:
        checkin.undo(request.user, check_in, request.POST.get("reason", ""))
        extra["undone"] = voter
        extra["message"] = _undone_message(voter)
        changed = True
    except RuleViolation as exc:
        extra["error"] = str(exc)
    return _answer(
        request,
        _context(request, cycle, place, election, poll, station, **extra),
        changed=changed,
    )


def counts(request, pk, code, election_id, poll_id):
    """The counts of every desk, for htmx to refresh every few seconds."""
    cycle, place, election, poll = place_poll(request, pk, code, election_id, poll_id)
    station = _station(request, election, request.GET.get("station"))
    return render(
        request,
        "polling/desk_counts.html",
        _context(request, cycle, place, election, poll, station, counts=checkin.counts(poll)),
    )


def _number(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def _choose_station_message() -> str:
    return _("Choose the station or box of this desk first.")


def _issued_message(done: CheckIn) -> str:
    values = {"name": done.voter.name, "number": done.voter.number}
    if done.proxy_id:
        values["proxy"] = done.proxy.proxy.name
        return _("Ballot of %(name)s (No. %(number)d) given to their proxy %(proxy)s.") % values
    return _("Ballot issued to %(name)s (No. %(number)d).") % values


def _undone_message(voter) -> str:
    return _("The check-in of %(name)s (No. %(number)d) is taken back.") % {
        "name": voter.name,
        "number": voter.number,
    }


urlpatterns = [
    path(DESK, desk, name="polling-desk"),
    path(DESK + "find/", find, name="polling-desk-find"),
    path(DESK + "issue/", issue, name="polling-desk-issue"),
    path(DESK + "undo/", undo, name="polling-desk-undo"),
    path(DESK + "counts/", counts, name="polling-desk-counts"),
]
