"""公民身份号码: the 18-character citizen identity number of GB 11643 (DOMAIN §4).

The roll is built from these numbers, and age and sex are read from them rather than
typed in separately, so that the two can never disagree. The layout::

    430105 19900229 123 4
    |      |        |   `- check character, ISO 7064 MOD 11-2 ("X" stands for 10)
    |      |        `----- sequence; its last digit (the 17th character) is odd for men
    |      `-------------- date of birth, YYYYMMDD
    `--------------------- region code of GB/T 2260 (province, city, county)

:func:`check_id` gives the first failing reason in a fixed order (CONTRACTS §2), so a
number with several problems is always reported the same way.
"""

from datetime import date
from functools import lru_cache
from typing import Literal, NamedTuple

Sex = Literal["M", "F"]
Reason = Literal["length", "characters", "region", "birth_date", "check_digit"]

REASONS: tuple[Reason, ...] = ("length", "characters", "region", "birth_date", "check_digit")

#: First two digits of GB/T 2260 province-level codes (31 provinces, Taiwan, Hong Kong
#: and Macao). Only the province is checked: county codes change every year, and a person
#: keeps the number issued under an old code.
PROVINCES = frozenset(
    ["11", "12", "13", "14", "15", "21", "22", "23"]
    + [str(n) for n in range(31, 38)]
    + [str(n) for n in range(41, 47)]
    + [str(n) for n in range(50, 55)]
    + [str(n) for n in range(61, 66)]
    + ["71", "81", "82"]
)

#: Numbers were first issued to people alive in the 1980s; a birth year before 1900 in
#: a voter roll is a typing error, not a very old voter.
EARLIEST_YEAR = 1900

# ISO 7064 MOD 11-2: the weighted sum of the 17 digits with weights 2**(17 - i), taken
# mod 11, selects the check character.
_CHECK = "10X98765432"
_DIGITS = frozenset("0123456789")
_CHECK_CHARACTERS = frozenset(_CHECK)


class IdCheck(NamedTuple):
    """The verdict on one number (a named tuple: a roll checks a million of them).

    ``number`` is the input as it should be stored: surrounding whitespace removed and
    a trailing lowercase ``x`` written ``X``. ``reason`` is ``None`` when valid; the birth
    date and sex are given only for a valid number, because a number that fails any
    check cannot be trusted to say either.
    """

    number: str
    valid: bool
    reason: Reason | None = None
    birth_date: date | None = None
    sex: Sex | None = None


def normalize(text: str) -> str:
    """The number as stored: stripped, with a trailing ``x`` upper-cased."""
    number = text.strip()
    if number.endswith("x"):
        number = number[:-1] + "X"
    return number


def check_digit(first17: str) -> str:
    """The 18th character for the first 17 digits (ISO 7064 MOD 11-2)."""
    if len(first17) != 17 or not _is_digits(first17):
        raise ValueError(f"expected 17 digits, got {first17!r}")
    return _check(first17)


def _check(first17: str) -> str:
    # Read as a base-13 numeral, the digits are weighted by powers of 13, and 13 ≡ 2
    # (mod 11): so int(first17, 13) ≡ sum(d_i * 2**(16 - i)), and twice that is the
    # MOD 11-2 sum — computed in C, which matters for a million-row roll.
    return _CHECK[2 * int(first17, 13) % 11]


def _is_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


@lru_cache(maxsize=65_536)
def _birth_date(yyyymmdd: str) -> date | None:
    try:
        return date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        return None


def check_id(text: str, today: date | None = None) -> IdCheck:
    """Check a number against GB 11643 and say why it fails, if it does.

    The reasons are tried in the order of CONTRACTS §2: ``length``, ``characters``,
    ``region``, ``birth_date`` (a real date, in the year 1900 or later and not after
    ``today``, which defaults to the current date), ``check_digit``.
    """
    number = normalize(text)
    if len(number) != 18:
        return IdCheck(number, False, "length")
    first17 = number[:17]
    if not _is_digits(first17) or number[17] not in _CHECK_CHARACTERS:
        return IdCheck(number, False, "characters")
    if number[:2] not in PROVINCES:
        return IdCheck(number, False, "region")
    born = _birth_date(number[6:14])
    if born is None or born.year < EARLIEST_YEAR or born > (today or date.today()):
        return IdCheck(number, False, "birth_date")
    if _check(first17) != number[17]:
        return IdCheck(number, False, "check_digit")
    return IdCheck(number, True, None, born, _sex(number))


def is_valid(text: str, today: date | None = None) -> bool:
    return check_id(text, today).valid


def _sex(number: str) -> Sex:
    return "M" if int(number[16]) % 2 else "F"


def _valid(number: str) -> IdCheck:
    result = check_id(number)
    if not result.valid:
        raise ValueError(f"invalid identity number {number!r}: {result.reason}")
    return result


def sex_of(number: str) -> Sex:
    """ "M" or "F" from the 17th character (odd = male). Raises ValueError if invalid."""
    sex = _valid(number).sex
    assert sex is not None
    return sex


def birth_date_of(number: str) -> date:
    """The date of birth in characters 7–14. Raises ValueError if the number is invalid."""
    born = _valid(number).birth_date
    assert born is not None
    return born


def make_id(region6: str, birth: date, sequence3: int, sex: Sex) -> str:
    """A valid number for the given region, birth date and sex.

    The demo generator and the tests need realistic numbers that pass every check. The
    sequence is moved by one when its parity does not match ``sex`` (odd = male), so
    different sequences stay different numbers for people of the same sex.
    """
    if len(region6) != 6 or not set(region6) <= _DIGITS or region6[:2] not in PROVINCES:
        raise ValueError(f"not a region code: {region6!r}")
    if not EARLIEST_YEAR <= birth.year <= 9999:
        raise ValueError(f"birth year out of range: {birth.year}")
    if not 0 <= sequence3 <= 999:
        raise ValueError(f"sequence must be 0..999, got {sequence3}")
    if sex not in ("M", "F"):
        raise ValueError(f"sex must be 'M' or 'F', got {sex!r}")
    if sex == "M" and sequence3 % 2 == 0:
        sequence3 += 1
    elif sex == "F" and sequence3 % 2 == 1:
        sequence3 -= 1
    first17 = f"{region6}{birth:%Y%m%d}{sequence3:03d}"
    return first17 + check_digit(first17)


def age_on(birth: date, day: date) -> int:
    """Age in whole years on ``day`` (DOMAIN §4: 18 full years on D to vote).

    A birthday is reached when the (month, day) of ``day`` is not before that of the
    birth; so someone born on 29 February turns a year older on 1 March in a year with
    no 29 February (CONTRACTS §3), never on 28 February.
    """
    before_birthday = (day.month, day.day) < (birth.month, birth.day)
    return day.year - birth.year - before_birthday


def reaches_age(birth: date, years: int, day: date) -> bool:
    """Whether a person born on ``birth`` is at least ``years`` old on ``day``."""
    return age_on(birth, day) >= years


def mask_id(number: str) -> str:
    """The number as printed on public notices: first 3 and last 4 characters visible.

    Notices (选民名单, 委托投票名单) are posted on walls and photographed, so the number
    must not be recoverable from them. Showing the usual first 6 and last 4 leaves only
    the birth date hidden, and birth dates are few (and the check character narrows them
    further): anyone who knows a neighbour's age can complete the number. Hiding the
    county part (characters 4–6) as well multiplies the possibilities by the counties of
    a province and also hides where a 人在户不在 voter comes from. The last four remain
    so that staff and voters can tell apart two people with the same name.
    """
    number = normalize(number)
    if len(number) < 8:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]
