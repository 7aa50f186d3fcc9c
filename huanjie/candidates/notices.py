"""The notices of an election's candidates, posted and kept as PDFs (DOMAIN §3, §5):

* the nomination result (提名结果公告), posted the day of the count with the votes;
* the public notice of the party committee's candidates (公示), for 5 days;
* the formal candidates (正式候选人公告), at least 7 days before D, names in 姓氏笔画
  order — after it no candidate leaves or is added;
* the candidate introduction sheet (候选人简介) and the commitment letters (承诺书),
  printed on demand.

The rules decide when a notice may go up; this module decides what it says, in the
seed's wording, and hands the layout to :mod:`huanjie.documents`.
"""

from __future__ import annotations

from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huanjie.accounts import permissions
from huanjie.audit.trail import record
from huanjie.candidates import nomination, recommendation, roster
from huanjie.candidates.models import Candidate, Notice
from huanjie.cycles.profiles import effective_profile
from huanjie.cycles.services import RuleViolation
from huanjie.cycles.timeline import localized
from huanjie.documents import candidates as sheets
from huanjie.documents.dates import chinese_date
from huanjie.documents.notice import Section, list_notice
from huanjie.party.models import Member
from huanjie.rules import names, timeline
from huanjie.rules.seats import Body
from huanjie.voters.publication import SEX_ZH, committee_of, law_of, not_future, sign_off_steps

EDUCATION_ZH = {
    "postgraduate": "研究生",
    "bachelor": "大学本科",
    "college": "大专",
    "high_school": "高中（中专）",
    "middle_school": "初中及以下",
}
NOMINATION_COLUMNS = ("序号", "姓名", "性别", "得票数")
FORMAL_COLUMNS = ("姓名", "性别", "出生年月", "文化程度", "政治面貌")
PUBLICITY_COLUMNS = ("姓名", "性别", "出生年月", "文化程度", "党员推荐票", "群众推荐票")

#: The timeline steps the formal list completes, each done on its own day: the
#: nomination (the meeting), the review (finished by the posting) and the posting.
FORMAL_STEPS = ("nomination", "qualification_review", "formal_candidates_published")


def issuer_of(election) -> str:
    """Who posts the notices: the election committee, or for the party committee the
    township (street) committee that put the candidates forward."""
    if election.body == Body.PARTY_COMMITTEE:
        township = election.place.township()
        return f"中共{township.name if township else ''}委员会"
    return committee_of(election.place)


def body_title(election) -> str:
    return f"第{election.cycle.term_number}届{Body(election.body).title_zh}"


def in_stroke_order(candidates):
    return sorted(candidates, key=lambda c: names.sort_key(c.resident.name))


def politics(resident_ids) -> dict[int, str]:
    """政治面貌 of each person: 中共党员, 中共预备党员, or 群众."""
    found = dict(
        Member.objects.filter(resident_id__in=resident_ids).values_list("resident_id", "status")
    )
    return {
        r: {"full": "中共党员", "probationary": "中共预备党员"}.get(found.get(r), "群众")
        for r in resident_ids
    }


def month_of(day: date) -> str:
    return f"{day.year}年{day.month}月"


def _by_office(election, candidates) -> list[tuple[str, list[Candidate]]]:
    groups = []
    for office in election.offices.all():
        mine = [c for c in candidates if c.office == office.key]
        if mine:
            groups.append((office, mine))
    return groups


def store(user, election, kind, on: date, people, pdf: bytes, ends_on=None) -> Notice:
    people = [c.resident_id for c in people]
    return Notice.objects.create(
        election=election,
        kind=kind,
        published_on=on,
        ends_on=ends_on,
        names=len(people),
        people=people,
        file=ContentFile(pdf, name=f"{election.place.code}-{election.body}-{kind}-{on:%Y%m%d}.pdf"),
        user=user,
    )


def _record(user, notice, **extra) -> None:
    record(
        user,
        f"candidates.notice_{notice.kind}",
        notice,
        after={
            "election": notice.election_id,
            "published_on": notice.published_on.isoformat(),
            "names": notice.names,
            "file": notice.file.name,
            **extra,
        },
        place=notice.election.place,
    )


def _once(election, kind) -> None:
    if Notice.objects.filter(election=election, kind=kind).exists():
        raise RuleViolation(_("This notice has been posted already."))


# The nomination result


@transaction.atomic
def publish_nomination(user, election, published_on: date, *, today=None) -> Notice:
    """Post the result of the nomination with the votes, the day of the count (DOMAIN
    §5.1). Refused while a re-vote among the tied is due."""
    permissions.require(user, permissions.NOMINATE, election.place)
    meeting = nomination.meeting_of(election)
    if meeting is None or not meeting.counted:
        raise RuleViolation(_("The nomination has not been counted yet."))
    _once(election, Notice.Kind.NOMINATION)
    not_future(published_on, today or timezone.localdate())
    if published_on != meeting.held_on:
        raise RuleViolation(
            _("The nomination result is posted the day of the count, %(day)s (DOMAIN §5.1).")
            % {"day": meeting.held_on.isoformat()}
        )
    waiting = nomination.ties(meeting)
    if waiting:
        raise RuleViolation(_("A re-vote among the tied is due before the result is posted."))
    nominees = [
        c
        for c in Candidate.objects.filter(election=election).select_related("resident")
        if c.source != Candidate.Source.BACKFILL
    ]
    sections = []
    for office, mine in _by_office(election, nominees):
        mine.sort(key=lambda c: (-c.votes, names.sort_key(c.resident.name)))
        rows = [
            (str(i), c.resident.name, SEX_ZH[c.resident.sex], str(c.votes))
            for i, c in enumerate(mine, 1)
        ]
        sections.append(Section(f"{office.title}（应选{office.seats}名）", rows))
    place = election.place
    invalid = sum(meeting.invalid.values())
    pdf = list_notice(
        title=f"{place.name}{body_title(election)}成员候选人提名结果公告",
        preamble=(
            f"根据{law_of(place)}和有关规定，{committee_of(place)}于"
            f"{chinese_date(meeting.held_on)}召开选民会议提名候选人，{meeting.voters}名选民中"
            f"到会{meeting.present}人，超过半数，提名有效。经公开唱票、计票"
            + (f"（无效提名{invalid}份）" if invalid else "")
            + "，按得票多少确定初步候选人如下（按得票多少排列）："
        ),
        sections=sections,
        closing="初步候选人须经资格审查后确定为正式候选人。特此公告。",
        issuer=committee_of(place),
        issued_on=published_on,
        columns=NOMINATION_COLUMNS,
    )
    notice = store(user, election, Notice.Kind.NOMINATION, published_on, nominees, pdf)
    _record(user, notice)
    return notice


# The formal candidates of a 居/村委会


def formal_blockers(election, *, today: date | None = None) -> list[str]:
    """Why the formal list cannot be posted yet, as sentences (empty: it can)."""
    meeting = nomination.meeting_of(election)
    if meeting is None or not meeting.counted:
        return [_("The nomination has not been counted yet.")]
    problems = []
    if nomination.ties(meeting):
        problems.append(_("A re-vote among the tied is due."))
    problems += [
        localized(f.message_zh, f.message_en)
        for f in roster.election_findings(election)
        if f.is_error
    ]
    return problems


def latest_formal_day(election) -> date | None:
    """The last day the formal list may go up: D minus the profile's days (DOMAIN §3)."""
    if election.election_day is None:
        return None
    profile = effective_profile(election.cycle, election.place)
    return timeline.formal_list_deadline(election.election_day, profile)


def formal_sections(election, candidates) -> list[Section]:
    party = politics([c.resident_id for c in candidates])
    sections = []
    for office, mine in _by_office(election, candidates):
        rows = [
            (
                c.resident.name,
                SEX_ZH[c.resident.sex],
                month_of(c.resident.birth_date),
                EDUCATION_ZH.get(c.resident.education, ""),
                party[c.resident_id],
            )
            for c in in_stroke_order(mine)
        ]
        sections.append(
            Section(f"{office.title}候选人（应选{office.seats}名，候选人{len(mine)}名）", rows)
        )
    return sections


@transaction.atomic
def publish_formal(user, election, published_on: date, *, today=None) -> Notice:
    """Post the formal candidates of a 居/村委会 (正式候选人公告).

    Refused for a date in the future or later than ``formal_candidates_days_before``
    days before D, and while anything blocks the list: a re-vote due, a verdict
    missing, a slate error (差额, a woman, 任职回避, an election committee member). The
    nominees become formal candidates; the timeline's nomination, review and posting
    steps are signed off.
    """
    permissions.require(user, permissions.NOMINATE, election.place)
    if election.body == Body.PARTY_COMMITTEE:
        raise RuleViolation(_("The party committee's candidates are approved, not posted."))
    today = today or timezone.localdate()
    roster.require_open(election)
    not_future(published_on, today)
    latest = latest_formal_day(election)
    if latest is None:
        raise RuleViolation(_("Set the election day first."))
    if published_on > latest:
        profile = effective_profile(election.cycle, election.place)
        raise RuleViolation(
            _(
                "The formal candidates must be published at least %(days)d days before "
                "election day %(d)s (DOMAIN §3): the latest allowed date is %(latest)s."
            )
            % {
                "days": profile.formal_candidates_days_before,
                "d": election.election_day.isoformat(),
                "latest": latest.isoformat(),
            }
        )
    problems = formal_blockers(election)
    if problems:
        raise RuleViolation("；".join(problems))
    meeting = nomination.meeting_of(election)
    sign_off_steps(
        user,
        election.cycle,
        election.place,
        {
            "nomination": meeting.held_on,
            "qualification_review": published_on,
            "formal_candidates_published": published_on,
        },
    )
    candidates = roster.standing(election)
    pdf = formal_pdf(election, candidates, published_on)
    Candidate.objects.filter(id__in=[c.id for c in candidates]).update(
        status=Candidate.Status.FORMAL
    )
    notice = store(user, election, Notice.Kind.FORMAL, published_on, candidates, pdf)
    _record(user, notice, candidates=[c.resident_id for c in candidates])
    return notice


def formal_pdf(election, candidates, published_on: date) -> bytes:
    """The formal candidates notice (正式候选人公告) of ``candidates``."""
    place = election.place
    return list_notice(
        title=f"{place.name}{body_title(election)}成员正式候选人公告",
        preamble=(
            f"根据{law_of(place)}和有关规定，经选民提名、资格审查，{committee_of(place)}"
            f"确定{place.name}{body_title(election)}成员正式候选人如下（按姓氏笔画排列）。"
            f"选举日定于{chinese_date(election.election_day)}。"
        ),
        sections=formal_sections(election, candidates),
        closing="特此公告。",
        issuer=committee_of(place),
        issued_on=published_on,
        columns=FORMAL_COLUMNS,
    )


# The public notice (公示) of the party committee's candidates


@transaction.atomic
def publish_publicity(user, election, published_on: date, *, today=None) -> Notice:
    """Post the party committee's candidates for the profile's days (公示, DOMAIN §5.1):
    once the township has put them forward, each inspected and cleared by every
    department, and the slate rules are met."""
    permissions.require(user, permissions.EDIT_ELECTIONS, election.place)
    _once(election, Notice.Kind.PUBLICITY)
    not_future(published_on, today or timezone.localdate())
    problems = recommendation.ready_for_publicity(election)
    if problems:
        raise RuleViolation("；".join(problems))
    if published_on < recommendation.require(election).township_decided_on:
        raise RuleViolation(_("The public notice comes after the township's decision."))
    candidates = roster.standing(election)
    ends_on = recommendation.publicity_ends(published_on, election)
    rows = [
        (
            c.resident.name,
            SEX_ZH[c.resident.sex],
            month_of(c.resident.birth_date),
            EDUCATION_ZH.get(c.resident.education, ""),
            str(c.member_votes),
            str(c.public_votes),
        )
        for c in in_stroke_order(candidates)
    ]
    seats = sum(roster.seats_of(election).values())
    place = election.place
    issuer = issuer_of(election)
    pdf = list_notice(
        title=f"{place.name}党组织{body_title(election)}委员候选人预备人选公示",
        preamble=(
            f"经党员推荐和群众推荐、{issuer}研究，并经资格联审和组织考察，确定{place.name}"
            f"党组织新一届委员会委员候选人预备人选{len(candidates)}名（应选{seats}名），"
            f"现予公示（按姓氏笔画排列）。公示时间为{chinese_date(published_on)}至"
            f"{chinese_date(ends_on)}。公示期间，党员群众可通过来信、来电、来访等方式"
            "反映情况和问题。"
        ),
        sections=[Section(f"委员候选人预备人选（{len(candidates)}名）", rows)],
        closing="特此公示。",
        issuer=issuer,
        issued_on=published_on,
        columns=PUBLICITY_COLUMNS,
    )
    notice = store(user, election, Notice.Kind.PUBLICITY, published_on, candidates, pdf, ends_on)
    _record(user, notice, ends_on=ends_on.isoformat())
    return notice


# Printed on demand


def introduction_pdf(election) -> bytes:
    """The candidate introduction sheet (候选人简介), offices in order, names in stroke
    order."""
    candidates = roster.standing(election)
    party = politics([c.resident_id for c in candidates])
    sections = []
    for office, mine in _by_office(election, candidates):
        sections.append(
            sheets.IntroSection(
                f"{office.title}候选人（{len(mine)}名）",
                [
                    sheets.IntroCandidate(
                        c.resident.name,
                        (
                            ("性别", SEX_ZH[c.resident.sex]),
                            ("出生年月", month_of(c.resident.birth_date)),
                            ("文化程度", EDUCATION_ZH.get(c.resident.education, "")),
                            ("政治面貌", party[c.resident_id]),
                        ),
                        c.introduction,
                    )
                    for c in in_stroke_order(mine)
                ],
            )
        )
    place = election.place
    return sheets.introduction_sheet(
        title=f"{place.name}{body_title(election)}成员候选人简介",
        sections=sections,
        issuer=issuer_of(election),
        issued_on=timezone.localdate(),
    )


def commitment_pdf(election) -> bytes:
    """A commitment letter (承诺书) to sign for each standing candidate."""
    candidates = roster.standing(election)
    title = body_title(election)
    return sheets.commitment_letters(
        [
            sheets.Commitment(
                name=c.resident.name,
                place=election.place.name,
                candidacy=f"{title}{roster.office_title(election, c.office)}",
                pledges=sheets.PLEDGES,
                issuer=issuer_of(election),
            )
            for c in in_stroke_order(candidates)
        ]
    )
