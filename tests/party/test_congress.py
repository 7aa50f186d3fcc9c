"""The delegate congress services (huanjie.party.congress): approval and seats, the
candidates of each unit, the votes, the composition, the credentials review, the
seated delegates and calling the congress.

金茶村党总支 here has 40 members in three party groups (21, 12, 7), so 10 delegates
are shared 5, 3, 2 (quotas 5.25, 3, 1.75).
"""

from datetime import date, timedelta
from fractions import Fraction

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from huanjie.audit.models import Record
from huanjie.cycles.services import RuleViolation
from huanjie.party import congress
from huanjie.party.models import Delegate, Meeting, Member, Organisation, Unit
from huanjie.rules.congress import CompositionTargets
from huanjie.rules.identity import make_id
from huanjie.voters.models import Resident

A1 = "430121001201"
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤何"
GIVEN = ("明", "华")
#: The three party groups and their sizes.
CELLS = (("第一党小组", 21), ("第二党小组", 12), ("第三党小组", 7))


def people():
    """(name, cell, sex, birth year, cadre, front line, probationary) of 40 members."""
    names = [s + g for g in GIVEN for s in SURNAMES]
    rows, i = [], 0
    for cell, size in CELLS:
        for k in range(size):
            rows.append(
                (
                    names[i],
                    cell,
                    "F" if i % 3 == 0 else "M",
                    1960 + (i * 7) % 40,
                    k % 4 == 0,
                    k % 2 == 1,
                    k == size - 1,  # the last of each group is probationary
                )
            )
            i += 1
    return rows


def make_roster(place, name="金茶村党总支"):
    organisation = Organisation.objects.create(place=place, name=name, kind="general_branch")
    made = {}
    for i, (person, cell, sex, year, cadre, front, probationary) in enumerate(people()):
        born = date(year, 1 + i % 12, 1 + i % 28)
        resident = Resident.objects.create(
            id_number=make_id(place.code[:6], born, 2 * (i + 1) + 100, sex),
            name=person,
            sex=sex,
            birth_date=born,
            household_code=place.code,
            residence_code=place.code,
        )
        made[person] = Member.objects.create(
            organisation=organisation,
            resident=resident,
            status="probationary" if probationary else "full",
            joined_on=date(2000, 7, 1),
            cell=cell,
            cadre=cadre,
            front_line=front,
        )
    return made


def of_cell(roster, cell):
    return [m for m in roster.values() if m.cell == cell]


@pytest.fixture
def roster(village_a1, cycle):
    return make_roster(village_a1)


@pytest.fixture
def approved(party_election, roster, user_township_a):
    return congress.approve(
        user_township_a,
        party_election,
        approved_on=timezone.localdate() - timedelta(days=3),
        reference="湘星组〔2026〕7号",
        delegates=10,
    )


def unit_named(election, name):
    return Unit.objects.get(congress__election=election, name=name)


def put_forward(user, election, unit, count):
    """``count`` more members of ``unit`` with a vote as its candidates."""
    standing = {d.member_id for d in congress.candidates(unit)}
    members = [
        m
        for m in Member.objects.filter(organisation__place=election.place, cell=unit.name)
        .select_related("resident")
        .order_by("id")
        if m.status == "full" and m.pk not in standing
    ]
    return [congress.add_candidate(user, election, unit, m.resident.name) for m in members[:count]]


def vote(user, election, unit, numbers):
    standing = congress.candidates(unit)
    return congress.record_result(
        user, election, unit, {d.pk: n for d, n in zip(standing, numbers, strict=True)}
    )


@pytest.fixture
def elected(approved, party_election, user_committee_a1):
    """Every unit has voted: 5 of 6, 3 of 4, 2 of 3 elected."""
    for name, seats in (("第一党小组", 5), ("第二党小组", 3), ("第三党小组", 2)):
        unit = unit_named(party_election, name)
        put_forward(user_committee_a1, party_election, unit, seats + 1)
        vote(user_committee_a1, party_election, unit, [30 - i for i in range(seats + 1)])
    return congress.elected(party_election)


# The seated delegates (the due list of the congress meeting)


def test_seated_are_the_elected_with_confirmed_credentials(
    elected, party_election, user_committee_a1
):
    assert congress.seated(party_election) == []
    first, second, *rest = elected
    congress.review(user_committee_a1, party_election, first.pk, confirmed=True)
    congress.review(user_committee_a1, party_election, second.pk, confirmed=False, note="违纪")
    assert congress.seated(party_election) == [first.member]
    assert all(isinstance(m, Member) for m in congress.seated(party_election))


def test_seated_without_a_congress_is_empty(party_election):
    assert congress.seated(party_election) == []


# Approval and seats


def test_approval_allocates_the_seats_by_members(approved, party_election):
    assert approved.delegates == 10
    assert approved.targets == CompositionTargets().as_json()
    units = {u.name: (u.members, u.seats) for u in approved.units.all()}
    assert units == {"第一党小组": (21, 5), "第二党小组": (12, 3), "第三党小组": (7, 2)}
    record = Record.objects.get(action="party.congress_approve")
    assert record.after["seats"] == {"第一党小组": 5, "第二党小组": 3, "第三党小组": 2}
    assert record.place_code == party_election.place.code


def test_fewer_than_500_members_is_shown_as_a_warning(approved, party_election):
    (finding,) = congress.congress_findings(party_election)
    assert finding.code == "congress.few_members" and not finding.is_error


def test_scattered_branches_are_a_reason_for_a_congress(party_election, roster, user_township_a):
    found = congress.approve(
        user_township_a,
        party_election,
        approved_on=timezone.localdate(),
        delegates=10,
        scattered=True,
    )
    assert found.scattered
    assert congress.congress_findings(party_election) == []
    assert Record.objects.get(action="party.congress_approve").after["scattered"] is True


def test_approval_needs_the_upper_level(
    party_election, roster, user_committee_a1, user_observer, user_township_b
):
    for user in (user_committee_a1, user_observer):
        with pytest.raises(PermissionDenied):
            congress.approve(user, party_election, approved_on=date(2026, 1, 5), delegates=10)
    with pytest.raises(Http404):
        congress.approve(
            user_township_b, party_election, approved_on=date(2026, 1, 5), delegates=10
        )
    assert congress.of(party_election) is None


@pytest.mark.usefixtures("english")
def test_approval_refuses_bad_numbers(party_election, roster, user_township_a):
    with pytest.raises(RuleViolation, match="cannot give each of the 3 units"):
        congress.approve(user_township_a, party_election, approved_on=date(2026, 1, 5), delegates=2)
    with pytest.raises(RuleViolation, match="in the future"):
        congress.approve(
            user_township_a,
            party_election,
            approved_on=timezone.localdate() + timedelta(days=1),
            delegates=10,
        )
    with pytest.raises(RuleViolation, match="at least 1"):
        congress.approve(user_township_a, party_election, approved_on=date(2026, 1, 5), delegates=0)


@pytest.mark.usefixtures("english")
def test_only_a_party_election_has_a_congress(election_a1, roster, user_township_a):
    with pytest.raises(RuleViolation, match="party committee"):
        congress.approve(user_township_a, election_a1, approved_on=date(2026, 1, 5), delegates=10)


@pytest.mark.usefixtures("english")
def test_seats_change_until_a_candidate_is_put_forward(
    approved, party_election, user_township_a, user_committee_a1, roster
):
    congress.approve(
        user_township_a,
        party_election,
        approved_on=approved.approved_on,
        delegates=20,
        targets=CompositionTargets(women_at_least=Fraction(1, 5)),
    )
    # quotas 10.5, 6, 3.5: the seat left goes to the larger of the equal fractions
    units = {u.name: u.seats for u in congress.require(party_election).units.all()}
    assert units == {"第一党小组": 11, "第二党小组": 6, "第三党小组": 3}
    assert congress.require(party_election).targets["women_at_least"] == "1/5"
    # a member moves to the third group: reallocated from the roster as it is
    mover = of_cell(roster, "第一党小组")[0]
    mover.cell = "第三党小组"
    mover.save()
    assert congress.reallocate(user_committee_a1, party_election) == {
        "第一党小组": 10,
        "第二党小组": 6,
        "第三党小组": 4,
    }
    assert unit_named(party_election, "第三党小组").members == 8
    put_forward(user_committee_a1, party_election, unit_named(party_election, "第三党小组"), 1)
    with pytest.raises(RuleViolation, match="can no longer change"):
        congress.reallocate(user_committee_a1, party_election)
    with pytest.raises(RuleViolation, match="can no longer change"):
        congress.approve(
            user_township_a, party_election, approved_on=approved.approved_on, delegates=12
        )


# Candidates


@pytest.mark.usefixtures("english")
def test_candidates_are_members_of_the_unit_with_a_vote(
    approved, party_election, roster, user_committee_a1
):
    third = unit_named(party_election, "第三党小组")
    first_member = of_cell(roster, "第一党小组")[0]
    with pytest.raises(RuleViolation, match="is not a party member of 第三党小组"):
        congress.add_candidate(user_committee_a1, party_election, third, first_member.resident.name)
    probationary = of_cell(roster, "第三党小组")[-1]
    assert probationary.status == "probationary"
    with pytest.raises(RuleViolation, match="has no vote"):
        congress.add_candidate(user_committee_a1, party_election, third, probationary.resident.name)
    member = of_cell(roster, "第三党小组")[0]
    delegate = congress.add_candidate(
        user_committee_a1, party_election, third, member.resident.id_number
    )
    assert delegate.member == member and not delegate.elected
    with pytest.raises(RuleViolation, match="already a candidate"):
        congress.add_candidate(user_committee_a1, party_election, third, member.resident.name)
    assert Record.objects.filter(action="party.delegate_candidate").count() == 1
    congress.remove_candidate(user_committee_a1, party_election, delegate.pk)
    assert not Delegate.objects.exists()
    assert Record.objects.filter(action="party.delegate_candidate_remove").count() == 1


def test_candidates_need_the_run_party_capability(
    approved, party_election, roster, user_observer, user_township_b
):
    third = unit_named(party_election, "第三党小组")
    name = of_cell(roster, "第三党小组")[0].resident.name
    with pytest.raises(PermissionDenied):
        congress.add_candidate(user_observer, party_election, third, name)
    with pytest.raises(Http404):
        congress.add_candidate(user_township_b, party_election, third, name)


@pytest.mark.usefixtures("english")
def test_a_unit_votes_only_with_20_percent_more_candidates(
    approved, party_election, user_committee_a1
):
    first = unit_named(party_election, "第一党小组")
    assert first.seats == 5
    put_forward(user_committee_a1, party_election, first, 5)
    (finding,) = congress.unit_findings(party_election, first)
    assert finding.params["needed"] == 6
    with pytest.raises(RuleViolation, match="needs at least 6 candidates"):
        vote(user_committee_a1, party_election, first, [9, 8, 7, 6, 5])
    put_forward(user_committee_a1, party_election, first, 1)
    assert congress.unit_findings(party_election, first) == []


# Results


@pytest.mark.usefixtures("english")
def test_the_top_of_the_vote_is_elected_and_a_tie_is_reported(
    approved, party_election, user_committee_a1
):
    third = unit_named(party_election, "第三党小组")
    a, b, c = put_forward(user_committee_a1, party_election, third, 3)
    with pytest.raises(RuleViolation, match="votes of .* are missing"):
        congress.record_result(user_committee_a1, party_election, third, {a.pk: 3})
    with pytest.raises(RuleViolation, match="negative"):
        congress.record_result(
            user_committee_a1, party_election, third, {a.pk: 3, b.pk: -1, c.pk: 0}
        )
    chosen = vote(user_committee_a1, party_election, third, [9, 5, 5])
    assert [d.pk for d in chosen] == [a.pk]
    assert {d.pk for d in congress.ties(third)} == {b.pk, c.pk}
    assert not congress.all_reviewed(party_election)
    # the re-vote among the tied is recorded the same way
    chosen = vote(user_committee_a1, party_election, third, [9, 6, 5])
    assert [d.pk for d in chosen] == [a.pk, b.pk]
    assert congress.ties(third) == []
    assert Record.objects.filter(action="party.delegate_result").count() == 2
    with pytest.raises(RuleViolation, match="can no longer change"):
        congress.add_candidate(user_committee_a1, party_election, third, "x")


def test_composition_of_the_elected(elected, party_election):
    assert len(elected) == 10
    codes = {f.code for f in congress.composition(party_election)}
    shares = {
        "cadres": sum(d.member.cadre for d in elected),
        "front": sum(d.member.front_line for d in elected),
        "women": sum(d.member.resident.sex == "F" for d in elected),
    }
    assert ("congress.composition_cadres" in codes) == (shares["cadres"] > 5)
    assert ("congress.composition_front_line" in codes) == (shares["front"] < 3)
    assert ("congress.composition_women" in codes) == (shares["women"] < 2)


# Credentials review and the congress


@pytest.mark.usefixtures("english")
def test_credentials_review(elected, party_election, user_committee_a1, user_observer):
    first = elected[0]
    with pytest.raises(PermissionDenied):
        congress.review(user_observer, party_election, first.pk, confirmed=True)
    with pytest.raises(RuleViolation, match="Say why"):
        congress.review(user_committee_a1, party_election, first.pk, confirmed=False)
    not_elected = Delegate.objects.filter(elected=False).first()
    with pytest.raises(RuleViolation, match="has not been elected"):
        congress.review(user_committee_a1, party_election, not_elected.pk, confirmed=True)
    # a delegate who has since lost the vote cannot be confirmed
    member = first.member
    member.under_probation_sanction = True
    member.save()
    with pytest.raises(RuleViolation, match="no vote"):
        congress.review(user_committee_a1, party_election, first.pk, confirmed=True)
    refused = congress.review(
        user_committee_a1, party_election, first.pk, confirmed=False, note="受留党察看处分"
    )
    assert refused.review == Delegate.Review.REFUSED and refused.reviewed_at
    record = Record.objects.get(action="party.delegate_review")
    assert record.before["review"] == "pending" and record.after["note"] == "受留党察看处分"
    unit = first.unit
    with pytest.raises(RuleViolation, match="reviewed"):
        vote(user_committee_a1, party_election, unit, [1] * len(congress.candidates(unit)))


@pytest.mark.usefixtures("english")
def test_the_congress_is_called_when_every_delegate_is_reviewed(
    elected, party_election, user_committee_a1
):
    day = timezone.localdate() + timedelta(days=7)
    with pytest.raises(RuleViolation, match="every delegate been reviewed"):
        congress.call(user_committee_a1, party_election, held_on=day)
    for d in elected[:-1]:
        congress.review(user_committee_a1, party_election, d.pk, confirmed=True)
    congress.review(user_committee_a1, party_election, elected[-1].pk, confirmed=False, note="x")
    assert congress.all_reviewed(party_election)
    meeting = congress.call(user_committee_a1, party_election, held_on=day, venue="村部")
    assert meeting.kind == Meeting.Kind.CONGRESS and meeting.place_name == "村部"
    assert congress.congress_meeting(party_election) == meeting
    assert len(congress.seated(party_election)) == 9
    assert Record.objects.filter(action="party.meeting", target_id=str(meeting.pk)).exists()
    with pytest.raises(RuleViolation, match="called already"):
        congress.call(user_committee_a1, party_election, held_on=day)
    with pytest.raises(RuleViolation, match="called"):
        congress.review(user_committee_a1, party_election, elected[-1].pk, confirmed=True)
