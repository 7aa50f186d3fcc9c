"""``huanjie names sort [--file F]``: names in 姓氏笔画 order (CONTRACTS §1, DOMAIN §6).

Offices outside the project print ballots and notices with their own tools and call
this command to order the names; it must therefore behave exactly as the contract
says and never print a traceback. It does not import Django, so it starts quickly.

The input helpers here are shared with ``id check``: both read UTF-8 lines from a
file or stdin and reject the whole input, naming the line, when a line is not UTF-8.
"""

import os
import sys
from collections.abc import Iterable

from huanjie.cli import BadInput
from huanjie.rules.names import sort_names

USAGE = "usage: huanjie names sort [--file F]"


def read_lines(path: str | None) -> list[str]:
    """The lines of ``path`` (stdin when None), decoded as UTF-8, without line ends.

    Everything is read before anything is written, so a rejected input produces no
    output (CONTRACTS: nothing is written when the input is rejected). A byte-order mark
    at the start, as spreadsheet programs write, is ignored.
    """
    where = "stdin" if path is None else f"file {path}"
    if path is None:
        data = sys.stdin.buffer.read()
    else:
        try:
            with open(path, "rb") as stream:
                data = stream.read()
        except FileNotFoundError:
            raise BadInput(f"{where}: no such file") from None
        except OSError as exc:
            raise BadInput(f"{where}: cannot be read ({exc.strerror})") from None
    data = data.removeprefix(b"\xef\xbb\xbf")
    chunks = data.split(b"\n")
    if chunks and chunks[-1] == b"":
        chunks.pop()
    lines = []
    for number, chunk in enumerate(chunks, start=1):
        try:
            lines.append(chunk.decode("utf-8").removesuffix("\r"))
        except UnicodeDecodeError:
            raise BadInput(f"{where}, line {number}: not valid UTF-8") from None
    return lines


def write_lines(lines: Iterable[str]) -> None:
    """Write UTF-8 lines to stdout whatever the locale, and stop quietly when the
    reader goes away (``| head``)."""
    data = "".join(f"{line}\n" for line in lines).encode("utf-8")
    try:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        # Python would report the failed flush at exit; point stdout at nothing.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _parse(argv: list[str]) -> str | None:
    path = None
    args = iter(argv)
    for arg in args:
        if arg == "--file":
            path = next(args, None)
            if path is None:
                raise BadInput(f"--file needs a file name ({USAGE})")
        elif arg.startswith("--file="):
            path = arg.removeprefix("--file=")
        else:
            raise BadInput(f"unknown argument {arg!r} ({USAGE})")
    return path


def run(argv: list[str]) -> int:
    if argv[:1] in (["-h"], ["--help"]):
        print(USAGE)
        return 0
    lines = read_lines(_parse(argv))
    write_lines(sort_names(name for line in lines if (name := line.strip())))
    return 0
