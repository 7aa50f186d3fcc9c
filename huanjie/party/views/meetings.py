"""Pages of who counts and of the members' meeting of a party election (DOMAIN §8):
the leaves from the due number with their approvals, the due number and how it comes
about, the meetings with their attendance desk and live quorum, the election method,
the vote (on the pages of :mod:`huanjie.polling`) and the seats given up after it.

Every rule is the services' (:mod:`huanjie.party.leaves`, :mod:`huanjie.party.due`,
:mod:`huanjie.party.meetings`); the views read the form and show the answer.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huanjie.accounts import permissions
from huanjie.audit.trail import history
from huanjie.candidates.views import form_date, form_int, place_election
from huanjie.cycles.services import RuleViolation
from huanjie.cycles.timeline import localized
from huanjie.party import due as due_of
from huanjie.party import leaves, meetings
from huanjie.party.models import Attendance, Leave, Meeting, SeatReduction
from huanjie.polling import outcomes
from huanjie.polling.models import Poll
from huanjie.rules.members import Exclusion, has_vote
from huanjie.rules.seats import Body

PARTY = "cycles/<int:pk>/places/<str:code>/party/<int:election_id>/"
LEAVES = PARTY + "leaves/"
MEETINGS = PARTY + "meetings/"
MEETING = MEETINGS + "<int:meeting_id>/"

#: Seconds between two refreshes of the quorum.
REFRESH = 3


def party_election(request, pk, code, election_id, capability=permissions.VIEW):
    """(cycle, place, election) of a URL: a party election in the user's scope."""
    cycle, place, election = place_election(request, pk, code, election_id, capability)
    if election.body != Body.PARTY_COMMITTEE:
        raise Http404
    return cycle, place, election


def _records(place, prefix):
    return history(place=place).filter(action__startswith=prefix)[:20]


def _number(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def _day(value, field):
    return form_date(value, field) if value else None


# Leaves


def _situation(reason) -> str:
    found = Exclusion(reason)
    return localized(found.title_zh, found.title_en)


def leave_rows(election, day):
    """Each leave with the rules' findings by ``day`` and whether it counts."""
    rows = []
    found = Leave.objects.filter(election=election).select_related("member__resident")
    for leave in found.order_by("member__resident__name"):
        findings = due_of.leave_findings(leave, day)
        rows.append(
            {
                "leave": leave,
                "title": localized(
                    Exclusion(leave.reason).title_zh, Exclusion(leave.reason).title_en
                ),
                "findings": [
                    {"level": f.level, "message": localized(f.message_zh, f.message_en)}
                    for f in findings
                ],
                "counts": not any(f.is_error for f in findings),
            }
        )
    return rows


def _meeting_day(election):
    meeting = meetings.current(election)
    return meeting.held_on if meeting else (election.election_day or timezone.localdate())


def _breakdown(due):
    """The due number's reasons as lines for the page."""
    reasons = {
        "probationary": _("probationary (预备党员)"),
        "probation_sanction": _("under probation sanction (留党察看)"),
        "suspended": _("suspended (detained or arrested)"),
    }
    return {
        "without_vote": [
            {"reason": reasons.get(k, k), "members": v} for k, v in due.without_vote.items()
        ],
        "left_out": [{"reason": _situation(k), "members": v} for k, v in due.left_out.items()],
    }


def leaves_page(request, pk, code, election_id):
    """The leaves of the election with their approvals and findings, the due number,
    and the form of a new leave."""
    cycle, place, election = party_election(request, pk, code, election_id)
    day = _meeting_day(election)
    if request.method == "POST":
        permissions.require(request.user, permissions.RUN_PARTY, place)
        member = get_object_or_404(
            due_of.roster_of(election), pk=_number(request.POST.get("member"))
        )
        try:
            leave = leaves.record_leave(
                request.user,
                election,
                member,
                request.POST.get("reason", ""),
                since=_day(request.POST.get("since"), _("Since")),
                branch_decided_on=_day(request.POST.get("branch_decided_on"), _("Branch decision")),
                upper_level_agreed_on=_day(
                    request.POST.get("upper_level_agreed_on"), _("Upper level's consent")
                ),
                meeting_approved_on=_day(
                    request.POST.get("meeting_approved_on"), _("Meeting's approval")
                ),
                note=request.POST.get("note", ""),
            )
        except RuleViolation as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("%(name)s is recorded as left out of the due number.")
                % {"name": leave.member.resident.name},
            )
        return redirect("party_leaves", cycle.pk, place.code, election.pk)
    due = due_of.breakdown(election, day)
    return render(
        request,
        "party/leaves.html",
        {
            "cycle": cycle,
            "place": place,
            "election": election,
            "day": day,
            "today": timezone.localdate(),
            "rows": leave_rows(election, day),
            "due": due,
            "lines": _breakdown(due),
            "roster": due_of.roster_of(election),
            "reasons": [(e.value, localized(e.title_zh, e.title_en)) for e in Exclusion],
            "can_run": permissions.can(request.user, permissions.RUN_PARTY, place),
            "can_approve": permissions.can(request.user, permissions.APPROVE_PARTY, place),
            "voting": Poll.objects.filter(election=election).exists(),
            "records": _records(place, "party.leave"),
        },
    )


def _leave(election, leave_id):
    return get_object_or_404(
        Leave.objects.select_related("member__resident", "election__place"),
        pk=leave_id,
        election=election,
    )


@require_POST
def leave_change(request, pk, code, election_id, leave_id):
    """Record an approval of a leave (or change its days)."""
    cycle, place, election = party_election(request, pk, code, election_id, permissions.RUN_PARTY)
    leave = _leave(election, leave_id)
    labels = {
        "since": _("Since"),
        "branch_decided_on": _("Branch decision"),
        "upper_level_agreed_on": _("Upper level's consent"),
        "meeting_approved_on": _("Meeting's approval"),
    }
    try:
        changes = {
            name: _day(request.POST.get(name), label)
            for name, label in labels.items()
            if name in request.POST
        }
        if "note" in request.POST:
            changes["note"] = request.POST["note"]
        leaves.change_leave(request.user, leave, **changes)
    except RuleViolation as exc:
        messages.error(request, str(exc))
    except PermissionDenied:
        messages.error(request, _("Only the township or county records the upper level's consent."))
    else:
        messages.success(
            request, _("The leave of %(name)s is changed.") % {"name": leave.member.resident.name}
        )
    return redirect("party_leaves", cycle.pk, place.code, election.pk)


@require_POST
def leave_withdraw(request, pk, code, election_id, leave_id):
    """Withdraw a leave, with the reason."""
    cycle, place, election = party_election(request, pk, code, election_id, permissions.RUN_PARTY)
    leave = _leave(election, leave_id)
    name = leave.member.resident.name
    try:
        leaves.withdraw_leave(request.user, leave, request.POST.get("reason", ""))
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The leave of %(name)s is withdrawn.") % {"name": name})
    return redirect("party_leaves", cycle.pk, place.code, election.pk)


# Meetings


def meetings_page(request, pk, code, election_id):
    """The meetings of the election, the due number, and the form calling a meeting."""
    cycle, place, election = party_election(request, pk, code, election_id)
    if request.method == "POST":
        permissions.require(request.user, permissions.RUN_PARTY, place)
        try:
            meeting = meetings.call(
                request.user,
                election,
                form_date(request.POST.get("held_on"), _("Day")),
                request.POST.get("venue", ""),
                kind=request.POST.get("kind") or Meeting.Kind.MEMBERS,
            )
        except RuleViolation as exc:
            messages.error(request, str(exc))
            return redirect("party_meetings", cycle.pk, place.code, election.pk)
        messages.success(request, _("The meeting of %(day)s is called.") % {"day": meeting.held_on})
        return redirect("party_meeting", cycle.pk, place.code, election.pk, meeting.pk)
    day = _meeting_day(election)
    due = due_of.breakdown(election, day)
    found = list(meetings.meetings_of(election).select_related("poll"))
    return render(
        request,
        "party/meetings.html",
        {
            "cycle": cycle,
            "place": place,
            "election": election,
            "meetings": found,
            "due": due,
            "day": day,
            "lines": _breakdown(due),
            "today": timezone.localdate(),
            "kinds": Meeting.Kind.choices,
            "can_run": permissions.can(request.user, permissions.RUN_PARTY, place),
            "can_call": not any(m.state != Meeting.State.ADJOURNED or m.poll_id for m in found),
            "records": _records(place, "party.meeting"),
        },
    )


def _meeting(request, pk, code, election_id, meeting_id, capability=permissions.VIEW):
    cycle, place, election = party_election(request, pk, code, election_id, capability)
    meeting = get_object_or_404(
        Meeting.objects.select_related("poll"), pk=meeting_id, election=election
    )
    meeting.election = election
    return cycle, place, election, meeting


def _urls(cycle, place, election, meeting) -> dict:
    args = [cycle.pk, place.code, election.pk, meeting.pk]
    urls = {
        name: reverse(f"party_meeting_{name}", args=args)
        for name in ("find", "check_in", "undo", "quorum", "adjourn", "method", "vote", "close")
    }
    urls["meeting"] = reverse("party_meeting", args=args)
    urls["meetings"] = reverse("party_meetings", args=args[:3])
    urls["leaves"] = reverse("party_leaves", args=args[:3])
    poll = meeting.poll
    if poll is not None:
        poll_args = [cycle.pk, place.code, election.pk, poll.pk]
        urls["ballots"] = reverse("polling-ballots", args=poll_args)
        urls["count"] = reverse("polling-count", args=poll_args)
        urls["result"] = reverse("polling-result", args=poll_args)
        urls["election"] = reverse("polling-election", args=args[:3])
    return urls


def _reductions(election, cycle, place):
    """The confirmed polls of the meeting's chain whose open seats may be given up,
    and the reductions recorded."""
    state = outcomes.election_state(election)
    rows = []
    for poll in state.polls:
        if poll.state != Poll.State.CONFIRMED or outcomes.is_void(poll):
            continue
        if outcomes.origin_of(poll) != state.origin:
            continue
        done = SeatReduction.objects.filter(poll=poll).first()
        open_seats = sum(o["unfilled"] for o in poll.result["offices"])
        runoff = poll.followed_by.filter(round=Poll.Round.RUNOFF).exists()
        if done or (open_seats and not runoff):
            rows.append(
                {
                    "poll": poll,
                    "open": open_seats,
                    "done": done,
                    "url": reverse(
                        "party_reduction", args=[cycle.pk, place.code, election.pk, poll.pk]
                    ),
                }
            )
    return state, rows


def _meeting_context(request, cycle, place, election, meeting, **extra):
    state, reductions = _reductions(election, cycle, place)
    return {
        "cycle": cycle,
        "place": place,
        "election": election,
        "meeting": meeting,
        "quorum": meetings.quorum(meeting),
        "attendance": meetings.attendees(meeting),
        "can_run": permissions.can(request.user, permissions.RUN_PARTY, place),
        "refresh": REFRESH,
        "urls": _urls(cycle, place, election, meeting),
        "state": state,
        "reductions": reductions,
        "today": timezone.localdate(),
        **extra,
    }


def meeting_page(request, pk, code, election_id, meeting_id):
    """One meeting: the attendance desk, the quorum live, the method and the vote."""
    cycle, place, election, meeting = _meeting(request, pk, code, election_id, meeting_id)
    return render(
        request,
        "party/meeting.html",
        _meeting_context(
            request,
            cycle,
            place,
            election,
            meeting,
            records=history(place=place).filter(action__startswith="party.")[:20],
        ),
    )


def find(request, pk, code, election_id, meeting_id):
    """The members a search names; the answer alone for htmx, else the whole page."""
    cycle, place, election, meeting = _meeting(request, pk, code, election_id, meeting_id)
    query = request.GET.get("q", "")
    context = _meeting_context(
        request, cycle, place, election, meeting, query=query, found=meetings.find(meeting, query)
    )
    if request.htmx:
        return render(request, "party/meeting_found.html", context)
    return render(request, "party/meeting.html", context)


def _answer(request, cycle, place, election, meeting, *, error=None, message=None):
    """The answer of a change: in place for htmx (telling the quorum to refresh), else
    as a message on the meeting's page."""
    if request.htmx:
        context = _meeting_context(
            request, cycle, place, election, meeting, error=error, message=message
        )
        response = render(request, "party/meeting_found.html", context)
        if message:
            response["HX-Trigger"] = "meeting-changed"
        return response
    if error:
        messages.error(request, error)
    elif message:
        messages.success(request, message)
    return redirect("party_meeting", cycle.pk, place.code, election.pk, meeting.pk)


@require_POST
def check_in(request, pk, code, election_id, meeting_id):
    """Record the chosen member present."""
    cycle, place, election, meeting = _meeting(
        request, pk, code, election_id, meeting_id, permissions.RUN_PARTY
    )
    member = get_object_or_404(due_of.roster_of(election), pk=_number(request.POST.get("member")))
    try:
        done = meetings.check_in(request.user, meeting, member)
    except RuleViolation as exc:
        return _answer(request, cycle, place, election, meeting, error=str(exc))
    name = done.member.resident.name
    if has_vote(done.member.as_rule()):
        message = _("%(name)s is present.") % {"name": name}
    else:
        message = _("%(name)s is present, without a vote.") % {"name": name}
    return _answer(request, cycle, place, election, meeting, message=message)


@require_POST
def undo(request, pk, code, election_id, meeting_id):
    """Take back a check-in made by mistake, with the reason."""
    cycle, place, election, meeting = _meeting(
        request, pk, code, election_id, meeting_id, permissions.RUN_PARTY
    )
    attendance = get_object_or_404(
        Attendance.objects.select_related("member__resident"),
        pk=_number(request.POST.get("attendance")),
        meeting=meeting,
    )
    attendance.meeting = meeting
    try:
        meetings.undo(request.user, attendance, request.POST.get("reason", ""))
    except RuleViolation as exc:
        return _answer(request, cycle, place, election, meeting, error=str(exc))
    message = _("The check-in of %(name)s is taken back.") % {
        "name": attendance.member.resident.name
    }
    return _answer(request, cycle, place, election, meeting, message=message)


def quorum(request, pk, code, election_id, meeting_id):
    """The quorum now, for htmx to refresh every few seconds."""
    cycle, place, election, meeting = _meeting(request, pk, code, election_id, meeting_id)
    return render(request, "party/meeting_quorum.html", {"quorum": meetings.quorum(meeting)})


def _decision(request, pk, code, election_id, meeting_id, act, done):
    cycle, place, election, meeting = _meeting(
        request, pk, code, election_id, meeting_id, permissions.RUN_PARTY
    )
    try:
        act(meeting)
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("party_meeting", cycle.pk, place.code, election.pk, meeting_id)


@require_POST
def adjourn(request, pk, code, election_id, meeting_id):
    """Adjourn the meeting for lack of quorum."""
    return _decision(
        request,
        pk,
        code,
        election_id,
        meeting_id,
        lambda m: meetings.adjourn(request.user, m),
        _("The meeting is adjourned for lack of quorum; call another."),
    )


@require_POST
def method(request, pk, code, election_id, meeting_id):
    """The meeting adopts the election method."""
    return _decision(
        request,
        pk,
        code,
        election_id,
        meeting_id,
        lambda m: meetings.adopt_method(request.user, m, request.POST.get("text", "")),
        _("The election method is adopted."),
    )


@require_POST
def vote(request, pk, code, election_id, meeting_id):
    """Open the meeting's vote."""
    return _decision(
        request,
        pk,
        code,
        election_id,
        meeting_id,
        lambda m: meetings.open_vote(request.user, m),
        _("The vote is open: print the ballots, then enter the count."),
    )


@require_POST
def close(request, pk, code, election_id, meeting_id):
    """Close the meeting once its vote is confirmed."""
    return _decision(
        request,
        pk,
        code,
        election_id,
        meeting_id,
        lambda m: meetings.close(request.user, m),
        _("The meeting is closed."),
    )


@require_POST
def reduction(request, pk, code, election_id, poll_id):
    """Give up the seats a confirmed vote left open (减少名额)."""
    cycle, place, election = party_election(request, pk, code, election_id, permissions.RUN_PARTY)
    poll = get_object_or_404(Poll, pk=poll_id, election=election)
    poll.election = election
    try:
        found = meetings.reduce_seats(
            request.user,
            poll,
            form_int(request.POST.get("consenting"), _("Voters consenting")),
            _day(request.POST.get("decided_on"), _("Decided on")),
        )
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("The committee has %(after)d seats instead of %(before)d: no run-off.")
            % {"after": found.seats_after, "before": found.seats_before},
        )
    meeting = Meeting.objects.filter(election=election).exclude(poll=None).first()
    if meeting is not None:
        return redirect("party_meeting", cycle.pk, place.code, election.pk, meeting.pk)
    return redirect("party_meetings", cycle.pk, place.code, election.pk)


urlpatterns = [
    path(LEAVES, leaves_page, name="party_leaves"),
    path(LEAVES + "<int:leave_id>/", leave_change, name="party_leave_change"),
    path(LEAVES + "<int:leave_id>/withdraw/", leave_withdraw, name="party_leave_withdraw"),
    path(MEETINGS, meetings_page, name="party_meetings"),
    path(MEETING, meeting_page, name="party_meeting"),
    path(MEETING + "find/", find, name="party_meeting_find"),
    path(MEETING + "check-in/", check_in, name="party_meeting_check_in"),
    path(MEETING + "undo/", undo, name="party_meeting_undo"),
    path(MEETING + "quorum/", quorum, name="party_meeting_quorum"),
    path(MEETING + "adjourn/", adjourn, name="party_meeting_adjourn"),
    path(MEETING + "method/", method, name="party_meeting_method"),
    path(MEETING + "vote/", vote, name="party_meeting_vote"),
    path(MEETING + "close/", close, name="party_meeting_close"),
    path(PARTY + "polls/<int:poll_id>/reduce/", reduction, name="party_reduction"),
]
