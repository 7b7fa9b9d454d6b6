"""Year after year: conflicts of interest, IMG milestones, privacy rights, rollover, mentor portfolio."""

import datetime

from django.urls import reverse

from mentora.conflicts.services import evaluating_role_declare
from mentora.core.academic_year import current_academic_year
from mentora.milestones.services import milestone_add
from mentora.relationships.models import Relationship
from mentora.rollover.models import RelationshipRenewal
from tests.trust.matrix import Row

MILESTONE_NOTE = "Milestone probe 5K"


def _role_of_mentor_a(c) -> int:
    return evaluating_role_declare(by=c.mentor_a, role="ccc_member", program=c.program).pk


def _milestone_of_a(c) -> int:
    return milestone_add(by=c.mentee_a, template_key="usmle_step3", due_on=datetime.date(2027, 3, 1),
                         note=MILESTONE_NOTE).pk


def _renewal_of_a(c) -> int:
    relationship = Relationship.objects.get(mentee=c.mentee_a, mentor=c.mentor_a)
    return RelationshipRenewal.objects.create(relationship=relationship, academic_year=current_academic_year() + 1).pk


def _membership_of_a(c) -> int:
    from mentora.programs.models import Membership

    return Membership.objects.get(user=c.mentee_a, program=c.program, academic_year=current_academic_year()).pk


def _check_url(c) -> str:
    return f"/api/conflicts/check?mentor_id={c.mentor_a.pk}&mentee_id={c.mentee_a.pk}"


# Columns:   anon  menA  menB  mtrA  mtrX  coA   coX   netC  admin
ROWS = [
    # Conflicts of interest: rows in tests/trust/rows/conflicts.py.
    # IMG milestones: private to their owner, visa steps included.
    Row("milestones:milestone_list", lambda c: (_milestone_of_a(c), reverse("milestones:milestone_list"))[1],
        probe=lambda c: MILESTONE_NOTE, note="only the owner sees them",
        expect="login 200+  200-  200-  200-  200-  200-  200-  200-"),
    Row("milestones:milestone_list", lambda c: reverse("milestones:milestone_list"), method="POST", data={}, note="invalid form",
        expect="login 200   200   200   200   200   200   200   200"),
    Row("milestones:milestone_edit", lambda c: reverse("milestones:milestone_edit", args=[_milestone_of_a(c)]),
        "login 200   403   403   403   403   403   403   403"),
    Row("milestones:milestone_edit", lambda c: reverse("milestones:milestone_edit", args=[_milestone_of_a(c)]), method="POST",
        data={}, note="invalid form", expect="login 200   403   403   403   403   403   403   403"),
    Row("milestones:milestone_delete", lambda c: reverse("milestones:milestone_delete", args=[_milestone_of_a(c)]), method="POST",
        expect="login 302   403   403   403   403   403   403   403"),
    Row("milestones:milestone_delete", lambda c: reverse("milestones:milestone_delete", args=[_milestone_of_a(c)]),
        "login 405   405   405   405   405   405   405   405"),
    Row("ilps:ilp_timeline", lambda c: (_milestone_of_a(c), reverse("ilps:ilp_timeline", args=[c.mentee_a.pk]))[1],
        probe=lambda c: "official source: USMLE: Step 3", note="IMG milestones: on the owner's view only",
        expect="login 200+  403   200-  403   200-  403   403   200-"),
    Row("ilps:ilp_timeline_me", lambda c: (_milestone_of_a(c), reverse("ilps:ilp_timeline_me"))[1],
        probe=lambda c: "official source: USMLE: Step 3", note="IMG milestones: one's own only",
        expect="login 200+  200-  200-  200-  200-  200-  200-  200-"),
    Row("GET /api/milestones/templates", lambda c: "/api/milestones/templates",
        "401   200   200   200   200   200   200   200   200"),
    Row("GET /api/milestones", lambda c: "/api/milestones",
        "401   200   200   200   200   200   200   200   200"),
    Row("POST /api/milestones", lambda c: "/api/milestones",
        data={"template_key": "usmle_step3", "due_on": "2027-03-01"},
        expect="401   201   201   201   201   201   201   201   201"),
    Row("PUT /api/milestones/{milestone_id}", lambda c: f"/api/milestones/{_milestone_of_a(c)}",
        data={"due_on": "2027-04-01"}, expect="401   200   404   404   404   404   404   404   404"),
    Row("DELETE /api/milestones/{milestone_id}", lambda c: f"/api/milestones/{_milestone_of_a(c)}",
        "401   204   404   404   404   404   404   404   404"),

    # Privacy rights: each person acts on their own data only; coordinators set their program's policy.
    Row("privacy:privacy_home", lambda c: reverse("privacy:privacy_home"),
        "login 200   200   200   200   200   200   200   200"),
    Row("privacy:privacy_leave", lambda c: reverse("privacy:privacy_leave", args=[c.program.slug]),
        "login 200   200   200   200   200   200   200   200"),
    Row("privacy:privacy_leave", lambda c: reverse("privacy:privacy_leave", args=[c.program.slug]), method="POST",
        note="leaves only one's own memberships (others are told they have none)",
        expect="login 302   302   302   302   302   302   302   302"),
    Row("POST /api/privacy/programs/{slug}/leave", lambda c: f"/api/privacy/programs/{c.program.slug}/leave",
        note="leaves only one's own memberships (others are told they have none)",
        expect="401   200   200   200   422   200   422   422   422"),
    Row("POST /api/privacy/withdraw-consent", lambda c: "/api/privacy/withdraw-consent",
        expect="401   200   200   200   200   200   200   200   200"),
    Row("privacy:privacy_withdraw_consent", lambda c: reverse("privacy:privacy_withdraw_consent"), method="POST",
        expect="login 302   302   302   302   302   302   302   302"),
    Row("privacy:privacy_withdraw_consent", lambda c: reverse("privacy:privacy_withdraw_consent"),
        "login 405   405   405   405   405   405   405   405"),
    Row("privacy:privacy_erase", lambda c: reverse("privacy:privacy_erase"), method="POST", data={"email": "someone@else.org"},
        note="the typed address must be one's own", expect="login 400   400   400   400   400   400   400   400"),
    Row("privacy:privacy_erase", lambda c: reverse("privacy:privacy_erase"),
        "login 405   405   405   405   405   405   405   405"),
    Row("privacy:privacy_program_policy", lambda c: reverse("privacy:privacy_program_policy", args=[c.program.slug]),
        "login 403   403   403   403   200   403   403   200"),
    Row("privacy:privacy_program_policy", lambda c: reverse("privacy:privacy_program_policy", args=[c.program.slug]),
        method="POST", data={"keep_records_on_leave": "on"},
        expect="login 403   403   403   403   302   403   403   302"),

    # Rollover: the program's coordinators and the admin; each renewal: its mentee and mentor.
    Row("rollover:rollover_program", lambda c: reverse("rollover:rollover_program", args=[c.program.slug]),
        "login 403   403   403   403   200   403   403   200"),
    Row("rollover:rollover_program", lambda c: reverse("rollover:rollover_program", args=[c.program.slug]), method="POST",
        data={}, note="not confirmed: nothing changes",
        expect="login 403   403   403   403   422   403   403   422"),
    Row("rollover:rollover_program", lambda c: reverse("rollover:rollover_program", args=[c.program.slug]) + "?export=csv",
        probe=lambda c: c.mentee_a.full_name, note="CSV export of the preview",
        expect="login 403   403   403   403   200+  403   403   200+"),
    Row("rollover:rollover_program", lambda c: reverse("rollover:rollover_program", args=[c.program.slug]), method="POST",
        data=lambda c: {"shown": [_membership_of_a(c)], "picked": [_membership_of_a(c)], "action": "override",
                        "override": "repeat"},
        note="an exception for a member", expect="login 403   403   403   403   302   403   403   302"),
    Row("rollover:rollover_renewal", lambda c: reverse("rollover:rollover_renewal", args=[_renewal_of_a(c)]),
        "login 200   403   200   403   403   403   403   403"),
    Row("rollover:rollover_renewal", lambda c: reverse("rollover:rollover_renewal", args=[_renewal_of_a(c)]), method="POST",
        data={"answer": "maybe"}, note="invalid answer",
        expect="login 200   403   200   403   403   403   403   403"),

    # Mentor portfolio: one's own, for people who mentor.
    Row("portfolio:portfolio", lambda c: reverse("portfolio:portfolio"),
        "login 403   403   200   200   403   403   403   403"),
    Row("GET /api/portfolio", lambda c: "/api/portfolio", probe=lambda c: c.mentee_a.display_name,
        note="one's own: mentor A's lists mentee A",
        expect="401   403   403   200+  200-  403   403   403   403"),
    Row("portfolio:portfolio_csv", lambda c: reverse("portfolio:portfolio_csv"),
        "login 403   403   200   200   403   403   403   403"),
    Row("portfolio:portfolio_pdf", lambda c: reverse("portfolio:portfolio_pdf"),
        "login 403   403   200   200   403   403   403   403"),
]
