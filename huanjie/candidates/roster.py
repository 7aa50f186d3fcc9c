"""The candidates of a place and what the rules say about them.

Every rule is the rules core's: this module only gathers what the rules need — the
candidates still standing in all of the place's elections (avoidance runs across the
committee, the party committee and the supervision committee), the seats of each
election, the family ties of the people concerned — and hands the findings back,
sorted by the election they concern. Views and the API show these findings; the
services that post the formal list refuse while any error concerns the election.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q
from django.utils.translation import gettext as _

from huanjie.candidates.models import Candidate, Department, Notice, Recommendation, Verdict
from huanjie.cycles.models import Election
from huanjie.cycles.profiles import effective_profile
from huanjie.cycles.services import RuleViolation
from huanjie.rules import negative_list, slate
from huanjie.rules.findings import Finding
from huanjie.rules.kinship import Family
from huanjie.rules.seats import OFFICES, Body
from huanjie.voters.models import Relation

#: Statuses of a candidate still in the race (a person only recommended is not yet a
#: candidate: the township committee chooses among the recommended).
STANDING = (Candidate.Status.NOMINEE, Candidate.Status.FORMAL)


def standing(election) -> list[Candidate]:
    """The election's candidates still in the race, office by office, most votes first."""
    ranks = {o.key: i for i, o in enumerate(OFFICES[Body(election.body)])}
    found = Candidate.objects.filter(election=election, status__in=STANDING).select_related(
        "resident"
    )
    return sorted(found, key=lambda c: (ranks.get(c.office, 99), -c.votes, c.id))


def seats_of(election) -> dict[str, int]:
    return {o.key: o.seats for o in election.offices.all()}


def office_title(election, key: str) -> str:
    for office in OFFICES[Body(election.body)]:
        if office.key == key:
            return office.title_zh
    return key


def formal_notice(election) -> Notice | None:
    """The posted formal list of a 居/村委会 election, or for a party election the
    approval of its candidates — after either, no candidate may leave or be added."""
    return Notice.objects.filter(election=election, kind=Notice.Kind.FORMAL).first()


def is_final(election) -> bool:
    if election.body == Body.PARTY_COMMITTEE:
        return Recommendation.objects.filter(election=election, approved_on__isnull=False).exists()
    return formal_notice(election) is not None


def require_open(election) -> None:
    """Refuse a change of candidates once the list is final (DOMAIN §3: after the
    formal candidates are published no withdrawal is accepted)."""
    if is_final(election):
        raise RuleViolation(
            _(
                "The candidates of %(election)s are final: after the formal list is "
                "published no candidate is added, replaced or withdrawn (DOMAIN §3)."
            )
            % {"election": election}
        )


def departments(cycle) -> list[Department]:
    return list(Department.objects.filter(cycle=cycle))


def reviews(candidates: Iterable[Candidate], cycle) -> dict[int, negative_list.Review]:
    """The state of the joint review of each candidate (candidate id → Review)."""
    ids = [c.id for c in candidates]
    verdicts = [
        negative_list.Verdict(v.candidate_id, v.department_id, v.outcome, tuple(v.items), v.note)
        for v in Verdict.objects.filter(candidate_id__in=ids)
    ]
    wanted = [d.id for d in departments(cycle)]
    return {r.candidate: r for r in negative_list.review(ids, wanted, verdicts)}


def as_rule(candidate: Candidate) -> slate.Candidate:
    resident = candidate.resident
    return slate.Candidate(
        id=candidate.id,
        person=resident.id,
        name=resident.name,
        sex=resident.sex,
        birth_date=resident.birth_date,
        body=Body(candidate.election.body),
        office=candidate.office,
        education=resident.education,
        continuing=candidate.continuing,
        is_committee_member=candidate.on_election_committee,
    )


def family_of(people: Iterable[int]) -> Family:
    """The recorded ties that touch ``people`` and their parents and children: enough
    to find every relation of DOMAIN §5.3 (grandparents are parents of parents)."""
    people = set(people)
    reach = set(people)
    for _generation in range(2):  # two generations each way
        ties = Relation.objects.filter(Q(person_id__in=reach) | Q(relative_id__in=reach))
        pairs = list(ties.values_list("person_id", "relative_id", "kind"))
        reach |= {p for p, _r, _k in pairs} | {r for _p, r, _k in pairs}
    return Family(pairs)


def place_elections(cycle, place) -> list[Election]:
    bodies = (
        Body.VILLAGERS_COMMITTEE,
        Body.RESIDENTS_COMMITTEE,
        Body.PARTY_COMMITTEE,
        Body.SUPERVISION_COMMITTEE,
    )
    return list(
        Election.objects.filter(cycle=cycle, place=place, body__in=bodies).prefetch_related(
            "offices"
        )
    )


def slate_findings(cycle, place) -> list[Finding]:
    """Every slate rule over the candidates of the place's elections (DOMAIN §5.3), and
    the joint reviews still awaited (§5.2). An election without candidates yet is left
    out of the surplus and women rules: there is nothing to check until it has some."""
    elections = place_elections(cycle, place)
    candidates = [c for e in elections for c in standing(e)]
    for candidate in candidates:
        candidate.election = next(e for e in elections if e.id == candidate.election_id)
    layout = {
        Body(e.body): seats_of(e)
        for e in elections
        if any(c.election_id == e.id for c in candidates)
    }
    committee = next(
        (e for e in elections if e.body in (Body.VILLAGERS_COMMITTEE, Body.RESIDENTS_COMMITTEE)),
        None,
    )
    day = (committee and committee.election_day) or next(
        (e.election_day for e in elections if e.election_day), None
    )
    rules = [as_rule(c) for c in candidates]
    findings = []
    if day is not None:
        profile = effective_profile(cycle, place)
        ties = family_of(c.person for c in rules)
        findings = slate.check_slate(rules, layout, profile, day, ties)
    awaiting = [c for c in candidates if c.status != Candidate.Status.FORMAL]
    if awaiting:
        findings += negative_list.check_departments(departments(cycle))
    findings += negative_list.check_reviews(reviews(awaiting, cycle).values())
    return findings


def concerns(finding: Finding, election, candidate_ids: set[int]) -> bool:
    """Whether a finding is about ``election``: its body, or one of its candidates."""
    params = finding.params
    if params.get("body") == election.body:
        return True
    named = set(params.get("candidates", ())) | {params.get("candidate")}
    return bool(named & candidate_ids)


def election_findings(election, findings: list[Finding] | None = None) -> list[Finding]:
    """The place's findings that concern ``election``, with the structure targets
    (which concern the two committees as a whole)."""
    if findings is None:
        findings = slate_findings(election.cycle, election.place)
    ids = set(Candidate.objects.filter(election=election).values_list("id", flat=True))
    return [f for f in findings if concerns(f, election, ids) or is_general(f)]


def is_general(finding: Finding) -> bool:
    """A finding about the place's slate as a whole (the young cadre, the women's
    share), not about one body or candidate."""
    return not any(key in finding.params for key in ("body", "candidate", "candidates"))
