"""``huanjie archive verify ARCHIVE.zip``: check a place's archive against its manifest.

The check is :func:`huanjie.rules.handover.verify_archive`, the one the archive page
uses; it reads the ZIP only, so an archive can be checked on any machine, years after
it was made, without the database. Exit 0 when intact, 1 with one line per problem
naming the file, 2 when the command itself is wrong.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from huanjie.cli import BadInput
from huanjie.rules import handover

USAGE = "usage: huanjie archive verify ARCHIVE.zip"


def _summary(path: Path) -> str:
    """How many files the manifest lists and whose archive it is."""
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read(handover.MANIFEST).decode("utf-8"))
    place, cycle = manifest.get("place") or {}, manifest.get("cycle") or {}
    return (
        f"{len(manifest['files'])} files match the manifest "
        f"({place.get('code', '?')} {place.get('name', '')}, {cycle.get('name', '')}, "
        f"made {manifest.get('made_at', '?')} by {manifest.get('made_by', '?')})"
    )


def run(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0].startswith("-"):
        raise BadInput(USAGE)
    path = Path(argv[0])
    if not path.is_file():
        raise BadInput(f"{path}: no such file")
    problems = handover.verify_archive(str(path))
    if not problems:
        print(f"{path}: archive intact: {_summary(path)}")
        return 0
    for problem in problems:
        print(f"{path}: {problem.message_en}")
    print(f"{path}: archive NOT intact: {len(problems)} problem(s)")
    return 1
