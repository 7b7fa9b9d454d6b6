"""Webhook signing secrets at rest: encrypted with Fernet (AES-128-CBC + HMAC-SHA256, `cryptography`).

The keys come from `WEBHOOK_SECRET_KEYS` (environment `MENTORA_WEBHOOK_SECRET_KEYS`: Fernet keys,
comma-separated, the newest first). The first key encrypts; every key decrypts (MultiFernet), so a key is
rotated by putting a new one in front, running `mentora webhook_secrets_reencrypt`, then dropping the
old one. Without the variable the key is derived from SECRET_KEY (fine for development; in production
set it, so that changing SECRET_KEY does not make the stored secrets unreadable). docs/webhooks.md.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models

# A secret stored before secrets were encrypted (whsec_…): read as it is, encrypted when next saved.
PLAIN_PREFIX = "whsec_"


def derived_key(secret_key: str) -> str:
    """The Fernet key used when none is configured: a hash of SECRET_KEY, for this purpose only."""
    digest = hashlib.sha256(b"mentora.webhooks.secret-at-rest:" + secret_key.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


def _fernet() -> MultiFernet:
    keys = [key.strip() for key in getattr(settings, "WEBHOOK_SECRET_KEYS", []) if key.strip()]
    if not keys:
        keys = [derived_key(settings.SECRET_KEY)]
    return MultiFernet([Fernet(key.encode()) for key in keys])


def encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode()


def decrypt(stored: str) -> str:
    if not stored or stored.startswith(PLAIN_PREFIX):
        return stored
    try:
        return _fernet().decrypt(stored.encode()).decode()
    except InvalidToken as error:
        raise InvalidToken(
            "A webhook secret cannot be decrypted with WEBHOOK_SECRET_KEYS: was the key (or SECRET_KEY, "
            "from which the default key is derived) changed without keeping the old one?") from error


def reencrypt(stored: str) -> str:
    """The stored value under the newest key (a plain one is encrypted)."""
    if stored.startswith(PLAIN_PREFIX):
        return encrypt(stored)
    return _fernet().rotate(stored.encode()).decode()


class EncryptedSecretField(models.TextField):
    """A text column holding a Fernet token; the model attribute is the plain secret."""

    def from_db_value(self, value, expression, connection):
        return None if value is None else decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)
