"""The one Relationship model that requests, referrals, batch matching, meetings and ILPs point at."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from mentora.core.vocabulary import RELATIONSHIP_KINDS, choices


class RelationshipQuerySet(models.QuerySet):
    def open(self) -> "RelationshipQuerySet":
        """Proposed, active and paused relationships: the ones that count against a mentor's places."""
        return self.filter(status__in=Relationship.OPEN_STATUSES)


class Relationship(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        CLOSED = "closed", "Closed"

    class Source(models.TextChoices):
        REQUEST = "request", "Mentee request"
        REFERRAL = "referral", "Referral"
        BATCH_MATCH = "batch_match", "Batch match"
        MANUAL = "manual", "Set up by a coordinator"

    OPEN_STATUSES = (Status.PROPOSED, Status.ACTIVE, Status.PAUSED)

    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="relationships_as_mentee"
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="relationships_as_mentor"
    )
    kind = models.CharField(max_length=10, choices=choices(RELATIONSHIP_KINDS), default="career")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.MANUAL)
    program = models.ForeignKey(
        "programs.Program", on_delete=models.SET_NULL, null=True, blank=True, related_name="relationships"
    )
    network = models.ForeignKey(
        "programs.Network", on_delete=models.SET_NULL, null=True, blank=True, related_name="relationships"
    )
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    closing_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RelationshipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mentee", "mentor", "kind"],
                condition=Q(status__in=["proposed", "active", "paused"]),
                name="relationship_one_open_per_pair_and_kind",
            ),
            models.CheckConstraint(condition=~Q(mentee=models.F("mentor")), name="relationship_not_self"),
        ]
        indexes = [
            models.Index(fields=["mentor", "status"]),
            models.Index(fields=["mentee", "status"]),
            # "does this mentee have an open relationship in this program": the dashboard asks it per
            # membership; with all three columns the planner needs no statistics to pick this index.
            models.Index(fields=["mentee", "program", "status"]),
            models.Index(fields=["program", "status"]),
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.mentor} mentors {self.mentee} ({self.get_kind_display()}, {self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class RelationshipEvent(models.Model):
    """The relationship's history: who started, paused, resumed or closed it, when and why."""

    class Action(models.TextChoices):
        STARTED = "started", "Started"
        PAUSED = "paused", "Paused"
        RESUMED = "resumed", "Resumed"
        CLOSED = "closed", "Closed"

    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=10, choices=Action.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                           related_name="+")
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.relationship_id} on {self.created_at:%Y-%m-%d}"
