"""What a count leads to (DOMAIN §7 items 5, 7, 9, 10): the confirmation that locks the
result and names the winners, corrections of a locked result, the votes that follow
one (a re-vote among the tied, a run-off for the seats left open, a re-run of a void
election) and the state of the whole election across its polls. The papers of a
result are :mod:`huanjie.polling.papers`.

A confirmed result does not change quietly: the scrutineers signed it and it was
announced. A later change is a :class:`~huanjie.polling.models.Correction` with the
committee's reason, kept with the figures before and after and in the audit trail, and
the result is counted again by the rules core from the corrected figures.

The polls of an election form chains: a first vote (or the re-run of a void one) and
the re-votes and run-offs that follow it. Only the latest chain counts; a void vote
elects no one, and a re-run starts a new chain (重新选举 is not a continuation, §7
item 10).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huanjie.accounts import permissions
from huanjie.audit.trail import record
from huanjie.candidates.models import Candidate
from huanjie.cycles import services
from huanjie.cycles.models import Election
from huanjie.cycles.profiles import effective_profile
from huanjie.cycles.services import RuleViolation
from huanjie.cycles.timeline import COMMITTEE_BODIES
from huanjie.polling import counting, polls
from huanjie.polling.models import (
    BoxCount,
    Correction,
    Poll,
    Station,
    Winner,
)
from huanjie.rules import tally, timeline
from huanjie.rules.seats import Body
from huanjie.voters import publication
from huanjie.voters.models import Voter

Round = Poll.Round


#: The polls that start a chain: the first vote and the re-run of a void election.
ORIGINS = (Round.FIRST, Round.RERUN)

#: The timeline steps a complete committee election signs off: the vote, and the
#: 另行选举 when there was one — a re-vote of the tied counts as one (seed 004:
#: 得票相等，不能确定谁当选的另行选举), with the same deadline (huanjie.rules.timeline).
VOTING_STEP = "voting"
PARTY_MEETING_STEP = "party_members_meeting"
RUNOFF_STEP = "runoff"


# Reading a poll


def _place(target):
    """The place of an election, or of anything of one (a poll, a notice)."""
    return getattr(target, "election", target).place


def require(user, target, capability=permissions.RUN_POLL) -> None:
    permissions.require(user, capability, _place(target))


def record_change(user, action: str, target, *, before=None, after=None) -> None:
    record(user, action, target, before=before, after=after, place=_place(target))


def is_void(poll: Poll) -> bool:
    return bool(poll.result) and not poll.result["valid"]


def require_confirmed(poll: Poll) -> None:
    if poll.state != Poll.State.CONFIRMED:
        raise RuleViolation(
            _("The result of this vote is not confirmed yet: confirm it first (DOMAIN §7 item 9).")
        )


def office_titles(poll: Poll) -> dict[str, str]:
    return {o["id"]: o["title"] for o in poll.offices}


def office_result(poll: Poll, office_id: str) -> dict:
    for office in (poll.result or {}).get("offices", ()):
        if office["id"] == office_id:
            return office
    raise RuleViolation(_("This vote has no office %(office)s.") % {"office": office_id})


def origin_of(poll: Poll) -> Poll:
    """The first vote or re-run whose chain ``poll`` belongs to."""
    while poll.round not in ORIGINS and poll.follows_id is not None:
        poll = poll.follows
    return poll


def is_committee(election) -> bool:
    return counting.kind_of(election) == "committee"


def due_by(poll: Poll) -> date | None:
    """The last day of a re-vote or run-off following ``poll``: within the profile's
    ``runoff_within_days`` of the vote that started the chain (DOMAIN §7 item 7, §12;
    seed 004: 另行选举应在选举当日或选举日后的十日内进行). A party election has no
    such limit in the rules (§8)."""
    election = poll.election
    if not is_committee(election):
        return None
    profile = effective_profile(election.cycle, election.place)
    return timeline.runoff_deadline(origin_of(poll).held_on, profile)


def given_up(poll: Poll) -> dict[str, int]:
    """Office → the seats ``poll`` left open and that were given up instead of a
    run-off (减少名额, DOMAIN §8: a party committee may stop short of its seats with the
    voters' consent, :func:`huanjie.party.meetings.reduce_seats`)."""
    offices = (poll.result or {}).get("offices", ())
    if not any(o["unfilled"] for o in offices) or not hasattr(poll, "seat_reduction"):
        return {}
    return {o["id"]: o["unfilled"] for o in offices if o["unfilled"]}


def _roll(election):
    return publication.listed(election.cycle_id, election.place_id)


def _one(lines) -> Voter | None:
    found = list(lines[:2])
    return found[0] if len(found) == 1 else None


# Winners


def elected_lines(poll: Poll) -> list[dict]:
    """The winners of ``poll``'s result: office, who (slate id or written name), name and
    votes, highest office first and most votes first."""
    lines = []
    for office in (poll.result or {}).get("offices", ()):
        votes = {v["who"]: v for v in office["votes"]}
        for who in office["elected"]:
            lines.append(
                {
                    "office": office["id"],
                    "who": who,
                    "name": votes[who]["name"],
                    "votes": votes[who]["votes"],
                }
            )
    return lines


def _voter_of(election, line: dict, candidates: dict[int, Candidate]) -> Voter | None:
    """The roll line of a winner: the candidate's own line, or for a name written in the
    one voter of that name (none when several share it: the committee picks)."""
    pk = polls.candidate_of(line["who"])
    if pk is not None:
        candidate = candidates.get(pk)
        if candidate is None:
            return None
        return _one(_roll(election).filter(resident_id=candidate.resident_id))
    return _one(_roll(election).filter(name=line["name"]))


def _winner_snapshot(winner: Winner) -> dict:
    return {
        "office": winner.office,
        "name": winner.name,
        "votes": winner.votes,
        "voter": winner.voter_id,
        "certificate_number": winner.certificate_number,
    }


def _sync_winners(poll: Poll) -> list[dict]:
    """Make the poll's Winner rows those of its result. People who stay elected keep
    their row (and certificate); the removed rows are returned as they were."""
    wanted = {(line["office"], line["who"]): line for line in elected_lines(poll)}
    removed = []
    for winner in poll.winners.all():
        line = wanted.pop((winner.office, winner.who), None)
        if line is None:
            removed.append(_winner_snapshot(winner))
            winner.delete()
        elif (winner.votes, winner.name) != (line["votes"], line["name"]):
            winner.votes, winner.name = line["votes"], line["name"]
            winner.save(update_fields=["votes", "name"])
    pks = [polls.candidate_of(who) for _office, who in wanted]
    candidates = Candidate.objects.in_bulk([pk for pk in pks if pk is not None])
    for line in wanted.values():
        pk = polls.candidate_of(line["who"])
        Winner.objects.create(
            poll=poll,
            candidate=candidates.get(pk) if pk is not None else None,
            voter=_voter_of(poll.election, line, candidates),
            **line,
        )
    return removed


@transaction.atomic
def confirm(user, poll: Poll) -> Poll:
    """The scrutineers' confirmation of a counted poll (DOMAIN §7 item 9): the result is
    locked and its winners recorded.

    Refused before the count, for a poll already confirmed, and when the records changed
    after the count (the result confirmed is the one the records give). A void result is
    confirmed too — it calls for a re-run. When the confirmation completes the
    committee election, the timeline's vote (and run-off) steps are signed off.
    """
    require(user, poll)
    poll = Poll.objects.select_for_update().get(pk=poll.pk)
    if poll.state == Poll.State.CONFIRMED:
        raise RuleViolation(_("This result is already confirmed."))
    if poll.state != Poll.State.COUNTING or poll.result is None:
        raise RuleViolation(_("Only a counted vote can be confirmed: count it first."))
    if tally.count(counting.vote_of(poll)).as_json() != poll.result:
        raise RuleViolation(
            _("The records of this vote changed after the count: count it again, then confirm.")
        )
    poll.state = Poll.State.CONFIRMED
    poll.confirmed_at = timezone.now()
    poll.confirmed_by = user
    poll.save(update_fields=["state", "confirmed_at", "confirmed_by"])
    _sync_winners(poll)
    record_change(
        user,
        "polling.confirm",
        poll,
        before={"state": Poll.State.COUNTING},
        after={
            "state": poll.state,
            "valid": poll.result["valid"],
            "winners": [_winner_snapshot(w) for w in poll.winners.all()],
        },
    )
    sign_off_vote(user, poll.election)
    return poll


@transaction.atomic
def voter_numbered(election, number: int) -> Voter:
    """The voter with ``number`` on the roll of ``election``'s place."""
    voter = _roll(election).filter(number=number).first()
    if voter is None:
        raise RuleViolation(_("No voter has number %(n)d.") % {"n": number})
    return voter


def assign_write_in(user, winner: Winner, voter: Voter) -> Winner:
    """Name the voter a written-in winner is, when several voters share the name."""
    election = winner.poll.election
    require(user, election)
    if winner.candidate_id is not None:
        raise RuleViolation(
            _("%(name)s was a candidate: their roll line is known.") % {"name": winner.name}
        )
    if not _roll(election).filter(pk=voter.pk).exists():
        raise RuleViolation(_("%(name)s is not on this place's roll.") % {"name": voter.name})
    if voter.name != winner.name:
        raise RuleViolation(
            _("The name written in was %(written)s, not %(name)s.")
            % {"written": winner.name, "name": voter.name}
        )
    before = winner.voter_id
    winner.voter = voter
    winner.save(update_fields=["voter"])
    record_change(
        user,
        "polling.write_in",
        winner.poll,
        before={"winner": winner.pk, "voter": before},
        after={"winner": winner.pk, "voter": voter.pk, "number": voter.number},
    )
    return winner


# Corrections


@dataclass(frozen=True)
class BoxFigures:
    """The corrected sheet of one station or box: ballots issued and returned."""

    station: int
    issued: int
    returned: int


def _figures(poll: Poll) -> dict:
    """What a correction may change, and what it changes, as kept in the Correction."""
    return {
        "counts": poll.counts,
        "boxes": {
            str(c.station_id): [c.issued, c.returned]
            for c in BoxCount.objects.filter(poll=poll).order_by("station_id")
        },
        "result": poll.result,
    }


def _clean_counts(poll: Poll, counts) -> dict:
    """The corrected totals of the offices given: office → who → votes (with
    ``"invalid"`` for invalid sections), whole numbers not below zero."""
    titles = office_titles(poll)
    cleaned = {}
    for office, votes in counts.items():
        if office not in titles:
            raise RuleViolation(_("This vote has no office %(office)s.") % {"office": office})
        if not isinstance(votes, dict):
            raise RuleViolation(
                _("Give the votes of %(office)s per person.") % {"office": titles[office]}
            )
        rows = {}
        for who, n in votes.items():
            who = str(who).strip()
            if not who or isinstance(n, bool) or not isinstance(n, int) or n < 0:
                raise RuleViolation(
                    _("%(office)s: votes are whole numbers, not below zero (%(who)s).")
                    % {"office": titles[office], "who": who or "?"}
                )
            if n:
                rows[who] = n
        cleaned[office] = rows
    return cleaned


def _decision(result: dict | None) -> object:
    """What a result decides for the votes that follow it."""
    if not result:
        return None
    return (
        result["valid"],
        [
            (
                o["id"],
                o["elected"],
                o["revote"],
                o["unfilled"],
                o["reserved_for_woman"],
                o["runoff_candidates"],
            )
            for o in result["offices"]
        ],
    )


@transaction.atomic
def correct(
    user,
    poll: Poll,
    reason: str,
    *,
    counts: dict | None = None,
    box: BoxFigures | None = None,
) -> Correction:
    """Correct a confirmed result: the totals of offices (a poll counted from the tally
    sheet) or the figures of one station's or box's sheet.

    The reason is required; the figures before and after are kept in a Correction and
    the audit trail; the result is counted again by the rules core and the winners
    follow it. Refused when nothing changes, and when a vote already follows this one
    and the correction would change what that vote is about (who is elected, tied or
    left for the run-off).
    """
    require(user, poll)
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_("A correction of a confirmed result needs its reason."))
    poll = Poll.objects.select_for_update().get(pk=poll.pk)
    if poll.state != Poll.State.CONFIRMED:
        raise RuleViolation(
            _("Only a confirmed result is corrected; until then, change the count and count again.")
        )
    if not counts and box is None:
        raise RuleViolation(_("Give the corrected totals or box figures."))
    before = _figures(poll)
    if counts:
        if poll.method != Poll.Method.TOTALS:
            raise RuleViolation(
                _(
                    "This vote was counted ballot by ballot: its totals follow from the "
                    "ballots and are not corrected by hand."
                )
            )
        # An office given as it was (zero lines aside) is not a change.
        stood = {o: {w: n for w, n in rows.items() if n} for o, rows in poll.counts.items()}
        changed = {o: r for o, r in _clean_counts(poll, counts).items() if r != stood.get(o)}
        poll.counts = {**poll.counts, **changed}
    if box is not None:
        station = Station.objects.filter(election=poll.election, pk=box.station).first()
        if station is None:
            raise RuleViolation(_("This election has no such station or box."))
        if min(box.issued, box.returned) < 0:
            raise RuleViolation(_("Ballots issued and returned cannot be negative."))
        BoxCount.objects.update_or_create(
            poll=poll, station=station, defaults={"issued": box.issued, "returned": box.returned}
        )
    poll.result = tally.count(counting.vote_of(poll)).as_json()
    after = _figures(poll)
    if {k: v for k, v in after.items() if k != "result"} == {
        k: v for k, v in before.items() if k != "result"
    }:
        raise RuleViolation(_("The correction changes nothing."))
    if poll.followed_by.exists() and _decision(after["result"]) != _decision(before["result"]):
        raise RuleViolation(
            _(
                "A vote already follows this one: a correction that changes who is elected, "
                "tied or left for the run-off cannot be made after it was scheduled."
            )
        )
    poll.save(update_fields=["counts", "result"])
    removed = _sync_winners(poll)
    winners = [_winner_snapshot(w) for w in poll.winners.all()]
    correction = Correction.objects.create(
        poll=poll,
        reason=reason,
        before={**before, "winners_removed": removed},
        after={**after, "winners": winners},
        user=user,
    )
    record_change(
        user,
        "polling.correction",
        poll,
        before=before,
        after={**after, "reason": reason, "correction": correction.pk, "winners": winners},
    )
    sign_off_vote(user, poll.election)
    return correction


# The votes that follow one


@dataclass(frozen=True)
class FollowUp:
    """A vote ``poll``'s result calls for: a re-vote of one office's tied, a run-off for
    one office's open seats, or a re-run of the whole void election; ``scheduled`` is
    the poll that holds it once there is one."""

    round: str
    office: str | None
    title: str
    seats: int
    candidates: tuple[str, ...]
    due_by: date | None
    scheduled: Poll | None = None
    reserved_for_woman: int = 0


def _slate_line(poll: Poll, who: str, office: str, names: dict[str, str]) -> dict:
    """A person of a vote that follows ``poll`` as the slate of the new poll has them:
    a candidate keeps their id; a name written in becomes its own id (另选他人)."""
    for line in poll.candidates:
        if line["id"] == who:
            return {**line, "office": office}
    name = names.get(who, who)
    return {
        "id": who,
        "name": name,
        "office": office,
        "sex": counting.sex_on_roll(poll.election, [name]).get(name),
    }


def _names(office: dict) -> dict[str, str]:
    return {v["who"]: v["name"] for v in office["votes"]}


def _revote_slate(poll: Poll, office_id: str) -> tuple[list[dict], list[dict]]:
    """(offices, candidates) of a re-vote among ``office_id``'s tied, for the seats they
    were tied for: the office's seats less those elected and those left open."""
    if is_void(poll) and poll.round == Round.REVOTE:  # held again as it was
        offices = [o for o in poll.offices if o["id"] == office_id]
        return offices, [c for c in poll.candidates if offices and c["office"] == office_id]
    office = office_result(poll, office_id)
    tied = [who for group in office["revote"] for who in group]
    if not tied:
        return [], []
    seats = office["seats"] - len(office["elected"]) - office["unfilled"]
    names = _names(office)
    offices = [{"id": office_id, "title": office_titles(poll)[office_id], "seats": seats}]
    return offices, [_slate_line(poll, who, office_id, names) for who in tied]


def _runoff_slate(poll: Poll) -> tuple[list[dict], list[dict]]:
    """(offices, candidates) of a run-off (另行选举) for the seats ``poll`` left open: per
    office the open seats and the rules core's run-off candidates (DOMAIN §7 items 7–8);
    a seat kept for a woman is noted on the office."""
    if is_void(poll) and poll.round == Round.RUNOFF:  # held again as it was
        return list(poll.offices), list(poll.candidates)
    titles = office_titles(poll)
    offices, candidates = [], []
    gone = given_up(poll)
    for office in (poll.result or {}).get("offices", ()):
        if not office["unfilled"] or office["id"] in gone:
            continue
        line = {"id": office["id"], "title": titles[office["id"]], "seats": office["unfilled"]}
        if office["reserved_for_woman"]:
            line["reserved_for_woman"] = office["reserved_for_woman"]
        offices.append(line)
        names = _names(office)
        candidates += [
            _slate_line(poll, who, office["id"], names) for who in office["runoff_candidates"]
        ]
    return offices, candidates


def follow_ups(poll: Poll) -> list[FollowUp]:
    """The votes a confirmed poll's result calls for, scheduled or not."""
    if poll.state != Poll.State.CONFIRMED or not poll.result:
        return []
    followers = list(poll.followed_by.all())

    def scheduled(round_, office=None):
        for p in followers:
            if p.round == round_ and (office is None or office in {o["id"] for o in p.offices}):
                return p
        return None

    due = due_by(poll)
    if is_void(poll) and poll.round in ORIGINS:
        seats = sum(o["seats"] for o in poll.offices)
        return [FollowUp(Round.RERUN, None, "", seats, (), None, scheduled(Round.RERUN))]
    found = []
    if is_void(poll):  # a void re-vote or run-off is held again
        for office in poll.offices:
            names = tuple(c["name"] for c in poll.candidates if c["office"] == office["id"])
            found.append(
                FollowUp(
                    poll.round,
                    office["id"],
                    office["title"],
                    office["seats"],
                    names,
                    due,
                    scheduled(poll.round, office["id"]),
                    office.get("reserved_for_woman", 0),
                )
            )
        return found
    titles = office_titles(poll)
    gone = given_up(poll)
    for office in poll.result["offices"]:
        oid = office["id"]
        if office["revote"]:
            slate, people = _revote_slate(poll, oid)
            found.append(
                FollowUp(
                    Round.REVOTE,
                    oid,
                    titles[oid],
                    slate[0]["seats"],
                    tuple(p["name"] for p in people),
                    due,
                    scheduled(Round.REVOTE, oid),
                )
            )
        if office["unfilled"] and oid not in gone:
            names = _names(office)
            found.append(
                FollowUp(
                    Round.RUNOFF,
                    oid,
                    titles[oid],
                    office["unfilled"],
                    tuple(names.get(w, w) for w in office["runoff_candidates"]),
                    due,
                    scheduled(Round.RUNOFF, oid),
                    office["reserved_for_woman"],
                )
            )
    return found


def _check_day(poll: Poll, held_on: date, latest: date | None) -> None:
    if held_on < poll.held_on:
        raise RuleViolation(
            _("A vote that follows another is not held before it (%(day)s).")
            % {"day": poll.held_on.isoformat()}
        )
    if latest is not None and held_on > latest:
        election = poll.election
        profile = effective_profile(election.cycle, election.place)
        raise RuleViolation(
            _(
                "The 另行选举 must be held within %(days)d days of the vote of %(day)s "
                "(DOMAIN §7 item 7, the rule profile's runoff_within_days): the latest "
                "allowed day is %(latest)s."
            )
            % {
                "days": profile.runoff_within_days,
                "day": origin_of(poll).held_on.isoformat(),
                "latest": latest.isoformat(),
            }
        )


def _schedule(user, poll, round_, held_on, offices, candidates, latest) -> Poll:
    election = poll.election
    electorate = polls.electorate_of(election) if is_committee(election) else poll.electorate
    new = Poll.objects.create(
        election=election,
        follows=poll,
        round=round_,
        held_on=held_on,
        due_by=latest,
        layout=poll.layout,
        method=poll.method,
        electorate=electorate,
        present=None if is_committee(election) else poll.present,
        offices=offices,
        candidates=candidates,
        user=user,
    )
    record_change(
        user,
        f"polling.{round_}",
        new,
        after={
            "follows": poll.pk,
            "held_on": held_on.isoformat(),
            "due_by": latest.isoformat() if latest else None,
            "offices": offices,
            "candidates": [c["name"] for c in candidates],
        },
    )
    return new


@transaction.atomic
def schedule_revote(user, poll: Poll, office_id: str, held_on: date) -> Poll:
    """A re-vote among the people of ``office_id`` tied at the cut-off, for the seats
    they were tied for, only them on the ballot (DOMAIN §7 item 5), within the days of a
    另行选举 (seed 004)."""
    require(user, poll)
    require_confirmed(poll)
    if is_void(poll) and poll.round != Round.REVOTE:
        raise RuleViolation(_("The vote is void: no tie stands to be voted on again."))
    offices, candidates = _revote_slate(poll, office_id)
    if not offices:
        raise RuleViolation(
            _("Nobody is tied in %(office)s: there is no re-vote.")
            % {"office": office_titles(poll).get(office_id, office_id)}
        )
    if any(
        office_id in {o["id"] for o in p.offices}
        for p in poll.followed_by.filter(round=Round.REVOTE)
    ):
        raise RuleViolation(_("The re-vote of this office is already scheduled."))
    latest = due_by(poll)
    _check_day(poll, held_on, latest)
    return _schedule(user, poll, Round.REVOTE, held_on, offices, candidates, latest)


@transaction.atomic
def schedule_runoff(user, poll: Poll, held_on: date) -> Poll:
    """A run-off (另行选举) for every office with seats left open, with the rules core's
    candidates (written-in names included) and the open seats; a seat kept for a woman
    is noted. Held by the profile's days after the vote (DOMAIN §7 item 7)."""
    require(user, poll)
    require_confirmed(poll)
    if is_void(poll) and poll.round != Round.RUNOFF:
        raise RuleViolation(
            _(
                "The vote is void: it is held again (重新选举, DOMAIN §7 item 10), "
                "not continued by a run-off."
            )
        )
    offices, candidates = _runoff_slate(poll)
    if not offices:
        raise RuleViolation(_("No seat of this vote is left open: there is no run-off."))
    if poll.followed_by.filter(round=Round.RUNOFF).exists():
        raise RuleViolation(_("The run-off of this vote is already scheduled."))
    latest = due_by(poll)
    _check_day(poll, held_on, latest)
    return _schedule(user, poll, Round.RUNOFF, held_on, offices, candidates, latest)


@transaction.atomic
def schedule_rerun(user, poll: Poll, held_on: date) -> Poll:
    """A re-run (重新选举) of a void election with the full final list (DOMAIN §7 item
    10): a new election, not a continuation; a void re-vote or run-off is held again
    as such instead."""
    require(user, poll)
    require_confirmed(poll)
    if not is_void(poll):
        raise RuleViolation(_("Only a void election is held again (重新选举, DOMAIN §7 item 10)."))
    if poll.round not in ORIGINS:
        raise RuleViolation(
            _("A void re-vote or run-off is held again as a re-vote or run-off, not a re-run.")
        )
    if poll.followed_by.filter(round=Round.RERUN).exists():
        raise RuleViolation(_("The re-run of this election is already scheduled."))
    _check_day(poll, held_on, None)
    offices, candidates = polls.slate_of(poll.election)
    return _schedule(user, poll, Round.RERUN, held_on, offices, candidates, None)


# The election across its polls


@dataclass
class OfficeState:
    id: str
    title: str
    seats: int
    winners: list[Winner] = field(default_factory=list)

    @property
    def open(self) -> int:
        """Seats nobody has won yet."""
        return self.seats - len(self.winners)


@dataclass
class ElectionState:
    """Where an election stands: the winners so far per office, the polls not yet
    confirmed and the votes still to schedule."""

    election: Election
    polls: list[Poll]
    origin: Poll | None
    offices: list[OfficeState]
    pending: list[Poll]
    due: list[FollowUp]

    @property
    def complete(self) -> bool:
        """Every seat filled by confirmed votes, nothing pending or to schedule."""
        return (
            self.origin is not None
            and not self.pending
            and not self.due
            and all(o.open == 0 for o in self.offices)
        )

    @property
    def winners(self) -> list[Winner]:
        return [w for o in self.offices for w in o.winners]


def election_state(election) -> ElectionState:
    """The state of ``election`` across its polls (see :class:`ElectionState`)."""
    all_polls = list(Poll.objects.filter(election=election).order_by("held_on", "id"))
    by_pk = {p.pk: p for p in all_polls}
    for p in all_polls:  # follow the chains without a query per poll
        if p.follows_id:
            p.follows = by_pk[p.follows_id]
    origins = [p for p in all_polls if p.round in ORIGINS]
    origin = origins[-1] if origins else None
    chain = [p for p in all_polls if origin is not None and origin_of(p) == origin]
    if origin is not None:
        offices = [OfficeState(o["id"], o["title"], o["seats"]) for o in origin.offices]
    else:
        offices = [OfficeState(o.key, o.title, o.seats) for o in election.offices.all()]
    by_office = {o.id: o for o in offices}
    confirmed = [p.pk for p in chain if p.state == Poll.State.CONFIRMED]
    for p in chain:
        for oid, seats in given_up(p).items():
            if oid in by_office and p.state == Poll.State.CONFIRMED:
                by_office[oid].seats -= seats
    winners = Winner.objects.filter(poll_id__in=confirmed).select_related("poll")
    for w in sorted(winners, key=lambda w: (w.poll.held_on, w.poll_id, -w.votes, w.id)):
        if w.office in by_office:
            by_office[w.office].winners.append(w)
    pending = [p for p in chain if p.state != Poll.State.CONFIRMED]
    due = [f for p in chain for f in follow_ups(p) if f.scheduled is None]
    return ElectionState(election, all_polls, origin, offices, pending, due)


def sign_off_vote(user, election) -> list[str]:
    """Sign off the timeline's vote once an election is complete, on the day of the vote
    that started its chain — for a party election the members' meeting — and for a
    committee election the run-off step on the day of the last re-vote or run-off if
    there was one. The count does not wait for the checklist
    (:func:`huanjie.cycles.services.sign_off_when_ready`). Returns the keys signed off."""
    party = election.body == Body.PARTY_COMMITTEE
    if election.body not in COMMITTEE_BODIES and not party:
        return []
    state = election_state(election)
    if not state.complete:
        return []
    if party:
        done = {PARTY_MEETING_STEP: state.origin.held_on}
    else:
        done = {VOTING_STEP: state.origin.held_on}
        later = [p for p in state.polls if p.round in (Round.REVOTE, Round.RUNOFF)]
        later = [p for p in later if origin_of(p) == state.origin]
        if later:
            done[RUNOFF_STEP] = max(p.held_on for p in later)
    return services.sign_off_when_ready(user, election.cycle, election.place, done)
