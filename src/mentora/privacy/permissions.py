from mentora.programs.selectors import user_roles


def can_erase(actor, person) -> bool:
    """The person themself, or a site admin acting on a written request."""
    return actor.is_authenticated and (actor.pk == person.pk or actor.is_superuser)


def can_set_data_policy(user, program) -> bool:
    if not user.is_authenticated:
        return False
    roles = user_roles(user=user)
    return roles.is_admin or program.pk in roles.coordinated_program_ids
