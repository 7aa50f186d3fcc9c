"""``huanjie names sort`` as other tools call it (CONTRACTS §1)."""

import subprocess
import sys


def huanjie(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "huanjie", *args], input=stdin, capture_output=True, timeout=60
    )


def test_sorts_stdin_in_stroke_order():
    result = huanjie("names", "sort", stdin="王小明\n方明\n王芳\n丁明\n".encode())
    assert result.returncode == 0
    assert result.stdout.decode() == "丁明\n王芳\n王小明\n方明\n"
    assert result.stderr == b""


def test_compound_and_traditional_names():
    result = huanjie("names", "sort", stdin="欧阳娜娜\n劉明\n欧鑫鑫\n吕明\n".encode())
    assert result.stdout.decode() == "吕明\n劉明\n欧鑫鑫\n欧阳娜娜\n"


def test_empty_lines_are_dropped_and_line_ends_removed():
    result = huanjie("names", "sort", stdin="\ufeff朱明\r\n\r\n  \n吕明\r\n".encode())
    assert result.returncode == 0
    assert result.stdout.decode() == "吕明\n朱明\n"


def test_identical_names_are_all_kept():
    result = huanjie("names", "sort", stdin="王芳\n丁一\n王芳\n".encode())
    assert result.stdout.decode() == "丁一\n王芳\n王芳\n"


def test_empty_input_gives_empty_output():
    result = huanjie("names", "sort")
    assert (result.returncode, result.stdout) == (0, b"")


def test_reads_file(tmp_path):
    path = tmp_path / "names.txt"
    path.write_text("刘伟\n朱伟\n吕伟\n", encoding="utf-8")
    for args in (("--file", str(path)), (f"--file={path}",)):
        result = huanjie("names", "sort", *args)
        assert result.returncode == 0
        assert result.stdout.decode() == "吕伟\n朱伟\n刘伟\n"


def test_missing_file_exits_2_naming_the_file(tmp_path):
    path = tmp_path / "absent.txt"
    result = huanjie("names", "sort", "--file", str(path))
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr.decode() == f"huanjie: file {path}: no such file\n"


def test_invalid_utf8_exits_2_naming_file_and_line(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes("王芳\n".encode() + "张三\n".encode("gbk"))
    result = huanjie("names", "sort", "--file", str(path))
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr.decode() == f"huanjie: file {path}, line 2: not valid UTF-8\n"


def test_invalid_utf8_on_stdin():
    result = huanjie("names", "sort", stdin=b"\xff\n")
    assert result.returncode == 2
    assert result.stderr.decode() == "huanjie: stdin, line 1: not valid UTF-8\n"


def test_unknown_argument_exits_2_without_traceback():
    result = huanjie("names", "sort", "--reverse")
    assert result.returncode == 2
    assert b"Traceback" not in result.stderr
    assert "unknown argument '--reverse'" in result.stderr.decode()
    assert len(result.stderr.decode().splitlines()) == 1


def test_file_option_without_a_name():
    result = huanjie("names", "sort", "--file")
    assert result.returncode == 2
    assert "--file needs a file name" in result.stderr.decode()


def test_does_not_import_django():
    code = (
        "import io, sys; sys.stdin = io.TextIOWrapper(io.BytesIO('王\\n'.encode()));"
        "from huanjie.cli import main; main(['names', 'sort']);"
        "print('django' in sys.modules, 'cn_sort' in sys.modules, file=sys.stderr)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert result.stderr.decode().strip() == "False False"
