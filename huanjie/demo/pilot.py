"""The pilot place (试点先行): one community of the demo votes on the demo's today.

The seed's counties let one place go first, so that the others learn from it. In the
demo that place is 清湘社区 of 湘龙街道: its steps are done, its formal candidates are
final (posted seven days before D) and election day is today, so the pages of
election day — stations, proxies, the check-in desk, the count — have a place to work
on. Its candidates are drawn from its own roll: adults of working age, two per seat
of director and deputy and one more than the seats of member, women among them, no
two from one household.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from huanjie.candidates.models import Candidate, Notice
from huanjie.candidates.notices import FORMAL_COLUMNS, body_title, formal_sections, store
from huanjie.cycles.models import Election, Office
from huanjie.cycles.profiles import effective_profile
from huanjie.documents.dates import chinese_date
from huanjie.documents.notice import list_notice
from huanjie.rules import slate
from huanjie.rules.identity import age_on
from huanjie.rules.seats import Body
from huanjie.voters.models import Voter
from huanjie.voters.publication import committee_of, law_of

PILOT = "430121002002"

#: The pilot's committee: a director, a deputy and three members (five seats, the
#: least a residents' committee may have).
SEATS = {"director": 1, "deputy": 1, "member": 3}


def prepare(cycle, user, today: date, rng: random.Random) -> int:
    """Make the pilot's list final; returns the number of formal candidates."""
    election = Election.objects.select_related("place", "cycle").get(
        cycle=cycle, place__code=PILOT, body=Body.RESIDENTS_COMMITTEE
    )
    for key, seats in SEATS.items():
        Office.objects.filter(election=election, key=key).update(seats=seats)
    profile = effective_profile(cycle, election.place)
    roll = list(
        Voter.objects.filter(cycle=cycle, place=election.place, status=Voter.Status.LISTED)
        .select_related("resident")
        .order_by("number")
    )
    pool = [v for v in roll if 25 <= age_on(v.birth_date, today) <= 60 and v.resident]
    rng.shuffle(pool)
    pool.sort(key=lambda v: v.sex != "F")  # women first, so that the members include two
    households: set[str] = set()
    chosen: list[Candidate] = []
    for key in ("member", "director", "deputy"):
        wanted = slate.candidates_needed(Body.RESIDENTS_COMMITTEE, SEATS[key], profile)
        for voter in list(pool):
            if wanted == 0:
                break
            household = voter.resident.household_number or str(voter.resident_id)
            if household in households:
                continue
            pool.remove(voter)
            households.add(household)
            chosen.append(
                Candidate(
                    election=election,
                    office=key,
                    resident=voter.resident,
                    status=Candidate.Status.FORMAL,
                    source=Candidate.Source.NOMINATION,
                    votes=rng.randint(40, 400),
                )
            )
            wanted -= 1
        if key == "member":
            rng.shuffle(pool)
    Candidate.objects.bulk_create(chosen)
    chosen = list(Candidate.objects.filter(election=election).select_related("resident"))
    place = election.place
    published_on = today - timedelta(days=profile.formal_candidates_days_before)
    pdf = list_notice(
        title=f"{place.name}{body_title(election)}成员正式候选人公告",
        preamble=(
            f"根据{law_of(place)}和有关规定，经选民提名、资格审查，{committee_of(place)}"
            f"确定{place.name}{body_title(election)}成员正式候选人如下（按姓氏笔画排列）。"
            f"选举日定于{chinese_date(election.election_day)}。"
        ),
        sections=formal_sections(election, chosen),
        closing="特此公告。",
        issuer=committee_of(place),
        issued_on=published_on,
        columns=FORMAL_COLUMNS,
    )
    store(user, election, Notice.Kind.FORMAL, published_on, chosen, pdf)
    return len(chosen)
