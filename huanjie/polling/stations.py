"""Where an election's voters vote and who watches (DOMAIN §6): the central venue
(中心会场), polling stations (投票站) and mobile boxes (流动票箱), each with its
scrutineers (监票人) and counters (计票人), and for a mobile box the voters it goes to.

The rules are the core's (:mod:`huanjie.rules.scrutineers`): a candidate or a near
relative of one is refused as a scrutineer or counter with the reason; a station with
fewer than three scrutineers is a finding shown until it is fixed, since stations are
set up one person at a time.

A mobile box is strictly controlled: its voters are approved one by one with the
reason (old, ill, disabled), the list is approved by the representatives' meeting
(``approved_on``) and posted (a :class:`~huanjie.polling.models.Notice` of kind
``mobile_box``); a voter is on one box at most. Once posted, the list no longer
changes; a change before that asks for the list to be approved again.
"""

from __future__ import annotations

from datetime import date

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huanjie.accounts import permissions
from huanjie.audit.snapshot import snapshot
from huanjie.audit.trail import record
from huanjie.candidates import roster
from huanjie.candidates.nomination import find_voter
from huanjie.candidates.notices import body_title
from huanjie.cycles.services import RuleViolation, sign_off_when_ready
from huanjie.cycles.timeline import localized
from huanjie.documents.dates import chinese_date
from huanjie.documents.notice import Section, list_notice
from huanjie.polling.models import MobileVoter, Notice, Scrutineer, Station
from huanjie.rules import scrutineers
from huanjie.rules.findings import Finding
from huanjie.voters.publication import SEX_ZH, committee_of, is_village, law_of, not_future

STATION_FIELDS = ("kind", "name", "location", "booths", "approved_on")
MOBILE_COLUMNS = ("序号", "姓名", "性别", "选民编号", "原因")
NAME_LENGTH = Station._meta.get_field("name").max_length
LOCATION_LENGTH = Station._meta.get_field("location").max_length
REASON_LENGTH = MobileVoter._meta.get_field("reason").max_length


def _require(user, election) -> None:
    permissions.require(user, permissions.RUN_POLL, election.place)


def _record(user, action: str, target, election, *, before=None, after=None) -> None:
    record(user, action, target, before=before, after=after, place=election.place)


def stations_of(election) -> list[Station]:
    """The election's stations: the central venue first, then stations, then boxes."""
    order = {kind: i for i, kind in enumerate(Station.Kind.values)}
    found = Station.objects.filter(election=election)
    return sorted(found, key=lambda s: (order[s.kind], s.name))


# Stations


def _check_station(election, *, kind: str, name: str, booths: int, station=None) -> str:
    name = name.strip()
    if not name:
        raise RuleViolation(_("A station needs a name."))
    if len(name) > NAME_LENGTH:
        raise RuleViolation(
            _("A station's name has at most %(n)d characters.") % {"n": NAME_LENGTH}
        )
    if kind not in Station.Kind.values:
        raise RuleViolation(_("Unknown kind of station: %(kind)s.") % {"kind": kind})
    if booths < 1:
        raise RuleViolation(_("Every station has at least one secret writing booth (DOMAIN §6)."))
    others = Station.objects.filter(election=election)
    if station is not None:
        others = others.exclude(pk=station.pk)
    if others.filter(name=name).exists():
        raise RuleViolation(
            _("%(election)s already has a station called %(name)s.")
            % {"election": election, "name": name}
        )
    if kind == Station.Kind.CENTRAL and others.filter(kind=Station.Kind.CENTRAL).exists():
        raise RuleViolation(
            _("An election has one central venue, where all boxes are opened together.")
        )
    return name


@transaction.atomic
def add_station(
    user, election, *, kind: str, name: str, location: str = "", booths: int = 1
) -> Station:
    """A station or mobile box of ``election``. One central venue per election; names
    are unique within the election; every station has a secret booth at least."""
    _require(user, election)
    name = _check_station(election, kind=kind, name=name, booths=booths)
    station = Station.objects.create(
        election=election,
        kind=kind,
        name=name,
        location=location.strip()[:LOCATION_LENGTH],
        booths=booths,
        user=user,
    )
    _record(user, "polling.station_add", station, election, after=snapshot(station, STATION_FIELDS))
    return station


@transaction.atomic
def edit_station(user, station, *, name: str, location: str, booths: int) -> Station:
    """Rename a station, move it or change its booths (its kind stays)."""
    election = station.election
    _require(user, election)
    before = snapshot(station, STATION_FIELDS)
    station.name = _check_station(
        election, kind=station.kind, name=name, booths=booths, station=station
    )
    station.location = location.strip()[:LOCATION_LENGTH]
    station.booths = booths
    after = snapshot(station, STATION_FIELDS)
    if after != before:
        station.save()
        _record(user, "polling.station_edit", station, election, before=before, after=after)
    return station


@transaction.atomic
def delete_station(user, station) -> None:
    """Remove a station set up by mistake; refused once ballots went through it or a
    box's list of voters was posted (the posted notice stays on record)."""
    election = station.election
    _require(user, election)
    if station.check_ins.exists() or station.box_counts.exists():
        raise RuleViolation(
            _("Ballots went through %(station)s: it can no longer be removed.")
            % {"station": station}
        )
    if mobile_notice(station) is not None:
        raise RuleViolation(
            _("The voters of %(station)s have been posted: the box can no longer be removed.")
            % {"station": station}
        )
    before = snapshot(station, STATION_FIELDS)
    before["people"] = [d.voter.name for d in station.scrutineers.select_related("voter")]
    before["voters"] = [m.voter.name for m in station.mobile_voters.select_related("voter")]
    _record(user, "polling.station_delete", station, election, before=before)
    station.delete()


# Scrutineers and counters


def duties_of(station) -> list[Scrutineer]:
    return list(station.scrutineers.select_related("voter"))


def candidates_of(election) -> list[scrutineers.Candidate]:
    """The election's candidates still standing, as the rules core takes them."""
    return [
        scrutineers.Candidate(c.resident_id, c.resident.name) for c in roster.standing(election)
    ]


def _duty(line: Scrutineer) -> scrutineers.Duty:
    return scrutineers.Duty(line.voter.resident_id, line.voter.name, line.role, line.chief)


def station_findings(station, candidates=None, family=None) -> list[Finding]:
    """What the rules say about the people of ``station`` (DOMAIN §6). ``candidates``
    and ``family`` may be given when asking about several stations of one election."""
    duties = [_duty(line) for line in duties_of(station)]
    if candidates is None:
        candidates = candidates_of(station.election)
    if family is None:
        family = roster.family_of([d.person for d in duties] + [c.person for c in candidates])
    elsewhere: dict[int, list[str]] = {}
    others = Scrutineer.objects.filter(
        station__election_id=station.election_id, voter__resident_id__in=[d.person for d in duties]
    ).exclude(station=station)
    for person, name in others.values_list("voter__resident_id", "station__name"):
        elsewhere.setdefault(person, []).append(name)
    return scrutineers.check_station(
        station.name, duties, candidates, family
    ) + scrutineers.check_elsewhere(station.name, duties, elsewhere)


def election_findings(election, stations=None) -> dict[int, list[Finding]]:
    """station id → its findings, for every station of ``election``."""
    stations = stations_of(election) if stations is None else stations
    candidates = candidates_of(election)
    people = [c.person for c in candidates]
    people += Scrutineer.objects.filter(station__election=election).values_list(
        "voter__resident_id", flat=True
    )
    family = roster.family_of(p for p in people if p is not None)
    return {s.pk: station_findings(s, candidates, family) for s in stations}


def _message(findings: list[Finding]) -> str:
    return "；".join(localized(f.message_zh, f.message_en) for f in findings if f.is_error)


def _duty_state(line: Scrutineer) -> dict:
    return {
        "station": line.station_id,
        "voter": line.voter.number,
        "name": line.voter.name,
        "role": line.role,
        "chief": line.chief,
    }


@transaction.atomic
def add_duty(user, station, voter: str, role: str = Scrutineer.Role.SCRUTINEER, chief=False):
    """Put a voter of the place's roll on duty at ``station`` as scrutineer or counter.

    ``voter`` is a voter number, card number, ID number or a name only one voter has.
    Refused for a candidate or a candidate's near relative, with the relation named.
    A new chief scrutineer takes over from the previous one.
    """
    election = station.election
    _require(user, election)
    if role not in Scrutineer.Role.values:
        raise RuleViolation(_("Unknown duty: %(role)s.") % {"role": role})
    if chief and role != Scrutineer.Role.SCRUTINEER:
        raise RuleViolation(_("The chief scrutineer is one of the scrutineers."))
    line = find_voter(election.cycle, election.place, voter)
    duty = scrutineers.Duty(line.resident_id, line.name, role, chief)
    candidates = candidates_of(election)
    family = roster.family_of([duty.person] + [c.person for c in candidates])
    refused = scrutineers.check_duty(duty, candidates, family)
    if refused:
        raise RuleViolation(_message(refused))
    if station.scrutineers.filter(voter=line).exists():
        raise RuleViolation(
            _("%(name)s is already on duty at %(station)s.")
            % {"name": line.name, "station": station}
        )
    if chief:
        station.scrutineers.filter(chief=True).update(chief=False)
    try:
        with transaction.atomic():
            made = Scrutineer.objects.create(station=station, voter=line, role=role, chief=chief)
    except IntegrityError:  # the same voter added twice at once
        raise RuleViolation(
            _("%(name)s is already on duty at %(station)s.")
            % {"name": line.name, "station": station}
        ) from None
    _record(user, "polling.scrutineer_add", made, election, after=_duty_state(made))
    return made


@transaction.atomic
def make_chief(user, line: Scrutineer) -> Scrutineer:
    """Make a scrutineer the chief scrutineer (总监票人) of their station."""
    election = line.station.election
    _require(user, election)
    if line.role != Scrutineer.Role.SCRUTINEER:
        raise RuleViolation(_("The chief scrutineer is one of the scrutineers."))
    previous = line.station.scrutineers.filter(chief=True).exclude(pk=line.pk).first()
    if line.chief:
        return line
    line.station.scrutineers.filter(chief=True).update(chief=False)
    line.chief = True
    line.save(update_fields=["chief"])
    _record(
        user,
        "polling.scrutineer_chief",
        line,
        election,
        before={"chief": previous.voter.name if previous else None},
        after=_duty_state(line),
    )
    return line


@transaction.atomic
def remove_duty(user, line: Scrutineer) -> None:
    election = line.station.election
    _require(user, election)
    _record(user, "polling.scrutineer_remove", line, election, before=_duty_state(line))
    line.delete()


# Mobile boxes


def _require_box(station) -> None:
    if station.kind != Station.Kind.MOBILE_BOX:
        raise RuleViolation(_("Only a mobile box has a list of voters."))


def mobile_notice(station) -> Notice | None:
    """The posted list of a mobile box, if it has been posted."""
    return Notice.objects.filter(station=station, kind=Notice.Kind.MOBILE_BOX).first()


def _require_unposted(station) -> None:
    if mobile_notice(station) is not None:
        raise RuleViolation(
            _("The voters of %(station)s have been posted; the list no longer changes.")
            % {"station": station}
        )


def _unapprove(user, station) -> None:
    """A change to an approved list needs approving again."""
    if station.approved_on is not None:
        before = {"approved_on": station.approved_on.isoformat()}
        station.approved_on = None
        station.save(update_fields=["approved_on"])
        _record(
            user,
            "polling.mobile_list_reopened",
            station,
            station.election,
            before=before,
            after={"approved_on": None},
        )


def mobile_voters(station) -> list[MobileVoter]:
    return list(station.mobile_voters.select_related("voter"))


def _mobile_state(line: MobileVoter) -> dict:
    return {
        "station": line.station_id,
        "voter": line.voter.number,
        "name": line.voter.name,
        "reason": line.reason,
    }


@transaction.atomic
def add_mobile_voter(user, station, voter: str, reason: str) -> MobileVoter:
    """Approve a voter for the mobile box, with the reason (DOMAIN §6). A voter is on
    one box at most; the list must not have been posted."""
    election = station.election
    _require(user, election)
    _require_box(station)
    _require_unposted(station)
    reason = reason.strip()
    if not reason:
        raise RuleViolation(_("Say why the voter cannot come to vote (old, ill, disabled…)."))
    line = find_voter(election.cycle, election.place, voter)
    elsewhere = (
        MobileVoter.objects.filter(station__election=election, voter=line)
        .select_related("station")
        .first()
    )
    if elsewhere is not None:
        raise RuleViolation(
            _("%(name)s is already on the list of %(station)s; a voter is on one box.")
            % {"name": line.name, "station": elsewhere.station}
        )
    made = MobileVoter.objects.create(station=station, voter=line, reason=reason[:REASON_LENGTH])
    _unapprove(user, station)
    _record(user, "polling.mobile_voter_add", made, election, after=_mobile_state(made))
    return made


@transaction.atomic
def remove_mobile_voter(user, line: MobileVoter) -> None:
    station = line.station
    _require(user, station.election)
    _require_unposted(station)
    _record(user, "polling.mobile_voter_remove", line, station.election, before=_mobile_state(line))
    line.delete()
    _unapprove(user, station)


def _on_or_before_day(election, day: date) -> None:
    if election.election_day and day > election.election_day:
        raise RuleViolation(
            _("The mobile box goes out on election day, %(day)s: its voters are decided before.")
            % {"day": election.election_day.isoformat()}
        )


@transaction.atomic
def approve_list(user, station, approved_on: date, *, today: date | None = None) -> Station:
    """Record the day the representatives' meeting approved the box's voters (its
    objects and numbers are decided by the meeting and posted, DOMAIN §6)."""
    election = station.election
    _require(user, election)
    _require_box(station)
    _require_unposted(station)
    if not station.mobile_voters.exists():
        raise RuleViolation(_("%(station)s has no voters to approve.") % {"station": station})
    if approved_on > (today or timezone.localdate()):
        raise RuleViolation(_("The list cannot be approved in the future."))
    _on_or_before_day(election, approved_on)
    before = {"approved_on": station.approved_on.isoformat() if station.approved_on else None}
    station.approved_on = approved_on
    station.save(update_fields=["approved_on"])
    _record(
        user,
        "polling.mobile_list_approved",
        station,
        election,
        before=before,
        after={"approved_on": approved_on.isoformat(), "voters": station.mobile_voters.count()},
    )
    return station


def mobile_pdf(station, lines: list[MobileVoter], published_on: date) -> bytes:
    """The poster of a mobile box's voters, in the order of the roll."""
    election = station.election
    place = election.place
    meeting = "村民代表会议" if is_village(place) else "居民代表会议"
    rows = [
        (str(i), m.voter.name, SEX_ZH.get(m.voter.sex, ""), str(m.voter.number), m.reason)
        for i, m in enumerate(lines, 1)
    ]
    where = f"（{station.location}）" if station.location else ""
    return list_notice(
        title=f"{place.name}{body_title(election)}选举流动票箱投票选民名单公告",
        preamble=(
            f"根据{law_of(place)}和有关规定，严格控制流动票箱的使用。经"
            f"{chinese_date(station.approved_on)}{meeting}讨论决定，{station.name}{where}"
            f"的投票对象共{len(lines)}人，名单公布如下："
        ),
        sections=[Section(f"{station.name}（共{len(lines)}人）", rows)],
        closing=(
            "流动票箱由不少于三名监票人携带，只到上列选民处投票。对名单有异议的，"
            f"请在选举日前向{committee_of(place)}反映。特此公告。"
        ),
        issuer=committee_of(place),
        issued_on=published_on,
        columns=MOBILE_COLUMNS,
    )


@transaction.atomic
def publish_mobile(user, station, published_on: date, *, today: date | None = None) -> Notice:
    """Post the approved list of a mobile box (张榜公布, DOMAIN §6), once, by D."""
    election = station.election
    _require(user, election)
    _require_box(station)
    _require_unposted(station)
    if station.approved_on is None:
        raise RuleViolation(
            _("The voters of %(station)s must be approved by the representatives' meeting first.")
            % {"station": station}
        )
    not_future(published_on, today or timezone.localdate())
    if published_on < station.approved_on:
        raise RuleViolation(_("The list is posted after it was approved."))
    _on_or_before_day(election, published_on)
    lines = mobile_voters(station)
    pdf = mobile_pdf(station, lines, published_on)
    notice = Notice.objects.create(
        election=election,
        station=station,
        kind=Notice.Kind.MOBILE_BOX,
        published_on=published_on,
        people=[m.voter_id for m in lines],
        file=ContentFile(
            pdf, name=f"{election.place.code}-mobile-{station.pk}-{published_on:%Y%m%d}.pdf"
        ),
        user=user,
    )
    _record(
        user,
        "polling.mobile_list_published",
        notice,
        election,
        after={
            "station": station.pk,
            "published_on": published_on.isoformat(),
            "voters": len(lines),
            "file": notice.file.name,
        },
    )
    boxes = Station.objects.filter(election=election, kind=Station.Kind.MOBILE_BOX)
    if not boxes.filter(notices__isnull=True).exists():  # every box posted
        sign_off_when_ready(
            user, election.cycle, election.place, {"mobile_box_published": published_on}
        )
    return notice
