"""Members left out of the due number of a party election (不计入应到会人数, DOMAIN §8).

A member with a vote in one of five situations (:class:`huanjie.rules.members.
Exclusion`) may be left out of those due to attend, and so of the base of the quorum
and of the majority, with three approvals: the branch committee's decision
(支部委员会研究决定), the upper level's consent (上级党组织同意 — the township or the
county, which alone may record it) and the members' meeting's approval (党员大会通过).
Going abroad or away counts only from six months by the day of the meeting.

A leave is recorded as the approvals come, each with its day; it counts only once it
passes every check (:func:`huanjie.party.due.leave_findings`). Once the vote is open
the due number it gave is the poll's, and the leaves no longer change.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huanjie.accounts import permissions
from huanjie.audit.trail import record
from huanjie.cycles.services import RuleViolation
from huanjie.party.due import roster_of
from huanjie.party.models import Leave, Member
from huanjie.polling.models import Poll
from huanjie.rules.members import Exclusion
from huanjie.rules.seats import Body

#: The three approvals: field, who records them, and their names.
APPROVALS = (
    ("branch_decided_on", permissions.RUN_PARTY),
    ("upper_level_agreed_on", permissions.APPROVE_PARTY),
    ("meeting_approved_on", permissions.RUN_PARTY),
)


def require_party(election) -> None:
    if election.body != Body.PARTY_COMMITTEE:
        raise RuleViolation(
            _("%(election)s is not a party election: nobody is left out of its due number.")
            % {"election": election}
        )


def require_not_voting(election) -> None:
    """The due number is fixed once the first vote is open."""
    if Poll.objects.filter(election=election).exists():
        raise RuleViolation(
            _(
                "The vote of %(election)s is open: the due number it was opened with "
                "stands, and the leaves no longer change."
            )
            % {"election": election}
        )


def state_of(leave: Leave) -> dict:
    """A leave for the audit trail."""
    return {
        "member": leave.member_id,
        "name": leave.member.resident.name,
        "reason": leave.reason,
        "since": leave.since.isoformat() if leave.since else None,
        **{
            name: getattr(leave, name).isoformat() if getattr(leave, name) else None
            for name, _capability in APPROVALS
        },
        "note": leave.note,
    }


def _approval_labels() -> dict[str, str]:
    return {
        "branch_decided_on": _("the branch's decision"),
        "upper_level_agreed_on": _("the upper level's consent"),
        "meeting_approved_on": _("the meeting's approval"),
    }


def _require_approvals(user, election, names) -> None:
    """Each approval recorded needs the capability of whoever gives it: the upper
    level's consent is the township's or the county's (403 for anyone else)."""
    needs = dict(APPROVALS)
    for name in names:
        if not permissions.can(user, needs[name], election.place):
            raise PermissionDenied


def _clean(values: dict, today: date) -> dict:
    """Check the situation, the days and their order; the values as stored."""
    try:
        reason = Exclusion(values.get("reason"))
    except ValueError:
        raise RuleViolation(_("Choose one of the five situations (DOMAIN §8).")) from None
    since = values.get("since")
    if reason.needs_months and since is None:
        raise RuleViolation(
            _("Give the day since when the member is abroad or away: it counts from six months.")
        )
    if since is not None and since > today:
        raise RuleViolation(_("The day since when cannot be in the future."))
    labels = _approval_labels()
    last = None
    for name, _capability in APPROVALS:
        day = values.get(name)
        if day is None:
            continue
        if day > today:
            raise RuleViolation(
                _("The day of %(approval)s cannot be in the future.") % {"approval": labels[name]}
            )
        if last is not None and day < last[1]:
            raise RuleViolation(
                _("%(approval)s (%(day)s) cannot come before %(earlier)s (%(earlier_day)s).")
                % {
                    "approval": labels[name],
                    "day": day.isoformat(),
                    "earlier": labels[last[0]],
                    "earlier_day": last[1].isoformat(),
                }
            )
        last = (name, day)
    note = (values.get("note") or "").strip()
    if len(note) > 200:
        raise RuleViolation(_("The note is at most 200 characters."))
    return {
        "reason": reason.value,
        "since": since,
        **{name: values.get(name) for name, _capability in APPROVALS},
        "note": note,
    }


@transaction.atomic
def record_leave(
    user,
    election,
    member: Member,
    reason: str,
    *,
    since: date | None = None,
    branch_decided_on: date | None = None,
    upper_level_agreed_on: date | None = None,
    meeting_approved_on: date | None = None,
    note: str = "",
    today: date | None = None,
) -> Leave:
    """Record that ``member`` is left out of the due number of ``election`` for
    ``reason``, with the approvals given so far (``party.leave``).

    Refused for an election other than a party one, a member of another place, a
    second leave of the same member, a day in the future, approvals out of order, and
    once the vote is open; the upper level's consent only by those who may give it
    (403 otherwise).
    """
    permissions.require(user, permissions.RUN_PARTY, election.place)
    require_party(election)
    require_not_voting(election)
    if not roster_of(election).filter(pk=member.pk).exists():
        raise RuleViolation(
            _("%(name)s is not a member of the party organisation of %(place)s.")
            % {"name": member.resident.name, "place": election.place.name}
        )
    if Leave.objects.filter(election=election, member=member).exists():
        raise RuleViolation(
            _("%(name)s is already left out of the due number: change that leave instead.")
            % {"name": member.resident.name}
        )
    given = {
        "reason": reason,
        "since": since,
        "branch_decided_on": branch_decided_on,
        "upper_level_agreed_on": upper_level_agreed_on,
        "meeting_approved_on": meeting_approved_on,
        "note": note,
    }
    _require_approvals(user, election, [n for n, _c in APPROVALS if given[n] is not None])
    values = _clean(given, today or timezone.localdate())
    leave = Leave.objects.create(election=election, member=member, user=user, **values)
    record(user, "party.leave", leave, after=state_of(leave), place=election.place)
    return leave


@transaction.atomic
def change_leave(user, leave: Leave, *, today: date | None = None, **changes) -> Leave:
    """Change a leave: its situation, since-day, note or approvals (``party.leave_change``).
    Each field given replaces the one recorded (``None`` clears a day); an approval
    recorded or changed needs the capability that gives it."""
    election = leave.election
    permissions.require(user, permissions.RUN_PARTY, election.place)
    require_not_voting(election)
    known = {"reason", "since", "note", *(name for name, _c in APPROVALS)}
    unknown = set(changes) - known
    if unknown:
        raise RuleViolation(_("Unknown field: %(field)s") % {"field": sorted(unknown)[0]})
    before = state_of(leave)
    current = {name: getattr(leave, name) for name in known}
    _require_approvals(
        user, election, [n for n, _c in APPROVALS if n in changes and changes[n] != current[n]]
    )
    values = _clean({**current, **changes}, today or timezone.localdate())
    for name, value in values.items():
        setattr(leave, name, value)
    after = state_of(leave)
    if after == before:
        raise RuleViolation(_("The change changes nothing."))
    leave.save()
    record(user, "party.leave_change", leave, before=before, after=after, place=election.place)
    return leave


@transaction.atomic
def withdraw_leave(user, leave: Leave, reason: str) -> None:
    """Withdraw a leave, with the reason (``party.leave_withdraw``): the member is due
    to attend again."""
    election = leave.election
    permissions.require(user, permissions.RUN_PARTY, election.place)
    require_not_voting(election)
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_("Say why the leave is withdrawn."))
    record(
        user,
        "party.leave_withdraw",
        leave,
        before=state_of(leave),
        after={"reason": reason[:200]},
        place=election.place,
    )
    leave.delete()
