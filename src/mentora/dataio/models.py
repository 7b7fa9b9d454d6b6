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
    # Per vocabulary column, the code the coordinator chose for each value Mentora did not know.
    value_mapping = models.JSONField(default=dict, blank=True)
    # The coordinator chose to import the good rows and leave out the rows with problems.
    skip_errors = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} into {self.program_id}"

    @property
    def outcome_label(self) -> str:
        return "Imported" if self.committed_at else "Not imported"

    @property
    def counts_label(self) -> str:
        """What the import did, in words: "12 new, 3 updated, 2 skipped"."""
        if not self.committed_at:
            return ""
        words = (("create", "new"), ("update", "updated"), ("unchanged", "unchanged"),
                 ("invite", "asked to join"), ("skipped", "skipped"))
        return ", ".join(f"{self.summary[key]} {word}" for key, word in words if self.summary.get(key))


class AccountInvitation(models.Model):
    """The email inviting a person an import created to choose a password and log in: one per person
    and program, recorded in the import's transaction so it is sent exactly once (and resent on demand).

    Not to be confused with a program asking an existing account to join it: this is the account's
    first email. Its status as people see it (sent, expired) also reads the notice's `emailed_at`:
    see selectors.account_invitations.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to be sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        ACCEPTED = "accepted", "Accepted"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_invitations")
    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="account_invitations")
    batch = models.ForeignKey(ImportBatch, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="account_invitations")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    # Each resend is a new round: a new notice (its own idempotency key) with a fresh password link.
    round = models.PositiveSmallIntegerField(default=1)
    notification = models.ForeignKey("notifications.Notification", on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="+")
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "program"], name="account_invitation_once_per_program")]
        indexes = [models.Index(fields=["program", "status"]), models.Index(fields=["batch", "status"])]
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Invitation of {self.user_id} by {self.program_id} ({self.status})"
