"""Who may see and move scholarly projects: owner mentees, the project's mentors, their program's
coordinators (and site admins). Used by the boards, the detail page and list queries alike."""

from django.db.models import Q, QuerySet

from mentora.core.academic_year import current_academic_year
from mentora.programs.models import Membership
from mentora.programs.selectors import user_roles
from mentora.relationships.models import Relationship

from .models import ScholarlyProject


def visible_projects(viewer) -> QuerySet[ScholarlyProject]:
    if not viewer.is_authenticated:
        return ScholarlyProject.objects.none()
    roles = user_roles(user=viewer)
    if roles.is_admin:
        return ScholarlyProject.objects.all()
    owned_or_mentored = ScholarlyProject.objects.filter(Q(owners=viewer) | Q(mentors=viewer)).values("id")
    return ScholarlyProject.objects.filter(
        Q(id__in=owned_or_mentored) | Q(program_id__in=roles.coordinated_program_ids)
    )


def can_view_project(viewer, project: ScholarlyProject) -> bool:
    return visible_projects(viewer).filter(pk=project.pk).exists()


def can_change_project(viewer, project: ScholarlyProject) -> bool:
    """Everyone who may see a project may also move it and edit it."""
    return can_view_project(viewer, project)


def can_view_program_board(viewer, program) -> bool:
    roles = user_roles(user=viewer)
    return roles.is_admin or program.pk in roles.coordinated_program_ids


def can_start_project_for(viewer, mentee) -> bool:
    """The mentee themselves, one of their mentors, or a coordinator of their program."""
    if not viewer.is_authenticated:
        return False
    if viewer.pk == mentee.pk or viewer.is_superuser:
        return True
    if Relationship.objects.filter(mentor=viewer, mentee=mentee, status__in=Relationship.OPEN_STATUSES).exists():
        return True
    roles = user_roles(user=viewer)
    return Membership.objects.filter(
        user=mentee, role="mentee", program_id__in=roles.coordinated_program_ids,
        academic_year=current_academic_year(), is_active=True,
    ).exists()


def can_view_mentee_board(viewer, mentee) -> bool:
    return can_start_project_for(viewer, mentee) or visible_projects(viewer).filter(owners=mentee).exists()
