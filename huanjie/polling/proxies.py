"""Entrustments (委托投票, DOMAIN §6): a voter away on election day gives a near relative
on the same roll the right to vote for them, in writing.

The committee registers each entrustment with the signed authorisation (a scan or a
photo), checked by the rules core (:mod:`huanjie.rules.proxies`) against the
entrustments already registered, the profile's limit and scope of near relatives, the
election's candidates and the family ties. Before D it publishes the list of
entrusters and proxies (确认并公布委托人和受委托人的名单); an entrustment may be
withdrawn until then, and the list published again after a change. On election day
the list is what the check-in desks go by, so nothing changes on or after D.
"""

from __future__ import annotations

from datetime import date

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from huanjie.accounts import permissions
from huanjie.audit.trail import record
from huanjie.candidates import roster
from huanjie.candidates.nomination import find_voter
from huanjie.candidates.notices import body_title
from huanjie.cycles.profiles import effective_profile
from huanjie.cycles.services import RuleViolation, sign_off_when_ready
from huanjie.cycles.timeline import localized
from huanjie.documents.notice import Section, list_notice
from huanjie.polling.models import Notice, Proxy
from huanjie.rules import proxies as rules
from huanjie.rules.findings import Finding
from huanjie.voters.publication import committee_of, here, law_of, not_future

#: The written authorisation is a scan or a photo.
AUTHORISATION_TYPES = (".pdf", ".jpg", ".jpeg", ".png")
COLUMNS = ("序号", "委托人", "选民编号", "受委托人", "选民编号", "关系")


def _require(user, election) -> None:
    permissions.require(user, permissions.RUN_POLL, election.place)


def before_day(election, today: date, what: str) -> None:
    """Refuse on or after D: the list of entrusters and proxies is confirmed and
    published before election day (DOMAIN §6). ``what`` says what was refused."""
    day = election.election_day
    if day is None:
        raise RuleViolation(_("Set the election day first."))
    if today >= day:
        raise RuleViolation(
            _(
                "%(what)s is refused: the entrusters and proxies are confirmed and published "
                "before election day, %(day)s (DOMAIN §6)."
            )
            % {"what": what, "day": day.isoformat()}
        )


def entrustments(election, q: str = ""):
    """The election's entrustments, by proxy then entruster; ``q`` finds a name, a
    voter number or the end of an ID number (four characters or more) on either side."""
    found = Proxy.objects.filter(election=election).select_related("entruster", "proxy")
    q = q.strip()
    if q:
        match = Q(entruster__name__contains=q) | Q(proxy__name__contains=q)
        if q.isdigit() and len(q) < 8:
            match |= Q(entruster__number=int(q)) | Q(proxy__number=int(q))
        if len(q) >= 4:  # the last four characters of an ID number, as the lists show
            match |= Q(entruster__id_number__endswith=q.upper()) | Q(
                proxy__id_number__endswith=q.upper()
            )
        found = found.filter(match)
    return found.order_by("proxy__number", "entruster__number")


def _as_rule(line: Proxy) -> rules.Entrustment:
    return rules.Entrustment(
        rules.Person(line.entruster.resident_id, line.entruster.name),
        rules.Person(line.proxy.resident_id, line.proxy.name),
        line.relation,
    )


def check(election, entruster, proxy, relation: str) -> list[Finding]:
    """What the rules say about ``entruster`` (a voter line) entrusting ``proxy``."""
    registered = [_as_rule(line) for line in entrustments(election)]
    new = rules.Entrustment(
        rules.Person(entruster.resident_id, entruster.name),
        rules.Person(proxy.resident_id, proxy.name),
        relation,
    )
    candidates = {c.resident_id for c in roster.standing(election)}
    return rules.check_entrustment(
        new,
        registered,
        effective_profile(election.cycle, election.place),
        candidates=candidates,
        ties=roster.family_of([entruster.resident_id, proxy.resident_id]),
    )


def _state(line: Proxy) -> dict:
    return {
        "entruster": line.entruster.number,
        "entruster_name": line.entruster.name,
        "proxy": line.proxy.number,
        "proxy_name": line.proxy.name,
        "relation": line.relation,
        "signed_on": line.signed_on.isoformat(),
        "authorisation": line.authorisation.name,
    }


@transaction.atomic
def register(
    user,
    election,
    *,
    entruster: str,
    proxy: str,
    relation: str,
    signed_on: date,
    authorisation,
    today: date | None = None,
) -> tuple[Proxy, list[Finding]]:
    """Register that ``entruster`` gives ``proxy`` their vote (each a voter number,
    card number, ID number or a name only one voter has), with the signed
    authorisation (PDF, JPG or PNG). Refused with the rule's message when the rules
    say no, and on or after D. Returns the entrustment and the warnings to show.
    """
    _require(user, election)
    today = today or timezone.localdate()
    before_day(election, today, _("Registering an entrustment"))
    if authorisation is None:
        raise RuleViolation(_("Attach the written authorisation signed by the entruster."))
    if not authorisation.name.lower().endswith(AUTHORISATION_TYPES):
        raise RuleViolation(
            _("%(file)s: the written authorisation is a PDF or a photo (JPG, PNG).")
            % {"file": authorisation.name}
        )
    if signed_on > today:
        raise RuleViolation(_("An authorisation cannot be signed in the future."))
    giver = find_voter(election.cycle, election.place, entruster)
    taker = find_voter(election.cycle, election.place, proxy)
    findings = check(election, giver, taker, relation)
    errors = [f for f in findings if f.is_error]
    if errors:
        raise RuleViolation("；".join(localized(f.message_zh, f.message_en) for f in errors))
    try:
        with transaction.atomic():
            line = Proxy.objects.create(
                election=election,
                entruster=giver,
                proxy=taker,
                relation=relation,
                signed_on=signed_on,
                authorisation=authorisation,
                user=user,
            )
    except IntegrityError:  # the same entruster registered twice at once
        raise RuleViolation(
            _("%(name)s has already entrusted someone.") % {"name": giver.name}
        ) from None
    after = _state(line)
    warnings = [f for f in findings if not f.is_error]
    if warnings:
        after["warnings"] = [f.code for f in warnings]
    record(user, "polling.proxy_add", line, after=after, place=election.place)
    return line, warnings


@transaction.atomic
def withdraw(user, line: Proxy, reason: str = "", *, today: date | None = None) -> None:
    """Take an entrustment back (the entruster will vote after all, or changed their
    mind), before D only. The scan is kept with the audit record's file name."""
    election = line.election
    _require(user, election)
    before_day(election, today or timezone.localdate(), _("Withdrawing an entrustment"))
    before = _state(line)
    record(
        user,
        "polling.proxy_withdraw",
        line,
        before=before,
        after={"reason": reason.strip()},
        place=election.place,
    )
    line.delete()


def latest_notice(election) -> Notice | None:
    return (
        Notice.objects.filter(election=election, kind=Notice.Kind.PROXIES)
        .order_by("-published_on", "-at", "-id")
        .first()
    )


def _people(lines) -> list[list[int]]:
    return [[line.entruster_id, line.proxy_id] for line in lines]


def changed_since_posted(election) -> bool:
    """Whether the entrustments differ from the list last published (or none was)."""
    notice = latest_notice(election)
    if notice is None:
        return entrustments(election).exists()
    return sorted(notice.people) != sorted(_people(entrustments(election)))


def proxies_pdf(election, lines: list[Proxy], published_on: date) -> bytes:
    """The poster of the entrusters and proxies, by proxy."""
    place = election.place
    profile = effective_profile(election.cycle, place)
    rows = [
        (
            str(i),
            line.entruster.name,
            str(line.entruster.number),
            line.proxy.name,
            str(line.proxy.number),
            rules.relation_titles(line.relation)[0],
        )
        for i, line in enumerate(lines, 1)
    ]
    proxies = len({line.proxy_id for line in lines})
    return list_notice(
        title=f"{place.name}{body_title(election)}选举委托投票名单公告",
        preamble=(
            f"根据{law_of(place)}和{here(place)}选举办法，选举期间外出不能参加投票的选民，"
            f"可以书面委托{here(place)}有选举权的近亲属代为投票。每一选民接受委托不得超过"
            f"{profile.proxies_per_person}人，正式候选人不能接受委托。经{committee_of(place)}"
            f"确认，现将委托人和受委托人名单公布如下（委托人{len(lines)}名，受委托人{proxies}名）："
        ),
        sections=[Section(f"委托人和受委托人名单（共{len(lines)}份委托）", rows)],
        closing=(
            "受委托人凭书面委托书代为投票，不得再委托他人。对名单有异议的，"
            f"请在选举日前向{committee_of(place)}反映。特此公告。"
        ),
        issuer=committee_of(place),
        issued_on=published_on,
        columns=COLUMNS,
    )


@transaction.atomic
def publish(user, election, published_on: date, *, today: date | None = None) -> Notice:
    """Publish the list of entrusters and proxies, before D (DOMAIN §6). Published
    again after a change, the latest list is the one that holds."""
    _require(user, election)
    today = today or timezone.localdate()
    not_future(published_on, today)
    before_day(election, published_on, _("Publishing the list of proxies"))
    lines = list(entrustments(election))
    if not lines:
        raise RuleViolation(_("No entrustment is registered: there is no list to publish."))
    pdf = proxies_pdf(election, lines, published_on)
    notice = Notice.objects.create(
        election=election,
        kind=Notice.Kind.PROXIES,
        published_on=published_on,
        people=_people(lines),
        file=ContentFile(pdf, name=f"{election.place.code}-proxies-{published_on:%Y%m%d}.pdf"),
        user=user,
    )
    record(
        user,
        "polling.proxy_list_published",
        notice,
        after={
            "published_on": published_on.isoformat(),
            "entrustments": len(lines),
            "file": notice.file.name,
        },
        place=election.place,
    )
    sign_off_when_ready(
        user, election.cycle, election.place, {"proxy_list_published": published_on}
    )
    return notice
