"""How Mentora's accounts use django-allauth: who may sign up, and how failed logins are counted.

Sign-up (MENTORA_ALLOW_SIGNUPS, MENTORA_SIGNUP_DOMAINS): production is invitation-only by default;
invited and imported people set their password from the link they are sent and never need the
sign-up page. Where sign-up is open it reveals no account: an address that already has one gets
the same "check your email" answer as a new one (its owner is told by email), and a new account
logs in only once its address is confirmed.

Failed logins are counted so that nobody can lock a stranger out: per client and account (5 in 5
minutes), per client (10 a minute, 30 an hour) and, much higher, per account from every client
together (100 an hour). See ACCOUNT_RATE_LIMITS in the settings.

Links in allauth's emails (``activate_url``, ``password_reset_url``, ``signup_url``...) and the site's
name are built by allauth from the request's host; behind the TLS proxy that is an internal name, so
`send_mail` rebuilds every one on MENTORA_SITE_URL.
"""

from types import SimpleNamespace

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.email_verification import send_verification_email_to_address
from allauth.account.models import EmailAddress
from allauth.core.internal import ratelimit
from allauth.core.internal.httpkit import get_client_ip
from django.conf import settings

from mentora.core.links import absolute_url, site_host


def signup_domain_allowed(email: str) -> bool:
    domains = settings.MENTORA_SIGNUP_DOMAINS
    return not domains or email.rpartition("@")[2].lower() in domains


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        links = {key: absolute_url(value) for key, value in context.items()
                 if key.endswith("_url") and isinstance(value, str) and value}
        context = {**context, **links, "current_site": SimpleNamespace(name="Mentora", domain=site_host())}
        super().send_mail(template_prefix, email, context)

    def is_open_for_signup(self, request) -> bool:
        return bool(settings.MENTORA_ALLOW_SIGNUPS)

    def pre_login(self, request, user, **kwargs):
        """A self-signed-up account logs in only once its address is confirmed (allauth's
        "optional" verification would let it in at once, telling a new address from a taken one)."""
        if kwargs.get("email_verification") == app_settings.EmailVerificationMethod.OPTIONAL and (
            _awaits_confirmation(user)
        ):
            address = EmailAddress.objects.filter(user=user).order_by("-primary").first()
            send_verification_email_to_address(request, address, signup=bool(kwargs.get("signup")))
            return self.respond_email_verification_sent(request, user)
        return super().pre_login(request, user, **kwargs)

    # --- failed logins -------------------------------------------------------------------------

    def _account_key(self, request, **credentials) -> str:
        return super()._get_login_attempts_cache_key(request, **credentials)

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """allauth's per-account lockout, counted per client: a stranger's wrong passwords lock
        only the stranger out."""
        return f"{get_client_ip(request)}|{self._account_key(request, **credentials)}"

    def pre_authenticate(self, request, **credentials) -> None:
        super().pre_authenticate(request, **credentials)  # per client, and per client and account
        self._account_rl_usage = ratelimit.consume(
            request, app="allauth.account", action="login_failed_account",
            key=self._account_key(request, **credentials),
        )
        if not self._account_rl_usage:
            super()._rollback_login_failed_rl_usage()
            raise self.validation_error("too_many_login_attempts")

    def _rollback_login_failed_rl_usage(self) -> None:
        super()._rollback_login_failed_rl_usage()
        usage = getattr(self, "_account_rl_usage", None)
        if usage:
            usage.rollback()

    def _delete_login_attempts_cached_email(self, request, **credentials) -> None:
        """A completed password reset clears the account's counts (the client's and the overall)."""
        super()._delete_login_attempts_cached_email(request, **credentials)
        ratelimit.clear(request, app="allauth.account", action="login_failed_account",
                        key=self._account_key(request, **credentials))


def _awaits_confirmation(user) -> bool:
    """Signed up by themself and never confirmed an address: never logged in, and every address
    on record unconfirmed. (Imported and invited people confirm theirs by setting their password
    from the emailed link; see mentora.accounts.signals.)"""
    if user.last_login is not None:
        return False
    verified = list(EmailAddress.objects.filter(user=user).values_list("verified", flat=True))
    return bool(verified) and not any(verified)
