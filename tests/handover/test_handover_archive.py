"""The archive of a place's cycle: what goes in, the manifest checked independently
with hashlib, a changed or missing file found, a new archive each time."""

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
from huanjie.handover import archives
from huanjie.handover.models import Archive
from huanjie.rules.identity import mask_id


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


def test_the_exports_mask_id_numbers_and_hold_the_candidates_and_handover(archive, stored):
    files = members(archive)
    roll = list(csv.reader(io.StringIO(files["exports/roll.csv"].decode("utf-8-sig"))))
    assert roll[0][:4] == ["选民编号", "姓名", "性别", "公民身份号码"]
    assert [r[1] for r in roll[1:]] == ["王芳", "张勇", "李强"]
    numbers = [v.id_number for v in stored["publication"].place.voters.order_by("number")]
    assert [r[3] for r in roll[1:]] == [mask_id(n) for n in numbers]
    assert not any(n in files["exports/roll.csv"].decode("utf-8-sig") for n in numbers)
    assert roll[1][5] == "第一村民小组"
    sheet = load_workbook(io.BytesIO(files["exports/candidates.xlsx"])).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][2] == "王芳" and rows[1][6] == 120
    handover = files["exports/handover.csv"].decode("utf-8-sig")
    assert "印章" in handover and "债权债务" in handover
    assert "exports/results.csv" in files and "exports/results.xlsx" in files


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
    rows = list(csv.reader(io.StringIO(files["exports/results.csv"].decode("utf-8-sig"))))
    assert [(r[5], r[6], r[7], r[8]) for r in rows[1:]] == [
        ("主任", "王芳", "2", "是"),
        ("主任", "张勇", "1", "否"),
    ]
    reports = [p for p in files if p.startswith("documents/results/")]
    assert reports == [
        f"documents/results/villagers_committee-first-{timezone.localdate():%Y%m%d}-"
        f"{Poll.objects.get().pk}-report.pdf"
    ]
    assert files[reports[0]].startswith(b"%PDF")
