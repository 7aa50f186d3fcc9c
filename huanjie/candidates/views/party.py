"""两推一选 of a party committee (DOMAIN §5.1, §8): one page with the steps in order —
the recommendation by the members and the public, the township committee's decision,
the joint review and the inspection (考察) of each candidate, the 公示, the request
(请示) and the approval (批复) — each with its state and, for who may act, its form.

Every rule is the services' (:mod:`huanjie.candidates.recommendation`,
:mod:`~huanjie.candidates.notices`, :mod:`~huanjie.candidates.roster`); the views
read the forms, pass today's date and show the answer. A refused form comes back to
the page with the reason, and the rows typed for the recommendation are kept.
"""

import re

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from huanjie.accounts import permissions
from huanjie.candidates import notices, recommendation, roster
from huanjie.candidates.models import Candidate
from huanjie.candidates.views import PREFIX, form_date, form_int, place_election, place_history
from huanjie.cycles.services import RuleViolation
from huanjie.cycles.timeline import localized
from huanjie.rules import negative_list
from huanjie.rules.seats import Body

#: Fields of a row of the recommendation: spaces, tabs, commas.
SEPARATORS = re.compile(r"[\s,，、;；]+")

#: Session key of a refused recommendation form, so the rows typed are not lost.
TYPED = "candidates-party-typed-%d"

STEPS = (
    ("recommend", gettext_lazy("Recommendation by the members and the public (两推)")),
    ("decide", gettext_lazy("The township committee's decision")),
    ("review", gettext_lazy("Joint review and inspection (联审、考察)")),
    ("publicity", gettext_lazy("Public notice (公示)")),
    ("request", gettext_lazy("Request for approval (请示)")),
    ("approve", gettext_lazy("Approval (批复)")),
)


def _party_election(request, pk, code, election, capability=permissions.VIEW):
    cycle, place, election = place_election(request, pk, code, election, capability)
    if election.body != Body.PARTY_COMMITTEE:
        raise Http404
    return cycle, place, election


def parse_rows(text: str) -> list[tuple[str, int, int]]:
    """The rows typed in the recommendation form: "name-or-ID members public" a line.
    Blank lines are skipped; a bad line is refused with its line number."""
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        fields = [f for f in SEPARATORS.split(line.strip()) if f]
        if not fields:
            continue
        if len(fields) != 3 or not (fields[1].isdecimal() and fields[2].isdecimal()):
            raise RuleViolation(
                _(
                    "Line %(line)d: write a name or ID number, the members' votes and the "
                    "public votes, separated by spaces (“%(text)s”)."
                )
                % {"line": number, "text": line.strip()}
            )
        rows.append((fields[0], int(fields[1]), int(fields[2])))
    return rows


def ranked(candidates):
    """The recommended by total votes (members' and public together), with their rank:
    people with as many votes share a rank."""
    ordered = sorted(candidates, key=lambda c: (-c.votes, -c.member_votes, c.id))
    return [
        {"rank": 1 + sum(1 for o in ordered if o.votes > c.votes), "candidate": c} for c in ordered
    ]


def review_rows(candidates, cycle):
    """Each candidate with the state of the joint review, the departments named."""
    names = {d.id: d.name for d in roster.departments(cycle)}
    reviews = roster.reviews(candidates, cycle)
    rows = []
    for c in candidates:
        state = reviews.get(c.id)
        rows.append(
            {
                "candidate": c,
                "review": state,
                "awaiting": [names.get(d, d) for d in state.awaiting] if state else [],
                "by": [names.get(d, d) for d in state.by] if state else [],
                "items": [
                    negative_list.BY_NUMBER[i] for i in state.items if i in negative_list.BY_NUMBER
                ]
                if state
                else [],
            }
        )
    return rows


def step_states(rec, notice, ready: bool, today):
    """The six steps with their state: done (with the day), the current one, waiting."""
    done = {
        "recommend": rec.held_on if rec else None,
        "decide": rec.township_decided_on if rec else None,
        "review": bool(notice) or ready,
        "publicity": notice.published_on if notice else None,
        "request": rec.requested_on if rec else None,
        "approve": rec.approved_on if rec else None,
    }
    steps, current = [], None
    for number, (key, title) in enumerate(STEPS, 1):
        on = done[key]
        state = "done" if on else ("current" if current is None else "waiting")
        if state == "current":
            current = key
        steps.append(
            {
                "number": number,
                "key": key,
                "title": title,
                "state": state,
                "on": on if on is not True else None,
                "ends_on": notice.ends_on if key == "publicity" and notice else None,
                "running": key == "publicity" and notice is not None and today < notice.ends_on,
            }
        )
    return steps, current


def party(request, pk, code, election):
    cycle, place, election = _party_election(request, pk, code, election)
    today = timezone.localdate()
    user = request.user
    rec = recommendation.of(election)
    everyone = list(
        Candidate.objects.filter(election=election).select_related("resident", "replaces__resident")
    )
    decided = bool(rec and rec.township_decided_on)
    standing = roster.standing(election)
    left = [c for c in everyone if not c.standing]
    notice = recommendation.publicity(election)
    findings = roster.election_findings(election)
    blockers = recommendation.ready_for_publicity(election) if decided and not notice else []
    steps, current = step_states(rec, notice, decided and not blockers, today)
    final = roster.is_final(election)
    typed = request.session.pop(TYPED % election.pk, None)
    if typed is None and rec is not None:
        typed = {
            "held_on": rec.held_on.isoformat(),
            "members_present": rec.members_present,
            "public_present": rec.public_present,
            "rows": "\n".join(
                f"{r['candidate'].resident.name} {r['candidate'].member_votes} "
                f"{r['candidate'].public_votes}"
                for r in ranked(everyone)
            ),
        }
    can_nominate = permissions.can(user, permissions.NOMINATE, place)
    can_edit = permissions.can(user, permissions.EDIT_ELECTIONS, place)
    return render(
        request,
        "candidates/party.html",
        {
            "cycle": cycle,
            "place": place,
            "election": election,
            "today": today,
            "rec": rec,
            "decided": decided,
            "steps": steps,
            "current": current,
            "typed": {"held_on": today.isoformat(), **(typed or {})},
            "ranking": ranked(everyone),
            "needed": recommendation.needed(election),
            "seats": sum(roster.seats_of(election).values()),
            "chosen": review_rows(standing, cycle) if decided else [],
            "left": [
                {
                    **row,
                    "replaced_by": [c for c in everyone if c.replaces_id == row["candidate"].id],
                }
                for row in review_rows(left, cycle)
            ],
            "findings": [
                {
                    "level": f.level,
                    "code": f.code,
                    "section": f.section,
                    "message": localized(f.message_zh, f.message_en),
                }
                for f in findings
            ],
            "blockers": blockers,
            "notice": notice,
            "publicity_over": notice is not None and today >= notice.ends_on,
            "final": final,
            "can_recommend": can_nominate and not decided,
            "can_decide": can_edit and rec is not None and not decided,
            "can_inspect": can_edit and decided and not final,
            "can_publish": can_edit and decided and not notice and not blockers,
            "can_request": can_nominate
            and notice is not None
            and today >= notice.ends_on
            and not (rec and rec.requested_on),
            "can_approve": can_edit and bool(rec and rec.requested_on) and not final,
            "records": place_history(place),
        },
    )


def _back(election, anchor=""):
    url = reverse("candidates-party", args=[election.cycle_id, election.place.code, election.pk])
    return redirect(url + (f"#{anchor}" if anchor else ""))


@require_POST
def recommend(request, pk, code, election):
    """The recommendation by the members and the public (两推)."""
    _cycle, _place, election = _party_election(request, pk, code, election, permissions.NOMINATE)
    today = timezone.localdate()
    post = request.POST
    try:
        rec = recommendation.hold(
            request.user,
            election,
            held_on=form_date(post.get("held_on"), today),
            members_present=form_int(post.get("members_present"), _("Members taking part")),
            public_present=form_int(post.get("public_present"), _("Public taking part")),
            rows=parse_rows(post.get("rows", "")),
            today=today,
        )
        people = Candidate.objects.filter(election=election).count()
        messages.success(
            request,
            _("The recommendation of %(day)s is recorded: %(n)d people recommended.")
            % {"day": rec.held_on.isoformat(), "n": people},
        )
    except RuleViolation as exc:
        request.session[TYPED % election.pk] = {
            key: post.get(key, "")
            for key in ("held_on", "members_present", "public_present", "rows")
        }
        messages.error(request, str(exc))
    return _back(election, "recommend")


@require_POST
def decide(request, pk, code, election):
    """The township committee puts forward the candidates among the recommended."""
    _cycle, _place, election = _party_election(
        request, pk, code, election, permissions.EDIT_ELECTIONS
    )
    today = timezone.localdate()
    try:
        chosen = [form_int(v, _("Candidate")) for v in request.POST.getlist("chosen")]
        recommendation.decide(
            request.user,
            election,
            decided_on=form_date(request.POST.get("decided_on"), today),
            chosen=chosen,
            today=today,
        )
        messages.success(
            request,
            _("The township committee's decision is recorded: %(n)d candidates.")
            % {"n": len(set(chosen))},
        )
    except RuleViolation as exc:
        messages.error(request, str(exc))
    return _back(election, "decide")


@require_POST
def inspect(request, pk, code, election, candidate):
    """The inspection (考察) of one candidate."""
    _cycle, _place, election = _party_election(
        request, pk, code, election, permissions.EDIT_ELECTIONS
    )
    candidate = get_object_or_404(
        Candidate.objects.select_related("resident", "election__place"),
        pk=candidate,
        election=election,
    )
    today = timezone.localdate()
    try:
        recommendation.inspect(
            request.user,
            candidate,
            request.POST.get("findings", ""),
            on=form_date(request.POST.get("inspected_on"), today),
            today=today,
        )
        messages.success(
            request,
            _("The inspection of %(name)s is recorded.") % {"name": candidate.resident.name},
        )
    except RuleViolation as exc:
        messages.error(request, str(exc))
    return _back(election, f"candidate-{candidate.pk}")


@require_POST
def publicity(request, pk, code, election):
    """Post the candidates for the 公示."""
    _cycle, _place, election = _party_election(
        request, pk, code, election, permissions.EDIT_ELECTIONS
    )
    today = timezone.localdate()
    try:
        notice = notices.publish_publicity(
            request.user,
            election,
            form_date(request.POST.get("published_on"), today),
            today=today,
        )
        messages.success(
            request,
            _("The candidates are published (公示) from %(first)s until %(last)s.")
            % {"first": notice.published_on.isoformat(), "last": notice.ends_on.isoformat()},
        )
    except RuleViolation as exc:
        messages.error(request, str(exc))
    return _back(election, "publicity")


@require_POST
def request_approval(request, pk, code, election):
    """The request for approval (请示), once the 公示 is over."""
    _cycle, _place, election = _party_election(request, pk, code, election, permissions.NOMINATE)
    today = timezone.localdate()
    try:
        recommendation.request_approval(
            request.user,
            election,
            requested_on=form_date(request.POST.get("requested_on"), today),
            number=request.POST.get("number", ""),
            today=today,
        )
        messages.success(request, _("The request for approval (请示) is recorded."))
    except RuleViolation as exc:
        messages.error(request, str(exc))
    return _back(election, "request")


@require_POST
def approve(request, pk, code, election):
    """The township's approval (批复): the candidates are final."""
    _cycle, _place, election = _party_election(
        request, pk, code, election, permissions.EDIT_ELECTIONS
    )
    today = timezone.localdate()
    try:
        recommendation.approve(
            request.user,
            election,
            approved_on=form_date(request.POST.get("approved_on"), today),
            number=request.POST.get("number", ""),
            today=today,
        )
        formal = Candidate.objects.filter(election=election, status=Candidate.Status.FORMAL).count()
        messages.success(
            request,
            _("The candidates are approved (批复): %(n)d formal candidates.") % {"n": formal},
        )
    except RuleViolation as exc:
        messages.error(request, str(exc))
    return _back(election, "approve")


PARTY = PREFIX + "<int:election>/party/"

urlpatterns = [
    path(PARTY, party, name="candidates-party"),
    path(PARTY + "recommend/", recommend, name="candidates-party-recommend"),
    path(PARTY + "decide/", decide, name="candidates-party-decide"),
    path(PARTY + "<int:candidate>/inspect/", inspect, name="candidates-party-inspect"),
    path(PARTY + "publicity/", publicity, name="candidates-party-publicity"),
    path(PARTY + "request/", request_approval, name="candidates-party-request"),
    path(PARTY + "approve/", approve, name="candidates-party-approve"),
]
