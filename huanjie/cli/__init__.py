"""The ``huanjie`` console script.

Each subcommand lives in its own module and is imported only when called, so the
DB-free commands (``names sort``, ``id check``) start without loading Django.
"""

import importlib
import sys

# (words, module): the first words of the command line that select a module whose
# ``run(argv)`` receives the remaining arguments and returns the exit status.
COMMANDS = [
    (("names", "sort"), "huanjie.cli.names"),
    (("id", "check"), "huanjie.cli.ids"),
    (("demo",), "huanjie.cli.web"),
    (("serve",), "huanjie.cli.web"),
    (("audit", "verify"), "huanjie.cli.audit"),
    (("archive", "verify"), "huanjie.cli.archive"),
    (("places", "import"), "huanjie.cli.places"),
    (("roll", "build"), "huanjie.cli.roll"),
    (("tally",), "huanjie.cli.tally"),
    (("complaints", "escalate"), "huanjie.cli.complaints"),
    (("manage",), "huanjie.cli.web"),
]

USAGE = """usage: huanjie COMMAND [ARGS]

commands:
  names sort [--file F]        sort names in 姓氏笔画 order
  id check [ID ...]            check 公民身份号码 (GB 11643)
  demo [--residents N]         build the demo county and serve it
  serve [--port P]             serve an existing database
  audit verify                 verify the hash chain of the audit trail
  archive verify ARCHIVE.zip   check a place's archive against its manifest
  places import FILE           import places from CSV/XLSX
  roll build FILE --election-date D --out DIR
                               build the voter rolls of a residents file
  tally ELECTION.json          count one vote and print its result
  complaints escalate [--cycle ID]
                               raise overdue incidents, refer overdue complaints
  manage ARGS                  Django management commands
"""


class BadInput(Exception):
    """Input rejected: the message is the one-line reason printed on stderr (exit 2)."""


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    for words, module in COMMANDS:
        if tuple(argv[: len(words)]) == words:
            run = importlib.import_module(module).run
            rest = argv[len(words) :] if words != ("demo",) and words != ("serve",) else argv
            try:
                return run(rest)
            except BadInput as exc:
                print(f"huanjie: {exc}", file=sys.stderr)
                return 2
    stream = sys.stdout if argv[:1] in (["-h"], ["--help"]) else sys.stderr
    print(USAGE, file=stream, end="")
    return 0 if stream is sys.stdout else 2
