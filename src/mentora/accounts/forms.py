"""The sign-up form: limited to the allowed email domains, and silent about existing accounts."""

from allauth.account.adapter import get_adapter
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.account.internal.flows.email_verification import send_verification_email_to_address
from allauth.account.internal.userkit import filter_users_by_email
from allauth.account.models import EmailAddress
from django import forms
from django.conf import settings

from .adapter import signup_domain_allowed


class SignupForm(AllauthSignupForm):
    def clean_email(self) -> str:
        email = super().clean_email()
        if email and not signup_domain_allowed(email):
            raise forms.ValidationError(
                "Sign-up is open to addresses at " + ", ".join(settings.MENTORA_SIGNUP_DOMAINS)
                + ". If you were invited, use the link in your invitation email."
            )
        return email

    def validate_unique_email(self, value) -> str:
        # allauth hides a taken address only with mandatory verification; Mentora hides it always.
        self.account_already_exists = bool(filter_users_by_email(value))
        return value

    def try_save(self, request):
        if not self.account_already_exists:
            return super().try_save(request)
        # The same answer as a new sign-up; the address's owner is told by email.

        send_verification_email_to_address(request, EmailAddress(user=None, email=self.cleaned_data["email"]),
                                           signup=True)
        return None, get_adapter(request).respond_email_verification_sent(request, None)
