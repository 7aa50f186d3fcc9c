"""Residents: the people from whom the voter rolls are built (DOMAIN §4).

A resident has a place of household registration (户籍地) and a place of residence
(居住地); when they differ the person is a migrant (人户分离), which decides the voter
category. Age and sex are read from the ID number, never typed.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


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


class Resident(models.Model):
    id_number = models.CharField(_("ID number"), max_length=18, unique=True)
    name = models.CharField(_("name"), max_length=50)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    ethnicity = models.CharField(_("ethnicity"), max_length=20, default="汉族")
    education = models.CharField(_("education"), max_length=20, choices=Education.choices)
    household_place = models.ForeignKey(
        "places.Place", models.PROTECT, related_name="registered_residents"
    )
    residence_place = models.ForeignKey(
        "places.Place", models.PROTECT, related_name="living_residents"
    )
    group = models.ForeignKey(
        "places.Place", models.SET_NULL, null=True, blank=True, related_name="group_residents"
    )
    household_number = models.CharField(_("household number"), max_length=20)
    lives_since = models.DateField(_("lives there since"), null=True, blank=True)
    deprived_of_rights = models.BooleanField(_("deprived of political rights"), default=False)
    incapacitated = models.BooleanField(_("unable to express will"), default=False)

    class Meta:
        indexes = [
            models.Index(fields=["household_place"]),
            models.Index(fields=["residence_place"]),
            models.Index(fields=["name"]),
        ]

    def __str__(self):
        return self.name

    @property
    def is_migrant(self) -> bool:
        return self.household_place_id != self.residence_place_id


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
