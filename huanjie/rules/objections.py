"""The voter list's publication and the objections to it (申诉, DOMAIN §3–4, §12).

The list is posted at least ``voter_list_days_before`` days before D. From the day it
is posted anyone may object, about a listing or an omission, for ``objection_days``
days; the election committee decides each objection within
``objection_decision_days`` days of receiving it. All three numbers come from the rule
profile, so a province that sets other periods changes data, not code.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from huanjie.rules.profiles import Profile


def latest_publication(election_day: date, profile: Profile) -> date:
    """The last day on which the voter list may be posted."""
    return election_day - timedelta(days=profile.voter_list_days_before)


def published_in_time(published_on: date, election_day: date, profile: Profile) -> bool:
    return published_on <= latest_publication(election_day, profile)


@dataclass(frozen=True)
class Window:
    """A period of whole days, both ends included."""

    first: date
    last: date

    def contains(self, day: date) -> bool:
        return self.first <= day <= self.last

    def days_left(self, today: date) -> int:
        """Days remaining including today; 0 once the window has closed, and the full
        length before it opens."""
        return days_until(self.last, max(today, self.first))


def days_until(last: date, today: date) -> int:
    """Days from ``today`` to ``last``, both counted, as the countdowns show them; 0
    once ``last`` has passed."""
    return max(0, (last - today).days + 1)


def objection_window(published_on: date, profile: Profile) -> Window:
    """From the day of posting until ``objection_days`` days after it (自公布之日起五日内:
    as in every legal period, the day of posting itself is not counted)."""
    return Window(published_on, published_on + timedelta(days=profile.objection_days))


def decision_window(filed_on: date, profile: Profile) -> Window:
    """Until ``objection_decision_days`` days after the objection was received."""
    return Window(filed_on, filed_on + timedelta(days=profile.objection_decision_days))
