"""Every change to cycles, elections, overrides and steps goes through here, so that
each is checked against the rules core and written together with its audit record."""

import hashlib

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huanjie.accounts import permissions
from huanjie.audit.snapshot import snapshot
from huanjie.audit.trail import record
from huanjie.cycles.models import (
    Cycle,
    Election,
    Office,
    ProfileOverride,
    Step,
    StepDocument,
    StepStatus,
)
from huanjie.cycles.profiles import effective_profile
from huanjie.cycles.timeline import localized, place_timeline
from huanjie.rules import profiles, seats, timeline

STEP_FIELDS = ("status", "done_on", "note")


class RuleViolation(Exception):
    """A change the rules do not allow; the message says which rule and why."""


def _title(thing) -> str:
    return localized(thing.title_zh, thing.title_en)


@transaction.atomic
def sign_off(user, cycle, place, key: str, *, done_on=None, note: str = "", not_needed=False):
    """Sign off a step as done (or, for an optional step, as not needed)."""
    permissions.require(user, permissions.SIGN_OFF, place)
    rule = timeline.BY_KEY.get(key)
    if rule is None:
        raise RuleViolation(_("Unknown step: %(key)s") % {"key": key})
    if not_needed and not rule.optional:
        raise RuleViolation(_("Only an optional step can be marked as not needed."))
    tl = place_timeline(cycle, place)
    missing = tl.blocked_by(key)
    if missing and not not_needed:
        names = "、".join(_title(timeline.BY_KEY[m]) for m in missing)
        raise RuleViolation(
            _("%(step)s cannot be signed off before: %(missing)s (DOMAIN %(section)s)")
            % {"step": _title(rule), "missing": names, "section": rule.section}
        )
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise RuleViolation(_("A step cannot be signed off with a date in the future."))
    step, _created = Step.objects.select_for_update().get_or_create(
        cycle=cycle, place=place, key=key
    )
    if step.status != StepStatus.PENDING:
        raise RuleViolation(_("This step has already been signed off."))
    before = snapshot(step, STEP_FIELDS)
    step.status = StepStatus.NOT_NEEDED if not_needed else StepStatus.DONE
    step.done_on = done_on
    step.note = note
    step.signed_off_by = user
    step.signed_off_at = timezone.now()
    step.save()
    record(
        user,
        "step.sign_off",
        step,
        before=before,
        after={**snapshot(step, STEP_FIELDS), "step": key},
        place=place,
    )
    return step


def sign_off_when_ready(user, cycle, place, done: dict) -> list[str]:
    """Sign off the steps that a piece of work completes (key → day), each on its day,
    as far as they can be: steps already signed off, steps whose earlier steps are not
    done, days in the future and users who may not sign off are left alone — the work
    does not wait for the checklist. Returns the keys signed off."""
    if not permissions.can(user, permissions.SIGN_OFF, place):
        return []
    finished = place_timeline(cycle, place).finished_keys
    today = timezone.localdate()
    signed = []
    for key, on in done.items():
        if key in finished or on > today or timeline.unmet_requirements(key, finished):
            continue
        sign_off(user, cycle, place, key, done_on=on)
        finished.add(key)
        signed.append(key)
    return signed


@transaction.atomic
def reopen(user, step, reason: str):
    """Undo a sign-off. A step that later steps depend on cannot be reopened while they
    are done, or the checklist would say something impossible."""
    permissions.require(user, permissions.SIGN_OFF, step.place)
    if not reason.strip():
        raise RuleViolation(_("Give a reason for reopening the step."))
    tl = place_timeline(step.cycle, step.place)
    dependants = [r.rule.key for r in tl.rows if r.finished and step.key in r.rule.requires]
    if dependants:
        names = "、".join(_title(timeline.BY_KEY[k]) for k in dependants)
        raise RuleViolation(_("Reopen these later steps first: %(names)s") % {"names": names})
    before = snapshot(step, STEP_FIELDS)
    step.status = StepStatus.PENDING
    step.done_on = None
    step.signed_off_by = None
    step.signed_off_at = None
    step.note = reason
    step.save()
    record(
        user,
        "step.reopen",
        step,
        before=before,
        after={**snapshot(step, STEP_FIELDS), "step": step.key},
        place=step.place,
    )
    return step


@transaction.atomic
def attach_document(user, step, upload):
    permissions.require(user, permissions.SIGN_OFF, step.place)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    doc = StepDocument.objects.create(
        step=step, file=upload, name=upload.name[:200], sha256=digest.hexdigest(), uploaded_by=user
    )
    record(
        user,
        "step.attach",
        step,
        after={"document": doc.name, "sha256": doc.sha256, "step": step.key},
        place=step.place,
    )
    return doc


@transaction.atomic
def set_election_day(user, election, day):
    permissions.require(user, permissions.EDIT_ELECTIONS, election.place)
    before = snapshot(election, ("election_day",))
    election.election_day = day
    election.save(update_fields=["election_day"])
    record(
        user,
        "election.day",
        election,
        before=before,
        after=snapshot(election, ("election_day",)),
        place=election.place,
    )
    return election


@transaction.atomic
def set_seats(user, election, new_seats: dict[str, int]):
    """Change the seats of an election's offices; refused if the rules core finds an
    error (a warning is allowed and shown)."""
    permissions.require(user, permissions.EDIT_ELECTIONS, election.place)
    offices = {o.key: o for o in election.offices.all()}
    unknown = set(new_seats) - set(offices)
    if unknown:
        raise RuleViolation(_("Unknown office: %(keys)s") % {"keys": ", ".join(sorted(unknown))})
    proposed = {key: o.seats for key, o in offices.items()} | new_seats
    profile = effective_profile(election.cycle, election.place)
    findings = seats.check_seats(seats.Body(election.body), proposed, profile)
    errors = [f for f in findings if f.level == "error"]
    if errors:
        raise RuleViolation("；".join(localized(f.message_zh, f.message_en) for f in errors))
    before = {key: o.seats for key, o in offices.items()}
    if proposed == before:
        return findings
    for key, value in new_seats.items():
        Office.objects.filter(pk=offices[key].pk).update(seats=value)
    record(user, "election.seats", election, before=before, after=proposed, place=election.place)
    return findings


@transaction.atomic
def set_override(user, cycle, place, parameter: str, value, reason: str = ""):
    """Set a profile parameter for a place and its subtree (county admins only)."""
    permissions.require(user, permissions.CONFIGURE_CYCLE, place)
    try:
        profiles.apply_overrides(profiles.PROFILES[cycle.profile], {parameter: value})
    except profiles.ProfileError as exc:
        raise RuleViolation(str(exc)) from exc
    existing = ProfileOverride.objects.filter(cycle=cycle, place=place, parameter=parameter).first()
    before = {"parameter": parameter, "value": existing.value} if existing else None
    override, _created = ProfileOverride.objects.update_or_create(
        cycle=cycle, place=place, parameter=parameter, defaults={"value": value, "reason": reason}
    )
    record(
        user,
        "profile.override",
        override,
        before=before,
        after={"parameter": parameter, "value": value, "reason": reason},
        place=place,
    )
    return override


@transaction.atomic
def remove_override(user, override):
    permissions.require(user, permissions.CONFIGURE_CYCLE, override.place)
    before = {"parameter": override.parameter, "value": override.value}
    record(user, "profile.override_removed", override, before=before, place=override.place)
    override.delete()


@transaction.atomic
def choose_profile(user, cycle, profile_name: str):
    permissions.require(user, permissions.CONFIGURE_CYCLE, cycle.county)
    if profile_name not in profiles.PROFILES:
        raise RuleViolation(_("Unknown rule profile: %(name)s") % {"name": profile_name})
    before = {"profile": cycle.profile}
    cycle.profile = profile_name
    cycle.save(update_fields=["profile"])
    record(
        user,
        "cycle.profile",
        cycle,
        before=before,
        after={"profile": profile_name},
        place=cycle.county,
    )
    return cycle


CYCLE_FIELDS = ("name", "term_number", "starts_on", "ends_on", "profile")


@transaction.atomic
def create_cycle(user, county, *, name, term_number, starts_on, ends_on, profile="national"):
    """Open a term change for a county (county admins)."""
    permissions.require(user, permissions.CONFIGURE_CYCLE, county)
    if profile not in profiles.PROFILES:
        raise RuleViolation(_("Unknown rule profile: %(name)s") % {"name": profile})
    if ends_on <= starts_on:
        raise RuleViolation(_("The cycle must end after it starts."))
    if Cycle.objects.filter(county=county, term_number=term_number).exists():
        raise RuleViolation(
            _("%(county)s already has a cycle for term %(term)s.")
            % {"county": county, "term": term_number}
        )
    cycle = Cycle.objects.create(
        county=county,
        name=name,
        term_number=term_number,
        starts_on=starts_on,
        ends_on=ends_on,
        profile=profile,
    )
    record(user, "cycle.create", cycle, after=snapshot(cycle, CYCLE_FIELDS), place=county)
    return cycle


def _add_election(user, cycle, place, body: seats.Body, day) -> Election:
    election = Election.objects.create(cycle=cycle, place=place, body=body, election_day=day)
    offices = Office.objects.bulk_create(election.default_offices(place.kind))
    record(
        user,
        "election.create",
        election,
        after={
            "body": body.value,
            "election_day": day.isoformat() if day else None,
            **{o.key: o.seats for o in offices},
        },
        place=place,
    )
    return election


@transaction.atomic
def add_election(user, cycle, place, body: str, day=None) -> Election:
    """Add one election (an attached body, say) to a village or community."""
    permissions.require(user, permissions.EDIT_ELECTIONS, place)
    if not place.is_electing:
        raise RuleViolation(_("Only villages and communities hold these elections."))
    try:
        body = seats.Body(body)
    except ValueError:
        raise RuleViolation(_("Unknown body: %(body)s") % {"body": body}) from None
    if body in (seats.Body.VILLAGERS_COMMITTEE, seats.Body.RESIDENTS_COMMITTEE):
        if body != seats.committee_body(place.kind):
            raise RuleViolation(
                _("%(place)s elects a %(body)s.")
                % {"place": place, "body": _title(seats.committee_body(place.kind))}
            )
    if Election.objects.filter(cycle=cycle, place=place, body=body).exists():
        raise RuleViolation(_("This election already exists."))
    return _add_election(user, cycle, place, body, day)


@transaction.atomic
def set_up_elections(user, cycle, places, day) -> int:
    """Give every village and community of ``places`` that has none yet its committee
    election on ``day``, the party committee election and the election committee's
    election, each with the default offices of the rules core (DOMAIN §2)."""
    created = 0
    for place in places:
        permissions.require(user, permissions.EDIT_ELECTIONS, place)
        existing = set(
            Election.objects.filter(cycle=cycle, place=place).values_list("body", flat=True)
        )
        for body in (
            seats.committee_body(place.kind),
            seats.Body.PARTY_COMMITTEE,
            seats.Body.ELECTION_COMMITTEE,
        ):
            if body.value not in existing:
                committee_day = day if body == seats.committee_body(place.kind) else None
                _add_election(user, cycle, place, body, committee_day)
                created += 1
    return created
