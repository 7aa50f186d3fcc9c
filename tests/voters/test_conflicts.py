"""One person, one place (不重登, DOMAIN §4) in the database: what rolls.build does with
people who qualify in several communities, and how the township or the county
resolves a conflict (huanjie.voters.conflicts), on the service and on the pages."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from huanjie.audit.models import Record
from huanjie.cycles.models import Election
from huanjie.cycles.services import RuleViolation
from huanjie.places.models import Place
from huanjie.voters import conflicts, rolls
from huanjie.voters.models import Conflict, Exclusion, Publication, Voter

pytestmark = pytest.mark.django_db

# The places of tests/voters/conftest.py's ``people``.
A1, A2, B1, B2 = "430121001201", "430121001001", "430121100201", "430121100001"
OUTSIDE = "430181001201"


def listed(name) -> list[tuple[str, int, str]]:
    """Where the roll lists a person: (place code, number, category)."""
    return list(
        Voter.objects.filter(name=name, status=Voter.Status.LISTED).values_list(
            "place__code", "number", "category"
        )
    )


def excluded(name) -> set[tuple[str, str]]:
    return set(Exclusion.objects.filter(name=name).values_list("place__code", "reason"))


def roll(code) -> list[tuple[int, str]]:
    return list(
        Voter.objects.filter(place__code=code, status=Voter.Status.LISTED)
        .order_by("number")
        .values_list("number", "name")
    )


def post_list(cycle, code, user):
    return Publication.objects.create(
        cycle=cycle,
        place=Place.objects.get(code=code),
        kind=Publication.Kind.VOTER_LIST,
        published_on=timezone.localdate(),
        file="notices/test.pdf",
        user=user,
    )


# rolls.build keeps one person, one place


def test_build_lists_everyone_once(rolls_built, people):
    numbers = list(Voter.objects.values_list("id_number", flat=True))

    assert len(numbers) == len(set(numbers)) == 12
    assert rolls_built.voters == 12
    assert rolls_built.conflicts == 2


def test_a_person_of_three_places_is_registered_in_one_and_excluded_in_the_others(rolls_built):
    """周杰: household in 金茶村, lives in 黄兴村 (2 years, agreed), full-time staff of
    松雅社区 (agreed): 人在户不在 ranks first (CONTRACTS §3 rule 5)."""
    assert listed("周杰") == [(B1, 2, "人在户不在")]
    assert excluded("周杰") == {(A1, "registered_elsewhere"), (A2, "registered_elsewhere")}
    conflict = Conflict.objects.get(name="周杰")
    assert conflict.options == [[B1, "人在户不在"], [A1, "户在人不在"], [A2, "专职工作人员"]]
    assert conflict.registered_code == B1
    assert conflict.status == Conflict.Status.OPEN


def test_a_conflict_with_a_community_outside_the_county(rolls_built):
    """钱进 qualifies where he lives and, as he will take part, in his 户籍地 in 浏阳."""
    assert listed("钱进") == [(A1, 3, "人在户不在")]
    assert Conflict.objects.get(name="钱进").options == [
        [A1, "人在户不在"],
        [OUTSIDE, "户在人不在"],
    ]
    assert excluded("钱进") == set()  # 浏阳 is not a place of this system


def test_the_database_refuses_a_second_listed_line_for_a_person(rolls_built, cycle, people):
    line = Voter.objects.get(name="李华")
    line.pk, line.place, line.number = None, Place.objects.get(code=B2), 99

    with pytest.raises(IntegrityError), transaction.atomic():
        line.save()

    line.status = Voter.Status.REMOVED  # a removed line does not count
    line.save()


def test_building_one_township_leaves_the_other_alone(
    people, cycle, township_a, township_b, user_county_admin
):
    rolls.build(user_county_admin, cycle, township_a)

    assert listed("周杰") == []  # registered in 黄兴村, whose roll is not built yet
    assert excluded("周杰") == {(A1, "registered_elsewhere"), (A2, "registered_elsewhere")}
    assert Conflict.objects.filter(name="周杰").exists()

    rolls.build(user_county_admin, cycle, township_b)
    assert listed("周杰") == [(B1, 2, "人在户不在")]
    assert listed("王小明") == [(A1, 4, "户在人在")]


def test_edges_of_age_and_residence_on_the_database(
    cycle, county, make_resident, user_county_admin
):
    """Exactly 18 on D is old enough and a day short is not; exactly one year of
    residence is enough and a day short is not; an invalid number and a person deprived
    of rights are excluded once, under their 户籍地."""
    Election.objects.filter(cycle=cycle).update(election_day=date(2026, 6, 1))
    make_resident("满十八", A2, born=date(2008, 6, 1))
    make_resident("差一天", A2, born=date(2008, 6, 2))
    common = dict(intent="参加", approved=True)
    make_resident("住满一年", OUTSIDE, A2, lives_since=date(2025, 6, 1), **common)
    make_resident("差一天住", OUTSIDE, A2, lives_since=date(2025, 6, 2), **common)
    make_resident("剥夺者", A2, B1, deprived_of_rights=True, intent="参加")
    bad = make_resident("错号码", A2)
    bad.id_number = bad.id_number[:-1] + ("0" if bad.id_number[-1] != "0" else "1")
    bad.save()

    rolls.build(user_county_admin, cycle, county, today=date(2026, 1, 1))

    assert [(code, cat) for code, _n, cat in listed("满十八")] == [(A2, "户在人在")]
    assert excluded("差一天") == {(A2, "under_age")}
    assert [(code, cat) for code, _n, cat in listed("住满一年")] == [(A2, "人在户不在")]
    assert excluded("差一天住") == {(A2, "residence_too_short")}
    assert excluded("剥夺者") == {(A2, "deprived_of_rights")}  # once, not also in 黄兴村
    assert excluded("错号码") == {(A2, "invalid_id")}
    assert listed("差一天") == listed("剥夺者") == listed("错号码") == []


@pytest.mark.parametrize(
    ("day", "listed_then"),
    [(date(2026, 2, 28), False), (date(2026, 3, 1), True)],
)
def test_born_on_29_february_turns_18_on_1_march(
    cycle, county, make_resident, user_county_admin, day, listed_then
):
    make_resident("闰日生", A1, born=date(2008, 2, 29))
    Election.objects.filter(cycle=cycle).update(election_day=day)

    rolls.build(user_county_admin, cycle, county, today=date(2026, 1, 1))

    if listed_then:
        assert [code for code, _n, _c in listed("闰日生")] == [A1]
    else:
        assert excluded("闰日生") == {(A1, "under_age")}


# Resolving


def test_resolving_moves_the_person_and_is_audited(rolls_built, cycle, user_county_admin):
    conflict = Conflict.objects.get(name="周杰")
    seq = Record.objects.order_by("-seq").values_list("seq", flat=True).first()

    conflicts.resolve(user_county_admin, conflict, A1, "户籍在金茶村，本人要求回村参选")

    assert listed("周杰") == [(A1, 7, "户在人不在")]
    assert roll(B1) == [(1, "吴芳"), (2, "黄勇")]  # no gap where he was
    assert excluded("周杰") == {(B1, "registered_elsewhere"), (A2, "registered_elsewhere")}
    conflict.refresh_from_db()
    assert conflict.status == Conflict.Status.RESOLVED
    assert conflict.registered_code == A1
    assert conflict.options[0] == [A1, "户在人不在"]
    assert conflict.decided_by == user_county_admin
    assert conflict.decided_at is not None
    assert conflict.note == "户籍在金茶村，本人要求回村参选"
    record = Record.objects.get(seq__gt=seq, action="voters.conflict_resolved")
    assert record.target_id == str(conflict.pk)
    assert record.place_code == A1
    assert record.before == {
        "registered_code": B1,
        "status": "open",
        "note": "",
        "listed_in": B1,
    }
    assert record.after == {
        "registered_code": A1,
        "status": "resolved",
        "note": "户籍在金茶村，本人要求回村参选",
        "listed_in": A1,
    }


def test_a_rebuild_keeps_the_decision(rolls_built, cycle, county, user_county_admin):
    conflict = Conflict.objects.get(name="周杰")
    conflicts.resolve(user_county_admin, conflict, A2, "专职社工")

    rolls.build(user_county_admin, cycle, county)

    assert [(code, cat) for code, _n, cat in listed("周杰")] == [(A2, "专职工作人员")]
    assert excluded("周杰") == {(A1, "registered_elsewhere"), (B1, "registered_elsewhere")}
    kept = Conflict.objects.get(name="周杰")
    assert (kept.pk, kept.status, kept.registered_code) == (conflict.pk, "resolved", A2)
    assert Conflict.objects.get(name="钱进").status == Conflict.Status.OPEN


def test_a_decision_is_undone_by_choosing_again(rolls_built, user_county_admin):
    conflict = Conflict.objects.get(name="周杰")
    conflicts.resolve(user_county_admin, conflict, A1, "回村")

    conflicts.resolve(user_county_admin, conflict, B1)  # the rules' choice: no note needed

    assert [(code, cat) for code, _n, cat in listed("周杰")] == [(B1, "人在户不在")]
    assert roll(A1)[-1] == (6, "李华")
    assert excluded("周杰") == {(A1, "registered_elsewhere"), (A2, "registered_elsewhere")}
    assert Record.objects.filter(action="voters.conflict_resolved").count() == 2


def test_confirming_the_rules_choice_moves_nothing(rolls_built, user_county_admin):
    conflict = Conflict.objects.get(name="周杰")

    conflicts.resolve(user_county_admin, conflict, B1)

    assert listed("周杰") == [(B1, 2, "人在户不在")]
    assert Conflict.objects.get(pk=conflict.pk).status == Conflict.Status.RESOLVED
    with pytest.raises(RuleViolation, match="already registered in 黄兴村"):
        conflicts.resolve(user_county_admin, conflict, B1)


def test_another_choice_than_the_rules_needs_a_note(rolls_built, user_county_admin, english):
    conflict = Conflict.objects.get(name="周杰")

    with pytest.raises(RuleViolation, match="Say why 周杰 is registered in 金茶村"):
        conflicts.resolve(user_county_admin, conflict, A1, "  ")
    with pytest.raises(RuleViolation, match="not one of the communities"):
        conflicts.resolve(user_county_admin, conflict, B2, "why not")
    assert listed("周杰") == [(B1, 2, "人在户不在")]


def test_the_township_resolves_within_its_area_only(
    rolls_built, cycle, county, user_township_a, user_township_b, user_county_admin
):
    """钱进's communities are 金茶村 and a place outside the county: 星沙街道 decides.
    周杰's lie in two townships: neither may decide, the county does."""
    qian = Conflict.objects.get(name="钱进")
    zhou = Conflict.objects.get(name="周杰")

    with pytest.raises(PermissionDenied):
        conflicts.resolve(user_township_a, zhou, A1, "x")
    with pytest.raises(PermissionDenied):
        conflicts.resolve(user_township_b, zhou, B1)
    with pytest.raises(Http404):
        conflicts.resolve(user_township_b, qian, A1)

    conflicts.resolve(user_township_a, qian, OUTSIDE, "回浏阳户籍地参选")

    assert listed("钱进") == []
    assert excluded("钱进") == {(A1, "registered_elsewhere")}
    assert roll(A1)[2:4] == [(3, "王小明"), (4, "张伟")]  # renumbered after him

    rolls.build(user_county_admin, cycle, county)  # and a rebuild keeps it so
    assert listed("钱进") == []
    assert excluded("钱进") == {(A1, "registered_elsewhere")}


def test_readers_and_committees_may_not_resolve(
    rolls_built, user_observer, user_committee_a1, user_reviewer
):
    qian = Conflict.objects.get(name="钱进")
    for user in (user_observer, user_committee_a1, user_reviewer):
        with pytest.raises(PermissionDenied):
            conflicts.resolve(user, qian, A1)
    assert Conflict.objects.get(pk=qian.pk).status == Conflict.Status.OPEN


@pytest.mark.parametrize("posted", [A1, B1])
def test_no_decision_once_either_list_is_posted(
    rolls_built, cycle, user_county_admin, english, posted
):
    post_list(cycle, posted, user_county_admin)
    conflict = Conflict.objects.get(name="周杰")

    with pytest.raises(RuleViolation, match="has been posted"):
        conflicts.resolve(user_county_admin, conflict, A1, "回村")

    assert listed("周杰") == [(B1, 2, "人在户不在")]
    assert Conflict.objects.get(pk=conflict.pk).status == Conflict.Status.OPEN
    assert not Record.objects.filter(action="voters.conflict_resolved").exists()


def test_a_choice_the_data_no_longer_allow_is_refused(rolls_built, people, user_county_admin):
    """周杰 is no longer staff of 松雅社区 since the roll was built."""
    people["周杰"].staff_code = ""
    people["周杰"].save()

    with pytest.raises(RuleViolation, match="rebuild the rolls first"):
        conflicts.resolve(user_county_admin, Conflict.objects.get(name="周杰"), A2, "社工")


def test_choosing_a_community_whose_roll_is_not_built_waits_for_the_build(
    people, cycle, township_a, township_b, user_county_admin
):
    rolls.build(user_county_admin, cycle, township_a)
    conflict = Conflict.objects.get(name="周杰")

    conflicts.resolve(user_county_admin, conflict, B1)
    assert listed("周杰") == []  # 黄兴村's roll does not exist yet

    conflicts.resolve(user_county_admin, conflict, A1, "回村")
    assert [code for code, _n, _c in listed("周杰")] == [A1]
    assert excluded("周杰") == {(A2, "registered_elsewhere")}  # 黄兴村 not built

    rolls.build(user_county_admin, cycle, township_b)
    assert [code for code, _n, _c in listed("周杰")] == [A1]
    assert excluded("周杰") == {(A2, "registered_elsewhere"), (B1, "registered_elsewhere")}


def test_within_finds_the_conflicts_of_a_place(rolls_built, cycle, tree):
    def names(place, status=None):
        return [c.name for c in conflicts.within(cycle, tree[place], status)]

    assert sorted(names("county")) == ["周杰", "钱进"]
    assert sorted(names("township_a")) == ["周杰", "钱进"]
    assert names("township_b") == ["周杰"]
    assert names("community_a2") == ["周杰"]
    assert names("community_b2") == []
    assert names("village_a1", "resolved") == []


# Pages


def conflicts_url(cycle, suffix=""):
    return f"/cycles/{cycle.pk}/voters/conflicts/{suffix}"


def test_the_conflicts_page_of_a_township(rolls_built, cycle, client_for, user_township_a, people):
    response = client_for(user_township_a).get(conflicts_url(cycle))

    assert response.status_code == 200
    page = response.content.decode()
    assert "2 conflicts" in page
    assert "周杰" in page and "钱进" in page
    assert people["周杰"].id_number not in page
    assert "430***********" + people["周杰"].id_number[-4:] in page
    assert "黄兴村" in page and "专职工作人员" in page and "outside the county" in page
    assert page.count('name="code"') == 1  # a form for 钱进 only
    assert "Decided by the county" in page


def test_the_conflicts_page_filters_by_place_and_status(
    rolls_built, cycle, client_for, user_county_admin, user_township_b
):
    client = client_for(user_county_admin)
    assert "1 conflict<" in client.get(conflicts_url(cycle), {"place": B1}).content.decode()
    resolved = client.get(conflicts_url(cycle), {"status": "resolved"}).content.decode()
    assert "0 conflicts" in resolved
    page = client_for(user_township_b).get(conflicts_url(cycle)).content.decode()
    assert "周杰" in page and "钱进" not in page
    assert client_for(user_township_b).get(conflicts_url(cycle), {"place": A1}).status_code == 404


def test_resolving_on_the_page(rolls_built, cycle, client_for, user_county_admin):
    conflict = Conflict.objects.get(name="周杰")
    client = client_for(user_county_admin)

    response = client.post(
        conflicts_url(cycle, f"{conflict.pk}/resolve/"),
        {"code": A1, "note": "回村参选"},
        follow=True,
    )

    assert response.status_code == 200
    assert "周杰 is registered in 金茶村." in response.content.decode()
    assert response.redirect_chain[-1][0] == conflicts_url(cycle, f"{conflict.pk}/")
    assert [code for code, _n, _c in listed("周杰")] == [A1]
    detail = client.get(conflicts_url(cycle, f"{conflict.pk}/")).content.decode()
    assert "Registration conflict decided" in detail  # the history
    assert "回村参选" in detail


def test_a_refusal_is_shown_on_the_page(rolls_built, cycle, client_for, user_county_admin):
    conflict = Conflict.objects.get(name="周杰")
    post_list(cycle, A1, user_county_admin)

    response = client_for(user_county_admin).post(
        conflicts_url(cycle, f"{conflict.pk}/resolve/"),
        {"code": A1, "note": "回村", "next": conflicts_url(cycle) + "?status=open"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == conflicts_url(cycle) + "?status=open"
    assert "The voter list of 金茶村 has been posted" in response.content.decode()


def test_resolving_on_the_page_needs_the_capability_and_the_scope(
    rolls_built, cycle, client_for, user_observer, user_township_b, user_township_a
):
    qian = Conflict.objects.get(name="钱进")
    zhou = Conflict.objects.get(name="周杰")
    url = conflicts_url(cycle, f"{qian.pk}/resolve/")

    assert client_for(user_observer).post(url, {"code": A1}).status_code == 403
    assert client_for(user_township_b).post(url, {"code": A1}).status_code == 404
    assert client_for(user_township_b).get(conflicts_url(cycle, f"{qian.pk}/")).status_code == 404
    zhou_url = conflicts_url(cycle, f"{zhou.pk}/resolve/")
    assert client_for(user_township_a).post(zhou_url, {"code": A1, "note": "x"}).status_code == 403
    assert Conflict.objects.filter(status=Conflict.Status.RESOLVED).count() == 0
