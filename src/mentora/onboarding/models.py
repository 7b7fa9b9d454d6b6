"""First steps: whether a person put away the checklist of each of their roles.

The steps themselves are not stored: each ticks itself from what the person has done (selectors.py).
"""

from django.conf import settings
from django.db import models


class FirstSteps(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="first_steps")
    mentee_dismissed_at = models.DateTimeField(null=True, blank=True)
    mentor_dismissed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "first steps"

    def __str__(self) -> str:
        return f"First steps of {self.user}"
