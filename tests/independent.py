"""An independent count of the statistics of one place (DOMAIN §11), for the tests to
hold :func:`huanjie.reports.statistics.compute` against: the records of that place
read one by one in Python, through the per-election services where the rules live
(:func:`huanjie.polling.outcomes.election_state`,
:func:`huanjie.party.committees.of_place`), never through the service's grouped
queries."""

from django.utils import timezone

from huanjie.candidates.models import Candidate, NominationMeeting
from huanjie.complaints.models import Complaint
from huanjie.cycles.models import Election
from huanjie.cycles.timeline import COMMITTEE_BODIES
from huanjie.party import committees
from huanjie.party.models import Attendance, Meeting, Member, Seat
from huanjie.polling import outcomes
from huanjie.polling.models import CheckIn, Poll, Proxy
from huanjie.reports.models import PreviousMember
from huanjie.rules.ages import AGE_BANDS, age_band
from huanjie.rules.identity import age_on
from huanjie.rules.statistics import UNKNOWN, Figures, education_level


def independent(cycle, place, today=None) -> Figures:
    """The figures of one place, counted record by record."""
    today = today or timezone.localdate()
    f = Figures(places=1)
    for v in place.voters.all():
        if v.cycle_id == cycle.pk and v.status == "listed":
            f.registered += 1
            f.registered_by_category[v.category] += 1
            f.supplementary += v.source == "supplementary"
    previous = {
        m.id_number
        for m in PreviousMember.objects.filter(place=place)
        if m.cycle_id == cycle.pk and m.body in COMMITTEE_BODIES
    }
    f.previous_places = int(bool(previous))
    for c in Complaint.objects.filter(place=place):
        if c.cycle_id == cycle.pk:
            f.complaints += 1
            f.complaints_by_type[c.type] += 1
    elections = list(Election.objects.filter(cycle=cycle, place=place))
    committee = next((e for e in elections if e.body in COMMITTEE_BODIES), None)
    day = (committee.election_day if committee else None) or today
    residents_in_office = []
    if committee is not None:
        for c in Candidate.objects.filter(election=committee):
            f.nominees += 1
            f.candidates += c.status == "formal"
            f.women_candidates += c.status == "formal" and c.resident.sex == "F"
        for m in NominationMeeting.objects.filter(election=committee):
            if m.counted:
                f.nomination_places = 1
                f.nomination_roll, f.nomination_present = m.voters, m.present
        polls = list(Poll.objects.filter(election=committee))
        first = next((p for p in polls if p.round == "first"), None)
        if first is not None:
            ins = list(CheckIn.objects.filter(poll=first).select_related("station"))
            f.voted = len(ins)
            f.proxy_votes = sum(1 for c in ins if c.proxy_id is not None)
            f.assisted = sum(1 for c in ins if c.assisted)
            f.mobile_box_votes = sum(1 for c in ins if c.station.kind == "mobile_box")
            if first.state == "confirmed":
                f.voting_places = 1
                offices = first.result["offices"]
                f.first_time_success = int(
                    first.result["valid"]
                    and all(
                        len(o["elected"]) == o["seats"] and not o["unfilled"] and not o["revote"]
                        for o in offices
                    )
                )
        f.proxies = Proxy.objects.filter(election=committee).count()
        f.runoff_places = int(
            any(p.round == "runoff" for p in polls)
            or any(
                p.state == "confirmed"
                and p.result["valid"]
                and any(o["unfilled"] for o in p.result["offices"])
                for p in polls
            )
        )
        f.rerun_places = int(
            any(p.round == "rerun" for p in polls)
            or any(p.state == "confirmed" and not p.result["valid"] for p in polls)
        )
        state = outcomes.election_state(committee)
        f.seats = sum(o.seats for o in state.offices)
        for w in state.winners:
            r = (w.candidate.resident if w.candidate_id else None) or (
                w.voter.resident if w.voter_id else None
            )
            f.elected += 1
            if r is None:
                for name in ("sex", "age_band", "education", "ethnicity"):
                    getattr(f, name)[UNKNOWN] += 1
                f.sex_age_band[UNKNOWN, UNKNOWN] += 1
                f.party["not_party_member"] += 1
                f.term["new"] += 1
                continue
            residents_in_office.append((w.office, r))
            age = age_on(r.birth_date, day)
            band = age_band(age, AGE_BANDS).key
            f.sex[r.sex] += 1
            f.age_band[band] += 1
            f.sex_age_band[r.sex, band] += 1
            f.age_total += age
            f.aged += 1
            f.education[education_level(r.education)] += 1
            f.ethnicity[r.ethnicity or UNKNOWN] += 1
            member = Member.objects.filter(resident=r).exists()
            f.party["party_member" if member else "not_party_member"] += 1
            f.term["re_elected" if r.id_number in previous else "new"] += 1
    for office, r in residents_in_office:
        if office == "director":
            f.directors += 1
            f.directors_under_35 += age_on(r.birth_date, day) < 35
            f.directors_under_40 += age_on(r.birth_date, day) < 40
    for s in Seat.objects.filter(organisation__place=place, until__isnull=True):
        if s.office == "secretary":
            f.secretaries += 1
            f.secretaries_under_35 += age_on(s.member.resident.birth_date, day) < 35
            f.secretaries_under_40 += age_on(s.member.resident.birth_date, day) < 40
    two = committees.of_place(cycle, place).two
    f.dual_head_places = int(two.dual_head)
    f.two_committee_members = len(two.people)
    f.cross_appointed = len(two.cross_appointed)
    party = next((e for e in elections if e.body == "party_committee"), None)
    if party is not None:
        voting = [m for m in Meeting.objects.filter(election=party) if m.poll_id]
        if voting:
            meeting = max(voting, key=lambda m: (m.held_on, m.pk))
            f.party_due = meeting.due
            f.party_present = Attendance.objects.filter(meeting=meeting).count()
    for c in Candidate.objects.filter(election__in=elections, status="disqualified"):
        f.disqualified += 1
        hits = [i for v in c.verdicts.all() if v.outcome == "hit" for i in v.items or ()]
        f.disqualified_by_item[str(min(hits)) if hits else UNKNOWN] += 1
    return f
