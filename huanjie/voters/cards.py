"""Voter cards (选民证, DOMAIN §4): one card per listed voter of a place, printed as a
batch once the list has been posted ("选民名单确定后，应发放选民证", seed 004).

A card says who may vote, where and when: the name, the card number, the place, the
polling station, election day and the committee that issued it; the sheet of cards is
laid out by :mod:`huanjie.documents.cards`.

The card number is ``<last 3 digits of the place code>-<voter number, 4 digits>``, e.g.
``201-0012`` for voter 12 of 金茶村 (430121001201). The voter number is the one on the
posted list, so the desk finds the voter on the roll by it; the place digits tell apart
the cards of the villages and communities of one township (their codes differ in the
last three digits), so a card brought to the wrong polling place is noticed.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huanjie.accounts import permissions
from huanjie.audit.trail import record
from huanjie.cycles.services import RuleViolation
from huanjie.documents.cards import Card, voter_cards
from huanjie.voters import publication

#: Where voters without a group vote until polling stations are set up.
CENTRAL_HALL = "中心会场"


def card_number(place, number: int) -> str:
    """``201-0012``: the place's last three code digits and the voter number."""
    return f"{place.code[-3:]}-{number:04d}"


def station_of(voter) -> str:
    """The polling station printed on the voter's card.

    Polling stations (投票站) are set up in a later part of the work (DOMAIN §6); until
    then each group votes at its own station and everyone else at the central hall. This
    function is the one place to replace when the stations exist.
    """
    return f"{voter.group.name}投票站" if voter.group_id else CENTRAL_HALL


def cards_for(cycle, place) -> list[Card]:
    """The cards of every listed voter of the place, in number order."""
    return [
        Card(
            name=voter.name,
            number=card_number(place, voter.number),
            place=place.name,
            station=station_of(voter),
        )
        for voter in publication.listed(cycle, place).select_related("group")
    ]


@transaction.atomic
def issue(user, cycle, place, *, today: date | None = None) -> bytes:
    """The PDF of the place's voter cards, issued only after the list is posted; the
    batch is recorded once in the audit trail."""
    permissions.require(user, permissions.REGISTER_VOTERS, place)
    today = today or timezone.localdate()
    posted = publication.require_posted(cycle, place)
    day = publication.election_day(cycle, place)
    cards = cards_for(cycle, place)
    if not cards:
        raise RuleViolation(_("%(place)s has nobody on its list.") % {"place": place.name})
    pdf = voter_cards(
        cards,
        election_day=day,
        issuer=publication.committee_of(place),
        issued_on=today,
    )
    record(
        user,
        "voters.cards_issued",
        posted,
        after={
            "cycle": cycle.id,
            "cards": len(cards),
            "first": cards[0].number,
            "last": cards[-1].number,
            "issued_on": today.isoformat(),
        },
        place=place,
    )
    return pdf
