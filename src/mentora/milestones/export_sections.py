from mentora.core.export_registry import person_section, rows

from .models import PlanMilestone


@person_section("img_milestones", models=["milestones.PlanMilestone"])
def img_milestones(user):
    return rows(PlanMilestone.objects.filter(user=user))
