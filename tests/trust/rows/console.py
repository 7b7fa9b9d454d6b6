"""The site admin console: site admins only."""

from django.urls import reverse

from tests.trust.matrix import Row

# Columns:   anon  menA  menB  mtrA  mtrX  coA   coX   netC  admin
ROWS = [
    Row("console:home", lambda c: reverse("console:home"),
        "login 403   403   403   403   403   403   403   200"),
]
