"""The count of a poll: what the rules core is asked, and its answer.

A poll is counted from the ballots as two counters entered them (both entries must
agree ballot by ballot) or from the totals of the tally sheet. The figures of the
vote come from the records: the registered voters from the roll as it stands on the
day (with its 补登 lines), the ballots issued and returned from the sheets of the
stations and boxes. :func:`vote_of` builds the :class:`~huanjie.rules.tally.Vote`;
:func:`compute` keeps the core's answer on the poll.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from huanjie.accounts import permissions
from huanjie.audit.trail import record
from huanjie.cycles.profiles import effective_profile
from huanjie.cycles.services import RuleViolation
from huanjie.polling import keys, polls
from huanjie.polling.models import BallotEntry, BoxCount, Poll, Station
from huanjie.rules import tally
from huanjie.rules.seats import Body
from huanjie.voters import publication

#: The rules core's round of each kind of poll: a re-vote among the tied and a re-run
#: are counted like a first vote (a strict majority); only the run-off has its own
#: threshold (DOMAIN §7 items 5, 7, 10).
ROUNDS = {
    Poll.Round.FIRST: "first",
    Poll.Round.REVOTE: "first",
    Poll.Round.RERUN: "first",
    Poll.Round.RUNOFF: "runoff",
}


def kind_of(election) -> str:
    return "party" if election.body == Body.PARTY_COMMITTEE else "committee"


def require_counting(poll: Poll) -> None:
    """Refuse a change of the count of a confirmed (locked) poll."""
    if poll.state == Poll.State.CONFIRMED:
        raise RuleViolation(
            _(
                "The result of this vote is confirmed and locked; a change is a "
                "correction with its reason."
            )
        )


def both_entries(poll: Poll) -> tuple[dict[int, dict], dict[int, dict]]:
    """Number → marks of each ballot as counter 1 and as counter 2 entered it."""
    first = dict(poll.entries.filter(counter=1).values_list("number", "marks"))
    second = dict(poll.entries.filter(counter=2).values_list("number", "marks"))
    return first, second


def _differ(first: dict, second: dict) -> list[int]:
    numbers = first.keys() | second.keys()
    return sorted(n for n in numbers if first.get(n) != second.get(n))


def disagreements(poll: Poll) -> list[int]:
    """Ballot numbers the two counters entered differently, or only one entered."""
    return _differ(*both_entries(poll))


def agreed_ballots(poll: Poll) -> list[dict]:
    """The ballots as both counters entered them; refused while they disagree."""
    differ = disagreements(poll)
    if differ:
        raise RuleViolation(
            _("The two entries differ on ballots %(numbers)s: reconcile them first.")
            % {"numbers": ", ".join(str(n) for n in differ[:20])}
        )
    return list(
        BallotEntry.objects.filter(poll=poll, counter=1)
        .order_by("number")
        .values_list("marks", flat=True)
    )


def ballot_figures(poll: Poll) -> tuple[int, int]:
    """(issued, returned): the sheets of the stations and boxes when entered, else the
    check-ins (or at a party meeting the members present) for issued and the ballots
    entered for returned."""
    sheets = poll.box_counts.aggregate(issued=Sum("issued"), returned=Sum("returned"))
    if sheets["issued"] is not None:
        return sheets["issued"], sheets["returned"]
    # A party meeting hands a ballot to each member present with a vote (DOMAIN §8).
    issued = poll.present if kind_of(poll.election) == "party" else poll.check_ins.count()
    returned = poll.entries.filter(counter=1).count()
    if poll.method == Poll.Method.TOTALS:
        returned = issued
    return issued, returned


def write_in_sex(poll: Poll, ballots, counts) -> dict[str, str]:
    """The sex of each written-in name that is one voter of the roll: the reserved
    woman seat (DOMAIN §7 item 8) may go to a woman written in."""
    known = {c["id"] for c in poll.candidates}
    written = set()
    for ballot in ballots or ():
        for section in ballot.values():
            if isinstance(section, list):
                written.update(w for w in section if w not in known)
    for per_person in (counts or {}).values():
        written.update(w for w in per_person if w not in known and w != tally.INVALID)
    return sex_on_roll(poll.election, written)


def sex_on_roll(election, names) -> dict[str, str]:
    """The sex of each of ``names`` whose lines on the roll all say the same: a name
    written in is a person only the roll can tell the sex of."""
    if not names:
        return {}
    found: dict[str, set[str]] = {}
    roll = publication.listed(election.cycle_id, election.place_id).filter(name__in=names)
    for name, sex in roll.order_by().values_list("name", "sex"):
        found.setdefault(name, set()).add(sex)
    return {name: sexes.pop() for name, sexes in found.items() if len(sexes) == 1}


def vote_of(poll: Poll) -> tally.Vote:
    """The rules core's description of ``poll`` as the records have it now."""
    election = poll.election
    profile = effective_profile(election.cycle, election.place)
    kind = kind_of(election)
    issued, returned = ballot_figures(poll)
    ballots = counts = None
    if poll.method == Poll.Method.BALLOTS:
        ballots = agreed_ballots(poll)
    else:
        counts = poll.counts
    cascade = profile.cascade_counting and kind == "committee" and ballots is not None
    electorate = poll.electorate if kind == "party" else polls.electorate_of(election)
    return tally.Vote(
        offices=tuple(tally.Office(o["id"], o["title"], o["seats"]) for o in poll.offices),
        electorate=electorate,
        ballots_issued=issued,
        ballots_returned=returned,
        candidates=tuple(
            tally.Candidate(c["id"], c["name"], c["office"], c.get("sex")) for c in poll.candidates
        ),
        ballots=ballots,
        counts=counts,
        profile=profile,
        kind=kind,
        round=ROUNDS[poll.round],
        mode="cascade" if cascade else "separate",
        present=poll.present,
        write_in_sex=write_in_sex(poll, ballots, counts),
    )


@transaction.atomic
def compute(user, poll: Poll) -> tally.Result:
    """Count ``poll`` with the rules core and keep the answer on it."""
    permissions.require(user, permissions.RUN_POLL, poll.election.place)
    require_counting(poll)
    result = tally.count(vote_of(poll))
    before = poll.result
    poll.result = result.as_json()
    poll.state = Poll.State.COUNTING
    poll.save(update_fields=["result", "state"])
    record(
        user,
        "polling.count",
        poll,
        before={"result": before},
        after={"result": poll.result},
        place=poll.election.place,
    )
    return result


# Entering the count (DOMAIN §6–7): ballots by two counters, the scrutineers' reading
# where they differ, the tally sheet's totals and the sheets of the boxes. Every change
# of what the count reads takes back a result computed before it: the result shown is
# always the count of the records as they stand.

COUNTERS = (1, 2)


def _require_entry(user, poll: Poll, method: str | None = None) -> None:
    permissions.require(user, permissions.RUN_POLL, poll.election.place)
    require_counting(poll)
    if method == Poll.Method.BALLOTS and poll.method != method:
        raise RuleViolation(
            _("This vote is counted from the totals of the tally sheet, not ballot by ballot.")
        )
    if method == Poll.Method.TOTALS and poll.method != method:
        raise RuleViolation(
            _("This vote is counted ballot by ballot, not from the totals of a tally sheet.")
        )


def _withdraw_result(poll: Poll) -> dict:
    """Take back the result computed before a change; what the record says of it."""
    if poll.result is None:
        return {}
    poll.result = None
    poll.save(update_fields=["result"])
    return {"result_withdrawn": True}


def keyboard(poll: Poll) -> keys.Keyboard:
    """The keys of the poll's candidates, office by office in ballot order."""
    return keys.Keyboard.of(poll.offices, poll.candidates)


def clean_marks(poll: Poll, marks) -> dict:
    """``marks`` checked against the poll's slate, in canonical form (:func:`keys.clean`)."""
    try:
        return keys.clean(marks, poll.offices, poll.candidates)
    except keys.InputError as exc:
        raise RuleViolation(str(exc)) from None


def _check_number(counter: int | None, number: int) -> None:
    if counter is not None and counter not in COUNTERS:
        raise RuleViolation(_("A ballot is entered by counter 1 or counter 2."))
    if not isinstance(number, int) or number < 1:
        raise RuleViolation(_("Ballots are numbered from 1."))


@transaction.atomic
def enter(user, poll: Poll, counter: int, number: int, marks) -> BallotEntry:
    """Enter ballot ``number`` as ``counter`` read it, or change that counter's entry.

    ``marks`` is the ballot in the rules core's form: office → the people marked
    (candidate ids of the poll or names written in), a section ``None`` when unreadable,
    ``{"invalid": true}`` for a void ballot. An over-voted section is entered as it is:
    the count makes it invalid for that office (DOMAIN §7 item 3).
    """
    _require_entry(user, poll, Poll.Method.BALLOTS)
    _check_number(counter, number)
    marks = clean_marks(poll, marks)
    entry = (
        BallotEntry.objects.select_for_update()
        .filter(poll=poll, counter=counter, number=number)
        .first()
    )
    before = {"counter": counter, "number": number, "marks": entry.marks} if entry else None
    if entry is None:
        entry = BallotEntry(poll=poll, counter=counter, number=number)
    entry.marks = marks
    entry.user = user
    entry.save()
    record(
        user,
        "polling.ballot_enter",
        entry,
        before=before,
        after={"counter": counter, "number": number, "marks": marks} | _withdraw_result(poll),
        place=poll.election.place,
    )
    return entry


@transaction.atomic
def delete_entry(user, entry: BallotEntry) -> None:
    """Take back an entry made by mistake (a number that is not a ballot)."""
    poll = entry.poll
    _require_entry(user, poll)
    record(
        user,
        "polling.ballot_delete",
        entry,
        before={"counter": entry.counter, "number": entry.number, "marks": entry.marks},
        after=_withdraw_result(poll) or None,
        place=poll.election.place,
    )
    entry.delete()


def next_number(poll: Poll, counter: int) -> int:
    """The number after the last ballot ``counter`` entered."""
    last = (
        poll.entries.filter(counter=counter)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return (last or 0) + 1


def readings(poll: Poll, number: int) -> dict[int, dict | None]:
    """Counter → the marks they entered for ballot ``number`` (None if not entered)."""
    found = dict(poll.entries.filter(number=number).values_list("counter", "marks"))
    return {c: found.get(c) for c in COUNTERS}


@transaction.atomic
def reconcile(user, poll: Poll, number: int, marks) -> list[BallotEntry]:
    """Set both counters' entries of ballot ``number`` to what the scrutineers read off
    the paper ballot, where the two entries differ (or one is missing)."""
    _require_entry(user, poll, Poll.Method.BALLOTS)
    _check_number(None, number)
    marks = clean_marks(poll, marks)
    entries = {
        e.counter: e
        for e in BallotEntry.objects.select_for_update().filter(poll=poll, number=number)
    }
    before = {str(c): entries[c].marks if c in entries else None for c in COUNTERS}
    saved = []
    for counter in COUNTERS:
        entry = entries.get(counter) or BallotEntry(poll=poll, counter=counter, number=number)
        entry.marks = marks
        entry.user = user
        entry.save()
        saved.append(entry)
    record(
        user,
        "polling.ballot_reconcile",
        poll,
        before={"number": number, "entries": before},
        after={"number": number, "entries": {str(c): marks for c in COUNTERS}}
        | _withdraw_result(poll),
        place=poll.election.place,
    )
    return saved


def disagreement_rows(
    poll: Poll, limit: int | None = None
) -> list[tuple[int, dict | None, dict | None]]:
    """(number, counter 1's marks, counter 2's marks) of each ballot they entered
    differently or only one entered (see :func:`disagreements`)."""
    numbers = disagreements(poll)
    if limit is not None:
        numbers = numbers[:limit]
    found: dict[int, dict[int, dict]] = {}
    for number, counter, marks in poll.entries.filter(number__in=numbers).values_list(
        "number", "counter", "marks"
    ):
        found.setdefault(number, {})[counter] = marks
    return [(n, found.get(n, {}).get(1), found.get(n, {}).get(2)) for n in numbers]


@transaction.atomic
def set_method(user, poll: Poll, method: str) -> Poll:
    """Count ``poll`` ballot by ballot or from the tally sheet's totals; refused once
    anything of the other way has been entered."""
    _require_entry(user, poll)
    if method not in Poll.Method.values:
        raise RuleViolation(_("Unknown way of counting: %(method)s") % {"method": method})
    if method == poll.method:
        return poll
    if poll.entries.exists() or any(poll.counts.values() if poll.counts else ()):
        raise RuleViolation(
            _("Ballots or totals have been entered: the way of counting cannot change.")
        )
    before = poll.method
    poll.method = method
    poll.save(update_fields=["method"])
    record(
        user,
        "polling.count_method",
        poll,
        before={"method": before},
        after={"method": method} | _withdraw_result(poll),
        place=poll.election.place,
    )
    return poll


def _whole(value, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RuleViolation(_("%(what)s must be a whole number.") % {"what": what})
    if value < 0:
        raise RuleViolation(_("%(what)s cannot be negative.") % {"what": what})
    return value


@transaction.atomic
def enter_totals(user, poll: Poll, counts) -> dict:
    """Enter the tally sheet's totals: office → person → votes, with ``"invalid"`` the
    sections invalid for that office; a person is a candidate id of the poll or a name
    written in. Replaces the totals entered before. A person given twice in an office,
    a negative number, or more votes than ballots returned (when the boxes' sheets are
    entered) is refused."""
    _require_entry(user, poll, Poll.Method.TOTALS)
    if not isinstance(counts, dict):
        raise RuleViolation(_("Totals are an object of offices."))
    titles = {o["id"]: o["title"] for o in poll.offices}
    unknown = [k for k in counts if k not in titles]
    if unknown:
        raise RuleViolation(_("Unknown office: %(office)s") % {"office": unknown[0]})
    returned = None
    if poll.box_counts.exists():
        returned = ballot_figures(poll)[1]
    names = {c["id"]: c["name"] for c in poll.candidates}
    clean = {}
    for office, title in titles.items():
        given = counts.get(office) or {}
        if not isinstance(given, dict):
            raise RuleViolation(_("%(office)s: totals are person → votes.") % {"office": title})
        votes: dict[str, int] = {}
        for who, n in given.items():
            if who == tally.INVALID:
                key = tally.INVALID
                what = _("%(office)s, invalid") % {"office": title}
            else:
                try:
                    key = keys.person(who, office, poll.candidates)
                except keys.InputError as exc:
                    raise RuleViolation(str(exc)) from None
                what = f"{title}, {names.get(key, key)}"
            if key in votes:
                raise RuleViolation(_("%(what)s is given twice.") % {"what": what})
            votes[key] = _whole(n, what)
            if returned is not None and votes[key] > returned:
                raise RuleViolation(
                    _("%(what)s: %(n)d votes, but %(returned)d ballots were returned.")
                    % {"what": what, "n": votes[key], "returned": returned}
                )
        clean[office] = votes
    before = poll.counts
    poll.counts = clean
    poll.save(update_fields=["counts"])
    record(
        user,
        "polling.totals",
        poll,
        before={"counts": before},
        after={"counts": clean} | _withdraw_result(poll),
        place=poll.election.place,
    )
    return clean


@transaction.atomic
def set_box(user, poll: Poll, station: Station, issued: int, returned: int) -> BoxCount:
    """Record the sheet of one station or box: ballots issued and returned (DOMAIN §6).

    More returned than issued is recorded as the sheet says: it is the count that voids
    the vote for it (DOMAIN §7 item 1)."""
    _require_entry(user, poll)
    if station.election_id != poll.election_id:
        raise RuleViolation(_("%(station)s is not a box of this election.") % {"station": station})
    issued = _whole(issued, _("Ballots issued"))
    returned = _whole(returned, _("Ballots returned"))
    box = BoxCount.objects.select_for_update().filter(poll=poll, station=station).first()
    before = (
        {"station": station.name, "issued": box.issued, "returned": box.returned} if box else None
    )
    if box is None:
        box = BoxCount(poll=poll, station=station)
    box.issued, box.returned = issued, returned
    box.save()
    record(  # on the poll, whose history the count's page shows
        user,
        "polling.box_count",
        poll,
        before=before,
        after={"station": station.name, "issued": issued, "returned": returned}
        | _withdraw_result(poll),
        place=poll.election.place,
    )
    return box


# What the count pages and the API show of the entry


#: The boxes in the order their ballots are numbered: the central venue, the polling
#: stations, the mobile boxes.
BOX_ORDER = {Station.Kind.CENTRAL: 0, Station.Kind.STATION: 1, Station.Kind.MOBILE_BOX: 2}


@dataclass
class BoxRow:
    """One station or box of the count. Ballots are numbered box by box in the order
    of the boxes, so the box of a ballot is known from its number: ``first``–``last``
    (None until the box's sheet is entered). ``entered`` counts the ballots of the
    range both counters agree on, ``invalid`` those void as a whole (作废票);
    ``valid`` and ``invalid`` are None when the count is from totals."""

    station: Station
    issued: int | None = None
    returned: int | None = None
    first: int | None = None
    last: int | None = None
    entered: int = 0
    valid: int | None = None
    invalid: int | None = None


def box_rows(poll: Poll, entries=None) -> list[BoxRow]:
    """Every station and box of the poll's election with its sheet and, for a count
    ballot by ballot, the valid and void ballots of its numbers (DOMAIN §6).
    ``entries``: :func:`both_entries` of the poll, when already read."""
    stations = sorted(
        Station.objects.filter(election=poll.election),
        key=lambda s: (BOX_ORDER.get(s.kind, 9), s.name, s.pk),
    )
    sheets = {b.station_id: b for b in poll.box_counts.all()}
    rows = []
    start = 1
    for station in stations:
        row = BoxRow(station)
        sheet = sheets.get(station.pk)
        if sheet is not None:
            row.issued, row.returned = sheet.issued, sheet.returned
            row.first, row.last = start, start + sheet.returned - 1
            start += sheet.returned
        rows.append(row)
    if poll.method != Poll.Method.BALLOTS:
        return rows
    agreed = _agreed(*(entries or both_entries(poll)))
    for row in rows:
        if row.first is None:
            continue
        marks = [m for n, m in agreed.items() if row.first <= n <= row.last]
        row.entered = len(marks)
        row.invalid = sum(1 for m in marks if m.get(tally.INVALID) is True)
        row.valid = row.entered - row.invalid
    return rows


def _agreed(first: dict, second: dict) -> dict[int, dict]:
    """Number → marks of the ballots both counters entered alike."""
    return {n: m for n, m in first.items() if second.get(n) == m}


@dataclass
class Progress:
    """How far the entry is: ballots each counter entered, the last number of each,
    ballots both agree on, the numbers where they differ, ballots returned."""

    entered: dict[int, int]
    last: dict[int, int]
    agreed: int
    differ: list[int]
    returned: int | None


def progress(poll: Poll, entries=None) -> Progress:
    """``entries``: :func:`both_entries` of the poll, when already read."""
    first, second = entries or both_entries(poll)
    entered = {1: len(first), 2: len(second)}
    last = {1: max(first, default=0), 2: max(second, default=0)}
    sheets = poll.box_counts.aggregate(returned=Sum("returned"))["returned"]
    return Progress(entered, last, len(_agreed(first, second)), _differ(first, second), sheets)


# The kept result, explained


def counted(poll: Poll) -> tally.Result | None:
    """The kept result of ``poll`` as the rules core's :class:`~huanjie.rules.tally.Result`,
    with each person's reason, or None when the poll has no result.

    The reasons are not kept with the result; the rules core gives them again. First
    from the records as they stand (what the count read: a change of them takes the
    result back, and a confirmed poll is locked); else from the kept figures (each
    person's votes per office, the invalid sections, the turnout, with the ballots of
    the boxes' sheets), which decide the seats as the count did. A result the core no
    longer gives (the profile changed since the count) comes without reasons.
    """
    kept = poll.result
    if not kept:
        return None
    reasons = _reasons(poll, kept) or [{} for _o in kept["offices"]]
    titles = {o["id"]: o["title"] for o in poll.offices}
    offices = tuple(
        tally.OfficeResult(
            id=o["id"],
            title=titles.get(o["id"], o["id"]),
            seats=o["seats"],
            threshold=o["threshold"],
            votes=tuple(
                tally.Tally(v["who"], v["name"], v["votes"], v["write_in"]) for v in o["votes"]
            ),
            invalid=o["invalid"],
            elected=tuple(o["elected"]),
            revote=tuple(tuple(g) for g in o["revote"]),
            unfilled=o["unfilled"],
            reserved_for_woman=o["reserved_for_woman"],
            runoff_candidates=tuple(o["runoff_candidates"]),
            reasons=why,
        )
        for o, why in zip(kept["offices"], reasons, strict=True)
    )
    turnout = kept["turnout"]
    return tally.Result(
        kept["valid"],
        tuple(kept["void_reasons"]),
        turnout["electorate"],
        turnout["participants"],
        offices,
        kept["woman_elected"],
    )


def _reasons(poll: Poll, kept: dict) -> list[dict] | None:
    """Each office's reasons as the rules core gives them for a vote whose result is
    ``kept``, or None when no vote at hand gives that result."""
    for vote in (lambda: vote_of(poll), lambda: _kept_vote(poll, kept)):
        try:
            again = tally.count(vote())
        except RuleViolation:
            continue
        if again.as_json() == kept:
            return [dict(o.reasons) for o in again.offices]
    return None


def _kept_vote(poll: Poll, kept: dict) -> tally.Vote:
    """The vote ``kept`` describes, as totals: each person's votes and the invalid
    sections per office; the ballots of the boxes' sheets, with the participants of the
    kept turnout."""
    election = poll.election
    profile = effective_profile(election.cycle, election.place)
    kind = kind_of(election)
    counts = {
        o["id"]: {v["who"]: v["votes"] for v in o["votes"]} | {tally.INVALID: o["invalid"]}
        for o in kept["offices"]
    }
    participants = kept["turnout"]["participants"]
    issued, returned = ballot_figures(poll)
    if kind == "committee" and profile.majority_base == "returned":
        returned = participants
    elif kind == "committee":
        issued = participants
    return tally.Vote(
        offices=tuple(tally.Office(o["id"], o["title"], o["seats"]) for o in poll.offices),
        electorate=kept["turnout"]["electorate"],
        ballots_issued=issued,
        ballots_returned=returned,
        candidates=tuple(
            tally.Candidate(c["id"], c["name"], c["office"], c.get("sex")) for c in poll.candidates
        ),
        counts=counts,
        profile=profile,
        kind=kind,
        round=ROUNDS[poll.round],
        present=participants if kind == "party" else None,
        write_in_sex=write_in_sex(poll, None, counts),
    )


def language_of(code: str | None) -> str:
    """The language of the explanations for a Django language code: zh or en."""
    return "zh" if (code or "").lower().startswith("zh") else "en"


def explanations(result: tally.Result) -> list[dict]:
    """Why each person of each office is or is not elected, in Chinese and English
    (:func:`huanjie.rules.tally.explain`); empty when the reasons are not known."""
    rows = []
    for office in result.offices:
        if not office.reasons:
            continue
        english = dict((t.who, text) for t, text in tally.explain(office, "en"))
        for person, chinese in tally.explain(office, "zh"):
            rows.append(
                {
                    "office": office.id,
                    "who": person.who,
                    "name": person.name,
                    "votes": person.votes,
                    "elected": person.who in office.elected,
                    "reason": office.reasons.get(person.who, "below_threshold"),
                    "zh": chinese,
                    "en": english[person.who],
                }
            )
    return rows
