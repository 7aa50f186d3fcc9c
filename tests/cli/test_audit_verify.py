"""``huanjie audit verify`` against a real SQLite file, tampered with from outside."""

import os
import sqlite3
import subprocess
import sys

import pytest


def huanjie(*args, env):
    return subprocess.run(
        [sys.executable, "-m", "huanjie", *args], env=env, capture_output=True, text=True
    )


@pytest.fixture
def data_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    env["HUANJIE_DATA"] = str(tmp_path)
    assert huanjie("manage", "migrate", "--verbosity", "0", env=env).returncode == 0
    return env, tmp_path / "huanjie.sqlite3"


SCRIPT = """
from django.contrib.auth.models import User
from huanjie.audit.trail import record
from huanjie.places.models import Place
p = Place.objects.create(code="430121000000", name="长沙县", kind="county")
u = User.objects.create_user("clerk")
for n in range(4):
    record(u, "place.update", p, before={"n": n}, after={"n": n + 1}, place=p)
"""


def test_verify_reports_an_intact_trail_then_the_first_tampered_record(data_env):
    env, db = data_env
    assert huanjie("manage", "shell", "-c", SCRIPT, env=env).returncode == 0
    ok = huanjie("audit", "verify", env=env)
    assert ok.returncode == 0 and "intact: 4 records" in ok.stdout

    with sqlite3.connect(db) as conn:
        conn.execute("DROP TRIGGER audit_record_no_update")
        conn.execute("UPDATE audit_record SET after = '{\"n\": 99}' WHERE seq = 3")
    broken = huanjie("audit", "verify", env=env)
    assert broken.returncode == 1
    assert "broken at record 3" in broken.stdout
