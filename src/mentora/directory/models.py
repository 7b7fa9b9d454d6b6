"""Finding a mentor: what matters to a mentee, mentorship requests and referral requests.

Relationships themselves live in mentora.relationships; an accepted request points at the one
it created.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from mentora.core.vocabulary import RELATIONSHIP_KINDS, choices

# The criteria a mentee may weigh, in the engine's names (DESIGN.md, "Matching engine contract").
PREFERENCE_CRITERIA: dict[str, str] = {
    "specialty": "Specialty",
    "research_interests": "Research interests",
    "career_tracks": "Career track",
    "img_background": "Shared IMG background",
    "country": "Country or region of training",
    "languages": "Language",
}
WEIGHT_CHOICES = [(0, "Does not matter"), (1, "A little"), (2, "Somewhat"), (3, "A lot"), (5, "Most of all")]


class MatchPreferences(models.Model):
    """'What matters to me': how much each criterion weighs in this mentee's matches.

    Concordance on gender or race/ethnicity is chosen on the mentee's own (consented) sensitive
    attributes (`SensitiveAttributes.concordance_wanted`); its weight is kept here.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="match_preferences")
    specialty = models.PositiveSmallIntegerField(default=3, choices=WEIGHT_CHOICES)
    research_interests = models.PositiveSmallIntegerField(default=2, choices=WEIGHT_CHOICES)
    career_tracks = models.PositiveSmallIntegerField(default=2, choices=WEIGHT_CHOICES)
    img_background = models.PositiveSmallIntegerField(default=1, choices=WEIGHT_CHOICES)
    country = models.PositiveSmallIntegerField(default=1, choices=WEIGHT_CHOICES)
    languages = models.PositiveSmallIntegerField(default=1, choices=WEIGHT_CHOICES)
    concordance = models.PositiveSmallIntegerField(
        default=2, choices=WEIGHT_CHOICES, help_text="How much the concordances you asked for weigh."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "match preferences"
        constraints = [
            models.CheckConstraint(
                condition=Q(specialty__lte=5, research_interests__lte=5, career_tracks__lte=5,
                            img_background__lte=5, country__lte=5, languages__lte=5, concordance__lte=5),
                name="match_preferences_weights_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"What matters to {self.user}"

    def weights(self) -> dict[str, float]:
        result = {name: float(getattr(self, name)) for name in PREFERENCE_CRITERIA}
        result["gender"] = result["race_ethnicity"] = float(self.concordance)
        return result


class MentorshipRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for an answer"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"
        EXPIRED = "expired", "Expired"

    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="requests_sent")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="requests_received")
    kind = models.CharField(max_length=10, choices=choices(RELATIONSHIP_KINDS), default="career")
    program = models.ForeignKey(
        "programs.Program", on_delete=models.SET_NULL, null=True, blank=True, related_name="mentorship_requests"
    )
    network = models.ForeignKey(
        "programs.Network", on_delete=models.SET_NULL, null=True, blank=True, related_name="mentorship_requests"
    )
    referral = models.ForeignKey(
        "directory.ReferralRequest", on_delete=models.SET_NULL, null=True, blank=True, related_name="requests"
    )
    why = models.TextField("Why this mentor", max_length=2000)
    hopes = models.TextField("What you hope for (the end in mind)", max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    answer_note = models.TextField(blank=True, max_length=2000)
    relationship = models.OneToOneField(
        "relationships.Relationship", on_delete=models.SET_NULL, null=True, blank=True, related_name="request"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mentee", "mentor", "kind"], condition=Q(status="pending"),
                name="request_one_pending_per_pair_and_kind",
            ),
            models.CheckConstraint(condition=~Q(mentee=models.F("mentor")), name="request_not_self"),
        ]
        indexes = [
            models.Index(fields=["mentor", "status"]),
            models.Index(fields=["mentee", "status"]),
            models.Index(fields=["status", "expires_at"]),
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.mentee} asks {self.mentor} ({self.get_kind_display()}, {self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class ReferralRequest(models.Model):
    """A mentee asks a network's coordinators to suggest a mentor."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for the coordinators"
        PROPOSED = "proposed", "Mentors proposed"
        PICKED = "picked", "Mentor chosen"
        CANCELLED = "cancelled", "Cancelled"

    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referral_requests")
    network = models.ForeignKey("programs.Network", on_delete=models.CASCADE, related_name="referral_requests")
    kind = models.CharField(max_length=10, choices=choices(RELATIONSHIP_KINDS), default="career")
    looking_for = models.TextField("What you are looking for", max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    coordinator_note = models.TextField(blank=True, max_length=2000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals_answered"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mentee", "network", "kind"], condition=Q(status__in=["open", "proposed"]),
                name="referral_one_open_per_network_and_kind",
            )
        ]
        indexes = [models.Index(fields=["network", "status"])]
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Referral for {self.mentee} in {self.network} ({self.get_status_display()})"


class ReferralProposal(models.Model):
    referral = models.ForeignKey(ReferralRequest, on_delete=models.CASCADE, related_name="proposals")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["referral", "mentor"], name="referral_proposal_unique_mentor"),
        ]
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.mentor} proposed for {self.referral}"
