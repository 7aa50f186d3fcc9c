"""``huanjie demo``, ``huanjie serve`` and ``huanjie manage`` (CONTRACTS §5).

``demo`` prepares a fresh embedded database with the generated county and serves it;
``serve`` serves an existing database; ``manage`` is Django's own command line. The
server is waitress, a pure-Python WSGI server, so the application runs the same on
an office PC as on a server, with no C toolchain and no separate web server; static
files come from WhiteNoise straight out of the package, so nothing is collected.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from huanjie.cli import BadInput

SETTINGS = "huanjie.settings"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def run(argv: list[str]) -> int:
    """``argv`` starts with "demo" or "serve" for those commands; anything else is the
    arguments of ``manage``."""
    if argv[:1] == ["demo"]:
        return demo(argv[1:])
    if argv[:1] == ["serve"]:
        return serve(argv[1:])
    return manage(argv)


class _Parser(argparse.ArgumentParser):
    """Bad arguments are a one-line BadInput (CONTRACTS: exit 2, one line on stderr)
    rather than argparse's usage block."""

    def error(self, message):
        raise BadInput(f"{self.prog}: {message}")


def _parser(prog: str, description: str) -> argparse.ArgumentParser:
    parser = _Parser(prog=prog, description=description)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on")
    return parser


def demo(argv: list[str]) -> int:
    parser = _parser("huanjie demo", "Build the demo county in a fresh database and serve it.")
    parser.add_argument("--residents", type=int, default=300_000, help="how many residents")
    parser.add_argument("--seed", type=int, default=2026, help="seed of the generator")
    parser.add_argument("--no-serve", action="store_true", help="build only, do not serve")
    parser.add_argument(
        "--force", action="store_true", help="load into the database of DATABASE_URL"
    )
    args = parser.parse_args(argv)
    if args.residents < 1:
        raise BadInput("--residents must be at least 1")
    external = os.environ.get("DATABASE_URL")
    if external and not args.force:
        raise BadInput(
            "DATABASE_URL is set; the demo only replaces its own SQLite file "
            "(unset DATABASE_URL, or add --force to load into that empty database)"
        )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    if not external:
        _remove_demo_database()
    # Before Django starts: setting it up already loads the catalogs for good.
    _report_translations(compile_translations())
    _setup()
    from django.core.management import call_command

    from huanjie.demo.load import DEMO_ACCOUNTS, DEMO_PASSWORD, DemoExists, build_demo

    started = time.perf_counter()
    print("migrating the database…", flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    print(f"building the demo county ({args.residents:,} residents, seed {args.seed})…")
    try:
        summary = build_demo(
            args.residents, args.seed, report=lambda line: print("  " + line, flush=True)
        )
    except DemoExists as exc:
        raise BadInput(f"{exc}; use an empty database") from None
    print(
        "  {places:,} places, {residents:,} residents in {households:,} households, "
        "{party_members:,} party members, {elections:,} elections, "
        "{steps_signed_off:,} steps signed off, {places_behind:,} places behind".format(**summary)
    )
    print(f"ready in {time.perf_counter() - started:.1f} s")
    url = f"http://{args.host}:{args.port}/"
    print(f"\n{url}\ndemo accounts (password {DEMO_PASSWORD}):")
    for account in DEMO_ACCOUNTS:
        print(f"  {account.username:<10} {account.title} {account.department}".rstrip())
    if args.no_serve:
        return 0
    return _serve(args.host, args.port)


def serve(argv: list[str]) -> int:
    parser = _parser("huanjie serve", "Serve an existing database until stopped.")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    _report_translations(compile_translations())
    _setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import DatabaseError

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3") and not Path(database["NAME"]).exists():
        raise BadInput(
            f"no database at {database['NAME']}; run `huanjie demo` for a demo "
            "database, or `huanjie manage migrate` for an empty one"
        )
    try:
        call_command("migrate", check=True, verbosity=0)
    except SystemExit:
        raise BadInput("the database is not up to date; run `huanjie manage migrate`") from None
    except DatabaseError as exc:
        raise BadInput(f"cannot use the database: {exc}") from None
    return _serve(args.host, args.port)


def manage(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["huanjie manage", *argv])
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0


def compile_translations(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Compile each ``django.po`` whose ``.mo`` is missing or older, with Babel.

    The ``.mo`` files are build products and are not committed, so a fresh checkout
    or an edited translation is compiled on the next start instead of needing
    GNU gettext on the machine. Returns the files written.
    """
    from babel.messages import mofile, pofile

    written = []
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/django.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po:
            catalog = pofile.read_po(po, locale=po_path.parent.parent.name)
        partial = mo_path.with_suffix(".mo.tmp")
        with partial.open("wb") as mo:
            mofile.write_mo(mo, catalog)
        partial.replace(mo_path)  # a server starting meanwhile never reads half a file
        written.append(mo_path)
    return written


def _report_translations(written: list[Path]) -> None:
    for path in written:
        print(f"compiled translations: {path.parent.parent.name}")


def _setup() -> None:
    import django

    django.setup()


def _remove_demo_database() -> None:
    """Delete the SQLite file of HUANJIE_DATA (and its WAL files): the demo always
    starts from an empty database."""
    from django.conf import settings

    name = Path(settings.DATABASES["default"]["NAME"])
    name.parent.mkdir(parents=True, exist_ok=True)
    for path in (name, Path(f"{name}-wal"), Path(f"{name}-shm"), Path(f"{name}-journal")):
        path.unlink(missing_ok=True)


def _serve(host: str, port: int) -> int:
    import waitress

    from huanjie.wsgi import application

    print(f"serving on http://{host}:{port}/ — press Ctrl+C to stop", flush=True)
    try:
        waitress.serve(application, host=host, port=port, threads=8, ident="huanjie")
    except KeyboardInterrupt:
        pass
    except OSError as exc:
        print(f"huanjie: cannot listen on {host}:{port}: {exc.strerror}", file=sys.stderr)
        return 1
    return 0
