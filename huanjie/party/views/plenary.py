"""The first plenary (一届一次全委会) of a party committee and its approval (批复), on
one page: the committee the members' meeting elected, the plenary opened with the
members present and the candidates, the votes entered from the tally sheet with the
result and why each person is or is not elected, the printed report, the approval that
puts the committee in office; and the two committees (“两委”) of the place side by
side (DOMAIN §2, §8, §11).

Every rule is the services' (:mod:`huanjie.party.plenary`,
:mod:`huanjie.party.committees`); the views read the forms and show the answer.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huanjie.accounts import permissions
from huanjie.audit.trail import history
from huanjie.candidates.views import form_date, form_int, place_election
from huanjie.cycles.services import RuleViolation
from huanjie.cycles.timeline import localized
from huanjie.cycles.views import scoped_cycle, scoped_place
from huanjie.documents.numerals import percent
from huanjie.party import committees, plenary
from huanjie.party.models import Plenary
from huanjie.rules import plenary as plenary_rules
from huanjie.rules import tally
from huanjie.rules.seats import Body

PLACE = "cycles/<int:pk>/places/<str:code>/party/"
PLENARY = PLACE + "<int:election_id>/plenary/"
ONE = PLENARY + "<int:plenary_id>/"


def party_election(request, pk, code, election_id, capability=permissions.VIEW):
    """(cycle, place, election) of a party committee election in the user's scope."""
    cycle, place, election = place_election(request, pk, code, election_id, capability)
    if election.body != Body.PARTY_COMMITTEE:
        raise Http404
    return cycle, place, election


def _plenary(request, pk, code, election_id, plenary_id, capability):
    cycle, place, election = party_election(request, pk, code, election_id, capability)
    held = get_object_or_404(Plenary, pk=plenary_id, election=election)
    held.election = election
    return cycle, place, election, held


def _back(cycle, place, election, anchor=""):
    response = redirect("party_plenary", cycle.pk, place.code, election.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def _chosen(request, offices) -> dict[str, list[int]]:
    """The candidates ticked in the form, office by office (Member pks)."""
    return {
        o["id"]: [form_int(v, _("Candidate")) for v in request.POST.getlist(o["id"])]
        for o in offices
    }


def _offices(election):
    deputies = plenary.deputies_of(election)
    return [
        {"id": o.id, "title": o.title, "seats": o.seats} for o in plenary_rules.offices(deputies)
    ]


def _counts(request, held) -> dict[str, dict[str, int]]:
    """The tally sheet typed in the grid: ``votes-<office>-<member id>`` and
    ``invalid-<office>``; a blank field is no votes."""
    counts = {}
    for office in held.offices:
        given = {}
        for person in held.committee:
            value = request.POST.get(f"votes-{office['id']}-{person['id']}", "").strip()
            if value:
                what = f"{office['title']}, {person['name']}"
                given[person["id"]] = form_int(value, what)
        invalid = request.POST.get(f"invalid-{office['id']}", "").strip()
        if invalid:
            given[tally.INVALID] = form_int(
                invalid, _("%(office)s, invalid") % {"office": office["title"]}
            )
        counts[office["id"]] = given
    return counts


def _grid(held):
    """The rows of the votes form: each committee member with the votes entered."""
    rows = []
    for person in held.committee:
        rows.append(
            {
                "person": person,
                "cells": [
                    {
                        "office": o["id"],
                        "name": f"votes-{o['id']}-{person['id']}",
                        "value": held.counts.get(o["id"], {}).get(person["id"], ""),
                        "standing": any(
                            c["id"] == person["id"] and c["office"] == o["id"]
                            for c in held.candidates
                        ),
                    }
                    for o in held.offices
                ],
            }
        )
    return rows


def _result_blocks(held):
    """Each office's votes, who is elected and why (tally.explain)."""
    if held.result is None:
        return []
    reasons = {(r["office"], r["who"]): r for r in plenary.explanations(held)}
    blocks = []
    titles = {o["id"]: o["title"] for o in held.offices}
    for office in held.result["offices"]:
        blocks.append(
            {
                "id": office["id"],
                "title": titles.get(office["id"], office["id"]),
                "seats": office["seats"],
                "threshold": office["threshold"],
                "invalid": office["invalid"],
                "people": [
                    {
                        "name": v["name"],
                        "votes": v["votes"],
                        "elected": v["who"] in office["elected"],
                        "why": localized(
                            reasons.get((office["id"], v["who"]), {}).get("zh", ""),
                            reasons.get((office["id"], v["who"]), {}).get("en", ""),
                        ),
                    }
                    for v in office["votes"]
                ],
            }
        )
    return blocks


VOID_REASONS = {
    "quorum_not_met": (
        "实到会委员未超过应到会委员的五分之四",
        "Not more than 4/5 of the committee present (DOMAIN §8).",
    ),
    "returned_exceeds_issued": (
        "收回选票多于发出选票",
        "More ballots returned than issued.",
    ),
}


def party_plenary(request, pk, code, election_id):
    """The plenary page of a party committee election."""
    cycle, place, election = party_election(request, pk, code, election_id)
    user = request.user
    today = timezone.localdate()
    can_run = permissions.can(user, permissions.RUN_PARTY, place)
    can_approve = permissions.can(user, permissions.APPROVE_PARTY, place)
    held = plenary.current(election)
    committee, waiting = [], ""
    if held is not None:
        held.election = election
        committee = held.committee
    else:
        try:
            committee = plenary.committee_of(election)
        except RuleViolation as exc:
            waiting = str(exc)
    default = plenary.recommended(election, committee) if committee and held is None else {}
    offices = held.offices if held else _offices(election)
    findings = plenary.findings_of(held) if held else []
    result = held.result if held else None
    state = held.state if held else None
    return render(
        request,
        "party/plenary.html",
        {
            "cycle": cycle,
            "place": place,
            "election": election,
            "today": today,
            "held": held,
            "committee": committee,
            "waiting": waiting,
            "offices": offices,
            "choices": [
                {
                    "office": o,
                    "people": [
                        {
                            "person": c,
                            "ticked": (
                                any(
                                    x["id"] == c["id"] and x["office"] == o["id"]
                                    for x in held.candidates
                                )
                                if held
                                else c["member"] in default.get(o["id"], [])
                            ),
                        }
                        for c in committee
                    ],
                }
                for o in offices
            ],
            "grid": _grid(held) if held else [],
            "result": result,
            "void_reasons": [
                localized(*VOID_REASONS.get(r, (r, r)))
                for r in (result or {}).get("void_reasons", ())
            ],
            "blocks": _result_blocks(held) if held else [],
            "elected": plenary.elected_of(held) if held else {},
            "findings": [
                {"level": f.level, "code": f.code, "message": localized(f.message_zh, f.message_en)}
                for f in findings
            ],
            "ready": held is not None
            and result is not None
            and not any(f.is_error for f in findings),
            "can_run": can_run,
            "can_open": can_run and held is None and bool(committee),
            "can_change": can_run and state == Plenary.State.OPEN,
            "can_report": can_run and state == Plenary.State.OPEN and result is not None,
            "can_withdraw": can_run and state == Plenary.State.REPORTED,
            "can_approve": can_approve and state == Plenary.State.REPORTED,
            "two": committees.of_place(cycle, place),
            "records": history(place=place).filter(action__startswith="party.plenary")[:20],
        },
    )


@require_POST
def open_plenary(request, pk, code, election_id):
    cycle, place, election = party_election(request, pk, code, election_id, permissions.RUN_PARTY)
    today = timezone.localdate()
    try:
        plenary.open_plenary(
            request.user,
            election,
            held_on=form_date(request.POST.get("held_on"), today),
            present=form_int(request.POST.get("present"), _("Members present")),
            candidates=_chosen(request, _offices(election)),
            today=today,
        )
        messages.success(request, _("The plenary is open: enter its votes."))
    except RuleViolation as exc:
        messages.error(request, str(exc))
    return _back(cycle, place, election, "votes")


@require_POST
def candidates(request, pk, code, election_id, plenary_id):
    cycle, place, election, held = _plenary(
        request, pk, code, election_id, plenary_id, permissions.RUN_PARTY
    )
    try:
        plenary.set_candidates(
            request.user,
            held,
            _chosen(request, held.offices),
            present=form_int(request.POST.get("present"), _("Members present")),
        )
        messages.success(request, _("The candidates and the members present are recorded."))
    except RuleViolation as exc:
        messages.error(request, str(exc))
    return _back(cycle, place, election, "candidates")


@require_POST
def votes(request, pk, code, election_id, plenary_id):
    cycle, place, election, held = _plenary(
        request, pk, code, election_id, plenary_id, permissions.RUN_PARTY
    )
    post = request.POST
    try:
        held = plenary.enter_votes(
            request.user,
            held,
            counts=_counts(request, held),
            ballots_issued=form_int(post.get("ballots_issued"), _("Ballots issued")),
            ballots_returned=form_int(post.get("ballots_returned"), _("Ballots returned")),
        )
        if held.result["valid"]:
            messages.success(request, _("The votes are counted."))
        else:
            messages.warning(request, _("The votes are counted: the vote is void."))
    except RuleViolation as exc:
        messages.error(request, str(exc))
    return _back(cycle, place, election, "result")


@require_POST
def cancel(request, pk, code, election_id, plenary_id):
    cycle, place, election, held = _plenary(
        request, pk, code, election_id, plenary_id, permissions.RUN_PARTY
    )
    try:
        plenary.cancel(request.user, held)
        messages.success(request, _("The plenary is taken back."))
    except RuleViolation as exc:
        messages.error(request, str(exc))
    return _back(cycle, place, election)


@require_POST
def report(request, pk, code, election_id, plenary_id):
    cycle, place, election, held = _plenary(
        request, pk, code, election_id, plenary_id, permissions.RUN_PARTY
    )
    today = timezone.localdate()
    try:
        plenary.report(
            request.user,
            held,
            reported_on=form_date(request.POST.get("reported_on"), today),
            today=today,
        )
        messages.success(request, _("The results are reported for approval (批复)."))
    except RuleViolation as exc:
        messages.error(request, str(exc))
    return _back(cycle, place, election, "report")


@require_POST
def withdraw(request, pk, code, election_id, plenary_id):
    cycle, place, election, held = _plenary(
        request, pk, code, election_id, plenary_id, permissions.RUN_PARTY
    )
    try:
        plenary.withdraw_report(request.user, held)
        messages.success(request, _("The report is withdrawn; the plenary is open again."))
    except RuleViolation as exc:
        messages.error(request, str(exc))
    return _back(cycle, place, election, "report")


@require_POST
def approve(request, pk, code, election_id, plenary_id):
    cycle, place, election, held = _plenary(
        request, pk, code, election_id, plenary_id, permissions.APPROVE_PARTY
    )
    today = timezone.localdate()
    post = request.POST
    try:
        seats = plenary.approve(
            request.user,
            held,
            approved_on=form_date(post.get("approved_on"), today),
            approved_by=post.get("approved_by", ""),
            reference=post.get("reference", ""),
            today=today,
        )
        messages.success(
            request,
            _("The approval (批复) is recorded: the committee of %(n)d is in office.")
            % {"n": len(seats)},
        )
    except RuleViolation as exc:
        messages.error(request, str(exc))
    return _back(cycle, place, election, "approval")


def report_pdf(request, pk, code, election_id, plenary_id):
    """The printed report of the results (选举书记、副书记结果的报告)."""
    _cycle, place, _election, held = _plenary(
        request, pk, code, election_id, plenary_id, permissions.VIEW
    )
    try:
        data = plenary.report_pdf(held)
    except RuleViolation as exc:
        raise Http404(str(exc)) from None
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="plenary-report-{place.code}.pdf"'
    return response


def party_committees(request, pk, code):
    """The two committees of a place side by side, with 一肩挑 and 交叉任职."""
    cycle = scoped_cycle(request, pk)
    place = scoped_place(request, code)
    if not place.is_electing:
        raise Http404
    return render(
        request,
        "party/committees.html",
        {
            "cycle": cycle,
            "place": place,
            "two": committees.of_place(cycle, place),
            "party_elections": cycle.elections.filter(place=place, body=Body.PARTY_COMMITTEE),
        },
    )


def two_committees(request, pk):
    """The two committees of every village and community under a township or the
    county (``?within=`` a place code; the user's scope by default), with the 一肩挑
    and 交叉任职 rates of DOMAIN §11."""
    cycle = scoped_cycle(request, pk)
    code = request.GET.get("within", "")
    within = scoped_place(request, code) if code else permissions.scope_of(request.user)
    if within is None:
        raise Http404
    found = committees.report(cycle, within)
    rates = found.rates
    return render(
        request,
        "party/two_committees.html",
        {
            "cycle": cycle,
            "within": within,
            "places": found.places,
            "rates": rates,
            "dual_head_rate": percent(rates.dual_head_rate),
            "cross_appointment_rate": percent(rates.cross_appointment_rate),
        },
    )


urlpatterns = [
    path("cycles/<int:pk>/party/two-committees/", two_committees, name="party_two_committees"),
    path(PLENARY, party_plenary, name="party_plenary"),
    path(PLENARY + "open/", open_plenary, name="party_plenary_open"),
    path(ONE + "candidates/", candidates, name="party_plenary_candidates"),
    path(ONE + "votes/", votes, name="party_plenary_votes"),
    path(ONE + "cancel/", cancel, name="party_plenary_cancel"),
    path(ONE + "report/", report, name="party_plenary_report"),
    path(ONE + "report/withdraw/", withdraw, name="party_plenary_withdraw"),
    path(ONE + "report.pdf", report_pdf, name="party_plenary_pdf"),
    path(ONE + "approval/", approve, name="party_plenary_approve"),
    path(PLACE + "committees/", party_committees, name="party_committees"),
]
