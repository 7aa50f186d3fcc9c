"""Objections to a posted voter list (申诉, DOMAIN §3–4, §12).

Anyone may object that a person was left off the list (漏登), should not be on it (错登)
or is listed with wrong details; the election committee records the objection and
decides it. Both periods come from the rule profile through
:mod:`huanjie.rules.objections` and are enforced: an objection is received only within
the objection window, counted from the day the list was actually posted, and decided
only within the decision window, counted from the day it was received. An upheld
decision changes the roll at once; the decisions are then posted
(:func:`huanjie.voters.publication.publish_decisions`).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huanjie.accounts import permissions
from huanjie.audit.snapshot import snapshot
from huanjie.audit.trail import record
from huanjie.cycles.profiles import effective_profile
from huanjie.cycles.services import RuleViolation
from huanjie.rules import eligibility
from huanjie.rules import objections as windows
from huanjie.rules.identity import check_id, mask_id
from huanjie.voters import publication, rolls, supplementary
from huanjie.voters.models import Objection, Voter

OBJECTION_FIELDS = (
    "kind",
    "voter_id",
    "subject_name",
    "objector",
    "objector_contact",
    "reason",
    "filed_on",
    "status",
    "decision",
    "decided_on",
)

#: Kinds of objection about a line already on the list.
ABOUT_A_LINE = (Objection.Kind.WRONGLY_LISTED, Objection.Kind.WRONG_DETAILS)


def objection_state(objection: Objection) -> dict:
    state = snapshot(objection, OBJECTION_FIELDS)
    if objection.subject_id_number:
        state["subject_id_number"] = mask_id(objection.subject_id_number)
    return state


def objection_window(cycle, place) -> windows.Window | None:
    """The window in which objections are received; ``None`` before the list is posted."""
    posted = publication.voter_list(cycle, place)
    return publication.objection_window(cycle, place, posted) if posted else None


def decision_window(objection: Objection) -> windows.Window:
    profile = effective_profile(objection.cycle, objection.place)
    return windows.decision_window(objection.filed_on, profile)


@transaction.atomic
def file_objection(
    user,
    cycle,
    place,
    kind: str,
    *,
    objector: str,
    reason: str,
    filed_on: date,
    voter: Voter | None = None,
    subject_name: str = "",
    subject_id_number: str = "",
    objector_contact: str = "",
    today: date | None = None,
) -> Objection:
    """Record an objection received on ``filed_on``.

    An objection about a line of the list names that ``voter``; an objection about an
    omission names the person and their ID number, which must be valid, since an
    upheld objection puts the person on the list. Refused before the list is posted and
    outside the objection window, with the window's dates in the message.
    """
    permissions.require(user, permissions.REGISTER_VOTERS, place)
    today = today or timezone.localdate()
    try:
        kind = Objection.Kind(kind)
    except ValueError:
        raise RuleViolation(_("Choose what the objection is about.")) from None
    posted = publication.voter_list(cycle, place)
    if posted is None:
        raise RuleViolation(
            _(
                "The voter list of %(place)s has not been posted; objections are received "
                "from the day it is posted (DOMAIN §4)."
            )
            % {"place": place.name}
        )
    if filed_on > today:
        raise RuleViolation(_("An objection cannot be received on a day in the future."))
    window = publication.objection_window(cycle, place, posted)
    if not window.contains(filed_on):
        raise RuleViolation(
            _(
                "Objections to the list posted on %(posted)s are received from %(first)s "
                "to %(last)s (DOMAIN §3, §12); %(day)s is outside that window."
            )
            % {
                "posted": posted.published_on.isoformat(),
                "first": window.first.isoformat(),
                "last": window.last.isoformat(),
                "day": filed_on.isoformat(),
            }
        )
    objector, reason = objector.strip(), reason.strip()
    if not objector:
        raise RuleViolation(_("Give the name of the person who objects."))
    if not reason:
        raise RuleViolation(_("Give the grounds of the objection."))
    if kind in ABOUT_A_LINE:
        if voter is None or voter.cycle_id != cycle.id or voter.place_id != place.id:
            raise RuleViolation(_("Choose the line of the list the objection is about."))
        if voter.status != Voter.Status.LISTED:
            raise RuleViolation(_("%(name)s is no longer on the list.") % {"name": voter.name})
        subject_name, subject_id_number = voter.name, voter.id_number
    else:
        voter = None
        subject_name = subject_name.strip()
        if not subject_name:
            raise RuleViolation(_("Give the name of the person left off the list."))
        checked = check_id(subject_id_number, today)
        if not checked.valid:
            raise RuleViolation(
                _("ID number %(number)s is not valid: %(problem)s (GB 11643, DOMAIN §4).")
                % {
                    "number": checked.number,
                    "problem": supplementary.ID_PROBLEMS[checked.reason],
                }
            )
        subject_id_number = checked.number
        existing = supplementary.listed_line(cycle, subject_id_number)
        if existing is not None and existing.place_id == place.id:
            raise RuleViolation(
                _("%(name)s is already on the list of %(place)s as number %(number)d.")
                % {"name": existing.name, "place": place.name, "number": existing.number}
            )
    objection = Objection.objects.create(
        cycle=cycle,
        place=place,
        kind=kind,
        voter=voter,
        subject_name=subject_name,
        subject_id_number=subject_id_number,
        objector=objector,
        objector_contact=objector_contact.strip(),
        reason=reason,
        filed_on=filed_on,
        filed_by=user,
    )
    record(user, "voters.objection_filed", objection, after=objection_state(objection), place=place)
    return objection


@transaction.atomic
def decide(
    user,
    objection: Objection,
    upheld: bool,
    decision_text: str,
    decided_on: date,
    *,
    corrected_name: str = "",
    group=None,
    stated: eligibility.Category | None = None,
    today: date | None = None,
) -> Objection:
    """The committee's decision on an objection, within the decision window.

    Upheld, it changes the roll: an omitted person is added with the next number (the
    checks of :func:`huanjie.voters.supplementary.admit`; ``group`` and ``stated``
    serve when the records do not say them), a wrongly listed line is removed, wrong
    details are corrected (the name: ``corrected_name``). Each change is audited.
    """
    place = objection.place
    permissions.require(user, permissions.REGISTER_VOTERS, place)
    today = today or timezone.localdate()
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.status != Objection.Status.PENDING:
        raise RuleViolation(
            _("This objection was decided on %(day)s.") % {"day": objection.decided_on.isoformat()}
        )
    if decided_on > today:
        raise RuleViolation(_("A decision cannot be dated in the future."))
    window = decision_window(objection)
    if not window.contains(decided_on):
        raise RuleViolation(
            _(
                "An objection received on %(filed)s is decided by %(last)s (DOMAIN §3, "
                "§12); %(day)s is outside that window."
            )
            % {
                "filed": objection.filed_on.isoformat(),
                "last": window.last.isoformat(),
                "day": decided_on.isoformat(),
            }
        )
    decision_text = decision_text.strip()
    if not decision_text:
        raise RuleViolation(_("Write down the decision and its grounds."))
    before = objection_state(objection)
    if upheld:
        _apply(user, objection, corrected_name, group, stated, today)
    objection.status = Objection.Status.UPHELD if upheld else Objection.Status.REJECTED
    objection.decision = decision_text
    objection.decided_on = decided_on
    objection.decided_by = user
    objection.save()
    record(
        user,
        "voters.objection_decided",
        objection,
        before=before,
        after=objection_state(objection),
        place=place,
    )
    return objection


def _apply(user, objection, corrected_name, group, stated, today) -> None:
    """Change the roll as an upheld objection says."""
    place, cycle = objection.place, objection.cycle
    if objection.kind == Objection.Kind.OMITTED:
        objection.voter = supplementary.admit(
            user,
            cycle,
            place,
            id_number=objection.subject_id_number,
            name=objection.subject_name,
            source=Voter.Source.OBJECTION,
            group=group,
            note=f"申诉成立，予以登记（{objection.filed_on.isoformat()}受理）",
            stated=stated,
            today=today,
        )
        return
    voter = Voter.objects.select_for_update().get(pk=objection.voter_id)
    before = supplementary.voter_state(voter)
    if objection.kind == Objection.Kind.WRONGLY_LISTED:
        if voter.status != Voter.Status.LISTED:
            raise RuleViolation(_("%(name)s is no longer on the list.") % {"name": voter.name})
        voter.status = Voter.Status.REMOVED
        action = "voters.voter_removed"
    else:
        corrected_name = corrected_name.strip()
        if not corrected_name or corrected_name == voter.name:
            raise RuleViolation(_("Give the corrected name."))
        voter.name = corrected_name
        voter.name_initials = rolls.initials(corrected_name)
        action = "voters.voter_corrected"
    voter.save()
    record(user, action, voter, before=before, after=supplementary.voter_state(voter), place=place)


def pending(cycle, place):
    return Objection.objects.filter(cycle=cycle, place=place, status=Objection.Status.PENDING)
