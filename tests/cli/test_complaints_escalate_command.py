"""``huanjie complaints escalate [--cycle ID]``: an overdue incident rises a level and
an overdue complaint is referred to the county office, as steps and audit records of
the system's; a second run does nothing more; the dashboards show the incident at its
new level."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from huanjie.audit.models import Record
from huanjie.audit.trail import history
from huanjie.cli import main
from huanjie.complaints import incidents, register
from huanjie.cycles.models import Cycle

NOTHING = "0 incident level rise(s), 0 complaint(s) referred to the county office"


@pytest.fixture
def overdue(cycle, village_a1, user_township_a):
    """At 金茶村: a 一般 incident at that level for 80 hours (due to rise at 72), and a
    complaint received 20 days ago (5 days past its 15-day deadline)."""
    now = timezone.now()
    incident = incidents.report_incident(
        user_township_a,
        cycle,
        village_a1,
        level="general",
        occurred_at=now - timedelta(hours=81),
        summary="选举会场有人起哄",
    )
    since = now - timedelta(hours=80)
    type(incident).objects.filter(pk=incident.pk).update(level_since=since)
    complaint = register.register_complaint(
        user_township_a,
        cycle,
        village_a1,
        type="voter_registration",
        received_on=timezone.localdate() - timedelta(days=20),
        channel="letter",
        summary="外出务工人员未登记",
    )
    return {"incident": incident, "since": since, "complaint": complaint}


def test_escalate_raises_and_refers_once(overdue, capsys):
    incident, complaint = overdue["incident"], overdue["complaint"]
    records = Record.objects.count()

    assert main(["complaints", "escalate"]) == 0
    assert capsys.readouterr().out.strip() == (
        "1 incident level rise(s), 1 complaint(s) referred to the county office"
    )
    incident.refresh_from_db()
    assert incident.level == "serious" and incident.escalated
    assert incident.level_since == overdue["since"] + timedelta(hours=72)
    [step] = incident.steps.filter(kind="escalated")
    assert (step.level, step.by, step.at) == ("serious", "system", incident.level_since)
    [rec] = history(target=incident).filter(action="complaints.incident_escalate")
    assert rec.username == "system" and rec.after["level"] == "serious"
    assert rec.before["level"] == "general"

    complaint.refresh_from_db()
    assert complaint.escalated_to == "county_office"
    [step] = complaint.steps.all()
    assert (step.kind, step.by, step.on) == ("escalated", "system", timezone.localdate())
    [rec] = history(target=complaint).filter(action="complaints.escalate")
    assert rec.username == "system" and rec.after["escalated_to"] == "county_office"
    assert Record.objects.count() == records + 2

    # Nothing more is due: the incident has 24 hours at 较重, the complaint is referred.
    assert main(["complaints", "escalate"]) == 0
    assert capsys.readouterr().out.strip() == NOTHING
    incident.refresh_from_db()
    complaint.refresh_from_db()
    assert incident.level == "serious" and incident.steps.count() == 1
    assert complaint.escalated_to == "county_office" and complaint.steps.count() == 1
    assert Record.objects.count() == records + 2


def test_escalate_of_one_cycle(overdue, cycle, county, capsys):
    other = Cycle.objects.create(
        county=county,
        name="第十三届换届",
        term_number=13,
        starts_on=cycle.starts_on,
        ends_on=cycle.ends_on,
    )
    assert main(["complaints", "escalate", "--cycle", str(other.pk)]) == 0
    assert capsys.readouterr().out.strip() == NOTHING
    overdue["incident"].refresh_from_db()
    assert overdue["incident"].level == "general"
    assert main(["complaints", "escalate", "--cycle", str(cycle.pk)]) == 0
    assert capsys.readouterr().out.startswith("1 incident level rise(s), 1 complaint(s)")


def test_escalate_refuses_a_bad_cycle(overdue, capsys):
    assert main(["complaints", "escalate", "--cycle", "999999"]) == 2
    assert capsys.readouterr().err.strip() == "huanjie: --cycle 999999: no such cycle"
    assert main(["complaints", "escalate", "--cycle", "abc"]) == 2
    assert "--cycle abc: not a cycle ID" in capsys.readouterr().err
    assert main(["complaints", "escalate", "--now"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("huanjie: unrecognized arguments: --now") and err.count("\n") == 1
    overdue["incident"].refresh_from_db()
    assert overdue["incident"].level == "general"


def test_dashboards_show_the_incident_at_its_new_level(
    overdue, client_for, user_township_a, user_county_admin, user_township_b, capsys
):
    row = f'class="attention-serious" data-kind="incident" data-pk="{overdue["incident"].pk}"'
    township = client_for(user_township_a)
    # 一般 and not escalated: not on the panel yet.
    assert 'data-kind="incident"' not in township.get(reverse("dashboard")).content.decode()
    assert main(["complaints", "escalate"]) == 0
    for user in (user_township_a, user_county_admin):
        html = client_for(user).get(reverse("dashboard")).content.decode()
        assert row in html, user.username
    assert row not in client_for(user_township_b).get(reverse("dashboard")).content.decode()


def test_the_console_script_runs_it_on_a_database_file(tmp_path):
    """As cron runs it: a process of its own on a SQLite file, nothing due."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["HUANJIE_DATA"] = str(tmp_path)

    def huanjie(*args):
        return subprocess.run(
            [sys.executable, "-m", "huanjie", *args], env=env, capture_output=True, text=True
        )

    assert huanjie("manage", "migrate", "--verbosity", "0").returncode == 0
    done = huanjie("complaints", "escalate")
    assert (done.returncode, done.stdout.strip(), done.stderr) == (0, NOTHING, "")
