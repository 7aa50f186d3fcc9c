"""The statistics of DOMAIN §11 as numbers that add up: categories, rates, breakdowns,
and figures that merge in any order and grouping."""

from collections import Counter
from datetime import date
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from huanjie.rules import statistics as s
from huanjie.rules.ages import AgeBand
from huanjie.rules.two_committees import Holder, two_committees

D = date(2026, 11, 8)


def test_education_categories_map_the_resident_values_and_chinese_words():
    assert s.education_level("postgraduate") == "postgraduate"
    assert s.education_level("middle_school") == "middle_school"
    assert s.education_level("中专") == "high_school"
    assert s.education_level("小学") == "middle_school"
    assert s.education_level("") == s.UNKNOWN
    assert s.education_level(None) == s.UNKNOWN
    assert s.education_level("doctorate?") == s.UNKNOWN
    assert list(s.EDUCATION.values()) == ["研究生", "本科", "大专", "高中/中专", "初中及以下"]


def test_members_are_counted_on_every_breakdown_unknown_included():
    people = [
        s.Elected(1, "director", "F", date(1990, 11, 8), "bachelor", "汉族", True),
        s.Elected(2, "member", "M", date(1990, 11, 9), "high_school", "苗族", False),
        s.Elected(None, "member"),  # a written-in name nobody matched
    ]
    f = s.elected_figures(people, D)
    assert f.elected == 3
    assert f.sex == Counter({"F": 1, "M": 1, s.UNKNOWN: 1})
    # 36 on D exactly, 35 the day before the birthday.
    assert f.age_band == Counter({"36_40": 1, "30_35": 1, s.UNKNOWN: 1})
    assert (f.age_total, f.aged) == (36 + 35, 2)
    assert f.average_age == Fraction(71, 2)
    assert f.education == Counter({"bachelor": 1, "high_school": 1, s.UNKNOWN: 1})
    assert f.party == Counter({s.PARTY_MEMBER: 1, s.NOT_PARTY_MEMBER: 2})
    assert f.ethnicity == Counter({"汉族": 1, "苗族": 1, s.UNKNOWN: 1})
    assert f.women_share == Fraction(1, 3)
    assert f.college_share == Fraction(1, 3)
    assert s.check_figures(f + s.Figures(seats=3)) == []


def test_age_bands_are_configurable():
    bands = (AgeBand("young", "<40", None, 39), AgeBand("old", "40+", 40, None))
    f = s.elected_figures([s.Elected(1, "member", "M", date(1980, 1, 1))], D, bands)
    assert f.age_band == Counter({"old": 1})


def test_young_heads_are_counted_below_35_and_40():
    f = s.young_heads([date(1992, 1, 1), date(1987, 1, 1), date(1960, 1, 1), None], D, "directors")
    assert (f.directors, f.directors_under_35, f.directors_under_40) == (4, 1, 2)
    f = s.young_heads([date(1991, 11, 8)], D, "secretaries")  # 35 on D: not under 35
    assert (f.secretaries, f.secretaries_under_35, f.secretaries_under_40) == (1, 0, 1)


def test_rates_are_exact_and_none_without_a_base():
    f = s.Figures(registered=3, voted=2, voting_places=0)
    assert f.turnout == Fraction(2, 3)
    assert f.first_time_success_rate is None
    assert s.Figures().women_share is None


def test_first_time_success_needs_every_seat_filled_without_a_tie():
    office = {"id": "director", "seats": 1, "elected": ["c1"], "unfilled": 0, "revote": []}
    assert s.filled_first_time({"valid": True, "offices": [office]})
    assert not s.filled_first_time({"valid": False, "offices": [office]})
    assert not s.filled_first_time(None)
    open_seat = {**office, "elected": [], "unfilled": 1}
    assert not s.filled_first_time({"valid": True, "offices": [office, open_seat]})
    tied = {**office, "elected": [], "revote": [["c1", "c2"]]}
    assert not s.filled_first_time({"valid": True, "offices": [tied]})


def test_two_committee_figures_reuse_the_rates_of_the_two_committees():
    place = two_committees(
        [Holder(1, "secretary"), Holder(2, "member")],
        [Holder(1, "director"), Holder(3, "member")],
    )
    f = s.two_committee_figures([place, two_committees([], [])])
    assert (f.dual_head_places, f.two_committee_members, f.cross_appointed) == (1, 3, 1)
    assert (f + s.Figures(places=2)).dual_head_rate == Fraction(1, 2)
    assert f.cross_appointment_rate == Fraction(1, 3)


def test_re_elected_compares_id_numbers_with_the_previous_term():
    people = [s.Elected(i, "member", id_number=n) for i, n in enumerate(["A", "B", "C", ""])]
    f = s.elected_figures(people, D, previous={"A", "X", ""})
    assert f.term == Counter({s.RE_ELECTED: 1, s.NEW: 3})  # no number: new
    assert f.re_elected_share == Fraction(1, 4)
    assert s.elected_figures(people, D).term == Counter({s.NEW: 4})


def test_a_breakdown_that_does_not_add_up_is_found():
    assert s.check_breakdown(5, {"M": 2, "F": 3}) == []
    [finding] = s.check_breakdown(5, [2, 2], "sex")
    assert finding.code == "statistics.breakdown_does_not_add_up"
    assert finding.section == "§11"
    assert finding.params == {"what": "sex", "total": 5, "summed": 4}
    assert "sex" in finding.message_en and "4" in finding.message_zh


def test_parts_larger_than_their_whole_are_found():
    f = s.Figures(registered=10, voted=11, seats=3, elected=3)
    f.sex.update({"M": 3})
    for name in ("age_band", "education", "party", "ethnicity", "term"):
        getattr(f, name).update({s.UNKNOWN: 3})
    f.registered_by_category.update({"户在人在": 10})
    codes = [(x.code, x.params.get("part")) for x in s.check_figures(f)]
    assert codes == [("statistics.part_exceeds_whole", "voted")]
    f.sex["F"] += 1
    assert ("statistics.breakdown_does_not_add_up", None) in [
        (x.code, x.params.get("part")) for x in s.check_figures(f)
    ]


# Properties

people = st.builds(
    s.Elected,
    person=st.integers(0, 50),
    office=st.sampled_from(["director", "deputy", "member"]),
    sex=st.sampled_from(["M", "F", None]),
    birth_date=st.one_of(st.none(), st.dates(date(1940, 1, 1), date(2008, 11, 8))),
    education=st.sampled_from([*s.EDUCATION, "", "本科", "小学", None]),
    ethnicity=st.sampled_from(["汉族", "苗族", "土家族", "", None]),
    party_member=st.booleans(),
    id_number=st.sampled_from(["", "A", "B", "C", "D"]),
)
CATEGORIES = ("户在人在", "人在户不在", "户在人不在", "专职工作人员")


@st.composite
def place_figures(draw) -> s.Figures:
    """The figures of one place, as the service builds them."""
    previous = draw(st.sets(st.sampled_from(["A", "B", "X"])))
    f = s.elected_figures(draw(st.lists(people, max_size=9)), D, previous=previous)
    by_category = Counter(draw(st.lists(st.sampled_from(CATEGORIES), max_size=60)))
    registered = by_category.total()
    voted = draw(st.integers(0, registered))
    items = draw(st.lists(st.sampled_from([str(i) for i in range(1, 11)]), max_size=4))
    complaints = draw(st.lists(st.sampled_from(["bribery", "threats", "lobbying"]), max_size=3))
    nominees = draw(st.integers(0, 20))
    candidates = draw(st.integers(0, nominees))
    extra = s.Figures(
        places=1,
        registered=registered,
        registered_by_category=by_category,
        supplementary=draw(st.integers(0, registered)),
        nominees=nominees,
        candidates=candidates,
        women_candidates=draw(st.integers(0, candidates)),
        previous_places=int(bool(previous)),
        complaints=len(complaints),
        complaints_by_type=Counter(complaints),
        voted=voted,
        proxy_votes=draw(st.integers(0, voted)),
        party_due=draw(st.integers(0, 80)),
        voting_places=draw(st.integers(0, 1)),
        seats=f.elected + draw(st.integers(0, 2)),
        disqualified=len(items),
        disqualified_by_item=Counter(items),
    )
    extra.first_time_success = draw(st.integers(0, extra.voting_places))
    extra.party_present = draw(st.integers(0, extra.party_due))
    return f + extra


@given(st.lists(people, max_size=30))
def test_every_breakdown_of_generated_members_adds_up(members):
    f = s.elected_figures(members, D)
    assert f.elected == len(members)
    for name in ("sex", "age_band", "education", "party", "ethnicity"):
        assert sum(getattr(f, name).values()) == f.elected
    assert s.check_figures(f + s.Figures(seats=f.elected)) == []


@given(st.lists(place_figures(), max_size=8), st.randoms())
def test_merging_is_order_free(places, random):
    shuffled = list(places)
    random.shuffle(shuffled)
    assert s.merge(places) == s.merge(shuffled)


@given(place_figures(), place_figures(), place_figures())
def test_merging_is_associative(a, b, c):
    assert (a + b) + c == a + (b + c)
    assert a + s.Figures() == a


@given(st.lists(place_figures(), min_size=1, max_size=9), st.integers(1, 4))
def test_townships_summed_are_the_places_summed(places, townships):
    groups = [places[i::townships] for i in range(townships)]
    county = s.merge(s.merge(g) for g in groups)
    assert county == s.merge(places)
    assert county.places == len(places)
    assert s.check_figures(county) == []


@given(st.integers(0, 100), st.lists(st.integers(0, 30), max_size=6))
def test_check_breakdown_finds_exactly_the_sums_that_differ(total, parts):
    assert bool(s.check_breakdown(total, parts)) == (sum(parts) != total)
