"""The API's own routes: its document, its docs page, and who am I."""

from tests.trust.matrix import Row

# Columns:   anon  menA  menB  mtrA  mtrX  coA   coX   netC  admin
ROWS = [
    Row("api:openapi-json", lambda c: "/api/openapi.json",
        "200   200   200   200   200   200   200   200   200"),
    Row("api:openapi-view", lambda c: "/api/docs",
        "200   200   200   200   200   200   200   200   200"),
    Row("GET /api/me", lambda c: "/api/me", probe=lambda c: c.mentee_a.email, note="each sees only themself",
        expect="401   200+  200-  200-  200-  200-  200-  200-  200-"),
    Row("api_unknown_route", lambda c: "/api/no-such-operation",
        "404   404   404   404   404   404   404   404   404"),
    Row("api_unknown_route", lambda c: "/api/no-such-operation", method="POST", data={"x": 1},
        expect="404   404   404   404   404   404   404   404   404"),
]
