"""四增四减: how a community's roll changed since the last one (DOMAIN §4).

Each case compares a person's outcome on the last roll with the outcome now, both
computed by the registration rules, as :func:`classify` receives them.
"""

from datetime import date

import pytest

from huanjie.rules.changes import ADDED, HINTS, TITLE_ZH, Change, classify
from huanjie.rules.eligibility import Intent, Person, Reason, Registration, register
from huanjie.rules.identity import make_id

TODAY = date(2026, 11, 21)
LAST = date(2023, 3, 1)  # D of the last roll
NOW = date(2026, 3, 1)  # D of this one
ADULT = make_id("430121", date(1980, 5, 17), 1, "M")
# 17 on the last D, 20 now
TEEN = make_id("430121", date(2006, 6, 1), 2, "F")


def person(number: str = ADULT, home: str = "A", live: str | None = None, **kw) -> Person:
    return Person(number, "李四", home, home if live is None else live, **kw)


def on(day: date, p: Person) -> Registration:
    return register(p, day, TODAY)


def registered_in(place: str, number: str = ADULT) -> Registration:
    outcome = on(LAST, person(number, home=place))
    assert outcome.place == place
    return outcome


# --- added ---------------------------------------------------------------------------


def test_turned_18():
    before, after = on(LAST, person(TEEN)), on(NOW, person(TEEN))
    assert before.excluded == (("A", Reason.UNDER_AGE),)
    assert after.place == "A"
    assert classify("A", before, after) == Change.TURNED_18


def test_moved_in_new_to_the_data():
    assert classify("A", None, on(NOW, person())) == Change.MOVED_IN


def test_moved_in_from_another_community():
    before = registered_in("B")
    after = on(NOW, person(home="A"))
    assert classify("A", before, after) == Change.MOVED_IN


def test_moved_in_as_resident_unregistered():
    before = registered_in("B")
    after = on(
        NOW,
        person(
            home="B", live="A", lives_since=date(2024, 1, 1), intent=Intent.TAKE_PART, approved=True
        ),
    )
    assert after.place == "A"
    assert classify("A", before, after) == Change.MOVED_IN


@pytest.mark.parametrize("hint", ["婚入", "收养", " 婚入 "])
def test_married_or_adopted_in_only_the_hint_can_tell(hint):
    after = on(NOW, person())
    assert classify("A", None, after, hint) == Change.MARRIED_IN
    assert classify("A", registered_in("B"), after, hint) == Change.MARRIED_IN


def test_rights_restored():
    before = on(LAST, person(deprived=True))
    assert before.excluded == (("A", Reason.DEPRIVED_OF_RIGHTS),)
    assert classify("A", before, on(NOW, person())) == Change.RIGHTS_RESTORED


def test_other_added_when_the_data_cannot_say_why():
    # away from home: declined last time, takes part now
    before = on(LAST, person(live="B", intent=Intent.DECLINED))
    after = on(NOW, person(live="B", intent=Intent.TAKE_PART))
    assert before.excluded[0] == ("A", Reason.ABSENT_DECLINED)
    assert after.place == "A"
    assert classify("A", before, after) == Change.OTHER_ADDED
    # and an invalid number corrected is no 四增 of its own either
    wrong = ADULT[:17] + ("0" if ADULT[17] != "0" else "1")
    assert classify("A", on(LAST, person(wrong)), after) == Change.OTHER_ADDED


# --- removed ---------------------------------------------------------------------------


@pytest.mark.parametrize("hint", ["迁出", "参军"])
def test_moved_out_by_hint(hint):
    before = registered_in("A")
    assert classify("A", before, None, hint) == Change.MOVED_OUT
    assert classify("A", before, on(NOW, person(home="B")), hint) == Change.MOVED_OUT


def test_moved_out_seen_in_the_data():
    before = registered_in("A")
    assert classify("A", before, on(NOW, person(home="B"))) == Change.MOVED_OUT


def test_married_out():
    before = registered_in("A")
    assert classify("A", before, None, "婚出") == Change.MARRIED_OUT
    assert classify("A", before, on(NOW, person(home="B")), "婚出") == Change.MARRIED_OUT


def test_died():
    assert classify("A", registered_in("A"), None, "死亡") == Change.DIED


def test_left_the_records_without_a_hint_is_not_guessed():
    assert classify("A", registered_in("A"), None) == Change.LEFT_RECORDS
    assert classify("A", registered_in("A"), None, "不知道") == Change.LEFT_RECORDS


def test_deprived():
    after = on(NOW, person(deprived=True))
    assert classify("A", registered_in("A"), after) == Change.DEPRIVED


def test_other_removed_when_still_here_but_not_qualifying():
    before = on(LAST, person(live="B", intent=Intent.TAKE_PART))
    assert before.place == "A"
    after = on(NOW, person(live="B", intent=Intent.UNREACHABLE))
    assert classify("A", before, after) == Change.OTHER_REMOVED
    assert classify("A", before, on(NOW, person(incapacitated=True))) == Change.OTHER_REMOVED


# --- no change, and hints ------------------------------------------------------------------


def test_no_change_when_on_both_rolls_or_on_neither():
    assert classify("A", registered_in("A"), on(NOW, person())) is None
    assert classify("A", registered_in("A"), on(NOW, person()), "死亡") is None
    assert classify("A", None, None, "迁入") is None
    assert classify("C", registered_in("A"), on(NOW, person(home="B"))) is None
    young = on(LAST, person(TEEN))
    assert classify("A", young, on(LAST, person(TEEN))) is None


def test_a_hint_overrides_what_the_data_suggests():
    teen_before, teen_after = on(LAST, person(TEEN)), on(NOW, person(TEEN))
    assert classify("A", teen_before, teen_after, "迁入") == Change.MOVED_IN
    assert classify("A", teen_before, teen_after, "收养") == Change.MARRIED_IN
    deprived = on(NOW, person(deprived=True))
    assert classify("A", registered_in("A"), deprived, "死亡") == Change.DIED


def test_a_hint_of_the_wrong_direction_is_ignored():
    teen_before, teen_after = on(LAST, person(TEEN)), on(NOW, person(TEEN))
    # a removal hint on an addition, an addition hint on a removal
    assert classify("A", teen_before, teen_after, "死亡") == Change.TURNED_18
    assert classify("A", registered_in("A"), None, "婚入") == Change.LEFT_RECORDS
    deprived = on(NOW, person(deprived=True))
    assert classify("A", registered_in("A"), deprived, "迁入") == Change.DEPRIVED


def test_four_added_four_removed_and_their_titles():
    assert {c for c in Change if c.added} == ADDED
    assert {c for c in ADDED if c != Change.OTHER_ADDED} == {
        Change.TURNED_18,
        Change.MOVED_IN,
        Change.MARRIED_IN,
        Change.RIGHTS_RESTORED,
    }
    removed = {c for c in Change if not c.added} - {Change.LEFT_RECORDS, Change.OTHER_REMOVED}
    assert removed == {Change.MOVED_OUT, Change.MARRIED_OUT, Change.DIED, Change.DEPRIVED}
    assert set(TITLE_ZH) == set(Change)
    assert HINTS["参军"] == Change.MOVED_OUT
    assert set(HINTS.values()) <= set(Change)
