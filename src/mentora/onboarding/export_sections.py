"""Whether the person put their first-steps checklists away."""

from mentora.core.export_registry import person_section, rows

from .models import FirstSteps


@person_section("first_steps", models=["onboarding.FirstSteps"])
def first_steps(user):
    found = rows(FirstSteps.objects.filter(user=user), exclude=["id", "user_id"])
    return found[0] if found else None
