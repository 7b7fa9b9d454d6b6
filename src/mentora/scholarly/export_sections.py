from django.db.models import Q

from mentora.core.export_registry import person_section, rows

from .models import ScholarlyProject, StageChange


@person_section("scholarly_projects", models=["scholarly.ScholarlyProject", "scholarly.StageChange"])
def scholarly_projects(user):
    projects = ScholarlyProject.objects.filter(Q(owners=user) | Q(mentors=user)).distinct()
    found = rows(projects)
    people = {p.pk: (list(p.owners.values_list("full_name", flat=True)),
                     list(p.mentors.values_list("full_name", flat=True))) for p in projects}
    for project in found:
        project["owners"], project["mentors"] = people[project["id"]]
    return {"projects": found, "stage_changes": rows(StageChange.objects.filter(project__in=projects))}
