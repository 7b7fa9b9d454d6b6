"""Who manages which webhook subscriptions: a program's by its coordinators (and site admins); an
institution's, which receive the events of all its programs, by site admins only."""

from mentora.programs.selectors import user_roles


def can_manage_program_webhooks(viewer, program) -> bool:
    if not viewer.is_authenticated:
        return False
    roles = user_roles(user=viewer)
    return roles.is_admin or program.pk in roles.coordinated_program_ids


def can_manage_institution_webhooks(viewer, institution) -> bool:
    return viewer.is_authenticated and user_roles(user=viewer).is_admin


def can_manage_subscription(viewer, subscription) -> bool:
    if subscription.program_id is not None:
        return can_manage_program_webhooks(viewer, subscription.program)
    return can_manage_institution_webhooks(viewer, subscription.institution)
