from django.db.models import Q

from mentora.core.export_registry import EXEMPT, person_section, rows

from .models import EvaluatingRole

EXEMPT["conflicts.ConflictPolicy"] = "a program's settings; only who last changed them points at a person"


@person_section("evaluating_roles", models=["conflicts.EvaluatingRole"])
def evaluating_roles(user):
    return rows(EvaluatingRole.objects.filter(Q(mentor=user) | Q(mentee=user)))
