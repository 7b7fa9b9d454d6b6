"""Who may see, change and review whose learning plans. Used by pages, the API and list queries alike.

- The mentee sees and edits their own plans.
- A mentor sees the plans of people they mentor (an open relationship), comments on their
  goals, reviews and signs them off. They never edit the mentee's words. A plan written in a
  program is reached only through a relationship of that program (or one the mentee set up
  outside any program): a mentor matched in program B never opens the plan of program A.
- A coordinator (or director) sees the plans of their programs, read-only; the timeline of a
  mentee only while the mentee is a member of one of their programs (leaving ends it).
- A site admin sees everything.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from mentora.core.academic_year import current_academic_year
from mentora.programs.models import Membership
from mentora.programs.selectors import user_roles
from mentora.relationships.models import Relationship

from .models import LearningPlan


def _is_mentor_of(viewer, mentee) -> bool:
    if not viewer.is_authenticated or viewer.pk == getattr(mentee, "pk", mentee):
        return False
    return Relationship.objects.filter(
        mentor=viewer, mentee=mentee, status__in=Relationship.OPEN_STATUSES
    ).exists()


def _mentors_plan(viewer, plan: LearningPlan) -> bool:
    """An open relationship with the plan's mentee in the plan's program (or in no program)."""
    if not viewer.is_authenticated or viewer.pk == plan.mentee_id:
        return False
    relationships = Relationship.objects.filter(mentor=viewer, mentee_id=plan.mentee_id,
                                                status__in=Relationship.OPEN_STATUSES)
    if plan.program_id is not None:
        relationships = relationships.filter(Q(program_id=plan.program_id) | Q(program__isnull=True))
    return relationships.exists()


def _coordinates(viewer, plan: LearningPlan) -> bool:
    return plan.program_id is not None and plan.program_id in user_roles(user=viewer).coordinated_program_ids


def can_view_plan(viewer, plan: LearningPlan) -> bool:
    if not viewer.is_authenticated:
        return False
    if viewer.pk == plan.mentee_id or viewer.is_superuser:
        return True
    return _coordinates(viewer, plan) or _mentors_plan(viewer, plan)


def can_edit_plan(viewer, plan: LearningPlan) -> bool:
    """Only the mentee writes their plan: it is theirs, the mentor reviews it."""
    return viewer.is_authenticated and viewer.pk == plan.mentee_id


def can_review_plan(viewer, plan: LearningPlan) -> bool:
    """Comment on goals, reassess and sign off: the mentee's mentors in the plan's program."""
    return _mentors_plan(viewer, plan)


def can_view_mentee_timeline(viewer, mentee) -> bool:
    if not viewer.is_authenticated:
        return False
    if viewer.pk == mentee.pk or viewer.is_superuser or _is_mentor_of(viewer, mentee):
        return True
    program_ids = user_roles(user=viewer).coordinated_program_ids
    if not program_ids:
        return False
    # A member now (or for the coming year): a past or ended membership, or one they left, gives nothing.
    return Membership.objects.filter(
        user=mentee, program_id__in=program_ids, role=Membership.Role.MENTEE, is_active=True,
        academic_year__gte=current_academic_year(),
    ).exists()


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
    mentoring = Relationship.objects.filter(mentor=viewer, status__in=Relationship.OPEN_STATUSES)
    in_same_program = mentoring.filter(mentee_id=OuterRef("mentee_id"), program_id=OuterRef("program_id"))
    # Mentored (one hashed subquery narrows the rows), then in the plan's program or outside any.
    condition = Q(mentee=viewer) | (Q(mentee_id__in=mentoring.values("mentee_id")) & (
        Q(program__isnull=True) | Q(Exists(in_same_program))
        | Q(mentee_id__in=mentoring.filter(program__isnull=True).values("mentee_id"))
    ))
    program_ids = user_roles(user=viewer).coordinated_program_ids
    if program_ids:
        condition |= Q(program_id__in=program_ids)
    return LearningPlan.objects.filter(condition)
