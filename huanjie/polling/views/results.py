"""What the count of a poll leads to: the confirmation, corrections with their reason,
the votes that follow (re-vote, run-off, re-run), the election's seats across its
polls, and the announcement, result form and certificates as PDFs.

The buttons of one poll are ``polling/outcomes_actions.html``: the result page of the
count includes it with the poll, and it loads its buttons from :func:`actions`; the
election's page shows them for every poll. Every rule is the services'
(:mod:`huanjie.polling.outcomes`); the views read the form and show the answer.
"""

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huanjie.accounts import permissions
from huanjie.audit.trail import history
from huanjie.cycles.services import RuleViolation
from huanjie.polling import outcomes, papers
from huanjie.polling.models import Notice, Poll, Station, Winner
from huanjie.polling.views import PREFIX, form_date, form_int, place_election, place_poll
from huanjie.rules import tally

ELECTION = f"{PREFIX}<int:election_id>/"
POLL = f"{ELECTION}polls/<int:poll_id>/"

#: How the tally sheet's invalid sections are written in a correction.
INVALID_WORDS = (tally.INVALID, "无效", "无效票")


def _back(request, cycle, place, election):
    """Back to the page the form was on (the count's result page, say), else to the
    election's page."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("polling-election", cycle.pk, place.code, election.pk)


def _pdf(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def result_url(cycle, place, election, poll) -> str | None:
    """The count's result page of ``poll``, when the count pages are installed."""
    try:
        return reverse("polling-result", args=[cycle.pk, place.code, election.pk, poll.pk])
    except NoReverseMatch:
        return None


def outcome_of(request, cycle, place, election, poll, back=None) -> dict:
    """What ``outcomes_actions.html`` shows of one poll."""
    found = outcomes.follow_ups(poll)
    link = result_url(cycle, place, election, poll)
    if link and back and back.split("?")[0] == link:
        link = None  # shown on the result page itself
    runoffs = [f for f in found if f.round == Poll.Round.RUNOFF]
    return {
        "can_run": permissions.can(request.user, permissions.RUN_POLL, place),
        "counted": bool(poll.result),
        "can_confirm": poll.state == Poll.State.COUNTING and bool(poll.result),
        "confirmed": poll.state == Poll.State.CONFIRMED,
        "void": outcomes.is_void(poll),
        "revotes": [f for f in found if f.round == Poll.Round.REVOTE],
        "runoffs": runoffs,
        "runoff_scheduled": next((f.scheduled for f in runoffs if f.scheduled), None),
        "reruns": [f for f in found if f.round == Poll.Round.RERUN],
        "due_by": outcomes.due_by(poll) if found else None,
        "today": timezone.localdate(),
        "announcements": poll.notices.filter(kind=Notice.Kind.ANNOUNCEMENT),
        "corrections": poll.corrections.select_related("user"),
        "winners": poll.winners.all(),
        "result_url": link,
        "next": back or "",
    }


def actions(request, pk, code, election_id, poll_id):
    """The buttons of one poll, loaded into the count's result page."""
    cycle, place, election, poll = place_poll(request, pk, code, election_id, poll_id)
    back = request.htmx.current_url_abs_path if request.htmx else None
    return render(
        request,
        "polling/outcomes_actions.html",
        {
            "cycle": cycle,
            "place": place,
            "election": election,
            "poll": poll,
            "outcome": outcome_of(request, cycle, place, election, poll, back),
        },
    )


def election_page(request, pk, code, election_id):
    """The election's seats across its polls: the winners so far, the seats still
    open, the votes pending or still to schedule, every poll with its buttons, and the
    certificates."""
    cycle, place, election = place_election(request, pk, code, election_id)
    state = outcomes.election_state(election)
    blocks = [
        {"poll": poll, "outcome": outcome_of(request, cycle, place, election, poll)}
        for poll in reversed(state.polls)
    ]
    winners = state.winners
    return render(
        request,
        "polling/election.html",
        {
            "cycle": cycle,
            "place": place,
            "election": election,
            "state": state,
            "blocks": blocks,
            "winners": winners,
            "uncertified": [w for w in winners if not w.certificate_number],
            "certified": [w for w in winners if w.certificate_number],
            "unmatched": [w for w in winners if w.voter_id is None],
            "can_run": permissions.can(request.user, permissions.RUN_POLL, place),
            "today": timezone.localdate(),
            "records": history(place=place).filter(action__startswith="polling.")[:20],
        },
    )


@require_POST
def confirm(request, pk, code, election_id, poll_id):
    cycle, place, election, poll = place_poll(
        request, pk, code, election_id, poll_id, permissions.RUN_POLL
    )
    try:
        poll = outcomes.confirm(request.user, poll)
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        if outcomes.is_void(poll):
            messages.warning(request, _("The void result is confirmed: schedule the re-run."))
        else:
            messages.success(request, _("The result is confirmed and locked."))
    return _back(request, cycle, place, election)


def counts_text(poll: Poll) -> dict[str, str]:
    """Each office's totals as lines "name votes", the way the correction form shows
    and reads them."""
    names = {c["id"]: c["name"] for c in poll.candidates}
    texts = {}
    for office in poll.offices:
        rows = poll.counts.get(office["id"], {})
        lines = [f"{names.get(who, who)} {n}" for who, n in rows.items() if who != tally.INVALID]
        if rows.get(tally.INVALID):
            lines.append(f"{tally.INVALID} {rows[tally.INVALID]}")
        texts[office["id"]] = "\n".join(lines)
    return texts


def parse_counts(poll: Poll, office: str, text: str) -> dict[str, int]:
    """Lines "name votes" of one office: a candidate's name stands for the candidate,
    another name is written in, ``invalid`` (or 无效) counts the invalid sections."""
    ids = {c["name"]: c["id"] for c in poll.candidates if c["office"] == office}
    rows = {}
    for number, line in enumerate(text.splitlines(), 1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) != 2 or not parts[1].isdigit():
            raise RuleViolation(
                _("Line %(line)d: write the name, a space, and the votes: “%(text)s”.")
                % {"line": number, "text": line.strip()}
            )
        name, votes = parts
        who = tally.INVALID if name.lower() in INVALID_WORDS else ids.get(name, name)
        rows[who] = rows.get(who, 0) + int(votes)
    return rows


def correct(request, pk, code, election_id, poll_id):
    """The correction form of a confirmed result (GET), and the correction (POST)."""
    cycle, place, election, poll = place_poll(
        request, pk, code, election_id, poll_id, permissions.RUN_POLL
    )
    if poll.state != Poll.State.CONFIRMED:
        messages.error(request, _("Only a confirmed result is corrected."))
        return redirect("polling-election", cycle.pk, place.code, election.pk)
    texts = counts_text(poll)
    if request.method == "POST":
        try:
            counts = None
            if poll.method == Poll.Method.TOTALS:
                given = {
                    o["id"]: request.POST[f"counts_{o['id']}"].replace("\r\n", "\n").strip()
                    for o in poll.offices
                    if f"counts_{o['id']}" in request.POST
                }
                counts = {
                    office: parse_counts(poll, office, text)
                    for office, text in given.items()
                    if text != texts[office]
                }
            box = None
            if request.POST.get("station"):
                box = outcomes.BoxFigures(
                    form_int(request.POST.get("station"), _("Station")),
                    form_int(request.POST.get("issued"), _("Ballots issued")),
                    form_int(request.POST.get("returned"), _("Ballots returned")),
                )
            outcomes.correct(
                request.user, poll, request.POST.get("reason", ""), counts=counts, box=box
            )
        except RuleViolation as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The correction is recorded and the result counted again."))
            return redirect("polling-election", cycle.pk, place.code, election.pk)
    return render(
        request,
        "polling/correct.html",
        {
            "cycle": cycle,
            "place": place,
            "election": election,
            "poll": poll,
            "offices": [
                {"office": o, "text": request.POST.get(f"counts_{o['id']}", texts[o["id"]])}
                for o in poll.offices
            ],
            "boxes": list(poll.box_counts.select_related("station")),
            "stations": Station.objects.filter(election=election),
            "reason": request.POST.get("reason", ""),
            "corrections": poll.corrections.select_related("user"),
        },
    )


def _schedule(request, pk, code, election_id, poll_id, schedule, done):
    cycle, place, election, poll = place_poll(
        request, pk, code, election_id, poll_id, permissions.RUN_POLL
    )
    try:
        held_on = form_date(request.POST.get("held_on"), None)
        if held_on is None:
            raise RuleViolation(_("Give the day of the vote."))
        new = schedule(poll, held_on)
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done % {"day": new.held_on.isoformat()})
    return _back(request, cycle, place, election)


@require_POST
def revote(request, pk, code, election_id, poll_id):
    office = request.POST.get("office", "")
    return _schedule(
        request,
        pk,
        code,
        election_id,
        poll_id,
        lambda poll, day: outcomes.schedule_revote(request.user, poll, office, day),
        _("The re-vote among the tied is scheduled on %(day)s."),
    )


@require_POST
def runoff(request, pk, code, election_id, poll_id):
    return _schedule(
        request,
        pk,
        code,
        election_id,
        poll_id,
        lambda poll, day: outcomes.schedule_runoff(request.user, poll, day),
        _("The run-off (另行选举) is scheduled on %(day)s."),
    )


@require_POST
def rerun(request, pk, code, election_id, poll_id):
    return _schedule(
        request,
        pk,
        code,
        election_id,
        poll_id,
        lambda poll, day: outcomes.schedule_rerun(request.user, poll, day),
        _("The re-run (重新选举) is scheduled on %(day)s."),
    )


def announcement(request, pk, code, election_id, poll_id):
    """The announcement as a PDF (GET); its posting (POST)."""
    if request.method == "POST":
        cycle, place, election, poll = place_poll(
            request, pk, code, election_id, poll_id, permissions.RUN_POLL
        )
        try:
            published_on = form_date(request.POST.get("published_on"), timezone.localdate())
            papers.publish_announcement(request.user, poll, published_on)
        except RuleViolation as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The results announcement is posted."))
        return _back(request, cycle, place, election)
    cycle, place, election, poll = place_poll(request, pk, code, election_id, poll_id)
    try:
        data = papers.announcement_pdf(poll)
    except RuleViolation as exc:
        messages.error(request, str(exc))
        return redirect("polling-election", cycle.pk, place.code, election.pk)
    return _pdf(data, f"{place.code}-{poll.round}-{poll.held_on:%Y%m%d}-announcement.pdf")


def announcement_file(request, pk, code, election_id, notice_id):
    """A posted announcement as it was posted."""
    _cycle, place, election = place_election(request, pk, code, election_id)
    notice = get_object_or_404(
        Notice, pk=notice_id, election=election, kind=Notice.Kind.ANNOUNCEMENT
    )
    return FileResponse(
        notice.file.open("rb"),
        filename=notice.file.name.rsplit("/", 1)[-1],
        content_type="application/pdf",
    )


def report(request, pk, code, election_id, poll_id):
    """The result form (选举结果报告单) as a PDF, to be signed."""
    cycle, place, election, poll = place_poll(request, pk, code, election_id, poll_id)
    try:
        data = papers.report_pdf(poll)
    except RuleViolation as exc:
        messages.error(request, str(exc))
        return redirect("polling-election", cycle.pk, place.code, election.pk)
    return _pdf(data, f"{place.code}-{poll.round}-{poll.held_on:%Y%m%d}-report.pdf")


def certificates(request, pk, code, election_id):
    """The certificates issued, as a PDF (GET; ``?poll=`` for one poll's winners);
    issuing the certificates of the winners who have none (POST)."""
    capability = permissions.RUN_POLL if request.method == "POST" else permissions.VIEW
    cycle, place, election = place_election(request, pk, code, election_id, capability)
    target = election
    poll_id = request.POST.get("poll") or request.GET.get("poll")
    if poll_id:
        target = get_object_or_404(Poll, pk=form_int(poll_id, _("Vote")), election=election)
        target.election = election
    if request.method == "POST":
        try:
            issued_on = form_date(request.POST.get("issued_on"), timezone.localdate())
            issued = papers.issue_certificates(request.user, target, issued_on)
        except RuleViolation as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("%(n)d certificates issued, numbered %(first)s to %(last)s.")
                % {
                    "n": len(issued),
                    "first": issued[0].certificate_number,
                    "last": issued[-1].certificate_number,
                },
            )
        return _back(request, cycle, place, election)
    try:
        data = papers.certificates_pdf(target)
    except RuleViolation as exc:
        messages.error(request, str(exc))
        return redirect("polling-election", cycle.pk, place.code, election.pk)
    return _pdf(data, f"{place.code}-{election.body}-certificates.pdf")


@require_POST
def write_in(request, pk, code, election_id, winner_id):
    """Name the voter a written-in winner is (by voter number)."""
    cycle, place, election = place_election(request, pk, code, election_id, permissions.RUN_POLL)
    winner = get_object_or_404(Winner, pk=winner_id, poll__election=election)
    try:
        number = form_int(request.POST.get("number"), _("Voter number"))
        voter = outcomes.voter_numbered(election, number)
        outcomes.assign_write_in(request.user, winner, voter)
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("%(name)s is voter %(n)d.") % {"name": winner.name, "n": voter.number}
        )
    return _back(request, cycle, place, election)


urlpatterns = [
    path(f"{ELECTION}results/", election_page, name="polling-election"),
    path(f"{ELECTION}certificates/", certificates, name="polling-certificates"),
    path(f"{ELECTION}winners/<int:winner_id>/voter/", write_in, name="polling-write-in"),
    path(
        f"{ELECTION}announcements/<int:notice_id>/",
        announcement_file,
        name="polling-announcement-file",
    ),
    path(f"{POLL}outcome/", actions, name="polling-actions"),
    path(f"{POLL}confirm/", confirm, name="polling-confirm"),
    path(f"{POLL}correct/", correct, name="polling-correct"),
    path(f"{POLL}revote/", revote, name="polling-revote"),
    path(f"{POLL}runoff/", runoff, name="polling-runoff"),
    path(f"{POLL}rerun/", rerun, name="polling-rerun"),
    path(f"{POLL}announcement/", announcement, name="polling-announcement"),
    path(f"{POLL}report/", report, name="polling-report"),
]
