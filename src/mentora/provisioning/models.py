"""SCIM 2.0 provisioning: an institution's identity system creates, updates and deactivates the
Mentora accounts of its people (Users) and gives them program roles (Groups).

Each institution sees only what it provisioned: a ``ScimUser`` is one institution's record of a
person (its own id, externalId and userName for them), so two institutions provisioning the same
person never see or change each other's records.
"""

import uuid

from django.conf import settings
from django.db import models

from mentora.programs.models import Membership


class ScimToken(models.Model):
    """The bearer token an institution's identity system calls the SCIM endpoint with. Only its
    SHA-256 is stored; the token is shown once, when made."""

    institution = models.ForeignKey("programs.Institution", on_delete=models.CASCADE, related_name="scim_tokens")
    prefix = models.CharField(max_length=16, help_text="The first characters, to recognise the token by.")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"SCIM token {self.prefix}… of {self.institution}"


class ScimUser(models.Model):
    """One institution's record of a person it provisions."""

    institution = models.ForeignKey("programs.Institution", on_delete=models.CASCADE, related_name="scim_users")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scim_records")
    scim_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    external_id = models.CharField(max_length=255, blank=True)
    user_name = models.CharField(max_length=255)
    active = models.BooleanField(default=True)
    attributes = models.JSONField(
        default=dict, blank=True,
        help_text="What the identity system sent beyond the account's own fields (name parts, displayName, "
                  "all its email addresses), returned to it as sent.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "user"], name="scim_user_one_per_institution"),
            models.UniqueConstraint(fields=["institution", "user_name"], name="scim_user_name_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_name} at {self.institution}"


class ScimGroup(models.Model):
    """A group of the institution's identity system; mapped to a program and a role, its members hold
    that role in the program (this academic year)."""

    institution = models.ForeignKey("programs.Institution", on_delete=models.CASCADE, related_name="scim_groups")
    scim_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    external_id = models.CharField(max_length=255, blank=True)
    display_name = models.CharField(max_length=255)
    program = models.ForeignKey("programs.Program", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="scim_groups")
    role = models.CharField(max_length=12, choices=Membership.Role.choices, blank=True)
    members = models.ManyToManyField(ScimUser, related_name="groups", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "display_name"], name="scim_group_name_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} at {self.institution}"

    @property
    def is_mapped(self) -> bool:
        return bool(self.program_id and self.role)
