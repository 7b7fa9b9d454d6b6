"""Memberships in a person's copy; the members of a program in a program export (no sensitive data)."""

from django.db.models import Count

from mentora.dataio.exporters import person_section, program_section

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


@program_section("members", models=["programs.Membership"])
def members(program, academic_year):
    from mentora.dataio.models import ExternalId

    external = dict(ExternalId.objects.filter(program=program).values_list("user_id", "value"))
    people = []
    for m in (Membership.objects.filter(program=program, academic_year=academic_year)
              .select_related("user", "user__profile").order_by("role", "user__full_name", "pk")):
        profile = getattr(m.user, "profile", None)
        people.append({
            "person_id": m.user_id, "external_id": external.get(m.user_id, ""), "full_name": m.user.full_name,
            "email": m.user.email, "role": m.role, "training_level": m.training_level, "is_active": m.is_active,
            "specialty": profile.specialty if profile else "",
        })
    return people


@program_section("member_counts")
def member_counts(program, academic_year):
    return {row["role"]: row["n"] for row in Membership.objects.filter(
        program=program, academic_year=academic_year, is_active=True).values("role").annotate(n=Count("id"))}
