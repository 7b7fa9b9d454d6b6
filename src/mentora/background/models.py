"""Long work a person asked for (a rollover, an import, a report, a publish), run by the worker.

The queue itself is django_tasks_db's DBTaskResult; a Job is what the person who asked sees: its
progress, its result (a summary, or a file such as the program report PDF) and why it failed.
"""

from django.conf import settings
from django.db import models


class Job(models.Model):
    class Kind(models.TextChoices):
        ROLLOVER = "rollover", "Academic-year rollover"
        IMPORT = "import", "Import"
        REPORT_PDF = "report_pdf", "Program report (PDF)"
        MATCH_PUBLISH = "match_publish", "Publish a batch match"
        BACKUP = "backup", "Backup of the whole instance"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     related_name="background_jobs")
    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, null=True, blank=True,
                                related_name="background_jobs")
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    phase = models.CharField(max_length=120, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    # A file the work produced (the report PDF), downloadable by whoever may see the job.
    file = models.BinaryField(null=True, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    task_path = models.CharField(max_length=200, help_text="The task that runs it, to queue it again.")
    # The DBTaskResult id of the task running it (a string: the immediate backend's ids are not UUIDs).
    task_id = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Moved by every progress step: a running job whose heartbeat stops has lost its worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["requested_by", "created_at"]), models.Index(fields=["status"])]
        constraints = [models.CheckConstraint(condition=models.Q(progress__lte=100), name="job_progress_percent")]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
