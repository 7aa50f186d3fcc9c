"""The count of a poll: what the rules core is asked, and its answer.

A poll is counted from the ballots as two counters entered them (both entries must
agree ballot by ballot) or from the totals of the tally sheet. The figures of the
vote come from the records: the registered voters from the roll as it stands on the
day (with its 补登 lines), the ballots issued and returned from the sheets of the
stations and boxes. :func:`vote_of` builds the :class:`~huanjie.rules.tally.Vote`;
:func:`compute` keeps the core's answer on the poll.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from huanjie.accounts import permissions
from huanjie.audit.trail import record
from huanjie.cycles.profiles import effective_profile
from huanjie.cycles.services import RuleViolation
from huanjie.polling import polls
from huanjie.polling.models import BallotEntry, Poll
from huanjie.rules import tally
from huanjie.rules.seats import Body
from huanjie.voters.models import Voter

#: The rules core's round of each kind of poll: a re-vote among the tied and a re-run
#: are counted like a first vote (a strict majority); only the run-off has its own
#: threshold (DOMAIN §7 items 5, 7, 10).
ROUNDS = {
    Poll.Round.FIRST: "first",
    Poll.Round.REVOTE: "first",
    Poll.Round.RERUN: "first",
    Poll.Round.RUNOFF: "runoff",
}


def kind_of(election) -> str:
    return "party" if election.body == Body.PARTY_COMMITTEE else "committee"


def require_counting(poll: Poll) -> None:
    """Refuse a change of the count of a confirmed (locked) poll."""
    if poll.state == Poll.State.CONFIRMED:
        raise RuleViolation(
            _(
                "The result of this vote is confirmed and locked; a change is a "
                "correction with its reason."
            )
        )


def disagreements(poll: Poll) -> list[int]:
    """Ballot numbers the two counters entered differently, or only one entered."""
    first = dict(poll.entries.filter(counter=1).values_list("number", "marks"))
    second = dict(poll.entries.filter(counter=2).values_list("number", "marks"))
    numbers = first.keys() | second.keys()
    return sorted(n for n in numbers if first.get(n) != second.get(n))


def agreed_ballots(poll: Poll) -> list[dict]:
    """The ballots as both counters entered them; refused while they disagree."""
    differ = disagreements(poll)
    if differ:
        raise RuleViolation(
            _("The two entries differ on ballots %(numbers)s: reconcile them first.")
            % {"numbers": ", ".join(str(n) for n in differ[:20])}
        )
    return list(
        BallotEntry.objects.filter(poll=poll, counter=1)
        .order_by("number")
        .values_list("marks", flat=True)
    )


def ballot_figures(poll: Poll) -> tuple[int, int]:
    """(issued, returned): the sheets of the stations and boxes when entered, else the
    check-ins for issued and the ballots entered for returned."""
    sheets = poll.box_counts.aggregate(issued=Sum("issued"), returned=Sum("returned"))
    if sheets["issued"] is not None:
        return sheets["issued"], sheets["returned"]
    issued = poll.check_ins.count()
    returned = poll.entries.filter(counter=1).count()
    if poll.method == Poll.Method.TOTALS:
        returned = issued
    return issued, returned


def write_in_sex(poll: Poll, ballots, counts) -> dict[str, str]:
    """The sex of each written-in name that is one voter of the roll: the reserved
    woman seat (DOMAIN §7 item 8) may go to a woman written in."""
    known = {c["id"] for c in poll.candidates}
    written = set()
    for ballot in ballots or ():
        for section in ballot.values():
            if isinstance(section, list):
                written.update(w for w in section if w not in known)
    for per_person in (counts or {}).values():
        written.update(w for w in per_person if w not in known and w != tally.INVALID)
    if not written:
        return {}
    found: dict[str, set[str]] = {}
    roll = Voter.objects.filter(
        cycle=poll.election.cycle,
        place=poll.election.place,
        status=Voter.Status.LISTED,
        name__in=written,
    )
    for name, sex in roll.values_list("name", "sex"):
        found.setdefault(name, set()).add(sex)
    return {name: sexes.pop() for name, sexes in found.items() if len(sexes) == 1}


def vote_of(poll: Poll) -> tally.Vote:
    """The rules core's description of ``poll`` as the records have it now."""
    election = poll.election
    profile = effective_profile(election.cycle, election.place)
    kind = kind_of(election)
    issued, returned = ballot_figures(poll)
    ballots = counts = None
    if poll.method == Poll.Method.BALLOTS:
        ballots = agreed_ballots(poll)
    else:
        counts = poll.counts
    cascade = profile.cascade_counting and kind == "committee" and ballots is not None
    electorate = poll.electorate if kind == "party" else polls.electorate_of(election)
    return tally.Vote(
        offices=tuple(tally.Office(o["id"], o["title"], o["seats"]) for o in poll.offices),
        electorate=electorate,
        ballots_issued=issued,
        ballots_returned=returned,
        candidates=tuple(
            tally.Candidate(c["id"], c["name"], c["office"], c.get("sex")) for c in poll.candidates
        ),
        ballots=ballots,
        counts=counts,
        profile=profile,
        kind=kind,
        round=ROUNDS[poll.round],
        mode="cascade" if cascade else "separate",
        present=poll.present,
        write_in_sex=write_in_sex(poll, ballots, counts),
    )


@transaction.atomic
def compute(user, poll: Poll) -> tally.Result:
    """Count ``poll`` with the rules core and keep the answer on it."""
    permissions.require(user, permissions.RUN_POLL, poll.election.place)
    require_counting(poll)
    result = tally.count(vote_of(poll))
    before = poll.result
    poll.result = result.as_json()
    poll.state = Poll.State.COUNTING
    poll.save(update_fields=["result", "state"])
    record(
        user,
        "polling.count",
        poll,
        before={"result": before},
        after={"result": poll.result},
        place=poll.election.place,
    )
    return result
