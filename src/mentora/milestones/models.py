"""IMG milestones a mentee adds to their plan with real dates."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from .catalog import BY_KEY, TEMPLATES


class PlanMilestone(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        DONE = "done", "Done"
        DROPPED = "dropped", "No longer applies"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan_milestones")
    template_key = models.CharField(max_length=40, choices=[(t.key, t.title) for t in TEMPLATES])
    due_on = models.DateField()
    window_closes_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True, max_length=1000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    completed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(window_closes_on__isnull=True) | Q(window_closes_on__gte=F("due_on")),
                name="milestone_window_closes_after_it_opens",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"]), models.Index(fields=["user", "due_on"])]
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_template_key_display()} for {self.user} on {self.due_on}"

    @property
    def template(self):
        return BY_KEY[self.template_key]
