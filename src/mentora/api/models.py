"""Personal access tokens: the secret is shown once and only its SHA-256 is stored."""

from django.conf import settings
from django.db import models

SCOPES: dict[str, str] = {
    "read": "Read what you may see (GET requests)",
    "write": "Change things on your behalf (POST, PUT, PATCH, DELETE requests)",
    "export": "Download data exports (your own data, and programs you coordinate)",
}


class ApiToken(models.Model):
    """A bearer token that acts as its owner, limited to its scopes, until revoked or expired."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. 'residency reporting script'.")
    prefix = models.CharField(max_length=16, help_text="The first characters, to recognise the token by.")
    token_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…) of {self.user}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
