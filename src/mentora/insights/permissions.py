"""Who may look at program insights, and at which programs. Used by every insights page, chart,
export and the report through scope_from_request.

Network coordinators see the programs of their networks as aggregates only (the design gives them the
network, not its people): the figures, charts, exports and the network roll-up, never the people
behind a figure.
"""

from django.db.models import Q, QuerySet

from mentora.programs.models import Network, Program
from mentora.programs.selectors import user_roles


def can_view_insights(user) -> bool:
    """Program coordinators and directors (of at least one program this year), network coordinators and
    site admins."""
    if not user.is_authenticated:
        return False
    roles = user_roles(user=user)
    return roles.is_admin or roles.is_coordinator or roles.is_network_coordinator


def programs_visible_to(user) -> QuerySet[Program]:
    """The programs whose figures the user may see: the ones they coordinate or direct, and the programs of
    the networks they coordinate."""
    roles = user_roles(user=user)
    if roles.is_admin:
        return Program.objects.all().order_by("name")
    return Program.objects.filter(
        Q(id__in=roles.coordinated_program_ids) | Q(network_id__in=roles.coordinated_network_ids)
    ).order_by("name")


def can_see_people_behind_figures(user, program_ids) -> bool:
    """The names behind a figure: only for programs the user coordinates (every one of them), or a site
    admin. `program_ids` None means every program (site admins only)."""
    if not user.is_authenticated:
        return False
    roles = user_roles(user=user)
    if roles.is_admin:
        return True
    return program_ids is not None and bool(program_ids) and set(program_ids) <= roles.coordinated_program_ids


def networks_visible_to(user) -> QuerySet[Network]:
    """The networks whose roll-up the user may see: those they coordinate (site admins: every one)."""
    if not user.is_authenticated:
        return Network.objects.none()
    roles = user_roles(user=user)
    networks = Network.objects.all() if roles.is_admin else Network.objects.filter(id__in=roles.coordinated_network_ids)
    return networks.order_by("name")
