"""Who may see, change and review whose learning plans. Used by pages, the API and list queries alike.

- The mentee sees and edits their own plans.
- A mentor sees the plans of people they mentor (an open relationship), comments on their
  goals, reviews and signs them off. They never edit the mentee's words.
- A coordinator (or director) sees the plans of their programs, read-only.
- A site admin sees everything.
"""

from django.db.models import Q, QuerySet

from mentora.programs.selectors import user_roles
from mentora.relationships.models import Relationship

from .models import LearningPlan


def _is_mentor_of(viewer, mentee) -> bool:
    if not viewer.is_authenticated or viewer.pk == getattr(mentee, "pk", mentee):
        return False
    return Relationship.objects.filter(
        mentor=viewer, mentee=mentee, status__in=Relationship.OPEN_STATUSES
    ).exists()


def _coordinates(viewer, plan: LearningPlan) -> bool:
    return plan.program_id is not None and plan.program_id in user_roles(user=viewer).coordinated_program_ids


def can_view_plan(viewer, plan: LearningPlan) -> bool:
    if not viewer.is_authenticated:
        return False
    if viewer.pk == plan.mentee_id or viewer.is_superuser:
        return True
    return _coordinates(viewer, plan) or _is_mentor_of(viewer, plan.mentee_id)


def can_edit_plan(viewer, plan: LearningPlan) -> bool:
    """Only the mentee writes their plan: it is theirs, the mentor reviews it."""
    return viewer.is_authenticated and viewer.pk == plan.mentee_id


def can_review_plan(viewer, plan: LearningPlan) -> bool:
    """Comment on goals, reassess and sign off: the mentee's mentors (an open relationship)."""
    return _is_mentor_of(viewer, plan.mentee_id)


def can_view_mentee_timeline(viewer, mentee) -> bool:
    if not viewer.is_authenticated:
        return False
    if viewer.pk == mentee.pk or viewer.is_superuser or _is_mentor_of(viewer, mentee):
        return True
    program_ids = user_roles(user=viewer).coordinated_program_ids
    if not program_ids:
        return False
    return (
        LearningPlan.objects.filter(mentee=mentee, program_id__in=program_ids).exists()
        or mentee.memberships.filter(program_id__in=program_ids, role="mentee").exists()
    )


def can_view_compliance(viewer, program_id: int) -> bool:
    if not viewer.is_authenticated:
        return False
    return viewer.is_superuser or program_id in user_roles(user=viewer).coordinated_program_ids


def visible_plans(viewer) -> QuerySet[LearningPlan]:
    """Every plan the viewer may see, as one query (the same rule as can_view_plan)."""
    if not viewer.is_authenticated:
        return LearningPlan.objects.none()
    if viewer.is_superuser:
        return LearningPlan.objects.all()
    mentored = Relationship.objects.filter(mentor=viewer, status__in=Relationship.OPEN_STATUSES).values("mentee_id")
    condition = Q(mentee=viewer) | Q(mentee_id__in=mentored)
    program_ids = user_roles(user=viewer).coordinated_program_ids
    if program_ids:
        condition |= Q(program_id__in=program_ids)
    return LearningPlan.objects.filter(condition)
