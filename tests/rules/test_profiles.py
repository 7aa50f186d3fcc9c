"""Rule profiles and overrides (DOMAIN §12)."""

from dataclasses import fields
from fractions import Fraction

import pytest

from huanjie.rules.profiles import (
    BY_NAME,
    HUNAN,
    NATIONAL,
    PARAMETERS,
    PROFILES,
    SEED_PLAN,
    Profile,
    ProfileError,
    apply_overrides,
    profile_values,
)
from huanjie.rules.timeline import BY_KEY


def test_national_defaults_are_the_domain_table():
    p = NATIONAL
    assert (p.voter_list_days_before, p.objection_days, p.objection_decision_days) == (20, 5, 3)
    assert (p.formal_candidates_days_before, p.party_publicity_days) == (7, 5)
    assert p.proxies_per_person == 3
    assert (p.committee_surplus, p.party_surplus_ratio) == (1, Fraction(1, 5))
    assert (p.turnout_needed, p.majority_base) == (Fraction(1, 2), "issued")
    assert (p.runoff_threshold, p.runoff_within_days) == (Fraction(1, 3), 10)
    assert (p.cascade_counting, p.reserved_woman_seat) == (False, False)
    assert (p.party_majority_base, p.party_quorum) == ("due", Fraction(4, 5))
    assert (p.village_committee_seats, p.residents_committee_seats) == ((3, 7), (5, 9))
    assert p.two_committees_posts is None


def test_hunan_differs_only_where_the_seed_says():
    differing = {
        f.name for f in fields(Profile) if getattr(HUNAN, f.name) != getattr(NATIONAL, f.name)
    }
    assert differing == {
        "key",
        "title",
        "title_en",
        "proxies_per_person",
        "reserved_woman_seat",
        "two_committees_posts",
        "party_committee_posts",
    }
    assert (HUNAN.proxies_per_person, HUNAN.reserved_woman_seat) == (5, True)
    assert (HUNAN.two_committees_posts, HUNAN.title) == (9, "湖南省（长沙）")
    assert PROFILES == {"national": NATIONAL, "hunan": HUNAN}
    assert all(p.key == key for key, p in PROFILES.items())


def test_every_field_is_a_described_parameter():
    names = [p.name for p in PARAMETERS]
    assert len(names) == len(set(names))
    assert set(names) == {f.name for f in fields(Profile)} - {"key", "title", "title_en", "plan"}
    assert all(p.section.startswith("§") and p.title_zh and p.title_en for p in PARAMETERS)


def test_plan_steps_are_timeline_steps():
    assert set(SEED_PLAN) <= set(BY_KEY)


def test_overrides_of_each_kind():
    p = apply_overrides(
        NATIONAL,
        {
            "voter_list_days_before": 25,
            "cascade_counting": True,
            "runoff_threshold": "1/4",
            "party_surplus_ratio": "0.25",
            "turnout_needed": Fraction(2, 3),
            "party_quorum": 0.5,
            "majority_base": "returned",
            "village_committee_seats": [3, 5],
            "two_committees_posts": 9,
            "plan.nomination": -12,
        },
    )
    assert p.voter_list_days_before == 25
    assert p.cascade_counting is True
    assert p.runoff_threshold == Fraction(1, 4)
    assert p.party_surplus_ratio == Fraction(1, 4)
    assert p.turnout_needed == Fraction(2, 3)
    assert p.party_quorum == Fraction(1, 2)
    assert p.majority_base == "returned"
    assert p.village_committee_seats == (3, 5)
    assert p.two_committees_posts == 9
    assert p.plan["nomination"] == -12
    assert p.plan["voter_registration"] == SEED_PLAN["voter_registration"]


def test_overrides_leave_the_original_alone():
    apply_overrides(NATIONAL, {"proxies_per_person": 5, "plan.nomination": -12})
    assert NATIONAL.proxies_per_person == 3
    assert NATIONAL.plan["nomination"] == -10
    assert apply_overrides(NATIONAL, {}) is NATIONAL


def test_overrides_compose_county_then_township_then_place():
    county = {"proxies_per_person": 4, "runoff_within_days": 15}
    township = {"runoff_within_days": 7, "plan": {"handover": 5}}
    place = {"plan.handover": 3, "two_committees_posts": None}
    p = HUNAN
    for layer in (county, township, place):
        p = apply_overrides(p, layer)
    assert (p.proxies_per_person, p.runoff_within_days, p.plan["handover"]) == (4, 7, 3)
    assert p.two_committees_posts is None
    assert p.reserved_woman_seat is True  # untouched by the layers


def test_overridden_profiles_compare_and_hash():
    a = apply_overrides(NATIONAL, {"plan.nomination": -12})
    b = apply_overrides(NATIONAL, {"plan.nomination": -12})
    assert a == b and hash(a) == hash(b)
    assert a != NATIONAL


@pytest.mark.parametrize(
    ("overrides", "parameter", "problem"),
    [
        ({"proxy_limit": 5}, "proxy_limit", "unknown parameter"),
        ({"objection_days": 0}, "objection_days", "must be at least 1, got 0"),
        ({"voter_list_days_before": -1}, "voter_list_days_before", "must be at least 0, got -1"),
        ({"proxies_per_person": "5"}, "proxies_per_person", "expected a whole number, got '5'"),
        ({"proxies_per_person": True}, "proxies_per_person", "expected a whole number, got True"),
        ({"proxies_per_person": 2.0}, "proxies_per_person", "expected a whole number, got 2.0"),
        ({"cascade_counting": 1}, "cascade_counting", "expected true or false, got 1"),
        (
            {"majority_base": "cast"},
            "majority_base",
            'expected "issued" or "returned", got \'cast\'',
        ),  # noqa: E501
        ({"party_majority_base": "issued"}, "party_majority_base", 'expected "due" or "present"'),
        ({"turnout_needed": "1/0"}, "turnout_needed", "denominator is zero in '1/0'"),
        ({"turnout_needed": "half"}, "turnout_needed", 'expected a fraction such as "1/3"'),
        ({"turnout_needed": 1}, "turnout_needed", "must be at least 0 and less than 1, got 1"),
        ({"runoff_threshold": "3/2"}, "runoff_threshold", "at most 1, got 3/2"),
        ({"runoff_threshold": False}, "runoff_threshold", 'expected a fraction such as "1/3"'),
        ({"village_committee_seats": [7, 3]}, "village_committee_seats", "got [7, 3]"),
        ({"village_committee_seats": [0, 3]}, "village_committee_seats", "got [0, 3]"),
        ({"residents_committee_seats": 7}, "residents_committee_seats", "such as [3, 7], got 7"),
        ({"residents_committee_seats": [5, 9, 11]}, "residents_committee_seats", "[3, 7]"),
        ({"two_committees_posts": 0}, "two_committees_posts", "must be at least 1, got 0"),
        ({"plan.voting": 0}, "plan.voting", "not a planned step"),
        ({"plan.nomination": "-10"}, "plan.nomination", "expected a whole number of days"),
        ({"plan": [1, 2]}, "plan", "expected a mapping of steps to days"),
        ({"plan": {"bogus": 1}}, "plan.bogus", "not a planned step"),
    ],
)
def test_bad_overrides_say_which_parameter_and_why(overrides, parameter, problem):
    with pytest.raises(ProfileError) as caught:
        apply_overrides(NATIONAL, overrides)
    assert caught.value.parameter == parameter
    assert problem in caught.value.problem
    assert str(caught.value) == f"{parameter}: {caught.value.problem}"


def test_profile_values_for_display():
    values = profile_values(HUNAN)
    assert values[: len(PARAMETERS)] == [(p.name, getattr(HUNAN, p.name)) for p in PARAMETERS]
    assert ("proxies_per_person", 5) in values
    assert ("plan.nomination", -10) in values
    assert len(values) == len(PARAMETERS) + len(SEED_PLAN)
    assert BY_NAME["party_quorum"].kind == "fraction"


def test_proxy_relations_default_to_every_near_relative():
    near = ("spouse", "parent", "child", "sibling", "grandparent", "grandchild")
    assert NATIONAL.proxy_relations == HUNAN.proxy_relations == near
    parameter = BY_NAME["proxy_relations"]
    assert (parameter.title_zh, parameter.section, parameter.kind) == (
        "可接受委托的近亲属范围",
        "§6",
        "relations",
    )
    assert parameter.choices == near


@pytest.mark.parametrize(
    ("value", "scope"),
    [
        (["spouse", "parent", "child"], ("spouse", "parent", "child")),
        (["child", "spouse"], ("spouse", "child")),  # kept in the order of closeness
        ("sibling, spouse", ("spouse", "sibling")),  # as typed in the override form
        ("spouse、parent", ("spouse", "parent")),
        ([], ()),  # the local method allows no proxies
    ],
)
def test_proxy_relations_override(value, scope):
    assert apply_overrides(NATIONAL, {"proxy_relations": value}).proxy_relations == scope


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (["spouse", "cousin"], "unknown relation 'cousin'; expected some of spouse, parent"),
        (["spouse", "spouse"], "'spouse' is listed twice"),
        (5, 'expected a list of relations such as ["spouse", "parent"], got 5'),
        ([1, 2], "expected a list of relations"),
        ({"spouse": True}, "expected a list of relations"),
    ],
)
def test_bad_proxy_relations_say_why(value, problem):
    with pytest.raises(ProfileError) as caught:
        apply_overrides(NATIONAL, {"proxy_relations": value})
    assert caught.value.parameter == "proxy_relations"
    assert problem in caught.value.problem
