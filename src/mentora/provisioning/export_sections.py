"""Provisioning data in a person's copy: what an institution's identity system told Mentora about them."""

from mentora.core.export_registry import EXEMPT, person_section, rows

from .models import ScimUser

EXEMPT.update({
    "provisioning.ScimToken": "an institution's provisioning credential (kept as a prefix and a hash); who made "
                              "it is in the admin audit log, which is in that person's copy",
})


@person_section("provisioning_records", models=["provisioning.ScimUser"])
def provisioning_records(user):
    """Each institution's record of this person: its user name and id for them, whether it holds them active,
    and the attributes it sent."""
    return rows(ScimUser.objects.filter(user=user).select_related("institution").order_by("pk"), exclude=["user_id"])
