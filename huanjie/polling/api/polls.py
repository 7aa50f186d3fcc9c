"""The polls of an election: list them with their slate, open the first vote."""

from datetime import date

from ninja import Router, Schema

from huanjie.cycles.api import scoped_election
from huanjie.polling import polls
from huanjie.polling.models import Poll

router = Router()


class SlateOffice(Schema):
    id: str
    title: str
    seats: int


class SlateCandidate(Schema):
    id: str  # "c<candidate id>", or a written-in name in a run-off
    name: str
    office: str
    sex: str | None = None


class PollOut(Schema):
    id: int
    round: Poll.Round
    held_on: date
    due_by: date | None
    layout: Poll.Layout
    method: Poll.Method
    state: Poll.State
    electorate: int
    offices: list[SlateOffice]
    candidates: list[SlateCandidate]  # each office's in 姓氏笔画 order, as on the ballot
    follows: int | None

    @staticmethod
    def resolve_follows(obj) -> int | None:
        return obj.follows_id


class OpenIn(Schema):
    layout: Poll.Layout = Poll.Layout.SECTIONS
    method: Poll.Method = Poll.Method.BALLOTS


@router.get("/elections/{id}/polls", response=list[PollOut])
def list_polls(request, id: int):
    """The votes of an election in the order they were held."""
    election = scoped_election(request, id)
    return list(election.polls.order_by("held_on", "id"))


@router.post("/elections/{id}/polls", response=PollOut)
def open_first(request, id: int, payload: OpenIn):
    """Open the first vote on election day with the final list (DOMAIN §6)."""
    election = scoped_election(request, id)
    return polls.open_first(
        request.user,
        election,
        layout=payload.layout,
        method=payload.method,
    )
