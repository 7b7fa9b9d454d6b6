"""How Mentora trusts an institution's identity provider.

allauth links an institutional login to an existing Mentora account by email only when the
provider asserts ``email_verified`` (SOCIALACCOUNT_EMAIL_AUTHENTICATION with auto-connect);
this adapter goes further and refuses any new sign-in whose email the provider did not
verify, or whose domain the institution does not vouch for (a sign-on with no domain listed
vouches for none), so an unverified address can neither take over an account nor create a
look-alike one. An account that holds a staff role (site admin, program coordinator, network
coordinator, Django staff) is never linked by its email address: its owner logs in with their
password (and second factor) and connects the institution under Account → Third-party accounts,
which asks them to confirm it (SOCIALACCOUNT_REAUTHENTICATION_REQUIRED).
"""

import copy
import json

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base import AuthProcess
from django.shortcuts import redirect, render
from django.urls import reverse

from .models import PROTOCOLS, SAML
from .selectors import holds_staff_role, sign_on_for_provider, sign_ons_enabled
from .services import TEST_RESULT_KEY, TEST_SESSION_KEY, TEST_STATE_KEY


def _refuse(request, reason: str, sign_on=None):
    response = render(request, "sso/refused.html", {"reason": reason, "sign_on": sign_on}, status=403)
    raise ImmediateHttpResponse(response)


class InstitutionSignOnAdapter(DefaultSocialAccountAdapter):
    def _sign_on(self, sociallogin):
        app = getattr(sociallogin.provider, "app", None)
        if app is None or app.provider not in PROTOCOLS:
            return None
        return sign_on_for_provider(provider_id=app.provider_id)

    def list_apps(self, request, provider=None, client_id=None):
        """Institutions whose sign-on is switched off are neither listed nor usable."""
        apps = super().list_apps(request, provider=provider, client_id=client_id)
        usable = {sign_on.app.provider_id for sign_on in sign_ons_enabled() if sign_on.email_domains}
        test = request.session.get(TEST_SESSION_KEY) if request is not None and hasattr(request, "session") else None
        if test:
            usable.add(test["provider_id"])  # a site admin tests a sign-on before switching it on
        return [app for app in apps if app.provider not in PROTOCOLS or app.provider_id in usable]

    def is_email_verified(self, provider, email) -> bool:
        """A SAML identity provider has no ``email_verified``: the address comes in an assertion the
        institution signed (Mentora refuses unsigned ones), from the institution's own directory, so it
        counts as verified; pre_social_login still accepts it only at the institution's domains."""
        if provider.id == SAML:
            return True
        return super().is_email_verified(provider, email)

    def pre_social_login(self, request, sociallogin) -> None:
        sign_on = self._sign_on(sociallogin)
        self._answer_a_test(request, sociallogin, sign_on)
        refusal = self.refusal(sociallogin, sign_on)
        if refusal:
            _refuse(request, refusal, sign_on)

    def refusal(self, sociallogin, sign_on) -> str:
        """Why this sign-in is refused, or "" (the rules above, in order)."""
        if sign_on is None or not sign_on.is_enabled or not sign_on.email_domains:
            return "Sign-in through this institution is not switched on in Mentora."
        if sociallogin.state.get("process") == AuthProcess.CONNECT:
            return ""  # a signed-in person links their own institutional account
        if sociallogin.account.pk:
            return ""  # linked before: the provider's subject identifies the person
        trusted = [
            address.email for address in sociallogin.email_addresses
            if address.verified and sign_on.allows_email(address.email)
        ]
        if not trusted:
            if any(not address.verified for address in sociallogin.email_addresses) or not (
                sociallogin.email_addresses
            ):
                return ("Your institution did not confirm that the email address it sent is yours, so Mentora "
                        "cannot link it to an account. Log in with your password, or ask your institution's IT "
                        "team to release a verified email address.")
            return ("Your institution vouches only for addresses at " + ", ".join(sign_on.email_domains)
                    + "; the address it sent is not one of them.")
        if sociallogin.is_existing and holds_staff_role(sociallogin.user):
            # Found by email, not linked yet: a staff account is linked only by its owner, signed in.
            return ("This Mentora account has staff rights, so Mentora does not link it to an institutional "
                    "sign-in by its email address alone. Log in with your password (and your authenticator "
                    "code), then connect your institution under Account → Third-party accounts.")
        return ""

    def _answer_a_test(self, request, sociallogin, sign_on) -> None:
        """A site admin's "test sign-on" from the console comes back here: show what the provider sent and
        what Mentora would do with it, and sign nobody in, link nothing, create nothing."""
        test = request.session.get(TEST_SESSION_KEY)
        state_data = (sociallogin.state or {}).get("data") or {}
        if not test or not sign_on or state_data.get(TEST_STATE_KEY) != test.get("nonce"):
            return
        del request.session[TEST_SESSION_KEY]
        user = sociallogin.user
        would = "sign in as the linked account" if sociallogin.account.pk else (
            f"link to the existing account {user.email}" if sociallogin.is_existing else
            ("create an account for " + (user.email or "(no address)")) if sign_on.allow_signup
            else "refuse: this institution's sign-on creates no new accounts")
        checked = copy.copy(sign_on)
        checked.is_enabled = True  # a sign-on is tested before it is switched on
        refusal = self.refusal(sociallogin, checked)
        request.session[TEST_RESULT_KEY] = {
            "institution_id": sign_on.institution_id,
            "protocol": sign_on.protocol_label,
            "uid": sociallogin.account.uid,
            "email": user.email or "",
            "name": user.full_name or "",
            "addresses": [{"email": a.email, "verified": a.verified} for a in sociallogin.email_addresses],
            "attributes": json.loads(json.dumps(sociallogin.account.extra_data or {}, default=str)),
            "verdict": refusal or would,
            "refused": bool(refusal),
            "enabled": sign_on.is_enabled,
        }
        raise ImmediateHttpResponse(
            redirect(reverse("console:signon_test_result", args=[sign_on.institution_id])))

    def is_open_for_signup(self, request, sociallogin) -> bool:
        sign_on = self._sign_on(sociallogin)
        return bool(sign_on and sign_on.is_enabled and sign_on.allow_signup)

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        name = (data.get("name") or " ".join(p for p in (data.get("first_name"), data.get("last_name")) if p))
        if name and not user.full_name:
            user.full_name = name.strip()[:200]
        return user
