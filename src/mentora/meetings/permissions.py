"""Who may see and do what in a relationship's lifecycle. Used by pages, the API and list queries.

- The two sides (mentee and mentor) see and change everything shared in their relationship.
- Coordinators of the relationship's program (and site admins) see its summary: agreement, health,
  meeting dates and statuses, action-item counts; not notes, agenda contents or messages.
- Private notes: their author alone (see selectors.private_notes_of); nobody else, ever.
"""


from mentora.programs.selectors import user_roles
from mentora.relationships.models import Relationship


def is_party(user, relationship: Relationship) -> bool:
    return user.is_authenticated and user.pk in (relationship.mentee_id, relationship.mentor_id)


def can_view_relationship(user, relationship: Relationship) -> bool:
    if not user.is_authenticated:
        return False
    if is_party(user, relationship) or user.is_superuser:
        return True
    return can_oversee(user, relationship)


def can_oversee(user, relationship: Relationship) -> bool:
    """Coordinator view: summary and health, never private or shared content."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    roles = user_roles(user=user)
    return relationship.program_id is not None and relationship.program_id in roles.coordinated_program_ids


def can_view_content(user, relationship: Relationship) -> bool:
    """Agenda, homework, shared notes, action items and messages: the two sides only."""
    return is_party(user, relationship)


def can_act(user, relationship: Relationship) -> bool:
    """Schedule, add, confirm: the two sides of an open relationship."""
    return is_party(user, relationship) and relationship.is_open


def can_curate_resources(user, program_id: int | None) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    roles = user_roles(user=user)
    if program_id is None:
        return roles.is_network_coordinator
    return program_id in roles.coordinated_program_ids


def can_view_feedback(user, program_id: int) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or program_id in user_roles(user=user).coordinated_program_ids
