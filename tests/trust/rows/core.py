"""Dashboard, help, health."""

from django.urls import reverse

from tests.trust.matrix import Row

# Columns:   anon  menA  menB  mtrA  mtrX  coA   coX   netC  admin
ROWS = [
    Row("home", lambda c: reverse("home"),
        "200   200   200   200   200   200   200   200   200"),
    Row("help", lambda c: reverse("help"),
        "200   200   200   200   200   200   200   200   200"),
    Row("health", lambda c: reverse("health"),
        "200   200   200   200   200   200   200   200   200"),
    Row("health", lambda c: reverse("health"), method="POST", note="read-only",
        expect="405   405   405   405   405   405   405   405   405"),
    Row("whoami", lambda c: reverse("whoami"),
        "login 200   200   200   200   200   200   200   200"),
]
