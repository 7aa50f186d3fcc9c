"""Fixtures of the statistics tests: the four places of tests/conftest.py at the end of
a cycle, written straight into the tables the statistics read.

* 金茶村 (village_a1): 20 voters listed and one removed; its first vote, confirmed,
  filled all five seats; 14 voters checked in (two by proxy, three assisted, two at the
  mobile box) and the box sheets agree; its director is also the party secretary
  (一肩挑) and one member sits on the party committee too (交叉任职); its members'
  meeting had 8 of 10 due checked in; two candidates were disqualified (items 5 and 2;
  item 9).
* 松雅社区 (community_a2): 12 voters; its first vote left a member seat open, filled by a
  confirmed run-off; one winner is a name written in, matched to a voter.
* 黄兴村 (village_b1): 10 voters; its first vote was void (re-run scheduled); one candidate
  disqualified with no item recorded.
* 黄花社区 (community_b2): 8 voters, no vote yet.
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from huanjie.candidates.models import Candidate, Department, NominationMeeting, Verdict
from huanjie.complaints.models import Complaint
from huanjie.cycles.models import Election
from huanjie.party.models import Attendance, Meeting, Member, Organisation, Seat
from huanjie.polling.models import BoxCount, CheckIn, Poll, Proxy, Station, Winner
from huanjie.reports.models import PreviousMember
from huanjie.rules.identity import make_id
from huanjie.rules.seats import Body
from huanjie.voters.models import Resident, Voter

EDUCATIONS = ["bachelor", "college", "high_school", "middle_school", "postgraduate", ""]
ETHNICITIES = ["汉族", "汉族", "苗族", "土家族"]


def result(offices, valid=True):
    """A counted result as the rules core gives it (only what the statistics read)."""
    return {
        "valid": valid,
        "void_reasons": [] if valid else ["turnout"],
        "offices": [
            {
                "id": oid,
                "seats": seats,
                "elected": list(elected),
                "unfilled": unfilled,
                "revote": [],
                "votes": [],
                "reserved_for_woman": 0,
                "runoff_candidates": [],
            }
            for oid, seats, elected, unfilled in offices
        ],
    }


class Builder:
    """Writes the records of the statistics tests."""

    def __init__(self, cycle, user):
        self.cycle, self.user = cycle, user
        self.serial = 0

    def voters(self, place, n, removed=0):
        made = []
        for i in range(n + removed):
            self.serial += 1
            sex = "F" if i % 3 == 0 else "M"
            born = date(1950 + (self.serial * 7) % 55, 1 + i % 12, 1 + i % 27)
            resident = Resident.objects.create(
                id_number=make_id("430121", born, self.serial, sex),
                name=f"{place.name[:2]}{self.serial}",
                sex=sex,
                birth_date=born,
                education=EDUCATIONS[self.serial % len(EDUCATIONS)],
                ethnicity=ETHNICITIES[self.serial % len(ETHNICITIES)],
                household_code=place.code,
                residence_code=place.code,
            )
            made.append(
                Voter.objects.create(
                    cycle=self.cycle,
                    place=place,
                    resident=resident,
                    number=i + 1,
                    id_number=resident.id_number,
                    name=resident.name,
                    sex=sex,
                    birth_date=born,
                    ethnicity=resident.ethnicity,
                    category="户在人在",
                    source=Voter.Source.ROLL,
                    status=Voter.Status.LISTED if i < n else Voter.Status.REMOVED,
                )
            )
        return made

    def poll(self, election, round_, state, offices, valid=True, follows=None, day=0):
        return Poll.objects.create(
            election=election,
            follows=follows,
            round=round_,
            held_on=timezone.localdate() + timedelta(days=day),
            electorate=0,
            offices=[{"id": o, "title": o, "seats": n} for o, n, _e, _u in offices],
            candidates=[],
            state=state,
            result=result(offices, valid) if state != Poll.State.OPEN else None,
            user=self.user,
        )

    def candidate(self, election, voter, office, status=Candidate.Status.FORMAL):
        return Candidate.objects.create(
            election=election,
            office=office,
            resident=voter.resident,
            status=status,
            source=Candidate.Source.NOMINATION,
        )

    def winner(self, poll, office, voter, candidate=True):
        c = self.candidate(poll.election, voter, office) if candidate else None
        return Winner.objects.create(
            poll=poll,
            office=office,
            who=f"c{c.pk}" if c else voter.name,
            name=voter.name,
            votes=10,
            candidate=c,
            voter=voter,
        )

    def station(self, election, kind, name):
        return Station.objects.create(election=election, kind=kind, name=name, user=self.user)

    def check_in(self, poll, voter, station, proxy=None, assisted=False):
        return CheckIn.objects.create(
            poll=poll, voter=voter, station=station, proxy=proxy, assisted=assisted, user=self.user
        )

    def proxy(self, election, entruster, proxy):
        return Proxy.objects.create(
            election=election,
            entruster=entruster,
            proxy=proxy,
            relation="配偶",
            signed_on=timezone.localdate(),
            authorisation="proxies/x.pdf",
            user=self.user,
        )


@pytest.fixture
def built(cycle, tree, user_county_admin, election_day):
    """The records of the four places (see the module's docstring), by name."""
    b = Builder(cycle, user_county_admin)
    Confirmed, Open = Poll.State.CONFIRMED, Poll.State.OPEN
    a1, a2, b1, b2 = (tree[k] for k in ("village_a1", "community_a2", "village_b1", "community_b2"))
    e = {p.code: Election.objects.get(cycle=cycle, place=p) for p in (a1, a2, b1, b2)}

    # 金茶村: five seats filled by the first vote
    va1 = b.voters(a1, 20, removed=1)
    ea1 = e[a1.code]
    first_a1 = b.poll(
        ea1,
        Poll.Round.FIRST,
        Confirmed,
        [("director", 1, ["x"], 0), ("deputy", 1, ["x"], 0), ("member", 3, ["x"] * 3, 0)],
    )
    for voter, office in zip(
        va1[:5], ["director", "deputy", "member", "member", "member"], strict=True
    ):
        b.winner(first_a1, office, voter)
    central = b.station(ea1, Station.Kind.CENTRAL, "中心会场")
    mobile = b.station(ea1, Station.Kind.MOBILE_BOX, "流动票箱")
    entrusted = [b.proxy(ea1, va1[18], va1[0]), b.proxy(ea1, va1[19], va1[1])]
    for i, voter in enumerate(va1[:12]):
        b.check_in(first_a1, voter, mobile if i in (10, 11) else central, assisted=i in (3, 4, 5))
    b.check_in(first_a1, va1[18], central, proxy=entrusted[0])
    b.check_in(first_a1, va1[19], central, proxy=entrusted[1])
    BoxCount.objects.create(poll=first_a1, station=central, issued=12, returned=12)
    BoxCount.objects.create(poll=first_a1, station=mobile, issued=2, returned=2)
    # Its party branch: the director is the secretary; a committee member sits on both.
    org = Organisation.objects.create(place=a1, name="金茶村党支部", kind="branch")
    members = [
        Member.objects.create(
            organisation=org, resident=v.resident, status="full", joined_on=date(2000, 1, 1)
        )
        for v in [va1[0], va1[2], *va1[6:14]]
    ]
    Seat.objects.create(organisation=org, member=members[0], office="secretary", since=date.today())
    Seat.objects.create(organisation=org, member=members[1], office="member", since=date.today())
    Seat.objects.create(
        organisation=org, member=members[2], office="deputy_secretary", since=date.today()
    )
    Seat.objects.create(
        organisation=org,
        member=members[3],
        office="secretary",
        since=date(2021, 1, 1),
        until=date.today(),
    )  # the previous secretary, no longer in office
    party = Election.objects.create(
        cycle=cycle, place=a1, body=Body.PARTY_COMMITTEE, election_day=election_day
    )
    party_poll = b.poll(party, Poll.Round.FIRST, Confirmed, [("member", 3, ["x"] * 3, 0)])
    adjourned = Meeting.objects.create(
        election=party, held_on=date.today(), state="adjourned", due=10, present=7, user=b.user
    )
    meeting = Meeting.objects.create(
        election=party,
        held_on=date.today(),
        state="closed",
        due=10,
        present=8,
        poll=party_poll,
        user=b.user,
    )
    for m in members[:8]:
        Attendance.objects.create(meeting=meeting, member=m, user=b.user)
    for m in members[:7]:
        Attendance.objects.create(meeting=adjourned, member=m, user=b.user)
    department = Department.objects.create(cycle=cycle, name="县公安局")
    other = Department.objects.create(cycle=cycle, name="县纪委")
    out = b.candidate(ea1, va1[14], "member", Candidate.Status.DISQUALIFIED)
    Verdict.objects.create(
        candidate=out, department=department, outcome="hit", items=[5, 2], user=b.user
    )
    Verdict.objects.create(candidate=out, department=other, outcome="clear", user=b.user)
    out2 = b.candidate(ea1, va1[15], "member", Candidate.Status.DISQUALIFIED)
    Verdict.objects.create(candidate=out2, department=other, outcome="hit", items=[9], user=b.user)
    b.candidate(ea1, va1[16], "member", Candidate.Status.WITHDRAWN)
    # Two of its voters live there registered elsewhere, one added on election day;
    # its nomination meeting; its previous committee, on which two winners sat
    Voter.objects.filter(pk__in=[va1[16].pk, va1[17].pk]).update(category="人在户不在")
    Voter.objects.filter(pk=va1[17].pk).update(source=Voter.Source.SUPPLEMENTARY)
    NominationMeeting.objects.create(
        election=ea1,
        held_on=date.today(),
        voters=19,
        present=15,
        method=NominationMeeting.Method.TOTALS,
        counted=True,
        user=b.user,
    )
    for voter, body, office in [
        (va1[0], Body.VILLAGERS_COMMITTEE, "director"),
        (va1[3], Body.VILLAGERS_COMMITTEE, "member"),
        (va1[13], Body.VILLAGERS_COMMITTEE, "member"),
        (va1[1], Body.PARTY_COMMITTEE, "member"),  # not the 村委会: not re-elected there
    ]:
        PreviousMember.objects.create(
            cycle=cycle,
            place=a1,
            body=body,
            office=office,
            name=voter.name,
            id_number=voter.id_number,
            sex=voter.sex,
            birth_date=voter.birth_date,
            user=b.user,
        )
    # Complaints: two at 金茶村, one at 黄兴村, one at township A's office
    for n, (place, kind) in enumerate(
        [(a1, "bribery"), (a1, "voter_registration"), (b1, "bribery"), (a1.parent, "lobbying")]
    ):
        Complaint.objects.create(
            cycle=cycle,
            place=place,
            number=n + 1,
            type=kind,
            received_on=date.today(),
            channel="visit",
            summary="反映问题",
            deadline=date.today() + timedelta(days=15),
        )

    # 松雅社区: a member seat left open, filled by the run-off; a name written in
    va2 = b.voters(a2, 12)
    ea2 = e[a2.code]
    layout = [("director", 1, ["x"], 0), ("deputy", 1, ["x"], 0), ("member", 5, ["x"] * 4, 1)]
    first_a2 = b.poll(ea2, Poll.Round.FIRST, Confirmed, layout)
    runoff = b.poll(
        ea2, Poll.Round.RUNOFF, Confirmed, [("member", 1, ["x"], 0)], follows=first_a2, day=3
    )
    for voter, office in zip(
        va2[:5], ["director", "deputy", "member", "member", "member"], strict=True
    ):
        b.winner(first_a2, office, voter)
    b.winner(first_a2, "member", va2[5], candidate=False)
    b.winner(runoff, "member", va2[6])
    central2 = b.station(ea2, Station.Kind.CENTRAL, "中心会场")
    for voter in va2[:9]:
        b.check_in(first_a2, voter, central2)
    for voter in va2[:5]:
        b.check_in(runoff, voter, central2)  # the run-off's ballots are not the first vote's

    # 黄兴村: a void first vote, re-run scheduled; a disqualified candidate without items
    vb1 = b.voters(b1, 10)
    eb1 = e[b1.code]
    void = b.poll(eb1, Poll.Round.FIRST, Confirmed, [("director", 1, [], 0)], valid=False)
    b.poll(eb1, Poll.Round.RERUN, Open, [("director", 1, [], 0)], follows=void, day=5)
    central3 = b.station(eb1, Station.Kind.CENTRAL, "中心会场")
    for voter in vb1[:4]:
        b.check_in(void, voter, central3)
    b.candidate(eb1, vb1[0], "director", Candidate.Status.DISQUALIFIED)

    # 黄花社区: the roll, and a young party secretary in office
    youngest = max(b.voters(b2, 8), key=lambda v: v.birth_date)
    org_b2 = Organisation.objects.create(place=b2, name="黄花社区党支部", kind="branch")
    member = Member.objects.create(
        organisation=org_b2, resident=youngest.resident, status="full", joined_on=date(2020, 1, 1)
    )
    Seat.objects.create(organisation=org_b2, member=member, office="secretary", since=date.today())
    return {
        "a1": a1,
        "a2": a2,
        "b1": b1,
        "b2": b2,
        "elections": e,
        "first_a1": first_a1,
        "central_a1": central,
        "meeting": meeting,
        "va1": va1,
    }
