"""The papers of a result (DOMAIN §7 item 9): the announcement posted on the spot
(选举结果公告), the result form the scrutineers sign (选举结果报告单) and the winners'
certificates (当选证书), built from the records of a poll and printed by
:mod:`huanjie.documents.results`.

Certificates are numbered when they are issued (``<place code>-<term>-<nn>``, running
on across the place's elections) and printed as often as needed: issuing is a change,
recorded; printing is not.
"""

from __future__ import annotations

import re
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huanjie.candidates.notices import body_title, issuer_of
from huanjie.cycles.models import Election
from huanjie.cycles.profiles import effective_profile
from huanjie.cycles.services import RuleViolation
from huanjie.documents import results as documents
from huanjie.party.models import Organisation
from huanjie.polling import counting, outcomes
from huanjie.polling.models import CheckIn, Notice, Poll, Scrutineer, Station, Winner

Round = Poll.Round

#: The title of each kind of poll on its documents (选举结果公告, 报告单), as on its
#: ballot: the tied are voted on again (再次投票).
ROUND_TITLES = {
    Round.FIRST: "选举",
    Round.REVOTE: "再次投票",
    Round.RUNOFF: "另行选举",
    Round.RERUN: "重新选举",
}

#: A certificate number: ``<place code>-<term>-<nn>``.
CERTIFICATE_NUMBER = re.compile(r"-(\d+)$")

ZH_DIGITS = "零一二三四五六七八九十"


def _zh_fraction(value) -> str:
    """1/2 → 半数, 4/5 → 五分之四: how the law states its fractions."""
    if value.numerator == 1 and value.denominator == 2:
        return "半数"
    if value.denominator <= 10 and value.numerator <= 10:
        return f"{ZH_DIGITS[value.denominator]}分之{ZH_DIGITS[value.numerator]}"
    return f"{value.denominator}分之{value.numerator}"


def void_sentences(poll: Poll) -> tuple[str, ...]:
    """The reasons a vote is void, as the announcement states them (DOMAIN §7, §8)."""
    election = poll.election
    profile = effective_profile(election.cycle, election.place)
    texts = {
        "returned_exceeds_issued": "收回的选票多于发出的选票",
        "turnout_not_majority": (
            f"参加投票的选民未超过登记选民的{_zh_fraction(profile.turnout_needed)}"
        ),
        "quorum_not_met": f"实到会党员未超过应到会党员的{_zh_fraction(profile.party_quorum)}",
    }
    return tuple(texts.get(r, r) for r in poll.result["void_reasons"])


def signer_of(election) -> str:
    """Who signs the announcement and seals the result form: the election committee, or
    for a party election the party organisation of the place."""
    if not outcomes.is_committee(election):
        org = Organisation.objects.filter(place=election.place).order_by("id").first()
        if org is not None:
            return org.name
    return issuer_of(election)


def _office_outcome(poll: Poll, office: dict, titles: dict[str, str]) -> documents.OfficeOutcome:
    """One office of the result as the documents print it; a written-in name that is
    also a candidate's name is marked 另选 so that both lines are told apart."""
    candidate_names = {c["name"] for c in poll.candidates if c["office"] == office["id"]}
    names = {}
    for v in office["votes"]:
        name = v["name"]
        if v["write_in"] and name in candidate_names:
            name = f"{name}（另选）"
        names[v["who"]] = name
    note = ""
    reserved = office["reserved_for_woman"] or next(
        (o.get("reserved_for_woman", 0) for o in poll.offices if o["id"] == office["id"]), 0
    )
    if reserved:
        note = f"其中{reserved}名为妇女委员专职专选名额，另行选举妇女"
        if poll.round == Round.RUNOFF:
            note = f"其中{reserved}名为妇女委员专职专选名额"
    return documents.OfficeOutcome(
        title=titles[office["id"]],
        seats=office["seats"],
        threshold=office["threshold"],
        votes=tuple((names[v["who"]], v["votes"]) for v in office["votes"]),
        elected=tuple(names[w] for w in office["elected"]),
        invalid=office["invalid"],
        unfilled=office["unfilled"],
        revote=tuple(names[w] for group in office["revote"] for w in group),
        note=note,
    )


def _boxes(poll: Poll) -> tuple[documents.BoxCount, ...]:
    """The sheet of every station and box with its valid and void ballots (DOMAIN §6).
    Those are known when the ballots were entered one by one, numbered box by box
    (:func:`huanjie.polling.counting.box_rows`), and every ballot of every box is
    entered; a count from the tally sheet's totals does not say which box a void ballot
    came from, so no box table is printed rather than figures nobody counted."""
    rows = [r for r in counting.box_rows(poll) if r.issued is not None]
    if not rows or any(r.valid is None or r.entered != r.returned for r in rows):
        return ()
    return tuple(
        documents.BoxCount(r.station.name, r.issued, r.returned, r.valid, r.invalid) for r in rows
    )


def _duty_names(election, role: str) -> tuple[str, ...]:
    """Scrutineers or counters of the election's stations, chiefs first, once each."""
    order = {kind: i for i, kind in enumerate(Station.Kind.values)}
    lines = Scrutineer.objects.filter(station__election=election, role=role).select_related(
        "voter", "station"
    )
    lines = sorted(
        lines, key=lambda s: (not s.chief, order[s.station.kind], s.station.name, s.voter.number)
    )
    seen, names = set(), []
    for line in lines:
        if line.voter_id not in seen:
            seen.add(line.voter_id)
            names.append(line.voter.name)
    return tuple(names)


def outcome_of(poll: Poll) -> documents.PollOutcome:
    """The documents' description of a counted poll, from its records."""
    if not poll.result:
        raise RuleViolation(_("This vote is not counted yet."))
    election = poll.election
    result = poll.result
    titles = outcomes.office_titles(poll)
    issued, returned = counting.ballot_figures(poll)
    check_ins = CheckIn.objects.filter(poll=poll)
    return documents.PollOutcome(
        place=election.place.name,
        body_title=body_title(election),
        election_day=poll.held_on,
        round_title=ROUND_TITLES[poll.round],
        electorate=result["turnout"]["electorate"],
        participants=result["turnout"]["participants"],
        issued=issued,
        returned=returned,
        valid=result["valid"],
        void_reasons=void_sentences(poll) if not result["valid"] else (),
        offices=tuple(_office_outcome(poll, o, titles) for o in result["offices"]),
        boxes=_boxes(poll),
        proxies=check_ins.filter(proxy__isnull=False).count(),
        mobile_box_votes=check_ins.filter(station__kind=Station.Kind.MOBILE_BOX).count(),
        assisted=check_ins.filter(assisted=True).count(),
        committee=signer_of(election),
        scrutineers=_duty_names(election, Scrutineer.Role.SCRUTINEER),
        counters=_duty_names(election, Scrutineer.Role.COUNTER),
        chair="",
        kind=counting.kind_of(election),
    )


def _printed(make, outcome) -> bytes:
    try:
        return make(outcome)
    except ValueError as exc:  # figures that contradict each other
        raise RuleViolation(str(exc)) from None


def announcement_pdf(poll: Poll) -> bytes:
    """The 选举结果公告 of a counted poll."""
    return _printed(documents.announcement, outcome_of(poll))


def report_pdf(poll: Poll) -> bytes:
    """The 选举结果报告单 of a counted poll, with a signature line per scrutineer and
    counter: printed to be signed, before or after the confirmation."""
    return _printed(documents.result_report, outcome_of(poll))


@transaction.atomic
def publish_announcement(user, poll: Poll, published_on: date | None = None) -> Notice:
    """Post the announcement of a confirmed result (DOMAIN §7 item 9); posted again
    after a correction, the latest one holds."""
    outcomes.require(user, poll)
    outcomes.require_confirmed(poll)
    today = timezone.localdate()
    published_on = published_on or today
    if published_on > today:
        raise RuleViolation(_("An announcement is recorded on the day it is posted, not later."))
    if published_on < poll.held_on:
        raise RuleViolation(_("The result cannot be announced before the vote."))
    pdf = announcement_pdf(poll)
    election = poll.election
    people = [
        {"office": w.office, "name": w.name, "votes": w.votes, "voter": w.voter_id}
        for w in poll.winners.all()
    ]
    notice = Notice.objects.create(
        election=election,
        poll=poll,
        kind=Notice.Kind.ANNOUNCEMENT,
        published_on=published_on,
        people=people,
        file=ContentFile(
            pdf,
            name=f"{election.place.code}-{election.body}-result-{poll.pk}-{published_on:%Y%m%d}.pdf",
        ),
        user=user,
    )
    outcomes.record_change(
        user,
        "polling.announcement",
        notice,
        after={"poll": poll.pk, "published_on": published_on.isoformat(), "winners": people},
    )
    return notice


def _election_of(target) -> Election:
    return target.election if isinstance(target, Poll) else target


def winners_of(target) -> list[Winner]:
    """The winners of a confirmed poll, or of an election's confirmed polls (its latest
    chain), highest office first, then most votes."""
    if isinstance(target, Poll):
        found = list(target.winners.filter(poll__state=Poll.State.CONFIRMED))
        ranks = {o["id"]: i for i, o in enumerate(target.offices)}
    else:
        state = outcomes.election_state(target)
        found = state.winners
        ranks = {o.id: i for i, o in enumerate(state.offices)}
    return sorted(found, key=lambda w: (ranks.get(w.office, len(ranks)), -w.votes, w.id))


def _next_number(election) -> int:
    numbers = Winner.objects.filter(
        poll__election__cycle=election.cycle, poll__election__place=election.place
    ).exclude(certificate_number="")
    found = [
        CERTIFICATE_NUMBER.search(n) for n in numbers.values_list("certificate_number", flat=True)
    ]
    return max((int(m.group(1)) for m in found if m), default=0) + 1


@transaction.atomic
def issue_certificates(user, target, issued_on: date | None = None) -> list[Winner]:
    """Number the certificates of election (当选证书) of the winners of a poll or an
    election who have none yet: ``<place code>-<term>-<nn>``, numbered on across the
    place's elections of the cycle, and dated ``issued_on``."""
    election = _election_of(target)
    outcomes.require(user, election)
    if isinstance(target, Poll):
        outcomes.require_confirmed(target)
    today = timezone.localdate()
    issued_on = issued_on or today
    if issued_on > today:
        raise RuleViolation(_("A certificate is dated the day it is issued, not later."))
    winners = [w for w in winners_of(target) if not w.certificate_number]
    if not winners:
        raise RuleViolation(_("Every winner has a certificate already, or nobody is elected yet."))
    if issued_on < max(w.poll.held_on for w in winners):
        raise RuleViolation(_("A certificate cannot be issued before the vote."))
    # One numbering at a time per place: the numbers run on across its elections.
    list(Election.objects.select_for_update().filter(place=election.place, cycle=election.cycle))
    n = _next_number(election)
    for winner in winners:
        winner.certificate_number = f"{election.place.code}-{election.cycle.term_number}-{n:02d}"
        winner.certified_on = issued_on
        winner.save(update_fields=["certificate_number", "certified_on"])
        n += 1
    outcomes.record_change(
        user,
        "polling.certificates",
        target,
        after={
            "issued_on": issued_on.isoformat(),
            "certificates": {w.certificate_number: w.name for w in winners},
        },
    )
    return winners


def certificates_of(target) -> list[documents.Certificate]:
    election = _election_of(target)
    titles = {o.key: o.title for o in election.offices.all()}
    certs = []
    for w in winners_of(target):
        if not w.certificate_number:
            continue
        certs.append(
            documents.Certificate(
                number=w.certificate_number,
                name=w.name,
                place=election.place.name,
                body_title=body_title(election),
                office=outcomes.office_titles(w.poll).get(w.office)
                or titles.get(w.office, w.office),
                election_day=w.poll.held_on,
                issued_on=w.certified_on,
                issuer=issuer_of(election),
            )
        )
    return certs


def certificates_pdf(target) -> bytes:
    """The certificates issued to the winners of a poll or an election, one page each.
    Refused while none is issued."""
    certs = certificates_of(target)
    if not certs:
        raise RuleViolation(_("No certificate is issued yet: issue the certificates first."))
    try:
        return documents.certificates(certs)
    except ValueError as exc:
        raise RuleViolation(str(exc)) from None
