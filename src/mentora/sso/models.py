"""Institutional single sign-on: one OpenID Connect identity provider per institution.

The provider itself (server URL, client id and secret) is an allauth ``SocialApp`` row with
``provider="openid_connect"``; this model says which institution it belongs to and how far
Mentora trusts it (which email domains it may assert, whether it may create new accounts).
"""

from django.db import models


class InstitutionSignOn(models.Model):
    institution = models.OneToOneField(
        "programs.Institution", on_delete=models.CASCADE, related_name="sign_on"
    )
    app = models.OneToOneField(
        "socialaccount.SocialApp", on_delete=models.CASCADE, related_name="institution_sign_on"
    )
    email_domains = models.JSONField(
        default=list, blank=True,
        help_text="Email domains this provider may assert, e.g. ['riverside.edu']; empty allows any.",
    )
    allow_signup = models.BooleanField(
        default=True, help_text="Create a Mentora account for a verified person who has none yet."
    )
    is_enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["institution__name"]

    def __str__(self) -> str:
        return f"Sign-on for {self.institution}"

    def allows_email(self, email: str) -> bool:
        if not self.email_domains:
            return True
        domain = email.rpartition("@")[2].lower()
        return domain in {d.lower().lstrip("@") for d in self.email_domains}
