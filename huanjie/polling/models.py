"""Election day and the count (DOMAIN §6–7): where people vote, who watches, who votes
for whom by entrustment, who took a ballot, what the ballots said and what that means.

A :class:`Poll` is one vote of an election: the first vote, a re-vote among the tied, a
run-off (另行选举) for the seats left open, or a re-run (重新选举) of a void election.
Each poll keeps its own slate (offices, seats and candidates as they stood on its
ballot) in the form the rules core counts, so a later change of the candidates never
changes what an earlier count meant.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huanjie.counts import Counted


class Station(models.Model):
    """The central venue (中心会场), a polling station (投票站) or a mobile box (流动票箱).

    A mobile box goes only to the voters approved and published for it
    (:class:`MobileVoter`); all boxes are opened together at the central venue.
    """

    class Kind(models.TextChoices):
        CENTRAL = "central", _("Central venue")
        STATION = "station", _("Polling station")
        MOBILE_BOX = "mobile_box", _("Mobile box")

    election = models.ForeignKey("cycles.Election", models.CASCADE, related_name="stations")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=50)
    location = models.CharField(_("location"), max_length=100, blank=True)
    booths = models.PositiveSmallIntegerField(_("secret booths"), default=1)
    approved_on = models.DateField(_("voters approved on"), null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["election", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["election", "name"], name="one_station_per_name")
        ]

    def __str__(self):
        return self.name


class Scrutineer(models.Model):
    """A scrutineer (监票人) or counter (计票人) of a station or box, chosen from the voters."""

    class Role(models.TextChoices):
        SCRUTINEER = "scrutineer", _("Scrutineer")
        COUNTER = "counter", _("Counter")

    station = models.ForeignKey(Station, models.CASCADE, related_name="scrutineers")
    voter = models.ForeignKey("voters.Voter", models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    chief = models.BooleanField(_("chief scrutineer"), default=False)

    class Meta:
        ordering = ["station", "role", "-chief", "voter__number"]
        constraints = [
            models.UniqueConstraint(fields=["station", "voter"], name="one_duty_per_station")
        ]

    def __str__(self):
        return f"{self.station} {self.voter.name}"


class MobileVoter(models.Model):
    """A voter a mobile box goes to (old, ill or disabled, DOMAIN §6)."""

    station = models.ForeignKey(Station, models.CASCADE, related_name="mobile_voters")
    voter = models.ForeignKey("voters.Voter", models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=100)

    class Meta:
        ordering = ["station", "voter__number"]
        constraints = [
            models.UniqueConstraint(fields=["station", "voter"], name="one_mobile_line_per_voter")
        ]

    def __str__(self):
        return f"{self.station} {self.voter.name}"


class Proxy(models.Model):
    """An entrustment (委托投票): ``entruster`` gives ``proxy`` the right to vote for them."""

    election = models.ForeignKey("cycles.Election", models.CASCADE, related_name="proxies")
    entruster = models.ForeignKey("voters.Voter", models.PROTECT, related_name="+")
    proxy = models.ForeignKey("voters.Voter", models.PROTECT, related_name="+")
    relation = models.CharField(_("relation"), max_length=15)
    signed_on = models.DateField(_("authorisation signed on"))
    authorisation = models.FileField(_("written authorisation"), upload_to="proxies/%Y/%m/")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["election", "proxy__number", "entruster__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "entruster"], name="one_proxy_per_entruster"
            )
        ]

    def __str__(self):
        return f"{self.entruster.name} → {self.proxy.name}"


class Notice(models.Model):
    """A list or result posted for the voters: proxies, mobile-box voters, results."""

    class Kind(models.TextChoices):
        PROXIES = "proxies", _("Proxies")
        MOBILE_BOX = "mobile_box", _("Mobile box voters")
        ANNOUNCEMENT = "announcement", _("Results announcement")

    election = models.ForeignKey("cycles.Election", models.CASCADE, related_name="polling_notices")
    poll = models.ForeignKey("Poll", models.CASCADE, null=True, blank=True, related_name="notices")
    station = models.ForeignKey(
        Station, models.CASCADE, null=True, blank=True, related_name="notices"
    )
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    published_on = models.DateField(_("published on"))
    people = models.JSONField(_("people"), default=list)
    file = models.FileField(upload_to="polling/%Y/%m/")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["election", "-at"]

    def __str__(self):
        return f"{self.election} {self.get_kind_display()} {self.published_on}"


class Poll(models.Model):
    """One vote of an election (DOMAIN §7): first vote, re-vote, run-off or re-run.

    ``offices`` and ``candidates`` are the slate in the rules core's form
    (:mod:`huanjie.rules.tally`); ``result`` is the core's answer, kept as counted.
    Once confirmed the poll is locked; a later correction is a :class:`Correction`.
    """

    class Round(models.TextChoices):
        FIRST = "first", _("First vote")
        REVOTE = "revote", _("Re-vote among the tied")
        RUNOFF = "runoff", _("Run-off (另行选举)")
        RERUN = "rerun", _("Re-run (重新选举)")

    class Layout(models.TextChoices):
        SECTIONS = "sections", _("One ballot with a section per office")
        SEPARATE = "separate", _("One ballot per office")

    class Method(models.TextChoices):
        BALLOTS = "ballots", _("Ballot by ballot, entered twice")
        TOTALS = "totals", _("Totals from the tally sheet")

    class State(models.TextChoices):
        OPEN = "open", _("Voting")
        COUNTING = "counting", _("Counting")
        CONFIRMED = "confirmed", _("Confirmed")

    election = models.ForeignKey("cycles.Election", models.CASCADE, related_name="polls")
    follows = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="followed_by"
    )
    round = models.CharField(_("round"), max_length=10, choices=Round.choices)
    held_on = models.DateField(_("held on"))
    due_by = models.DateField(_("to be held by"), null=True, blank=True)
    layout = models.CharField(
        _("ballot"), max_length=10, choices=Layout.choices, default=Layout.SECTIONS
    )
    method = models.CharField(
        _("count"), max_length=10, choices=Method.choices, default=Method.BALLOTS
    )
    electorate = models.PositiveIntegerField(_("registered voters"))
    present = models.PositiveIntegerField(_("present"), null=True, blank=True)
    offices = models.JSONField(_("offices"))
    candidates = models.JSONField(_("candidates"))
    counts = models.JSONField(_("totals"), default=dict, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    result = models.JSONField(_("result"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["election", "held_on", "id"]

    def __str__(self):
        return f"{self.election} {self.get_round_display()} {self.held_on}"


class CheckIn(models.Model):
    """A ballot handed to a voter (or to the proxy collecting it) at a desk."""

    poll = models.ForeignKey(Poll, models.CASCADE, related_name="check_ins")
    voter = models.ForeignKey("voters.Voter", models.PROTECT, related_name="+")
    station = models.ForeignKey(Station, models.PROTECT, related_name="check_ins")
    proxy = models.ForeignKey(Proxy, models.PROTECT, null=True, blank=True, related_name="+")
    assisted = models.BooleanField(_("written by a helper (代写)"), default=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["poll", "-at"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "voter"], name="one_ballot_per_voter")
        ]

    def __str__(self):
        return f"{self.poll} {self.voter.name}"


#: The check-ins of each poll by station or box, by proxy or not and written by a
#: helper or not, kept by the database (:mod:`huanjie.counts`) for the statistics
#: (§11), which would otherwise count most of a million check-ins at each request.
CHECK_INS_COUNTED = Counted(
    "polling_checkincount",
    "polling_checkin",
    {
        "poll_id": "{row}.poll_id",
        "station_id": "{row}.station_id",
        "by_proxy": "{row}.proxy_id IS NOT NULL",
        "assisted": "{row}.assisted",
    },
)


class CheckInCount(models.Model):
    """How many ballots a poll handed out at a station or box, by proxy or not, written
    by a helper or not (:data:`CHECK_INS_COUNTED`): written only by the database's
    triggers."""

    poll = models.ForeignKey(
        Poll, models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False
    )
    station = models.ForeignKey(
        Station, models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False
    )
    by_proxy = models.BooleanField()
    assisted = models.BooleanField()
    n = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "station", "by_proxy", "assisted"], name="one_check_in_count"
            )
        ]

    def __str__(self):
        return f"{self.poll_id} {self.station_id}: {self.n}"


class BoxCount(models.Model):
    """Ballots issued and returned at one station or box (DOMAIN §6), from its sheet."""

    poll = models.ForeignKey(Poll, models.CASCADE, related_name="box_counts")
    station = models.ForeignKey(Station, models.PROTECT, related_name="box_counts")
    issued = models.PositiveIntegerField(_("ballots issued"))
    returned = models.PositiveIntegerField(_("ballots returned"))

    class Meta:
        ordering = ["poll", "station"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "station"], name="one_count_per_box")
        ]

    def __str__(self):
        return f"{self.station} {self.issued}/{self.returned}"


class BallotEntry(models.Model):
    """One returned ballot as one counter entered it (double entry: counters 1 and 2).

    ``marks`` is the ballot in the rules core's form: ``{office: [who, ...]}``, a
    section ``null`` when unreadable, or ``{"invalid": true}`` for a void ballot.
    """

    poll = models.ForeignKey(Poll, models.CASCADE, related_name="entries")
    counter = models.PositiveSmallIntegerField(_("counter"))
    number = models.PositiveIntegerField(_("ballot number"))
    marks = models.JSONField(_("marks"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now=True)

    class Meta:
        ordering = ["poll", "counter", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "counter", "number"], name="one_entry_per_ballot_and_counter"
            )
        ]

    def __str__(self):
        return f"{self.poll} #{self.number} ({self.counter})"


class Correction(models.Model):
    """A change to a confirmed poll, with the reason the committee gave."""

    poll = models.ForeignKey(Poll, models.CASCADE, related_name="corrections")
    reason = models.TextField(_("reason"))
    before = models.JSONField(_("before"))
    after = models.JSONField(_("after"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["poll", "at"]

    def __str__(self):
        return f"{self.poll} {self.at}"


class Winner(models.Model):
    """A person elected by a confirmed poll, with the certificate (当选证书) issued."""

    poll = models.ForeignKey(Poll, models.CASCADE, related_name="winners")
    office = models.CharField(_("office"), max_length=30)
    who = models.CharField(_("who"), max_length=50)
    name = models.CharField(_("name"), max_length=50)
    votes = models.PositiveIntegerField(_("votes"))
    candidate = models.ForeignKey(
        "candidates.Candidate", models.PROTECT, null=True, blank=True, related_name="+"
    )
    voter = models.ForeignKey(
        "voters.Voter", models.PROTECT, null=True, blank=True, related_name="+"
    )
    certificate_number = models.CharField(_("certificate number"), max_length=30, blank=True)
    certified_on = models.DateField(_("certificate issued on"), null=True, blank=True)

    class Meta:
        ordering = ["poll", "id"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "office", "who"], name="one_win_per_office")
        ]

    def __str__(self):
        return f"{self.name} {self.office}"
