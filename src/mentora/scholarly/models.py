"""Scholarly projects (case reports to original research) followed from idea to publication."""

from django.conf import settings
from django.db import models


class ProjectKind(models.TextChoices):
    CASE_REPORT = "case_report", "Case report"
    QUALITY_IMPROVEMENT = "quality_improvement", "Quality improvement"
    ORIGINAL_RESEARCH = "original_research", "Original research"
    REVIEW = "review", "Review"
    EDUCATION = "education", "Education"


class Stage(models.TextChoices):
    IDEA = "idea", "Idea"
    PROPOSAL = "proposal", "Proposal"
    IRB = "irb", "IRB"
    DATA_COLLECTION = "data_collection", "Data collection"
    ANALYSIS = "analysis", "Analysis"
    ABSTRACT = "abstract", "Abstract"
    MANUSCRIPT = "manuscript", "Manuscript"
    SUBMITTED = "submitted", "Submitted"
    ACCEPTED = "accepted", "Accepted"
    PUBLISHED = "published", "Published"


# Stages after which a project no longer needs pushing: it cannot be "stalled".
FINISHED_STAGES = (Stage.ACCEPTED, Stage.PUBLISHED)


class ScholarlyProject(models.Model):
    title = models.CharField(max_length=300)
    kind = models.CharField("Type", max_length=24, choices=ProjectKind.choices)
    summary = models.TextField(blank=True, max_length=4000)
    program = models.ForeignKey(
        "programs.Program", on_delete=models.SET_NULL, null=True, blank=True, related_name="scholarly_projects",
        help_text="The program whose coordinators follow this project (the owner's program).",
    )
    owners = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="scholarly_projects_owned")
    mentors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="scholarly_projects_mentored", blank=True)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.IDEA)
    stage_changed_on = models.DateField(help_text="When the project entered its current stage.")
    target_venue = models.CharField(max_length=300, blank=True, help_text="Journal or meeting you aim for.")
    abstract_deadline = models.DateField(null=True, blank=True)
    submission_deadline = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["stage_changed_on", "id"]
        indexes = [
            models.Index(fields=["program", "stage"]),
            models.Index(fields=["stage", "stage_changed_on"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def next_deadline(self):
        dates = [d for d in (self.abstract_deadline, self.submission_deadline) if d]
        return min(dates) if dates else None


class StageChange(models.Model):
    """One row per stage a project entered: its stage history with dates."""

    project = models.ForeignKey(ScholarlyProject, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    changed_on = models.DateField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_on", "id"]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.from_stage or '—'} → {self.to_stage} on {self.changed_on}"
