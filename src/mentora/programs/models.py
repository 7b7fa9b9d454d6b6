"""Networks, institutions, permanent programs and yearly memberships."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from mentora.core.academic_year import academic_year_label
from mentora.core.links import WebLinkField
from mentora.core.vocabulary import CADENCES, DEFAULT_CADENCE_DAYS, SPECIALTIES, TRAINING_LEVELS, choices


class Network(models.Model):
    """A society or section spanning institutions (an IMG section, a specialty society)."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    description = models.TextField(blank=True)
    website = WebLinkField(blank=True)
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="coordinated_networks", blank=True
    )
    mentors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="mentor_networks", blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Institution(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=2, default="US")
    networks = models.ManyToManyField(Network, related_name="institutions", blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Program(models.Model):
    """A permanent training program; years roll over by new memberships, never by new programs."""

    class ReviewFrequency(models.TextChoices):
        ANNUAL = "annual", "Annually"
        SEMIANNUAL = "semiannual", "Twice a year"
        QUARTERLY = "quarterly", "Quarterly"

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="programs")
    network = models.ForeignKey(
        Network, on_delete=models.SET_NULL, null=True, blank=True, related_name="programs"
    )
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    specialty = models.CharField(max_length=40, choices=choices(SPECIALTIES))
    review_frequency = models.CharField(
        max_length=12, choices=ReviewFrequency.choices, default=ReviewFrequency.SEMIANNUAL
    )
    request_expiry_days = models.PositiveSmallIntegerField(
        default=14, help_text="Days after which an unanswered mentorship request expires."
    )
    meeting_cadence_days = models.PositiveSmallIntegerField(
        choices=list(CADENCES.items()), default=DEFAULT_CADENCE_DAYS,
        help_text="How often mentors and mentees of the program meet: each agreement starts from it, "
                  "and relationships without an agreement are judged by it.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's role and training level in a program for one academic year."""

    class Role(models.TextChoices):
        MENTEE = "mentee", "Mentee (resident or fellow)"
        MENTOR = "mentor", "Mentor (faculty)"
        COORDINATOR = "coordinator", "Program coordinator"
        DIRECTOR = "director", "Program director"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="memberships")
    academic_year = models.PositiveSmallIntegerField(help_text="The year the academic year starts (2026 = 2026-27).")
    role = models.CharField(max_length=12, choices=Role.choices)
    training_level = models.CharField(max_length=10, choices=choices(TRAINING_LEVELS), blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "program", "academic_year", "role"], name="membership_unique_role_per_year"
            ),
        ]
        indexes = [models.Index(fields=["program", "academic_year", "role"])]
        ordering = ["-academic_year", "program__name"]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} in {self.program} {self.academic_year_label}"

    @property
    def academic_year_label(self) -> str:
        return academic_year_label(self.academic_year)


class MembershipInvitation(models.Model):
    """A program asks an existing account to join it; the Membership exists only once they accept.

    An import (or a coordinator adding someone by hand) cannot attach a person who already has an
    account elsewhere: until they accept, the program sees of them only what the directory shows.
    Distinct from the email that invites a *new* account to set its password (dataio.invitations).
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting their answer"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    class Source(models.TextChoices):
        IMPORT = "import", "Roster import"
        BY_HAND = "by_hand", "Added by hand"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership_invitations"
    )
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="membership_invitations")
    academic_year = models.PositiveSmallIntegerField()
    role = models.CharField(max_length=12, choices=Membership.Role.choices)
    training_level = models.CharField(max_length=10, choices=choices(TRAINING_LEVELS), blank=True)
    external_id = models.CharField(max_length=100, blank=True, help_text="The program's id, recorded on acceptance.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.IMPORT)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="membership_invitations_sent",
    )
    import_batch = models.ForeignKey(
        "dataio.ImportBatch", on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations"
    )
    invited_at = models.DateTimeField(default=timezone.now, help_text="When they were (last) asked.")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "program", "academic_year", "role"], name="membership_invitation_one_per_role_and_year"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "status"]),
            models.Index(fields=["program", "academic_year", "status"]),
        ]
        ordering = ["-invited_at"]

    def __str__(self) -> str:
        return f"{self.user} invited to {self.program} as {self.role} ({self.get_status_display()})"

    @property
    def academic_year_label(self) -> str:
        return academic_year_label(self.academic_year)
