"""The new committee's first plenary (一届一次全委会) and the upper level's approval
(批复) that puts the committee in office (DOMAIN §2 item 3, §8).

Once the members' meeting has filled every seat of the committee, the committee meets:
the members present are counted, the 书记 and 副书记 are elected from among the
committee (one candidate per seat allowed), and the votes are counted by the rules
core (:mod:`huanjie.rules.plenary` over :mod:`huanjie.rules.tally`), so the quorum and
the majority are those of every party vote, on the size of the committee. The result
is reported for approval with a printed report (选举书记、副书记结果的报告); the approval
is recorded with its reference number, and from its day the new committee is the one in
office: its members get their :class:`~huanjie.party.models.Seat` and the seats of the
committee before end.

A plenary is held again when its vote is void or leaves a seat open: the votes are
entered again, or the plenary cancelled and another opened. A report can be withdrawn
until it is approved. Every change is in the audit trail.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from huanjie.accounts import permissions
from huanjie.audit.trail import record
from huanjie.cycles.profiles import effective_profile
from huanjie.cycles.services import RuleViolation, sign_off_when_ready
from huanjie.cycles.timeline import localized
from huanjie.documents import fonts
from huanjie.documents.dates import chinese_date
from huanjie.documents.flow import PageFlow
from huanjie.documents.wrapping import wrap
from huanjie.party.due import organisation_of
from huanjie.party.models import Member, Plenary, Seat
from huanjie.polling import counting, outcomes
from huanjie.rules import names, tally
from huanjie.rules import plenary as rules
from huanjie.rules.seats import DEPUTY_SECRETARY, MEMBER, SECRETARY, Body

__all__ = [
    "MEMBER_PREFIX",
    "approve",
    "cancel",
    "committee_of",
    "current",
    "enter_votes",
    "explanations",
    "open_plenary",
    "report",
    "report_pdf",
    "result_of",
    "set_candidates",
    "withdraw_report",
]

#: The plenary's id of a committee member: ``m<Member pk>``.
MEMBER_PREFIX = "m"

#: The offices the plenary elects, highest first.
OFFICE_KEYS = tuple(o.key for o in rules.OFFICES)


def member_key(member_pk: int) -> str:
    return f"{MEMBER_PREFIX}{member_pk}"


def member_of(key: str) -> int | None:
    """The Member pk of a plenary id, or None."""
    if key.startswith(MEMBER_PREFIX) and key[len(MEMBER_PREFIX) :].isdigit():
        return int(key[len(MEMBER_PREFIX) :])
    return None


# Reading


def _require_party(election) -> None:
    if election.body != Body.PARTY_COMMITTEE:
        raise RuleViolation(_("Only a party committee holds a plenary."))


def deputies_of(election) -> int:
    """The 副书记 seats the election set; none when it has no such office."""
    office = election.offices.filter(key=DEPUTY_SECRETARY.key).first()
    return office.seats if office else 0


def _resident_of(winner) -> int | None:
    if winner.candidate_id:
        return winner.candidate.resident_id
    if winner.voter_id:
        return winner.voter.resident_id
    return None


def committee_of(election) -> list[dict]:
    """The new committee: the winners of the members' meeting as party members,
    ``{"winner", "member", "id", "name", "sex"}`` in 姓氏笔画 order. Refused until the
    meeting has filled every seat with confirmed votes."""
    _require_party(election)
    state = outcomes.election_state(election)
    if not state.complete:
        raise RuleViolation(
            _(
                "The members' meeting has not elected the whole committee yet: every seat "
                "must be filled by a confirmed vote before the first plenary."
            )
        )
    members = Member.objects.filter(organisation__place=election.place).select_related("resident")
    by_resident = {m.resident_id: m for m in members}
    by_name: dict[str, list[Member]] = {}
    for m in members:
        by_name.setdefault(m.resident.name, []).append(m)
    committee = []
    for winner in state.winners:
        member = by_resident.get(_resident_of(winner))
        if member is None and len(by_name.get(winner.name, ())) == 1:
            member = by_name[winner.name][0]
        if member is None:
            raise RuleViolation(
                _("%(name)s, elected to the committee, is not found among the party members.")
                % {"name": winner.name}
            )
        committee.append(
            {
                "winner": winner.pk,
                "member": member.pk,
                "id": member_key(member.pk),
                "name": member.resident.name,
                "sex": member.resident.sex,
            }
        )
    committee.sort(key=lambda c: names.sort_key(c["name"]))
    return committee


def meeting_day(election) -> date | None:
    """The day of the last confirmed vote of the members' meeting."""
    state = outcomes.election_state(election)
    days = [w.poll.held_on for w in state.winners]
    return max(days) if days else None


def current(election) -> Plenary | None:
    """The plenary under way or approved: the latest one."""
    return Plenary.objects.filter(election=election).order_by("-held_on", "-id").first()


def _people(plenary: Plenary) -> tuple[rules.CommitteeMember, ...]:
    return tuple(rules.CommitteeMember(c["id"], c["name"], c.get("sex")) for c in plenary.committee)


def _choices(plenary: Plenary) -> tuple[rules.Choice, ...]:
    return tuple(rules.Choice(c["id"], c["office"], c["name"]) for c in plenary.candidates)


def _deputies(plenary: Plenary) -> int:
    return next((o["seats"] for o in plenary.offices if o["id"] == DEPUTY_SECRETARY.key), 0)


def _profile(plenary: Plenary):
    election = plenary.election
    return effective_profile(election.cycle, election.place)


def result_of(plenary: Plenary) -> tally.Result | None:
    """The rules core's result of the votes entered, with its reasons; None before the
    votes are entered."""
    if plenary.result is None or plenary.ballots_issued is None:
        return None
    return _count(plenary)


def explanations(plenary: Plenary) -> list[dict]:
    """Why each person is or is not elected (:func:`huanjie.rules.tally.explain`)."""
    result = result_of(plenary)
    return counting.explanations(result) if result else []


def elected_of(plenary: Plenary) -> dict[str, list[str]]:
    """Office → the names elected, from the kept result."""
    names_ = {c["id"]: c["name"] for c in plenary.committee}
    return {
        o["id"]: [names_.get(who, who) for who in o["elected"]]
        for o in (plenary.result or {}).get("offices", ())
    }


def findings_of(plenary: Plenary) -> list:
    """What stands in the way: the candidates' findings, and once counted, the result's."""
    seats = {o["id"]: o["seats"] for o in plenary.offices}
    found = rules.check_candidates(_people(plenary), seats, _choices(plenary))
    result = result_of(plenary)
    if result is not None:
        found += rules.check_result(result)
    return found


def _message(findings) -> str:
    return "；".join(localized(f.message_zh, f.message_en) for f in findings)


def _snapshot(plenary: Plenary) -> dict:
    return {
        "state": plenary.state,
        "held_on": plenary.held_on.isoformat(),
        "present": plenary.present,
        "candidates": [[c["office"], c["name"]] for c in plenary.candidates],
        "counts": plenary.counts,
        "ballots_issued": plenary.ballots_issued,
        "ballots_returned": plenary.ballots_returned,
        "elected": elected_of(plenary) if plenary.result else None,
        "reported_on": plenary.reported_on.isoformat() if plenary.reported_on else None,
        "approved_on": plenary.approved_on.isoformat() if plenary.approved_on else None,
        "approved_by": plenary.approved_by,
        "approval_reference": plenary.approval_reference,
    }


def _record(user, action: str, plenary: Plenary, before: dict | None) -> None:
    record(
        user,
        action,
        plenary,
        before=before,
        after=_snapshot(plenary),
        place=plenary.election.place,
    )


def _not_future(day: date, today: date | None) -> None:
    if day > (today or timezone.localdate()):
        raise RuleViolation(_("%(day)s is in the future.") % {"day": day.isoformat()})


def _locked(plenary: Plenary, state=Plenary.State.OPEN) -> Plenary:
    plenary = (
        Plenary.objects.select_for_update().select_related("election__place").get(pk=plenary.pk)
    )
    if plenary.state != state:
        if plenary.state == Plenary.State.APPROVED:
            raise RuleViolation(_("The results of this plenary are approved; they do not change."))
        if plenary.state == Plenary.State.REPORTED:
            raise RuleViolation(
                _("The results are reported for approval: withdraw the report to change them.")
            )
        raise RuleViolation(_("The results of this plenary are not reported for approval yet."))
    return plenary


# The plenary


def _whole(value, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RuleViolation(_("%(what)s must be a whole number.") % {"what": what})
    if value < 0:
        raise RuleViolation(_("%(what)s cannot be negative.") % {"what": what})
    return value


def _check_present(present, size: int) -> int:
    present = _whole(present, _("Members present"))
    if present > size:
        raise RuleViolation(
            _("%(present)d members present, but the committee has %(size)d.")
            % {"present": present, "size": size}
        )
    return present


def _resolve(committee: Sequence[dict], who) -> dict | None:
    """The committee member ``who`` names: a plenary id, a Member pk or a name."""
    if isinstance(who, int) and not isinstance(who, bool):
        who = member_key(who)
    who = str(who).strip()
    for c in committee:
        if who in (c["id"], str(c["member"])):
            return c
    found = [c for c in committee if c["name"] == who]
    return found[0] if len(found) == 1 else None


def _candidates(
    committee: Sequence[dict], offices: Sequence[dict], chosen: Mapping[str, Sequence]
) -> list[dict]:
    """The candidates as stored, office by office; someone outside the committee is
    refused by name."""
    seats = {o["id"]: o["seats"] for o in offices}
    rows = []
    for office, people in chosen.items():
        if office not in seats:
            raise RuleViolation(_("The plenary does not elect a %(office)s.") % {"office": office})
        for who in people:
            person = _resolve(committee, who)
            if person is None:
                raise RuleViolation(
                    _(
                        "%(who)s is not a member of the new committee and cannot stand "
                        "for %(office)s."
                    )
                    % {"who": who, "office": _title(office, offices)}
                )
            rows.append(
                {"id": person["id"], "name": person["name"], "office": office, "sex": person["sex"]}
            )
    found = rules.check_candidates(
        tuple(rules.CommitteeMember(c["id"], c["name"], c["sex"]) for c in committee),
        seats,
        tuple(rules.Choice(r["id"], r["office"], r["name"]) for r in rows),
    )
    errors = [f for f in found if f.is_error and f.code != "plenary.no_candidate"]
    if errors:
        raise RuleViolation(_message(errors))
    return rows


def _title(office: str, offices: Sequence[dict]) -> str:
    return next((o["title"] for o in offices if o["id"] == office), office)


def recommended(election, committee: Sequence[dict]) -> dict[str, list[int]]:
    """The default candidates: the committee members recommended (两推一选) for 书记 and
    副书记 (DOMAIN §5.1)."""
    chosen: dict[str, list[int]] = {key: [] for key in OFFICE_KEYS}
    by_winner = {c["winner"]: c for c in committee}
    for winner in outcomes.election_state(election).winners:
        person = by_winner.get(winner.pk)
        if person and winner.candidate_id and winner.candidate.office in chosen:
            chosen[winner.candidate.office].append(person["member"])
    return chosen


@transaction.atomic
def open_plenary(
    user,
    election,
    *,
    held_on: date,
    present: int,
    candidates: Mapping[str, Sequence] | None = None,
    today: date | None = None,
) -> Plenary:
    """Open the first plenary of the committee the members' meeting elected, with the
    members ``present`` and the candidates per office (the recommended ones by
    default). Refused before the meeting has filled the committee, before its day, in
    the future, and while another plenary of the election is open, reported or
    approved."""
    permissions.require(user, permissions.RUN_PARTY, election.place)
    _require_party(election)
    committee = committee_of(election)
    _not_future(held_on, today)
    day = meeting_day(election)
    if day and held_on < day:
        raise RuleViolation(
            _("The plenary cannot come before the members' meeting of %(day)s.")
            % {"day": day.isoformat()}
        )
    earlier = current(election)
    if earlier is not None:
        raise RuleViolation(
            _("This election has a plenary already (%(state)s).")
            % {"state": earlier.get_state_display()}
        )
    present = _check_present(present, len(committee))
    offices = [
        {"id": o.id, "title": o.title, "seats": o.seats}
        for o in rules.offices(deputies_of(election))
    ]
    if candidates is None:
        candidates = recommended(election, committee)
    plenary = Plenary.objects.create(
        election=election,
        held_on=held_on,
        committee=committee,
        present=present,
        offices=offices,
        candidates=_candidates(committee, offices, candidates),
        user=user,
    )
    _record(user, "party.plenary_opened", plenary, None)
    return plenary


@transaction.atomic
def set_candidates(
    user, plenary: Plenary, chosen: Mapping[str, Sequence], present: int | None = None
) -> Plenary:
    """Change the candidates (and the members present) of an open plenary; the votes
    entered before are kept, their result counted again."""
    permissions.require(user, permissions.RUN_PARTY, plenary.election.place)
    plenary = _locked(plenary)
    before = _snapshot(plenary)
    plenary.candidates = _candidates(plenary.committee, plenary.offices, chosen)
    if present is not None:
        plenary.present = _check_present(present, len(plenary.committee))
    if plenary.ballots_issued is not None:
        plenary.result = _count(plenary).as_json()
    plenary.save()
    _record(user, "party.plenary_candidates", plenary, before)
    return plenary


def _clean_counts(plenary: Plenary, counts) -> dict[str, dict[str, int]]:
    """Office → committee member id → votes, from ids, Member pks or names; ``invalid``
    for the invalid ballots of the office."""
    if not isinstance(counts, Mapping):
        raise RuleViolation(_("Votes are an object of offices."))
    titles = {o["id"]: o["title"] for o in plenary.offices}
    clean = {}
    for office, given in counts.items():
        if office not in titles:
            raise RuleViolation(_("Unknown office: %(office)s") % {"office": office})
        if not isinstance(given, Mapping):
            raise RuleViolation(
                _("%(office)s: votes are person → votes.") % {"office": titles[office]}
            )
        votes: dict[str, int] = {}
        for who, n in given.items():
            if who == tally.INVALID:
                key, what = tally.INVALID, _("%(office)s, invalid") % {"office": titles[office]}
            else:
                person = _resolve(plenary.committee, who)
                if person is None:
                    raise RuleViolation(
                        _(
                            "%(office)s: %(who)s is not a member of the new committee; "
                            "their votes cannot count."
                        )
                        % {"office": titles[office], "who": who}
                    )
                key, what = person["id"], f"{titles[office]}, {person['name']}"
            if key in votes:
                raise RuleViolation(_("%(what)s is given twice.") % {"what": what})
            votes[key] = _whole(n, what)
        clean[office] = votes
    return clean


def _count(plenary: Plenary) -> tally.Result:
    try:
        return rules.count(
            _people(plenary),
            plenary.present,
            _deputies(plenary),
            _choices(plenary),
            plenary.counts,
            plenary.ballots_issued,
            plenary.ballots_returned,
            _profile(plenary),
        )
    except ValueError:
        problems = rules.check_candidates(
            _people(plenary), {o["id"]: o["seats"] for o in plenary.offices}, _choices(plenary)
        ) + rules.check_counts(_people(plenary), plenary.counts, plenary.ballots_returned)
        raise RuleViolation(_message([f for f in problems if f.is_error])) from None


@transaction.atomic
def enter_votes(
    user,
    plenary: Plenary,
    *,
    counts,
    ballots_issued: int | None = None,
    ballots_returned: int | None = None,
    present: int | None = None,
) -> Plenary:
    """Enter the tally sheet of the plenary — office → person → votes — with the
    ballots issued (the members present by default) and returned (all of them by
    default), and count it with the rules core; the result is kept (and
    :func:`result_of` gives it with its reasons). Entering again
    replaces the votes (a second round after a seat stayed open)."""
    permissions.require(user, permissions.RUN_PARTY, plenary.election.place)
    plenary = _locked(plenary)
    before = _snapshot(plenary)
    if present is not None:
        plenary.present = _check_present(present, len(plenary.committee))
    issued = plenary.present if ballots_issued is None else ballots_issued
    issued = _whole(issued, _("Ballots issued"))
    returned = issued if ballots_returned is None else ballots_returned
    plenary.ballots_returned = _whole(returned, _("Ballots returned"))
    plenary.ballots_issued = issued
    plenary.counts = _clean_counts(plenary, counts)
    plenary.result = _count(plenary).as_json()
    plenary.save()
    _record(user, "party.plenary_votes", plenary, before)
    return plenary


@transaction.atomic
def cancel(user, plenary: Plenary) -> None:
    """Take back an open plenary (opened by mistake, or adjourned without quorum, to
    be held another day); the record keeps what it was."""
    permissions.require(user, permissions.RUN_PARTY, plenary.election.place)
    plenary = _locked(plenary)
    record(
        user,
        "party.plenary_cancelled",
        plenary,
        before=_snapshot(plenary),
        after=None,
        place=plenary.election.place,
    )
    plenary.delete()


# The report and the approval


@transaction.atomic
def report(user, plenary: Plenary, *, reported_on: date, today: date | None = None) -> Plenary:
    """Report the results to the upper level for approval (DOMAIN §8): refused until
    the vote is valid and every seat filled."""
    permissions.require(user, permissions.RUN_PARTY, plenary.election.place)
    plenary = _locked(plenary)
    _not_future(reported_on, today)
    if reported_on < plenary.held_on:
        raise RuleViolation(_("The report cannot come before the plenary."))
    if plenary.result is None:
        raise RuleViolation(_("Enter the votes of the plenary first."))
    problems = [f for f in findings_of(plenary) if f.is_error]
    if problems:
        raise RuleViolation(_message(problems))
    before = _snapshot(plenary)
    plenary.state = Plenary.State.REPORTED
    plenary.reported_on = reported_on
    plenary.save(update_fields=["state", "reported_on"])
    _record(user, "party.plenary_reported", plenary, before)
    election = plenary.election
    sign_off_when_ready(
        user, election.cycle, election.place, {"party_first_plenary": plenary.held_on}
    )
    return plenary


@transaction.atomic
def withdraw_report(user, plenary: Plenary) -> Plenary:
    """Take back a report not yet approved: the plenary is open again."""
    permissions.require(user, permissions.RUN_PARTY, plenary.election.place)
    plenary = _locked(plenary, Plenary.State.REPORTED)
    before = _snapshot(plenary)
    plenary.state = Plenary.State.OPEN
    plenary.reported_on = None
    plenary.save(update_fields=["state", "reported_on"])
    _record(user, "party.plenary_report_withdrawn", plenary, before)
    return plenary


def office_of(plenary: Plenary, member_id: str) -> str:
    """The office the plenary gives a committee member: 书记, 副书记 or 委员."""
    for office in (plenary.result or {}).get("offices", ()):
        if member_id in office["elected"]:
            return office["id"]
    return MEMBER.key


@transaction.atomic
def approve(
    user,
    plenary: Plenary,
    *,
    approved_on: date,
    approved_by: str,
    reference: str = "",
    today: date | None = None,
) -> list[Seat]:
    """Record the upper level's approval (批复) of the reported results: from
    ``approved_on`` the new committee is in office — a seat for each member (书记,
    副书记, 委员) — and the seats of the committee before end that day."""
    permissions.require(user, permissions.APPROVE_PARTY, plenary.election.place)
    plenary = _locked(plenary, Plenary.State.REPORTED)
    _not_future(approved_on, today)
    if approved_on < plenary.reported_on:
        raise RuleViolation(_("The approval cannot come before the report."))
    approved_by = (approved_by or "").strip()
    if not approved_by:
        raise RuleViolation(_("Name the party organisation that approved (批复) the results."))
    place = plenary.election.place
    organisation = organisation_of(plenary.election)
    if organisation is None:
        raise RuleViolation(_("%(place)s has no party organisation.") % {"place": place})
    previous = list(Seat.objects.filter(organisation=organisation, until__isnull=True))
    late = [s for s in previous if s.since > approved_on]
    if late:
        raise RuleViolation(
            _("The committee in office took office on %(day)s, after this approval.")
            % {"day": late[0].since.isoformat()}
        )
    before = _snapshot(plenary)
    plenary.state = Plenary.State.APPROVED
    plenary.approved_on = approved_on
    plenary.approved_by = approved_by
    plenary.approval_reference = (reference or "").strip()
    plenary.save()
    Seat.objects.filter(pk__in=[s.pk for s in previous]).update(until=approved_on)
    seats = [
        Seat.objects.create(
            organisation=organisation,
            member_id=person["member"],
            office=office_of(plenary, person["id"]),
            since=approved_on,
            plenary=plenary,
        )
        for person in _by_rank(plenary)
    ]
    record(
        user,
        "party.plenary_approved",
        plenary,
        before=before,
        after=_snapshot(plenary)
        | {
            "seats": [[s.office, s.member.resident.name] for s in seats],
            "ended": [[s.office, s.member_id] for s in previous],
        },
        place=place,
    )
    election = plenary.election
    sign_off_when_ready(user, election.cycle, place, {"party_results_approval": approved_on})
    return seats


_RANK = {SECRETARY.key: 0, DEPUTY_SECRETARY.key: 1, MEMBER.key: 2}


def _by_rank(plenary: Plenary) -> list[dict]:
    """The committee, 书记 first, then 副书记, then the members (each in 笔画 order)."""
    return sorted(plenary.committee, key=lambda c: _RANK[office_of(plenary, c["id"])])


# The printed report (基层党组织选举书记、副书记结果的报告)

MARGIN = 25 * mm
TITLE_SIZE = 20
TEXT_SIZE = 14
FOOTER_SIZE = 9
INDENT = "\u3000\u3000"


class _Report(PageFlow):
    leading = 1.8

    def __init__(self, title):
        self.document_title = title
        super().__init__(A4, MARGIN, FOOTER_SIZE)

    def paragraph(self, text, size=TEXT_SIZE, *, indent=True):
        for line in wrap((INDENT if indent else "") + text, fonts.CJK, size, self.width):
            self.line(line, size)

    def columns(self, cells, fractions, size=TEXT_SIZE, *, bold=False):
        """One row of a table without rules: each cell at its column's left."""
        self.make_room(size * self.leading)
        x = self.left + 2 * size
        width = self.width - 2 * size
        baseline = self.y - size * self.leading / 2 - 0.38 * size
        for cell, fraction in zip(cells, fractions, strict=True):
            self.pages[-1].append(("text", x, baseline, cell, size, "left", bold))
            x += fraction * width
        self.y -= size * self.leading
        self.empty = False


def report_pdf(plenary: Plenary) -> bytes:
    """The report of the results to the upper level (关于选举书记、副书记结果的报告):
    the committee elected by the members' meeting, the plenary's figures, every
    candidate's votes, who was elected, and the request for approval; signed by the
    organisation and dated the day reported (the plenary's day until then)."""
    if plenary.result is None:
        raise RuleViolation(_("Enter the votes of the plenary first."))
    election = plenary.election
    place = election.place
    organisation = organisation_of(plenary.election)
    org_name = organisation.name if organisation else f"{place.name}党组织"
    title = f"关于{org_name}选举书记、副书记结果的报告"
    upper = f"{place.parent.name}党（工）委" if place.parent else "上级党组织"
    fonts.register()
    layout = _Report(title)
    for line in wrap(title, fonts.CJK, TITLE_SIZE, layout.width):
        layout.line(line, TITLE_SIZE, align="centre", bold=True)
    layout.gap(TEXT_SIZE)
    layout.paragraph(f"{upper}：", indent=False)
    members = "、".join(c["name"] for c in plenary.committee)
    day = meeting_day(election)
    layout.paragraph(
        (f"{org_name}于{chinese_date(day)}召开党员大会，" if day else f"{org_name}召开党员大会，")
        + f"选举产生新一届委员会委员{len(plenary.committee)}名（按姓氏笔画为序）：{members}。"
    )
    result = plenary.result
    layout.paragraph(
        f"{chinese_date(plenary.held_on)}，新一届委员会召开第一次全体会议，"
        f"应到会委员{len(plenary.committee)}名，实到会{plenary.present}名，"
        f"发出选票{plenary.ballots_issued}张，收回选票{plenary.ballots_returned}张，"
        + ("选举有效。" if result["valid"] else "选举无效。")
        + "各职务得票情况如下："
    )
    names_ = {c["id"]: c["name"] for c in plenary.committee}
    fractions = (0.3, 0.3, 0.2, 0.2)
    layout.gap(TEXT_SIZE * 0.3)
    layout.columns(("职务", "姓名", "得票数", "结果"), fractions, bold=True)
    titles = {o["id"]: o["title"] for o in plenary.offices}
    for office in result["offices"]:
        elected = set(office["elected"])
        for n, vote in enumerate(office["votes"]):
            layout.columns(
                (
                    titles.get(office["id"], office["id"]) if n == 0 else "",
                    names_.get(vote["who"], vote["name"]),
                    f"{vote['votes']}票",
                    "当选" if vote["who"] in elected else "",
                ),
                fractions,
            )
    layout.gap(TEXT_SIZE * 0.3)
    won = elected_of(plenary)
    sentences = [
        f"{'、'.join(won.get(o['id'], [])) or '无人'}当选为{o['title']}" for o in plenary.offices
    ]
    layout.paragraph(f"当选最低票数为{_threshold(plenary)}票。" + "，".join(sentences) + "。")
    layout.paragraph("现将选举结果报上，请予批复。")
    layout.gap(TEXT_SIZE * 1.5)
    layout.make_room(3 * TEXT_SIZE * layout.leading)
    layout.line(f"中共{org_name}（盖章）", TEXT_SIZE, align="right", indent=2 * TEXT_SIZE)
    layout.line(
        chinese_date(plenary.reported_on or plenary.held_on),
        TEXT_SIZE,
        align="right",
        indent=2 * TEXT_SIZE,
    )
    return layout.render(title, org_name)


def _threshold(plenary: Plenary) -> int:
    offices = (plenary.result or {}).get("offices", ())
    return offices[0]["threshold"] if offices else 0
