"""Who may look at program insights, and at which programs. Used by every insights page, chart,
export and the report through scope_from_request."""

from django.db.models import QuerySet

from mentora.programs.models import Program
from mentora.programs.selectors import user_roles


def can_view_insights(user) -> bool:
    """Program coordinators and directors (of at least one program this year) and site admins."""
    if not user.is_authenticated:
        return False
    roles = user_roles(user=user)
    return roles.is_admin or roles.is_coordinator


def programs_visible_to(user) -> QuerySet[Program]:
    """The programs whose figures and people the user may see: the ones they coordinate or direct."""
    roles = user_roles(user=user)
    if roles.is_admin:
        return Program.objects.all().order_by("name")
    return Program.objects.filter(id__in=roles.coordinated_program_ids).order_by("name")
