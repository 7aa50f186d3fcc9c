"""The delegate congress page (党员代表大会, DOMAIN §2 item 3, §8): the upper level's
approval with the number of delegates and the guiding shares, the electoral units with
their members and seats, the candidates of each unit against the 20% surplus, each
unit's votes, the composition of the elected against the shares, the credentials
review, calling the congress, and the delegate list as a spreadsheet.

Every rule is the services' (:mod:`huanjie.party.congress`); the views read the forms
and show the answer.
"""

from fractions import Fraction
from io import BytesIO

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huanjie.accounts import permissions
from huanjie.audit.trail import history
from huanjie.candidates.views import form_date, form_int, place_election
from huanjie.cycles.profiles import effective_profile
from huanjie.cycles.services import RuleViolation
from huanjie.cycles.timeline import localized
from huanjie.party import congress
from huanjie.party.due import roster_of
from huanjie.party.models import Delegate
from huanjie.rules.congress import CompositionTargets, candidates_needed
from huanjie.rules.identity import age_on, mask_id
from huanjie.rules.seats import Body

PREFIX = "cycles/<int:pk>/places/<str:code>/party/<int:election_id>/congress/"

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: The guiding shares of the approval form: field, label, at least (or at most).
SHARES = (
    ("cadres_at_most", "cadres", False),
    ("front_line_at_least", "front_line", True),
    ("women_at_least", "women", True),
    ("young_at_least", "young", True),
)


def party_election(request, pk, code, election_id, capability=permissions.VIEW):
    cycle, place, election = place_election(request, pk, code, election_id, capability)
    if election.body != Body.PARTY_COMMITTEE:
        raise Http404
    return cycle, place, election


def _findings(found) -> list[dict]:
    return [
        {
            "level": f.level,
            "code": f.code,
            "section": f.section,
            "message": localized(f.message_zh, f.message_en),
        }
        for f in found
    ]


def _percent(value: Fraction | None) -> str:
    return "" if value is None else f"{float(value) * 100:g}"


def share_labels(targets: CompositionTargets) -> dict[str, str]:
    return {
        "cadres": _("Cadres (干部)"),
        "front_line": _("Front-line members (生产一线)"),
        "women": _("Women"),
        "young": _("Under %(age)d") % {"age": targets.young_under},
    }


def shares(election, targets: CompositionTargets) -> list[dict]:
    """Each guiding share: how many of the elected, their share and the target."""
    chosen = congress.elected(election)
    total = len(chosen)
    day = election.election_day
    counts = {
        "cadres": sum(d.member.cadre for d in chosen),
        "front_line": sum(d.member.front_line for d in chosen),
        "women": sum(d.member.resident.sex == "F" for d in chosen),
        "young": sum(
            age_on(d.member.resident.birth_date, day) < targets.young_under for d in chosen
        ),
    }
    labels = share_labels(targets)
    rows = []
    for field, key, at_least in SHARES:
        target = getattr(targets, field)
        share = Fraction(counts[key], total) if total else None
        ok = (
            None
            if target is None or share is None
            else (share >= target if at_least else share <= target)
        )
        rows.append(
            {
                "key": key,
                "label": labels[key],
                "count": counts[key],
                "share": _percent(share),
                "target": _percent(target),
                "at_least": at_least,
                "ok": ok,
            }
        )
    return rows


def unit_rows(election, can_run: bool) -> list[dict]:
    found = congress.of(election)
    if found is None:
        return []
    profile = effective_profile(election.cycle, election.place)
    rows = []
    for unit in found.units.all():
        standing = congress.candidates(unit)
        voted = any(d.votes is not None for d in standing)
        rows.append(
            {
                "unit": unit,
                "candidates": sorted(standing, key=lambda d: (-(d.votes or 0), d.pk))
                if voted
                else standing,
                "needed": candidates_needed(unit.seats, profile),
                "findings": _findings(congress.unit_findings(election, unit)),
                "voted": voted,
                "ties": congress.ties(unit),
                "reviewed": any(d.review != Delegate.Review.PENDING for d in standing),
                "can_add": can_run and not voted,
            }
        )
    return rows


def review_rows(election) -> list[dict]:
    return [
        {
            "delegate": d,
            "id_number": mask_id(d.member.resident.id_number),
            "problems": _findings(congress.credentials(d, election)),
        }
        for d in congress.elected(election)
    ]


def party_congress(request, pk, code, election_id):
    cycle, place, election = party_election(request, pk, code, election_id)
    user = request.user
    found = congress.of(election)
    targets = congress.targets_of(found) if found else CompositionTargets()
    can_run = permissions.can(user, permissions.RUN_PARTY, place)
    has_candidates = found is not None and Delegate.objects.filter(unit__congress=found).exists()
    meeting = congress.congress_meeting(election)
    reviewed = congress.all_reviewed(election)
    return render(
        request,
        "party/congress.html",
        {
            "cycle": cycle,
            "place": place,
            "election": election,
            "congress": found,
            "today": timezone.localdate(),
            "targets": targets,
            "target_fields": [
                {
                    "name": field,
                    "label": share_labels(targets)[key],
                    "at_least": at_least,
                    "value": _percent(getattr(targets, field)),
                }
                for field, key, at_least in SHARES
            ],
            "members": roster_of(election).count(),
            "unit_members": congress.unit_members(election),
            "congress_findings": _findings(congress.congress_findings(election)),
            "units": unit_rows(election, can_run),
            "shares": shares(election, targets) if found else [],
            "composition": _findings(congress.composition(election)),
            "reviews": review_rows(election),
            "seated": congress.seated(election),
            "meeting": meeting,
            "all_reviewed": reviewed,
            "can_approve": permissions.can(user, permissions.APPROVE_PARTY, place)
            and not has_candidates,
            "can_reallocate": can_run and found is not None and not has_candidates,
            "can_run": can_run,
            "can_review": can_run and meeting is None,
            "can_call": can_run and reviewed and meeting is None,
            "records": history(place=place).filter(action__startswith="party.")[:20],
        },
    )


def _back(election, anchor=""):
    url = reverse("party_congress", args=[election.cycle_id, election.place.code, election.pk])
    return redirect(url + (f"#{anchor}" if anchor else ""))


def form_share(value, field: str) -> Fraction | None:
    """A share typed as a percentage (15 → 15%); empty means no target."""
    if value in (None, ""):
        return None
    number = form_int(value, field)
    if not 0 <= number <= 100:
        raise RuleViolation(_("%(field)s must be between 0 and 100.") % {"field": field})
    return Fraction(number, 100)


def form_targets(post) -> CompositionTargets:
    labels = share_labels(CompositionTargets())
    values = {field: form_share(post.get(field), labels[key]) for field, key, _at_least in SHARES}
    young_under = post.get("young_under") or CompositionTargets().young_under
    return CompositionTargets(**values, young_under=form_int(young_under, _("Age")))


@require_POST
def approve(request, pk, code, election_id):
    _cycle, _place, election = party_election(
        request, pk, code, election_id, permissions.APPROVE_PARTY
    )
    post = request.POST
    today = timezone.localdate()
    try:
        found = congress.approve(
            request.user,
            election,
            approved_on=form_date(post.get("approved_on"), today),
            reference=post.get("reference", ""),
            delegates=form_int(post.get("delegates"), _("Delegates")),
            scattered=post.get("scattered") == "on",
            targets=form_targets(post),
            today=today,
        )
        messages.success(
            request,
            _("The congress is approved: %(n)d delegates shared among %(units)d units.")
            % {"n": found.delegates, "units": found.units.count()},
        )
    except RuleViolation as exc:
        messages.error(request, str(exc))
    return _back(election, "approval")


@require_POST
def reallocate(request, pk, code, election_id):
    _cycle, _place, election = party_election(request, pk, code, election_id, permissions.RUN_PARTY)
    try:
        congress.reallocate(request.user, election)
        messages.success(request, _("The seats are shared again by the members as they are now."))
    except RuleViolation as exc:
        messages.error(request, str(exc))
    return _back(election, "units")


@require_POST
def add_candidate(request, pk, code, election_id, unit_id):
    _cycle, _place, election = party_election(request, pk, code, election_id, permissions.RUN_PARTY)
    try:
        unit = congress.unit_of(election, unit_id)
        delegate = congress.add_candidate(
            request.user, election, unit, request.POST.get("member", "")
        )
        messages.success(
            request,
            _("%(name)s is a candidate of %(unit)s.")
            % {"name": delegate.member.resident.name, "unit": unit.name},
        )
    except RuleViolation as exc:
        messages.error(request, str(exc))
    return _back(election, f"unit-{unit_id}")


@require_POST
def remove_candidate(request, pk, code, election_id, delegate_id):
    _cycle, _place, election = party_election(request, pk, code, election_id, permissions.RUN_PARTY)
    try:
        congress.remove_candidate(request.user, election, delegate_id)
        messages.success(request, _("The candidate is taken off."))
    except RuleViolation as exc:
        messages.error(request, str(exc))
    return _back(election, "units")


@require_POST
def record_result(request, pk, code, election_id, unit_id):
    """The votes of each candidate of a unit: fields ``votes-<delegate id>``."""
    _cycle, _place, election = party_election(request, pk, code, election_id, permissions.RUN_PARTY)
    try:
        unit = congress.unit_of(election, unit_id)
        votes = {}
        for d in congress.candidates(unit):
            value = request.POST.get(f"votes-{d.pk}", "")
            if value == "":
                raise RuleViolation(
                    _("The votes of %(name)s are missing.") % {"name": d.member.resident.name}
                )
            votes[d.pk] = form_int(value, _("Votes of %(name)s") % {"name": d.member.resident.name})
        chosen = congress.record_result(request.user, election, unit, votes)
        tied = congress.ties(unit)
        messages.success(
            request,
            _("%(unit)s: %(n)d of %(seats)d delegates elected.")
            % {"unit": unit.name, "n": len(chosen), "seats": unit.seats},
        )
        if tied:
            messages.warning(
                request,
                _("Tied across the last seat, to vote again: %(names)s.")
                % {"names": "、".join(d.member.resident.name for d in tied)},
            )
    except RuleViolation as exc:
        messages.error(request, str(exc))
    return _back(election, f"unit-{unit_id}")


@require_POST
def review(request, pk, code, election_id, delegate_id):
    _cycle, _place, election = party_election(request, pk, code, election_id, permissions.RUN_PARTY)
    confirmed = request.POST.get("decision") == "confirm"
    try:
        delegate = congress.review(
            request.user,
            election,
            delegate_id,
            confirmed=confirmed,
            note=request.POST.get("note", ""),
        )
        messages.success(
            request,
            (
                _("%(name)s's credentials are confirmed.")
                if confirmed
                else _("%(name)s's credentials are refused.")
            )
            % {"name": delegate.member.resident.name},
        )
    except RuleViolation as exc:
        messages.error(request, str(exc))
    return _back(election, "credentials")


@require_POST
def call(request, pk, code, election_id):
    cycle, place, election = party_election(request, pk, code, election_id, permissions.RUN_PARTY)
    try:
        congress.call(
            request.user,
            election,
            held_on=form_date(request.POST.get("held_on"), timezone.localdate()),
            venue=request.POST.get("venue", ""),
        )
        messages.success(request, _("The congress is called."))
        return redirect("party_meetings", cycle.pk, place.code, election.pk)
    except RuleViolation as exc:
        messages.error(request, str(exc))
    return _back(election, "call")


def delegates_xlsx(request, pk, code, election_id):
    """The delegate list (代表名册): every elected delegate by unit, with the review."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    _cycle, place, election = party_election(request, pk, code, election_id)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Delegates")[:31]
    sheet.append([f"{place.name} · {_('Delegates of the congress (党员代表大会代表名册)')}"])
    sheet["A1"].font = Font(bold=True)
    sheet.append(
        [
            _("No."),
            _("Unit"),
            _("Name"),
            _("Sex"),
            _("Age"),
            _("ID number"),
            _("Cadre"),
            _("Front line"),
            _("Votes"),
            _("Credentials"),
            _("Note"),
        ]
    )
    day = election.election_day
    for number, d in enumerate(congress.elected(election), 1):
        resident = d.member.resident
        sheet.append(
            [
                number,
                d.unit.name,
                resident.name,
                resident.get_sex_display(),
                age_on(resident.birth_date, day),
                mask_id(resident.id_number),
                _("yes") if d.member.cadre else "",
                _("yes") if d.member.front_line else "",
                d.votes,
                d.get_review_display(),
                d.review_note,
            ]
        )
    out = BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{place.code}-congress-delegates.xlsx"'
    return response


urlpatterns = [
    path(PREFIX, party_congress, name="party_congress"),
    path(f"{PREFIX}approve/", approve, name="party_congress_approve"),
    path(f"{PREFIX}reallocate/", reallocate, name="party_congress_reallocate"),
    path(
        f"{PREFIX}units/<int:unit_id>/candidates/", add_candidate, name="party_congress_candidate"
    ),
    path(
        f"{PREFIX}candidates/<int:delegate_id>/remove/",
        remove_candidate,
        name="party_congress_candidate_remove",
    ),
    path(f"{PREFIX}units/<int:unit_id>/result/", record_result, name="party_congress_result"),
    path(f"{PREFIX}delegates/<int:delegate_id>/review/", review, name="party_congress_review"),
    path(f"{PREFIX}call/", call, name="party_congress_call"),
    path(f"{PREFIX}delegates.xlsx", delegates_xlsx, name="party_congress_xlsx"),
]
