"""`make demo` uses the default seed: the demo builds with it (a module of its own, so
that no other demo is loaded in the same database)."""

from datetime import date

import pytest
from django.db import transaction

from huanjie.demo import pilot
from huanjie.demo.load import build_demo


@pytest.mark.django_db
def test_the_default_seed_builds():
    """A county of 20,000, whose pilot branch already has members of its own."""
    with transaction.atomic():
        built = build_demo(20_000, today=date(2026, 11, 21))
        assert built["pilot_candidates"] == 8 * len(pilot.PILOTS) + 4
        transaction.set_rollback(True)
