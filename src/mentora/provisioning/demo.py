"""Provisioning in the demo: the demo institution's identity system provisions a few of the demo
program's mentees over SCIM and sends one group, mapped to the program's mentee role, so the console's
provisioning page shows a live token, the people count and a mapped group."""

import uuid

from mentora.programs.models import Membership

from .models import ScimGroup, ScimToken, ScimUser
from .services import TOKEN_PREFIX


def generate(context) -> None:
    program = context.demo_program
    institution = program.institution
    # The same seed gives the same demo: ids come from the demo's generator. The token's stored hash is
    # random bytes, the hash of no secret anyone holds, so it opens nothing (make a real one in the console).
    def uid():
        return uuid.UUID(int=context.rng.getrandbits(128), version=4)

    ScimToken.objects.create(institution=institution, prefix=TOKEN_PREFIX + "demo", token_hash=context.rng.randbytes(32).hex(),
                             created_by=context.logins["admin"])
    mentees = (Membership.objects.filter(program=program, role=Membership.Role.MENTEE, is_active=True)
               .select_related("user").order_by("user__email")[:5])
    records = [ScimUser(institution=institution, user=m.user, user_name=m.user.email, active=True, scim_id=uid(),
                        external_id=f"W{1000 + n}", attributes={"displayName": m.user.full_name})
               for n, m in enumerate(mentees)]
    ScimUser.objects.bulk_create(records)
    group = ScimGroup.objects.create(institution=institution, display_name="IM residents (Workday)", scim_id=uid(),
                                     program=program, role=Membership.Role.MENTEE)
    group.members.set(ScimUser.objects.filter(institution=institution))
