"""The Simplified Chinese catalog is complete and is what the pages show.

Chinese is the default language of the UI (``LANGUAGE_CODE = "zh-hans"``), so an
untranslated or fuzzy message is an English word on a Chinese page, and a lost
placeholder is a message that fails or misleads when it is formatted.
"""

import gettext
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.test import Client
from django.test.signals import setting_changed
from django.urls import reverse

import huanjie

PO_PATH = Path(huanjie.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"

# A %-style named placeholder: %(name)s, %(count)d, %(value)5.2f …
PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


def load_catalog():
    with PO_PATH.open("rb") as po:
        return read_po(po, locale="zh_Hans")


def messages():
    return [message for message in load_catalog() if message.id]


def as_tuple(value):
    return value if isinstance(value, tuple | list) else (value,)


def test_the_catalog_has_messages():
    # Guards the tests below against passing on an empty or misplaced file.
    assert len(messages()) > 200


def test_the_header_is_not_fuzzy():
    catalog = load_catalog()
    assert not catalog.fuzzy
    assert catalog.num_plurals == 1  # Chinese has a single plural form


@pytest.mark.parametrize("message", messages(), ids=lambda m: as_tuple(m.id)[0][:60])
def test_every_message_is_translated_and_keeps_its_placeholders(message):
    strings = as_tuple(message.string)
    assert strings and all(s.strip() for s in strings), "no translation"
    assert not message.fuzzy, "fuzzy translation"
    wanted = {name for msgid in as_tuple(message.id) for name in PLACEHOLDER.findall(msgid)}
    for string in strings:
        missing = wanted - set(PLACEHOLDER.findall(string))
        assert not missing, f"placeholders missing from {string!r}: {sorted(missing)}"


def test_babel_finds_no_format_errors():
    problems = [
        (message.id, [str(error) for error in errors])
        for message, errors in load_catalog().check()
        if errors
    ]
    assert problems == []


def _forget_loaded_translations():
    """Make Django read the .mo files again, as it does when LOCALE_PATHS changes.

    ``django.setup()`` already loads the default language's catalog (Django's own
    models format lazy strings), and both Django and Python's ``gettext`` keep a loaded
    catalog for the life of the process: without this, a .mo written by the fixture
    would not be seen and the pages would stay in the old (or English) wording."""
    gettext._translations.clear()  # the stdlib's cache of parsed .mo files, by path
    setting_changed.send(
        sender=type(settings._wrapped),
        setting="LOCALE_PATHS",
        value=settings.LOCALE_PATHS,
        enter=True,
    )


@pytest.fixture(scope="module", autouse=True)
def compiled_catalog():
    """The .mo files are build products (git-ignored), compiled at start-up by
    ``compile_translations()``; compile them the same way for the page tests."""
    from huanjie.cli.web import compile_translations

    compile_translations()
    _forget_loaded_translations()
    yield
    _forget_loaded_translations()


@pytest.mark.django_db
def test_the_login_page_is_in_chinese_by_default():
    page = Client(headers={"accept-language": "zh-hans"}).get(reverse("login"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "登录" in text and "用户名" in text and "密码" in text
    assert "Log in" not in text


@pytest.mark.django_db
def test_the_login_page_is_in_english_when_asked():
    page = Client(headers={"accept-language": "en"}).get(reverse("login"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Log in" in text and "Username" in text
    assert "登录" not in text
