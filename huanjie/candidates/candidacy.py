"""What is recorded about one candidate besides the count: the introduction voters
read, the signed commitment letter (承诺书, DOMAIN §5.3), whether the person sits on the
outgoing committee (for the age targets) or on the election committee — which a
candidate must leave (推选递补, DOMAIN §3)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huanjie.accounts import permissions
from huanjie.audit.snapshot import snapshot
from huanjie.audit.trail import record
from huanjie.cycles.services import RuleViolation

DETAIL_FIELDS = (
    "introduction",
    "continuing",
    "on_election_committee",
    "commitment_signed_on",
    "commitment_file",
)

#: Commitment letters are scans or photos.
COMMITMENT_TYPES = (".pdf", ".jpg", ".jpeg", ".png")


def _change(user, candidate, action: str, **values):
    permissions.require(user, permissions.NOMINATE, candidate.election.place)
    if not candidate.standing:
        raise RuleViolation(_("%(name)s is no longer standing.") % {"name": candidate.resident})
    before = snapshot(candidate, DETAIL_FIELDS)
    for field, value in values.items():
        setattr(candidate, field, value)
    candidate.save()
    record(
        user,
        action,
        candidate,
        before=before,
        after=snapshot(candidate, DETAIL_FIELDS),
        place=candidate.election.place,
    )
    return candidate


@transaction.atomic
def describe(user, candidate, *, introduction: str, continuing: bool):
    """The introduction printed on the candidate introduction sheet, and whether the
    person is on the outgoing committee."""
    return _change(
        user,
        candidate,
        "candidates.described",
        introduction=introduction.strip(),
        continuing=continuing,
    )


@transaction.atomic
def record_commitment(user, candidate, *, signed_on: date, upload=None, today=None):
    """Record the signed commitment letter, with its scan if there is one."""
    if signed_on > (today or timezone.localdate()):
        raise RuleViolation(_("A letter cannot be signed in the future."))
    values = {"commitment_signed_on": signed_on}
    if upload is not None:
        if not upload.name.lower().endswith(COMMITMENT_TYPES):
            raise RuleViolation(
                _("%(file)s: a commitment letter is a PDF or a photo (JPG, PNG).")
                % {"file": upload.name}
            )
        values["commitment_file"] = upload
    return _change(user, candidate, "candidates.commitment", **values)


@transaction.atomic
def set_election_committee(user, candidate, member: bool):
    """Mark the candidate as a member of the election committee, or record that they
    have left it (their place on it is filled by the next in the vote, DOMAIN §3)."""
    return _change(user, candidate, "candidates.election_committee", on_election_committee=member)
