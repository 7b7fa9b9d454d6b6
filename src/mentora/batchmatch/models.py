"""Coordinator batch matching: a run, its settings, its progress and its editable preview.

Nothing in mentora.relationships is created until the run is published.
"""

from django.conf import settings
from django.db import models

from mentora.core.vocabulary import RELATIONSHIP_KINDS, choices


class MatchRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        READY = "ready", "Preview ready"
        FAILED = "failed", "Failed"
        PUBLISHED = "published", "Published"

    class Cohort(models.TextChoices):
        WITHOUT_MENTOR = "without_mentor", "Mentees without a mentor of this kind"
        ALL = "all", "All mentees of the program this year"

    class Pool(models.TextChoices):
        PROGRAM = "program", "The program's mentors"
        NETWORK = "network", "All mentors of the program's network"

    class Algorithm(models.TextChoices):
        OPTIMAL = "optimal", "Optimal (highest total score)"
        FAIR = "fair", "Fair (highest lowest score)"
        STABLE = "stable", "Stable (mentee-proposing, as in the residency Match)"

    class InstitutionRule(models.TextChoices):
        ANY = "any", "Any institution"
        SAME = "same", "Same institution only"
        DIFFERENT = "different", "Different institution only"

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="match_runs")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    academic_year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=choices(RELATIONSHIP_KINDS), default="career")
    cohort = models.CharField(max_length=16, choices=Cohort.choices, default=Cohort.WITHOUT_MENTOR)
    pool = models.CharField(max_length=10, choices=Pool.choices, default=Pool.PROGRAM)
    algorithm = models.CharField(max_length=10, choices=Algorithm.choices, default=Algorithm.OPTIMAL)
    weights = models.JSONField(default=dict, blank=True)
    exclude_previous = models.BooleanField(default=True, help_text="Never pair people who were paired before.")
    institution_rule = models.CharField(max_length=10, choices=InstitutionRule.choices, default=InstitutionRule.ANY)
    # Pairs as [mentee_id, mentor_id] (user primary keys).
    locks = models.JSONField(default=list, blank=True)
    exclusions = models.JSONField(default=list, blank=True)
    # Conflict-of-interest pairs a coordinator kept (where the program's policy lets them), as
    # {"mentee", "mentor", "reason", "by"}: they are locked pairs too, and survive a re-run.
    kept_conflicts = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    phase = models.CharField(max_length=60, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    # The queue row (DBTaskResult id) of the task computing the preview: tells a dead worker or a retry apart.
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="match_run_progress_percent"),
        ]

    def __str__(self) -> str:
        return f"Batch match #{self.pk} for {self.program} ({self.get_status_display()})"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.READY

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class MatchPair(models.Model):
    """One mentee of a run's preview: with the mentor the run proposes, or unmatched and why.

    Written once when the run finishes (score and reasons worded for staff, so no page recomputes
    them) and changed only by the coordinator's edits, so the preview reads one page of rows at a
    time whatever the run's size.
    """

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="pairs")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # Empty while the mentee is unmatched.
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+")
    score = models.FloatField(null=True, blank=True)
    # [{"criterion", "points", "text"}], largest points first; the points add up to the score.
    reasons = models.JSONField(default=list, blank=True)
    locked = models.BooleanField(default=False)
    unmatched_reason = models.CharField(max_length=200, blank=True)
    # The pair as it was before the coordinator removed it, so the removal can be undone.
    removed = models.JSONField(null=True, blank=True)
    # A conflict-of-interest pair the coordinator kept: {"reason", "by", "by_name", "conflicts": [why]}.
    conflict_kept = models.JSONField(null=True, blank=True)
    # The mentee's name when the run finished: the preview's order, and what its search looks in.
    sort_name = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "mentee"], name="match_pair_one_row_per_mentee"),
        ]
        indexes = [
            models.Index(fields=["run", "sort_name", "mentee"], name="match_pair_page"),
            models.Index(fields=["run", "mentor"], name="match_pair_mentor"),
        ]

    def __str__(self) -> str:
        return f"Run #{self.run_id}: mentee {self.mentee_id} with mentor {self.mentor_id or '—'}"

    @property
    def is_matched(self) -> bool:
        return self.mentor_id is not None


class MatchConflictPage(models.Model):
    """One page of the conflict-of-interest pairs a run kept apart, as the preview lists them.

    A run between a large cohort and a network's pool can keep millions of pairs apart: they are written
    in pages when the run finishes, so the preview (and the API) read the page asked for alone, and the
    run's own document keeps only their number ("conflicts_total").
    """

    # Pairs a page holds (the last holds the rest); any range of the list is read from the pages covering it.
    SIZE = 50

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="conflict_pages")
    # From 1, in the order of the list (by mentee, then mentor).
    number = models.PositiveIntegerField()
    # [{"mentee": "u12", "mentor": "u34", "reasons": [why the mentor also evaluates the mentee]}]
    conflicts = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "number"], name="match_conflict_page_once"),
        ]

    def __str__(self) -> str:
        return f"Run #{self.run_id}: conflict pairs, page {self.number}"
