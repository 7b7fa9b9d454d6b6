from mentora.core.export_registry import person_section, program_section
from mentora.programs.models import Membership

from .models import AccountInvitation, ExternalId


@person_section("external_ids", models=["dataio.ExternalId"])
def external_ids(user):
    return [{"program": e.program.name, "external_id": e.value}
            for e in ExternalId.objects.filter(user=user).select_related("program").order_by("pk")]


@person_section("account_invitations", models=["dataio.AccountInvitation"])
def account_invitations(user):
    return [{"program": i.program.name, "status": i.status, "times_sent": i.round, "sent_at": i.sent_at,
             "accepted_at": i.accepted_at}
            for i in AccountInvitation.objects.filter(user=user).select_related("program").order_by("pk")]


# The members of a program export carry the external id that the program's imports gave each person.
@program_section("members", models=["programs.Membership"])
def members(program, academic_year):
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
