"""``huanjie complaints escalate [--cycle ID]``: raise what has waited too long.

Runs :func:`huanjie.complaints.attention.escalate_overdue` once: every open incident
that has outlived its level's hours rises a level (DOMAIN §10: incidents have levels
with escalation), and every open complaint past its 15-day answer deadline is referred
to the county office, each as a step and an audit record of the system's. Meant to be
run every few minutes from cron or a systemd timer (README); a run with nothing due
changes nothing, so running it again is harmless. Prints what it did; exit 0, or 2 for
a wrong command line.
"""

from __future__ import annotations

import argparse
import os

from huanjie.cli import BadInput

USAGE = "usage: huanjie complaints escalate [--cycle ID]"


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise BadInput(f"{message} ({USAGE})")


def run(argv: list[str]) -> int:
    parser = _Parser(
        prog="huanjie complaints escalate",
        description="Raise the incidents and refer the complaints that are overdue.",
    )
    parser.add_argument("--cycle", metavar="ID", help="only this cycle (default: every cycle)")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huanjie.settings")
    import django

    django.setup()
    from huanjie.complaints.attention import escalate_overdue
    from huanjie.cycles.models import Cycle

    cycle = None
    if args.cycle is not None:
        if not args.cycle.isdigit():
            raise BadInput(f"--cycle {args.cycle}: not a cycle ID (a whole number)")
        cycle = Cycle.objects.filter(pk=int(args.cycle)).first()
        if cycle is None:
            raise BadInput(f"--cycle {args.cycle}: no such cycle")
    done = escalate_overdue(cycle=cycle)
    print(
        f"{done['incidents']} incident level rise(s), "
        f"{done['complaints']} complaint(s) referred to the county office"
    )
    return 0
