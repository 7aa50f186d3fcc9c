"""Loading the demo county: every generated row lands, with a cycle under way whose
sign-offs went through the real service and its audit trail."""

from collections import Counter
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count

from huanjie.accounts.models import Role
from huanjie.audit.models import Record
from huanjie.audit.trail import verify
from huanjie.candidates.models import Candidate, Department
from huanjie.candidates.roster import is_final
from huanjie.cli import BadInput
from huanjie.cli.web import compile_translations, run
from huanjie.cycles.models import Cycle, Election, Office, Step, StepStatus
from huanjie.demo import county as demo
from huanjie.demo import pilot
from huanjie.demo.load import DEMO_ACCOUNTS, DEMO_PASSWORD, DemoExists, build_demo
from huanjie.party.models import Member, Organisation
from huanjie.places.models import Place
from huanjie.rules import profiles, seats, timeline
from huanjie.rules.negative_list import SEED_DEPARTMENTS
from huanjie.voters.models import Relation, Resident

RESIDENTS, SEED = 3_000, 7
TODAY = date(2026, 11, 21)


@pytest.fixture(scope="module")
def summary(django_db_setup, django_db_blocker):
    """One load for the whole module, rolled back at its end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_demo(RESIDENTS, SEED, today=TODAY)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def county():
    return demo.generate(RESIDENTS, SEED)


@pytest.mark.django_db
def test_rows(summary, county):
    assert Place.objects.count() == len(county.places) == summary["places"]
    assert Resident.objects.count() == RESIDENTS == summary["residents"]
    assert Relation.objects.count() == len(county.ties) == summary["relations"]
    assert Organisation.objects.count() == len(county.electing) == summary["party_organisations"]
    # The generated members, and those the pilot branch adds for its meeting.
    pilot_branch = Organisation.objects.get(place__code=pilot.PILOT)
    assert pilot_branch.members.count() == pilot.PARTY_MEMBERS
    assert Member.objects.count() == summary["party_members"]
    assert (
        len(county.members) < summary["party_members"] <= len(county.members) + pilot.PARTY_MEMBERS
    )
    assert Relation.objects.filter(kind="spouse").count() == sum(
        t.kind == "spouse" for t in county.ties
    )
    # Keys were given explicitly; new rows made the ordinary way must not collide.
    county_place = Place.objects.get(code=demo.COUNTY_CODE)
    township = Place.objects.create(
        code="430121199000", name="新区街道", kind="street", parent=county_place
    )
    assert township.pk > max(Place.objects.exclude(pk=township.pk).values_list("pk", flat=True))
    person = Resident.objects.first()
    Relation.objects.create(person=person, relative=Resident.objects.last(), kind="parent")


@pytest.mark.django_db
def test_residents_as_generated(summary, county):
    rows = {r.id_number: r for r in Resident.objects.select_related("group")}
    for person in county.people[::97]:
        row = rows[person.id_number]
        assert (row.name, row.sex, row.birth_date) == (person.name, person.sex, person.birth_date)
        assert row.household_code == person.household_place
        assert row.residence_code == person.residence_place
        assert (row.intent, row.approved) == (person.intent, person.approved)
        assert (row.group.code if row.group else None) == person.group
        assert row.household_number == person.household_number
        assert row.lives_since == person.lives_since
        assert row.is_migrant == (person.household_place != person.residence_place)
    spouses = Relation.objects.filter(kind="spouse").select_related("person", "relative")
    pairs = {(r.person.id_number, r.relative.id_number) for r in spouses}
    assert pairs and all((b, a) in pairs for a, b in pairs)
    for r in Relation.objects.filter(kind="parent").select_related("person", "relative")[:500]:
        assert (r.person.birth_date - r.relative.birth_date).days > 18 * 365


@pytest.mark.django_db
def test_place_counts_match_the_rows(summary):
    county = Place.objects.get(code=demo.COUNTY_CODE)
    assert county.kind == "county" and county.parent is None
    registered = dict(
        Resident.objects.values("household_code")
        .annotate(n=Count("id"))
        .values_list("household_code", "n")
    )
    households = dict(
        Resident.objects.values("household_code")
        .annotate(n=Count("household_number", distinct=True))
        .values_list("household_code", "n")
    )
    for place in Place.objects.electing():
        assert place.population == registered.get(place.code, 0)
        assert place.households == households.get(place.code, 0)
    in_groups = dict(
        Resident.objects.values("group").annotate(n=Count("id")).values_list("group", "n")
    )
    for group in Place.objects.filter(kind="group")[:300]:
        assert group.population == in_groups.get(group.pk, 0)
    here = Resident.objects.filter(household_code__startswith="430121")
    assert county.population == here.count()
    assert sum(t.population for t in county.children.all()) == county.population
    first = Place.objects.get(code="430121001000")
    assert first.name == "星沙街道" and first.parent == county
    assert Place.objects.within(first).electing().count() == len(
        [p for p in demo.generate(1, SEED).electing if p.parent == first.code]
    )


@pytest.mark.django_db
def test_party(summary):
    for organisation in Organisation.objects.annotate(n=Count("members")):
        expected = (
            "committee"
            if organisation.n >= 100
            else "general_branch"
            if organisation.n >= 50
            else "branch"
        )
        assert organisation.kind == expected
    for member in Member.objects.select_related("resident", "organisation__place")[:200]:
        assert member.organisation.place.code == member.resident.household_code


@pytest.mark.django_db
def test_cycle_and_elections(summary, county):
    cycle = Cycle.objects.get()
    assert cycle.county.code == demo.COUNTY_CODE
    assert (cycle.term_number, cycle.profile) == (12, "hunan")
    assert (cycle.starts_on, cycle.ends_on) == (date(2026, 10, 1), date(2027, 3, 31))
    assert cycle.name == "第十二届村（社区）“两委”换届"
    bodies = Counter(Election.objects.values_list("place__kind", "body"))
    villages, communities = len(county.of_kind("village")), len(county.of_kind("community"))
    assert bodies == {
        ("village", "villagers_committee"): villages,
        ("village", "party_committee"): villages,
        ("village", "election_committee"): villages,
        ("community", "residents_committee"): communities,
        ("community", "party_committee"): communities,
        ("community", "election_committee"): communities,
    }
    assert summary["elections"] == 3 * len(county.electing)
    profile = profiles.PROFILES["hunan"]
    others = Election.objects.select_related("place").exclude(place__code__in=pilot.PILOTS)
    for election in others[:60]:
        day = county.election_days[election.place.code]
        due = timeline.due_dates(day, profile)
        expected_day = {
            "party_committee": due["party_members_meeting"],
            "election_committee": due["election_committee"],
        }.get(election.body, day)
        assert election.election_day == expected_day
        layout = seats.default_offices(seats.Body(election.body), election.place.kind)
        offices = list(election.offices.order_by("rank"))
        assert {o.key: o.seats for o in offices} == layout
        assert offices[0].key == seats.HEAD[seats.Body(election.body)].key
    assert Office.objects.count() == summary["offices"]


@pytest.mark.django_db
def test_accounts(summary):
    User = get_user_model()
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        assert user.check_password(DEMO_PASSWORD)
        assert not user.check_password("huanjie-demo")
        assert user.role.kind == account.role
        assert user.role.place.code == account.place
        assert user.role.department == account.department
    roles = {r.user.username: r for r in Role.objects.select_related("user", "place")}
    assert roles["reviewer"].department == "纪检监察机关"
    assert roles["reviewer2"].department == "公安局"
    departments = set(Department.objects.values_list("name", flat=True))
    assert departments == set(SEED_DEPARTMENTS)
    assert roles["committee"].place.kind == "village"
    assert roles["committee"].place.parent.code == roles["township1"].place.code
    assert roles["township2"].place.code == "430121002000"
    townships = Place.objects.filter(kind__in=["township", "street"])
    staff = Role.objects.filter(kind="township_staff")
    assert sorted(r.place.code for r in staff) == sorted(t.code for t in townships)
    assert summary["accounts"] == len(roles) == len(DEMO_ACCOUNTS) + 8


@pytest.mark.django_db
def test_the_pilot_votes_today_with_a_final_list(summary):
    election = Election.objects.get(place__code=pilot.PILOT, body="residents_committee")
    assert election.election_day == TODAY
    assert is_final(election)
    by_office = Counter(
        Candidate.objects.filter(election=election, status="formal").values_list(
            "office", flat=True
        )
    )
    assert by_office == {"director": 2, "deputy": 2, "member": 4}
    # Eight per pilot place, and the four of the pilot's party committee.
    assert summary["pilot_candidates"] == 8 * len(pilot.PILOTS) + 4
    later = Election.objects.get(place__code="430121002007", body="residents_committee")
    assert later.election_day == TODAY + timedelta(days=3) and is_final(later)
    women = Candidate.objects.filter(election=election, resident__sex="F").count()
    assert women >= 1


@pytest.mark.django_db
def test_steps_signed_off_through_the_service(summary):
    steps = list(Step.objects.select_related("place__parent", "signed_off_by__role"))
    assert len(steps) == summary["steps_signed_off"] > 100
    done = {(s.place_id, s.key) for s in steps if s.status == StepStatus.DONE}
    assert len(done) == len(steps)
    for step in steps:
        assert step.signed_off_by.role.place_id == step.place.parent_id  # township staff
        assert date(2026, 10, 1) <= step.done_on <= TODAY
        for required in timeline.BY_KEY[step.key].requires:
            assert (step.place_id, required) in done, (step.place, step.key, required)
    # Audit gate (审计不结束不换届): no election committee without the audit.
    committees = [s for s in steps if s.key == "election_committee"]
    assert committees
    records = Record.objects.filter(action="step.sign_off")
    assert records.count() == len(steps)
    assert set(records.values_list("username", flat=True)) <= {f"township{n}" for n in range(1, 11)}
    assert Record.objects.filter(action="cycle.create").count() == 1
    assert verify() is None


@pytest.mark.django_db
def test_some_townships_are_late(summary):
    """The dashboard's story: a few townships hold most of the overdue steps."""
    from huanjie.cycles.timeline import timelines

    cycle = Cycle.objects.get()
    late = [tl for tl in timelines(cycle, Place.objects.electing(), TODAY) if tl.overdue]
    assert len(late) == summary["places_behind"] > 0
    assert sum(len(tl.overdue) for tl in late) == summary["steps_overdue"]
    by_township = Counter(tl.place.code[:9] for tl in late)
    top_three = sum(n for _code, n in by_township.most_common(3))
    assert top_three >= 0.7 * len(late)
    on_time = Place.objects.electing().count() - len(late)
    assert on_time > len(late)


@pytest.mark.django_db
def test_loading_twice_is_refused(summary):
    with pytest.raises(DemoExists):
        build_demo(50, SEED, today=TODAY)
    assert Resident.objects.count() == RESIDENTS


# -- the command line -----------------------------------------------------------------


def test_demo_refuses_another_database(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://someone@db.example/production")
    with pytest.raises(BadInput, match="DATABASE_URL"):
        run(["demo", "--no-serve"])
    with pytest.raises(BadInput, match="--residents"):
        run(["demo", "--residents", "0", "--force"])


def test_compile_translations(tmp_path):
    messages = tmp_path / "zh_Hans" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    po = messages / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Voter"\nmsgstr "选民"\n',
        encoding="utf-8",
    )
    assert compile_translations(tmp_path) == [messages / "django.mo"]
    assert compile_translations(tmp_path) == []  # up to date: nothing to do
    import gettext

    with (messages / "django.mo").open("rb") as mo:
        assert gettext.GNUTranslations(mo).gettext("Voter") == "选民"


@pytest.mark.django_db
def test_the_pilot_party_branch_elects_today(summary):
    election = Election.objects.get(place__code=pilot.PILOT, body="party_committee")
    assert election.election_day == TODAY
    assert is_final(election)
    standing = Candidate.objects.filter(election=election, status="formal")
    assert standing.count() == 4  # three seats and the 20% surplus
    members = {m.resident_id: m for m in Member.objects.filter(organisation__place=election.place)}
    assert all(members[c.resident_id].status == "full" for c in standing)
    directors = Candidate.objects.filter(
        election__place=election.place, election__body="residents_committee", office="director"
    )
    # The candidates for director stand for the party committee too (一肩挑 is the aim).
    assert {c.resident_id for c in directors} <= {c.resident_id for c in standing}
    assert sum(m.status == "full" for m in members.values()) >= 9
