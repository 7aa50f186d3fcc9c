"""Voters added to a roll after it was posted (DOMAIN §4): at the supplementary
registration desk (补登) on election day, and by an upheld objection about an omission
(漏登).

Both go through :func:`admit`, which asks the rules core whether and how the person is
registered here: a valid ID number, 18 full years on D, not listed anywhere in the
cycle (one person, one place), and — when the residents' records know the person —
their rights and the category :func:`huanjie.rules.eligibility.register` gives here.
The committee's finding (an upheld objection, the desk's check) stands for what the
records may lack: that the person wants to take part and that the meeting agreed. A
person the records do not connect with the place is registered under the category the
committee states.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from huanjie.accounts import permissions
from huanjie.audit.snapshot import snapshot
from huanjie.audit.trail import record
from huanjie.cycles.services import RuleViolation
from huanjie.places.models import Place
from huanjie.rules import eligibility
from huanjie.rules.identity import check_id, mask_id
from huanjie.voters import publication, rolls
from huanjie.voters.models import Resident, Voter

#: What check_id's reasons mean, for the message refusing a number.
ID_PROBLEMS = {
    "length": "不是18位",
    "characters": "含有非法字符",
    "region": "地区码有误",
    "birth_date": "出生日期有误",
    "check_digit": "校验码有误",
}

VOTER_FIELDS = ("number", "name", "category", "group_id", "source", "status", "note")


def voter_state(voter: Voter) -> dict:
    """A voter line for the audit trail: the ID number masked, like everywhere people
    other than the committee may look."""
    return {**snapshot(voter, VOTER_FIELDS), "id_number": mask_id(voter.id_number)}


def listed_line(cycle, id_number: str) -> Voter | None:
    """The line that lists the person in this cycle, wherever it is."""
    return (
        Voter.objects.filter(cycle=cycle, id_number=id_number, status=Voter.Status.LISTED)
        .select_related("place")
        .first()
    )


def category_here(
    resident: Resident | None,
    place,
    born: date,
    day: date,
    today: date,
    stated: eligibility.Category | None,
) -> eligibility.Category:
    """The person's category in ``place`` by the rules core, or the stated one when the
    records do not connect the person with the place; refused with the rules' reason
    when they may not be registered (DOMAIN §4)."""
    if resident is not None:
        person = rolls.person_of(resident)
        reason = eligibility.ineligibility(person, born, day)
        if reason is not None:
            raise RuleViolation(
                _("%(name)s may not be registered: %(reason)s (DOMAIN §4).")
                % {"name": resident.name, "reason": eligibility.REASON_ZH[reason]}
            )
        found = person._replace(intent=eligibility.Intent.TAKE_PART, approved=True)
        outcome = eligibility.register(found, day, today)
        if outcome.place is not None:
            options = {outcome.place: outcome.category, **dict(outcome.others)}
            if place.code in options:
                return options[place.code]
        why = dict(outcome.excluded).get(place.code)
        if why is not None and why != eligibility.Reason.REGISTERED_ELSEWHERE:
            raise RuleViolation(
                _("%(name)s may not be registered in %(place)s: %(reason)s (DOMAIN §4).")
                % {
                    "name": resident.name,
                    "place": place.name,
                    "reason": eligibility.REASON_ZH[why],
                }
            )
    if stated is None:
        raise RuleViolation(
            _(
                "The residents' records do not show this person registered, living or "
                "working in %(place)s; state the category under which the committee "
                "registers them."
            )
            % {"place": place.name}
        )
    return eligibility.Category(stated)


def admit(
    user,
    cycle,
    place,
    *,
    id_number: str,
    name: str,
    source: str,
    group=None,
    note: str = "",
    stated: eligibility.Category | None = None,
    today: date | None = None,
) -> Voter:
    """Add a person to the place's posted roll with the next number, after the checks
    of the module docstring; audited as ``voters.voter_added``. The caller checks the
    permission and the dates, and holds the transaction."""
    today = today or timezone.localdate()
    day = publication.election_day(cycle, place)
    checked = check_id(id_number, today)
    if not checked.valid:
        raise RuleViolation(
            _("ID number %(number)s is not valid: %(problem)s (GB 11643, DOMAIN §4).")
            % {"number": checked.number, "problem": ID_PROBLEMS[checked.reason]}
        )
    number = checked.number
    if not eligibility.of_age(checked.birth_date, day):
        raise RuleViolation(
            _("The person born on %(born)s is not 18 on election day %(d)s (DOMAIN §4).")
            % {"born": checked.birth_date.isoformat(), "d": day.isoformat()}
        )
    existing = listed_line(cycle, number)
    if existing is not None:
        if existing.place_id == place.id:
            raise RuleViolation(
                _("%(name)s is already on the list of %(place)s as number %(number)d.")
                % {"name": existing.name, "place": place.name, "number": existing.number}
            )
        raise RuleViolation(
            _(
                "%(name)s is listed in %(place)s in this cycle; one person is registered "
                "in one place only (不重登, DOMAIN §4)."
            )
            % {"name": existing.name, "place": existing.place.name}
        )
    resident = Resident.objects.filter(id_number=number).select_related("group").first()
    category = category_here(resident, place, checked.birth_date, day, today, stated)
    name = (name or "").strip() or (resident.name if resident else "")
    if not name:
        raise RuleViolation(_("Give the person's name."))
    if group is not None and group.parent_id != place.id:
        raise RuleViolation(
            _("%(group)s is not a group of %(place)s.") % {"group": group, "place": place.name}
        )
    if group is None and resident is not None and resident.group_id:
        if resident.group.parent_id == place.id:
            group = resident.group
    # Numbers follow on from the highest ever given here; lock the place so that two
    # desks registering at once do not take the same number.
    Place.objects.select_for_update().filter(pk=place.pk).first()
    last = Voter.objects.filter(cycle=cycle, place=place).aggregate(n=Max("number"))["n"] or 0
    voter = Voter.objects.create(
        cycle=cycle,
        place=place,
        resident=resident,
        number=last + 1,
        id_number=number,
        name=name,
        name_initials=rolls.initials(name),
        sex=checked.sex,
        birth_date=checked.birth_date,
        ethnicity=resident.ethnicity if resident else "",
        category=category.value,
        group=group,
        source=source,
        note=note.strip()[:200],
    )
    record(user, "voters.voter_added", voter, after=voter_state(voter), place=place)
    return voter


@transaction.atomic
def register(
    user,
    cycle,
    place,
    *,
    id_number: str,
    name: str,
    on: date,
    group=None,
    note: str = "",
    stated: eligibility.Category | None = None,
    today: date | None = None,
) -> Voter:
    """Register a missed voter at the 补登 desk: only on election day D, and only once
    the list has been posted (DOMAIN §4)."""
    permissions.require(user, permissions.REGISTER_VOTERS, place)
    today = today or timezone.localdate()
    publication.require_posted(cycle, place)
    day = publication.election_day(cycle, place)
    if on != day:
        raise RuleViolation(
            _(
                "Supplementary registration (补登) is done on election day only, %(d)s "
                "(DOMAIN §4); %(day)s is not that day."
            )
            % {"d": day.isoformat(), "day": on.isoformat()}
        )
    if on > today:
        raise RuleViolation(_("Election day has not come yet."))
    return admit(
        user,
        cycle,
        place,
        id_number=id_number,
        name=name,
        source=Voter.Source.SUPPLEMENTARY,
        group=group,
        note=note,
        stated=stated,
        today=today,
    )
