"""一肩挑 (dual_head) and 交叉任职 (cross_appointment) of the two committees of a place,
and their rates over places (DOMAIN §2, §11)."""

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from huanjie.rules.two_committees import Holder, TwoCommittees, rates, two_committees

PARTY = (
    Holder(1, "secretary", "丁一"),
    Holder(2, "deputy_secretary", "王芳"),
    Holder(3, "member", "刘伟"),
)


def test_the_secretary_elected_director_is_a_dual_head():
    place = two_committees(
        PARTY, [Holder(1, "director", "丁一"), Holder(3, "member", "刘伟"), Holder(9, "member")]
    )
    assert place.dual_head
    assert place.cross_appointed == (1, 3)
    assert len(place.people) == 4
    assert [h.office for h in place.holders_of(1)] == ["secretary", "director"]


def test_a_secretary_who_is_only_a_member_of_the_committee_is_no_dual_head():
    place = two_committees(PARTY, [Holder(9, "director"), Holder(1, "member")])
    assert not place.dual_head
    assert place.cross_appointed == (1,)


def test_the_same_name_is_not_the_same_person():
    place = two_committees(PARTY, [Holder(99, "director", "丁一")])
    assert not place.dual_head
    assert place.cross_appointed == ()


def test_no_committee_yet_means_no_dual_head_and_nobody_on_both():
    assert not TwoCommittees().dual_head
    assert TwoCommittees().cross_appointed == ()
    party_only = two_committees(PARTY, [])
    assert not party_only.dual_head
    assert party_only.director is None
    committee_only = two_committees([], [Holder(1, "director")])
    assert committee_only.secretary is None
    assert not committee_only.dual_head


def test_the_rates_count_places_and_people_once_each():
    both = two_committees(PARTY, [Holder(1, "director"), Holder(2, "member"), Holder(7, "member")])
    apart = two_committees([Holder(4, "secretary")], [Holder(5, "director")])
    none = TwoCommittees()
    found = rates([both, apart, none])
    assert (found.places, found.dual_head_places, found.places_with_both_heads) == (3, 1, 2)
    assert found.dual_head_rate == Fraction(1, 3)
    # both: 1, 2, 3, 7 (two on both); apart: 4, 5.
    assert (found.members, found.cross_appointed) == (6, 2)
    assert found.cross_appointment_rate == Fraction(1, 3)


def test_no_places_no_rates():
    found = rates([])
    assert found.dual_head_rate is None
    assert found.cross_appointment_rate is None


people = st.integers(0, 6)


@given(
    st.lists(st.tuples(people, st.sampled_from(["secretary", "member"])), max_size=5),
    st.lists(st.tuples(people, st.sampled_from(["director", "member"])), max_size=6),
)
def test_people_on_both_are_never_more_than_either_committee(party, committee):
    place = two_committees([Holder(*p) for p in party], [Holder(*c) for c in committee])
    assert set(place.cross_appointed) <= {p for p, _ in party} & {c for c, _ in committee}
    assert len(place.cross_appointed) <= len(place.people)
    if place.dual_head:
        assert place.secretary in place.cross_appointed
