"""``huanjie places import FILE --user USERNAME``: import places from CSV or XLSX.

The same all-or-nothing import as the web page, run as a named user so that the audit
trail says who did it and the user's role and scope apply. A bad file is refused with
its first problem (exit 2) and nothing is written.
"""

import argparse
import os
from pathlib import Path

from huanjie.cli import BadInput


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="huanjie places import", description="Import places from a CSV or XLSX file."
    )
    parser.add_argument("file", help="CSV (UTF-8 or GBK) or XLSX file")
    parser.add_argument("--user", required=True, help="the user the import is done as")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huanjie.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.exceptions import PermissionDenied

    from huanjie.places import services

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BadInput(f"{args.file}: {exc.strerror or exc}") from exc
    user = get_user_model().objects.filter(username=args.user).first()
    if user is None:
        raise BadInput(f"no user named {args.user!r}")
    try:
        outcome = services.import_places(user, args.file, data)
    except PermissionDenied as exc:
        raise BadInput(f"user {args.user!r} may not import places") from exc
    if not outcome.ok:
        raise BadInput(str(outcome.problems[0]))
    print(f"{outcome.created} created, {outcome.updated} updated, {outcome.unchanged} unchanged")
    return 0
