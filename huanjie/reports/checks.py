"""The consistency checks of the statistics (DOMAIN §11: "A breakdown must add up to
its total"; the counts the civil-affairs form reports agree with the records).

Each village or community is checked on its own figures — every breakdown adds up,
nothing exceeds what it is a part of (voted ≤ registered, elected ≤ seats, …) — and
against the records the figures do not come from: the ballots issued on the box sheets
of the first vote against the voters checked in, those present as the members' meeting
recorded them against those checked in there, the winners of each office against its
seats. Each level is checked too: its total is the sum of its rows. A place whose
numbers disagree is listed with every reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from huanjie.places.models import Place
from huanjie.reports.statistics import PlaceRow, Report
from huanjie.rules import statistics as rules
from huanjie.rules.findings import Finding, error

__all__ = ["Disagreement", "check_place", "check_report", "disagreements"]


@dataclass(frozen=True)
class Disagreement:
    """A place (or a level) whose numbers disagree, and why."""

    place: Place
    findings: tuple[Finding, ...]


def _records(row: PlaceRow) -> list[Finding]:
    f = row.figures
    found = []
    if row.ballots_issued is not None and f.voted and row.ballots_issued != f.voted:
        found.append(
            error(
                "statistics.issued_differs_from_check_ins",
                "§6",
                f"票箱登记表发出选票{row.ballots_issued}张，签到领票{f.voted}人，不一致。",
                f"The box sheets of the first vote give {row.ballots_issued} ballots issued, "
                f"but {f.voted} voters were checked in.",
                issued=row.ballots_issued,
                checked_in=f.voted,
            )
        )
    if row.meeting_present is not None and row.meeting_present != f.party_present:
        found.append(
            error(
                "statistics.present_differs_from_attendance",
                "§8",
                f"党员大会记录实到会{row.meeting_present}人，签到{f.party_present}人，不一致。",
                f"The members' meeting recorded {row.meeting_present} present, but "
                f"{f.party_present} members were checked in.",
                recorded=row.meeting_present,
                checked_in=f.party_present,
            )
        )
    for office, (winners, seats) in row.offices.items():
        if winners > seats:
            found.append(
                error(
                    "statistics.winners_exceed_seats",
                    "§7",
                    f"{office}当选{winners}人，多于应选名额{seats}名。",
                    f"{winners} people are elected to {office}, which has {seats} seats.",
                    office=office,
                    winners=winners,
                    seats=seats,
                )
            )
    return found


def check_place(row: PlaceRow) -> list[Finding]:
    """What disagrees in one place: its own figures, then its records."""
    return rules.check_figures(row.figures) + _records(row)


def check_report(report: Report) -> list[Disagreement]:
    """What disagrees in the report's levels: each township row and the total are
    consistent figures themselves and the sums of their places and rows."""
    found = []
    for row in report.rows:
        if row.place.is_electing:
            continue  # a place row is its place, checked by check_place
        findings = rules.check_figures(row.figures)
        if rules.merge(p.figures for p in row.places) != row.figures:
            findings.append(_not_the_sum(row.place))
        if findings:
            found.append(Disagreement(row.place, tuple(findings)))
    findings = rules.check_figures(report.total)
    # the sum of the rows, each the sum of its places (checked above)
    if rules.merge(r.figures for r in report.rows) != report.total:
        findings.append(_not_the_sum(report.within))
    if findings:
        found.append(Disagreement(report.within, tuple(findings)))
    return found


def _not_the_sum(place: Place) -> Finding:
    return error(
        "statistics.total_differs_from_rows",
        "§11",
        f"{place.name}的合计与其各行之和不符。",
        f"The total of {place.name} is not the sum of its rows.",
        place=place.code,
    )


def disagreements(report: Report) -> list[Disagreement]:
    """The places whose numbers disagree, by code, each with its reasons; then the
    townships and the scope itself whose totals disagree."""
    found = []
    for row in report.places:
        findings = check_place(row)
        if findings:
            found.append(Disagreement(row.place, tuple(findings)))
    return found + check_report(report)
