"""The first plenary (一届一次全委会) of a new party committee (DOMAIN §2 item 3, §8).

The members' meeting elects the committee's members on one list; the committee then
meets and elects its 书记 (one) and 副书记 (as many as the election set, possibly none)
from among its own members. One candidate per seat (等额) is allowed. The plenary is a
party vote like the meeting: the committee's members are those due (应到会), more than
4/5 of them must be present, and a winner needs more than half of the committee — so
the vote is counted by :mod:`huanjie.rules.tally` with kind "party", never by a second
set of thresholds. The offices are counted highest first, so a person elected 书记
leaves the 副书记 count (tally's ``elected_higher``). (A tie for 书记 above the majority
cannot happen: two people with more than half of the committee each would need more
approvals than ballots.)

The result then goes to the upper level for approval (批复); only a valid result that
filled every seat can be reported.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from huanjie.rules import tally
from huanjie.rules.findings import Finding, error, warning
from huanjie.rules.profiles import NATIONAL, Profile
from huanjie.rules.seats import DEPUTY_SECRETARY, SECRETARY

__all__ = [
    "OFFICES",
    "Choice",
    "CommitteeMember",
    "check_candidates",
    "check_counts",
    "check_result",
    "count",
    "elected",
    "offices",
    "vote",
]

#: The offices the plenary elects, highest first (the order of the count).
OFFICES = (SECRETARY, DEPUTY_SECRETARY)

#: A committee has one 书记.
SECRETARIES = 1


@dataclass(frozen=True)
class CommitteeMember:
    """A member of the new committee as elected by the members' meeting."""

    id: str
    name: str
    sex: str | None = None


@dataclass(frozen=True)
class Choice:
    """A committee member standing for an office at the plenary."""

    id: str
    office: str
    name: str = ""  # for the messages about someone outside the committee


def offices(deputies: int) -> tuple[tally.Office, ...]:
    """The offices voted on: the 书记, and the 副书记 when the election has any."""
    found = [tally.Office(SECRETARY.key, SECRETARY.title_zh, SECRETARIES)]
    if deputies > 0:
        found.append(tally.Office(DEPUTY_SECRETARY.key, DEPUTY_SECRETARY.title_zh, deputies))
    return tuple(found)


def _titles() -> dict[str, tuple[str, str]]:
    return {o.key: (o.title_zh, o.title_en) for o in OFFICES}


def check_candidates(
    committee: Sequence[CommitteeMember],
    seats: Mapping[str, int],
    candidates: Sequence[Choice],
) -> list[Finding]:
    """What is wrong with the candidates of the plenary (DOMAIN §8): each must be a
    member of the new committee, once per office; every office with seats needs a
    candidate — one per seat (等额) is enough. Fewer candidates than seats is only a
    warning: the seats left are filled later."""
    findings = []
    members = {m.id: m for m in committee}
    titles = _titles()
    for choice in candidates:
        if choice.office not in seats or not seats[choice.office]:
            findings.append(
                error(
                    "plenary.unknown_office",
                    "§8",
                    f"全委会不选举职务“{choice.office}”",
                    f"The plenary does not elect a {choice.office!r}.",
                    office=choice.office,
                )
            )
        elif choice.id not in members:
            findings.append(
                error(
                    "plenary.not_a_member",
                    "§8",
                    f"{choice.name or choice.id}不是新一届委员会委员，"
                    f"不能作为{titles[choice.office][0]}候选人",
                    f"{choice.name or choice.id} is not a member of the new committee and "
                    "cannot stand "
                    f"for {titles[choice.office][1]}.",
                    who=choice.id,
                    office=choice.office,
                )
            )
    twice = Counter((c.office, c.id) for c in candidates)
    for (office, who), n in twice.items():
        if n > 1 and who in members:
            zh, en = titles.get(office, (office, office))
            findings.append(
                error(
                    "plenary.twice",
                    "§8",
                    f"{members[who].name}重复列为{zh}候选人",
                    f"{members[who].name} is listed twice for {en}.",
                    who=who,
                    office=office,
                )
            )
    for key, n in seats.items():
        if not n:
            continue
        standing = {c.id for c in candidates if c.office == key and c.id in members}
        zh, en = titles.get(key, (key, key))
        if not standing:
            findings.append(
                error(
                    "plenary.no_candidate",
                    "§8",
                    f"{zh}没有候选人",
                    f"Nobody stands for {en}.",
                    office=key,
                )
            )
        elif len(standing) < n:
            findings.append(
                warning(
                    "plenary.fewer_candidates",
                    "§8",
                    f"{zh}应选{n}名，候选人只有{len(standing)}名",
                    f"{en}: {n} seats but only {len(standing)} candidates.",
                    office=key,
                    seats=n,
                    candidates=len(standing),
                )
            )
    return findings


def check_counts(
    committee: Sequence[CommitteeMember],
    counts: Mapping[str, Mapping[str, int]],
    ballots_returned: int,
) -> list[Finding]:
    """Votes can only go to members of the committee (a name written in must be one
    of them), and no one gets more votes than ballots were returned."""
    findings = []
    members = {m.id: m for m in committee}
    titles = _titles()
    for office, given in counts.items():
        zh, en = titles.get(office, (office, office))
        for who, n in given.items():
            if who == tally.INVALID:
                continue
            if who not in members:
                findings.append(
                    error(
                        "plenary.not_a_member",
                        "§8",
                        f"{zh}：{who}不是新一届委员会委员，所得票不能计入",
                        f"{en}: {who} is not a member of the new committee; their votes "
                        "cannot count.",
                        who=who,
                        office=office,
                    )
                )
            elif n > ballots_returned:
                findings.append(
                    error(
                        "plenary.votes_exceed_ballots",
                        "§8",
                        f"{zh}：{members[who].name}得票{n}张，多于收回选票{ballots_returned}张",
                        f"{en}: {members[who].name} has {n} votes but {ballots_returned} "
                        "ballots were returned.",
                        who=who,
                        office=office,
                    )
                )
    return findings


def vote(
    committee: Sequence[CommitteeMember],
    present: int,
    deputies: int,
    candidates: Sequence[Choice],
    counts: Mapping[str, Mapping[str, int]],
    ballots_issued: int,
    ballots_returned: int,
    profile: Profile = NATIONAL,
) -> tally.Vote:
    """The plenary as the rules core counts it: a party vote whose due number is the
    size of the committee and whose participants are the members present (§8).

    Every member of the committee is known to the count by name, so that votes written
    in for a member who did not stand are shown with the member's name."""
    members = {m.id: m for m in committee}
    standing = [c for c in candidates if c.id in members]
    others = [m for m in committee if m.id not in {c.id for c in standing}]
    return tally.Vote(
        offices=offices(deputies),
        electorate=len(committee),
        ballots_issued=ballots_issued,
        ballots_returned=ballots_returned,
        candidates=tuple(
            tally.Candidate(c.id, members[c.id].name, c.office, members[c.id].sex) for c in standing
        )
        + tuple(tally.Candidate(m.id, m.name, "", m.sex) for m in others),
        counts={
            office: {
                **{who: n for who, n in given.items() if who in members},
                **({tally.INVALID: given[tally.INVALID]} if tally.INVALID in given else {}),
            }
            for office, given in counts.items()
        },
        profile=profile,
        kind="party",
        present=present,
    )


def count(
    committee: Sequence[CommitteeMember],
    present: int,
    deputies: int,
    candidates: Sequence[Choice],
    counts: Mapping[str, Mapping[str, int]],
    ballots_issued: int,
    ballots_returned: int,
    profile: Profile = NATIONAL,
) -> tally.Result:
    """The result of the plenary; ValueError when the candidates or the votes name
    someone outside the committee (:func:`check_candidates`, :func:`check_counts`)."""
    seats = {o.id: o.seats for o in offices(deputies)}
    problems = [
        f
        for f in check_candidates(committee, seats, candidates)
        + check_counts(committee, counts, ballots_returned)
        if f.is_error
    ]
    if problems:
        raise ValueError("; ".join(f.message_en for f in problems))
    return tally.count(
        vote(
            committee,
            present,
            deputies,
            candidates,
            counts,
            ballots_issued,
            ballots_returned,
            profile,
        )
    )


def elected(result: tally.Result) -> dict[str, tuple[str, ...]]:
    """Office → who was elected to it."""
    return {o.id: o.elected for o in result.offices}


def check_result(result: tally.Result) -> list[Finding]:
    """What stands between the result and its report for approval: a void vote (no
    quorum, more ballots returned than issued) is held again; a seat left open or tied
    is voted on again first."""
    findings = []
    if not result.valid:
        findings.append(
            error(
                "plenary.void",
                "§8",
                "选举无效，须重新投票",
                "The vote is void and must be held again.",
                reasons=list(result.void_reasons),
            )
        )
        return findings
    titles = _titles()
    for office in result.offices:
        zh, en = titles.get(office.id, (office.title, office.id))
        open_seats = office.seats - len(office.elected)
        if open_seats:
            findings.append(
                error(
                    "plenary.seat_open",
                    "§8",
                    f"{zh}尚有{open_seats}名未选出，须再次投票",
                    f"{en}: {open_seats} seat(s) not filled; vote again.",
                    office=office.id,
                    open=open_seats,
                )
            )
    return findings
