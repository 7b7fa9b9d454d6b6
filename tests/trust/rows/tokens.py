"""Personal access tokens: the page and the API. Everyone manages their own tokens only."""

from django.urls import reverse

from mentora.api.tokens import token_create
from tests.trust.matrix import Row

NAME = "Probe token of mentee A"


def _a_token(c) -> int:
    token, _secret = token_create(by=c.mentee_a, name=NAME, scopes=["read"])
    return token.pk


# Columns:   anon  menA  menB  mtrA  mtrX  coA   coX   netC  admin
ROWS = [
    Row("tokens:api_tokens", lambda c: (_a_token(c), reverse("tokens:api_tokens"))[1], probe=lambda c: NAME,
        note="only A sees A's token",
        expect="login 200+  200-  200-  200-  200-  200-  200-  200-"),
    Row("tokens:api_tokens", lambda c: reverse("tokens:api_tokens"), method="POST", data={"name": "Mine", "scopes": ["read"]},
        expect="login 200   200   200   200   200   200   200   200"),
    Row("tokens:api_token_revoke", lambda c: reverse("tokens:api_token_revoke", args=[_a_token(c)]), method="POST",
        note="others get 'no such token of yours' (the API row below shows the 404)",
        expect="login 302   302   302   302   302   302   302   302"),
    Row("GET /api/tokens", lambda c: (_a_token(c), "/api/tokens")[1], probe=lambda c: NAME,
        expect="401   200+  200-  200-  200-  200-  200-  200-  200-"),
    Row("DELETE /api/tokens/{token_id}", lambda c: f"/api/tokens/{_a_token(c)}",
        expect="401   204   404   404   404   404   404   404   404"),
]
