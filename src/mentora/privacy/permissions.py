from mentora.programs.selectors import user_roles


def can_set_data_policy(user, program) -> bool:
    if not user.is_authenticated:
        return False
    roles = user_roles(user=user)
    return roles.is_admin or program.pk in roles.coordinated_program_ids
