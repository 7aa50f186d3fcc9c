"""两推一选: how the candidates of a party committee are found (DOMAIN §5.1, §8).

The members and the public recommend (党员推荐、群众推荐; both counts are kept); the
township committee then puts forward the candidates among the recommended, at least
20% more than the seats (§5.3); each is reviewed by the joint-review departments and
inspected (考察); the list is published for 5 days (公示, profile
``party_publicity_days``); the township asks for approval (请示) and approves (批复).
"没有经过组织考察、资格审查和公示的，不能列为候选人" (seed 004): each step waits for
the one before. After the approval the candidates are final.

Only full members of the place's party organisation who hold their rights can be
recommended: a probationary member, one under a probation sanction or one suspended
cannot be elected (§8).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huanjie.accounts import permissions
from huanjie.audit.snapshot import snapshot
from huanjie.audit.trail import record
from huanjie.candidates import roster
from huanjie.candidates.models import Candidate, Notice, Recommendation
from huanjie.cycles.profiles import effective_profile
from huanjie.cycles.services import RuleViolation
from huanjie.cycles.timeline import localized
from huanjie.party.models import Member
from huanjie.rules import nomination, slate, timeline
from huanjie.rules.seats import MEMBER, Body

RECOMMENDATION_FIELDS = (
    "held_on",
    "members_present",
    "public_present",
    "township_decided_on",
    "requested_on",
    "request_number",
    "approved_on",
    "approval_number",
)


def of(election) -> Recommendation | None:
    return Recommendation.objects.filter(election=election).first()


def require(election) -> Recommendation:
    found = of(election)
    if found is None:
        raise RuleViolation(_("The recommendation (两推) has not been recorded yet."))
    return found


def _party_election(election) -> None:
    if election.body != Body.PARTY_COMMITTEE:
        raise RuleViolation(_("两推一选 is the way of the party committee's candidates."))


def _not_future(day: date, today: date | None) -> None:
    if day > (today or timezone.localdate()):
        raise RuleViolation(_("%(day)s is in the future.") % {"day": day.isoformat()})


def eligible_member(election, text: str) -> Member:
    """The full member with rights of the place's party organisation that ``text``
    names (ID number or name)."""
    text = text.strip()
    members = Member.objects.filter(organisation__place=election.place).select_related("resident")
    if len(text) == 18:
        found = list(members.filter(resident__id_number=text.upper())[:2])
    else:
        found = list(members.filter(resident__name=text)[:2])
    if not found:
        raise RuleViolation(
            _("%(text)s is not a party member of %(place)s.")
            % {"text": text, "place": election.place.name}
        )
    if len(found) > 1:
        raise RuleViolation(
            _("Several members are called %(text)s: give the ID number.") % {"text": text}
        )
    member = found[0]
    if member.status != Member.Status.FULL or member.under_probation_sanction or member.suspended:
        raise RuleViolation(
            _(
                "%(name)s cannot be elected: only full members who hold their rights can "
                "(DOMAIN §8)."
            )
            % {"name": member.resident.name}
        )
    return member


def _state(rec) -> dict:
    return snapshot(rec, RECOMMENDATION_FIELDS)


@transaction.atomic
def hold(
    user,
    election,
    *,
    held_on: date,
    members_present: int,
    public_present: int,
    rows: list[tuple[str, int, int]],
    today: date | None = None,
) -> Recommendation:
    """Record the recommendation by the members and by the public: (person, members'
    votes, public votes) rows. Recorded again until the township has decided."""
    permissions.require(user, permissions.NOMINATE, election.place)
    _party_election(election)
    _not_future(held_on, today)
    rec = of(election)
    if rec is not None and rec.township_decided_on:
        raise RuleViolation(_("The township committee has decided on the recommendation."))
    if not rows:
        raise RuleViolation(_("Nobody has been recommended."))
    people = {}
    for number, (text, members, public) in enumerate(rows, 1):
        member = eligible_member(election, text)
        if member.resident_id in people:
            raise RuleViolation(
                _("Row %(row)d: %(name)s is given twice.")
                % {"row": number, "name": member.resident.name}
            )
        if members > members_present or public > public_present or min(members, public) < 0:
            raise RuleViolation(
                _("Row %(row)d: more votes than people taking part.") % {"row": number}
            )
        people[member.resident_id] = (members, public)
    before = _state(rec) if rec else None
    if rec is None:
        rec = Recommendation(election=election, user=user)
    rec.held_on, rec.members_present, rec.public_present = held_on, members_present, public_present
    rec.save()
    Candidate.objects.filter(election=election).delete()
    for resident_id, (members, public) in people.items():
        Candidate.objects.create(
            election=election,
            office=MEMBER.key,
            resident_id=resident_id,
            status=Candidate.Status.RECOMMENDED,
            source=Candidate.Source.RECOMMENDATION,
            member_votes=members,
            public_votes=public,
            votes=members + public,
        )
    record(
        user,
        "candidates.recommendation",
        rec,
        before=before,
        after=_state(rec) | {"people": {str(k): list(v) for k, v in people.items()}},
        place=election.place,
    )
    return rec


def needed(election) -> int:
    profile = effective_profile(election.cycle, election.place)
    return slate.candidates_needed(
        Body.PARTY_COMMITTEE, sum(roster.seats_of(election).values()), profile
    )


@transaction.atomic
def decide(user, election, *, decided_on: date, chosen: list[int], today=None) -> Recommendation:
    """The township committee's recommendation: the candidates (Candidate ids among the
    recommended), at least 20% more than the seats (DOMAIN §5.3)."""
    permissions.require(user, permissions.EDIT_ELECTIONS, election.place)
    rec = require(election)
    _not_future(decided_on, today)
    if rec.township_decided_on:
        raise RuleViolation(_("The township committee has decided on the recommendation."))
    if decided_on < rec.held_on:
        raise RuleViolation(_("The township committee decides after the recommendation."))
    pool = Candidate.objects.filter(election=election, status=Candidate.Status.RECOMMENDED)
    picked = list(pool.filter(id__in=chosen))
    if len(picked) != len(set(chosen)):
        raise RuleViolation(_("Choose among the people recommended."))
    if len(picked) < needed(election):
        raise RuleViolation(
            _(
                "The party committee needs at least %(n)d candidates (at least 20%% more "
                "than its seats, DOMAIN §5.3); %(have)d were chosen."
            )
            % {"n": needed(election), "have": len(picked)}
        )
    before = _state(rec)
    for candidate in picked:
        candidate.status = Candidate.Status.NOMINEE
        candidate.save(update_fields=["status"])
    rec.township_decided_on = decided_on
    rec.save()
    record(
        user,
        "candidates.township_decision",
        rec,
        before=before,
        after=_state(rec) | {"chosen": [c.resident_id for c in picked]},
        place=election.place,
    )
    return rec


def fill(user, election, *, replacing: Candidate | None = None) -> list[Candidate]:
    """Fill a place left by ``replacing`` with the next recommended person by votes
    (members' and public votes together); a tie is left to the township committee."""
    rec = of(election)
    if rec is None or not rec.township_decided_on or replacing is None:
        return []
    everyone = list(Candidate.objects.filter(election=election))
    votes = {c.resident_id: c.votes for c in everyone}
    out = {c.resident_id for c in everyone if not c.standing}
    on_slate = [c.resident_id for c in everyone if c.status in roster.STANDING]
    result = nomination.backfill(votes, [*on_slate, replacing.resident_id], out)
    added = []
    for _leaving, person in result.replacements:
        if person is None:
            continue
        candidate = next(c for c in everyone if c.resident_id == person)
        before = snapshot(candidate, ("status", "replaces_id"))
        candidate.status = Candidate.Status.NOMINEE
        candidate.replaces = replacing
        candidate.save(update_fields=["status", "replaces"])
        record(
            user,
            "candidates.nominee_added",
            candidate,
            before=before,
            after=snapshot(candidate, ("status", "replaces_id")),
            place=election.place,
        )
        added.append(candidate)
    return added


@transaction.atomic
def inspect(user, candidate, findings: str, *, on: date, today=None) -> Candidate:
    """Record the inspection (组织考察) of a party candidate."""
    permissions.require(user, permissions.EDIT_ELECTIONS, candidate.election.place)
    roster.require_open(candidate.election)
    _not_future(on, today)
    if candidate.status != Candidate.Status.NOMINEE:
        raise RuleViolation(_("Only the candidates put forward are inspected."))
    if not findings.strip():
        raise RuleViolation(_("Write what the inspection found."))
    before = snapshot(candidate, ("inspection", "inspected_on"))
    candidate.inspection, candidate.inspected_on = findings.strip(), on
    candidate.save(update_fields=["inspection", "inspected_on"])
    record(
        user,
        "candidates.inspected",
        candidate,
        before=before,
        after=snapshot(candidate, ("inspection", "inspected_on")),
        place=candidate.election.place,
    )
    return candidate


def publicity(election) -> Notice | None:
    return Notice.objects.filter(election=election, kind=Notice.Kind.PUBLICITY).first()


def publicity_ends(published_on: date, election) -> date:
    """The day the 公示 posted on ``published_on`` is over, by the place's profile."""
    return timeline.publicity_end(published_on, effective_profile(election.cycle, election.place))


def ready_for_publicity(election) -> list[str]:
    """What still stands between the candidates and the 公示, as sentences."""
    rec = of(election)
    if rec is None or not rec.township_decided_on:
        return [_("The township committee has not decided on the candidates.")]
    problems = []
    nominees = roster.standing(election)
    if len(nominees) < needed(election):
        problems.append(
            _("%(have)d candidates; the party committee needs at least %(n)d.")
            % {"have": len(nominees), "n": needed(election)}
        )
    uninspected = [c.resident.name for c in nominees if not c.inspected_on]
    if uninspected:
        problems.append(_("Not yet inspected: %(names)s") % {"names": "、".join(uninspected)})
    errors = [f for f in roster.election_findings(election) if f.is_error]
    problems += [localized(f.message_zh, f.message_en) for f in errors]
    return problems


@transaction.atomic
def request_approval(user, election, *, requested_on: date, number: str = "", today=None):
    """The request for approval of the candidates (请示), once the 公示 is over."""
    permissions.require(user, permissions.NOMINATE, election.place)
    rec = require(election)
    _not_future(requested_on, today)
    notice = publicity(election)
    if notice is None:
        raise RuleViolation(_("The candidates have not been published (公示) yet."))
    if requested_on < notice.ends_on:
        raise RuleViolation(
            _("The public notice runs until %(day)s (DOMAIN §5.1).")
            % {"day": notice.ends_on.isoformat()}
        )
    if rec.approved_on:
        raise RuleViolation(_("The candidates have been approved already."))
    before = _state(rec)
    rec.requested_on, rec.request_number = requested_on, number.strip()
    rec.save()
    record(
        user,
        "candidates.approval_requested",
        rec,
        before=before,
        after=_state(rec),
        place=election.place,
    )
    return rec


@transaction.atomic
def approve(user, election, *, approved_on: date, number: str = "", today=None):
    """The township's approval (批复) of the candidates: they are final."""
    permissions.require(user, permissions.EDIT_ELECTIONS, election.place)
    rec = require(election)
    _not_future(approved_on, today)
    if not rec.requested_on:
        raise RuleViolation(_("No request for approval (请示) has been recorded."))
    if rec.approved_on:
        raise RuleViolation(_("The candidates have been approved already."))
    if approved_on < rec.requested_on:
        raise RuleViolation(_("The approval cannot come before the request."))
    problems = ready_for_publicity(election)
    notice = publicity(election)
    late = [
        c.resident.name for c in roster.standing(election) if c.resident_id not in notice.people
    ]
    if late:
        problems.append(
            _("Came in after the public notice, so not published (公示): %(names)s")
            % {"names": "、".join(late)}
        )
    if problems:
        raise RuleViolation("；".join(problems))
    before = _state(rec)
    rec.approved_on, rec.approval_number = approved_on, number.strip()
    rec.save()
    Candidate.objects.filter(election=election, status=Candidate.Status.NOMINEE).update(
        status=Candidate.Status.FORMAL
    )
    record(user, "candidates.approved", rec, before=before, after=_state(rec), place=election.place)
    return rec
