"""``huanjie archive verify ARCHIVE.zip``: exit codes and messages."""

import io
import json
import os
import subprocess
import sys
import zipfile

from huanjie.cli import main
from huanjie.rules import handover

FILES = {"documents/公告.pdf": b"%PDF-1.4 notice", "exports/roll.csv": b"number,name\n1,a\n"}


def write_archive(path, files=FILES, *, change=None, drop=None):
    manifest = handover.make_manifest(
        place={"code": "430121001201", "name": "金茶村"},
        cycle={"id": 1, "name": "第十二届换届", "term_number": 12},
        made_at="2024-05-01T10:00:00+08:00",
        made_by="township_a",
        files=[handover.file_entry(p, d) for p, d in files.items()],
    )
    with zipfile.ZipFile(path, "w") as z:
        for name, data in files.items():
            if name == drop:
                continue
            z.writestr(name, (change or {}).get(name, data))
        z.writestr(handover.MANIFEST, json.dumps(manifest, ensure_ascii=False))
    return path


def test_an_intact_archive_exits_0_with_a_summary(tmp_path, capsys):
    path = write_archive(tmp_path / "a.zip")
    assert main(["archive", "verify", str(path)]) == 0
    out = capsys.readouterr().out
    assert "archive intact: 2 files match the manifest" in out
    assert "430121001201 金茶村" in out


def test_a_changed_file_exits_1_naming_it(tmp_path, capsys):
    path = write_archive(tmp_path / "a.zip", change={"exports/roll.csv": b"number,name\n1,b\n"})
    assert main(["archive", "verify", str(path)]) == 1
    out = capsys.readouterr().out
    assert "Changed: exports/roll.csv does not match its SHA-256" in out
    assert "archive NOT intact: 1 problem(s)" in out


def test_a_missing_file_exits_1_naming_it(tmp_path, capsys):
    path = write_archive(tmp_path / "a.zip", drop="documents/公告.pdf")
    assert main(["archive", "verify", str(path)]) == 1
    assert "Missing: documents/公告.pdf" in capsys.readouterr().out


def test_a_file_that_is_not_an_archive_exits_1(tmp_path, capsys):
    path = tmp_path / "a.zip"
    path.write_bytes(b"hello")
    assert main(["archive", "verify", str(path)]) == 1
    assert "not a ZIP archive" in capsys.readouterr().out


def test_no_file_or_no_argument_is_bad_input(tmp_path, capsys):
    assert main(["archive", "verify", str(tmp_path / "none.zip")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["archive", "verify"]) == 2
    assert "usage: huanjie archive verify" in capsys.readouterr().err


def test_the_usage_names_the_command(capsys):
    assert main(["--help"]) == 0
    assert "archive verify ARCHIVE.zip" in capsys.readouterr().out


def test_the_command_reads_a_zip_in_memory_too():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("x", b"1")
    assert [p.code for p in handover.verify_archive(buffer)] == ["archive.no_manifest"]


def test_the_console_script_checks_an_archive_without_the_database(tmp_path):
    path = write_archive(tmp_path / "a.zip", drop="exports/roll.csv")
    result = subprocess.run(
        [sys.executable, "-m", "huanjie", "archive", "verify", str(path)],
        capture_output=True,
        timeout=60,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "no.such.settings"},
    )
    assert result.returncode == 1
    assert "Missing: exports/roll.csv" in result.stdout.decode()
