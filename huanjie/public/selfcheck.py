"""选民自查: may I vote, and where? — answered from the posted rolls only.

A person gives their name and ID number and learns whether they are on a posted voter
list of the current cycle, and if so in which place, under which voter number and on
which day the vote is. The answer says nothing else: a wrong name, an unknown number,
a line removed and a list not posted yet all get the same "not registered", so the
page cannot be used to find out whether a number belongs to somebody or what their
name is.

"Posted" follows the rules of the roll (DOMAIN §4): a line of the roll counts once the
place's voter list has been posted; a person added by an upheld objection, once the
decisions naming them have been posted; a person added at the 补登 desk, once a
supplementary list has been posted after they were added.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from huanjie.public.notices import current_cycles
from huanjie.voters import publication, rolls
from huanjie.voters.models import Objection, Publication, Voter

#: Ways of writing the middle dot of a transcribed name (阿依古丽·买买提).
DOTS = str.maketrans({"•": "·", "・": "·", "．": "·", ".": "·", "‧": "·"})


@dataclass(frozen=True)
class Answer:
    registered: bool
    place: str = ""
    township: str = ""
    number: int | None = None
    election_day: date | None = None


NOT_REGISTERED = Answer(registered=False)


def same_name(given: str, listed: str) -> bool:
    """Names are compared without spaces and with one way of writing the middle dot."""

    def plain(name: str) -> str:
        return "".join(name.split()).translate(DOTS)

    return bool(plain(given)) and plain(given) == plain(listed)


def is_posted(voter: Voter) -> bool:
    """Whether the line has been on the wall: see the module's docstring."""
    posted_list = publication.voter_list(voter.cycle_id, voter.place_id)
    if posted_list is None:
        return False
    if voter.source == Voter.Source.OBJECTION:
        return Objection.objects.filter(voter=voter, published__isnull=False).exists()
    if voter.source == Voter.Source.SUPPLEMENTARY:
        return Publication.objects.filter(
            cycle_id=voter.cycle_id,
            place_id=voter.place_id,
            kind=Publication.Kind.SUPPLEMENTARY,
            at__gte=voter.added_at,
        ).exists()
    return True


def check(name: str, id_number: str) -> Answer:
    """The answer for a valid, normalised ID number and the name given with it."""
    voter = (
        Voter.objects.filter(
            cycle_id__in=current_cycles(), id_number=id_number, status=Voter.Status.LISTED
        )
        .select_related("place__parent", "cycle")
        .first()
    )
    if voter is None or not same_name(name, voter.name) or not is_posted(voter):
        return NOT_REGISTERED
    township = voter.place.parent
    return Answer(
        registered=True,
        place=voter.place.name,
        township=township.name if township else "",
        number=voter.number,
        election_day=rolls.day_of(voter.cycle, voter.place),
    )
