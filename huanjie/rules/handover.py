"""The handover between the outgoing and the new committee, and the archive of a
place's cycle (DOMAIN §9).

A new committee takes office only when it holds what the old one held: the seals, the
accounts, the assets, the archives and the debts owed to and by the place. Refusing
the handover is one of the "八个严禁" (DOMAIN §10), so the checklist is written down,
each item ticked by the side that hands it over and by the side that receives it, and
the form is signed by both. A side signs for the whole list: while any item is still
open, a signature would cover something nobody has checked, so it is refused.

The archive of a cycle (分类装订、长期保存) is one ZIP file with a ``manifest.json``
naming every other file in it with its size and SHA-256, so that anyone holding the
file can tell, years later and without this system, whether something was removed,
changed or slipped in. :func:`verify_archive` is that check; it reads the ZIP only.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any, Literal

from huanjie.rules.findings import Finding, error

__all__ = [
    "MANIFEST",
    "MANIFEST_FORMAT",
    "SEED_ITEMS",
    "SIDES",
    "Item",
    "SeedItem",
    "check_item",
    "check_signing",
    "file_entry",
    "make_manifest",
    "open_items",
    "verify_archive",
]

Side = Literal["outgoing", "incoming"]

#: The two sides of a handover, in Chinese and in English.
SIDES: dict[str, tuple[str, str]] = {
    "outgoing": ("移交方", "outgoing side"),
    "incoming": ("接收方", "incoming side"),
}


@dataclass(frozen=True)
class SeedItem:
    key: str
    title_zh: str
    title_en: str
    hint_zh: str


#: What every handover lists (DOMAIN §9): the seeds' five headings.
SEED_ITEMS: tuple[SeedItem, ...] = (
    SeedItem("seals", "印章", "Seals", "村（居）委会印章、财务专用章等"),
    SeedItem("accounts", "账目/财务", "Accounts and finances", "账簿、凭证、银行账户、现金"),
    SeedItem("assets", "资产", "Assets", "集体资产、资源台账及实物"),
    SeedItem("archives", "档案", "Archives", "文书、会议记录、合同等档案资料"),
    SeedItem("debts", "债权债务", "Debts owed to and by the place", "债权、债务清单及凭据"),
)


@dataclass(frozen=True)
class Item:
    """One line of the checklist as both sides see it."""

    title: str
    description: str = ""
    count: int | None = None
    outgoing_checked: bool = False
    incoming_checked: bool = False

    @property
    def is_open(self) -> bool:
        """Not yet ticked by both sides."""
        return not (self.outgoing_checked and self.incoming_checked)


def open_items(items: Iterable[Item]) -> list[Item]:
    return [item for item in items if item.is_open]


def check_item(title: str, count: int | None) -> list[Finding]:
    """An item needs a title; a count, when given, is a whole number ≥ 0."""
    findings = []
    if not title.strip():
        findings.append(
            error(
                "handover.no_title",
                "§9",
                "交接事项应有名称",
                "An item of the handover needs a title.",
            )
        )
    if count is not None and count < 0:
        findings.append(
            error(
                "handover.negative_count",
                "§9",
                f"“{title}”的数量不能为负数（{count}）",
                f"The count of “{title}” cannot be negative ({count}).",
                title=title,
                count=count,
            )
        )
    return findings


def check_signing(
    side: Side, name: str, items: Sequence[Item], signed: Mapping[str, bool]
) -> list[Finding]:
    """May ``side`` sign the handover now? ``signed`` says which sides already have.

    A side signs once, by a named person, for a list that has items and none of them
    open: every item ticked by both sides (DOMAIN §9).
    """
    side_zh, side_en = SIDES[side]
    findings = []
    if signed.get(side):
        findings.append(
            error(
                "handover.already_signed",
                "§9",
                f"{side_zh}已签字",
                f"The {side_en} has already signed.",
                side=side,
            )
        )
    if not name.strip():
        findings.append(
            error(
                "handover.no_signer",
                "§9",
                f"请填写{side_zh}签字人的姓名",
                f"Give the name of the person signing for the {side_en}.",
                side=side,
            )
        )
    if not items:
        findings.append(
            error(
                "handover.no_items",
                "§9",
                "交接清单没有任何事项，不能签字",
                "The checklist has no items: there is nothing to sign for.",
            )
        )
    still_open = open_items(items)
    if still_open:
        titles = [item.title for item in still_open]
        findings.append(
            error(
                "handover.items_open",
                "§9",
                f"以下事项尚未经双方确认，不能签字：{'、'.join(titles)}",
                f"These items are not yet ticked by both sides, so the handover cannot "
                f"be signed: {', '.join(titles)}.",
                items=titles,
            )
        )
    return findings


# The archive ---------------------------------------------------------------------------

#: The name of the manifest inside the archive.
MANIFEST = "manifest.json"

#: The manifest's ``format``: what a reader of the file needs to know to check it.
MANIFEST_FORMAT = "huanjie-archive/1"


def file_entry(path: str, data: bytes) -> dict[str, Any]:
    """A file of the archive as the manifest lists it."""
    return {"path": path, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def make_manifest(
    *,
    place: Mapping[str, Any],
    cycle: Mapping[str, Any],
    made_at: str,
    made_by: str,
    files: Iterable[Mapping[str, Any]],
    notes: Sequence[str] = (),
) -> dict[str, Any]:
    """The manifest: what the archive is of, when and by whom it was made, and every
    file with its size and SHA-256, in path order. ``notes`` says what could not be
    included and why, so that an absence is explained rather than silent."""
    entries = sorted(files, key=lambda f: f["path"])
    paths = [f["path"] for f in entries]
    if len(set(paths)) != len(paths) or MANIFEST in paths:
        raise ValueError("Each file of an archive needs a path of its own.")
    return {
        "format": MANIFEST_FORMAT,
        "place": dict(place),
        "cycle": dict(cycle),
        "made_at": made_at,
        "made_by": made_by,
        "files": [dict(f) for f in entries],
        "notes": list(notes),
    }


def _problem(code: str, zh: str, en: str, path: str = "") -> Finding:
    return error(f"archive.{code}", "§9", zh, en, path=path)


def _manifest_files(manifest: object) -> list[Mapping[str, Any]] | Finding:
    """The file entries of a manifest, or the finding that says why it is unreadable."""
    bad = _problem(
        "bad_manifest",
        f"{MANIFEST}格式不正确",
        f"{MANIFEST} is not a manifest of this format ({MANIFEST_FORMAT}).",
        MANIFEST,
    )
    if not isinstance(manifest, Mapping) or manifest.get("format") != MANIFEST_FORMAT:
        return bad
    files = manifest.get("files")
    if not isinstance(files, list):
        return bad
    for entry in files:
        if not (
            isinstance(entry, Mapping)
            and isinstance(entry.get("path"), str)
            and isinstance(entry.get("sha256"), str)
            and isinstance(entry.get("size"), int)
        ):
            return bad
    return files


def verify_archive(source: str | IO[bytes]) -> list[Finding]:
    """The problems of an archive (a path or a binary file), empty when it is intact.

    Each problem names the file: one listed in the manifest and missing from the ZIP,
    one whose content no longer has the SHA-256 (or size) the manifest gives, one in
    the ZIP the manifest does not list. A file that is not a ZIP, or a ZIP without a
    readable manifest, is one problem, since nothing else can be checked.
    """
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError):
        return [_problem("not_zip", "文件不是ZIP归档", "The file is not a ZIP archive.")]
    with archive:
        names = [i.filename for i in archive.infolist() if not i.is_dir()]
        if MANIFEST not in names:
            return [
                _problem(
                    "no_manifest",
                    f"归档中没有{MANIFEST}",
                    f"The archive has no {MANIFEST}.",
                    MANIFEST,
                )
            ]
        try:
            manifest = json.loads(archive.read(MANIFEST).decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            manifest = None
        files = _manifest_files(manifest)
        if isinstance(files, Finding):
            return [files]
        problems = []
        present = set(names)
        listed = set()
        for entry in files:
            path = entry["path"]
            listed.add(path)
            if path not in present:
                problems.append(
                    _problem(
                        "missing",
                        f"缺少文件：{path}",
                        f"Missing: {path} is listed in the manifest but not in the archive.",
                        path,
                    )
                )
                continue
            try:
                data = archive.read(path)
            except (zipfile.BadZipFile, OSError):
                data = None
            if (
                data is None
                or len(data) != entry["size"]
                or hashlib.sha256(data).hexdigest() != entry["sha256"].lower()
            ):
                problems.append(
                    _problem(
                        "changed",
                        f"文件已被改动：{path}（SHA-256与清单不符）",
                        f"Changed: {path} does not match its SHA-256 in the manifest.",
                        path,
                    )
                )
        for path in sorted(present - listed - {MANIFEST}):
            problems.append(
                _problem(
                    "unlisted",
                    f"清单未列出的文件：{path}",
                    f"Not in the manifest: {path} was added to the archive.",
                    path,
                )
            )
        return problems
