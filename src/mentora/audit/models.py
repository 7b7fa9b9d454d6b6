"""Audit: who opened whose confidential records and why; change history of the core records.

Confidential records of a person are their sensitive attributes (gender, race/ethnicity, LGBTQ+
identity), their visa and immigration details, and the wellbeing and remediation notes kept about
them by their program. Anyone but the person must give a reason to open them, and each opening is an
AccessLog row the person sees on "Who looked at my records".

Change history (who, when, what) of relationships, memberships, plans, goals and the shared items of
meetings (agenda items, shared notes, action items) is kept by django-simple-history;
the historical tables are registered here, in this app, so the foundation apps stay untouched.
"""

from django.conf import settings
from django.db import models
from simple_history import register
from simple_history.models import HistoricalRecords

from mentora.ilps.models import Goal, LearningPlan
from mentora.meetings.models import ActionItem, AgendaItem, SharedNote
from mentora.programs.models import Membership
from mentora.relationships.models import Relationship


class ConfidentialNote(models.Model):
    """A wellbeing or remediation note about a trainee, written by their program."""

    class Kind(models.TextChoices):
        WELLBEING = "wellbeing", "Wellbeing"
        REMEDIATION = "remediation", "Remediation"

    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="confidential_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="confidential_notes_written"
    )
    program = models.ForeignKey("programs.Program", on_delete=models.SET_NULL, null=True, blank=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    text = models.TextField(max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["subject", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} note about {self.subject}"


class AccessLog(models.Model):
    """One opening of someone's confidential records by someone else, with the reason given."""

    class Record(models.TextChoices):
        SENSITIVE = "sensitive_attributes", "Optional attributes (gender, race/ethnicity, LGBTQ+)"
        VISA = "visa", "Visa and immigration details"
        NOTES = "notes", "Wellbeing and remediation notes"

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="record_accesses_made"
    )
    actor_name = models.CharField(max_length=200, help_text="Kept if the account is deleted.")
    actor_role = models.CharField(max_length=100, blank=True)
    subject = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="record_accesses")
    records = models.JSONField(default=list, help_text="Which kinds of record were shown.")
    reason = models.TextField(max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["subject", "created_at"])]
        constraints = [models.CheckConstraint(condition=~models.Q(reason=""), name="access_log_reason_given")]

    def __str__(self) -> str:
        return f"{self.actor_name} opened records of {self.subject} ({self.created_at:%Y-%m-%d})"

    def record_labels(self) -> list[str]:
        labels = dict(self.Record.choices)
        return [labels.get(record, record) for record in self.records]


# Change history of the foundation's records, kept in this app's tables.
register(Relationship, app="mentora.audit", table_name="audit_relationship_history")
register(Membership, app="mentora.audit", table_name="audit_membership_history")
register(LearningPlan, app="mentora.audit", table_name="audit_learningplan_history")
register(Goal, app="mentora.audit", table_name="audit_goal_history")
# What the two sides of a relationship share and may correct: each edit and deletion is shown to both.
# Private notes have no history on purpose: a copy of them would be one more place they could leak from.
register(AgendaItem, app="mentora.audit", table_name="audit_agendaitem_history")
register(SharedNote, app="mentora.audit", table_name="audit_sharednote_history")
register(ActionItem, app="mentora.audit", table_name="audit_actionitem_history")


class AdminAction(models.Model):
    """One action of a site admin (or of the system on an admin's behalf): who did what to what, why.

    Written by the service that acts, in the same transaction as the change, so an action that rolls
    back leaves no entry and an entry never describes a change that did not happen. The target is kept
    as words (its kind, id and label) so the entry outlives the object.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="admin_actions"
    )
    actor_name = models.CharField(max_length=200, help_text="Kept if the account is deleted.")
    action = models.CharField(max_length=60, db_index=True, help_text="What was done, e.g. person.deactivate.")
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=300, blank=True)
    reason = models.TextField(max_length=1000, blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.actor_name}: {self.action} {self.target_label}".strip()
