"""The delegate congress (党员代表大会) of a party election (DOMAIN §2 item 3, §8;
seed 003): the upper level's approval with the number of delegates and the guiding
shares, the electoral units with their seats, the delegate candidates of each unit,
each unit's vote, the composition of the elected, the review of their credentials
(代表资格审查), and the congress itself — a Meeting of kind CONGRESS whose due list is
:func:`seated`.

The rules are :mod:`huanjie.rules.congress`; this module reads the roster, checks who
may act where, and records every change in the audit trail.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huanjie.accounts import permissions
from huanjie.audit.snapshot import snapshot
from huanjie.audit.trail import record
from huanjie.cycles.profiles import effective_profile
from huanjie.cycles.services import RuleViolation
from huanjie.cycles.timeline import localized
from huanjie.party.due import roster_of
from huanjie.party.models import Congress, Delegate, Meeting, Member, Unit
from huanjie.rules import congress as rules
from huanjie.rules import members as member_rules
from huanjie.rules.findings import Finding
from huanjie.rules.identity import age_on
from huanjie.rules.seats import Body
from huanjie.rules.tally import majority

CONGRESS_FIELDS = ("approved_on", "approval_reference", "delegates", "scattered", "targets")


# Reading


def of(election) -> Congress | None:
    """The congress approved for ``election``, or None."""
    return Congress.objects.filter(election=election).first()


def require(election) -> Congress:
    found = of(election)
    if found is None:
        raise RuleViolation(_("No delegate congress has been approved for this election."))
    return found


def home_unit(member: Member) -> str:
    """The electoral unit of a member: their branch or party group (Member.cell), or
    the organisation itself when none is recorded."""
    return member.cell.strip() or member.organisation.name


def unit_due(election, unit: Unit) -> int:
    """The members of ``unit`` with a vote: those due at its members' meeting."""
    return sum(
        member_rules.has_vote(m.as_rule()) for m in roster_of(election) if home_unit(m) == unit.name
    )


def unit_members(election) -> dict[str, int]:
    """Members of each electoral unit, by unit name."""
    return dict(sorted(Counter(home_unit(m) for m in roster_of(election)).items()))


def seated(election) -> list[Member]:
    """The delegates who sit at the congress: elected by their unit and with their
    credentials confirmed (代表资格审查). The due list of a Meeting of kind CONGRESS."""
    return [
        d.member
        for d in Delegate.objects.filter(
            unit__congress__election=election,
            elected=True,
            review=Delegate.Review.CONFIRMED,
        )
        .select_related("member__resident", "member__organisation")
        .order_by("unit__name", "id")
    ]


def candidates(unit: Unit) -> list[Delegate]:
    return list(unit.delegates.select_related("member__resident", "member__organisation"))


def elected(election) -> list[Delegate]:
    return list(
        Delegate.objects.filter(unit__congress__election=election, elected=True)
        .select_related("member__resident", "member__organisation", "unit")
        .order_by("unit__name", "id")
    )


def targets_of(congress: Congress) -> rules.CompositionTargets:
    return rules.CompositionTargets.from_json(congress.targets)


def as_rules(delegate: Delegate, day: date) -> rules.Delegate:
    member = delegate.member
    return rules.Delegate(
        id=delegate.pk,
        member=member.as_rule(),
        unit=delegate.unit.name,
        home_unit=home_unit(member),
        elected=delegate.elected,
        sex=member.resident.sex,
        age=age_on(member.resident.birth_date, day),
        cadre=member.cadre,
        front_line=member.front_line,
    )


def congress_findings(election) -> list[Finding]:
    """Whether the organisation may hold a congress (500+ members, approval)."""
    found = of(election)
    return rules.check_congress(
        roster_of(election).count(),
        scattered=found is not None and found.scattered,
        approved=found is not None,
    )


def unit_findings(election, unit: Unit) -> list[Finding]:
    """Enough candidates for the unit's seats (20% more)."""
    profile = effective_profile(election.cycle, election.place)
    return rules.check_candidates(unit.name, unit.seats, unit.delegates.count(), profile)


def ties(unit: Unit) -> list[Delegate]:
    """Candidates of a voted unit tied across its last seat, for a re-vote."""
    voted = [d for d in candidates(unit) if d.votes is not None]
    if not voted:
        return []
    _elected, tied = rules.cut_off(
        {d.pk: d.votes for d in voted},
        unit.seats,
        majority(unit_due(unit.congress.election, unit)),
    )
    return [d for d in voted if d.pk in tied]


def composition(election) -> list[Finding]:
    """The elected delegates against the congress's guiding shares."""
    congress = of(election)
    if congress is None:
        return []
    day = election.election_day
    return rules.check_composition(
        [as_rules(d, day) for d in elected(election)], targets_of(congress)
    )


def credentials(delegate: Delegate, election) -> list[Finding]:
    return rules.check_credentials(as_rules(delegate, election.election_day))


def all_reviewed(election) -> bool:
    """Every unit has voted and every elected delegate has been reviewed."""
    congress = of(election)
    if congress is None:
        return False
    units = list(congress.units.all())
    if not units or any(ties(u) or not _voted(u) for u in units):
        return False
    chosen = elected(election)
    return bool(chosen) and all(d.review != Delegate.Review.PENDING for d in chosen)


def _voted(unit: Unit) -> bool:
    return unit.delegates.filter(votes__isnull=False).exists()


def congress_meeting(election) -> Meeting | None:
    return (
        Meeting.objects.filter(election=election, kind=Meeting.Kind.CONGRESS)
        .order_by("-held_on", "-id")
        .first()
    )


# Changing


def _party_election(election) -> None:
    if election.body != Body.PARTY_COMMITTEE:
        raise RuleViolation(_("A delegate congress elects a party committee."))


def _no_candidates(congress: Congress) -> None:
    if Delegate.objects.filter(unit__congress=congress).exists():
        raise RuleViolation(
            _("Delegate candidates have been put forward: the seats can no longer change.")
        )


def _build_units(congress: Congress, election) -> dict[str, int]:
    """(Re)create the units from the roster with their allocated seats."""
    counts = unit_members(election)
    if not counts:
        raise RuleViolation(_("%(place)s has no party members.") % {"place": election.place.name})
    if congress.delegates < len(counts):
        raise RuleViolation(
            _("%(delegates)d delegates cannot give each of the %(units)d units one delegate.")
            % {"delegates": congress.delegates, "units": len(counts)}
        )
    seats = rules.allocate(counts, congress.delegates)
    congress.units.all().delete()
    Unit.objects.bulk_create(
        Unit(congress=congress, name=name, members=counts[name], seats=seats[name])
        for name in counts
    )
    return seats


@transaction.atomic
def approve(
    user,
    election,
    *,
    approved_on: date,
    reference: str = "",
    delegates: int,
    scattered: bool = False,
    targets: rules.CompositionTargets | None = None,
    today: date | None = None,
) -> Congress:
    """Record the upper level's approval of a congress (with its number of delegates
    and guiding shares) and allocate the seats among the units. Changed again while
    no delegate candidate has been put forward."""
    permissions.require(user, permissions.APPROVE_PARTY, election.place)
    _party_election(election)
    if approved_on > (today or timezone.localdate()):
        raise RuleViolation(_("%(day)s is in the future.") % {"day": approved_on.isoformat()})
    if delegates < 1:
        raise RuleViolation(_("The number of delegates must be at least 1."))
    congress = of(election)
    before = snapshot(congress, CONGRESS_FIELDS) if congress else None
    if congress is None:
        congress = Congress(election=election, user=user)
    else:
        _no_candidates(congress)
    congress.approved_on = approved_on
    congress.approval_reference = reference.strip()
    congress.delegates = delegates
    congress.scattered = scattered
    congress.targets = (targets or rules.CompositionTargets()).as_json()
    congress.save()
    seats = _build_units(congress, election)
    record(
        user,
        "party.congress_approve",
        congress,
        before=before,
        after={**snapshot(congress, CONGRESS_FIELDS), "seats": seats},
        place=election.place,
    )
    return congress


@transaction.atomic
def reallocate(user, election) -> dict[str, int]:
    """Build the units again from the roster as it is now (members moved or added),
    while no delegate candidate has been put forward."""
    permissions.require(user, permissions.RUN_PARTY, election.place)
    congress = require(election)
    _no_candidates(congress)
    before = {u.name: u.seats for u in congress.units.all()}
    seats = _build_units(congress, election)
    record(
        user,
        "party.congress_reallocate",
        congress,
        before={"seats": before},
        after={"seats": seats},
        place=election.place,
    )
    return seats


def unit_of(election, unit_id: int) -> Unit:
    unit = Unit.objects.filter(pk=unit_id, congress__election=election).first()
    if unit is None:
        raise RuleViolation(_("That unit is not one of this congress."))
    return unit


def find_member(election, unit: Unit, text: str) -> Member:
    """The member of ``unit`` that ``text`` names (ID number or name)."""
    text = text.strip()
    if not text:
        raise RuleViolation(_("Give the candidate's name or ID number."))
    found = [
        m
        for m in roster_of(election)
        if home_unit(m) == unit.name
        and (m.resident.name == text or m.resident.id_number == text.upper())
    ]
    if not found:
        raise RuleViolation(
            _("%(text)s is not a party member of %(unit)s.") % {"text": text, "unit": unit.name}
        )
    if len(found) > 1:
        raise RuleViolation(
            _("Several members are called %(text)s: give the ID number.") % {"text": text}
        )
    return found[0]


def _not_voted(unit: Unit) -> None:
    if _voted(unit):
        raise RuleViolation(
            _("%(unit)s has voted: its candidates can no longer change.") % {"unit": unit.name}
        )


@transaction.atomic
def add_candidate(user, election, unit: Unit, text: str) -> Delegate:
    """Put forward a member of ``unit`` with a vote as one of its delegate candidates."""
    permissions.require(user, permissions.RUN_PARTY, election.place)
    require(election)
    unit = unit_of(election, unit.pk)
    _not_voted(unit)
    member = find_member(election, unit, text)
    reason = member_rules.no_vote_reason(member.as_rule())
    if reason is not None:
        raise RuleViolation(
            _("%(name)s has no vote and cannot be a delegate (DOMAIN §8).")
            % {"name": member.resident.name}
        )
    if unit.delegates.filter(member=member).exists():
        raise RuleViolation(
            _("%(name)s is already a candidate of %(unit)s.")
            % {"name": member.resident.name, "unit": unit.name}
        )
    delegate = Delegate.objects.create(unit=unit, member=member, user=user)
    record(
        user,
        "party.delegate_candidate",
        delegate,
        after={"unit": unit.name, "member": member.resident.name},
        place=election.place,
    )
    return delegate


@transaction.atomic
def remove_candidate(user, election, delegate_id: int) -> None:
    permissions.require(user, permissions.RUN_PARTY, election.place)
    delegate = _delegate(election, delegate_id)
    _not_voted(delegate.unit)
    record(
        user,
        "party.delegate_candidate_remove",
        delegate,
        before={"unit": delegate.unit.name, "member": delegate.member.resident.name},
        place=election.place,
    )
    delegate.delete()


def _delegate(election, delegate_id: int) -> Delegate:
    delegate = (
        Delegate.objects.filter(pk=delegate_id, unit__congress__election=election)
        .select_related("unit", "member__resident", "member__organisation")
        .first()
    )
    if delegate is None:
        raise RuleViolation(_("That delegate is not one of this congress."))
    return delegate


@transaction.atomic
def record_result(user, election, unit: Unit, votes: Mapping[int, int]) -> list[Delegate]:
    """Record the votes of each candidate of ``unit`` (delegate id → votes): the
    candidates with the most votes are elected up to the unit's seats. Candidates tied
    across the last seat are not elected; the page reports them for a re-vote, whose
    votes are recorded again the same way. Recorded again until a delegate of the unit
    has been reviewed. Returns the elected."""
    permissions.require(user, permissions.RUN_PARTY, election.place)
    require(election)
    unit = unit_of(election, unit.pk)
    standing = candidates(unit)
    blocking = unit_findings(election, unit)
    if blocking:
        raise RuleViolation(localized(blocking[0].message_zh, blocking[0].message_en))
    if any(d.review != Delegate.Review.PENDING for d in standing):
        raise RuleViolation(
            _("Delegates of %(unit)s have been reviewed: its result can no longer change.")
            % {"unit": unit.name}
        )
    ids = {d.pk for d in standing}
    unknown = set(votes) - ids
    if unknown:
        raise RuleViolation(_("Votes given for someone who is not a candidate of this unit."))
    for d in standing:
        if d.pk not in votes:
            raise RuleViolation(
                _("The votes of %(name)s are missing.") % {"name": d.member.resident.name}
            )
        if votes[d.pk] < 0:
            raise RuleViolation(
                _("The votes of %(name)s cannot be negative.") % {"name": d.member.resident.name}
            )
    before = {d.member.resident.name: [d.votes, d.elected] for d in standing}
    needed = majority(unit_due(election, unit))
    chosen, _tied = rules.cut_off({d.pk: votes[d.pk] for d in standing}, unit.seats, needed)
    for d in standing:
        d.votes = votes[d.pk]
        d.elected = d.pk in chosen
        d.save(update_fields=["votes", "elected"])
    record(
        user,
        "party.delegate_result",
        unit,
        before=before,
        after={d.member.resident.name: [d.votes, d.elected] for d in standing},
        place=election.place,
    )
    return [d for d in standing if d.elected]


@transaction.atomic
def review(user, election, delegate_id: int, *, confirmed: bool, note: str = "") -> Delegate:
    """The credentials review of an elected delegate (代表资格审查): confirmed, or
    refused with a note saying why. A delegate whose credentials fail the rules
    (no vote, another unit) cannot be confirmed."""
    permissions.require(user, permissions.RUN_PARTY, election.place)
    require(election)
    delegate = _delegate(election, delegate_id)
    if not delegate.elected:
        raise RuleViolation(
            _("%(name)s has not been elected: only elected delegates are reviewed.")
            % {"name": delegate.member.resident.name}
        )
    note = note.strip()
    if confirmed:
        problems = credentials(delegate, election)
        if problems:
            raise RuleViolation(localized(problems[0].message_zh, problems[0].message_en))
    elif not note:
        raise RuleViolation(_("Say why the credentials are refused."))
    if congress_meeting(election) is not None:
        raise RuleViolation(_("The congress has been called: the review can no longer change."))
    before = {"review": delegate.review, "note": delegate.review_note}
    delegate.review = Delegate.Review.CONFIRMED if confirmed else Delegate.Review.REFUSED
    delegate.review_note = note
    delegate.reviewed_at = timezone.now()
    delegate.save(update_fields=["review", "review_note", "reviewed_at"])
    record(
        user,
        "party.delegate_review",
        delegate,
        before=before,
        after={"review": delegate.review, "note": note, "member": delegate.member.resident.name},
        place=election.place,
    )
    return delegate


@transaction.atomic
def call(user, election, *, held_on: date, venue: str = "") -> Meeting:
    """Call the congress: a Meeting of kind CONGRESS (through
    :func:`huanjie.party.meetings.call`, which records it), whose due list is
    :func:`seated`. Only when every unit has voted without a tie and every elected
    delegate has been reviewed, and once."""
    from huanjie.party import meetings

    permissions.require(user, permissions.RUN_PARTY, election.place)
    require(election)
    if congress_meeting(election) is not None:
        raise RuleViolation(_("The congress has been called already."))
    if not all_reviewed(election):
        raise RuleViolation(
            _("Every unit must have elected its delegates and every delegate been reviewed.")
        )
    if not seated(election):
        raise RuleViolation(_("No delegate's credentials have been confirmed."))
    return meetings.call(user, election, held_on, venue, kind=Meeting.Kind.CONGRESS)
