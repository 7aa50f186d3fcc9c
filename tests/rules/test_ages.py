"""Age bands of the reports (DOMAIN §11)."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from huanjie.rules.ages import AGE_BANDS, BY_KEY, age_band, band_on, born_between, latest_birth
from huanjie.rules.identity import age_on


@pytest.mark.parametrize(
    ("age", "key"),
    [
        (18, "under_30"),
        (29, "under_30"),
        (30, "30_35"),
        (35, "30_35"),
        (36, "36_40"),
        (40, "36_40"),
        (41, "41_45"),
        (45, "41_45"),
        (46, "46_50"),
        (50, "46_50"),
        (51, "51_55"),
        (55, "51_55"),
        (56, "over_55"),
        (101, "over_55"),
    ],
)
def test_the_bands_of_domain_11(age, key):
    assert age_band(age).key == key


def test_bands_are_in_order_and_labelled_as_the_reports_print_them():
    assert [b.label for b in AGE_BANDS] == [
        "<30",
        "30–35",
        "36–40",
        "41–45",
        "46–50",
        "51–55",
        ">55",
    ]
    assert BY_KEY["30_35"].low == 30


def test_an_age_no_band_holds_is_an_error():
    with pytest.raises(ValueError):
        age_band(40, bands=AGE_BANDS[:2])


def test_band_on_the_election_day_counts_the_birthday_like_the_roll():
    day = date(2026, 6, 1)
    assert band_on(date(1996, 6, 1), day).key == "30_35"  # 30 on D exactly
    assert band_on(date(1996, 6, 2), day).key == "under_30"


def test_latest_birth_of_a_29_february_day():
    assert latest_birth(18, date(2024, 2, 29)) == date(2006, 2, 28)
    assert latest_birth(4, date(2024, 2, 29)) == date(2020, 2, 29)
    assert latest_birth(30, date(2026, 6, 1)) == date(1996, 6, 1)


@given(
    birth=st.dates(date(1900, 1, 1), date(2010, 12, 31)),
    day=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
)
def test_born_between_agrees_with_the_age_of_every_birth_date(birth, day):
    """The birth-date range of a band holds exactly the people of that band."""
    age = age_on(birth, day)
    for band in AGE_BANDS:
        after, until = born_between(band, day)
        inside = (after is None or birth > after) and (until is None or birth <= until)
        assert inside == band.holds(age), (band, birth, day)


def test_born_between_at_a_leap_day_boundary():
    day = date(2028, 2, 29)
    after, until = born_between(BY_KEY["under_30"], day)
    assert until is None
    assert after == date(1998, 2, 28)  # 30 on D: born on or before 28 February 1998
    assert age_on(after, day) == 30
    assert age_on(after + timedelta(days=1), day) == 29
