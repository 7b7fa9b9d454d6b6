"""Who sees background work: the queue (every task) is for site admins; a job is for the person who
asked for it, the coordinators of its program, and site admins."""

from mentora.programs.selectors import user_roles


def can_manage_background_work(user) -> bool:
    """The Background work page and its retries: site admins only (task arguments name people)."""
    return bool(user.is_authenticated and user_roles(user=user).is_admin)


def can_view_job(user, job) -> bool:
    """See a job's progress and result, download its file, and retry it."""
    if not user.is_authenticated:
        return False
    roles = user_roles(user=user)
    if roles.is_admin or (job.requested_by_id is not None and job.requested_by_id == user.pk):
        return True
    return job.program_id is not None and job.program_id in roles.coordinated_program_ids
