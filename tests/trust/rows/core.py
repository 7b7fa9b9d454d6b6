"""Dashboard, help, health."""

from django.urls import reverse

from tests.trust.matrix import Row

# Columns:   anon  menA  menB  mtrA  mtrX  coA   coX   netC  admin
ROWS = [
    Row("home:home", lambda c: reverse("home:home"),
        "200   200   200   200   200   200   200   200   200"),
    Row("home:help", lambda c: reverse("home:help"),
        "200   200   200   200   200   200   200   200   200"),
    Row("home:health", lambda c: reverse("home:health"),
        "200   200   200   200   200   200   200   200   200"),
    Row("home:health", lambda c: reverse("home:health"), method="POST", note="read-only",
        expect="405   405   405   405   405   405   405   405   405"),
    Row("home:whoami", lambda c: reverse("home:whoami"),
        "login 200   200   200   200   200   200   200   200"),
]
