"""Age bands of the reports (DOMAIN §11): < 30, 30–35, 36–40, 41–45, 46–50, 51–55, > 55.

Ages are whole years on a day — for voters, the election day D of their place — counted
as :func:`huanjie.rules.identity.age_on` counts them, so a band never disagrees with the
18-years rule. :func:`born_between` turns a band into a range of birth dates, so that a
database can filter a roll by band without computing every voter's age.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from huanjie.rules.identity import age_on


@dataclass(frozen=True, slots=True)
class AgeBand:
    """Ages ``low`` to ``high`` inclusive; ``None`` leaves that end open."""

    key: str
    label: str
    low: int | None
    high: int | None

    def holds(self, age: int) -> bool:
        return (self.low is None or age >= self.low) and (self.high is None or age <= self.high)


#: The bands of DOMAIN §11, youngest first. The keys are stable (URLs, API, XLSX);
#: the labels are the same in every language.
AGE_BANDS: tuple[AgeBand, ...] = (
    AgeBand("under_30", "<30", None, 29),
    AgeBand("30_35", "30–35", 30, 35),
    AgeBand("36_40", "36–40", 36, 40),
    AgeBand("41_45", "41–45", 41, 45),
    AgeBand("46_50", "46–50", 46, 50),
    AgeBand("51_55", "51–55", 51, 55),
    AgeBand("over_55", ">55", 56, None),
)

BY_KEY = {band.key: band for band in AGE_BANDS}


def age_band(age: int, bands: Sequence[AgeBand] = AGE_BANDS) -> AgeBand:
    """The band an age falls in. The bands must cover every age (they do by default)."""
    for band in bands:
        if band.holds(age):
            return band
    raise ValueError(f"no band holds the age {age}")


def band_on(birth: date, day: date, bands: Sequence[AgeBand] = AGE_BANDS) -> AgeBand:
    """The band of someone born on ``birth``, on ``day``."""
    return age_band(age_on(birth, day), bands)


def latest_birth(years: int, day: date) -> date:
    """The last birth date of someone at least ``years`` old on ``day``.

    It is ``day`` that many years earlier; when that is a 29 February that does not
    exist, 28 February: born on 28 February, one has the birthday on 29 February; born
    on 1 March, not yet (:func:`age_on`).
    """
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year - years, day=28)


def born_between(band: AgeBand, day: date) -> tuple[date | None, date | None]:
    """``(after, until)``: a person is in ``band`` on ``day`` exactly when
    ``after < birth <= until``; ``None`` leaves that end open."""
    until = latest_birth(band.low, day) if band.low is not None else None
    after = latest_birth(band.high + 1, day) if band.high is not None else None
    return after, until
