"""Who is registered, and where (DOMAIN §4, CONTRACTS §3 rules 1–5).

Worked examples of every rule in the contract's order, the edges of age and residence
(29 February, exactly 18, exactly one year), and properties of random populations:
one person one place, the best category wins, row order does not matter, and a single
resident is registered exactly as in a batch.
"""

from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from huanjie.rules.eligibility import (
    RANK,
    REASON_ZH,
    Category,
    Intent,
    Person,
    Reason,
    Registration,
    category_in,
    communities,
    has_lived_a_year,
    register,
    register_all,
    settle,
)
from huanjie.rules.identity import make_id

D = date(2026, 3, 1)
#: Bounds the birth dates of the numbers (a birth after "today" is a typing error);
#: fixed so that the tests do not depend on the day they run.
TODAY = date(2026, 11, 21)
ADULT = date(1980, 5, 17)
LONG_AGO = date(2020, 1, 1)
#: Household in A, living in B for years (applied, approved), full-time staff of C.
THREE_PLACES = {
    "home": "A",
    "live": "B",
    "since": LONG_AGO,
    "intent": Intent.TAKE_PART,
    "approved": True,
    "staff": "C",
}


def pid(birth: date = ADULT, seq: int = 1, sex: str = "M") -> str:
    return make_id("430121", birth, seq, sex)


def broken(number: str) -> str:
    """The same number with another check character: invalid (check_digit)."""
    other = "0" if number[17] != "0" else "1"
    return number[:17] + other


def id_ending_in_x() -> str:
    for seq in range(1000):
        number = make_id("430121", ADULT, seq, "F")
        if number.endswith("X"):
            return number
    raise AssertionError("no sequence gives X")  # pragma: no cover


def person(
    id_number: str | None = None,
    *,
    home: str = "A",
    live: str | None = None,
    since: date | None = None,
    deprived: bool = False,
    incapacitated: bool = False,
    intent: Intent = Intent.UNKNOWN,
    approved: bool = False,
    staff: str = "",
    name: str = "张三",
) -> Person:
    return Person(
        id_number or pid(),
        name,
        home,
        home if live is None else live,
        since,
        deprived,
        incapacitated,
        intent,
        approved,
        staff,
    )


def reg(p: Person, day: date = D) -> Registration:
    return register(p, day, TODAY)


# --- rule 1: invalid ID -----------------------------------------------------------


def test_invalid_id_is_reported_once_under_household_and_registered_nowhere():
    outcome = reg(person(broken(pid()), **THREE_PLACES))
    assert outcome.place is None and outcome.category is None
    assert outcome.excluded == (("A", Reason.INVALID_ID),)
    assert outcome.others == ()
    assert outcome.birth_date is None and outcome.sex is None
    assert not outcome.conflict


def test_invalid_id_comes_before_every_other_rule():
    # Deprived and under age too, but the number cannot be trusted to say the age.
    p = person(broken(pid(date(2015, 1, 1))), deprived=True)
    assert reg(p).excluded == (("A", Reason.INVALID_ID),)


def test_a_birth_date_after_today_is_an_invalid_id():
    p = person(pid(date(2026, 12, 1)))
    assert reg(p).excluded == (("A", Reason.INVALID_ID),)


def test_an_invalid_id_is_not_seen_for_duplicates():
    bad = broken(pid())
    rows = [person(bad, home="A"), person(bad, home="B"), person(pid(), home="C")]
    outcomes = list(register_all(rows, D, TODAY))
    assert [o.excluded for o in outcomes[:2]] == [
        (("A", Reason.INVALID_ID),),
        (("B", Reason.INVALID_ID),),
    ]
    # the corrected number, later, is the person's first valid row
    assert (outcomes[2].place, outcomes[2].category) == ("C", Category.RESIDENT_REGISTERED)


# --- rule 2: duplicates ----------------------------------------------------------


def test_the_first_row_counts_and_a_later_one_is_a_duplicate_under_its_own_household():
    number = pid()
    rows = [person(number, home="A", name="第一"), person(number, home="B", name="第二")]
    first, second = register_all(rows, D, TODAY)
    assert (first.place, first.category, first.excluded) == (
        "A",
        Category.RESIDENT_REGISTERED,
        (),
    )
    assert second.place is None
    assert second.excluded == (("B", Reason.DUPLICATE_RECORD),)
    assert second.person.name == "第二"


def test_the_first_row_counts_even_when_it_registers_the_person_nowhere():
    number = pid()
    rows = [person(number, home="A", deprived=True), person(number, home="B")]
    first, second = register_all(rows, D, TODAY)
    assert first.excluded == (("A", Reason.DEPRIVED_OF_RIGHTS),)
    assert second.excluded == (("B", Reason.DUPLICATE_RECORD),)


def test_three_rows_of_one_person_give_two_duplicates():
    number = pid()
    rows = [person(number, home=code) for code in "ABC"]
    outcomes = list(register_all(rows, D, TODAY))
    assert [o.place for o in outcomes] == ["A", None, None]
    assert [o.excluded for o in outcomes[1:]] == [
        (("B", Reason.DUPLICATE_RECORD),),
        (("C", Reason.DUPLICATE_RECORD),),
    ]


def test_a_number_written_with_lowercase_x_is_the_same_number():
    # CONTRACTS §2: a trailing x is the same number as X. A batch with both spellings
    # holds one person twice; the later row is a duplicate, not a second voter.
    upper = id_ending_in_x()
    lower = upper[:-1] + "x"
    rows = [person(lower, home="A"), person(upper, home="B")]
    first, second = register_all(rows, D, TODAY)
    assert first.place == "A"
    assert second.place is None
    assert second.excluded == (("B", Reason.DUPLICATE_RECORD),)


# --- rule 3: eligible nowhere ----------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"id_number": pid(date(2010, 1, 1))}, Reason.UNDER_AGE),
        ({"deprived": True}, Reason.DEPRIVED_OF_RIGHTS),
        ({"incapacitated": True}, Reason.INCAPACITATED),
    ],
)
def test_ineligible_once_under_household_even_with_three_communities(changes, reason):
    p = person(**{**THREE_PLACES, **changes})
    assert communities(p) == ("A", "B", "C")
    outcome = reg(p)
    assert outcome.place is None and outcome.others == ()
    assert outcome.excluded == (("A", reason),)
    # the number is valid: its birth date and sex are known
    assert outcome.birth_date is not None and outcome.sex == "M"


def test_ineligibility_reasons_in_order_under_age_deprived_incapacitated():
    young = pid(date(2010, 1, 1))
    assert reg(person(young, deprived=True, incapacitated=True)).excluded == (
        ("A", Reason.UNDER_AGE),
    )
    assert reg(person(deprived=True, incapacitated=True)).excluded == (
        ("A", Reason.DEPRIVED_OF_RIGHTS),
    )


# --- rule 4: category per community -----------------------------------------------


def test_household_and_living_in_c_is_resident_registered_whatever_the_rest():
    p = person(home="A", live="A", intent=Intent.DECLINED, approved=False)
    outcome = reg(p)
    assert (outcome.place, outcome.category, outcome.excluded) == (
        "A",
        Category.RESIDENT_REGISTERED,
        (),
    )
    assert outcome.birth_date == ADULT and outcome.sex == "M"


def test_household_in_c_living_elsewhere_who_takes_part_is_registered_absent():
    # lives in B for only a month: B is residence_too_short, A keeps the person
    p = person(home="A", live="B", since=D - timedelta(days=30), intent=Intent.TAKE_PART)
    outcome = reg(p)
    assert (outcome.place, outcome.category) == ("A", Category.REGISTERED_ABSENT)
    assert outcome.excluded == (("B", Reason.RESIDENCE_TOO_SHORT),)


@pytest.mark.parametrize(
    ("intent", "reason"),
    [
        (Intent.DECLINED, Reason.ABSENT_DECLINED),
        (Intent.UNREACHABLE, Reason.ABSENT_UNREACHABLE),
        (Intent.UNKNOWN, Reason.ABSENT_NO_INTENT),
    ],
)
def test_household_in_c_living_elsewhere_without_taking_part(intent, reason):
    p = person(home="A", live="B", since=LONG_AGO, intent=intent, approved=True)
    outcome = reg(p)
    assert outcome.place is None
    # in B the person did not apply either
    assert outcome.excluded == (("A", reason), ("B", Reason.NOT_APPLIED))


def test_living_in_c_a_year_applied_and_approved_is_resident_unregistered():
    p = person(home="A", live="B", since=LONG_AGO, intent=Intent.TAKE_PART, approved=True)
    outcome = reg(p)
    assert (outcome.place, outcome.category) == ("B", Category.RESIDENT_UNREGISTERED)
    assert outcome.excluded == (("A", Reason.REGISTERED_ELSEWHERE),)
    assert outcome.others == (("A", Category.REGISTERED_ABSENT),)
    assert outcome.conflict


@pytest.mark.parametrize(
    ("intent", "since", "approved", "reason"),
    [
        # the first failing of not_applied, residence_too_short, not_approved
        (Intent.DECLINED, None, False, Reason.NOT_APPLIED),
        (Intent.UNREACHABLE, LONG_AGO, True, Reason.NOT_APPLIED),
        (Intent.UNKNOWN, LONG_AGO, True, Reason.NOT_APPLIED),
        (Intent.TAKE_PART, None, False, Reason.RESIDENCE_TOO_SHORT),
        (Intent.TAKE_PART, D - timedelta(days=100), False, Reason.RESIDENCE_TOO_SHORT),
        (Intent.TAKE_PART, D - timedelta(days=100), True, Reason.RESIDENCE_TOO_SHORT),
        (Intent.TAKE_PART, LONG_AGO, False, Reason.NOT_APPROVED),
    ],
)
def test_living_in_c_first_failing_condition(intent, since, approved, reason):
    p = person(home="A", live="B", since=since, intent=intent, approved=approved)
    assert category_in(p, "B", D) == reason
    assert ("B", reason) in reg(p).excluded


def test_staff_of_a_third_community_approved_or_not():
    # lives at home, so the home community wins; C would have them as staff
    approved = person(home="A", live="A", staff="C", approved=True)
    assert category_in(approved, "C", D) == Category.STAFF
    refused = approved._replace(approved=False)
    assert category_in(refused, "C", D) == Reason.NOT_APPROVED
    assert reg(refused).excluded == (("C", Reason.NOT_APPROVED),)


def test_staff_registered_as_staff_when_nothing_better_qualifies():
    p = person(home="A", live="B", intent=Intent.DECLINED, approved=True, staff="C")
    outcome = reg(p)
    assert (outcome.place, outcome.category) == ("C", Category.STAFF)
    assert outcome.excluded == (("A", Reason.ABSENT_DECLINED), ("B", Reason.NOT_APPLIED))
    assert outcome.others == ()


def test_staff_of_the_community_lived_in_is_judged_as_living_there():
    # 专职工作社区 = 居住地: the residence rules apply, and the place is listed once
    p = person(home="A", live="B", since=LONG_AGO, intent=Intent.DECLINED, staff="B")
    assert communities(p) == ("A", "B")
    assert reg(p).excluded == (("A", Reason.ABSENT_DECLINED), ("B", Reason.NOT_APPLIED))


def test_staff_of_the_household_community_is_judged_by_the_household_rules():
    p = person(home="A", live="B", intent=Intent.UNREACHABLE, approved=True, staff="A")
    assert communities(p) == ("A", "B")
    assert reg(p).excluded == (("A", Reason.ABSENT_UNREACHABLE), ("B", Reason.NOT_APPLIED))


def test_registered_nowhere_when_no_community_qualifies():
    p = person(home="A", live="B", intent=Intent.UNKNOWN, staff="C", approved=False)
    outcome = reg(p)
    assert outcome.place is None and outcome.category is None and outcome.others == ()
    assert outcome.excluded == (
        ("A", Reason.ABSENT_NO_INTENT),
        ("B", Reason.NOT_APPLIED),
        ("C", Reason.NOT_APPROVED),
    )
    # valid number: birth date and sex are still known (for reports)
    assert outcome.birth_date == ADULT


# --- rule 5: one place only --------------------------------------------------------


def test_categories_rank_best_first():
    assert list(Category) == [
        Category.RESIDENT_REGISTERED,
        Category.RESIDENT_UNREGISTERED,
        Category.REGISTERED_ABSENT,
        Category.STAFF,
    ]
    assert [c.value for c in Category] == ["户在人在", "人在户不在", "户在人不在", "专职工作人员"]
    assert sorted(Category, key=RANK.__getitem__) == list(Category)


def test_resident_registered_beats_staff():
    p = person(home="A", live="A", staff="C", approved=True)
    outcome = reg(p)
    assert (outcome.place, outcome.category) == ("A", Category.RESIDENT_REGISTERED)
    assert outcome.excluded == (("C", Reason.REGISTERED_ELSEWHERE),)
    assert outcome.others == (("C", Category.STAFF),)


def test_registered_absent_beats_staff():
    p = person(home="A", live="B", intent=Intent.TAKE_PART, staff="C", approved=True)
    outcome = reg(p)  # no residence date: B is residence_too_short
    assert (outcome.place, outcome.category) == ("A", Category.REGISTERED_ABSENT)
    assert outcome.excluded == (
        ("B", Reason.RESIDENCE_TOO_SHORT),
        ("C", Reason.REGISTERED_ELSEWHERE),
    )
    assert outcome.others == (("C", Category.STAFF),)


def test_one_person_in_three_places():
    # household A, lives in B for years with 参加 and 是, full-time staff of C
    p = person(**THREE_PLACES)
    outcome = reg(p)
    assert (outcome.place, outcome.category) == ("B", Category.RESIDENT_UNREGISTERED)
    assert outcome.excluded == (
        ("A", Reason.REGISTERED_ELSEWHERE),
        ("C", Reason.REGISTERED_ELSEWHERE),
    )
    # the other places in the order of the person's communities
    assert outcome.others == (("A", Category.REGISTERED_ABSENT), ("C", Category.STAFF))


def test_every_reason_has_chinese_wording():
    assert set(REASON_ZH) == set(Reason)
    assert [r.value for r in Reason] == [
        "invalid_id",
        "duplicate_record",
        "under_age",
        "deprived_of_rights",
        "incapacitated",
        "absent_declined",
        "absent_unreachable",
        "absent_no_intent",
        "not_applied",
        "residence_too_short",
        "not_approved",
        "registered_elsewhere",
    ]


# --- settling a conflict -------------------------------------------------------------


def test_settle_moves_the_person_and_keeps_one_place():
    outcome = reg(person(**THREE_PLACES))
    moved = settle(outcome, "C")
    assert (moved.place, moved.category) == ("C", Category.STAFF)
    assert sorted(moved.excluded) == [
        ("A", Reason.REGISTERED_ELSEWHERE),
        ("B", Reason.REGISTERED_ELSEWHERE),
    ]
    assert dict(moved.others) == {
        "A": Category.REGISTERED_ABSENT,
        "B": Category.RESIDENT_UNREGISTERED,
    }
    assert settle(outcome, "B") is outcome
    back = settle(moved, "B")
    assert (back.place, back.category) == ("B", Category.RESIDENT_UNREGISTERED)
    assert sorted(back.excluded) == sorted(outcome.excluded)
    assert sorted(back.others) == sorted(outcome.others)


def test_settle_refuses_a_place_where_the_person_does_not_qualify():
    outcome = reg(person(home="A", live="B", intent=Intent.TAKE_PART, staff="C", approved=True))
    with pytest.raises(ValueError):
        settle(outcome, "B")  # residence_too_short there
    with pytest.raises(ValueError):
        settle(outcome, "Z")
    with pytest.raises(ValueError):
        settle(reg(person(deprived=True)), "A")


# --- edges: age, residence ---------------------------------------------------------------


LEAP = pid(date(2008, 2, 29), 7, "F")


@pytest.mark.parametrize(
    ("day", "registered"),
    [
        (date(2026, 2, 28), False),  # no 29 February in 2026: the birthday is 1 March
        (date(2026, 3, 1), True),
        (date(2028, 2, 29), True),  # twenty on the day itself
        (date(2026, 2, 27), False),
    ],
)
def test_born_on_29_february(day, registered):
    outcome = reg(person(LEAP), day)
    if registered:
        assert (outcome.place, outcome.category) == ("A", Category.RESIDENT_REGISTERED)
    else:
        assert outcome.excluded == (("A", Reason.UNDER_AGE),)
    assert outcome.sex == "F"


def test_exactly_18_on_election_day():
    number = pid(date(2008, 6, 15))
    assert reg(person(number), date(2026, 6, 15)).place == "A"
    assert reg(person(number), date(2026, 6, 14)).excluded == (("A", Reason.UNDER_AGE),)


def _lives_in_b(since: date | None) -> Person:
    return person(home="A", live="B", since=since, intent=Intent.TAKE_PART, approved=True)


@pytest.mark.parametrize(
    ("since", "day", "qualifies"),
    [
        (date(2025, 3, 1), D, True),  # exactly one year
        (date(2025, 3, 2), D, False),  # one day short
        (date(2024, 2, 29), date(2025, 2, 28), False),
        (date(2024, 2, 29), date(2025, 3, 1), True),
        (date(2025, 6, 1), date(2026, 6, 1), True),
        (None, D, False),  # empty 居住起始日期: residence not shown
        (D + timedelta(days=10), D, False),  # moved in after D
    ],
)
def test_one_year_of_residence(since, day, qualifies):
    assert has_lived_a_year(since, day) is qualifies
    outcome = reg(_lives_in_b(since), day)
    if qualifies:
        assert (outcome.place, outcome.category) == ("B", Category.RESIDENT_UNREGISTERED)
    else:
        assert ("B", Reason.RESIDENCE_TOO_SHORT) in outcome.excluded
        # still registered at home, as 户在人不在 (they take part)
        assert (outcome.place, outcome.category) == ("A", Category.REGISTERED_ABSENT)


# --- properties of random populations ------------------------------------------------------

CODES = ("A", "B", "C")
PEOPLE = st.builds(
    make_id,
    st.just("430121"),
    # everyone, and often people who turn 18 around D
    st.dates(date(1930, 1, 1), date(2012, 12, 31)) | st.dates(date(2007, 9, 1), date(2008, 9, 1)),
    st.integers(0, 999),
    st.sampled_from(["M", "F"]),
)
# Valid numbers and invalid ones (another check character). Lowercase x is left to
# test_a_number_written_with_lowercase_x_is_the_same_number.
NUMBERS = st.tuples(PEOPLE, st.integers(0, 3)).map(lambda t: t[0] if t[1] else broken(t[0]))


@st.composite
def residents(draw, number: st.SearchStrategy[str]) -> Person:
    # deprived / incapacitated one time in five, so that most people qualify somewhere
    rare = st.sampled_from([False, False, False, False, True])
    return Person(
        draw(number),
        "某人",
        draw(st.sampled_from(CODES)),
        draw(st.sampled_from(CODES)),
        draw(st.none() | st.dates(date(2023, 1, 1), date(2026, 6, 1))),
        draw(rare),
        draw(rare),
        draw(st.sampled_from(list(Intent))),
        draw(st.booleans()),
        draw(st.sampled_from(("",) + CODES)),
    )


@st.composite
def populations(draw, unique: bool = False) -> list[Person]:
    if unique:
        numbers = draw(st.lists(PEOPLE, min_size=0, max_size=12, unique=True))
        numbers = [draw(st.sampled_from([n, n, n, broken(n)])) for n in numbers]
        return [draw(residents(st.just(n))) for n in numbers]
    pool = draw(st.lists(NUMBERS, min_size=1, max_size=8))
    return draw(st.lists(residents(st.sampled_from(pool)), max_size=12))


def _places(outcome: Registration) -> list[str]:
    return ([outcome.place] if outcome.place else []) + [code for code, _ in outcome.excluded]


@settings(max_examples=300)
@given(populations())
def test_nobody_is_registered_twice(rows):
    outcomes = list(register_all(rows, D, TODAY))
    assert len(outcomes) == len(rows)
    registered = [o.person.id_number.upper() for o in outcomes if o.place is not None]
    assert not [n for n, times in Counter(registered).items() if times > 1]
    for outcome in outcomes:
        # every row is reported somewhere, and no community twice for one row
        places = _places(outcome)
        assert places and len(places) == len(set(places))
        assert (outcome.place is None) == (outcome.category is None)


@settings(max_examples=300)
@given(populations() | populations(unique=True))
def test_registered_in_one_of_their_communities_in_the_best_category(rows):
    for outcome in register_all(rows, D, TODAY):
        p = outcome.person
        reasons = {reason for _, reason in outcome.excluded}
        if reasons & {Reason.INVALID_ID, Reason.DUPLICATE_RECORD, Reason.UNDER_AGE}:
            continue
        if reasons & {Reason.DEPRIVED_OF_RIGHTS, Reason.INCAPACITATED}:
            continue
        found = {c: category_in(p, c, D) for c in communities(p)}
        qualifying = {c: v for c, v in found.items() if isinstance(v, Category)}
        assert sorted(_places(outcome)) == sorted(found)
        if outcome.place is None:
            assert not qualifying
            continue
        assert outcome.place in communities(p)
        assert outcome.category == found[outcome.place]
        assert all(RANK[v] >= RANK[outcome.category] for v in qualifying.values())
        assert dict(outcome.others) == {c: v for c, v in qualifying.items() if c != outcome.place}
        for code, reason in outcome.excluded:
            expected = Reason.REGISTERED_ELSEWHERE if code in qualifying else found[code]
            assert reason == expected


def _lines(outcomes) -> tuple[set, set]:
    voters = {(o.place, o.person.id_number, o.category) for o in outcomes if o.place}
    excluded = {(code, o.person.id_number, r) for o in outcomes for code, r in o.excluded}
    return voters, excluded


@settings(max_examples=200)
@given(populations(unique=True), st.randoms(use_true_random=False))
def test_the_order_of_rows_does_not_matter_without_duplicates(rows, random):
    shuffled = list(rows)
    random.shuffle(shuffled)
    assert _lines(register_all(shuffled, D, TODAY)) == _lines(register_all(rows, D, TODAY))


@settings(max_examples=300)
@given(populations() | populations(unique=True))
def test_a_resident_alone_is_registered_as_in_the_batch(rows):
    times = Counter(p.id_number for p in rows)
    for p, in_batch in zip(rows, register_all(rows, D, TODAY), strict=True):
        if times[p.id_number] == 1:
            assert register(p, D, TODAY) == in_batch


@settings(max_examples=300)
@given(populations(unique=True))
def test_settling_moves_the_person_to_another_qualifying_place(rows):
    for outcome in register_all(rows, D, TODAY):
        for code, category in outcome.others:
            moved = settle(outcome, code)
            assert (moved.place, moved.category) == (code, category)
            assert sorted(_places(moved)) == sorted(_places(outcome))
            assert len(_places(moved)) == len(set(_places(moved)))
            assert (outcome.place, Reason.REGISTERED_ELSEWHERE) in moved.excluded
            assert code not in dict(moved.others)
            assert dict(moved.others)[outcome.place] == outcome.category
            assert len(moved.others) == len(outcome.others)
