"""Browser tests: Debian's Chromium driven by Playwright against the real server.

The server runs in its own process on a small demo county, built by the same
``huanjie demo`` the README gives, on SQLite or — when DATABASE_URL is set — on a
PostgreSQL database of its own. It is not pytest-django's live server: the audit
table refuses the DELETE/TRUNCATE with which that server's tests are cleaned up.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from huanjie.demo.load import DEMO_PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_env(data_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["HUANJIE_DATA"] = str(data_dir)
    if os.environ.get("DATABASE_URL"):
        base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
        env["DATABASE_URL"] = f"{base}/huanjie_browser"
    return env


def _huanjie(*args, env, **kwargs):
    return subprocess.run([sys.executable, "-m", "huanjie", *args], env=env, check=True, **kwargs)


@pytest.fixture(scope="session")
def server_env(tmp_path_factory) -> dict:
    """The server's environment: its data folder (``HUANJIE_DATA``, which holds the
    SQLite file) or its ``DATABASE_URL``, for a test that reads what the pages mask."""
    return _server_env(tmp_path_factory.mktemp("browser"))


@pytest.fixture(scope="session")
def server(server_env):
    env = server_env
    if "DATABASE_URL" in env:
        admin = env["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
        import psycopg

        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS huanjie_browser WITH (FORCE)")
            conn.execute("CREATE DATABASE huanjie_browser")
    _huanjie(
        "demo",
        "--no-serve",
        "--residents",
        "2000",
        "--seed",
        "7",
        "--force",
        env=env,
        capture_output=True,
    )
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "huanjie", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{url}/login/", timeout=1)
            break
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(proc.stdout.read().decode()) from None
            time.sleep(0.2)
    yield url
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def login(browser, server):
    """login("township1") → a Playwright page logged in as that demo account."""
    contexts = []

    def _login(username, password=DEMO_PASSWORD):
        context = browser.new_context(locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{server}/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        return page

    yield _login
    for context in contexts:
        context.close()


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
