"""First steps: each person puts away their own checklist; there is no one else's to touch."""

from django.urls import reverse

from tests.trust.matrix import Row

# Columns:   anon  menA  menB  mtrA  mtrX  coA   coX   netC  admin
ROWS = [
    Row("onboarding:first_steps_dismiss", lambda c: reverse("onboarding:first_steps_dismiss"), method="POST", data={"role": "mentee"},
        note="one's own mentee checklist",
        expect="login 302   302   302   302   302   302   302   302"),
    Row("onboarding:first_steps_dismiss", lambda c: reverse("onboarding:first_steps_dismiss"), note="GET is not allowed",
        expect="login 405   405   405   405   405   405   405   405"),
]
