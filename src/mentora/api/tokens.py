"""Writes and reads of personal access tokens (services and selectors of the api app)."""

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import QuerySet
from django.utils import timezone

from mentora.core.db import CompiledOnce

from .models import SCOPES, ApiToken

TOKEN_PREFIX = "mnt_"
LAST_USED_GRANULARITY = timedelta(minutes=1)  # at most one write per token per minute


def hash_token(secret: str) -> str:
    """Tokens carry 256 random bits, so a plain SHA-256 is enough (no slow hash needed)."""
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def token_create(*, by, name: str, scopes: list[str], expires_in_days: int | None = None) -> tuple[ApiToken, str]:
    """Create a token; returns it with the secret, which is never stored and cannot be shown again."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the token a name."})
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown or not scopes:
        raise ValidationError({"scopes": f"Choose at least one of {', '.join(SCOPES)}."})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=by,
        name=name[:100],
        prefix=secret[:12],
        token_hash=hash_token(secret),
        scopes=[s for s in SCOPES if s in scopes],
        expires_at=timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    return token, secret


def token_revoke(*, by, token_id: int) -> bool:
    """Revoke one of the user's own tokens; False if there is no such live token of theirs."""
    return bool(
        ApiToken.objects.filter(pk=token_id, user=by, revoked_at__isnull=True).update(revoked_at=timezone.now())
    )


def token_authenticate(*, secret: str) -> ApiToken | None:
    """The live token for a secret (and records its use), or None."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    now = timezone.now()
    # Every API request with a token comes here: look the token up by its unique hash alone, with a query compiled
    # once, and judge it in Python (building the ORM's query cost more than running it).
    found = _TOKEN.rows(token_hash=hash_token(secret))
    if not found:
        return None
    token_fields, user_fields = _TOKEN_FIELDS
    token = ApiToken.from_db(DEFAULT_DB_ALIAS, token_fields, found[0][:len(token_fields)])
    token.user = get_user_model().from_db(DEFAULT_DB_ALIAS, user_fields, found[0][len(token_fields):])
    if token.revoked_at is not None or not token.user.is_active:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def _token(*, token_hash: str) -> QuerySet:
    """The token's columns, then its person's: one query, both built from the row."""
    token_fields, user_fields = _TOKEN_FIELDS
    return (ApiToken.objects.filter(token_hash=token_hash).order_by()
            .values_list(*token_fields, *(f"user__{name}" for name in user_fields))[:1])


_TOKEN = CompiledOnce(_token)
_TOKEN_FIELDS = tuple([field.attname for field in model._meta.concrete_fields] for model in (ApiToken, get_user_model()))


def tokens_of(*, user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at")
