"""Ballots typed at keyboard speed (huanjie.polling.keys): no database needed."""

import re

import pytest

from huanjie.polling.keys import InputError, Keyboard, clean

pytestmark = pytest.mark.usefixtures("english")

OFFICES = [
    {"id": "director", "title": "主任", "seats": 1},
    {"id": "member", "title": "委员", "seats": 2},
]
CANDIDATES = [
    {"id": "c2", "name": "王芳", "office": "director", "sex": "F"},
    {"id": "c1", "name": "刘伟", "office": "director", "sex": "M"},
    {"id": "c3", "name": "方敏", "office": "member", "sex": "F"},
    {"id": "c4", "name": "李军", "office": "member", "sex": "M"},
    {"id": "c5", "name": "吴丽", "office": "member", "sex": "F"},
]
KEYS = Keyboard.of(OFFICES, CANDIDATES)


def test_keys_follow_the_order_of_the_ballot():
    assert KEYS.legend() == [
        ("director", [("1", "c2"), ("2", "c1")]),
        ("member", [("1", "c3"), ("2", "c4"), ("3", "c5")]),
    ]


@pytest.mark.parametrize(
    ("typed", "marks"),
    [
        ("1 / 13", {"director": ["c2"], "member": ["c3", "c5"]}),
        ("1/13", {"director": ["c2"], "member": ["c3", "c5"]}),
        ("2 / 3 1", {"director": ["c1"], "member": ["c5", "c3"]}),
        ("2", {"director": ["c1"], "member": []}),
        ("/ 2", {"director": [], "member": ["c4"]}),
        ("0 / 2", {"director": [], "member": ["c4"]}),
        ("0", {"director": [], "member": []}),
        ("1 / ?", {"director": ["c2"], "member": None}),
        ("? / 12", {"director": None, "member": ["c3", "c4"]}),
        ("1 / 123", {"director": ["c2"], "member": ["c3", "c4", "c5"]}),  # over-voted: kept
        ("+李四 / 1+周洁", {"director": ["李四"], "member": ["c3", "周洁"]}),
        ("1 / +周洁 +陈霞", {"director": ["c2"], "member": ["周洁", "陈霞"]}),
        ("x", {"invalid": True}),
        (" X ", {"invalid": True}),
        ("１　／　１３", {"director": ["c2"], "member": ["c3", "c5"]}),  # full-width
        ("1 ／ ？", {"director": ["c2"], "member": None}),
    ],
)
def test_typed_ballots(typed, marks):
    assert KEYS.parse(typed) == marks


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Type the ballot"),
        ("   ", "Type the ballot"),
        ("3 / 1", "主任 has no candidate 3"),
        ("1 / 14", "委员 has no candidate 4"),
        ("1 / 2 / 3", "3 sections typed; the ballot has 2"),
        ("1 / ?2", "? stands alone"),
        ("x / 1", "x alone voids the whole ballot"),
        ("1 / 李四", "not a key; write a name after +"),
        ("1 / +", "write the name after +"),
    ],
)
def test_typing_mistakes_are_refused_with_where(typed, message):
    with pytest.raises(InputError, match=re.escape(message)):
        KEYS.parse(typed)


def test_an_office_of_ten_candidates_or_more_takes_numbers_separated_by_spaces():
    people = [{"id": f"c{i}", "name": f"人{i}", "office": "member"} for i in range(1, 13)]
    keys = Keyboard.of([{"id": "member", "title": "委员", "seats": 7}], people)
    assert keys.parse("1 12 3") == {"member": ["c1", "c12", "c3"]}
    with pytest.raises(InputError, match="no candidate 13"):
        keys.parse("13")
    assert keys.format({"member": ["c1", "c12", "c3"]}) == "1 12 3"


@pytest.mark.parametrize(
    "marks",
    [
        {"director": ["c2"], "member": ["c3", "c5"]},
        {"director": [], "member": ["c4"]},
        {"director": ["c1"], "member": []},
        {"director": [], "member": []},
        {"director": None, "member": ["c3", "李四"]},
        {"director": ["c3"], "member": ["c4"]},  # a member candidate written in as director
        {"invalid": True},
    ],
)
def test_format_types_the_marks_back(marks):
    typed = KEYS.format(marks)
    assert clean(KEYS.parse(typed), OFFICES, CANDIDATES) == marks


def test_format_is_short():
    assert KEYS.format({"director": ["c2"], "member": ["c3", "c5"]}) == "1 / 13"
    assert KEYS.format({"director": ["c1"], "member": []}) == "2"
    assert KEYS.format({"director": [], "member": []}) == "0"
    assert KEYS.format({"director": [], "member": ["c5", "李四"]}) == "0 / 3 +李四"
    assert KEYS.format({"director": ["c3"], "member": []}) == "+方敏"


def test_clean_puts_two_readings_of_one_ballot_in_one_form():
    one = clean({"member": ["c5", "c3", "c5"], "director": ["c2"]}, OFFICES, CANDIDATES)
    two = clean(KEYS.parse("1 / 13"), OFFICES, CANDIDATES)
    assert one == two == {"director": ["c2"], "member": ["c3", "c5"]}


def test_a_candidates_name_written_in_is_that_candidate():
    marks = clean({"director": ["刘伟"], "member": ["吴丽", "周洁"]}, OFFICES, CANDIDATES)
    assert marks == {"director": ["c1"], "member": ["c5", "周洁"]}
    # written in for another office: still the same person, under the same id
    assert clean({"director": ["方敏"]}, OFFICES, CANDIDATES)["director"] == ["c3"]


@pytest.mark.parametrize(
    ("marks", "message"),
    [
        (["c1"], "object of sections"),
        ({"deputy": ["c1"]}, "Unknown office: deputy"),
        ({"director": "c1"}, "a section is a list"),
        ({"director": [""]}, "a candidate or a name"),
        ({"director": [3]}, "a candidate or a name"),
        ({"director": ["c99"]}, "c99 is not a candidate of this vote"),
        ({"director": ["invalid"]}, "cannot be a name written in"),
        ({"director": ["长" * 51]}, "cannot be a name written in"),
        ({"invalid": True, "director": ["c1"]}, "A void ballot has no sections"),
        ({"invalid": "yes"}, "“invalid” is true"),
    ],
)
def test_clean_refuses_what_is_not_a_ballot_of_the_slate(marks, message):
    with pytest.raises(InputError, match=re.escape(message)):
        clean(marks, OFFICES, CANDIDATES)


def test_void_and_unreadable():
    assert clean({"invalid": True}, OFFICES, CANDIDATES) == {"invalid": True}
    assert clean({"invalid": True, "member": []}, OFFICES, CANDIDATES) == {"invalid": True}
    assert clean({"invalid": False, "director": None}, OFFICES, CANDIDATES) == {
        "director": None,
        "member": [],
    }
