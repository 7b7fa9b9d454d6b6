"""Conflicts of interest: a mentor who also evaluates a mentee.

A mentor declares the evaluating roles they hold, either over a whole program (every mentee of
it) or over one mentee. A program director's Membership counts as such a role without being
declared. A program's policy says whether such pairs are only warned about or forbidden, and whether a coordinator
may keep one in a batch match (which otherwise keeps every such pair apart) by giving a reason.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class EvaluatingRole(models.Model):
    class Role(models.TextChoices):
        PROGRAM_DIRECTOR = "program_director", "Program director or associate program director"
        CCC_MEMBER = "ccc_member", "Clinical competency committee member"
        ROTATION_EVALUATOR = "rotation_evaluator", "Rotation evaluator or supervising attending"

    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evaluating_roles"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, null=True, blank=True, related_name="evaluating_roles",
        help_text="Every mentee of this program.",
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
        related_name="evaluated_by_roles", help_text="Or one mentee only.",
    )
    note = models.CharField(max_length=200, blank=True, help_text="e.g. 'Cardiology rotation, block 4'.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(program__isnull=False) & Q(mentee__isnull=True))
                | (Q(program__isnull=True) & Q(mentee__isnull=False)),
                name="evaluating_role_program_xor_mentee",
            ),
            models.CheckConstraint(condition=~Q(mentee=models.F("mentor")), name="evaluating_role_not_self"),
            models.UniqueConstraint(fields=["mentor", "role", "program"], name="evaluating_role_unique_program",
                                    condition=Q(program__isnull=False)),
            models.UniqueConstraint(fields=["mentor", "role", "mentee"], name="evaluating_role_unique_mentee",
                                    condition=Q(mentee__isnull=False)),
        ]
        indexes = [models.Index(fields=["mentor", "program"]), models.Index(fields=["mentee"])]
        ordering = ["role", "id"]

    def __str__(self) -> str:
        return f"{self.mentor} — {self.get_role_display()} ({self.program or self.mentee})"


class ConflictPolicy(models.Model):
    """A program's rule for mentors who also evaluate the mentee. Missing row: warn only."""

    program = models.OneToOneField("programs.Program", on_delete=models.CASCADE, related_name="conflict_policy")
    forbid_evaluator_pairs = models.BooleanField(
        default=False,
        help_text="Never pair a mentee with a mentor who evaluates them (requests refused, matching excludes).",
    )
    coordinator_may_override = models.BooleanField(
        default=False,
        help_text="A coordinator may keep such a pair in a batch match, saying why: the reason is kept in the "
                  "relationship's history and told to both. Batch matching keeps every such pair apart otherwise.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Meta:
        verbose_name_plural = "conflict policies"

    def __str__(self) -> str:
        return f"Conflict policy of {self.program}"
