"""The archive of a place's cycle: what goes in (the reports' exports of the place, the
same rows as CSV and XLSX, ID numbers masked), the manifest checked independently with
hashlib, a changed or missing file found, a new archive each time."""

import csv
import hashlib
import io
import json
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from huanjie.audit.models import Record
from huanjie.audit.trail import record
from huanjie.candidates.models import Candidate
from huanjie.cycles.models import Election, Office
from huanjie.handover import archives
from huanjie.handover.models import Archive
from huanjie.reports import exports
from huanjie.rules.identity import mask_id
from huanjie.rules.seats import Body
from huanjie.voters.models import Resident


def members(archive: Archive) -> dict[str, bytes]:
    with archive.file.open("rb") as f, zipfile.ZipFile(io.BytesIO(f.read())) as z:
        return {name: z.read(name) for name in z.namelist()}


def rezip(files: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    buffer.seek(0)
    return buffer


@pytest.fixture
def archive(stored, ticked, cycle, village_a1, user_township_a):
    return archives.make(user_township_a, cycle, village_a1)


def test_every_file_of_the_manifest_matches_its_sha256(archive):
    files = members(archive)
    manifest = json.loads(files.pop("manifest.json"))
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == set(files)
    for path, data in files.items():
        assert listed[path]["size"] == len(data)
        assert listed[path]["sha256"] == hashlib.sha256(data).hexdigest()
    with archive.file.open("rb") as f:
        assert hashlib.sha256(f.read()).hexdigest() == archive.sha256
    assert manifest["place"] == {"code": "430121001201", "name": "金茶村"}
    assert manifest["cycle"]["term_number"] == 12
    assert manifest["made_by"] == "township_a" and manifest["made_at"]
    assert manifest["notes"] == []


def test_the_stored_documents_are_in_it_as_stored(archive, stored):
    files = members(archive)
    docs = {p: d for p, d in files.items() if p.startswith("documents/")}
    assert sorted(docs.values()) == sorted(
        [b"%PDF-1.4 voter list", b"%PDF-1.4 formal candidates", b"%PDF-1.4 plan"]
    )
    assert any(p.startswith("documents/voters/voter_list-") for p in docs)
    assert any(p.startswith("documents/candidates/villagers_committee-formal-") for p in docs)
    assert any(p.startswith("documents/steps/survey/") for p in docs)
    assert files["handover/handover.pdf"].startswith(b"%PDF")


def cell(value) -> str:
    """A cell as text, numbers in one spelling whatever the file (CSV has ``1.0`` where
    XLSX reads back ``1``)."""
    if value is None:
        return ""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{number:g}"


def csv_rows(data: bytes) -> list[list[str]]:
    return [[cell(v) for v in row] for row in csv.reader(io.StringIO(data.decode("utf-8-sig")))]


def xlsx_sheets(data: bytes) -> dict[str, list[list[str]]]:
    """Each sheet's rows, spelt as :func:`csv_rows` spells them."""
    book = load_workbook(io.BytesIO(data))
    return {
        sheet.title: [[cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        for sheet in book.worksheets
    }


def as_text(header, rows) -> list[list[str]]:
    return [[cell(v) for v in header]] + [[cell(v) for v in row] for row in rows]


def test_the_roll_is_the_reports_roll_masked_in_csv_and_xlsx(archive, cycle, village_a1, stored):
    files = members(archive)
    roll = csv_rows(files["exports/roll.csv"])
    assert xlsx_sheets(files["exports/roll.xlsx"]) == {"选民名单": roll}
    assert roll == as_text(
        exports.ROLL_HEADER, exports.roll_rows(cycle, village_a1, full_ids=False)
    )
    numbers = [v.id_number for v in village_a1.voters.order_by("number")]
    assert [(r[0], r[1], r[2], r[3]) for r in roll[1:]] == [
        ("金茶村", "1", "王芳", mask_id(numbers[0])),
        ("金茶村", "2", "张勇", mask_id(numbers[1])),
        ("金茶村", "3", "李强", mask_id(numbers[2])),
    ]
    assert {r[9] for r in roll[1:]} == {"第一村民小组"}
    everywhere = "".join(
        [
            files["exports/roll.csv"].decode("utf-8-sig"),
            files["exports/candidates.csv"].decode("utf-8-sig"),
            str(xlsx_sheets(files["exports/roll.xlsx"])),
            str(xlsx_sheets(files["exports/candidates.xlsx"])),
        ]
    )
    assert not any(n in everywhere for n in numbers)


def test_the_candidates_are_those_of_every_body_of_the_place(
    archive, cycle, village_a1, stored, user_township_a
):
    files = members(archive)
    candidates = csv_rows(files["exports/candidates.csv"])
    assert xlsx_sheets(files["exports/candidates.xlsx"]) == {"候选人": candidates}
    assert candidates[0] == list(exports.CANDIDATE_HEADER)
    assert [(r[1], r[2], r[3], r[12]) for r in candidates[1:]] == [
        ("村民委员会", "主任", "王芳", "120")
    ]
    # A body the reports leave out (they show the 两委) is kept in the archive.
    election = Election.objects.create(
        cycle=cycle, place=village_a1, body=Body.SUPERVISION_COMMITTEE
    )
    Office.objects.create(election=election, key="director", title="主任", seats=1, rank=0)
    Candidate.objects.create(
        election=election,
        office="director",
        resident=Resident.objects.get(name="张勇"),
        status=Candidate.Status.FORMAL,
        source=Candidate.Source.NOMINATION,
        votes=80,
    )
    again = members(archives.make(user_township_a, cycle, village_a1))
    rows = csv_rows(again["exports/candidates.csv"])
    assert [(r[1], r[3]) for r in rows[1:]] == [
        ("村/居务监督委员会", "张勇"),
        ("村民委员会", "王芳"),
    ]
    assert xlsx_sheets(again["exports/candidates.xlsx"]) == {"候选人": rows}
    assert len(list(exports.candidate_rows(cycle, village_a1))) == 1


def test_the_handover_table_in_csv_and_xlsx(archive, stored):
    files = members(archive)
    handover = csv_rows(files["exports/handover.csv"])
    assert handover[0] == list(archives.HANDOVER_HEADER)
    titles = [r[1] for r in handover[1:]]
    assert "印章" in "".join(titles) and "债权债务" in "".join(titles)
    assert [r[5:7] for r in handover[1:6]] == [["是", "是"]] * 5
    sheet = xlsx_sheets(files["exports/handover.xlsx"])["交接清单"]
    assert [row[: len(r)] for row, r in zip(sheet, handover, strict=True)] == handover
    assert files["exports/results.xlsx"]
    assert csv_rows(files["exports/results-polls.csv"]) == [list(exports.POLL_HEADER)]
    assert csv_rows(files["exports/results-votes.csv"]) == [list(exports.VOTE_HEADER)]


def test_the_audit_trail_of_the_place_is_in_it(
    stored, ticked, cycle, village_a1, township_b, user_township_a, user_township_b
):
    record(user_township_b, "step.attach", township_b, place=township_b)
    files = members(archives.make(user_township_a, cycle, village_a1))
    trail = json.loads(files["audit/trail.json"])
    mine = Record.objects.filter(place_code__startswith=village_a1.code).order_by("seq")
    seqs = [r.seq for r in mine if r.action != "handover.archive"]
    assert [line["seq"] for line in trail] == seqs
    assert {line["place_code"] for line in trail} == {village_a1.code}
    assert trail[0]["hash"] == mine[0].hash
    actions = {line["action"] for line in trail}
    assert {"step.attach", "handover.start", "handover.tick"} <= actions
    rows = list(csv.reader(io.StringIO(files["audit/trail.csv"].decode("utf-8-sig"))))
    assert len(rows) == len(trail) + 1
    assert rows[0][:4] == ["seq", "at", "user", "action"]


def test_making_is_recorded_and_again_gives_a_new_archive(archive, user_township_a):
    rec = Record.objects.get(action="handover.archive")
    assert rec.after["sha256"] == archive.sha256
    again = archives.make(user_township_a, archive.cycle, archive.place)
    assert again.pk != archive.pk and again.file.name != archive.file.name
    assert list(archives.archives_of(archive.cycle, archive.place)) == [again, archive]


def test_verify_finds_a_changed_and_a_missing_file(archive, user_township_a):
    files = members(archive)
    with archive.file.open("rb") as f:
        intact = archives.check(f, user_township_a)
    assert intact.intact and intact.known == archive
    files["exports/roll.csv"] = files["exports/roll.csv"] + b"9,someone\r\n"
    del files["handover/handover.pdf"]
    tampered = archives.check(rezip(files), user_township_a)
    assert not tampered.intact and tampered.known is None
    assert sorted((p.code, p.params["path"]) for p in tampered.problems) == [
        ("archive.changed", "exports/roll.csv"),
        ("archive.missing", "handover/handover.pdf"),
    ]


def test_a_document_gone_from_the_media_folder_is_a_note(
    stored, cycle, village_a1, user_township_a
):
    stored["step_document"].file.delete(save=False)
    made = archives.make(user_township_a, cycle, village_a1)
    assert len(made.manifest["notes"]) == 1
    assert made.manifest["notes"][0].startswith("documents/steps/survey/")
    with made.file.open("rb") as f:
        assert archives.check(f).intact


def test_only_the_township_or_county_makes_an_archive(
    cycle, village_a1, user_committee_a1, user_observer, user_township_b, media
):
    from django.http import Http404

    with pytest.raises(PermissionDenied):
        archives.make(user_committee_a1, cycle, village_a1)
    with pytest.raises(PermissionDenied):
        archives.make(user_observer, cycle, village_a1)
    with pytest.raises(Http404):
        archives.make(user_township_b, cycle, village_a1)
    assert not Archive.objects.exists()


def test_a_counted_poll_gives_its_result_rows_and_result_form(
    stored, cycle, village_a1, election_a1, user_township_a, user_committee_a1
):
    from django.utils import timezone

    from huanjie.polling.models import Poll

    result = {
        "valid": True,
        "void_reasons": [],
        "turnout": {"electorate": 3, "participants": 3, "rate": 1.0},
        "offices": [
            {
                "id": "director",
                "seats": 1,
                "threshold": 2,
                "votes": [
                    {"who": "c1", "name": "王芳", "votes": 2, "write_in": False},
                    {"who": "c2", "name": "张勇", "votes": 1, "write_in": False},
                ],
                "invalid": 0,
                "elected": ["c1"],
                "revote": [],
                "unfilled": 0,
                "reserved_for_woman": 0,
                "runoff_candidates": [],
            }
        ],
        "woman_elected": True,
    }
    Poll.objects.create(
        election=election_a1,
        round=Poll.Round.FIRST,
        held_on=timezone.localdate(),
        electorate=3,
        offices=[{"id": "director", "title": "主任", "seats": 1}],
        candidates=[
            {"id": "c1", "name": "王芳", "office": "director", "sex": "F"},
            {"id": "c2", "name": "张勇", "office": "director", "sex": "M"},
        ],
        counts={"director": {"c1": 2, "c2": 1}},
        state=Poll.State.CONFIRMED,
        result=result,
        user=user_committee_a1,
    )
    made = archives.make(user_township_a, cycle, village_a1)
    files = members(made)
    polls = csv_rows(files["exports/results-polls.csv"])
    votes = csv_rows(files["exports/results-votes.csv"])
    assert xlsx_sheets(files["exports/results.xlsx"]) == {"投票情况": polls, "得票情况": votes}
    assert polls == as_text(exports.POLL_HEADER, exports.poll_rows(cycle, village_a1))
    assert votes == as_text(exports.VOTE_HEADER, exports.vote_rows(cycle, village_a1))
    assert [(r[1], r[4], r[10]) for r in polls[1:]] == [("村民委员会", "已确认", "是")]
    assert [(r[4], r[7], r[9], r[10]) for r in votes[1:]] == [
        ("主任", "王芳", "2", "当选"),
        ("主任", "张勇", "1", "未当选"),
    ]
    reports = [p for p in files if p.startswith("documents/results/")]
    assert reports == [
        f"documents/results/villagers_committee-first-{timezone.localdate():%Y%m%d}-"
        f"{Poll.objects.get().pk}-report.pdf"
    ]
    assert files[reports[0]].startswith(b"%PDF")
