"""Rebuilding one place's roll keeps the other rolls right: someone the rules register
elsewhere is added there, someone who left the records leaves every unposted roll, and
a conflict about them lapses."""

from datetime import date, timedelta

import pytest

from huanjie.cycles.services import RuleViolation
from huanjie.voters import conflicts, rolls
from huanjie.voters.models import Conflict, Publication, Voter

pytestmark = pytest.mark.django_db

A1, B1 = "430121001201", "430121100201"

TWO_YEARS = timedelta(days=2 * 366)


def _listed(cycle, resident):
    return list(
        Voter.objects.filter(
            cycle=cycle, id_number=resident.id_number, status="listed"
        ).values_list("place__code", "number", "category")
    )


def test_a_newcomer_registered_outside_the_scope_joins_that_roll(
    rolls_built, cycle, make_resident, election_day, village_a1, user_county_admin
):
    top = max(Voter.objects.filter(cycle=cycle, place__code=B1).values_list("number", flat=True))
    # Registered in 金茶村 but living in 黄兴村 for two years, applied and agreed there.
    mover = make_resident(
        "冯涛",
        A1,
        B1,
        born=date(1984, 4, 4),
        intent="参加",
        approved=True,
        lives_since=election_day - TWO_YEARS,
    )
    rolls.build(user_county_admin, cycle, village_a1)
    assert _listed(cycle, mover) == [(B1, top + 1, "人在户不在")]


def test_not_added_to_a_posted_roll(
    rolls_built, cycle, make_resident, election_day, village_a1, village_b1, user_county_admin
):
    Publication.objects.create(
        cycle=cycle,
        place=village_b1,
        kind="voter_list",
        published_on=date.today(),
        file="notices/x.pdf",
        user=user_county_admin,
    )
    mover = make_resident(
        "冯涛", A1, B1, intent="参加", approved=True, lives_since=election_day - TWO_YEARS
    )
    rolls.build(user_county_admin, cycle, village_a1)
    assert _listed(cycle, mover) == []


def test_someone_who_left_the_records_leaves_the_rolls_and_their_conflict_lapses(
    rolls_built, people, cycle, village_a1, user_county_admin
):
    zhou = people["周杰"]  # household 金茶村, lives in 黄兴村, staff of 松雅社区: a conflict
    assert _listed(cycle, zhou) and Conflict.objects.filter(id_number=zhou.id_number).exists()
    conflict = Conflict.objects.get(id_number=zhou.id_number)
    zhou.in_records = False
    zhou.save()
    rolls.build(user_county_admin, cycle, village_a1)
    assert _listed(cycle, zhou) == []
    assert not Conflict.objects.filter(id_number=zhou.id_number).exists()
    with pytest.raises(Conflict.DoesNotExist):
        conflict.refresh_from_db()


def test_a_lapsed_conflict_cannot_be_decided(rolls_built, people, cycle, user_county_admin):
    zhou = people["周杰"]
    conflict = Conflict.objects.get(id_number=zhou.id_number)
    zhou.in_records = False
    zhou.save()
    with pytest.raises(RuleViolation):
        conflicts.resolve(user_county_admin, conflict, A1, "他户口迁回本村")
