"""选民自查: registered or not, and nothing else; malformed numbers; the rate limit."""

import logging
import re
from datetime import timedelta

import pytest
from django.urls import reverse

from huanjie.public import selfcheck, throttle
from huanjie.rules.identity import make_id
from huanjie.voters.models import Publication

NOT_REGISTERED = "No voter with this name and ID number is on a posted voter list."


@pytest.fixture
def anonymous(client_for):
    return client_for()


@pytest.fixture
def ask(anonymous, english):
    """ask(name, id_number, address) → the response to the self-check form."""

    def _ask(name, id_number, address="10.0.0.1"):
        return anonymous.post(
            reverse("public-check"), {"name": name, "id_number": id_number}, REMOTE_ADDR=address
        )

    return _ask


def answer_text(response) -> str:
    html = response.content.decode()
    start = html.index('id="check-answer"')
    return html[start : html.index("</p>", start)]


def test_the_form_opens_without_signing_in(anonymous, english):
    response = anonymous.get(reverse("public-check"))
    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()


def test_a_voter_on_the_posted_list_learns_place_number_and_day(ask, posted_roll, election_day):
    voter = posted_roll["李华"]
    response = ask("李华", voter.id_number)
    assert response.status_code == 200
    text = answer_text(response)
    assert "You are registered in 星沙街道 金茶村, voter number 2." in text
    assert f"Election day: {election_day:%Y-%m-%d}." in text


def test_a_lowercase_check_letter_and_spaces_are_accepted(ask, posted_roll):
    voter = posted_roll["王小明"]
    # Sequence 79 of this birth date gives the check character X.
    voter.id_number = make_id("430121", voter.birth_date, 79, "M")
    assert voter.id_number.endswith("X")
    voter.save()
    response = ask(" 王 小明 ", f" {voter.id_number.lower()} ")
    assert "voter number 1." in answer_text(response)


def unknown_number(birth, sequence=500):
    return make_id("430121", birth, sequence, "F")


@pytest.mark.parametrize(
    "name, id_of",
    [
        ("王小华", "王小明"),  # wrong name for a listed number
        ("李华", "王小明"),  # somebody else's name
        ("钱进", "钱进"),  # removed from the list
        ("陈静", "陈静"),  # listed where the list is not posted yet
        ("无名", None),  # a valid number nobody holds
    ],
)
def test_every_other_case_gets_the_same_answer(ask, posted_roll, roll_a2, name, id_of):
    people = {**posted_roll, **roll_a2}
    birth = posted_roll["李华"].birth_date
    number = people[id_of].id_number if id_of else unknown_number(birth)
    response = ask(name, number)
    assert response.status_code == 200
    text = answer_text(response)
    assert NOT_REGISTERED in text
    # Nothing of anybody: no other name, no place, no number.
    page = without_form(response)
    for person in people.values():
        assert person.name == name or person.name not in page
    assert "金茶村" not in page and "voter number" not in text


def without_form(response) -> str:
    """The page without the form (which gives back the name typed) and its tokens."""
    html = response.content.decode()
    html = html[: html.index('<form method="post" action="/public/check/"')]
    html = re.sub(r'"X-CSRFToken": "[^"]*"', "", html)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_a_wrong_name_and_an_unknown_number_get_the_same_page(ask, posted_roll):
    listed = posted_roll["王小明"]
    wrong_name = ask("张三", listed.id_number)
    unknown = ask("张三", unknown_number(listed.birth_date, 600))
    assert without_form(wrong_name) == without_form(unknown)
    assert wrong_name.status_code == unknown.status_code == 200


def test_a_voter_added_after_the_list_counts_once_posted_again(
    ask, posted_roll, village_a1, post_publication, objection_for
):
    by_objection, at_the_desk = posted_roll["张伟"], posted_roll["赵敏"]
    objection = objection_for(by_objection)
    assert NOT_REGISTERED in answer_text(ask("张伟", by_objection.id_number))
    assert NOT_REGISTERED in answer_text(ask("赵敏", at_the_desk.id_number))
    objection.published = post_publication(village_a1, Publication.Kind.DECISIONS)
    objection.save()
    post_publication(village_a1, Publication.Kind.SUPPLEMENTARY)
    assert "voter number 3." in answer_text(ask("张伟", by_objection.id_number))
    assert "voter number 4." in answer_text(ask("赵敏", at_the_desk.id_number))


def test_a_supplementary_list_posted_before_the_voter_was_added_does_not_count(
    posted_roll, village_a1, post_publication
):
    earlier = post_publication(village_a1, Publication.Kind.SUPPLEMENTARY)
    voter = posted_roll["赵敏"]
    voter.added_at = earlier.at + timedelta(minutes=5)
    voter.save()
    assert not selfcheck.is_posted(voter)


@pytest.mark.parametrize(
    "number, problem",
    [
        ("43012119800505001", "the ID number must have 18 characters"),
        ("43012119800505001A", "the ID number may only hold digits and a final X"),
        ("99012119800505001X", "the ID number does not start with the code of a province"),
        ("430121198013050010", "the birth date in the ID number is not a possible date"),
        ("", "the ID number is empty"),
    ],
)
def test_a_malformed_number_gets_a_clear_message(ask, posted_roll, number, problem):
    response = ask("王小明", number)
    assert response.status_code == 400
    assert f"Check the ID number: {problem}." in response.content.decode()
    assert 'id="check-answer"' not in response.content.decode()


def test_a_wrong_check_digit_is_named(ask, posted_roll):
    good = posted_roll["王小明"].id_number
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    response = ask("王小明", bad)
    assert "wrong check digit in the ID number" in response.content.decode()


def test_a_missing_name_is_asked_for(ask, posted_roll):
    response = ask("  ", posted_roll["王小明"].id_number)
    assert response.status_code == 400
    assert "Enter your name as it is on your ID card." in response.content.decode()


def test_the_form_needs_its_csrf_token(client_for, posted_roll):
    strict = client_for(csrf=True)
    voter = posted_roll["王小明"]
    form = {"name": "王小明", "id_number": voter.id_number}
    response = strict.post(reverse("public-check"), form)
    assert response.status_code == 403


# The rate limit


@pytest.fixture
def clock(monkeypatch):
    """A clock the test moves by hand."""
    now = [1_000_000.0]
    monkeypatch.setattr(throttle, "clock", lambda: now[0])
    return now


def test_an_address_is_stopped_after_the_limit_and_may_ask_again_later(
    ask, posted_roll, limits, clock
):
    voter = posted_roll["王小明"]
    for n in range(3):
        assert ask("王小明", unknown_number(voter.birth_date, 700 + 2 * n)).status_code == 200
        clock[0] += 10
    refused = ask("王小明", voter.id_number)
    assert refused.status_code == 429
    assert "Too many checks. Try again in 1 minute (" in refused.content.decode()
    assert 'id="check-answer"' not in refused.content.decode()
    # Another address is not affected.
    assert "voter number 1." in answer_text(ask("王小明", voter.id_number, address="10.0.0.2"))
    # The first try leaves the window 60 s after it was made: one more is allowed then.
    clock[0] += 31
    assert "voter number 1." in answer_text(ask("王小明", voter.id_number))
    assert ask("王小明", voter.id_number).status_code == 429


def test_one_number_is_stopped_whatever_the_address(ask, posted_roll, limits, clock):
    voter = posted_roll["李华"]
    for n in range(3):
        assert ask(f"猜{n}", voter.id_number, address=f"10.1.0.{n}").status_code == 200
    assert ask("李华", voter.id_number, address="10.1.0.9").status_code == 429
    clock[0] += 61
    assert "voter number 2." in answer_text(ask("李华", voter.id_number, address="10.1.0.9"))


def test_malformed_tries_count_too(ask, posted_roll, limits, clock):
    for _n in range(3):
        assert ask("王小明", "123").status_code == 400
    assert ask("王小明", posted_roll["王小明"].id_number).status_code == 429


def test_no_cache_key_or_log_line_holds_the_number(ask, posted_roll, limits, clock, caplog):
    from django.core.cache import cache

    voter = posted_roll["王小明"]
    with caplog.at_level(logging.DEBUG):
        ask("王小明", voter.id_number)
        ask("王小明", voter.id_number[:17] + "0")
    assert voter.id_number not in caplog.text
    assert voter.id_number[6:14] not in caplog.text  # not even the birth date
    assert "self-check from 10.0.0.1" in caplog.text
    keys = throttle._keys("10.0.0.1", voter.id_number)
    assert all(voter.id_number not in key for key in keys)
    assert cache.get(keys[1])
