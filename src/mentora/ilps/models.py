"""Individualized learning plans (ILPs): one per mentee per academic year.

A plan holds the career vision, a self-assessment per domain (the six ACGME core competencies
plus career, research, wellbeing and licensing/visa), and goals. Goals keep every earlier
version (GoalVersion) so a reassessment never loses what the goal used to say. A mentor's
sign-off is recorded in SignOff and stays there when a later change reopens the plan.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from mentora.core.academic_year import academic_year_label

STATEMENT_MAX = 1000
TEXT_MAX = 5000


class Domain(models.TextChoices):
    PATIENT_CARE = "patient_care", "Patient care"
    MEDICAL_KNOWLEDGE = "medical_knowledge", "Medical knowledge"
    PRACTICE_BASED_LEARNING = "practice_based_learning", "Practice-based learning and improvement"
    INTERPERSONAL_COMMUNICATION = "interpersonal_communication", "Interpersonal and communication skills"
    PROFESSIONALISM = "professionalism", "Professionalism"
    SYSTEMS_BASED_PRACTICE = "systems_based_practice", "Systems-based practice"
    CAREER = "career", "Career"
    RESEARCH = "research", "Research and scholarship"
    WELLBEING = "wellbeing", "Wellbeing"
    LICENSING_VISA = "licensing_visa", "Licensing and visa"


ACGME_COMPETENCIES = tuple(Domain.values[:6])


def _long_text(**kwargs) -> models.TextField:
    return models.TextField(blank=True, validators=[MaxLengthValidator(TEXT_MAX)], **kwargs)


class LearningPlan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted for sign-off"
        APPROVED = "approved", "Signed off"

    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learning_plans")
    program = models.ForeignKey(
        "programs.Program", on_delete=models.SET_NULL, null=True, blank=True, related_name="learning_plans",
        help_text="The mentee's program in that academic year: decides the review frequency and who coordinates.",
    )
    academic_year = models.PositiveSmallIntegerField()
    career_vision = _long_text(help_text="Begin with the end in mind: where do you want to be in five years?")
    # {domain: {"strengths": str, "growth": str}} for the ten domains; small, always read whole.
    self_assessment = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    last_reviewed_on = models.DateField(null=True, blank=True)
    previous_plan = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="next_plan",
        help_text="The plan of the year before, whose unfinished goals the academic-year rollover carried here.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mentee", "academic_year"], name="ilp_one_per_mentee_and_year"),
            models.CheckConstraint(
                # approved_by may become null later (the mentor's account deleted); the time stays.
                condition=Q(status="approved", approved_at__isnull=False)
                | (~Q(status="approved") & Q(approved_at__isnull=True, approved_by__isnull=True)),
                name="ilp_approved_iff_signed",
            ),
        ]
        indexes = [
            models.Index(fields=["program", "academic_year", "status"]),
            models.Index(fields=["status", "last_reviewed_on"]),
        ]
        ordering = ["-academic_year"]
        verbose_name = "individualized learning plan"

    def __str__(self) -> str:
        return f"ILP of {self.mentee} for {self.academic_year_label}"

    def get_absolute_url(self) -> str:
        return reverse("ilps:ilp_detail", args=[self.pk])

    @property
    def academic_year_label(self) -> str:
        return academic_year_label(self.academic_year)

    @property
    def is_signed_off(self) -> bool:
        return self.status == self.Status.APPROVED


class Goal(models.Model):
    class Priority(models.TextChoices):
        FOCUS = "focus", "Focus goal"
        STANDARD = "standard", "Standard"

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        ACHIEVED = "achieved", "Achieved"
        DROPPED = "dropped", "Dropped"

    OPEN_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS)
    MAX_FOCUS = 3

    plan = models.ForeignKey(LearningPlan, on_delete=models.CASCADE, related_name="goals")
    statement = models.CharField(max_length=STATEMENT_MAX)
    measure = models.CharField(max_length=STATEMENT_MAX, blank=True, help_text="How will you and your mentor know?")
    target_date = models.DateField()
    why_it_matters = _long_text()
    domain = models.CharField(max_length=32, choices=Domain.choices)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.STANDARD)
    is_stretch = models.BooleanField(default=False, help_text="A stretch goal: ambitious on purpose.")
    strategies = _long_text(help_text="Strategies and activities: what you will do.")
    resources = _long_text(help_text="People, courses, books, time you will use.")
    evidence = _long_text(help_text="Evidence of completion: what will show it is done.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    percent_done = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    version = models.PositiveIntegerField(default=1)
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="carried_into",
        help_text="The unfinished goal of last year's plan this one was carried forward from at rollover.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(percent_done__lte=100), name="goal_percent_at_most_100"),
            models.CheckConstraint(condition=~Q(statement=""), name="goal_statement_not_empty"),
        ]
        indexes = [models.Index(fields=["plan", "status"]), models.Index(fields=["target_date"]),
                   # The dashboard's goal counts read every goal of the year's plans from this index alone.
                   models.Index(fields=["plan", "status", "domain", "percent_done"], name="goal_dashboard_counts")]
        ordering = ["target_date", "pk"]

    def __str__(self) -> str:
        return self.statement[:80]

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_carried(self) -> bool:
        return self.carried_from_id is not None

    @property
    def carried_from_year_label(self) -> str:
        """The academic year the goal was carried from: rollover always carries from the year before."""
        if not self.is_carried:
            return ""
        year = self.plan.academic_year - 1
        return academic_year_label(year)


class GoalVersion(models.Model):
    """What a goal said before it changed: one row per earlier version."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    statement = models.CharField(max_length=STATEMENT_MAX)
    measure = models.CharField(max_length=STATEMENT_MAX, blank=True)
    target_date = models.DateField()
    why_it_matters = models.TextField(blank=True)
    domain = models.CharField(max_length=32, choices=Domain.choices)
    priority = models.CharField(max_length=10, choices=Goal.Priority.choices)
    is_stretch = models.BooleanField(default=False)
    strategies = models.TextField(blank=True)
    resources = models.TextField(blank=True)
    evidence = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Goal.Status.choices)
    replaced_at = models.DateTimeField()
    replaced_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    change_reason = models.CharField(max_length=STATEMENT_MAX, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["goal", "version"], name="goal_version_unique")]
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"v{self.version}: {self.statement[:60]}"


class ProgressUpdate(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="progress_updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    on = models.DateField(default=datetime.date.today)
    percent_done = models.PositiveSmallIntegerField(validators=[MinValueValidator(0), MaxValueValidator(100)])
    note = _long_text()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(percent_done__lte=100), name="progress_percent_at_most_100"),
        ]
        ordering = ["-on", "-pk"]

    def __str__(self) -> str:
        return f"{self.percent_done}% on {self.on}"


class GoalComment(models.Model):
    """A mentor's (or the mentee's) comment on one goal. Comments never reopen a signed-off plan."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(validators=[MaxLengthValidator(TEXT_MAX)])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]


class GoalChangeRequest(models.Model):
    """A mentor asks for a change to one goal before signing off; open until the mentee revises the goal
    (or the mentor signs off anyway, or withdraws it)."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="change_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    comment = models.TextField(validators=[MaxLengthValidator(TEXT_MAX)])
    goal_version = models.PositiveIntegerField(help_text="The version of the goal the change was asked on.")
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolution = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["goal"], condition=Q(resolved_at__isnull=True),
                                    name="goal_change_request_one_open_per_goal"),
        ]
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Changes asked on goal {self.goal_id}: {self.comment[:60]}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class SignOff(models.Model):
    """A mentor's sign-off of a plan; kept when a later change reopens the plan."""

    plan = models.ForeignKey(LearningPlan, on_delete=models.CASCADE, related_name="sign_offs")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    signed_at = models.DateTimeField()
    note = _long_text()
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reopened_because = models.CharField(max_length=STATEMENT_MAX, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["plan"], condition=Q(reopened_at__isnull=True), name="sign_off_one_standing_per_plan"
            ),
        ]
        indexes = [models.Index(fields=["mentee", "signed_at"])]
        ordering = ["-signed_at", "-pk"]

    def __str__(self) -> str:
        return f"Sign-off of {self.plan_id} by {self.mentor} at {self.signed_at:%Y-%m-%d %H:%M}"


class Review(models.Model):
    """A reassessment: the mentor and mentee go through every open goal and decide what happens to it."""

    plan = models.ForeignKey(LearningPlan, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    held_on = models.DateField()
    summary = _long_text()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"Review of plan {self.plan_id} on {self.held_on}"


class GoalDecision(models.Model):
    class Outcome(models.TextChoices):
        KEPT = "kept", "Kept as it is"
        REVISED = "revised", "Revised"
        REFOCUSED = "refocused", "Refocused"
        DROPPED = "dropped", "Dropped"
        ACHIEVED = "achieved", "Achieved"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="decisions")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    reason = models.CharField(max_length=STATEMENT_MAX)
    version_before = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "goal"], name="goal_decision_once_per_review"),
            models.CheckConstraint(condition=~Q(reason=""), name="goal_decision_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.reason[:60]}"


class Milestone(models.Model):
    """A dated step on the mentee's path (USMLE Step 3, fellowship applications, visa renewal)."""

    plan = models.ForeignKey(LearningPlan, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    due_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title
