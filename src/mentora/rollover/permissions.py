from mentora.programs.selectors import user_roles


def can_roll_over(user, program) -> bool:
    if not user.is_authenticated:
        return False
    roles = user_roles(user=user)
    return roles.is_admin or program.pk in roles.coordinated_program_ids


def can_answer_renewal(user, renewal) -> bool:
    return user.is_authenticated and user.pk in {renewal.relationship.mentee_id, renewal.relationship.mentor_id}
