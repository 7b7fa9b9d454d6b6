"""The role switcher, the style page and the installable app's manifest and service worker."""

from django.urls import reverse

from tests.trust.matrix import Row

# Columns:   anon  menA  menB  mtrA  mtrX  coA   coX   netC  admin
ROWS = [
    Row("home:style_guide", lambda c: reverse("home:style_guide"),
        "200   200   200   200   200   200   200   200   200"),
    Row("home:web_manifest", lambda c: reverse("home:web_manifest"),
        "200   200   200   200   200   200   200   200   200"),
    Row("home:service_worker", lambda c: reverse("home:service_worker"),
        "200   200   200   200   200   200   200   200   200"),
    # Everyone may act as a role they hold (the view answers with a message and a redirect either way); the
    # session only changes for a held role (tests/home/test_navigation.py).
    Row("home:switch_role", lambda c: reverse("home:switch_role"), method="POST", data={"role": "mentor"},
        expect="login 302   302   302   302   302   302   302   302"),
    Row("home:switch_role", lambda c: reverse("home:switch_role"), note="post-only",
        expect="login 405   405   405   405   405   405   405   405"),
]
