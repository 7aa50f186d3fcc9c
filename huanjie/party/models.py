"""Party organisations of each place, their members and the elections of their
committees (DOMAIN §2 item 3, §8): who is left out of the due number, the members'
meeting (党员大会) with its attendance, the first plenary (一届一次全委会) with the
upper level's approval (批复), the committee in office, and the delegate congress
(党员代表大会)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huanjie.rules import members as rules
from huanjie.rules.members import Exclusion


class Organisation(models.Model):
    class Kind(models.TextChoices):
        BRANCH = "branch", _("Party branch (党支部)")
        GENERAL_BRANCH = "general_branch", _("General branch (党总支)")
        COMMITTEE = "committee", _("Party committee (党委)")

    place = models.ForeignKey("places.Place", models.PROTECT, related_name="party_organisations")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    def __str__(self):
        return self.name


class Member(models.Model):
    class Status(models.TextChoices):
        FULL = "full", _("Full member (正式党员)")
        PROBATIONARY = "probationary", _("Probationary member (预备党员)")

    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="members")
    resident = models.OneToOneField(
        "voters.Resident", models.PROTECT, related_name="party_membership"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    joined_on = models.DateField(_("joined on"))
    under_probation_sanction = models.BooleanField(
        _("under probation sanction (留党察看)"), default=False
    )
    suspended = models.BooleanField(_("suspended (detained/arrested)"), default=False)
    #: Where the membership (组织关系) is kept, when not with the organisation itself.
    location = models.CharField(_("membership kept at"), max_length=100, blank=True)
    #: The branch or party group (党小组) within the organisation; a delegate congress
    #: takes its electoral units from it.
    cell = models.CharField(_("branch or party group"), max_length=50, blank=True)
    #: A cadre (干部) or a front-line member (生产一线), for a delegate congress's
    #: composition targets.
    cadre = models.BooleanField(_("cadre"), default=False)
    front_line = models.BooleanField(_("front line"), default=False)

    class Meta:
        ordering = ["organisation", "id"]

    def __str__(self):
        return f"{self.resident} ({self.get_status_display()})"

    def as_rule(self) -> rules.Member:
        """The member as the rules core sees them (DOMAIN §8)."""
        return rules.Member(
            id=self.pk,
            name=self.resident.name if self.resident_id else "",
            full=self.status == self.Status.FULL,
            under_probation_sanction=self.under_probation_sanction,
            suspended=self.suspended,
        )


class Leave(models.Model):
    """A member left out of the due number of one election (DOMAIN §8), with the day
    of each of the three approvals it needs."""

    election = models.ForeignKey("cycles.Election", models.CASCADE, related_name="party_leaves")
    member = models.ForeignKey(Member, models.CASCADE, related_name="leaves")
    reason = models.CharField(
        _("situation"), max_length=30, choices=[(e.value, e.title_zh) for e in Exclusion]
    )
    since = models.DateField(_("since"), null=True, blank=True)
    branch_decided_on = models.DateField(_("branch decided on"), null=True, blank=True)
    upper_level_agreed_on = models.DateField(_("upper level agreed on"), null=True, blank=True)
    meeting_approved_on = models.DateField(_("meeting approved on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["election", "member"]
        constraints = [
            models.UniqueConstraint(fields=["election", "member"], name="one_leave_per_election")
        ]

    def __str__(self):
        return f"{self.member} {self.get_reason_display()}"


class Meeting(models.Model):
    """A members' meeting (党员大会) convened to elect the committee, or the delegate
    congress (党员代表大会) — a meeting of delegates. It votes only with its quorum
    and its election method adopted; a meeting without quorum is adjourned and
    another is called."""

    class Kind(models.TextChoices):
        MEMBERS = "members", _("Members' meeting (党员大会)")
        CONGRESS = "congress", _("Delegate congress (党员代表大会)")

    class State(models.TextChoices):
        OPEN = "open", _("Checking in")
        VOTING = "voting", _("Voting")
        ADJOURNED = "adjourned", _("Adjourned without quorum")
        CLOSED = "closed", _("Closed")

    election = models.ForeignKey("cycles.Election", models.CASCADE, related_name="party_meetings")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.MEMBERS)
    held_on = models.DateField(_("held on"))
    place_name = models.CharField(_("venue"), max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    #: The due number (应到会) and those present when the vote opened or the meeting
    #: was adjourned; derived from the roster and the attendance, kept as they were.
    due = models.PositiveIntegerField(_("due to attend"), null=True, blank=True)
    present = models.PositiveIntegerField(_("present"), null=True, blank=True)
    method_adopted_at = models.DateTimeField(_("election method adopted at"), null=True, blank=True)
    method_text = models.TextField(_("election method"), blank=True)
    poll = models.OneToOneField(
        "polling.Poll", models.SET_NULL, null=True, blank=True, related_name="party_meeting"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["election", "held_on", "id"]

    def __str__(self):
        return f"{self.election} {self.get_kind_display()} {self.held_on}"


class Attendance(models.Model):
    """A member (or delegate) checked in at a meeting (实到会)."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="attendance")
    member = models.ForeignKey(Member, models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["meeting", "at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_attendance_per_member")
        ]

    def __str__(self):
        return f"{self.meeting} {self.member}"


class SeatReduction(models.Model):
    """Seats left open by the members' meeting not filled but given up (减少名额),
    with the consent of more than half of the voters, recorded (DOMAIN §8)."""

    poll = models.OneToOneField("polling.Poll", models.CASCADE, related_name="seat_reduction")
    seats_before = models.PositiveSmallIntegerField(_("seats before"))
    seats_after = models.PositiveSmallIntegerField(_("seats after"))
    consenting = models.PositiveIntegerField(_("voters consenting"))
    base = models.PositiveIntegerField(_("of voters"))
    decided_on = models.DateField(_("decided on"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    def __str__(self):
        return f"{self.poll} {self.seats_before}→{self.seats_after}"


class Plenary(models.Model):
    """The new committee's first plenary (一届一次全委会): it elects the 书记 and
    副书记 from among the committee; the results go up for approval (批复), and with
    the approval the committee takes office."""

    class State(models.TextChoices):
        OPEN = "open", _("Voting")
        REPORTED = "reported", _("Reported for approval")
        APPROVED = "approved", _("Approved")

    election = models.ForeignKey("cycles.Election", models.CASCADE, related_name="plenaries")
    held_on = models.DateField(_("held on"))
    #: The committee members (Winner ids of the members' meeting) and those present.
    committee = models.JSONField(_("committee"))
    present = models.PositiveSmallIntegerField(_("present"))
    offices = models.JSONField(_("offices"))
    candidates = models.JSONField(_("candidates"))
    counts = models.JSONField(_("votes"), default=dict, blank=True)
    ballots_issued = models.PositiveSmallIntegerField(_("ballots issued"), null=True, blank=True)
    ballots_returned = models.PositiveSmallIntegerField(
        _("ballots returned"), null=True, blank=True
    )
    result = models.JSONField(_("result"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    reported_on = models.DateField(_("reported on"), null=True, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approved_by = models.CharField(_("approved by"), max_length=100, blank=True)
    approval_reference = models.CharField(_("approval reference (文号)"), max_length=60, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["election", "held_on", "id"]

    def __str__(self):
        return f"{self.election} {self.held_on}"


class Seat(models.Model):
    """A member's office in an organisation's committee (书记, 副书记, 委员), from the
    approval until a later committee takes office."""

    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="seats")
    member = models.ForeignKey(Member, models.PROTECT, related_name="seats")
    office = models.CharField(_("office"), max_length=30)
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)
    plenary = models.ForeignKey(Plenary, models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["organisation", "until", "id"]

    def __str__(self):
        return f"{self.organisation} {self.office} {self.member}"


class Congress(models.Model):
    """The delegate congress (党员代表大会) approved for an election in place of the
    members' meeting (DOMAIN §2 item 3, §8)."""

    election = models.OneToOneField(
        "cycles.Election", models.CASCADE, related_name="party_congress"
    )
    approved_on = models.DateField(_("approved on"))
    approval_reference = models.CharField(_("approval reference (文号)"), max_length=60, blank=True)
    delegates = models.PositiveSmallIntegerField(_("delegates"))
    #: Branches scattered (党员分散): a reason for a congress besides 500 members.
    scattered = models.BooleanField(_("branches scattered"), default=False)
    #: The composition targets as the rules core's CompositionTargets fields.
    targets = models.JSONField(_("composition targets"), default=dict)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    def __str__(self):
        return f"{self.election} ({self.delegates})"


class Unit(models.Model):
    """An electoral unit of a congress: a branch or party group (Member.cell) and the
    delegates allocated to it by its members."""

    congress = models.ForeignKey(Congress, models.CASCADE, related_name="units")
    name = models.CharField(_("name"), max_length=50)
    members = models.PositiveIntegerField(_("members"))
    seats = models.PositiveSmallIntegerField(_("delegates"))

    class Meta:
        ordering = ["congress", "name"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "name"], name="one_unit_per_name")
        ]

    def __str__(self):
        return self.name


class Delegate(models.Model):
    """A delegate candidate of a unit; elected by the unit, then reviewed (资格审查)."""

    class Review(models.TextChoices):
        PENDING = "pending", _("Not reviewed")
        CONFIRMED = "confirmed", _("Credentials confirmed")
        REFUSED = "refused", _("Credentials refused")

    unit = models.ForeignKey(Unit, models.CASCADE, related_name="delegates")
    member = models.ForeignKey(Member, models.PROTECT, related_name="+")
    votes = models.PositiveIntegerField(_("votes"), null=True, blank=True)
    elected = models.BooleanField(_("elected"), default=False)
    review = models.CharField(
        _("credentials"), max_length=10, choices=Review.choices, default=Review.PENDING
    )
    review_note = models.CharField(_("review note"), max_length=200, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["unit", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "member"], name="one_candidacy_per_unit")
        ]

    def __str__(self):
        return f"{self.unit} {self.member}"
