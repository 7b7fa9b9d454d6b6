"""Profiles: pages and API. Visa details and sensitive attributes are checked with probes."""

from django.urls import reverse

from tests.factories import ImgDetailsFactory, SensitiveAttributesFactory
from tests.trust.matrix import Row

WAIVER = "Waiver plan probe 7Q"


def _a_with_visa(c, *, shared: bool):
    ImgDetailsFactory(user=c.mentee_a, visa_status="j1", j1_waiver_plan=WAIVER, visa_visible_to_mentors=shared)
    return c.mentee_a.pk


def _a_with_attribute(c, visibility: str):
    SensitiveAttributesFactory(user=c.mentee_a, race_ethnicity="asian", race_ethnicity_visibility=visibility)
    return c.mentee_a.pk


SENSITIVE_CARD = 'id="sensitive-heading"'

# Columns:   anon  menA  menB  mtrA  mtrX  coA   coX   netC  admin
ROWS = [
    Row("profiles:profile_me", lambda c: reverse("profiles:profile_me"),
        "login 302   302   302   302   302   302   302   302"),
    Row("profiles:profile_edit", lambda c: reverse("profiles:profile_edit"),
        "login 200   200   200   200   200   200   200   200"),
    Row("profiles:profile_edit", lambda c: reverse("profiles:profile_edit"), method="POST", note="invalid form, shown again",
        data={"profile-full_name": ""},
        expect="login 200   200   200   200   200   200   200   200"),
    Row("privacy:privacy_edit", lambda c: reverse("privacy:privacy_edit"),
        "login 200   200   200   200   200   200   200   200"),
    Row("privacy:privacy_edit", lambda c: reverse("privacy:privacy_edit"), method="POST",
        data={"gender_visibility": "private", "race_ethnicity_visibility": "private",
              "lgbtq_identity_visibility": "private"},
        note="withdrawing consent (of one's own attributes only)",
        expect="login 302   302   302   302   302   302   302   302"),
    # A mentee's profile: the person, their mentors, their program's coordinators and the admin.
    Row("profiles:profile_detail", lambda c: reverse("profiles:profile_detail", args=[_a_with_visa(c, shared=False)]),
        probe=lambda c: WAIVER, note="mentee A, visa private",
        expect="login 200+  403   200-  403   200-  403   403   200-"),
    Row("profiles:profile_detail", lambda c: reverse("profiles:profile_detail", args=[_a_with_visa(c, shared=True)]),
        probe=lambda c: WAIVER, note="mentee A shares visa details with mentors",
        expect="login 200+  403   200+  403   200-  403   403   200-"),
    Row("profiles:profile_detail", lambda c: reverse("profiles:profile_detail", args=[_a_with_attribute(c, "private")]),
        probe=lambda c: SENSITIVE_CARD, note="mentee A, attribute private",
        expect="login 200+  403   200-  403   200-  403   403   200-"),
    Row("profiles:profile_detail", lambda c: reverse("profiles:profile_detail", args=[_a_with_attribute(c, "mentors")]),
        probe=lambda c: SENSITIVE_CARD, note="mentee A, attribute shown to mentors",
        expect="login 200+  403   200+  403   200-  403   403   200-"),
    Row("profiles:profile_detail", lambda c: reverse("profiles:profile_detail", args=[c.mentor_a.pk]), note="a mentor is in the directory",
        expect="login 200   200   200   200   200   200   200   200"),
    Row("profiles:profile_detail", lambda c: reverse("profiles:profile_detail", args=[c.mentor_a.pk]),
        probe=lambda c: "Edit my profile", note="only the person is offered to edit it",
        expect="login 200-  200-  200+  200-  200-  200-  200-  200-"),
    Row("profiles:profile_detail", lambda c: reverse("profiles:profile_detail", args=[999999]), note="nobody",
        expect="login 404   404   404   404   404   404   404   404"),
    # The API never carries visa details or sensitive attributes, not even to their owner.
    Row("GET /api/people/{user_id}", lambda c: f"/api/people/{_a_with_visa(c, shared=True)}",
        probe=lambda c: WAIVER, note="mentee A",
        expect="401   200-  404   200-  404   200-  404   404   200-"),
    Row("GET /api/people/{user_id}", lambda c: f"/api/people/{c.mentor_a.pk}", note="a mentor",
        expect="401   200   200   200   200   200   200   200   200"),
]
