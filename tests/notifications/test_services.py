import os

import pytest
from django.urls import reverse

from mentora.notifications.models import Notification
from mentora.notifications.services import notifications_send_pending, notify, preference_set
from tests.factories import UserFactory


@pytest.mark.django_db(transaction=True)
def test_a_key_is_notified_and_emailed_once(mailoutbox):
    user = UserFactory()
    first = notify(user=user, kind="request_received", key="request:1", title="New request")
    second = notify(user=user, kind="request_received", key="request:1", title="New request")
    assert first is not None and second is None
    assert Notification.objects.filter(user=user).count() == 1
    assert len(mailoutbox) == 1
    assert notifications_send_pending() == 0
    assert len(mailoutbox) == 1


@pytest.mark.django_db(transaction=True)
def test_email_lost_in_a_crash_is_sent_by_the_scan(mailoutbox, monkeypatch):
    user = UserFactory()
    from mentora.notifications import services

    monkeypatch.setattr(services, "notification_send_email", lambda **kwargs: None)  # the worker died
    notify(user=user, kind="meeting_upcoming", key="meeting:5:24h", title="Meeting tomorrow")
    monkeypatch.undo()
    assert len(mailoutbox) == 0
    assert notifications_send_pending() == 1
    assert notifications_send_pending() == 0
    assert len(mailoutbox) == 1


@pytest.mark.django_db(transaction=True)
def test_preferences_are_respected(mailoutbox):
    user = UserFactory()
    preference_set(by=user, kind="message", in_app=True, email=False)
    notify(user=user, kind="message", key="m1", title="Hello")
    assert len(mailoutbox) == 0
    preference_set(by=user, kind="message", in_app=False, email=False)
    assert notify(user=user, kind="message", key="m2", title="Hello again") is None


@pytest.mark.django_db
def test_list_shows_only_own_notifications(client):
    me, other = UserFactory(), UserFactory()
    notify(user=me, kind="message", key="a", title="For me")
    notify(user=other, kind="message", key="b", title="Not for me")
    client.force_login(me)
    html = client.get(reverse("notifications:notification_list")).content.decode()
    assert "For me" in html and "Not for me" not in html
    client.post(reverse("notifications:notification_read_all"))
    assert not Notification.objects.filter(user=me, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=other, read_at__isnull=True).exists()


@pytest.mark.django_db
def test_preferences_page_saves_one_choice_per_kind(client):
    me = UserFactory()
    client.force_login(me)
    html = client.get(reverse("notifications:notification_preferences")).content.decode()
    for value in ("email", "in_app", "digest", "off"):
        assert f'value="{value}"' in html
    response = client.post(reverse("notifications:notification_preferences"),
                           {"message": "in_app", "ilp_signed_off": "digest", "goal_comment": "off"})
    assert response.status_code == 302
    choices = {p.kind: p.delivery for p in me.notification_preferences.all()}
    assert choices["message"] == "in_app" and choices["ilp_signed_off"] == "digest"
    assert choices["goal_comment"] == "off" and "meeting_upcoming" not in choices  # the default: email


@pytest.mark.django_db
def test_preferences_page_refuses_an_unknown_choice(client):
    me = UserFactory()
    client.force_login(me)
    response = client.post(reverse("notifications:notification_preferences"), {"message": "carrier-pigeon"})
    assert response.status_code == 400
    assert "Choose how you receive this notice." in response.content.decode()
    assert not me.notification_preferences.exists()


@pytest.mark.django_db(transaction=True)
def test_digest_notices_are_emailed_once_a_day_in_one_email(mailoutbox):
    import datetime

    from django.utils import timezone

    from mentora.notifications.services import notifications_send_digests

    user = UserFactory()
    preference_set(by=user, kind="goal_comment", in_app=True, email=False, digest=True)
    notify(user=user, kind="goal_comment", key="c1", title="Comment one", url="/ilps/1/")
    notify(user=user, kind="goal_comment", key="c2", title="Comment two")
    notify(user=user, kind="message", key="m1", title="A message emailed at once")
    assert [m.subject for m in mailoutbox] == ["[Mentora] A message emailed at once"]
    assert notifications_send_digests() == 0  # today's notices wait for tomorrow's digest
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    assert notifications_send_digests(tomorrow) == 1
    assert notifications_send_digests(tomorrow) == 0  # run again the same day: nothing more
    assert notifications_send_pending() == 0
    digest = mailoutbox[-1]
    assert len(mailoutbox) == 2 and digest.subject == "[Mentora] Your day on Mentora: 2 notices"
    assert "Comment one" in digest.body and "Comment two" in digest.body and "/ilps/1/" in digest.body
    assert Notification.objects.get(user=user, key=f"digest:{timezone.localdate(tomorrow).isoformat()}").in_app is False
    # The digested notices stay in the person's list; the digest itself is not listed there.
    assert list(Notification.objects.filter(user=user, in_app=True).values_list("key", flat=True).order_by("key")) == [
        "c1", "c2", "m1"]


@pytest.mark.django_db(transaction=True)
def test_a_digest_lost_before_its_email_is_sent_by_the_pending_scan(mailoutbox, monkeypatch):
    import datetime

    from django.utils import timezone

    from mentora.notifications import services

    user = UserFactory()
    preference_set(by=user, kind="goal_comment", in_app=True, email=False, digest=True)
    notify(user=user, kind="goal_comment", key="c1", title="Comment one")
    monkeypatch.setattr(services, "_queue_email", lambda pk: None)  # the worker never got the task
    assert services.notifications_send_digests(timezone.now() + datetime.timedelta(days=1)) == 1
    monkeypatch.undo()
    assert mailoutbox == []
    assert notifications_send_pending() == 1
    assert notifications_send_pending() == 0
    assert len(mailoutbox) == 1


@pytest.mark.django_db(transaction=True)
def test_the_reminder_scan_sends_the_digest(mailoutbox):
    import datetime

    from django.utils import timezone

    from mentora.meetings.reminders import run_reminders

    user = UserFactory()
    preference_set(by=user, kind="goal_comment", in_app=True, email=False, digest=True)
    notify(user=user, kind="goal_comment", key="c1", title="Comment one")
    result = run_reminders(timezone.now() + datetime.timedelta(days=1))
    assert result.created["notifications"] == 1
    assert [m.subject for m in mailoutbox] == ["[Mentora] Your day on Mentora: 1 notice"]


class BrokenMailServer:
    """An email backend whose server refuses every message."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


@pytest.mark.django_db(transaction=True)
def test_a_broken_mail_server_never_fails_the_page(cast, client, settings, mailoutbox):
    """Sending a message while SMTP is down: the page succeeds, the notice is kept, and the
    pending scan emails it once the server is back."""
    settings.EMAIL_BACKEND = "tests.notifications.test_services.BrokenMailServer"
    from mentora.relationships.models import Relationship

    relationship = Relationship.objects.get(mentee=cast["mentee_a"], mentor=cast["mentor_a"])
    client.force_login(cast["mentee_a"])
    response = client.post(reverse("meetings:message_send", args=[relationship.pk]),
                           {"body": "Thank you for the advice."})
    assert response.status_code == 302
    notice = Notification.objects.get(user=cast["mentor_a"], kind="message")
    assert notice.emailed_at is None  # the failed send gave the notice back to the scan

    assert notifications_send_pending() == 0  # still down: logged, kept for the next scan
    assert Notification.objects.get(pk=notice.pk).emailed_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notifications_send_pending() == 1
    assert [message.to for message in mailoutbox] == [[cast["mentor_a"].email]]
    assert notifications_send_pending() == 0


class Killed(BaseException):
    """SIGKILL: nothing in the process runs after it (no except, no finally that matters)."""


@pytest.mark.django_db(transaction=True)
def test_a_sender_killed_before_the_mail_server_loses_no_email(mailoutbox, monkeypatch):
    """The worker dies after claiming a notice's email and before handing it over: the email was
    never sent, so the next sender (the re-queued task or the pending scan) must send it, once."""
    from django.core.mail.message import EmailMessage

    from mentora.core import services as core_services

    user = UserFactory()

    def killed(self, *args, **kwargs):
        raise Killed

    monkeypatch.setattr(EmailMessage, "send", killed)
    notify(user=user, kind="meeting_upcoming", key="meeting:7:24h", title="Meeting tomorrow")  # the task dies
    monkeypatch.undo()
    assert len(mailoutbox) == 0
    assert notifications_send_pending() == 0  # the claim's process is alive (this one): it may be mid-send
    monkeypatch.setattr(core_services, "_process_alive", lambda pid: False)  # now it has died
    assert notifications_send_pending() == 1
    assert [message.to for message in mailoutbox] == [[user.email]]
    assert mailoutbox[0].extra_headers["Message-ID"].startswith("<notice-")
    assert notifications_send_pending() == 0 and len(mailoutbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_claim_of_another_host_is_taken_over_after_the_lease(mailoutbox, monkeypatch):
    import datetime

    from django.utils import timezone

    from mentora.notifications import services

    monkeypatch.setattr(services, "_queue_email", lambda notification_id: None)  # nobody sends it at once
    notice = notify(user=UserFactory(), kind="message", key="message:1", title="New message")
    Notification.objects.filter(pk=notice.pk).update(email_claimed_by="elsewhere:123", email_claimed_at=timezone.now())
    assert notifications_send_pending() == 0  # another host's sender may be at work
    Notification.objects.filter(pk=notice.pk).update(
        email_claimed_at=timezone.now() - services.EMAIL_CLAIM_LEASE - datetime.timedelta(seconds=1))
    assert notifications_send_pending() == 1 and len(mailoutbox) == 1


def _task_under_lease(*, worker_id: str, expires_in: float):
    """A RUNNING queue row held by `worker_id` under a lease that ends `expires_in` seconds from now."""
    import datetime

    from django.utils import timezone
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from mentora.core.models import TaskLease

    now = timezone.now()
    task = DBTaskResult.objects.create(task_path="mentora.dataio.tasks.send_account_invitations",
                                       args_kwargs={"args": [], "kwargs": {}}, status=TaskResultStatus.RUNNING,
                                       queue_name="default", backend_name="default", priority=0,
                                       worker_ids=[worker_id], started_at=now)
    TaskLease.objects.create(task=task, claimed_by=worker_id, host=worker_id.partition(":")[0], claimed_at=now,
                             heartbeat_at=now, lease_expires_at=now + datetime.timedelta(seconds=expires_in))
    return task


@pytest.mark.django_db(transaction=True)
def test_an_email_claimed_by_a_worker_follows_its_task_lease(mailoutbox, monkeypatch, settings):
    """A worker on another host claimed the email and was killed mid-send: its notice goes out as soon as
    that worker's task lease has expired (a minute), not after the email claim's own 15 minutes; while
    the lease is live, nobody else sends it."""
    from django.utils import timezone

    from mentora.notifications import services

    settings.MENTORA_WORKER_HOST = "beta"
    monkeypatch.setattr(services, "_queue_email", lambda notification_id: None)  # nobody sends it at once
    notice = notify(user=UserFactory(), kind="message", key="message:1", title="New message")
    killed = "alpha:4242:abcdefgh"  # a worker of another host: whether its process lives cannot be seen here
    task = _task_under_lease(worker_id=killed, expires_in=30)
    Notification.objects.filter(pk=notice.pk).update(email_claimed_by=killed, email_claimed_at=timezone.now())
    assert notifications_send_pending() == 0 and not mailoutbox  # its lease is live: it may be mid-send

    task.lease.__class__.objects.filter(task=task).update(lease_expires_at=timezone.now())  # no heartbeat came
    assert notifications_send_pending() == 1 and len(mailoutbox) == 1
    assert notifications_send_pending() == 0 and len(mailoutbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_worker_whose_lease_expired_mid_send_does_not_send_what_another_host_took_over(
        mailoutbox, monkeypatch, settings):
    """Worker W claimed the email, then stalled past its task lease (a long pause, not dead); a worker of
    another host took the email over and sent it. When W goes on, it must not send it a second time."""
    from django.utils import timezone

    from mentora.core.models import TaskLease
    from mentora.core.services import running_under_lease
    from mentora.notifications import services

    monkeypatch.setattr(services, "_queue_email", lambda notification_id: None)
    notice = notify(user=UserFactory(), kind="message", key="message:1", title="New message")
    stalled = f"{settings.MENTORA_WORKER_HOST}:{os.getpid()}:stalledx"  # this process: alive all along
    other = "beta:77:takeover"
    _task_under_lease(worker_id=stalled, expires_in=30)
    _task_under_lease(worker_id=other, expires_in=30)
    real_site_host, stalls = services.site_host, []

    def stall_then_go_on():
        if not stalls:  # the first sender (W) stalls here, between its claim and the send
            stalls.append(1)
            TaskLease.objects.filter(claimed_by=stalled).update(lease_expires_at=timezone.now())
            with running_under_lease(other):
                assert services.notification_send_email(notification_id=notice.pk) is True
        return real_site_host()

    monkeypatch.setattr(services, "site_host", stall_then_go_on)
    with running_under_lease(stalled):
        assert services.notification_send_email(notification_id=notice.pk) is False
    assert len(mailoutbox) == 1
    notice.refresh_from_db()
    assert notice.emailed_at is not None and notice.email_claimed_by == other
    assert notifications_send_pending() == 0 and len(mailoutbox) == 1
