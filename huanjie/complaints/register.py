"""The register of complaints and reports (信访/举报台账, DOMAIN §10).

A complaint is registered with what it is about (one of the eight prohibitions or the
work), the day and the way it was received, who sent it (it may be anonymous) and a
summary; its answer deadline follows from the day received
(:func:`huanjie.rules.complaints.answer_deadline`). It is then handled in steps, each
with its day and who did it, may be referred up (to the county office, then the county
leading group), and is closed with its outcome and, when found true, the measures.

Who may do what: see :mod:`huanjie.complaints.fields`.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from huanjie.accounts import permissions
from huanjie.audit.trail import record
from huanjie.complaints.fields import (
    HANDLE,
    NAME_MAX,
    REGISTER,
    SUMMARY_MAX,
    check_place,
    choice,
    text,
    who,
)
from huanjie.complaints.models import Complaint, ComplaintStep
from huanjie.cycles.services import RuleViolation
from huanjie.cycles.timeline import localized
from huanjie.rules import complaints as rules

#: The ladder a complaint is referred up: the township office has it first.
REFERRALS: tuple[rules.Recipient, ...] = (
    rules.Recipient.TOWNSHIP_OFFICE,
    rules.Recipient.COUNTY_OFFICE,
    rules.Recipient.COUNTY_GROUP,
)

STATES = ("open", "overdue", "closed")


def state_of(c: Complaint) -> dict:
    """A complaint for the audit trail."""
    return {
        "number": c.number,
        "place": c.place.code,
        "type": c.type,
        "received_on": c.received_on.isoformat(),
        "channel": c.channel,
        "complainant": c.complainant,
        "summary": c.summary,
        "deadline": c.deadline.isoformat(),
        "escalated_to": c.escalated_to,
        "outcome": c.outcome,
        "measures": c.measures,
        "closed_on": c.closed_on.isoformat() if c.closed_on else None,
    }


def state(c: Complaint, today: date) -> str:
    """open, overdue or closed."""
    if c.is_closed:
        return "closed"
    return "overdue" if rules.is_overdue(c.deadline, today) else "open"


# -- checks -------------------------------------------------------------------------------


def _refuse_errors(found) -> None:
    errors = [f for f in found if f.is_error]
    if errors:
        raise RuleViolation("；".join(localized(f.message_zh, f.message_en) for f in errors))


def _require_open(c: Complaint) -> None:
    if c.is_closed:
        raise RuleViolation(
            _("Complaint no. %(number)s is closed: reopen it first.") % {"number": c.number}
        )


def _step_day(c: Complaint, on: date | None, today: date) -> date:
    on = on or today
    if on > today:
        raise RuleViolation(_("The day of a step cannot be in the future."))
    if on < c.received_on:
        raise RuleViolation(
            _("The day of a step cannot come before the day received (%(day)s).")
            % {"day": c.received_on.isoformat()}
        )
    return on


# -- changes ------------------------------------------------------------------------------


@transaction.atomic
def register_complaint(
    user,
    cycle,
    place,
    *,
    type: str,
    received_on: date,
    channel: str,
    summary: str,
    complainant: str = "",
    answer_days: int = rules.ANSWER_DAYS,
    today: date | None = None,
) -> Complaint:
    """Register a complaint (``complaints.register``), numbered next in the cycle, with
    its answer deadline ``answer_days`` after the day received."""
    permissions.require(user, REGISTER, place)
    check_place(cycle, place)
    today = today or timezone.localdate()
    kind = choice(rules.ComplaintType, type, _("Type"))
    how = choice(rules.Channel, channel, _("Channel"))
    summary = text(summary, _("Summary"), SUMMARY_MAX, required=True)
    complainant = text(complainant, _("From"), NAME_MAX, required=False)
    if received_on is None:
        raise RuleViolation(_("Give the day the complaint was received."))
    _refuse_errors(rules.check_complaint(received_on, today, complainant=complainant))
    last = Complaint.objects.filter(cycle=cycle).aggregate(n=Max("number"))["n"] or 0
    complaint = Complaint.objects.create(
        cycle=cycle,
        place=place,
        number=last + 1,
        type=kind.value,
        received_on=received_on,
        channel=how.value,
        complainant=complainant,
        summary=summary,
        deadline=rules.answer_deadline(received_on, answer_days),
        registered_by=user,
    )
    record(user, "complaints.register", complaint, after=state_of(complaint), place=place)
    return complaint


#: The fields of a complaint that may be corrected after it is registered.
CORRECTABLE = ("type", "channel", "complainant", "summary")


@transaction.atomic
def change_complaint(user, complaint: Complaint, **changes) -> Complaint:
    """Correct what was registered — type, channel, from whom, summary
    (``complaints.change``). The day received and the deadline stay what the person
    was told."""
    permissions.require(user, HANDLE, complaint.place)
    unknown = set(changes) - set(CORRECTABLE)
    if unknown:
        raise RuleViolation(_("Unknown field: %(field)s") % {"field": sorted(unknown)[0]})
    before = state_of(complaint)
    if "type" in changes:
        complaint.type = choice(rules.ComplaintType, changes["type"], _("Type")).value
    if "channel" in changes:
        complaint.channel = choice(rules.Channel, changes["channel"], _("Channel")).value
    if "complainant" in changes:
        complaint.complainant = text(changes["complainant"], _("From"), NAME_MAX, required=False)
    if "summary" in changes:
        complaint.summary = text(changes["summary"], _("Summary"), SUMMARY_MAX, required=True)
    after = state_of(complaint)
    if after == before:
        raise RuleViolation(_("The change changes nothing."))
    complaint.save()
    record(user, "complaints.change", complaint, before=before, after=after, place=complaint.place)
    return complaint


def _add_step(user, complaint, kind, on, action, by) -> ComplaintStep:
    return ComplaintStep.objects.create(
        complaint=complaint,
        kind=kind,
        on=on,
        action=action,
        by=text(by, _("By"), NAME_MAX, required=False) or who(user),
        user=user if user is not None and user.is_authenticated else None,
    )


@transaction.atomic
def add_step(
    user, complaint: Complaint, action: str, *, on: date | None = None, by: str = "", today=None
) -> ComplaintStep:
    """Record a step of the handling: what was done, on which day, by whom
    (``complaints.step``)."""
    permissions.require(user, HANDLE, complaint.place)
    _require_open(complaint)
    today = today or timezone.localdate()
    action = text(action, _("Action"), SUMMARY_MAX, required=True)
    step = _add_step(
        user, complaint, ComplaintStep.Kind.ACTION, _step_day(complaint, on, today), action, by
    )
    record(
        user,
        "complaints.step",
        complaint,
        after={"on": step.on.isoformat(), "action": step.action, "by": step.by},
        place=complaint.place,
    )
    return step


def next_referral(complaint: Complaint) -> rules.Recipient | None:
    """Whom the complaint goes to if referred up now; None when it is at the top."""
    current = rules.Recipient(complaint.escalated_to or rules.Recipient.TOWNSHIP_OFFICE)
    index = REFERRALS.index(current)
    return REFERRALS[index + 1] if index + 1 < len(REFERRALS) else None


def refer(user, complaint, on: date, note: str) -> ComplaintStep:
    """Refer an open complaint to the next on the ladder, recorded as a step and in the
    audit trail (``complaints.escalate``); the caller checks who may."""
    to = next_referral(complaint)
    if to is None:
        raise RuleViolation(
            _("Complaint no. %(number)s is already with the county leading group.")
            % {"number": complaint.number}
        )
    before = {"escalated_to": complaint.escalated_to}
    complaint.escalated_to = to.value
    complaint.save(update_fields=["escalated_to"])
    action = localized(f"转报{to.title_zh}", f"referred to the {to.title_en}")
    if note:
        action = f"{action}: {note}"
    step = _add_step(user, complaint, ComplaintStep.Kind.ESCALATED, on, action, "")
    record(
        user,
        "complaints.escalate",
        complaint,
        before=before,
        after={"escalated_to": to.value, "note": note},
        place=complaint.place,
    )
    return step


@transaction.atomic
def escalate_complaint(user, complaint: Complaint, note: str = "", *, today=None) -> ComplaintStep:
    """Refer the complaint one step up: to the county office, then the county leading
    group (``complaints.escalate``)."""
    permissions.require(user, HANDLE, complaint.place)
    _require_open(complaint)
    note = text(note, _("Note"), SUMMARY_MAX, required=False)
    return refer(user, complaint, today or timezone.localdate(), note)


@transaction.atomic
def close_complaint(
    user,
    complaint: Complaint,
    outcome: str,
    measures: str = "",
    *,
    closed_on: date | None = None,
    today: date | None = None,
) -> Complaint:
    """Close the complaint with its outcome and, when found true even in part, the
    measures taken (``complaints.close``)."""
    permissions.require(user, HANDLE, complaint.place)
    _require_open(complaint)
    today = today or timezone.localdate()
    closed_on = closed_on or today
    found = choice(rules.Outcome, outcome, _("Outcome"))
    measures = text(measures, _("Measures"), SUMMARY_MAX, required=False)
    _refuse_errors(
        rules.check_complaint(
            complaint.received_on,
            today,
            complainant=complaint.complainant,
            closed_on=closed_on,
            outcome=found,
            measures=measures,
        )
    )
    before = state_of(complaint)
    complaint.outcome = found.value
    complaint.measures = measures
    complaint.closed_on = closed_on
    complaint.save()
    action = localized(f"办结：{found.title_zh}", f"closed: {found.title_en}")
    _add_step(user, complaint, ComplaintStep.Kind.CLOSED, closed_on, action, "")
    record(
        user,
        "complaints.close",
        complaint,
        before=before,
        after=state_of(complaint),
        place=complaint.place,
    )
    return complaint


@transaction.atomic
def reopen_complaint(user, complaint: Complaint, reason: str, *, today=None) -> Complaint:
    """Open a closed complaint again, with the reason (``complaints.reopen``): its
    outcome is cleared and its handling goes on; the deadline stays."""
    permissions.require(user, HANDLE, complaint.place)
    if not complaint.is_closed:
        raise RuleViolation(_("Complaint no. %(number)s is open.") % {"number": complaint.number})
    reason = text(reason, _("Reason"), SUMMARY_MAX, required=True)
    before = state_of(complaint)
    complaint.outcome = ""
    complaint.measures = ""
    complaint.closed_on = None
    complaint.save()
    on = max(today or timezone.localdate(), complaint.received_on)
    _add_step(
        user,
        complaint,
        ComplaintStep.Kind.ACTION,
        on,
        localized(f"重新办理：{reason}", f"reopened: {reason}"),
        "",
    )
    record(
        user,
        "complaints.reopen",
        complaint,
        before=before,
        after=state_of(complaint) | {"reason": reason},
        place=complaint.place,
    )
    return complaint


# -- reading ------------------------------------------------------------------------------


def complaints_within(cycle, place):
    """The complaints of the cycle at ``place`` and everything below it."""
    return Complaint.objects.filter(
        cycle=cycle, place__code__startswith=place.prefix
    ).select_related("place")


def search(found, *, q="", type="", state="", township=None, overdue=False, today=None):
    """Narrow complaints by the register's filters: ``q`` a part of the summary, of who
    sent it or of the place's name, or the number; ``type``; ``state`` open, overdue or
    closed; ``township`` a place (its complaints and those below); ``overdue``
    those answered late or not yet answered past the deadline."""
    today = today or timezone.localdate()
    q = (q or "").strip()
    if q:
        match = Q(summary__contains=q) | Q(complainant__contains=q) | Q(place__name__contains=q)
        if q.isdigit():
            match |= Q(number=int(q))
        found = found.filter(match)
    if type in rules.ComplaintType._value2member_map_:
        found = found.filter(type=type)
    if state == "open":
        found = found.filter(closed_on__isnull=True)
    elif state == "overdue":
        found = found.filter(closed_on__isnull=True, deadline__lt=today)
    elif state == "closed":
        found = found.filter(closed_on__isnull=False)
    if township is not None:
        found = found.filter(place__code__startswith=township.prefix)
    if overdue:
        found = found.filter(
            Q(closed_on__isnull=True, deadline__lt=today)
            | Q(closed_on__isnull=False, closed_on__gt=F("deadline"))
        )
    return found
