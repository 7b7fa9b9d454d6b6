"""Each person an import creates has an invitation with a status (waiting, sent, failed, accepted,
expired) that the coordinator sees on the import's page and the program's invitations, and resends."""

import datetime

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from mentora.core.academic_year import current_academic_year
from mentora.dataio.models import AccountInvitation, ImportBatch
from mentora.dataio.selectors import account_invitation_counts
from mentora.dataio.services import import_batch_commit, import_batch_create
from mentora.notifications.models import Notification
from mentora.notifications.services import notifications_send_pending
from tests.background.queue import run_queued, use_db_queue

pytestmark = pytest.mark.django_db

ROSTER = (
    b"Email,Name\r\n"
    b"ana.ruiz@example.org,Ana Ruiz\r\n"
    b"bo.chen@example.org,Bo Chen\r\n"
    b"cy.okafor@example.org,Cy Okafor\r\n"
    b"dee@refused.example.org,Dee Bounced\r\n"
    b"eli@refused.example.org,Eli Bounced\r\n"
)


def _import(program, coordinator, content=ROSTER) -> ImportBatch:
    batch = import_batch_create(program=program, by=coordinator, kind="mentees",
                                academic_year=current_academic_year(), filename="roster.csv", content=content)
    with TestCase.captureOnCommitCallbacks(execute=True):  # invitations are queued at commit
        import_batch_commit(batch=batch)
    return batch


def _status(email: str) -> str:
    from mentora.dataio.selectors import account_invitations

    return account_invitations().get(user__email=email).shown_status


def test_refused_addresses_fail_alone_and_the_import_page_offers_a_retry(client, cast, settings):
    settings.EMAIL_BACKEND = "tests.background.queue.MailServerRefusingSome"
    batch = _import(cast["program"], cast["coordinator"])
    counts = account_invitation_counts(batch=batch)
    assert (counts["sent"], counts["failed"], counts["queued"]) == (3, 2, 0)
    assert sorted(m.to[0] for m in mail.outbox) == ["ana.ruiz@example.org", "bo.chen@example.org",
                                                    "cy.okafor@example.org"]
    failed = AccountInvitation.objects.get(user__email="dee@refused.example.org")
    assert failed.status == "failed" and "No such mailbox" in failed.error

    client.force_login(cast["coordinator"])
    page = client.get(reverse("dataio:import_preview", args=[batch.pk])).content.decode()
    assert "3 invited</strong>, <strong>2 failed</strong>" in page and "Retry the 2 failed" in page
    listing = client.get(reverse("dataio:account_invitation_list", args=[cast["program"].pk]) + "?status=failed")
    html = listing.content.decode()
    assert "dee@refused.example.org" in html and "ana.ruiz@example.org" not in html and "No such mailbox" in html

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the addresses were corrected
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("dataio:account_invitation_list", args=[cast["program"].pk]) + f"?batch={batch.pk}",
                               {"resend_all": "failed"})
    assert response.status_code == 302
    counts = account_invitation_counts(batch=batch)
    assert (counts["sent"], counts["failed"]) == (5, 0)
    assert sorted(m.to[0] for m in mail.outbox)[-2:] == ["dee@refused.example.org", "eli@refused.example.org"]
    assert len(mail.outbox) == 5
    # The failed round's notice never goes out through the pending scan as well: nobody gets two emails.
    assert notifications_send_pending() == 0 and len(mail.outbox) == 5
    assert "5 invited</strong>" in client.get(reverse("dataio:import_preview", args=[batch.pk])).content.decode()


def test_accepted_expired_and_resend_single_and_bulk(client, cast):
    batch = _import(cast["program"], cast["coordinator"])
    assert account_invitation_counts(batch=batch)["sent"] == 5

    # Ana chooses her password and logs in: accepted.
    ana = AccountInvitation.objects.get(user__email="ana.ruiz@example.org")
    client.force_login(ana.user)
    assert _status("ana.ruiz@example.org") == "accepted"

    # Bo's and Cy's links are older than the password link works: expired.
    old = timezone.now() - datetime.timedelta(days=4)
    Notification.objects.filter(user__email__in=["bo.chen@example.org", "cy.okafor@example.org"]).update(
        emailed_at=old)
    assert _status("bo.chen@example.org") == "expired"
    counts = account_invitation_counts(program=cast["program"])
    assert (counts["accepted"], counts["expired"], counts["sent"]) == (1, 2, 2)

    client.force_login(cast["coordinator"])
    listing = client.get(reverse("dataio:account_invitation_list", args=[cast["program"].pk]))
    html = listing.content.decode()
    assert "Accepted" in html and "Expired (link no longer works)" in html
    # An accepted invitation offers no resend.
    assert reverse("dataio:account_invitation_resend", args=[cast["program"].pk, ana.pk]) not in html

    bo = AccountInvitation.objects.get(user__email="bo.chen@example.org")
    before = len(mail.outbox)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("dataio:account_invitation_resend", args=[cast["program"].pk, bo.pk]))
    bo.refresh_from_db()
    assert bo.round == 2 and _status("bo.chen@example.org") == "sent"
    assert [m.to for m in mail.outbox[before:]] == [["bo.chen@example.org"]]
    assert "/accounts/password/reset/key/" in mail.outbox[-1].body  # a fresh link

    # Resending an accepted one does nothing; bulk resend of the chosen people.
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("dataio:account_invitation_resend", args=[cast["program"].pk, ana.pk]))
        cy = AccountInvitation.objects.get(user__email="cy.okafor@example.org")
        dee = AccountInvitation.objects.get(user__email="dee@refused.example.org")
        client.post(reverse("dataio:account_invitation_list", args=[cast["program"].pk]),
                    {"invitation": [cy.pk, dee.pk, ana.pk]})
    assert sorted(m.to[0] for m in mail.outbox[before + 1:]) == ["cy.okafor@example.org",
                                                                 "dee@refused.example.org"]
    assert AccountInvitation.objects.get(pk=ana.pk).status == "accepted"


def test_another_programs_coordinator_can_neither_see_nor_resend(client, cast):
    batch = _import(cast["program"], cast["coordinator"])
    invitation = batch.account_invitations.first()
    client.force_login(cast["other_coordinator"])
    assert client.get(reverse("dataio:account_invitation_list", args=[cast["program"].pk])).status_code == 403
    before = len(mail.outbox)
    assert client.post(reverse("dataio:account_invitation_resend",
                               args=[cast["program"].pk, invitation.pk])).status_code == 403
    assert client.post(reverse("dataio:account_invitation_resend",
                               args=[cast["other_program"].pk, invitation.pk])).status_code == 302
    assert len(mail.outbox) == before  # an invitation of another program is not found through yours
    assert client.get(reverse("dataio:import_invitation_counts", args=[batch.pk])).status_code == 403


def test_a_mail_server_that_is_down_stops_the_batch_which_retries_later(cast, settings):
    """Twelve people, the server down: ten fail in a row, the task stops (the other two wait) and is
    queued again with back-off; when the server is back every invitation goes out, exactly once."""
    use_db_queue(settings)
    settings.EMAIL_BACKEND = "tests.background.queue.BrokenMailServer"
    roster = "Email,Name\r\n" + "".join(f"p{i}@example.org,Person {i}\r\n" for i in range(12))
    batch = _import(cast["program"], cast["coordinator"], roster.encode())
    assert account_invitation_counts(batch=batch)["queued"] == 12  # recorded with the import, not sent yet

    run_queued()
    task = DBTaskResult.objects.get(task_path="mentora.dataio.tasks.send_account_invitations")
    assert task.status == TaskResultStatus.READY and task.run_after > timezone.now()  # retries after a pause
    counts = account_invitation_counts(batch=batch)
    assert (counts["failed"], counts["queued"]) == (10, 2)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run_queued(include_delayed=True)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    counts = account_invitation_counts(batch=batch)
    assert (counts["sent"], counts["failed"], counts["queued"]) == (12, 0, 0)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"p{i}@example.org" for i in range(12))
