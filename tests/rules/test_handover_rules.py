"""The handover checklist and the archive's manifest (DOMAIN §9), without Django."""

import hashlib
import io
import json
import zipfile

import pytest

from huanjie.rules import handover
from huanjie.rules.handover import Item


def ticked(title, **kw):
    return Item(title, outgoing_checked=True, incoming_checked=True, **kw)


def codes(findings):
    return [f.code for f in findings]


def test_the_seed_items_are_the_five_headings():
    titles = [s.title_zh for s in handover.SEED_ITEMS]
    assert titles == ["印章", "账目/财务", "资产", "档案", "债权债务"]


def test_an_item_is_open_until_both_sides_tick_it():
    assert Item("印章").is_open
    assert Item("印章", outgoing_checked=True).is_open
    assert Item("印章", incoming_checked=True).is_open
    assert not ticked("印章").is_open


def test_signing_is_refused_while_an_item_is_open():
    items = [ticked("印章"), Item("资产", outgoing_checked=True), Item("档案")]
    findings = handover.check_signing("outgoing", "张三", items, {})
    assert codes(findings) == ["handover.items_open"]
    assert findings[0].params["items"] == ["资产", "档案"]
    assert "资产、档案" in findings[0].message_zh
    assert "资产, 档案" in findings[0].message_en


def test_signing_with_every_item_ticked_is_allowed():
    items = [ticked(s.title_zh) for s in handover.SEED_ITEMS]
    assert handover.check_signing("incoming", "李四", items, {"outgoing": True}) == []


def test_a_side_signs_once_by_name_for_a_list_with_items():
    again = handover.check_signing("outgoing", "张三", [ticked("印章")], {"outgoing": True})
    assert codes(again) == ["handover.already_signed"]
    assert codes(handover.check_signing("incoming", "  ", [ticked("印章")], {})) == [
        "handover.no_signer"
    ]
    assert codes(handover.check_signing("incoming", "李四", [], {})) == ["handover.no_items"]


def test_an_item_needs_a_title_and_a_count_not_below_zero():
    assert handover.check_item("印章", 3) == []
    assert handover.check_item("印章", None) == []
    assert codes(handover.check_item(" ", 1)) == ["handover.no_title"]
    assert codes(handover.check_item("资产", -1)) == ["handover.negative_count"]


# The manifest and its check


def build_zip(files: dict[str, bytes], *, manifest=None) -> bytes:
    entries = [handover.file_entry(path, data) for path, data in files.items()]
    if manifest is None:
        manifest = handover.make_manifest(
            place={"code": "430121001201", "name": "金茶村"},
            cycle={"id": 1, "name": "第十二届", "term_number": 12},
            made_at="2024-05-01T10:00:00+08:00",
            made_by="township_a",
            files=entries,
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for path, data in files.items():
            z.writestr(path, data)
        z.writestr(handover.MANIFEST, json.dumps(manifest, ensure_ascii=False))
    return buffer.getvalue()


FILES = {"documents/公告.pdf": b"%PDF-1.4 notice", "exports/roll.csv": b"number,name\n1,a\n"}


def rezip(data: bytes, change) -> bytes:
    """The archive with its members passed through ``change(name, data) -> data|None``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = change(info.filename, src.read(info.filename))
            if content is not None:
                dst.writestr(info.filename, content)
    return out.getvalue()


def test_the_manifest_lists_each_file_with_size_and_sha256_in_path_order():
    entries = [handover.file_entry(p, d) for p, d in reversed(FILES.items())]
    manifest = handover.make_manifest(
        place={"code": "x"}, cycle={"id": 1}, made_at="t", made_by="u", files=entries
    )
    assert manifest["format"] == handover.MANIFEST_FORMAT
    assert [f["path"] for f in manifest["files"]] == sorted(FILES)
    roll = manifest["files"][1]
    assert roll["size"] == len(FILES["exports/roll.csv"])
    assert roll["sha256"] == hashlib.sha256(FILES["exports/roll.csv"]).hexdigest()


def test_two_files_with_one_path_are_refused():
    entry = handover.file_entry("a.csv", b"1")
    with pytest.raises(ValueError):
        handover.make_manifest(place={}, cycle={}, made_at="", made_by="", files=[entry, entry])


def test_an_intact_archive_has_no_problems():
    assert handover.verify_archive(io.BytesIO(build_zip(FILES))) == []


def test_a_changed_file_is_named():
    data = rezip(
        build_zip(FILES), lambda n, d: b"number,name\n1,b\n" if n == "exports/roll.csv" else d
    )
    problems = handover.verify_archive(io.BytesIO(data))
    assert codes(problems) == ["archive.changed"]
    assert problems[0].params["path"] == "exports/roll.csv"
    assert "exports/roll.csv" in problems[0].message_en


def test_a_missing_and_an_added_file_are_named():
    data = rezip(build_zip(FILES), lambda n, d: None if n == "documents/公告.pdf" else d)
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a") as z:
        z.writestr("extra.txt", b"slipped in")
    problems = handover.verify_archive(buffer)
    assert [(p.code, p.params["path"]) for p in problems] == [
        ("archive.missing", "documents/公告.pdf"),
        ("archive.unlisted", "extra.txt"),
    ]


def test_a_file_that_is_not_an_archive_is_one_problem(tmp_path):
    path = tmp_path / "x.zip"
    path.write_bytes(b"not a zip")
    assert codes(handover.verify_archive(str(path))) == ["archive.not_zip"]
    no_manifest = rezip(build_zip(FILES), lambda n, d: None if n == handover.MANIFEST else d)
    assert codes(handover.verify_archive(io.BytesIO(no_manifest))) == ["archive.no_manifest"]
    bad = build_zip(FILES, manifest={"format": "other", "files": []})
    assert codes(handover.verify_archive(io.BytesIO(bad))) == ["archive.bad_manifest"]
