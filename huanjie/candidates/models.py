"""Candidates of an election, from nomination to the formal list (DOMAIN §5, §8).

A :class:`Candidate` is one person standing for one office of one election. For the
居/村委会 the voters nominate at a :class:`NominationMeeting`; for the party committee
the members and the public recommend (两推) and the township committee puts forward
the candidates (:class:`Recommendation`). Either way every candidate is checked by each
joint-review :class:`Department` (:class:`Verdict`), and the formal list is posted as
a :class:`Notice`. Who counts, who is replaced and what blocks the formal list are the
rules core's (:mod:`huanjie.rules.nomination`, :mod:`~huanjie.rules.negative_list`,
:mod:`~huanjie.rules.slate`).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    """A joint-review department (联审部门) of a cycle: every candidate of the cycle
    waits for its verdict. A reviewer's role names its department by ``name``."""

    cycle = models.ForeignKey("cycles.Cycle", models.CASCADE, related_name="departments")
    name = models.CharField(_("department"), max_length=50)
    rank = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["cycle", "rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "name"], name="one_department_per_name")
        ]

    def __str__(self):
        return self.name


class NominationMeeting(models.Model):
    """The voters' nomination meeting of a 居/村委会 election (DOMAIN §5.1).

    ``voters`` is the number on the roll when the meeting was opened, so the quorum is
    judged against the roll of that day. The count is entered either ballot by ballot
    (:class:`NominationBallot`) or as totals per person (:class:`NominationTally`
    with round 1); re-votes among people tied at the cut-off are rounds 2, 3, ….
    """

    class Method(models.TextChoices):
        BALLOTS = "ballots", _("Ballot by ballot")
        TOTALS = "totals", _("Totals per person")

    election = models.OneToOneField(
        "cycles.Election", models.CASCADE, related_name="nomination_meeting"
    )
    held_on = models.DateField(_("held on"))
    voters = models.PositiveIntegerField(_("voters on the roll"))
    present = models.PositiveIntegerField(_("voters present"))
    method = models.CharField(_("count"), max_length=10, choices=Method.choices)
    #: office key → how many nominees it gets (at least the candidates it needs).
    places = models.JSONField(_("nominees per office"), default=dict)
    ballots = models.PositiveIntegerField(_("ballots counted"), default=0)
    #: office key → ballot sections naming more people than the office has seats.
    invalid = models.JSONField(_("invalid sections"), default=dict)
    counted = models.BooleanField(_("counted"), default=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    def __str__(self):
        return f"{self.election} {self.held_on}"


class NominationBallot(models.Model):
    """One nomination ballot as entered: office key → resident ids named."""

    meeting = models.ForeignKey(NominationMeeting, models.CASCADE, related_name="ballot_set")
    number = models.PositiveIntegerField(_("ballot number"))
    sections = models.JSONField(_("names"))

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="one_ballot_per_number")
        ]

    def __str__(self):
        return f"{self.meeting} #{self.number}"


class NominationTally(models.Model):
    """The votes of one person for one office in one round of the count."""

    meeting = models.ForeignKey(NominationMeeting, models.CASCADE, related_name="tallies")
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    office = models.CharField(_("office"), max_length=30)
    resident = models.ForeignKey("voters.Resident", models.PROTECT, related_name="+")
    votes = models.PositiveIntegerField(_("votes"))

    class Meta:
        ordering = ["meeting", "round", "office", "-votes"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "round", "office", "resident"], name="one_tally_per_person"
            )
        ]

    def __str__(self):
        return f"{self.office} {self.resident_id}: {self.votes}"


class Recommendation(models.Model):
    """两推一选 of a party committee election (DOMAIN §5.1, §8): the recommendation
    by the members and by the public, the township committee's decision, the 公示 and
    the request and approval (请示/批复)."""

    election = models.OneToOneField(
        "cycles.Election", models.CASCADE, related_name="recommendation"
    )
    held_on = models.DateField(_("recommendation held on"))
    members_present = models.PositiveIntegerField(_("members taking part"))
    public_present = models.PositiveIntegerField(_("public taking part"))
    township_decided_on = models.DateField(_("township committee decided on"), null=True)
    requested_on = models.DateField(_("requested on (请示)"), null=True)
    request_number = models.CharField(_("request reference"), max_length=50, blank=True)
    approved_on = models.DateField(_("approved on (批复)"), null=True)
    approval_number = models.CharField(_("approval reference"), max_length=50, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    def __str__(self):
        return f"{self.election} {self.held_on}"


class Candidate(models.Model):
    """One person standing for one office of an election.

    A nominee (初步候选人) becomes a formal candidate when the formal list is posted;
    before that a joint-review hit disqualifies and a withdrawal takes the person off,
    and in both cases the next person of the nomination ranking takes the place
    (``replaces``).
    """

    class Status(models.TextChoices):
        NOMINEE = "nominee", _("Nominee")
        RECOMMENDED = "recommended", _("Recommended")
        FORMAL = "formal", _("Formal candidate")
        DISQUALIFIED = "disqualified", _("Disqualified")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Source(models.TextChoices):
        NOMINATION = "nomination", _("Nominated by the voters")
        REVOTE = "revote", _("Re-vote among the tied")
        BACKFILL = "backfill", _("Filled in from the ranking")
        RECOMMENDATION = "recommendation", _("Recommended (两推)")

    election = models.ForeignKey("cycles.Election", models.CASCADE, related_name="candidates")
    office = models.CharField(_("office"), max_length=30)
    resident = models.ForeignKey("voters.Resident", models.PROTECT, related_name="candidacies")
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.NOMINEE
    )
    source = models.CharField(_("source"), max_length=15, choices=Source.choices)
    votes = models.PositiveIntegerField(_("nomination votes"), default=0)
    member_votes = models.PositiveIntegerField(_("members' votes"), default=0)
    public_votes = models.PositiveIntegerField(_("public votes"), default=0)
    replaces = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="replaced_by"
    )
    continuing = models.BooleanField(_("on the outgoing committee"), default=False)
    on_election_committee = models.BooleanField(
        _("member of the election committee"), default=False
    )
    left_on = models.DateField(_("left on"), null=True, blank=True)
    left_reason = models.CharField(_("reason"), max_length=200, blank=True)
    introduction = models.TextField(_("introduction"), blank=True)
    inspection = models.TextField(_("inspection (考察) findings"), blank=True)
    inspected_on = models.DateField(_("inspected on"), null=True, blank=True)
    commitment_signed_on = models.DateField(_("commitment letter signed on"), null=True, blank=True)
    commitment_file = models.FileField(
        _("commitment letter"), upload_to="commitments/%Y/%m/", blank=True
    )

    class Meta:
        ordering = ["election", "office", "-votes", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "resident"], name="one_candidacy_per_election"
            )
        ]

    def __str__(self):
        return f"{self.resident.name} ({self.office})"

    @property
    def standing(self) -> bool:
        """Still in the race: neither disqualified nor withdrawn."""
        return self.status not in (self.Status.DISQUALIFIED, self.Status.WITHDRAWN)


class Verdict(models.Model):
    """A department's verdict on a candidate against the negative list (DOMAIN §5.2).
    A department may revise it until the formal list is posted; the audit trail keeps
    the earlier ones."""

    class Outcome(models.TextChoices):
        CLEAR = "clear", _("Clear")
        HIT = "hit", _("Falls under the negative list")

    candidate = models.ForeignKey(Candidate, models.CASCADE, related_name="verdicts")
    department = models.ForeignKey(Department, models.PROTECT, related_name="verdicts")
    outcome = models.CharField(_("verdict"), max_length=10, choices=Outcome.choices)
    items = models.JSONField(_("items of the negative list"), default=list, blank=True)
    note = models.TextField(_("evidence"), blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now=True)

    class Meta:
        ordering = ["candidate", "department"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "department"], name="one_verdict_per_department"
            )
        ]

    def __str__(self):
        return f"{self.department}: {self.get_outcome_display()}"


class Notice(models.Model):
    """A posted notice about an election's candidates, kept as the PDF posted."""

    class Kind(models.TextChoices):
        NOMINATION = "nomination", _("Nomination result (提名结果公告)")
        PUBLICITY = "publicity", _("Public notice of party candidates (公示)")
        FORMAL = "formal", _("Formal candidates (正式候选人公告)")

    election = models.ForeignKey(
        "cycles.Election", models.CASCADE, related_name="candidate_notices"
    )
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    published_on = models.DateField(_("published on"))
    ends_on = models.DateField(_("runs until"), null=True, blank=True)
    names = models.PositiveIntegerField(_("names"), default=0)
    #: The resident ids of the people the notice names, so that a later change of the
    #: list can be told from what was posted.
    people = models.JSONField(_("people"), default=list)
    file = models.FileField(upload_to="candidates/%Y/%m/")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.election} {self.get_kind_display()} {self.published_on}"
