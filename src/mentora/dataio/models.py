"""Import bookkeeping: external ids per program, and the uploaded files awaiting commit."""

from django.conf import settings
from django.db import models


class ExternalId(models.Model):
    """A program's own identifier for a person (e.g. an employee or ERAS id), to match re-imports."""

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="external_ids")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_ids")
    value = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "value"], name="external_id_unique_in_program"),
            models.UniqueConstraint(fields=["program", "user"], name="external_id_one_per_person_and_program"),
        ]

    def __str__(self) -> str:
        return f"{self.value} in {self.program_id} → {self.user_id}"


class ImportBatch(models.Model):
    """One uploaded file: previewed (dry run) with a column mapping, then committed or abandoned."""

    class Kind(models.TextChoices):
        MENTEES = "mentees", "Mentees"
        MENTORS = "mentors", "Mentors"
        MEMBERSHIPS = "memberships", "Memberships (a role column says mentee or mentor)"

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="import_batches")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="import_batches"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    academic_year = models.PositiveSmallIntegerField()
    filename = models.CharField(max_length=200)
    content = models.BinaryField()
    mapping = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} into {self.program_id}"
