"""The public pages open without signing in; every other page still asks for a login."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from huanjie.accounts.middleware import OPEN_PREFIXES

#: What stands for a path parameter when every route is tried.
ARGUMENTS = {"int": "1", "str": "430121001201", "path": "x", "slug": "x"}


def routes(patterns=None, prefix=""):
    """Every route of the project, with its parameters filled in."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from routes(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            yield "/" + re.sub(
                r"<(?:(\w+):)?\w+>", lambda m: ARGUMENTS[m.group(1) or "str"], prefix + route
            )


def page_routes():
    return sorted({r for r in routes() if not r.startswith(OPEN_PREFIXES) and "^" not in r})


@pytest.fixture
def anonymous(client_for):
    return client_for()


def test_the_public_pages_open_without_signing_in(anonymous, cycle, village_a1):
    for url in (
        reverse("public"),
        reverse("public-place", args=[village_a1.code]),
        reverse("public-check"),
    ):
        assert anonymous.get(url).status_code == 200, url


def test_the_public_pages_are_under_the_open_prefix():
    assert "/public/" in OPEN_PREFIXES
    for name in ("public", "public-check"):
        assert reverse(name).startswith("/public/")
    assert reverse("public-place", args=["1"]).startswith("/public/")
    assert reverse("public-notice", args=["voters", 1]).startswith("/public/")


def test_there_are_pages_to_check():
    # Guards the test below against passing on an empty walk of the routes.
    found = page_routes()
    assert "/" in found and "/places/" in found and len(found) > 50


def test_every_other_page_asks_for_a_login(anonymous):
    open_pages = []
    for url in page_routes():
        response = anonymous.get(url)
        if response.status_code != 302 or not response["Location"].startswith(reverse("login")):
            open_pages.append((url, response.status_code))
    assert open_pages == []


def test_protected_notices_stay_protected(anonymous, cycle, village_a1):
    for url in (
        reverse("dashboard"),
        reverse("voters-publication", args=[1]),
        reverse("timeline", args=[cycle.pk, village_a1.code]),
        reverse("document", args=[1]),
    ):
        response = anonymous.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


def test_the_login_page_links_to_the_public_pages(anonymous, english):
    html = anonymous.get(reverse("login")).content.decode()
    assert f'href="{reverse("public")}"' in html
    assert f'href="{reverse("public-check")}"' in html


def test_chinese_is_the_default_and_english_is_offered(client_for):
    chinese = client_for(language="zh-hans").get(reverse("public-check"))
    assert chinese.content.decode().startswith("<!doctype html>")
    assert '<html lang="zh-hans">' in chinese.content.decode()
    english = client_for(language="en").get(reverse("public-check"))
    assert '<html lang="en">' in english.content.decode()
    assert "Voter self-check" in english.content.decode()
