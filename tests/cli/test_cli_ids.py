"""``huanjie id check`` as other tools call it (CONTRACTS §2)."""

import subprocess
import sys


def huanjie(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "huanjie", *args], input=stdin, capture_output=True, timeout=60
    )


def test_arguments_one_line_each_tab_separated():
    result = huanjie(
        "id", "check", "11010519491231002x", "110105194912310021", "123", "99010519491231002X"
    )
    assert result.returncode == 0
    assert result.stdout.decode().splitlines() == [
        "11010519491231002X\tvalid\t1949-12-31\tF",
        "110105194912310021\tinvalid\tcheck_digit",
        "123\tinvalid\tlength",
        "99010519491231002X\tinvalid\tregion",
    ]
    assert result.stderr == b""


def test_stdin_one_per_line_blank_lines_skipped():
    stdin = b"11010519491231002X\r\n\n1101051949123100AX\n11010519491331002X\n299901011990010"
    result = huanjie("id", "check", stdin=stdin)
    assert result.returncode == 0
    assert result.stdout.decode() == (
        "11010519491231002X\tvalid\t1949-12-31\tF\n"
        "1101051949123100AX\tinvalid\tcharacters\n"
        "11010519491331002X\tinvalid\tbirth_date\n"
        "299901011990010\tinvalid\tlength\n"
    )


def test_male_and_future_birth_date():
    result = huanjie("id", "check", "430105199001011237", "430105299901011233")
    assert result.stdout.decode().splitlines() == [
        "430105199001011237\tvalid\t1990-01-01\tM",
        "430105299901011233\tinvalid\tbirth_date",
    ]


def test_invalid_utf8_on_stdin_exits_2():
    result = huanjie("id", "check", stdin=b"11010519491231002X\n\xc3\x28\n")
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr.decode() == "huanjie: stdin, line 2: not valid UTF-8\n"


def test_unknown_option_exits_2():
    result = huanjie("id", "check", "--verbose")
    assert result.returncode == 2
    assert result.stdout == b""
    assert "unknown option '--verbose'" in result.stderr.decode()
