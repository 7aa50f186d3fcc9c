"""The archive of a place's cycle (DOMAIN §9: 分类装订、长期保存) as one ZIP.

What goes in, under these folders:

- ``documents/``: every paper the system keeps for the place and cycle, as it was
  posted or attached — the voter-list notices (voters), the candidates' notices and
  commitment letters (candidates), the proxies' authorisations and the polling notices
  (polling), the papers attached to the timeline's steps (cycles) — and, printed now
  from the records, each counted poll's result form and the certificates issued;
- ``handover/``: the handover form, when the place has one;
- ``exports/``: the roll (ID numbers masked), the candidates and the results as the
  reports export them for the place (:mod:`huanjie.reports.exports`; the candidates and
  results of every body of the place, not only the 两委), and the handover table: each
  as XLSX and its rows as CSV (UTF-8 with the BOM Excel needs), one CSV per sheet —
  ``results-polls.csv`` and ``results-votes.csv`` for the results' two sheets;
- ``audit/``: the place's audit trail, as CSV and as JSON, with each record's hashes
  so that it can be matched to the chain (``huanjie audit verify``);
- ``manifest.json``: the place, the cycle, when and by whom the archive was made, and
  every other file with its size and SHA-256 (:mod:`huanjie.rules.handover`).

A document that cannot be included (its file is gone from the media folder, a paper
the records cannot print) is named in the manifest's ``notes`` rather than left out
silently. Each archive is kept as made, with the SHA-256 of the whole ZIP: making it
again gives a new one.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huanjie.accounts import permissions
from huanjie.audit.models import Record
from huanjie.audit.trail import history, record
from huanjie.candidates.models import Candidate
from huanjie.candidates.models import Notice as CandidateNotice
from huanjie.cycles.models import Election, StepDocument
from huanjie.cycles.services import RuleViolation, sign_off_when_ready
from huanjie.handover import checklist
from huanjie.handover.models import Archive
from huanjie.polling import papers
from huanjie.polling.models import Notice as PollingNotice
from huanjie.polling.models import Proxy, Winner
from huanjie.reports import exports
from huanjie.rules import handover as rules
from huanjie.rules.findings import Finding
from huanjie.rules.seats import Body
from huanjie.voters.models import Publication

MAKE = checklist.SUPERVISE


@dataclass
class Contents:
    """The files of an archive being made, path → bytes, and what was left out."""

    files: dict[str, bytes] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(self, path: str, data: bytes) -> None:
        if path in self.files:
            raise ValueError(f"Two files of the archive would be {path}.")
        self.files[path] = data

    def add_stored(self, path: str, fieldfile) -> None:
        """A file from the media folder; a missing one becomes a note."""
        try:
            with fieldfile.open("rb") as f:
                self.add(path, f.read())
        except (FileNotFoundError, OSError, ValueError):
            self.notes.append(f"{path}: 存储的文件缺失（{fieldfile.name}）")

    def add_printed(self, path: str, make: Callable[[], bytes]) -> None:
        """A paper printed from the records; one the records cannot print is a note."""
        try:
            self.add(path, make())
        except (RuleViolation, ValueError) as exc:
            self.notes.append(f"{path}: 未能生成（{exc}）")

    def add_sheets(
        self, path: str, sheets: Sequence[exports.Sheet], csv_suffixes: Sequence[str]
    ) -> None:
        """``path``.xlsx of the sheets, as the reports write it, and the same rows as
        one CSV per sheet, ``path`` + its suffix + ``.csv``."""
        sheets = [(title, header, [list(r) for r in rows]) for title, header, rows in sheets]
        self.add(f"{path}.xlsx", exports.workbook(sheets))
        for suffix, (_title, header, rows) in zip(csv_suffixes, sheets, strict=True):
            self.add(f"{path}{suffix}.csv", csv_bytes(header, rows))


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return text.getvalue().encode("utf-8-sig")


def _ext(name: str, default: str = ".pdf") -> str:
    return os.path.splitext(name)[1].lower() or default


def _base(name: str) -> str:
    return os.path.basename(name)


def _elections(cycle, place):
    return list(Election.objects.filter(cycle=cycle, place=place).order_by("body"))


# Documents


def add_documents(contents: Contents, cycle, place) -> None:
    elections = _elections(cycle, place)
    for pub in Publication.objects.filter(cycle=cycle, place=place).order_by("at", "pk"):
        path = (
            f"documents/voters/{pub.kind}-{pub.published_on:%Y%m%d}-{pub.pk}{_ext(pub.file.name)}"
        )
        contents.add_stored(path, pub.file)
    notices = CandidateNotice.objects.filter(election__in=elections).order_by("at", "pk")
    for notice in notices.select_related("election"):
        body = notice.election.body
        path = (
            f"documents/candidates/{body}-{notice.kind}-{notice.published_on:%Y%m%d}-"
            f"{notice.pk}{_ext(notice.file.name)}"
        )
        contents.add_stored(path, notice.file)
    letters = Candidate.objects.filter(election__in=elections).exclude(commitment_file="")
    for cand in letters.order_by("pk"):
        path = f"documents/commitments/{cand.pk}-{_base(cand.commitment_file.name)}"
        contents.add_stored(path, cand.commitment_file)
    for proxy in Proxy.objects.filter(election__in=elections).order_by("pk"):
        if proxy.authorisation:
            path = f"documents/proxies/{proxy.pk}-{_base(proxy.authorisation.name)}"
            contents.add_stored(path, proxy.authorisation)
    notices = PollingNotice.objects.filter(election__in=elections).order_by("at", "pk")
    for notice in notices.select_related("election"):
        path = (
            f"documents/polling/{notice.election.body}-{notice.kind}-"
            f"{notice.published_on:%Y%m%d}-{notice.pk}{_ext(notice.file.name)}"
        )
        contents.add_stored(path, notice.file)
    docs = StepDocument.objects.filter(step__cycle=cycle, step__place=place).select_related("step")
    for doc in docs.order_by("step__key", "pk"):
        path = f"documents/steps/{doc.step.key}/{doc.pk}-{_base(doc.name or doc.file.name)}"
        contents.add_stored(path, doc.file)
    for election in elections:
        for poll in election.polls.filter(result__isnull=False).order_by("held_on", "pk"):
            poll.election = election
            path = (
                f"documents/results/{election.body}-{poll.round}-{poll.held_on:%Y%m%d}-"
                f"{poll.pk}-report.pdf"
            )
            contents.add_printed(path, lambda poll=poll: papers.report_pdf(poll))
        if Winner.objects.filter(poll__election=election, certificate_number__gt="").exists():
            path = f"documents/results/{election.body}-certificates.pdf"
            contents.add_printed(path, lambda e=election: papers.certificates_pdf(e))


# Exports

#: The bodies whose candidates and results the archive keeps: all of the place's, not
#: only the 两委 of the reports (DOMAIN §9: every document, ballot and form).
EVERY_BODY = tuple(Body)
HANDOVER_HEADER = ("序号", "交接事项", "移交内容", "数量", "备注", "移交方确认", "接收方确认")


def handover_rows(handover):
    if handover is None:
        return
    for n, item in enumerate(handover.items.all(), 1):
        yield (
            n,
            item.title,
            item.description,
            item.count,
            item.note,
            "是" if item.outgoing_checked else "否",
            "是" if item.incoming_checked else "否",
        )
    for side, role in checklist.SIGNER_ROLES.items():
        on = getattr(handover, f"{side}_signed_on")
        yield (
            "",
            f"{role}签字",
            getattr(handover, f"{side}_name"),
            "",
            on.isoformat() if on else "",
        )


def add_exports(contents: Contents, cycle, place, handover) -> None:
    """The reports' roll, candidates and results of the place (ID numbers masked: the
    archive is handed on and opened for years by people who do not keep the roll) and
    the handover table."""
    roll = exports.roll_sheets(cycle, place, full_ids=False)
    contents.add_sheets("exports/roll", roll, ("",))
    candidates = exports.candidate_sheets(cycle, place, full_ids=False, bodies=EVERY_BODY)
    contents.add_sheets("exports/candidates", candidates, ("",))
    results = exports.results_sheets(cycle, place, bodies=EVERY_BODY)
    contents.add_sheets("exports/results", results, ("-polls", "-votes"))
    handover_sheet = [("交接清单", HANDOVER_HEADER, handover_rows(handover))]
    contents.add_sheets("exports/handover", handover_sheet, ("",))


# The audit trail

AUDIT_HEADER = (
    "seq",
    "at",
    "user",
    "action",
    "target_type",
    "target_id",
    "target_label",
    "place_code",
    "before",
    "after",
    "previous_hash",
    "hash",
)


def _audit_line(rec: Record) -> dict:
    return {
        "seq": rec.seq,
        "at": rec.at.isoformat(),
        "user": rec.username,
        "action": rec.action,
        "target_type": rec.target_type,
        "target_id": rec.target_id,
        "target_label": rec.target_label,
        "place_code": rec.place_code,
        "before": rec.before,
        "after": rec.after,
        "previous_hash": rec.previous_hash,
        "hash": rec.hash,
    }


def add_audit(contents: Contents, place) -> None:
    lines = [_audit_line(r) for r in history(place=place).order_by("seq").iterator()]
    contents.add("audit/trail.json", json.dumps(lines, ensure_ascii=False, indent=1).encode())
    rows = [
        [
            json.dumps(line[k], ensure_ascii=False) if k in ("before", "after") else line[k]
            for k in AUDIT_HEADER
        ]
        for line in lines
    ]
    contents.add("audit/trail.csv", csv_bytes(AUDIT_HEADER, rows))


# Making and checking


def collect(cycle, place) -> Contents:
    """Every file of the place's archive, without the manifest."""
    contents = Contents()
    add_documents(contents, cycle, place)
    handover = checklist.handover_of(cycle, place)
    if handover is not None:
        contents.add_printed("handover/handover.pdf", lambda: checklist.form_pdf(handover))
    add_exports(contents, cycle, place, handover)
    add_audit(contents, place)
    return contents


def zip_bytes(files: dict[str, bytes], manifest: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(files):
            archive.writestr(path, files[path])
        archive.writestr(rules.MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    return buffer.getvalue()


@transaction.atomic
def make(user, cycle, place) -> Archive:
    """Make and keep a new archive of the place's cycle."""
    permissions.require(user, MAKE, place)
    if not place.is_electing:
        raise RuleViolation(_("An archive is made for a village or a community."))
    made_at = timezone.now().replace(microsecond=0)
    contents = collect(cycle, place)
    manifest = rules.make_manifest(
        place={"code": place.code, "name": place.name},
        cycle={"id": cycle.pk, "name": cycle.name, "term_number": cycle.term_number},
        made_at=timezone.localtime(made_at).isoformat(),
        made_by=user.get_username(),
        files=[rules.file_entry(path, data) for path, data in contents.files.items()],
        notes=contents.notes,
    )
    data = zip_bytes(contents.files, manifest)
    digest = hashlib.sha256(data).hexdigest()
    archive = Archive(
        cycle=cycle,
        place=place,
        sha256=digest,
        size=len(data),
        manifest=manifest,
        made_by=user,
        made_at=made_at,
    )
    name = f"{place.code}-{cycle.term_number}-{timezone.localtime(made_at):%Y%m%d%H%M%S}.zip"
    archive.file.save(name, ContentFile(data), save=True)
    record(
        user,
        "handover.archive",
        archive,
        after={"sha256": digest, "size": len(data), "files": len(manifest["files"])},
        place=place,
    )
    sign_off_when_ready(user, cycle, place, {"archive": timezone.localdate()})
    return archive


def archives_of(cycle, place):
    return Archive.objects.filter(cycle=cycle, place=place).select_related("made_by")


@dataclass(frozen=True)
class Check:
    """What an uploaded archive turned out to be: its problems (none when intact), its
    SHA-256, and the archive kept here with that SHA-256, if any."""

    problems: list[Finding]
    sha256: str
    known: Archive | None

    @property
    def intact(self) -> bool:
        return not self.problems


def check(upload, user=None) -> Check:
    """Check an uploaded ZIP against its manifest, and say whether it is, byte for
    byte, an archive kept here (one the user may see)."""
    data = upload.read() if hasattr(upload, "read") else bytes(upload)
    known = Archive.objects.filter(sha256=hashlib.sha256(data).hexdigest())
    if user is not None:
        known = known.filter(place__in=permissions.visible_places(user))
    return Check(
        rules.verify_archive(io.BytesIO(data)),
        hashlib.sha256(data).hexdigest(),
        known.select_related("place", "cycle").first(),
    )
