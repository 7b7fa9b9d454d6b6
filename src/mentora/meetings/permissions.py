"""Who may see and do what around meetings: resources, documents and program feedback.

Who may see and change a relationship itself (and everything shared in it) is in
mentora.relationships.permissions.
- Private notes: their author alone (see selectors.private_notes_of); nobody else, ever.
- Agenda items, notes and action items are corrected or removed by whoever wrote them, and only while
  the relationship is open; the other side sees each change in the meeting's history.
- Resources come at three levels. Site-wide ones: site admins curate them, every signed-in person
  reads them. A network's: its network coordinators curate them; the people of its programs, its
  mentors and its coordinators read them. A program's: its coordinators curate them, its members
  read them. A document is handed out only to those who may read its resource.
"""

from django.db.models import Q, QuerySet

from mentora.programs.models import Network, Program
from mentora.programs.selectors import user_roles
from mentora.relationships.models import Relationship
from mentora.relationships.permissions import can_act

from .models import Resource


def can_view_my_mentees(user) -> bool:
    """The "My mentees" page: people who mentor (a program membership as mentor, or a mentor offer)."""
    return user.is_authenticated and user_roles(user=user).is_mentor


def _author_id(item) -> int | None:
    for field in ("added_by_id", "author_id", "created_by_id"):
        if hasattr(item, field):
            return getattr(item, field)
    return None


def _relationship_of(item) -> Relationship:
    return item.relationship if hasattr(item, "relationship_id") else item.meeting.relationship


def can_change_item(user, item) -> bool:
    """Edit or delete an agenda item, a shared or private note or an action item: its author, while open."""
    return (user.is_authenticated and _author_id(item) == user.pk
            and can_act(user, _relationship_of(item)))


def can_curate_resources(user, *, program_id: int | None, network_id: int | None) -> bool:
    """Add or remove resources of a program (its coordinators), a network (its coordinators) or the site (admins)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    roles = user_roles(user=user)
    if program_id is not None:
        return program_id in roles.coordinated_program_ids
    if network_id is not None:
        return network_id in roles.coordinated_network_ids
    return False  # site-wide resources belong to site admins


def resources_visible_to(user) -> QuerySet[Resource]:
    if not user.is_authenticated:
        return Resource.objects.none()
    if user.is_superuser:
        return Resource.objects.all()

    roles = user_roles(user=user)
    program_ids = roles.mentee_program_ids | roles.mentor_program_ids | roles.coordinated_program_ids
    network_ids = (set(roles.coordinated_network_ids)
                   | set(Network.objects.filter(mentors=user).values_list("pk", flat=True))
                   | set(Program.objects.filter(pk__in=program_ids, network__isnull=False)
                         .values_list("network_id", flat=True)))
    return Resource.objects.filter(Q(program__isnull=True, network__isnull=True) | Q(program_id__in=program_ids)
                                   | Q(network_id__in=network_ids))


def can_view_resource(user, resource: Resource) -> bool:
    return resources_visible_to(user).filter(pk=resource.pk).exists()


def can_view_feedback(user, program_id: int) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or program_id in user_roles(user=user).coordinated_program_ids


def can_view_program_aggregates(user, program_id: int) -> bool:
    """A program's aggregate oversight pages (relationship health counts, feedback averages): those who
    may see its feedback, and the coordinators of the program's network, who see figures only."""
    if can_view_feedback(user, program_id):
        return True
    if not user.is_authenticated:
        return False

    networks = user_roles(user=user).coordinated_network_ids
    return bool(networks) and Program.objects.filter(pk=program_id, network_id__in=networks).exists()


def can_edit_survey(user, program_id: int) -> bool:
    """A program's feedback questions and schedule: its coordinators and directors, and site admins."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or program_id in user_roles(user=user).coordinated_program_ids
