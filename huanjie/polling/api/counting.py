"""The count in the JSON API (DOMAIN §6–7): ballots entered by two counters, the
ballots they read differently and the scrutineers' reading of them, the tally sheet's
totals, the sheets of the boxes, the count by the rules core and its result.

The same services as the count pages (:mod:`huanjie.polling.counting`): a poll outside
the user's area is 404, a missing capability 403, a refusal by a rule 400 with its
message (see ``huanjie.api``). A ballot is given as marks (the rules core's form,
CONTRACTS §4) or as the keys a counter types on the page (``"1 / 13"``, see
:mod:`huanjie.polling.keys`). The result is CONTRACTS §4's JSON with an
``explanations`` list: why each person is or is not elected, in Chinese and English.
"""

from typing import Annotated

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from huanjie.accounts import permissions
from huanjie.cycles.services import RuleViolation
from huanjie.polling import counting, keys
from huanjie.polling.models import BallotEntry, Poll, Station

router = Router()

#: A ballot in the rules core's form: office → the people marked (candidate ids of the
#: poll or names written in), null for an unreadable section; {"invalid": true} for a
#: void ballot.
Marks = dict[str, list[str] | None | bool]
Count = Annotated[int, Field(ge=0)]


# Schemas


class CountBallotIn(Schema):
    """One ballot as ``counter`` (1 or 2) read it: ``marks``, or ``keys`` as typed on
    the counter's page. Entering a number again changes that counter's entry."""

    counter: int
    number: int
    marks: Marks | None = None
    keys: str | None = None


class CountEntryOut(Schema):
    counter: int
    number: int
    marks: dict
    keys: str  # the keys that type it
    next_number: int  # the counter's next ballot


class CountReadingsOut(Schema):
    """A ballot the two counters read differently (null: not entered by that counter)."""

    number: int
    counter_1: dict | None
    counter_2: dict | None


class CountReconcileIn(Schema):
    """What the paper ballot says, as the scrutineers read it: ``marks`` or ``keys``."""

    number: int
    marks: Marks | None = None
    keys: str | None = None


class CountTotalsIn(Schema):
    """The tally sheet: office → person (candidate id or name written in) → votes, with
    ``"invalid"`` the sections invalid for the office."""

    counts: dict[str, dict[str, int]]


class CountBoxIn(Schema):
    """The sheet of one station or box. More returned than issued is recorded as it
    is: the count finds the vote void."""

    station: int
    issued: int
    returned: int


class CountBoxOut(Schema):
    """A station or box with its sheet; the ballots of its numbers ``first``–``last``
    (numbered box by box) both counters agree on, valid and void (作废票)."""

    station: int
    name: str
    kind: Station.Kind
    issued: int | None
    returned: int | None
    first: int | None
    last: int | None
    entered: int
    valid: int | None
    invalid: int | None


class CountProgressOut(Schema):
    method: Poll.Method
    entered: dict[str, int]  # counter → ballots entered
    agreed: int
    differ: list[int]  # ballot numbers the counters read differently
    boxes: list[CountBoxOut]


class CountExplanation(Schema):
    office: str
    who: str
    name: str
    votes: Count
    elected: bool
    reason: str  # a key of huanjie.rules.tally.REASONS
    zh: str
    en: str


class CountTurnout(Schema):
    electorate: int
    participants: int
    rate: float


class CountResultOut(Schema):
    """CONTRACTS §4's result, with ``explanations``."""

    valid: bool
    void_reasons: list[str]
    turnout: CountTurnout
    offices: list[dict]
    woman_elected: bool
    explanations: list[CountExplanation]


# Lookups


def scoped_poll(request, poll_id: int) -> Poll:
    """The poll if its place is in the user's area (404 otherwise)."""
    poll = get_object_or_404(
        Poll.objects.select_related("election__place", "election__cycle"), pk=poll_id
    )
    permissions.require(request.user, permissions.VIEW, poll.election.place)
    return poll


def _marks(poll: Poll, marks, typed: str | None):
    if (marks is None) == (typed is None):
        raise RuleViolation(_("Give the ballot as marks or as keys, one of the two."))
    if typed is not None:
        try:
            return counting.keyboard(poll).parse(typed)
        except keys.InputError as exc:
            raise RuleViolation(str(exc)) from None
    return marks


def _entry(poll: Poll, entry: BallotEntry) -> dict:
    return {
        "counter": entry.counter,
        "number": entry.number,
        "marks": entry.marks,
        "keys": counting.keyboard(poll).format(entry.marks),
        "next_number": counting.next_number(poll, entry.counter),
    }


def _boxes(poll: Poll, entries=None) -> list[dict]:
    return [
        {
            "station": r.station.pk,
            "name": r.station.name,
            "kind": r.station.kind,
            "issued": r.issued,
            "returned": r.returned,
            "first": r.first,
            "last": r.last,
            "entered": r.entered,
            "valid": r.valid,
            "invalid": r.invalid,
        }
        for r in counting.box_rows(poll, entries)
    ]


def _progress(poll: Poll) -> dict:
    entries = counting.both_entries(poll)
    done = counting.progress(poll, entries)
    return {
        "method": poll.method,
        "entered": {str(c): n for c, n in done.entered.items()},
        "agreed": done.agreed,
        "differ": done.differ,
        "boxes": _boxes(poll, entries),
    }


def _result(poll: Poll) -> dict:
    kept = counting.counted(poll)
    if kept is None:
        raise HttpError(404, _("This vote has not been counted yet."))
    return poll.result | {"explanations": counting.explanations(kept)}


# Entering ballots


@router.post("/polls/{id}/ballots", response=CountEntryOut)
def enter_ballot(request, id: int, payload: CountBallotIn):
    """Enter one ballot as one counter read it (or change that counter's entry)."""
    poll = scoped_poll(request, id)
    marks = _marks(poll, payload.marks, payload.keys)
    entry = counting.enter(request.user, poll, payload.counter, payload.number, marks)
    return _entry(poll, entry)


@router.get("/polls/{id}/ballots", response=list[CountEntryOut])
def list_ballots(request, id: int, counter: int):
    """One counter's entries, by number. Entering is the work of those who run the
    poll, so are the entries."""
    poll = scoped_poll(request, id)
    permissions.require(request.user, permissions.RUN_POLL, poll.election.place)
    if counter not in counting.COUNTERS:
        raise HttpError(404, _("A ballot is entered by counter 1 or counter 2."))
    board = counting.keyboard(poll)
    after = counting.next_number(poll, counter)
    return [
        {
            "counter": e.counter,
            "number": e.number,
            "marks": e.marks,
            "keys": board.format(e.marks),
            "next_number": after,
        }
        for e in poll.entries.filter(counter=counter).order_by("number")
    ]


@router.delete("/polls/{id}/ballots/{counter}/{number}", response=CountProgressOut)
def delete_ballot(request, id: int, counter: int, number: int):
    """Take back one counter's entry of a ballot."""
    poll = scoped_poll(request, id)
    entry = get_object_or_404(BallotEntry, poll=poll, counter=counter, number=number)
    counting.delete_entry(request.user, entry)
    return _progress(poll)


@router.get("/polls/{id}/disagreements", response=list[CountReadingsOut])
def disagreements(request, id: int):
    """The ballots the two counters entered differently, or only one entered."""
    poll = scoped_poll(request, id)
    permissions.require(request.user, permissions.RUN_POLL, poll.election.place)
    return [
        {"number": n, "counter_1": first, "counter_2": second}
        for n, first, second in counting.disagreement_rows(poll)
    ]


@router.post("/polls/{id}/reconcile", response=list[CountEntryOut])
def reconcile(request, id: int, payload: CountReconcileIn):
    """Set both counters' entries of a ballot to what the paper ballot says."""
    poll = scoped_poll(request, id)
    marks = _marks(poll, payload.marks, payload.keys)
    return [_entry(poll, e) for e in counting.reconcile(request.user, poll, payload.number, marks)]


# Totals and boxes


@router.post("/polls/{id}/totals", response=dict[str, dict[str, int]])
def enter_totals(request, id: int, payload: CountTotalsIn):
    """The totals of the tally sheet, replacing those entered before."""
    poll = scoped_poll(request, id)
    return counting.enter_totals(request.user, poll, payload.counts)


@router.get("/polls/{id}/count", response=CountProgressOut)
def get_progress(request, id: int):
    """How far the entry is: the counters' entries, the discrepancies, the boxes."""
    return _progress(scoped_poll(request, id))


@router.get("/polls/{id}/boxes", response=list[CountBoxOut])
def get_boxes(request, id: int):
    """Every station and box with its sheet, valid and void ballots."""
    return _boxes(scoped_poll(request, id))


@router.post("/polls/{id}/boxes", response=list[CountBoxOut])
def set_box(request, id: int, payload: CountBoxIn):
    """The sheet of one station or box: ballots issued and returned."""
    poll = scoped_poll(request, id)
    station = get_object_or_404(Station, pk=payload.station, election=poll.election)
    counting.set_box(request.user, poll, station, payload.issued, payload.returned)
    return _boxes(poll)


# The count


@router.post("/polls/{id}/count", response=CountResultOut)
def compute(request, id: int):
    """Count with the rules core (refused while the counters differ) and keep the
    result."""
    poll = scoped_poll(request, id)
    counting.compute(request.user, poll)
    return _result(poll)


@router.get("/polls/{id}/result", response=CountResultOut)
def get_result(request, id: int):
    """The kept result with why each person is or is not elected; 404 before the
    count."""
    return _result(scoped_poll(request, id))
