"""Helpers of the browser stories (imported by name: test module basenames are unique):
following a link or a form to the next page, waiting for htmx, reading the messages,
and the keys of a counter's page."""

from contextlib import contextmanager

from playwright.sync_api import expect


def navigate(page, locator):
    """Click what submits a form or follows a link, and wait for the new page."""
    with page.expect_navigation():
        locator.click()


@contextmanager
def swapped(page, target):
    """Wait, after the block, until htmx has replaced what ``target`` held."""
    page.locator(target).evaluate(
        "el => el.insertAdjacentHTML('beforeend', '<i class=\"stale-marker\"></i>')"
    )
    yield
    page.locator(f"{target} .stale-marker").wait_for(state="detached")


def no_error(page):
    assert page.locator("#messages .error").all_inner_texts() == []


def success(page):
    """The change went through: no error shown (its text is in the failure), a success."""
    no_error(page)
    expect(page.locator("#messages .success").first).to_be_visible()


def legend(page) -> list[list[str]]:
    """The candidates of each office in ballot order (key 1 first), off the counter's
    page."""
    offices = []
    for cell in page.locator("table.legend tbody td").all():
        names = []
        for i, key in enumerate(cell.locator(".key").all(), 1):
            assert key.locator("b").inner_text().strip() == str(i)
            names.append(key.inner_text().strip()[len(str(i)) :].strip())
        offices.append(names)
    return offices
