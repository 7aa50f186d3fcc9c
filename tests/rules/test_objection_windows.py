"""The voter list's publication and the objection windows (DOMAIN §3–4, §12).

Legal periods do not count their first day: a list posted on 1 February with a
five-day window may be objected to until 6 February, both days included.
"""

from datetime import date, timedelta

import pytest

from huanjie.rules.objections import (
    Window,
    decision_window,
    latest_publication,
    objection_window,
    published_in_time,
)
from huanjie.rules.profiles import HUNAN, NATIONAL, ProfileError, apply_overrides

D = date(2026, 3, 1)
PROFILES = pytest.mark.parametrize("profile", [NATIONAL, HUNAN], ids=["national", "hunan"])


@PROFILES
def test_published_at_least_20_days_before_d(profile):
    assert profile.voter_list_days_before == 20
    assert latest_publication(D, profile) == date(2026, 2, 9)
    assert published_in_time(D - timedelta(days=20), D, profile)
    assert published_in_time(D - timedelta(days=35), D, profile)
    assert not published_in_time(D - timedelta(days=19), D, profile)
    assert not published_in_time(D, D, profile)


@PROFILES
def test_objection_window_from_posting_until_five_days_after(profile):
    posted = date(2026, 2, 1)
    window = objection_window(posted, profile)
    assert window == Window(date(2026, 2, 1), date(2026, 2, 6))
    assert window.last == posted + timedelta(days=profile.objection_days)
    assert not window.contains(date(2026, 1, 31))
    assert window.contains(posted)
    assert window.contains(date(2026, 2, 6))
    assert not window.contains(date(2026, 2, 7))


def test_objection_window_across_the_end_of_february():
    window = objection_window(date(2028, 2, 26), NATIONAL)  # 2028 is a leap year
    assert window.last == date(2028, 3, 2)
    assert objection_window(date(2026, 2, 26), NATIONAL).last == date(2026, 3, 3)


def test_days_left_before_inside_and_after():
    window = objection_window(date(2026, 2, 1), NATIONAL)
    assert window.days_left(date(2026, 1, 20)) == 6  # the whole window, not yet open
    assert window.days_left(date(2026, 2, 1)) == 6
    assert window.days_left(date(2026, 2, 4)) == 3
    assert window.days_left(date(2026, 2, 6)) == 1  # the last day counts
    assert window.days_left(date(2026, 2, 7)) == 0
    assert window.days_left(date(2027, 1, 1)) == 0


@PROFILES
def test_decision_within_three_days_of_receiving(profile):
    filed = date(2026, 2, 5)
    window = decision_window(filed, profile)
    assert window == Window(date(2026, 2, 5), date(2026, 2, 8))
    assert window.contains(date(2026, 2, 8))
    assert not window.contains(date(2026, 2, 9))
    assert window.days_left(date(2026, 2, 6)) == 3


def test_an_override_changes_the_windows_not_the_code():
    longer = apply_overrides(HUNAN, {"objection_days": 7, "objection_decision_days": 5})
    assert (HUNAN.objection_days, longer.objection_days) == (5, 7)
    assert objection_window(date(2026, 2, 1), longer).last == date(2026, 2, 8)
    assert decision_window(date(2026, 2, 1), longer).last == date(2026, 2, 6)
    earlier = apply_overrides(NATIONAL, {"voter_list_days_before": 25})
    assert not published_in_time(D - timedelta(days=20), D, earlier)
    assert published_in_time(D - timedelta(days=25), D, earlier)


@pytest.mark.parametrize("value", [0, -1, "five", 2.5, True])
def test_an_override_that_would_close_the_window_is_refused(value):
    with pytest.raises(ProfileError) as refused:
        apply_overrides(NATIONAL, {"objection_days": value})
    assert refused.value.parameter == "objection_days"


def test_a_one_day_window():
    short = apply_overrides(NATIONAL, {"objection_days": 1})
    window = objection_window(date(2026, 2, 1), short)
    assert window == Window(date(2026, 2, 1), date(2026, 2, 2))
    assert window.days_left(date(2026, 1, 1)) == 2
