"""Provisioning in the demo: the demo institution's identity system provisions a few of the demo
program's mentees over SCIM and sends one group, mapped to the program's mentee role, so the console's
provisioning page shows a live token, the people count and a mapped group."""

from mentora.programs.models import Membership

from .models import ScimGroup, ScimUser
from .services import _token_issue


def generate(context) -> None:
    program = context.demo_program
    institution = program.institution
    _token_issue(institution=institution, created_by=context.logins["admin"])
    mentees = (Membership.objects.filter(program=program, role=Membership.Role.MENTEE, is_active=True)
               .select_related("user").order_by("user__email")[:5])
    records = [ScimUser(institution=institution, user=m.user, user_name=m.user.email, active=True,
                        external_id=f"W{1000 + n}", attributes={"displayName": m.user.full_name})
               for n, m in enumerate(mentees)]
    ScimUser.objects.bulk_create(records)
    group = ScimGroup.objects.create(institution=institution, display_name="IM residents (Workday)",
                                     program=program, role=Membership.Role.MENTEE)
    group.members.set(ScimUser.objects.filter(institution=institution))
