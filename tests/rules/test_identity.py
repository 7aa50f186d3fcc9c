"""公民身份号码 checks (DOMAIN §4, CONTRACTS §2)."""

from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from huanjie.rules.identity import (
    PROVINCES,
    IdCheck,
    age_on,
    birth_date_of,
    check_digit,
    check_id,
    make_id,
    mask_id,
    reaches_age,
    sex_of,
)

TODAY = date(2024, 6, 1)
# The standard example of GB 11643 and of countless forms: a woman born 1949-12-31.
EXAMPLE = "11010519491231002X"


def test_standard_example_is_valid_female_born_1949_12_31():
    assert check_id(EXAMPLE, TODAY) == IdCheck(EXAMPLE, True, None, date(1949, 12, 31), "F")


def test_check_digit_worked_by_hand():
    # weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 over 1 1 0 1 0 5 1 9 4 9 1 2 3 1 0 0 2:
    # 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167; 167 mod 11 = 2 → "X".
    assert check_digit("11010519491231002") == "X"
    # the table is 1 0 X 9 8 7 6 5 4 3 2: 165 mod 11 = 0 → "1"; 166 mod 11 = 1 → "0"
    assert check_digit("11010519491231001") == "1"
    assert check_digit("11010518491231002") == "0"


def test_check_digit_rejects_non_digits():
    with pytest.raises(ValueError):
        check_digit("1101051949123100")
    with pytest.raises(ValueError):
        check_digit("1101051949123100X")


def test_lowercase_x_and_whitespace_are_normalised():
    result = check_id("  11010519491231002x\n", TODAY)
    assert result.valid
    assert result.number == EXAMPLE


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "length"),
        ("11010519491231002", "length"),
        ("11010519491231002XX", "length"),
        ("110105194912310", "length"),  # the old 15-digit numbers are not accepted
        ("1101051949123100XX", "characters"),
        ("11010519491231002Y", "characters"),
        ("11O10519491231002X", "characters"),
        ("１1010519491231002X", "characters"),  # full-width digit
        ("01010519491231002X", "region"),
        ("10010519491231002X", "region"),
        ("16010519491231002X", "region"),
        ("39010519491231002X", "region"),
        ("83010519491231002X", "region"),
        ("11010519491331002X", "birth_date"),  # month 13
        ("11010519490230002X", "birth_date"),  # 30 February
        ("11010519000229002X", "birth_date"),  # 1900 was not a leap year
        ("44052418800101001X", "birth_date"),  # 1880: before 1900
        ("11010520240602002X", "birth_date"),  # after TODAY
        ("110105194912310021", "check_digit"),
        ("110105194912310020", "check_digit"),
    ],
)
def test_each_reason(text, reason):
    result = check_id(text, TODAY)
    assert (result.valid, result.reason) == (False, reason)
    assert result.birth_date is None and result.sex is None


def test_reasons_are_checked_in_contract_order():
    # Too long beats bad characters; bad characters beat a bad region; …
    assert check_id("0Z01051949133100211", TODAY).reason == "length"
    assert check_id("0Z010519491331002X", TODAY).reason == "characters"
    assert check_id("00010519491331002X", TODAY).reason == "region"
    assert check_id("110105194913310021", TODAY).reason == "birth_date"


def test_birth_on_today_is_allowed_and_tomorrow_is_not():
    born_today = make_id("430105", TODAY, 1, "M")
    assert check_id(born_today, TODAY).valid
    assert check_id(born_today, TODAY - timedelta(days=1)).reason == "birth_date"


def test_all_province_codes():
    assert len(PROVINCES) == 34
    assert {"11", "15", "21", "23", "31", "37", "41", "46", "50", "54", "61", "65"} <= PROVINCES
    assert {"71", "81", "82"} <= PROVINCES
    assert not {"16", "20", "24", "30", "38", "40", "47", "55", "60", "66", "70", "80"} & PROVINCES


def test_make_id_adjusts_sequence_parity_for_sex():
    assert make_id("430105", date(1990, 2, 28), 122, "F") == "430105199002281220"
    assert make_id("430105", date(1990, 2, 28), 122, "M")[14:17] == "123"
    assert make_id("430105", date(1990, 2, 28), 123, "F")[14:17] == "122"
    assert make_id("430105", date(1990, 2, 28), 999, "M")[14:17] == "999"
    assert make_id("430105", date(1990, 2, 28), 1, "F")[14:17] == "000"


@pytest.mark.parametrize(
    "args",
    [
        ("43010", date(1990, 1, 1), 1, "M"),
        ("990105", date(1990, 1, 1), 1, "M"),
        ("430105", date(1899, 12, 31), 1, "M"),
        ("430105", date(1990, 1, 1), 1000, "M"),
        ("430105", date(1990, 1, 1), -1, "M"),
        ("430105", date(1990, 1, 1), 1, "X"),
    ],
)
def test_make_id_rejects_bad_parts(args):
    with pytest.raises(ValueError):
        make_id(*args)


def test_sex_and_birth_date_of():
    assert sex_of(EXAMPLE) == "F"
    assert sex_of("11010519491231001" + check_digit("11010519491231001")) == "M"
    assert birth_date_of("11010519491231002x") == date(1949, 12, 31)
    with pytest.raises(ValueError, match="check_digit"):
        sex_of("110105194912310021")
    with pytest.raises(ValueError, match="length"):
        birth_date_of("123")


def test_age_on_ordinary_birthday():
    born = date(2006, 1, 28)
    assert age_on(born, date(2024, 1, 27)) == 17
    assert age_on(born, date(2024, 1, 28)) == 18
    assert not reaches_age(born, 18, date(2024, 1, 27))
    assert reaches_age(born, 18, date(2024, 1, 28))


def test_29_february_birthday_is_reached_on_1_march_in_common_years():
    born = date(2004, 2, 29)
    assert age_on(born, date(2022, 2, 28)) == 17
    assert age_on(born, date(2022, 3, 1)) == 18
    assert not reaches_age(born, 18, date(2022, 2, 28))
    assert reaches_age(born, 18, date(2022, 3, 1))
    # in a leap year it is reached on the day itself
    assert age_on(born, date(2024, 2, 28)) == 19
    assert age_on(born, date(2024, 2, 29)) == 20


def test_age_before_birth_is_negative_not_an_error():
    assert age_on(date(2000, 5, 1), date(1999, 5, 1)) == -1


def test_mask_id_keeps_first_three_and_last_four():
    assert mask_id("430105199002281234") == "430***********1234"
    assert mask_id(EXAMPLE.lower()) == "110***********002X"
    assert len(mask_id(EXAMPLE)) == 18
    assert mask_id("1234567") == "*******"


# Properties ---------------------------------------------------------------------------

regions = st.builds(
    lambda province, rest: province + rest,
    st.sampled_from(sorted(PROVINCES)),
    st.from_regex(r"[0-9]{4}", fullmatch=True),
)
births = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
valid_ids = st.builds(make_id, regions, births, st.integers(0, 999), st.sampled_from(["M", "F"]))


@given(regions, births, st.integers(0, 999), st.sampled_from(["M", "F"]))
def test_make_id_always_validates_and_round_trips(region, birth, sequence, sex):
    number = make_id(region, birth, sequence, sex)
    result = check_id(number, TODAY)
    assert result.valid
    assert (result.birth_date, result.sex) == (birth, sex)
    assert number[:6] == region
    assert abs(int(number[14:17]) - sequence) <= 1


@given(valid_ids, st.integers(0, 16), st.integers(0, 9))
def test_changing_one_digit_changes_the_check_digit(number, position, digit):
    assume(number[position] != str(digit))
    changed = number[:position] + str(digit) + number[position + 1 :]
    assert check_digit(changed[:17]) != number[17]
    assert not check_id(changed, TODAY).valid


@given(valid_ids, st.sampled_from("0123456789X"))
def test_changing_the_check_character_invalidates(number, char):
    assume(number[17] != char)
    assert check_id(number[:17] + char, TODAY).reason == "check_digit"


@given(valid_ids, st.integers(0, 15))
def test_swapping_adjacent_digits_is_detected(number, position):
    a, b = number[position], number[position + 1]
    assume(a != b)
    swapped = number[:position] + b + a + number[position + 2 :]
    assert check_digit(swapped[:17]) != number[17]


@given(births, st.integers(0, 120))
def test_reaches_age_on_the_birthday_and_not_the_day_before(birth, years):
    assume(birth.year + years <= 9999)
    try:
        birthday = birth.replace(year=birth.year + years)
    except ValueError:  # 29 February in a common year
        birthday = date(birth.year + years, 3, 1)
    assert reaches_age(birth, years, birthday)
    if years > 0:
        assert not reaches_age(birth, years, birthday - timedelta(days=1))
