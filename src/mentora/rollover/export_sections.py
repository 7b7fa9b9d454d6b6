from django.db.models import Q

from mentora.core.export_registry import EXEMPT, person_section, rows

from .models import RelationshipRenewal

EXEMPT["rollover.RolloverRun"] = "a program's record of one rollover (counts only, no personal data)"


@person_section("relationship_renewals", models=["rollover.RelationshipRenewal"])
def relationship_renewals(user):
    return rows(RelationshipRenewal.objects.filter(
        Q(relationship__mentee=user) | Q(relationship__mentor=user)))
