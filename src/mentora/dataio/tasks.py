"""Background work of the import: the import itself (a job with progress) and the invitations to the
people it created."""

from django.contrib.auth import get_user_model
from django_tasks import task

from mentora.background.services import job_execute, job_requeued
from mentora.core.task_policy import retry_safe

from . import services
from .invitations import account_invitation_send
from .models import AccountInvitation

User = get_user_model()

# The mail server refused this many invitations in a row: it is down, so the batch stops and the task
# retries later (with back-off) instead of waiting for the mail timeout 5,000 times.
FAILURES_IN_A_ROW = 10


class MailServerDown(Exception):
    pass


@retry_safe(label="Send account invitations", attempts=5,
            why="each person's invitation is a row whose status says whether it went out, and its notice has a "
                "key unique per person, program and round: a second run sends only what is still waiting")
@task()
def send_account_invitations(*, invitation_ids: list[int]) -> dict:
    counts: dict[str, int] = {}
    failures_in_a_row = 0
    waiting = AccountInvitation.objects.filter(pk__in=invitation_ids).exclude(
        status__in=[AccountInvitation.Status.SENT, AccountInvitation.Status.ACCEPTED]).values_list("pk", flat=True)
    for invitation_id in list(waiting):
        status = account_invitation_send(invitation_id=invitation_id)
        counts[status] = counts.get(status, 0) + 1
        failures_in_a_row = failures_in_a_row + 1 if status == AccountInvitation.Status.FAILED else 0
        if failures_in_a_row >= FAILURES_IN_A_ROW:
            raise MailServerDown(f"The mail server refused {FAILURES_IN_A_ROW} invitations in a row; the others "
                                 "wait for the next attempt.")
    return counts


@retry_safe(label="Send import invitations (before statuses)", attempts=5,
            why="as send_account_invitations: one invitation row per person and program")
@task()
def send_import_invitations(*, user_ids: list[int], program_id: int) -> int:
    """Tasks queued before invitations had a status: record each person's invitation, then send it."""
    existing = set(AccountInvitation.objects.filter(program_id=program_id, user_id__in=user_ids)
                   .values_list("user_id", flat=True))
    AccountInvitation.objects.bulk_create(
        [AccountInvitation(user_id=user_id, program_id=program_id)
         for user_id in User.objects.filter(pk__in=user_ids, is_active=True).values_list("pk", flat=True)
         if user_id not in existing], ignore_conflicts=True)
    ids = list(AccountInvitation.objects.filter(program_id=program_id, user_id__in=user_ids).values_list(
        "pk", flat=True))
    return send_account_invitations.call(invitation_ids=ids).get("sent", 0)


def _import(job, progress):
    return services.import_batch_commit_job(job=job, progress=progress)


@retry_safe(label="Import a file", attempts=3, on_requeue=job_requeued,
            why="the import is one transaction (all or nothing) under a row lock on its batch, and a committed "
                "batch is never committed again: the job then reports the earlier result")
@task()
def import_commit_task(job_id: int) -> None:
    job_execute(job_id=job_id, work=_import)
