"""Residents: the people from whom the voter rolls are built (DOMAIN §4).

A resident has a place of household registration (户籍地) and a place of residence
(居住地); when they differ the person is a migrant (人户分离), which decides the voter
category. Age and sex are read from the ID number, never typed.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huanjie.counts import Counted


class Education(models.TextChoices):
    # DOMAIN §11 bands.
    POSTGRADUATE = "postgraduate", _("Postgraduate")
    BACHELOR = "bachelor", _("Bachelor")
    COLLEGE = "college", _("College (大专)")
    HIGH_SCHOOL = "high_school", _("High school / technical school")
    MIDDLE_SCHOOL = "middle_school", _("Middle school or below")


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Intent(models.TextChoices):
    # CONTRACTS §3 参选意愿; the values are the rules core's (eligibility.Intent).
    TAKE_PART = "参加", _("Will take part")
    DECLINED = "不参加", _("Declined")
    UNREACHABLE = "联系不上", _("Unreachable")
    UNKNOWN = "", _("Not stated")


class Category(models.TextChoices):
    # DOMAIN §4, best first (eligibility.Category).
    RESIDENT_REGISTERED = "户在人在", _("户在人在 (registered and living here)")
    RESIDENT_UNREGISTERED = "人在户不在", _("人在户不在 (living here, registered elsewhere)")
    REGISTERED_ABSENT = "户在人不在", _("户在人不在 (registered here, living elsewhere)")
    STAFF = "专职工作人员", _("专职工作人员 (full-time community staff)")


class Resident(models.Model):
    """One person as the household records and the committee's own survey know them.

    Places are kept as area codes, not links: a migrant's 户籍地 is often in another
    county or province, which this system does not hold. ``in_records`` turns false
    when a new residents file for the person's place no longer lists them (died,
    moved away); the record stays for party membership and family ties.
    """

    id_number = models.CharField(_("ID number"), max_length=18, unique=True)
    name = models.CharField(_("name"), max_length=50)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    ethnicity = models.CharField(_("ethnicity"), max_length=20, default="汉族")
    education = models.CharField(
        _("education"), max_length=20, choices=Education.choices, blank=True
    )
    household_code = models.CharField(_("household registered in"), max_length=15)
    residence_code = models.CharField(_("lives in"), max_length=15)
    staff_code = models.CharField(_("full-time staff of"), max_length=15, blank=True)
    # Residents are written a county at a time; the group is read through the roll.
    group = models.ForeignKey(
        "places.Place",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="group_residents",
        db_index=False,
        db_constraint=False,
    )
    household_number = models.CharField(_("household number"), max_length=20, blank=True)
    lives_since = models.DateField(_("lives there since"), null=True, blank=True)
    deprived_of_rights = models.BooleanField(_("deprived of political rights"), default=False)
    incapacitated = models.BooleanField(_("unable to express will"), default=False)
    intent = models.CharField(
        _("will take part"), max_length=10, choices=Intent.choices, blank=True, default=""
    )
    approved = models.BooleanField(_("meeting agreed"), default=False)
    in_records = models.BooleanField(_("in the household records"), default=True)
    # Which import last changed the record: a note, not a link the database guards.
    batch = models.ForeignKey(
        "ResidentImport",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )

    class Meta:
        indexes = [
            models.Index(fields=["household_code"]),
            models.Index(fields=["residence_code"]),
            models.Index(fields=["staff_code"]),
        ]

    def __str__(self):
        return self.name

    @property
    def is_migrant(self) -> bool:
        return self.household_code != self.residence_code


class ResidentImport(models.Model):
    """One residents file brought into a cycle for a place or a township.

    A rejected file is recorded too, with its errors, so that the error report can be
    downloaded and the attempt is on the record; nothing of it is imported.
    """

    class Status(models.TextChoices):
        APPLIED = "applied", _("Imported")
        REJECTED = "rejected", _("Not imported")

    cycle = models.ForeignKey("cycles.Cycle", models.CASCADE, related_name="resident_imports")
    place = models.ForeignKey("places.Place", models.PROTECT, related_name="resident_imports")
    file_name = models.CharField(_("file"), max_length=200)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    errors = models.JSONField(_("errors"), default=list)
    summary = models.JSONField(_("summary"), default=dict)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.place} {self.file_name}"


class Voter(models.Model):
    """A line of a community's roll (选民名单).

    The person's name and number are copied from the resident, so a published roll
    keeps what was posted even if the household records change later. At most one
    listed line per person and cycle: one person, one place (DOMAIN §4), held by the
    database as well as by the rules.
    """

    class Source(models.TextChoices):
        ROLL = "roll", _("Roll")
        OBJECTION = "objection", _("Objection upheld")
        SUPPLEMENTARY = "supplementary", _("Supplementary registration (补登)")

    class Status(models.TextChoices):
        LISTED = "listed", _("Listed")
        REMOVED = "removed", _("Removed")

    # A county's roll is written in one go, a million lines: no index or database
    # check that the roll's own queries (by cycle and place) do not need. The line
    # copies what it shows of the resident and the group, so those links are notes.
    cycle = models.ForeignKey(
        "cycles.Cycle", models.CASCADE, related_name="voters", db_index=False, db_constraint=False
    )
    place = models.ForeignKey("places.Place", models.PROTECT, related_name="voters", db_index=False)
    resident = models.ForeignKey(
        Resident,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="voter_lines",
        db_index=False,
        db_constraint=False,
    )
    number = models.PositiveIntegerField(_("voter number"))
    id_number = models.CharField(_("ID number"), max_length=18)
    name = models.CharField(_("name"), max_length=50)
    name_initials = models.CharField(_("pinyin initials"), max_length=50, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    ethnicity = models.CharField(_("ethnicity"), max_length=20, blank=True)
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    group = models.ForeignKey(
        "places.Place",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="group_voters",
        db_index=False,
        db_constraint=False,
    )
    source = models.CharField(_("source"), max_length=15, choices=Source.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.LISTED
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["place", "number"]
        # Few indexes: a county's roll is rewritten in one go, and each index costs
        # that write. Searches run within one place's roll; the check-in desk finds a
        # voter by name among tens of thousands while people queue.
        indexes = [
            models.Index(fields=["cycle", "place", "status"], name="voter_place_status"),
            models.Index(fields=["cycle", "place", "name", "number"], name="voter_name_in_place"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "id_number"],
                condition=models.Q(status="listed"),
                name="one_person_one_place",
            ),
            models.UniqueConstraint(fields=["cycle", "place", "number"], name="one_voter_number"),
        ]

    def __str__(self):
        return f"{self.number} {self.name}"


#: The lines of each place's roll by status, category and source, kept by the database
#: (:mod:`huanjie.counts`) for the statistics (§11), which would otherwise count a
#: county's million lines at each request.
ROLL_COUNTED = Counted(
    "voters_rollcount",
    "voters_voter",
    {
        "cycle_id": "{row}.cycle_id",
        "place_id": "{row}.place_id",
        "status": "{row}.status",
        "category": "{row}.category",
        "source": "{row}.source",
    },
)


class RollCount(models.Model):
    """How many lines of a place's roll have a status, a category and a source
    (:data:`ROLL_COUNTED`): written only by the database's triggers."""

    # Neither is checked nor indexed apart: the triggers write what the roll has, and
    # the counts are read by cycle and place (their unique key).
    cycle = models.ForeignKey(
        "cycles.Cycle", models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False
    )
    place = models.ForeignKey(
        "places.Place", models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False
    )
    status = models.CharField(max_length=10, choices=Voter.Status.choices)
    category = models.CharField(max_length=10, choices=Category.choices)
    source = models.CharField(max_length=15, choices=Voter.Source.choices)
    n = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "place", "status", "category", "source"], name="one_roll_count"
            )
        ]

    def __str__(self):
        return f"{self.place_id} {self.status} {self.category} {self.source}: {self.n}"


class Exclusion(models.Model):
    """Someone considered for a community's roll and not put on it, with the reason of
    the rules core (eligibility.Reason)."""

    # Written with the roll, as many lines as a third of it, and rewritten with it: see
    # Voter. What the database would check here, rolls.build wrote a moment before.
    cycle = models.ForeignKey(
        "cycles.Cycle",
        models.CASCADE,
        related_name="exclusions",
        db_index=False,
        db_constraint=False,
    )
    place = models.ForeignKey(
        "places.Place",
        models.CASCADE,
        related_name="exclusions",
        db_index=False,
        db_constraint=False,
    )
    resident = models.ForeignKey(
        Resident, models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    id_number = models.CharField(_("ID number"), max_length=18)
    name = models.CharField(_("name"), max_length=50)
    reason = models.CharField(_("reason"), max_length=30)

    class Meta:
        indexes = [models.Index(fields=["cycle", "place"])]

    def __str__(self):
        return f"{self.name} {self.reason}"


class Conflict(models.Model):
    """A person who qualifies in more than one community (不重登, DOMAIN §4).

    The rules register the person under the best category; the township confirms that
    or chooses another of the communities, and the decision is audited.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")

    cycle = models.ForeignKey("cycles.Cycle", models.CASCADE, related_name="roll_conflicts")
    resident = models.ForeignKey(Resident, models.CASCADE, related_name="+")
    id_number = models.CharField(_("ID number"), max_length=18)
    name = models.CharField(_("name"), max_length=50)
    # [[code, category], ...], the chosen community first.
    options = models.JSONField(_("communities"))
    registered_code = models.CharField(_("registered in"), max_length=15)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "id_number"], name="one_conflict_per_person")
        ]

    def __str__(self):
        return f"{self.name} → {self.registered_code}"


class RollChange(models.Model):
    """One line of 四增四减 between the last roll of a community and the new one."""

    # Written with the roll: see Voter. Read by batch (and place).
    cycle = models.ForeignKey(
        "cycles.Cycle",
        models.CASCADE,
        related_name="roll_changes",
        db_index=False,
        db_constraint=False,
    )
    place = models.ForeignKey(
        "places.Place",
        models.CASCADE,
        related_name="roll_changes",
        db_index=False,
        db_constraint=False,
    )
    batch = models.ForeignKey(
        ResidentImport, models.CASCADE, related_name="changes", db_index=False, db_constraint=False
    )
    id_number = models.CharField(_("ID number"), max_length=18)
    name = models.CharField(_("name"), max_length=50)
    change = models.CharField(_("change"), max_length=20)

    class Meta:
        indexes = [models.Index(fields=["batch", "place"])]

    def __str__(self):
        return f"{self.name} {self.change}"


class Publication(models.Model):
    """A notice posted for a community: the voter list, the objection decisions or the
    names registered on election day; the PDF is kept as it was posted."""

    class Kind(models.TextChoices):
        VOTER_LIST = "voter_list", _("Voter list (选民名单公告)")
        DECISIONS = "decisions", _("Objection decisions (申诉处理结果)")
        SUPPLEMENTARY = "supplementary", _("Supplementary registration (补登选民名单)")

    cycle = models.ForeignKey("cycles.Cycle", models.CASCADE, related_name="publications")
    place = models.ForeignKey("places.Place", models.PROTECT, related_name="publications")
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    published_on = models.DateField(_("published on"))
    voters = models.PositiveIntegerField(_("names"), default=0)
    file = models.FileField(upload_to="notices/%Y/%m/")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.place} {self.get_kind_display()} {self.published_on}"


class Objection(models.Model):
    """申诉: an objection to the posted list, about a listing or an omission."""

    class Kind(models.TextChoices):
        OMITTED = "omitted", _("Omitted from the list (漏登)")
        WRONGLY_LISTED = "wrongly_listed", _("Should not be listed (错登)")
        WRONG_DETAILS = "wrong_details", _("Wrong details")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting decision")
        UPHELD = "upheld", _("Upheld")
        REJECTED = "rejected", _("Rejected")

    cycle = models.ForeignKey("cycles.Cycle", models.CASCADE, related_name="objections")
    place = models.ForeignKey("places.Place", models.PROTECT, related_name="objections")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    voter = models.ForeignKey(Voter, models.SET_NULL, null=True, blank=True, related_name="+")
    subject_name = models.CharField(_("person concerned"), max_length=50)
    subject_id_number = models.CharField(_("their ID number"), max_length=18, blank=True)
    objector = models.CharField(_("objector"), max_length=50)
    objector_contact = models.CharField(_("objector's contact"), max_length=50, blank=True)
    reason = models.TextField(_("grounds"))
    filed_on = models.DateField(_("received on"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decision = models.TextField(_("decision"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    published = models.ForeignKey(
        Publication, models.SET_NULL, null=True, blank=True, related_name="objections"
    )

    class Meta:
        ordering = ["-filed_on", "-id"]

    def __str__(self):
        return f"{self.subject_name} ({self.get_kind_display()})"


class Relation(models.Model):
    """A recorded family tie. Only spouse and parent are stored: child, sibling,
    grandparent and grandchild follow from them, so they can never disagree."""

    class Kind(models.TextChoices):
        SPOUSE = "spouse", _("Spouse")
        PARENT = "parent", _("Parent")

    person = models.ForeignKey(Resident, models.CASCADE, related_name="relations")
    relative = models.ForeignKey(Resident, models.CASCADE, related_name="+")
    kind = models.CharField(_("relation"), max_length=10, choices=Kind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "relative", "kind"], name="one_relation")
        ]

    def __str__(self):
        return f"{self.person} → {self.relative} ({self.get_kind_display()})"
