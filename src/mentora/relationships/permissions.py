"""Who may see and change a mentoring relationship. Used by pages, the API, services and list queries.

- The two sides (mentee and mentor) see and change everything shared in their relationship.
- Coordinators of the relationship's program (and site admins) see its summary: agreement, health,
  meeting dates and statuses, action-item counts; not notes, agenda contents or messages. They may
  pause, resume, close and reassign it, and pair two of their program's people by hand.
- A relationship starts from a request the mentor accepts (the mentor acts), or from a batch match or
  manual pairing (a coordinator of the program acts).
"""

from mentora.programs.selectors import user_roles

from .models import Relationship


def is_party(user, relationship: Relationship) -> bool:
    return user.is_authenticated and user.pk in (relationship.mentee_id, relationship.mentor_id)


def can_coordinate_program(user, program_id: int | None) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return program_id is not None and program_id in user_roles(user=user).coordinated_program_ids


def can_view_relationship(user, relationship: Relationship) -> bool:
    if not user.is_authenticated:
        return False
    if is_party(user, relationship) or user.is_superuser:
        return True
    return can_oversee(user, relationship)


def can_oversee(user, relationship: Relationship) -> bool:
    """Coordinator view: summary and health, never private or shared content."""
    return can_coordinate_program(user, relationship.program_id)


def can_view_content(user, relationship: Relationship) -> bool:
    """Agenda, homework, shared notes, action items and messages: the two sides only."""
    return is_party(user, relationship)


def can_act(user, relationship: Relationship) -> bool:
    """Schedule, add, confirm: the two sides of an open relationship."""
    return is_party(user, relationship) and relationship.is_open


def can_change(user, relationship: Relationship) -> bool:
    """Pause, resume or close an open relationship: either side, or a coordinator of its program."""
    return relationship.is_open and (is_party(user, relationship) or can_oversee(user, relationship))


def can_reassign(user, relationship: Relationship) -> bool:
    """Give the mentee another mentor: a coordinator of the relationship's program."""
    return relationship.is_open and can_oversee(user, relationship)


def can_start(user, *, mentor, source: str, program) -> bool:
    """Start a relationship: the mentor accepting a request or a referral, or the program's coordinators."""
    if not user.is_authenticated:
        return False
    if source in (Relationship.Source.REQUEST, Relationship.Source.REFERRAL):
        return user.pk == mentor.pk
    return can_coordinate_program(user, program.pk if program is not None else None)
