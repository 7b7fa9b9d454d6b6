"""In-app notifications and email notices, each recorded once under a unique key."""

from django.conf import settings
from django.db import models


class Notification(models.Model):
    """One notice to one person. `key` makes sending idempotent: the same key is never sent twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=200, help_text="Unique per person: what makes this notice happen once.")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    # Whose words this notice carries (a message, a request's "why", a closing reason), when they are not
    # the recipient's own: erasing that person deletes the notice, since their words are in it.
    about = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    in_app = models.BooleanField(default=True)
    email_wanted = models.BooleanField(default=False)
    # Wanted in the person's daily digest: `digest` is set to the digest notice that carried it.
    digest_wanted = models.BooleanField(default=False)
    digest = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="digested")
    emailed_at = models.DateTimeField(null=True, blank=True)
    # Who is sending the email now ("host:pid") and since when; a claim of a dead process is taken over.
    email_claimed_by = models.CharField(max_length=64, blank=True)
    email_claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_key")]
        indexes = [
            models.Index(fields=["user", "read_at"]), models.Index(fields=["email_wanted", "emailed_at"]),
            models.Index(fields=["digest_wanted", "digest", "created_at"]),
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user}: {self.title}"


class NotificationPreference(models.Model):
    """What a person wants to receive, per kind of notice. Missing rows mean the defaults
    (in Mentora and by email at once)."""

    class Delivery(models.TextChoices):
        EMAIL = "email", "In Mentora and by email"
        IN_APP = "in_app", "In Mentora only"
        DIGEST = "digest", "In Mentora, and by email in a daily digest"
        OFF = "off", "Off"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=40)
    in_app = models.BooleanField(default=True)
    email = models.BooleanField(default=True)
    digest = models.BooleanField(default=False, help_text="Emailed once a day with the other notices of the day.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique")]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind}"

    @property
    def delivery(self) -> str:
        if self.email:
            return self.Delivery.EMAIL
        if self.digest:
            return self.Delivery.DIGEST
        return self.Delivery.IN_APP if self.in_app else self.Delivery.OFF


class EmailTemplate(models.Model):
    """A program's own subject and body for one kind of email (see email_templates.EMAIL_KINDS)."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", "Invitation"
        NUDGE = "nudge", "Nudge"
        REMINDER = "reminder", "Reminder"

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="email_templates")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField(max_length=5000)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["program", "kind"], name="email_template_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} email of program {self.program_id}"
