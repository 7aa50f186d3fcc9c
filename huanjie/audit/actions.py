"""What each recorded action is called on screen. The code stays in the record (it is
what the hash covers and what filters match); the label is for people."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "step.sign_off": _("Step signed off"),
    "step.reopen": _("Step reopened"),
    "step.attach": _("Document attached"),
    "cycle.create": _("Cycle created"),
    "election.create": _("Election set up"),
    "election.day": _("Election day set"),
    "election.seats": _("Seats changed"),
    "profile.override": _("Profile parameter overridden"),
    "profile.override_removed": _("Profile override removed"),
    "cycle.profile": _("Rule profile chosen"),
    "account.create": _("Account created"),
    "account.active": _("Account withdrawn or restored"),
    "place.create": _("Place created"),
    "place.update": _("Place changed"),
    "voters.roll_built": _("Voter roll built"),
    "voters.conflict_resolved": _("Registration conflict decided"),
    "voters.list_published": _("Voter list posted"),
    "voters.objection_filed": _("Objection recorded"),
    "voters.objection_decided": _("Objection decided"),
    "voters.decisions_published": _("Objection decisions posted"),
    "voters.voter_added": _("Voter added to a posted list"),
    "voters.voter_removed": _("Voter removed from the list"),
    "voters.voter_corrected": _("Voter's details corrected"),
    "voters.cards_issued": _("Voter cards issued"),
    "voters.supplementary_published": _("Supplementary list posted"),
    "voters.residents_imported": _("Residents file imported"),
    "voters.residents_rejected": _("Residents file rejected, nothing imported"),
}


def label(action: str) -> str:
    return LABELS.get(action, action)
