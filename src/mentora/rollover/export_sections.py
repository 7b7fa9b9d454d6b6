from django.db.models import Q

from mentora.core.export_registry import EXEMPT, person_section, rows

from .models import RelationshipRenewal, RolloverOverride

EXEMPT["rollover.RolloverRun"] = "a program's record of one rollover (counts only, no personal data)"


@person_section("relationship_renewals", models=["rollover.RelationshipRenewal"])
def relationship_renewals(user):
    return rows(RelationshipRenewal.objects.filter(
        Q(relationship__mentee=user) | Q(relationship__mentor=user)))


@person_section("rollover_exceptions", models=["rollover.RolloverOverride"])
def rollover_exceptions(user):
    """What a coordinator decided the rollover does to the person (repeats the year, leaves, graduates)."""
    return rows(RolloverOverride.objects.filter(membership__user=user))
