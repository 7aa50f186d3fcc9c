"""Fixtures of the complaints tests: a complaint registered at 金茶村 (township A) by
the township's staff, one at 黄兴村 (township B), and an incident at each."""

from datetime import timedelta

import pytest
from django.utils import timezone

from huanjie.complaints import incidents, register


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def complaint_a1(cycle, village_a1, user_township_a, today):
    """Bribery at 金茶村, received three days ago from 李四, answer in 15 days."""
    return register.register_complaint(
        user_township_a,
        cycle,
        village_a1,
        type="bribery",
        received_on=today - timedelta(days=3),
        channel="visit",
        summary="有人给选民发红包拉票",
        complainant="李四",
    )


@pytest.fixture
def overdue_a1(cycle, village_a1, user_township_a, today):
    """A complaint about the roll, received 20 days ago: 5 days past its deadline."""
    return register.register_complaint(
        user_township_a,
        cycle,
        village_a1,
        type="voter_registration",
        received_on=today - timedelta(days=20),
        channel="letter",
        summary="外出务工人员未登记",
    )


@pytest.fixture
def complaint_b1(cycle, village_b1, user_township_b, today):
    return register.register_complaint(
        user_township_b,
        cycle,
        village_b1,
        type="threats",
        received_on=today,
        channel="hotline",
        summary="候选人威胁选民",
        complainant="王五",
    )


@pytest.fixture
def incident_a1(cycle, village_a1, user_township_a):
    """A 一般 incident at 金茶村, reported an hour after it happened."""
    now = timezone.now()
    return incidents.report_incident(
        user_township_a,
        cycle,
        village_a1,
        level="general",
        occurred_at=now - timedelta(hours=1),
        summary="选举会场有人起哄",
        reported_by="村选举委员会",
    )


@pytest.fixture
def incident_b1(cycle, village_b1, user_township_b):
    """A 严重 incident at 黄兴村."""
    return incidents.report_incident(
        user_township_b,
        cycle,
        village_b1,
        level="severe",
        occurred_at=timezone.now() - timedelta(minutes=30),
        summary="有人冲击投票站，抢夺票箱",
    )
