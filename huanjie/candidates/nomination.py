"""The voters' nomination meeting of a 居/村委会 election (提名, DOMAIN §5.1).

The meeting is opened with its attendance, which must be more than half of the voters
on the posted roll; then the count is entered, ballot by ballot or as totals per
person, and counted in public. The nominees of each office are the people with most
votes, as many as the meeting gives the office (at least the candidates the office
needs, DOMAIN §5.3). People tied at the cut-off are not nominees until a re-vote among
them decides; each re-vote is a further round of the count. When a nominee leaves
(disqualified by the joint review or withdrawn), :func:`fill` takes the next person of
the same ranking (按提名得票数顺序递补, §5.2).

A person stands for one office of an election: one named for several offices is a
nominee of the highest office they qualify for, and passed over in the others.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huanjie.accounts import permissions
from huanjie.audit.trail import record
from huanjie.candidates import roster
from huanjie.candidates.models import (
    Candidate,
    NominationBallot,
    NominationMeeting,
    NominationTally,
)
from huanjie.cycles.profiles import effective_profile
from huanjie.cycles.services import RuleViolation
from huanjie.rules import nomination, slate
from huanjie.rules.seats import OFFICES, Body
from huanjie.voters import publication
from huanjie.voters.models import Voter

COMMITTEES = (Body.VILLAGERS_COMMITTEE, Body.RESIDENTS_COMMITTEE)


def _not_future(day: date, today: date) -> None:
    if day > today:
        raise RuleViolation(
            _("%(day)s is in the future; record the meeting on the day it is held.")
            % {"day": day.isoformat()}
        )


def meeting_of(election) -> NominationMeeting | None:
    return NominationMeeting.objects.filter(election=election).first()


def default_places(election) -> dict[str, int]:
    """Nominees per office to start from: the fewest candidates each office needs."""
    profile = effective_profile(election.cycle, election.place)
    body = Body(election.body)
    return {
        key: slate.candidates_needed(body, seats, profile)
        for key, seats in roster.seats_of(election).items()
    }


@transaction.atomic
def open_meeting(
    user,
    election,
    *,
    held_on: date,
    present: int,
    method: str = NominationMeeting.Method.TOTALS,
    places: dict[str, int] | None = None,
    today: date | None = None,
) -> NominationMeeting:
    """Record the nomination meeting of ``election`` with its attendance.

    Refused for anything but a 居/村委会 election, before the voter list is posted (the
    voters on it nominate), for a date in the future or after D, when ``present`` is
    not more than half of the voters on the roll, and when an office would get fewer
    nominees than the candidates it needs. A meeting not yet counted may be recorded
    again (the attendance corrected); a counted one may not.
    """
    place = election.place
    permissions.require(user, permissions.NOMINATE, place)
    if election.body not in COMMITTEES:
        raise RuleViolation(_("Only the voters' committees are nominated at a meeting."))
    publication.require_posted(election.cycle, place)
    today = today or timezone.localdate()
    _not_future(held_on, today)
    if election.election_day and held_on > election.election_day:
        raise RuleViolation(_("The nomination meeting must be held before election day."))
    voters = publication.listed(election.cycle, place).count()
    if not nomination.has_quorum(present, voters):
        raise RuleViolation(
            _(
                "%(present)d of %(voters)d voters are present: a nomination meeting needs "
                "more than half of the voters (at least %(needed)d) (DOMAIN §5.1)."
            )
            % {"present": present, "voters": voters, "needed": voters // 2 + 1}
        )
    needed = default_places(election)
    places = {k: int(places.get(k, v)) for k, v in needed.items()} if places else needed
    short = [k for k, v in places.items() if v < needed[k]]
    if short:
        raise RuleViolation(
            _("%(office)s needs at least %(n)d nominees (差额, DOMAIN §5.3).")
            % {"office": roster.office_title(election, short[0]), "n": needed[short[0]]}
        )
    meeting = meeting_of(election)
    if meeting is not None and meeting.counted:
        raise RuleViolation(_("The nomination of this election has been counted already."))
    before = _meeting_state(meeting) if meeting else None
    if meeting is None:
        meeting = NominationMeeting(election=election, user=user)
    meeting.held_on = held_on
    meeting.voters = voters
    meeting.present = present
    meeting.method = method
    meeting.places = places
    meeting.save()
    record(
        user,
        "candidates.meeting_opened",
        meeting,
        before=before,
        after=_meeting_state(meeting),
        place=place,
    )
    return meeting


def _meeting_state(meeting) -> dict:
    return {
        "election": meeting.election_id,
        "held_on": meeting.held_on.isoformat(),
        "voters": meeting.voters,
        "present": meeting.present,
        "method": meeting.method,
        "places": meeting.places,
        "counted": meeting.counted,
    }


def find_voter(cycle, place, text: str) -> Voter:
    """The voter of the place's list that ``text`` names: a voter number (12), a card
    number (201-0012), an ID number, or a name that only one voter has."""
    text = text.strip()
    lines = publication.listed(cycle, place)
    number = text.rsplit("-", 1)[-1]
    if number.isdigit() and len(text) < 15:
        found = lines.filter(number=int(number))
    elif len(text) == 18:
        found = lines.filter(id_number=text.upper())
    else:
        found = lines.filter(name=text)
    found = list(found[:2])
    if not found:
        raise RuleViolation(
            _("No voter of %(place)s is %(text)s.") % {"place": place.name, "text": text}
        )
    if len(found) > 1:
        raise RuleViolation(
            _("Several voters of %(place)s are called %(text)s: give the voter number.")
            % {"place": place.name, "text": text}
        )
    if found[0].resident_id is None:
        raise RuleViolation(_("%(name)s is not in the household records.") % {"name": text})
    return found[0]


def _require_uncounted(meeting) -> None:
    if meeting.counted:
        raise RuleViolation(_("The nomination of this election has been counted already."))


@transaction.atomic
def enter_ballot(user, meeting, sections: dict[str, list[str]]) -> NominationBallot:
    """Enter one nomination ballot: office key → the people it names (voter numbers,
    card numbers, ID numbers or names). A section naming more people than the office
    has seats is kept as written: the count makes it invalid for that office."""
    election = meeting.election
    permissions.require(user, permissions.NOMINATE, election.place)
    _require_uncounted(meeting)
    if meeting.method != NominationMeeting.Method.BALLOTS:
        raise RuleViolation(_("This meeting is counted as totals per person."))
    offices = roster.seats_of(election)
    named = {}
    for office, texts in sections.items():
        if office not in offices:
            raise RuleViolation(_("Unknown office: %(office)s") % {"office": office})
        named[office] = sorted(
            {find_voter(election.cycle, election.place, t).resident_id for t in texts if t.strip()}
        )
    last = meeting.ballot_set.order_by("-number").values_list("number", flat=True).first()
    ballot = NominationBallot.objects.create(
        meeting=meeting, number=(last or 0) + 1, sections=named
    )
    record(
        user,
        "candidates.ballot_entered",
        ballot,
        after={"meeting": meeting.id, "number": ballot.number, "sections": named},
        place=election.place,
    )
    return ballot


@transaction.atomic
def delete_ballot(user, ballot) -> None:
    """Take back a ballot entered by mistake, before the count."""
    meeting = ballot.meeting
    permissions.require(user, permissions.NOMINATE, meeting.election.place)
    _require_uncounted(meeting)
    record(
        user,
        "candidates.ballot_deleted",
        ballot,
        before={"meeting": meeting.id, "number": ballot.number, "sections": ballot.sections},
        place=meeting.election.place,
    )
    ballot.delete()


def _write_round(meeting, round_number: int, office: str, votes: dict[int, int]) -> None:
    """Store a round; a re-vote keeps its zeros, since it names everyone it was among."""
    NominationTally.objects.filter(meeting=meeting, round=round_number, office=office).delete()
    NominationTally.objects.bulk_create(
        NominationTally(meeting=meeting, round=round_number, office=office, resident_id=r, votes=v)
        for r, v in votes.items()
        if v > 0 or round_number > 1
    )


@transaction.atomic
def enter_totals(user, meeting, office: str, rows: list[tuple[str, int]]) -> dict[int, int]:
    """Enter the public count of one office as totals: (person, votes) rows, replacing
    what was entered for the office before. A person given twice is refused."""
    election = meeting.election
    permissions.require(user, permissions.NOMINATE, election.place)
    _require_uncounted(meeting)
    if meeting.method != NominationMeeting.Method.TOTALS:
        raise RuleViolation(_("This meeting is counted ballot by ballot."))
    if office not in roster.seats_of(election):
        raise RuleViolation(_("Unknown office: %(office)s") % {"office": office})
    votes: dict[int, int] = {}
    for number, (text, count) in enumerate(rows, 1):
        voter = find_voter(election.cycle, election.place, text)
        if voter.resident_id in votes:
            raise RuleViolation(
                _("Row %(row)d: %(name)s is given twice.") % {"row": number, "name": voter.name}
            )
        if count < 0 or count > meeting.present:
            raise RuleViolation(
                _("Row %(row)d: %(votes)d votes; %(present)d voters were present.")
                % {"row": number, "votes": count, "present": meeting.present}
            )
        votes[voter.resident_id] = count
    _write_round(meeting, 1, office, votes)
    record(
        user,
        "candidates.totals_entered",
        meeting,
        after={"office": office, "votes": {str(k): v for k, v in votes.items()}},
        place=election.place,
    )
    return votes


def round_votes(meeting, office: str) -> list[dict[int, int]]:
    """The votes of each round of the office's count, first round first."""
    rounds: dict[int, dict[int, int]] = {}
    for t in NominationTally.objects.filter(meeting=meeting, office=office).order_by("round"):
        rounds.setdefault(t.round, {})[t.resident_id] = t.votes
    return [rounds[r] for r in sorted(rounds)] or [{}]


def _office_order(election) -> list[str]:
    keys = roster.seats_of(election)
    return [o.key for o in OFFICES[Body(election.body)] if o.key in keys]


def resolve(meeting, office: str, taken: set[int], places: int):
    """Who fills ``places`` places of ``office`` from the count, leaving out ``taken``:
    (clear, tied, tied_places), where ``clear`` pairs each person with the round that
    decided it (1 = the meeting's count, 2… = a re-vote among the tied)."""
    rounds = round_votes(meeting, office)
    first = {r: v for r, v in rounds[0].items() if r not in taken}
    ranking = nomination.rank(first, places)
    clear = [(r, 1) for r in ranking.nominees]
    tied, left = ranking.tied, ranking.revote_places
    for number, votes in enumerate(rounds[1:], 2):
        if not tied or not set(tied) <= set(votes):
            continue
        again = nomination.rank({r: votes[r] for r in tied}, left)
        clear += [(r, number) for r in again.nominees]
        tied, left = again.tied, again.revote_places
    return clear, tied, left


def _short(meeting, election):
    """(office, people already candidates of the election, places left) for each office
    with fewer nominees standing than the meeting gives it; read afresh for each office,
    so nominees added for one are passed over in the next."""
    for office in _office_order(election):
        mine = Candidate.objects.filter(election=election)
        standing = mine.filter(office=office, status__in=roster.STANDING).count()
        places = meeting.places.get(office, 0) - standing
        if places > 0:
            yield office, set(mine.values_list("resident_id", flat=True)), places


def fill(user, election, *, replacing: Candidate | None = None) -> list[Candidate]:
    """Give every office of ``election`` its nominees from the count: after the count,
    after a re-vote, and when a nominee leaves (``replacing``). Returns the candidates
    added; a tie at the cut-off adds no one until a re-vote decides."""
    meeting = meeting_of(election)
    if meeting is None or not meeting.counted:
        return []
    added = []
    for office, taken, places in _short(meeting, election):
        first = round_votes(meeting, office)[0]
        clear, _tied, _left = resolve(meeting, office, taken, places)
        for resident_id, round_number in clear:
            if replacing is not None and replacing.office == office:
                source = Candidate.Source.BACKFILL
            elif round_number > 1:
                source = Candidate.Source.REVOTE
            else:
                source = Candidate.Source.NOMINATION
            candidate = Candidate.objects.create(
                election=election,
                office=office,
                resident_id=resident_id,
                source=source,
                votes=first.get(resident_id, 0),
                replaces=replacing if source == Candidate.Source.BACKFILL else None,
            )
            added.append(candidate)
            record(
                user,
                "candidates.nominee_added",
                candidate,
                after=candidate_state(candidate),
                place=election.place,
            )
    return added


def candidate_state(candidate) -> dict:
    return {
        "election": candidate.election_id,
        "office": candidate.office,
        "resident": candidate.resident_id,
        "status": candidate.status,
        "source": candidate.source,
        "votes": candidate.votes,
        "replaces": candidate.replaces_id,
    }


@transaction.atomic
def count(user, meeting) -> list[Candidate]:
    """Count the meeting in public: ballots are counted per office (a section naming
    more people than the office's seats is invalid for that office only), then each
    office gets its nominees. The count is final; a tie at the cut-off waits for a
    re-vote."""
    election = meeting.election
    permissions.require(user, permissions.NOMINATE, election.place)
    _require_uncounted(meeting)
    seats = roster.seats_of(election)
    if meeting.method == NominationMeeting.Method.BALLOTS:
        ballots = list(meeting.ballot_set.all())
        if not ballots:
            raise RuleViolation(_("No ballot has been entered."))
        if len(ballots) > meeting.present:
            raise RuleViolation(
                _("%(n)d ballots for %(present)d voters present: check the ballots.")
                % {"n": len(ballots), "present": meeting.present}
            )
        counted = nomination.count_nominations((b.sections for b in ballots), seats)
        for office in seats:
            _write_round(meeting, 1, office, dict(counted.votes.get(office, Counter())))
        meeting.ballots = counted.ballots
        meeting.invalid = dict(counted.invalid)
    elif not NominationTally.objects.filter(meeting=meeting).exists():
        raise RuleViolation(_("No votes have been entered."))
    meeting.counted = True
    meeting.save()
    record(
        user,
        "candidates.nomination_counted",
        meeting,
        after=_meeting_state(meeting) | {"ballots": meeting.ballots, "invalid": meeting.invalid},
        place=election.place,
    )
    return fill(user, election)


def ties(meeting) -> dict[str, tuple[tuple[int, ...], int]]:
    """Offices waiting for a re-vote: office → (the tied resident ids, places)."""
    found = {}
    if not meeting.counted:
        return found
    for office, taken, places in _short(meeting, meeting.election):
        _clear, tied, left = resolve(meeting, office, taken, places)
        if tied:
            found[office] = (tied, left)
    return found


@transaction.atomic
def revote(user, meeting, office: str, votes: dict[int, int]) -> list[Candidate]:
    """Record a re-vote among the people tied for ``office`` (resident id → votes):
    every one of them and no one else. Those it decides become nominees; a new tie
    needs another re-vote."""
    election = meeting.election
    permissions.require(user, permissions.NOMINATE, election.place)
    roster.require_open(election)
    waiting = ties(meeting).get(office)
    if waiting is None:
        raise RuleViolation(_("No re-vote is due for this office."))
    tied, _places = waiting
    if set(votes) != set(tied):
        raise RuleViolation(
            _("A re-vote is held among the tied people, all of them and only them.")
        )
    if any(v < 0 or v > meeting.present for v in votes.values()):
        raise RuleViolation(_("Votes cannot be negative or more than the voters present."))
    number = (
        NominationTally.objects.filter(meeting=meeting, office=office)
        .order_by("-round")
        .values_list("round", flat=True)
        .first()
    ) + 1
    _write_round(meeting, number, office, votes)
    record(
        user,
        "candidates.revote",
        meeting,
        after={"office": office, "round": number, "votes": {str(k): v for k, v in votes.items()}},
        place=election.place,
    )
    return fill(user, election)
