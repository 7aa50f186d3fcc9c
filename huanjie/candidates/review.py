"""The joint qualification review (资格联审, DOMAIN §5.2) and leaving the race.

Each department of the cycle gives a verdict on every candidate: clear, or a hit naming
the items of the negative list with the evidence. One hit disqualifies, whatever the
others say; the place is then filled from the ranking the candidate came from, and the
replacement waits for every department's verdict in turn. A candidate may also withdraw.
Both end when the list is final (DOMAIN §3).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huanjie.accounts import permissions
from huanjie.accounts.models import RoleKind
from huanjie.audit.snapshot import snapshot
from huanjie.audit.trail import record
from huanjie.candidates import nomination, recommendation, roster
from huanjie.candidates.models import Candidate, Department, Verdict
from huanjie.cycles.services import RuleViolation
from huanjie.rules import negative_list
from huanjie.rules.seats import Body

VERDICT_FIELDS = ("outcome", "items", "note")


@transaction.atomic
def set_up_departments(user, cycle, names=negative_list.SEED_DEPARTMENTS) -> list[Department]:
    """Give the cycle its review departments (the seed's list by default); names the
    cycle has already are kept."""
    permissions.require(user, permissions.CONFIGURE_CYCLE, cycle.county)
    have = set(Department.objects.filter(cycle=cycle).values_list("name", flat=True))
    start = Department.objects.filter(cycle=cycle).count()
    added = []
    for rank, name in enumerate((n for n in names if n not in have), start):
        department = Department.objects.create(cycle=cycle, name=name, rank=rank)
        record(user, "candidates.department_added", department, after={"name": name})
        added.append(department)
    return added


def departments_for(user, cycle) -> list[Department]:
    """The departments whose verdicts ``user`` may give: a reviewer their own, township
    and county staff any (they enter the answers that come on paper)."""
    role = permissions.role_of(user)
    found = Department.objects.filter(cycle=cycle)
    if role is None or not permissions.can(user, permissions.REVIEW_CANDIDATES):
        return []
    if role.kind == RoleKind.REVIEWER:
        found = found.filter(name=role.department)
    return list(found)


def require_department(user, department) -> None:
    if department not in departments_for(user, department.cycle):
        raise permissions.PermissionDenied


def queue(user, department, *, place=None, answered: bool = False):
    """The candidates in ``user``'s scope awaiting ``department``'s verdict (or, with
    ``answered``, those it has answered), by place and office. Only candidates whose
    list is not final are reviewed."""
    require_department(user, department)
    scope = place or permissions.scope_of(user)
    found = Candidate.objects.filter(
        election__cycle=department.cycle,
        election__place__code__startswith=scope.prefix,
        status__in=(Candidate.Status.NOMINEE,),
    )
    answered_ids = Verdict.objects.filter(department=department).values("candidate_id")
    found = found.filter(id__in=answered_ids) if answered else found.exclude(id__in=answered_ids)
    return found.select_related("resident", "election__place").order_by(
        "election__place__code", "election__body", "office", "-votes", "id"
    )


@transaction.atomic
def give_verdict(user, candidate, department, outcome: str, items=(), note: str = "") -> Verdict:
    """Record (or revise) ``department``'s verdict on ``candidate``. A hit names at
    least one item and the evidence; it disqualifies the candidate and fills the place
    from the ranking. A disqualified candidate stays disqualified: a later clear from
    another department does not bring them back."""
    require_department(user, department)
    election = candidate.election
    if not permissions.role_of(user).place.contains(election.place):
        raise permissions.Http404
    roster.require_open(election)
    if candidate.status not in (Candidate.Status.NOMINEE, Candidate.Status.DISQUALIFIED):
        raise RuleViolation(_("Only a candidate under review can be given a verdict."))
    items = tuple(sorted({int(i) for i in items}))
    note = note.strip()
    try:
        negative_list.Verdict(candidate.id, department.id, outcome, items, note)
    except ValueError:
        raise RuleViolation(
            _("A hit names at least one item of the negative list; a clear verdict names none.")
        ) from None
    if outcome == Verdict.Outcome.HIT and not note:
        raise RuleViolation(_("A hit needs the evidence: say what was found and where."))
    verdict = Verdict.objects.filter(candidate=candidate, department=department).first()
    before = snapshot(verdict, VERDICT_FIELDS) if verdict else None
    if verdict is None:
        verdict = Verdict(candidate=candidate, department=department)
    verdict.outcome, verdict.items, verdict.note, verdict.user = outcome, list(items), note, user
    verdict.save()
    record(
        user,
        "candidates.verdict",
        verdict,
        before=before,
        after={**snapshot(verdict, VERDICT_FIELDS), "department": department.name},
        place=election.place,
    )
    if outcome == Verdict.Outcome.HIT and candidate.status == Candidate.Status.NOMINEE:
        _leave(user, candidate, Candidate.Status.DISQUALIFIED, _("joint review"))
    return verdict


@transaction.atomic
def clear_all(user, department, candidates) -> int:
    """Record ``department``'s clear verdict on each of ``candidates`` (a reply sheet
    that finds nothing on anyone listed)."""
    n = 0
    for candidate in candidates:
        give_verdict(user, candidate, department, Verdict.Outcome.CLEAR)
        n += 1
    return n


def _leave(user, candidate, status, reason: str, on: date | None = None) -> list[Candidate]:
    before = snapshot(candidate, ("status", "left_on", "left_reason"))
    candidate.status = status
    candidate.left_on = on or timezone.localdate()
    candidate.left_reason = reason
    candidate.save()
    record(
        user,
        f"candidates.{status}",
        candidate,
        before=before,
        after=snapshot(candidate, ("status", "left_on", "left_reason")),
        place=candidate.election.place,
    )
    return refill(user, candidate)


def refill(user, candidate) -> list[Candidate]:
    """Fill the place ``candidate`` left from the ranking it came from."""
    election = candidate.election
    if election.body == Body.PARTY_COMMITTEE:
        return recommendation.fill(user, election, replacing=candidate)
    return nomination.fill(user, election, replacing=candidate)


@transaction.atomic
def withdraw(user, candidate, reason: str, *, on: date | None = None) -> list[Candidate]:
    """A candidate's withdrawal, accepted only until the list is final (DOMAIN §3); the
    next person of the ranking takes the place."""
    permissions.require(user, permissions.NOMINATE, candidate.election.place)
    roster.require_open(candidate.election)
    if not candidate.standing:
        raise RuleViolation(_("%(name)s is no longer standing.") % {"name": candidate.resident})
    if not reason.strip():
        raise RuleViolation(_("Give the reason for the withdrawal."))
    return _leave(user, candidate, Candidate.Status.WITHDRAWN, reason.strip(), on)
