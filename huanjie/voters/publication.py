"""Posting notices of a community's roll (张榜公布, DOMAIN §3–4): the voter list, the
decisions on objections, and the names registered on election day (补登).

The law dates everything from the posting of the list: it must go up at least
``voter_list_days_before`` days before D, and the objection window runs from the day it
went up. So the list is posted once, on a date checked against the rule profile, and
kept as the PDF that was posted; after that the roll changes only by objections and
supplementary registration, each of which is posted in turn. The PDFs are made by
:mod:`huanjie.documents.notice`; this module decides what they say.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huanjie.accounts import permissions
from huanjie.audit.trail import record
from huanjie.cycles import services
from huanjie.cycles.models import Step, StepStatus
from huanjie.cycles.profiles import effective_profile
from huanjie.cycles.services import RuleViolation
from huanjie.documents.dates import chinese_date
from huanjie.documents.notice import Section, list_notice
from huanjie.places.models import Kind
from huanjie.rules import objections
from huanjie.rules.identity import mask_id
from huanjie.voters import rolls
from huanjie.voters.models import Conflict, Objection, Publication, Voter

#: Columns of the posted voter list.
LIST_COLUMNS = ("编号", "姓名", "性别", "身份证号码", "类别")
#: Columns of the posted supplementary list.
SUPPLEMENTARY_COLUMNS = ("编号", "姓名", "性别", "身份证号码", "村（居）民小组")
#: Columns of the posted decisions on objections.
DECISION_COLUMNS = ("序号", "姓名", "身份证号码", "申诉事项", "处理结果")

SHORT_NOTICE_COLUMNS = {
    Publication.Kind.DECISIONS: DECISION_COLUMNS,
    Publication.Kind.SUPPLEMENTARY: SUPPLEMENTARY_COLUMNS,
}

#: What each kind of notice is called on paper (and in the name of its file).
TITLE_ZH = {
    Publication.Kind.VOTER_LIST: "选民名单公告",
    Publication.Kind.DECISIONS: "选民名单申诉处理结果公告",
    Publication.Kind.SUPPLEMENTARY: "补登选民名单",
}

#: Heading of the voters who belong to no 小组.
NO_GROUP = "其他"

SEX_ZH = {"M": "男", "F": "女"}

#: The timeline steps a posting of the list signs off, in order: the registration that
#: it closes, then the posting itself (huanjie.rules.timeline).
LIST_STEPS = ("voter_registration", "voter_list_published")


# What a notice needs to know of its place


def is_village(place) -> bool:
    return place.kind == Kind.VILLAGE


def committee_of(place) -> str:
    """The issuer of the place's notices: 金茶村村民选举委员会, 松雅社区居民选举委员会."""
    return f"{place.name}{'村民' if is_village(place) else '居民'}选举委员会"


def here(place) -> str:
    """How a notice names its own place: 本村 or 本社区."""
    return "本村" if is_village(place) else "本社区"


def body_of(place) -> str:
    return "村民委员会" if is_village(place) else "居民委员会"


def law_of(place) -> str:
    if is_village(place):
        return "《中华人民共和国村民委员会组织法》"
    return "《中华人民共和国城市居民委员会组织法》"


# The state of a place's roll


def election_day(cycle, place) -> date:
    """D of the place, or a refusal saying it must be set first."""
    day = rolls.day_of(cycle, place)
    if day is None:
        raise RuleViolation(
            _(
                "Set the election day of %(place)s first: every date of the voter list is "
                "counted from it (DOMAIN §3)."
            )
            % {"place": place.name}
        )
    return day


def listed(cycle, place):
    """The lines of the place's roll that are on the list now, in number order."""
    return Voter.objects.filter(cycle=cycle, place=place, status=Voter.Status.LISTED).order_by(
        "number"
    )


def voter_list(cycle, place) -> Publication | None:
    """The posted voter list of the place, if it has been posted."""
    return Publication.objects.filter(
        cycle=cycle, place=place, kind=Publication.Kind.VOTER_LIST
    ).first()


def require_posted(cycle, place) -> Publication:
    posted = voter_list(cycle, place)
    if posted is None:
        raise RuleViolation(
            _("The voter list of %(place)s has not been posted yet (DOMAIN §4).")
            % {"place": place.name}
        )
    return posted


def latest_day(cycle, place) -> date:
    """The last day the list may be posted: D minus the profile's days (DOMAIN §3, §12)."""
    profile = effective_profile(cycle, place)
    return objections.latest_publication(election_day(cycle, place), profile)


def objection_window(cycle, place, posted: Publication) -> objections.Window:
    return objections.objection_window(posted.published_on, effective_profile(cycle, place))


def open_conflicts(cycle, place) -> int:
    """Open conflicts (one person qualifying in several places) that concern the place:
    until the township settles them, nobody knows which list the person belongs on."""
    return sum(
        1
        for options in Conflict.objects.filter(cycle=cycle, status=Conflict.Status.OPEN)
        .values_list("options", flat=True)
        .iterator()
        if any(code == place.code for code, _category in options)
    )


def not_future(day: date, today: date) -> None:
    if day > today:
        raise RuleViolation(
            _("%(day)s is in the future; a notice is recorded on the day it is posted.")
            % {"day": day.isoformat()}
        )


def _store(user, cycle, place, kind, on: date, count: int, pdf: bytes) -> Publication:
    name = f"{place.code}-{kind}-{on:%Y%m%d}.pdf"
    return Publication.objects.create(
        cycle=cycle,
        place=place,
        kind=kind,
        published_on=on,
        voters=count,
        file=ContentFile(pdf, name=name),
        user=user,
    )


def _publication_after(publication: Publication, **extra) -> dict:
    return {
        "cycle": publication.cycle_id,
        "kind": publication.kind,
        "published_on": publication.published_on.isoformat(),
        "names": publication.voters,
        "file": publication.file.name,
        **extra,
    }


# The voter list


@transaction.atomic
def publish_list(user, cycle, place, published_on: date, *, today: date | None = None):
    """Post the place's voter list on ``published_on`` (张榜公布选民名单).

    Refused unless the place has a roll and an election day, the date is not in the
    future and at least ``voter_list_days_before`` days before D (DOMAIN §3–4), no
    conflict about the place is open, and the list has not been posted already — a
    posted list is corrected by objections, never by posting it again. Posting signs
    off the timeline steps "voter registration" (if still open) and "voter list
    published" with the same date, so the steps' own prerequisites (the election
    committee, …) apply too; a refusal there leaves nothing saved.
    """
    permissions.require(user, permissions.REGISTER_VOTERS, place)
    today = today or timezone.localdate()
    posted = voter_list(cycle, place)
    if posted is not None:
        raise RuleViolation(
            _(
                "The voter list of %(place)s was posted on %(day)s; it is posted once and "
                "corrected by objections (申诉) (DOMAIN §4)."
            )
            % {"place": place.name, "day": posted.published_on.isoformat()}
        )
    day = election_day(cycle, place)
    profile = effective_profile(cycle, place)
    voters = list(listed(cycle, place).select_related("group"))
    if not voters:
        raise RuleViolation(
            _("%(place)s has no voters on its roll; build the roll before posting it.")
            % {"place": place.name}
        )
    not_future(published_on, today)
    if not objections.published_in_time(published_on, day, profile):
        raise RuleViolation(
            _(
                "The voter list must be posted at least %(days)d days before election day "
                "%(d)s (DOMAIN §3, §4): the latest allowed date is %(latest)s."
            )
            % {
                "days": profile.voter_list_days_before,
                "d": day.isoformat(),
                "latest": objections.latest_publication(day, profile).isoformat(),
            }
        )
    conflicts = open_conflicts(cycle, place)
    if conflicts:
        raise RuleViolation(
            _(
                "%(n)d conflicts about %(place)s are open; the township decides where these "
                "people are registered before the list is posted (不重登, DOMAIN §4)."
            )
            % {"n": conflicts, "place": place.name}
        )
    sign_off_steps(user, cycle, place, dict.fromkeys(LIST_STEPS, published_on))
    window = objections.objection_window(published_on, profile)
    pdf = list_notice(
        title=f"{place.name}{TITLE_ZH[Publication.Kind.VOTER_LIST]}",
        preamble=list_preamble(place, len(voters), day, window, profile),
        sections=list_sections(voters),
        closing="特此公告。",
        issuer=committee_of(place),
        issued_on=published_on,
        columns=LIST_COLUMNS,
    )
    publication = _store(
        user, cycle, place, Publication.Kind.VOTER_LIST, published_on, len(voters), pdf
    )
    record(
        user,
        "voters.list_published",
        publication,
        after=_publication_after(
            publication,
            election_day=day.isoformat(),
            objections_until=window.last.isoformat(),
        ),
        place=place,
    )
    return publication


def _post_short_notice(user, cycle, place, kind, on: date, preamble, heading, rows):
    """Post a one-section notice (the decisions on objections, the names registered on
    election day): the PDF in the columns of its kind, stored as posted."""
    pdf = list_notice(
        title=f"{place.name}{TITLE_ZH[kind]}",
        preamble=preamble,
        sections=[Section(heading, rows)],
        closing="特此公告。",
        issuer=committee_of(place),
        issued_on=on,
        columns=SHORT_NOTICE_COLUMNS[kind],
    )
    return _store(user, cycle, place, kind, on, len(rows), pdf)


def sign_off_steps(user, cycle, place, done: dict[str, date]) -> None:
    """Sign off the timeline steps that a posting completes, each on its date; a step
    someone already signed off by hand is left as it is."""
    finished = set(
        Step.objects.filter(cycle=cycle, place=place, key__in=done)
        .exclude(status=StepStatus.PENDING)
        .values_list("key", flat=True)
    )
    for key, on in done.items():
        if key not in finished:
            services.sign_off(user, cycle, place, key, done_on=on)


def list_preamble(place, count: int, day: date, window: objections.Window, profile) -> str:
    """The text of the voter list notice, in the wording of the seed's work plan (004):
    who is listed, when the election is, and how and until when to object."""
    return (
        f"根据{law_of(place)}和有关法律法规的规定，经{committee_of(place)}"
        f"登记审核，{here(place)}参加本届{body_of(place)}换届选举的选民共{count}人，"
        f"选举日定于{chinese_date(day)}，现将选民名单予以公布（公民身份号码已作部分隐藏）。\n"
        f"对公布的选民名单有异议的，请自名单公布之日起{profile.objection_days}日内，"
        f"即{chinese_date(window.first)}至{chinese_date(window.last)}，"
        f"向{committee_of(place)}提出申诉；选举委员会自收到申诉之日起"
        f"{profile.objection_decision_days}日内作出处理决定，并予以公布。"
    )


def list_sections(voters) -> list[Section]:
    """One section per 小组 in the order of their codes, voters without a group last
    under "其他"; rows in number order, ID numbers masked."""
    by_group: dict = defaultdict(list)
    for voter in sorted(voters, key=lambda v: v.number):
        by_group[voter.group].append(voter)
    groups = sorted((g for g in by_group if g is not None), key=lambda g: g.code)
    if None in by_group:
        groups.append(None)
    return [
        Section(
            f"{group.name if group else NO_GROUP}（共{len(by_group[group])}人）",
            [
                (
                    str(v.number),
                    v.name,
                    SEX_ZH.get(v.sex, v.sex),
                    mask_id(v.id_number),
                    v.category,
                )
                for v in by_group[group]
            ],
        )
        for group in groups
    ]


# Decisions on objections

#: What each kind of objection is about, as the decisions notice says it.
KIND_ZH = {
    Objection.Kind.OMITTED: "漏登",
    Objection.Kind.WRONGLY_LISTED: "错登",
    Objection.Kind.WRONG_DETAILS: "信息有误",
}


def outcome_zh(objection: Objection) -> str:
    """The result column of the decisions notice."""
    if objection.status == Objection.Status.REJECTED:
        return "申诉不成立，维持原登记"
    if objection.kind == Objection.Kind.OMITTED:
        return "申诉成立，予以登记"
    if objection.kind == Objection.Kind.WRONGLY_LISTED:
        return "申诉成立，从选民名单中除名"
    corrected = objection.voter.name if objection.voter else ""
    return f"申诉成立，更正为{corrected}" if corrected else "申诉成立，予以更正"


@transaction.atomic
def publish_decisions(user, cycle, place, on: date, *, today: date | None = None):
    """Post the decisions on objections not posted yet (申诉处理结果公告, DOMAIN §3).

    The notice lists each person concerned with the masked ID number, what the
    objection was about and what was decided; the objections are linked to it, so each
    decision is posted once.
    """
    permissions.require(user, permissions.REGISTER_VOTERS, place)
    today = today or timezone.localdate()
    require_posted(cycle, place)
    decided = list(
        Objection.objects.filter(cycle=cycle, place=place, published__isnull=True)
        .exclude(status=Objection.Status.PENDING)
        .select_related("voter")
        .order_by("decided_on", "id")
    )
    if not decided:
        raise RuleViolation(_("There are no decisions on objections waiting to be posted."))
    not_future(on, today)
    last = max(o.decided_on for o in decided)
    if on < last:
        raise RuleViolation(
            _("A decision taken on %(day)s cannot be posted before that day.")
            % {"day": last.isoformat()}
        )
    rows = [
        (
            str(n),
            o.subject_name,
            mask_id(o.subject_id_number) if o.subject_id_number else "",
            KIND_ZH[o.kind],
            outcome_zh(o),
        )
        for n, o in enumerate(decided, 1)
    ]
    preamble = (
        f"{committee_of(place)}对{here(place)}选民名单公布后收到的申诉，"
        f"依法进行了调查核实，并作出处理决定。现将处理结果公告如下（公民身份号码已作部分隐藏）。"
    )
    heading = f"申诉处理结果（共{len(rows)}件）"
    publication = _post_short_notice(
        user, cycle, place, Publication.Kind.DECISIONS, on, preamble, heading, rows
    )
    Objection.objects.filter(id__in=[o.id for o in decided]).update(published=publication)
    # Once the window has closed and nothing awaits a decision, these decisions are
    # the last: the timeline's two objection steps are done (DOMAIN §3).
    window = objection_window(cycle, place, require_posted(cycle, place))
    waiting = Objection.objects.filter(cycle=cycle, place=place, status=Objection.Status.PENDING)
    if on > window.last and not waiting.exists():
        steps = {"objections_closed": window.last, "objections_decided": on}
        sign_off_steps(user, cycle, place, steps)
    record(
        user,
        "voters.decisions_published",
        publication,
        after=_publication_after(publication, objections=[o.id for o in decided]),
        place=place,
    )
    return publication


# Supplementary registration (补登)


def supplementary(cycle, place):
    """The voters registered at the place's 补登 desk, in number order."""
    return listed(cycle, place).filter(source=Voter.Source.SUPPLEMENTARY)


def unposted_supplementary(cycle, place):
    """补登 names added since the last posting of the supplementary list: they must be
    posted before the count (DOMAIN §4)."""
    names = supplementary(cycle, place)
    last = (
        Publication.objects.filter(cycle=cycle, place=place, kind=Publication.Kind.SUPPLEMENTARY)
        .order_by("-at")
        .first()
    )
    return names.filter(added_at__gt=last.at) if last else names


@transaction.atomic
def publish_supplementary(user, cycle, place, on: date, *, today: date | None = None):
    """Post the list of voters registered on election day (补登选民名单), before the
    count (DOMAIN §4). It may be posted again when more names are added; each posting
    lists every 补登 name of the day."""
    permissions.require(user, permissions.REGISTER_VOTERS, place)
    today = today or timezone.localdate()
    require_posted(cycle, place)
    day = election_day(cycle, place)
    if on != day:
        raise RuleViolation(
            _("The supplementary list is posted on election day, %(d)s (DOMAIN §4).")
            % {"d": day.isoformat()}
        )
    not_future(on, today)
    if not unposted_supplementary(cycle, place).exists():
        raise RuleViolation(_("No name has been registered since the list was last posted."))
    voters = list(supplementary(cycle, place).select_related("group"))
    rows = [
        (
            str(v.number),
            v.name,
            SEX_ZH.get(v.sex, v.sex),
            mask_id(v.id_number),
            v.group.name if v.group else "",
        )
        for v in voters
    ]
    preamble = (
        f"根据换届选举工作的有关规定，选举日在投票会场（站）设立选民补登点。"
        f"经{committee_of(place)}审核，以下{len(rows)}名选民予以补登，"
        f"现在统计投票结果之前予以公布（公民身份号码已作部分隐藏）。"
    )
    heading = f"补登选民（共{len(rows)}人）"
    publication = _post_short_notice(
        user, cycle, place, Publication.Kind.SUPPLEMENTARY, on, preamble, heading, rows
    )
    record(
        user,
        "voters.supplementary_published",
        publication,
        after=_publication_after(publication),
        place=place,
    )
    return publication
