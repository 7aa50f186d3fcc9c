"""Helpers of the browser stories (imported by name: test module basenames are unique):
following a link or a form to the next page, waiting for htmx, reading the messages,
the keys of a counter's page, and rows of the server's database."""

import sqlite3
from contextlib import contextmanager
from pathlib import Path

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


def query(server_env, sql: str) -> list[tuple]:
    """Rows of the server's database (SQLite in its data folder, or PostgreSQL), for
    what the pages mask, such as ID numbers; read only."""
    if server_env.get("DATABASE_URL"):
        import psycopg

        with psycopg.connect(server_env["DATABASE_URL"]) as conn:
            return conn.execute(sql).fetchall()
    path = Path(server_env["HUANJIE_DATA"]) / "huanjie.sqlite3"
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return conn.execute(sql).fetchall()
