"""``huanjie id check [ID ...]``: check 公民身份号码 (CONTRACTS §2, DOMAIN §4).

One tab-separated line per number, in input order::

    11010519491231002X	valid	1949-12-31	F
    110105194912310021	invalid	check_digit

Numbers come from the arguments, or one per line from stdin (blank lines skipped).
An invalid number is a result, not an error: the exit status is 0 as long as the
input could be read. Does not import Django.
"""

from huanjie.cli import BadInput
from huanjie.cli.names import read_lines, write_lines
from huanjie.rules.identity import IdCheck, check_id

USAGE = "usage: huanjie id check [ID ...]"


def format_result(result: IdCheck) -> str:
    if result.valid:
        assert result.birth_date is not None and result.sex is not None
        return f"{result.number}\tvalid\t{result.birth_date.isoformat()}\t{result.sex}"
    return f"{result.number}\tinvalid\t{result.reason}"


def run(argv: list[str]) -> int:
    if argv[:1] in (["-h"], ["--help"]):
        print(USAGE)
        return 0
    for arg in argv:
        if arg.startswith("-"):
            raise BadInput(f"unknown option {arg!r} ({USAGE})")
    numbers = argv or [line for line in read_lines(None) if line.strip()]
    write_lines(format_result(check_id(number)) for number in numbers)
    return 0
