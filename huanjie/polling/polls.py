"""The polls of an election: opening the first vote with the slate as it stands.

A poll keeps its slate in the rules core's form (:mod:`huanjie.rules.tally`): the
offices highest first with their seats, and each candidate as ``{"id", "name",
"office", "sex"}`` where the id is ``c<candidate pk>``. The ballot is printed from it,
check-in hands it out, and the count reads it, so all three see the same names.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huanjie.accounts import permissions
from huanjie.audit.trail import record
from huanjie.candidates import roster
from huanjie.candidates.models import Candidate
from huanjie.cycles.services import RuleViolation
from huanjie.polling.models import Poll
from huanjie.rules import names
from huanjie.rules.seats import MEMBER, Body
from huanjie.voters import publication

CANDIDATE_PREFIX = "c"


def candidate_key(candidate: Candidate) -> str:
    return f"{CANDIDATE_PREFIX}{candidate.pk}"


def candidate_of(key: str) -> int | None:
    """The Candidate pk of a slate id, or None for a write-in name."""
    if key.startswith(CANDIDATE_PREFIX) and key[len(CANDIDATE_PREFIX) :].isdigit():
        return int(key[len(CANDIDATE_PREFIX) :])
    return None


def slate_of(election) -> tuple[list[dict], list[dict]]:
    """(offices, candidates) of the final list, candidates of each office in 姓氏笔画
    order — the order of the ballot (DOMAIN §6).

    The party members' meeting elects the committee's members only, on one list; the
    书记 and 副书记 are elected from among them by the first plenary (DOMAIN §2 item 3,
    §8), so a party election's offices make one office of all their seats."""
    offices = [
        {"id": o.key, "title": o.title, "seats": o.seats} for o in election.offices.order_by("rank")
    ]
    standing = roster.standing(election)
    party = election.body == Body.PARTY_COMMITTEE
    if party:
        seats = sum(o["seats"] for o in offices)
        offices = [{"id": MEMBER.key, "title": MEMBER.title_zh, "seats": seats}]
    people = []
    for office in offices:
        ours = [c for c in standing if party or c.office == office["id"]]
        ours.sort(key=lambda c: names.sort_key(c.resident.name))
        people += [
            {
                "id": candidate_key(c),
                "name": c.resident.name,
                "office": office["id"],
                "sex": c.resident.sex,
            }
            for c in ours
        ]
    return offices, people


def electorate_of(election) -> int:
    """The voters on the roll today: the posted roll with its supplementary lines."""
    return publication.listed(election.cycle_id, election.place_id).order_by().count()


def current(election) -> Poll | None:
    """The poll under way, or else the latest one."""
    polls = Poll.objects.filter(election=election).order_by("-held_on", "-id")
    return polls.exclude(state=Poll.State.CONFIRMED).first() or polls.first()


@transaction.atomic
def open_first(
    user,
    election,
    *,
    held_on: date | None = None,
    layout: str = Poll.Layout.SECTIONS,
    method: str = Poll.Method.BALLOTS,
    today: date | None = None,
    due: int | None = None,
    present: int | None = None,
) -> Poll:
    """Open the first vote of ``election`` on ``held_on`` (its election day by default)
    with its final list.

    Refused before the list is final (nobody can print a ballot of a list that may still
    change), for an election that already has a first vote, and on a day other than
    the election's day when one is set. A party election votes at a members' meeting,
    which gives the number ``due`` to attend and the members ``present`` (DOMAIN §8);
    a meeting without quorum is adjourned, so its day may be a later one.
    """
    permissions.require(user, permissions.RUN_POLL, election.place)
    today = today or timezone.localdate()
    if not roster.is_final(election):
        raise RuleViolation(
            _(
                "The candidates of %(election)s are not final yet: the ballot is printed "
                "from the final list."
            )
            % {"election": election}
        )
    held_on = held_on or election.election_day
    if held_on is None:
        raise RuleViolation(_("Set the election day first."))
    if Poll.objects.filter(election=election, round=Poll.Round.FIRST).exists():
        raise RuleViolation(_("%(election)s already has its first vote.") % {"election": election})
    party = election.body == Body.PARTY_COMMITTEE
    if party and (due is None or present is None):
        raise RuleViolation(_("A party election votes at a members' meeting."))
    if election.election_day and held_on != election.election_day and not party:
        raise RuleViolation(
            _("The first vote is held on election day, %(day)s.")
            % {"day": election.election_day.isoformat()}
        )
    offices, candidates = slate_of(election)
    poll = Poll.objects.create(
        election=election,
        round=Poll.Round.FIRST,
        held_on=held_on,
        layout=layout,
        method=method,
        electorate=due if party else electorate_of(election),
        present=present if party else None,
        offices=offices,
        candidates=candidates,
        user=user,
    )
    record(
        user,
        "polling.poll_open",
        poll,
        after={"round": poll.round, "held_on": held_on.isoformat()},
        place=election.place,
    )
    return poll
