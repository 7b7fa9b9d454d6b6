"""Stored previews drop what a withdrawn consent derived (see privacy.services.consent_withdrawn)."""

from django.dispatch import receiver

from mentora.privacy.services import consent_withdrawn

from .services import match_runs_forget_sensitive


@receiver(consent_withdrawn)
def _consent_withdrawn(sender, user, **kwargs) -> None:
    match_runs_forget_sensitive(user=user)
