"""Time printing the ballots of a big polling day, against a target.

    python bench/ballot_papers.py [--copies 10000] [--repeat 3] [--target 20] [--out FILE]

Prints ``--copies`` formal ballots of one village election in the "sections" layout
(主任 1 seat of 2 names, 副主任 1 of 2, 委员 3 of 4), numbered from 1 for one box, and
reports the median time, the file size and what the file holds: its pages, its form
XObjects (the fixed part of a ballot, stored once) and its embedded fonts (once). The
font is registered before the clock starts: a server registers it once for all the
documents it prints. The file is checked to hold one page per ballot and the first
and last numbers, so a fast wrong answer does not pass.
"""

import argparse
import io
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import pypdf

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from huanjie.documents import fonts  # noqa: E402
from huanjie.documents.ballots import BallotOffice, BallotPaper, ballot_papers  # noqa: E402

PAPER = BallotPaper(
    "长沙县金茶村第十二届村民委员会选举选票",
    date(2026, 12, 20),
    (
        BallotOffice("主任", 1, ("王建国", "李秀英")),
        BallotOffice("副主任", 1, ("刘洋", "张伟")),
        BallotOffice("委员", 3, ("丁一", "王芳", "李强", "赵敏")),
    ),
    "sections",
    seal_text="金茶村村民选举委员会（印章）",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--target", type=float, default=20.0, help="seconds")
    parser.add_argument("--out", type=Path, help="keep the last PDF here")
    args = parser.parse_args()

    fonts.register()
    times = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        pdf = ballot_papers(PAPER, copies=args.copies, box_label="第1投票站")
        times.append(time.perf_counter() - started)

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    last = f"{args.copies:04d}"
    assert len(reader.pages) == args.copies, "one page per ballot"
    assert reader.pages[0].extract_text().strip().endswith("0001")
    assert reader.pages[-1].extract_text().strip().endswith(last)
    if args.out:
        args.out.write_bytes(pdf)

    seconds = statistics.median(times)
    size = len(pdf) / 1e6
    print(f"ballots: {args.copies:,} (sections layout, 3 offices, 13 rows)")
    print(f"time (median of {args.repeat}): {seconds:.2f} s ({args.copies / seconds:,.0f}/s)")
    print(f"file: {size:.1f} MB ({len(pdf) / args.copies:,.0f} bytes a ballot)")
    print(
        f"holds: {len(reader.pages):,} pages, {pdf.count(b'/Subtype /Form')} form XObject, "
        f"{pdf.count(b'/FontFile2')} embedded font file"
    )
    verdict = "within" if seconds <= args.target else "OVER"
    print(f"target: {args.target:.0f} s, {verdict}")


if __name__ == "__main__":
    main()
