"""Memberships in a person's copy; member counts in a program export (its member list, with external ids, is dataio's)."""

from django.db.models import Count

from mentora.core.export_registry import person_section, program_section

from .models import Membership, MembershipInvitation


@person_section("memberships", models=["programs.Membership", "programs.Network", "programs.MembershipInvitation"])
def memberships(user):
    found = [
        {"program": m.program.name, "program_slug": m.program.slug, "academic_year": m.academic_year,
         "role": m.role, "training_level": m.training_level, "is_active": m.is_active, "created_at": m.created_at}
        for m in Membership.objects.filter(user=user).select_related("program").order_by("academic_year", "pk")
    ]
    return {
        "memberships": found,
        "networks_coordinated": list(user.coordinated_networks.values_list("name", flat=True)),
        "networks_as_mentor": list(user.mentor_networks.values_list("name", flat=True)),
        "program_invitations": [
            {"program": i.program.name, "academic_year": i.academic_year, "role": i.role, "status": i.status,
             "invited_at": i.invited_at, "answered_at": i.answered_at}
            for i in MembershipInvitation.objects.filter(user=user).select_related("program").order_by("invited_at")
        ],
    }


@program_section("member_counts")
def member_counts(program, academic_year):
    return {row["role"]: row["n"] for row in Membership.objects.filter(
        program=program, academic_year=academic_year, is_active=True).values("role").annotate(n=Count("id"))}
