"""Offboarding and privacy rights: a program's data policy and the log of each privacy action.

The log never holds personal data itself (no names, no emails, no free text from the person):
it points at the user row, which erasure anonymises in place, so the log survives erasure.
"""

from django.conf import settings
from django.db import models


class ProgramDataPolicy(models.Model):
    """What a program keeps when a person leaves it or asks for erasure. Missing row: the defaults."""

    program = models.OneToOneField("programs.Program", on_delete=models.CASCADE, related_name="data_policy")
    keep_records_on_leave = models.BooleanField(
        default=True,
        help_text=("Keep a leaver's mentoring relationships in the program's records (closed). Otherwise they are "
                   "closed and detached from the program, which no longer sees them."),
    )
    keep_mentor_records_on_erasure = models.BooleanField(
        default=True,
        help_text=("On erasure, keep the mentor's record of the relationship with the person anonymised (for the "
                   "mentor's portfolio and the program's totals). Otherwise those relationships are deleted."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "program data policies"

    def __str__(self) -> str:
        return f"Data policy of {self.program}"


class PrivacyEvent(models.Model):
    class Action(models.TextChoices):
        LEAVE_PROGRAM = "leave_program", "Left a program"
        WITHDRAW_CONSENT = "withdraw_consent", "Withdrew consent for optional attributes"
        ERASURE = "erasure", "Personal data erased"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="privacy_events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    action = models.CharField(max_length=20, choices=Action.choices)
    program = models.ForeignKey("programs.Program", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")
    counts = models.JSONField(default=dict, blank=True, help_text="What changed, as numbers per kind of record.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} (user {self.user_id})"
