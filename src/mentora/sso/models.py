"""Institutional single sign-on: one identity provider per institution, OpenID Connect or SAML 2.0.

The provider itself is an allauth ``SocialApp`` row: ``provider="openid_connect"`` (server URL,
client id and secret) or ``provider="saml"`` (the identity provider's entity id, sign-on URL and
signing certificate, or its metadata URL, plus the attribute mapping). This model says which
institution it belongs to and how far Mentora trusts it (which email domains it may assert,
whether it may create new accounts).
"""

from django.core.exceptions import ValidationError
from django.db import models

OIDC = "openid_connect"
SAML = "saml"
PROTOCOLS = {OIDC: "OpenID Connect", SAML: "SAML 2.0"}


def clean_email_domains(email_domains) -> list[str]:
    """Lower-cased, de-duplicated domains; at least one is required (an empty list would let the
    provider assert any address, and so sign in as anyone)."""
    if not isinstance(email_domains, list) or not all(isinstance(d, str) for d in email_domains):
        raise ValidationError({"email_domains": "Give a list of email domains, e.g. [\"riverside.edu\"]"})
    cleaned = []
    for domain in email_domains:
        domain = domain.strip().lower().lstrip("@")
        if not domain:
            continue
        if "." not in domain or " " in domain or "@" in domain:
            raise ValidationError({"email_domains": f"{domain!r} is not an email domain"})
        cleaned.append(domain)
    if not cleaned:
        raise ValidationError({"email_domains": "Name at least one email domain this institution vouches for, "
                                                "e.g. riverside.edu."})
    return sorted(set(cleaned))


class InstitutionSignOn(models.Model):
    institution = models.OneToOneField(
        "programs.Institution", on_delete=models.CASCADE, related_name="sign_on"
    )
    app = models.OneToOneField(
        "socialaccount.SocialApp", on_delete=models.CASCADE, related_name="institution_sign_on"
    )
    email_domains = models.JSONField(
        default=list,
        help_text="Email domains this provider may assert, e.g. [\"riverside.edu\"]; at least one is required.",
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

    def clean(self) -> None:
        self.email_domains = clean_email_domains(self.email_domains)

    @property
    def protocol(self) -> str:
        """``openid_connect`` or ``saml``: the allauth provider of the institution's app."""
        return self.app.provider

    @property
    def protocol_label(self) -> str:
        return PROTOCOLS.get(self.app.provider, self.app.provider)

    def allows_email(self, email: str) -> bool:
        """Only addresses at the listed domains; with no domain listed, none (never "any")."""
        if not self.email_domains:
            return False
        domain = email.rpartition("@")[2].lower()
        return domain in {d.lower().lstrip("@") for d in self.email_domains}
