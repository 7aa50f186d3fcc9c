"""The nomination meeting of a 居/村委会 (提名, DOMAIN §5.1): attendance, the count
entered as totals or ballot by ballot, the public count, re-votes among the tied and
the nomination result notice.

The ballot form is made for keyboard speed: one field per office, voter numbers
separated by spaces, Enter records the ballot and the cursor is back in the first
field for the next one.
"""

import re

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huanjie.accounts import permissions
from huanjie.candidates import nomination, notices, roster
from huanjie.candidates.models import Candidate, NominationBallot, NominationMeeting, Notice
from huanjie.candidates.views import PREFIX, form_date, form_int, place_election, place_history
from huanjie.cycles.services import RuleViolation
from huanjie.voters import publication
from huanjie.voters.models import Voter

#: Names in a field: separated by spaces, commas or 、.
SEPARATORS = re.compile(r"[\s,，、;；]+")


def _committee_election(request, pk, code, election, capability=permissions.VIEW):
    cycle, place, election = place_election(request, pk, code, election, capability)
    if election.body not in nomination.COMMITTEES:
        raise Http404
    return cycle, place, election


def _named(meeting):
    """resident id → voter line of the people the count names, for display."""
    ids = set(meeting.tallies.values_list("resident_id", flat=True))
    lines = Voter.objects.filter(
        cycle=meeting.election.cycle, place=meeting.election.place, resident_id__in=ids
    )
    return {v.resident_id: v for v in lines}


def ranking_rows(meeting, election):
    """Per office: everyone named with their votes in each round, and what became of
    them (nominee, tied, not nominated)."""
    candidates = {c.resident_id: c for c in Candidate.objects.filter(election=election)}
    ties = nomination.ties(meeting)
    offices = []
    lines = _named(meeting)
    for office in election.offices.all():
        rounds = nomination.round_votes(meeting, office.key)
        first = rounds[0]
        tied, places = ties.get(office.key, ((), 0))
        rows = []
        for resident_id, votes in sorted(first.items(), key=lambda kv: (-kv[1], kv[0])):
            candidate = candidates.get(resident_id)
            line = lines.get(resident_id)
            rows.append(
                {
                    "name": line.name if line else resident_id,
                    "number": line.number if line else "",
                    "votes": votes,
                    "revotes": [r.get(resident_id) for r in rounds[1:]],
                    "candidate": candidate
                    if candidate and candidate.office == office.key
                    else None,
                    "tied": resident_id in tied,
                }
            )
        offices.append(
            {
                "office": office,
                "places": meeting.places.get(office.key, 0),
                "invalid": meeting.invalid.get(office.key, 0),
                "rows": rows,
                "rounds": range(2, len(rounds) + 1),
                "tied": [lines[r] for r in tied if r in lines],
                "tied_places": places,
            }
        )
    return offices


def meeting_page(request, pk, code, election):
    cycle, place, election = _committee_election(request, pk, code, election)
    meeting = nomination.meeting_of(election)
    today = timezone.localdate()
    voters = publication.listed(cycle, place).count()
    offices = list(election.offices.all())
    context = {
        "cycle": cycle,
        "place": place,
        "election": election,
        "meeting": meeting,
        "today": today,
        "posted": publication.voter_list(cycle, place),
        "voters": voters,
        "quorum": voters // 2 + 1,
        "offices": offices,
        "places": meeting.places if meeting else nomination.default_places(election),
        "can_nominate": permissions.can(request.user, permissions.NOMINATE, place),
        "final": roster.is_final(election),
        "records": place_history(place),
    }
    if meeting is not None:
        if meeting.counted:
            context["ranking"] = ranking_rows(meeting, election)
            context["notice"] = Notice.objects.filter(
                election=election, kind=Notice.Kind.NOMINATION
            ).first()
        elif meeting.method == NominationMeeting.Method.BALLOTS:
            context["ballot_count"] = meeting.ballot_set.count()
            context["recent"] = _recent_ballots(meeting)
        else:
            context["totals"] = ranking_rows(meeting, election)
    return render(request, "candidates/meeting.html", context)


def _recent_ballots(meeting):
    ballots = list(meeting.ballot_set.order_by("-number")[:10])
    ids = {r for b in ballots for names in b.sections.values() for r in names}
    lines = {
        v.resident_id: v
        for v in Voter.objects.filter(
            cycle=meeting.election.cycle, place=meeting.election.place, resident_id__in=ids
        )
    }
    return [
        {
            "ballot": b,
            "sections": [
                (office, [lines[r].number for r in names if r in lines])
                for office, names in b.sections.items()
            ],
        }
        for b in ballots
    ]


def _back(pk, code, election):
    return redirect("candidates-nomination", pk, code, election)


@require_POST
def open_meeting(request, pk, code, election):
    _cycle, _place, election = _committee_election(
        request, pk, code, election, permissions.NOMINATE
    )
    try:
        places = {
            o.key: form_int(request.POST.get(f"places_{o.key}"), o.title)
            for o in election.offices.all()
            if request.POST.get(f"places_{o.key}")
        }
        nomination.open_meeting(
            request.user,
            election,
            held_on=form_date(request.POST.get("held_on"), timezone.localdate()),
            present=form_int(request.POST.get("present"), _("Voters present")),
            method=request.POST.get("method") or NominationMeeting.Method.TOTALS,
            places=places or None,
        )
        messages.success(request, _("The meeting is recorded; enter the count."))
    except RuleViolation as exc:
        messages.error(request, str(exc))
    return _back(pk, code, election.pk)


def parse_totals(text: str) -> list[tuple[str, int]]:
    """Lines "voter votes" (the voter by number, card number, ID number or name)."""
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) != 2 or not parts[1].isdigit():
            raise RuleViolation(
                _("Line %(line)d: write the voter, a space, and the votes: “%(text)s”.")
                % {"line": number, "text": line.strip()}
            )
        rows.append((parts[0], int(parts[1])))
    return rows


@require_POST
def enter_totals(request, pk, code, election):
    _cycle, _place, election = _committee_election(
        request, pk, code, election, permissions.NOMINATE
    )
    meeting = get_object_or_404(NominationMeeting, election=election)
    office = request.POST.get("office", "")
    try:
        votes = nomination.enter_totals(
            request.user, meeting, office, parse_totals(request.POST.get("rows", ""))
        )
        messages.success(
            request,
            _("%(office)s: %(n)d people entered.")
            % {"office": roster.office_title(election, office), "n": len(votes)},
        )
    except RuleViolation as exc:
        messages.error(request, str(exc))
    return _back(pk, code, election.pk)


@require_POST
def enter_ballot(request, pk, code, election):
    _cycle, _place, election = _committee_election(
        request, pk, code, election, permissions.NOMINATE
    )
    meeting = get_object_or_404(NominationMeeting, election=election)
    sections = {
        o.key: [t for t in SEPARATORS.split(request.POST.get(f"office_{o.key}", "")) if t]
        for o in election.offices.all()
    }
    try:
        ballot = nomination.enter_ballot(request.user, meeting, sections)
        messages.success(request, _("Ballot %(n)d recorded.") % {"n": ballot.number})
    except RuleViolation as exc:
        messages.error(request, str(exc))
    return _back(pk, code, election.pk)


@require_POST
def delete_ballot(request, pk, code, election, ballot):
    _cycle, _place, election = _committee_election(
        request, pk, code, election, permissions.NOMINATE
    )
    ballot = get_object_or_404(NominationBallot, pk=ballot, meeting__election=election)
    try:
        nomination.delete_ballot(request.user, ballot)
        messages.success(request, _("Ballot %(n)d taken back.") % {"n": ballot.number})
    except RuleViolation as exc:
        messages.error(request, str(exc))
    return _back(pk, code, election.pk)


@require_POST
def count(request, pk, code, election):
    _cycle, _place, election = _committee_election(
        request, pk, code, election, permissions.NOMINATE
    )
    meeting = get_object_or_404(NominationMeeting, election=election)
    try:
        added = nomination.count(request.user, meeting)
        messages.success(request, _("Counted: %(n)d nominees.") % {"n": len(added)})
        if nomination.ties(meeting):
            messages.warning(request, _("A tie at the cut-off: hold a re-vote among the tied."))
    except RuleViolation as exc:
        messages.error(request, str(exc))
    return _back(pk, code, election.pk)


@require_POST
def revote(request, pk, code, election):
    cycle, place, election = _committee_election(request, pk, code, election, permissions.NOMINATE)
    meeting = get_object_or_404(NominationMeeting, election=election)
    office = request.POST.get("office", "")
    try:
        tied, _places = nomination.ties(meeting).get(office, ((), 0))
        votes = {r: form_int(request.POST.get(f"votes_{r}"), _("Votes")) for r in tied}
        added = nomination.revote(request.user, meeting, office, votes)
        if added:
            messages.success(
                request,
                _("Nominated after the re-vote: %(names)s.")
                % {"names": "、".join(c.resident.name for c in added)},
            )
        else:
            messages.warning(request, _("Still tied: another re-vote is needed."))
    except RuleViolation as exc:
        messages.error(request, str(exc))
    return _back(pk, code, election.pk)


@require_POST
def publish(request, pk, code, election):
    _cycle, _place, election = _committee_election(
        request, pk, code, election, permissions.NOMINATE
    )
    try:
        notice = notices.publish_nomination(
            request.user,
            election,
            form_date(request.POST.get("published_on"), timezone.localdate()),
        )
        messages.success(
            request, _("The nomination result is posted (%(n)d names).") % {"n": notice.names}
        )
    except RuleViolation as exc:
        messages.error(request, str(exc))
    return _back(pk, code, election.pk)


NOMINATION = PREFIX + "<int:election>/nomination/"

urlpatterns = [
    path(NOMINATION, meeting_page, name="candidates-nomination"),
    path(NOMINATION + "open/", open_meeting, name="candidates-nomination-open"),
    path(NOMINATION + "totals/", enter_totals, name="candidates-nomination-totals"),
    path(NOMINATION + "ballots/", enter_ballot, name="candidates-nomination-ballot"),
    path(
        NOMINATION + "ballots/<int:ballot>/delete/",
        delete_ballot,
        name="candidates-nomination-ballot-delete",
    ),
    path(NOMINATION + "count/", count, name="candidates-nomination-count"),
    path(NOMINATION + "revote/", revote, name="candidates-nomination-revote"),
    path(NOMINATION + "publish/", publish, name="candidates-nomination-publish"),
]
