"""Background work of the import: invitations to the people it created."""

from django.contrib.auth import get_user_model
from django_tasks import task

from mentora.programs.models import Program

from .invitations import invite

User = get_user_model()


@task()
def send_import_invitations(*, user_ids: list[int], program_id: int) -> int:
    """Invite each new person once per program (notify's key makes a second run send nothing)."""
    program = Program.objects.get(pk=program_id)
    sent = 0
    for user in User.objects.filter(pk__in=user_ids, is_active=True).iterator(chunk_size=500):
        if invite(user=user, program=program):
            sent += 1
    return sent
