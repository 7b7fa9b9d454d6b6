"""Every notice goes through `notify`: recorded once under its key, then emailed if wanted.

The email never goes out inside the request that caused it: `notify` queues it for the worker
once the transaction commits, so a slow or broken mail server never fails or slows a page. A
notice whose email could not be queued or sent stays unsent and `notifications_send_pending`
(the reminder scan) sends it later.
"""

import datetime
import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone

from mentora.core.links import absolute_url, is_local_path, site_host
from mentora.core.services import (
    claimant_name,
    is_worker_id,
    process_gone,
    worker_lease_extend,
    worker_lease_live,
)

from . import tasks
from .email_templates import EMAIL_KINDS, check_template
from .kinds import DIGEST_KIND, KINDS
from .models import EmailTemplate, Notification, NotificationPreference
from .permissions import can_edit_email_templates

logger = logging.getLogger(__name__)


def _wants(user, kind: str) -> tuple[bool, bool, bool]:
    """(in Mentora, by email at once, in the daily digest) for this person and kind."""
    preference = NotificationPreference.objects.filter(user=user, kind=kind).first()
    if preference is None:
        return True, True, False
    return preference.in_app, preference.email, preference.digest and not preference.email


def notify(*, user, kind: str, key: str, title: str, body: str = "", url: str = "",
           queue_email: bool = True, about=None) -> Notification | None:
    """Record a notice for `user` unless one with the same key exists; returns None if it did.

    The row is written before any email goes out, so a crash between the two delays the email
    (`notifications_send_pending` sends it later) but never sends it twice. A notice wanted in the
    daily digest is emailed by `notifications_send_digests` with the rest of the person's day. A
    caller already in the worker that sends the email itself (account invitations) passes queue_email=False.
    `about` is the person whose words the notice carries (their message, their reason), so that erasing
    them deletes it.
    """
    if url and not is_local_path(url):
        raise ValueError(f"a notice links to a page of Mentora by its path (reverse(...)), not to {url!r}")
    in_app, email, digest = _wants(user, kind)
    if not in_app and not email and not digest:
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user, kind=kind, key=key, title=title, body=body, url=url, about=about, in_app=in_app,
                email_wanted=email, digest_wanted=digest,
            )
    except IntegrityError:
        return None
    if email and queue_email:
        transaction.on_commit(lambda: _queue_email(notification.pk))
    return notification


@dataclass(frozen=True)
class Notice:
    """One notice of a batch for `notify_many`."""

    user_id: int
    key: str
    title: str
    body: str = ""
    url: str = ""


def notify_many(*, kind: str, notices: list[Notice]) -> int:
    """`notify` for many people at once (a coordinator's bulk nudge): the same rules (a key is sent once,
    each person's preference for the kind decides in Mentora / by email / digest / off), in a fixed
    number of queries whatever the number of notices. Returns how many notices were recorded."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of notice {kind!r}")
    for notice in notices:
        if notice.url and not is_local_path(notice.url):
            raise ValueError(f"a notice links to a page of Mentora by its path, not to {notice.url!r}")
    user_ids = {notice.user_id for notice in notices}
    preferences = {
        user_id: (in_app, email, digest and not email)
        for user_id, in_app, email, digest in NotificationPreference.objects.filter(
            user_id__in=user_ids, kind=kind).values_list("user_id", "in_app", "email", "digest")
    }
    taken = set(Notification.objects.filter(user_id__in=user_ids, key__in={n.key for n in notices})
                .values_list("user_id", "key"))
    rows, seen = [], set()
    for notice in notices:
        in_app, email, digest = preferences.get(notice.user_id, (True, True, False))
        if (notice.user_id, notice.key) in taken | seen or not (in_app or email or digest):
            continue
        seen.add((notice.user_id, notice.key))
        rows.append(Notification(user_id=notice.user_id, kind=kind, key=notice.key, title=notice.title[:200],
                                 body=notice.body, url=notice.url, in_app=in_app, email_wanted=email,
                                 digest_wanted=digest))
    with transaction.atomic():
        # A notice written at the same moment by someone else keeps its key: that one is skipped.
        Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    emailed = [(row.user_id, row.key) for row in rows if row.email_wanted]
    if emailed:
        ids = list(Notification.objects.filter(user_id__in={u for u, _ in emailed}, key__in={k for _, k in emailed},
                                               emailed_at__isnull=True, email_wanted=True)
                   .values_list("pk", flat=True))
        for notification_id in ids:
            transaction.on_commit(lambda pk=notification_id: _queue_email(pk))
    return len(rows)


def _queue_email(notification_id: int) -> None:
    try:
        tasks.send_notification_email.enqueue(notification_id=notification_id)
    except Exception:  # noqa: BLE001 - the notice is saved; the pending scan emails it later
        logger.warning("could not queue the email of notice %s; the pending scan will send it",
                       notification_id, exc_info=True)


# How long a claim made outside the worker (`mentora reminders` from cron, a shell) protects the email
# from other senders. A claim made by a worker task follows that worker's task lease instead.
EMAIL_CLAIM_LEASE = datetime.timedelta(minutes=15)


def _claim_abandoned(holder: str, since, now) -> bool:
    """Whether another sender may take over an email claimed by `holder` since `since`."""
    if not holder or since is None or process_gone(holder):
        return True
    if is_worker_id(holder):
        # Claimed under a worker's task lease: abandoned once that lease expired or was taken over,
        # on any host, so the email of a killed worker goes out as soon as its task is taken over.
        return not worker_lease_live(worker_id=holder)
    return since < now - EMAIL_CLAIM_LEASE


def _email_claim(notification_id: int, claimant: str) -> bool:
    """Claim a notice's unsent email for `claimant`, unless a live sender holds it.

    A claim whose process is gone (a worker killed mid-send on this host), whose worker's task lease
    expired (a worker on another host that died or stalled), or, made outside the worker, older than
    EMAIL_CLAIM_LEASE, is taken over: its email may never have left.
    """
    row = Notification.objects.filter(pk=notification_id, email_wanted=True, emailed_at__isnull=True).values_list(
        "email_claimed_by", "email_claimed_at").first()
    if row is None:
        return False
    holder, since = row
    now = timezone.now()
    if holder and not _claim_abandoned(holder, since, now):
        return False
    # Compare-and-set on the claim we saw: of two senders taking it over at once, one wins.
    return bool(Notification.objects.filter(
        pk=notification_id, emailed_at__isnull=True, email_claimed_by=holder, email_claimed_at=since,
    ).update(email_claimed_by=claimant, email_claimed_at=now))


def _still_mine(notification_id: int, claimant: str) -> bool:
    """Checked just before the message is handed over, in one transaction: the claim is still ours (its
    time is moved, which fences off a sender that decided to take it over from what it read before), and
    if it was made under a task lease, that lease has not expired and is renewed for a whole length. A
    sender taking over needs that lease expired, so none can while we send; a worker that stalled past
    its lease (its email perhaps taken over meanwhile) lets go instead of sending."""
    with transaction.atomic():
        if not Notification.objects.filter(pk=notification_id, emailed_at__isnull=True,
                                           email_claimed_by=claimant).update(email_claimed_at=timezone.now()):
            return False
        if not is_worker_id(claimant) or worker_lease_extend(worker_id=claimant):
            return True
        Notification.objects.filter(pk=notification_id, email_claimed_by=claimant).update(
            email_claimed_by="", email_claimed_at=None)  # let go, so that the sender taking over need not wait
        return False


def notification_send_email(*, notification_id: int) -> bool:
    """Send one notice's email once: claim it, send it, then record it sent.

    Killed before the message is handed to the mail server, the claim names a dead process (or a
    worker whose lease then expires) and the next sender (the re-queued task, or the pending scan)
    sends it: nothing is lost. Killed in the instant between handing it over and recording it, the
    message goes out again with the same Message-ID, which mail systems use to show it once.
    """
    claimant = claimant_name()
    if not _email_claim(notification_id, claimant):
        return False
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    link = f"\n\n{absolute_url(notification.url)}" if notification.url else ""
    domain = site_host()
    message = EmailMessage(
        subject=f"[Mentora] {notification.title}",
        body=f"{notification.body}{link}",
        to=[notification.user.email],
        headers={"Message-ID": f"<notice-{notification.pk}@{domain}>"},
    )
    if not _still_mine(notification_id, claimant):
        logger.warning("notice %s: its email's claim or lease was lost before sending; left to the next sender",
                       notification_id)
        return False
    try:
        message.send()
    except Exception:
        Notification.objects.filter(pk=notification_id, email_claimed_by=claimant).update(
            email_claimed_by="", email_claimed_at=None)
        raise  # retried by the next scan
    Notification.objects.filter(pk=notification_id).update(emailed_at=timezone.now())
    return True


def notifications_send_pending() -> int:
    """The idempotent scan: email every wanted notice not yet emailed. Returns how many went out.

    A notice whose email fails stays unsent (and is logged); the next scan tries it again."""
    sent = 0
    for notification_id in Notification.objects.filter(email_wanted=True, emailed_at__isnull=True).values_list(
        "pk", flat=True
    ):
        try:
            if notification_send_email(notification_id=notification_id):
                sent += 1
        except Exception:  # noqa: BLE001 - one refused address or a down server must not stop the scan
            logger.warning("could not email notice %s; the next scan retries", notification_id, exc_info=True)
    return sent


def notification_mark_read(*, by, notification_id: int | None = None) -> int:
    qs = Notification.objects.filter(user=by, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())


def preference_set(*, by, kind: str, in_app: bool, email: bool, digest: bool = False) -> NotificationPreference:
    if kind not in KINDS:
        raise ValidationError({"kind": f"Unknown kind of notice “{kind}”."})
    preference, _ = NotificationPreference.objects.update_or_create(
        user=by, kind=kind, defaults={"in_app": in_app, "email": email, "digest": digest and not email}
    )
    return preference


DELIVERIES = {
    NotificationPreference.Delivery.EMAIL: {"in_app": True, "email": True, "digest": False},
    NotificationPreference.Delivery.IN_APP: {"in_app": True, "email": False, "digest": False},
    NotificationPreference.Delivery.DIGEST: {"in_app": True, "email": False, "digest": True},
    NotificationPreference.Delivery.OFF: {"in_app": False, "email": False, "digest": False},
}


@transaction.atomic
def preferences_save(*, by, deliveries: dict[str, str]) -> None:
    """Save a person's choice per kind: in Mentora and by email, in Mentora only, a daily digest, or off."""
    errors = {kind: "Choose how you receive this notice." for kind, value in deliveries.items()
              if kind not in KINDS or value not in DELIVERIES}
    if errors:
        raise ValidationError(errors)
    for kind, value in deliveries.items():
        preference_set(by=by, kind=kind, **DELIVERIES[value])


# ------------------------------------------------------------------------------------------------
# The daily digest


def _digest_day_start(now: datetime.datetime) -> datetime.datetime:
    day = timezone.localdate(now)
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def notifications_send_digests(now: datetime.datetime | None = None) -> int:
    """Gather each person's digest notices of the days before today into one email, once per day.

    The digest is itself a notice under the key ``digest:<day>`` (unique per person), written in the
    same transaction that marks the notices it carries: a second scan that day, or one running at the
    same time, finds them carried or the key taken and does nothing. The email then goes out like any
    notice's (queued on commit; a lost one is sent by the pending scan). Returns digests recorded.
    """
    now = now or timezone.now()
    day = timezone.localdate(now)
    start = _digest_day_start(now)
    waiting = Notification.objects.filter(digest_wanted=True, digest__isnull=True, created_at__lt=start)
    created = 0
    for user_id in waiting.values_list("user_id", flat=True).distinct().order_by("user_id"):
        digest = _digest_record(user_id=user_id, day=day, start=start)
        if digest is not None:
            created += 1
            transaction.on_commit(lambda pk=digest.pk: _queue_email(pk))
    return created


def digest_body(carried) -> str:
    lines = []
    for notice in carried:
        link = f"\n  {absolute_url(notice.url)}" if notice.url else ""
        lines.append(f"- {notice.title}{link}")
    return "\n".join(lines)


@transaction.atomic
def notices_about_delete(*, person) -> int:
    """Delete the notices to others that carry `person`'s words (erasure), and take them out of the digests
    that carried them (the digest stays, so what it carried is not sent again)."""
    about = Notification.objects.filter(about=person)
    digest_ids = set(about.exclude(digest=None).values_list("digest_id", flat=True))
    deleted, _ = about.delete()
    for digest in Notification.objects.filter(pk__in=digest_ids):
        digest.body = digest_body(digest.digested.order_by("created_at", "pk"))
        digest.save(update_fields=["body"])
    return deleted


@transaction.atomic
def _digest_record(*, user_id: int, day: datetime.date, start: datetime.datetime) -> Notification | None:
    carried = list(Notification.objects.select_for_update().filter(
        user_id=user_id, digest_wanted=True, digest__isnull=True, created_at__lt=start,
    ).order_by("created_at", "pk"))
    if not carried:
        return None
    try:
        with transaction.atomic():
            digest = Notification.objects.create(
                user_id=user_id, kind=DIGEST_KIND, key=f"digest:{day.isoformat()}", in_app=False,
                email_wanted=True, title=f"Your day on Mentora: {len(carried)} notice{'s' if len(carried) != 1 else ''}",
                body=digest_body(carried), url="/notifications/",
            )
    except IntegrityError:
        return None  # today's digest is already recorded; what arrived since waits for tomorrow's
    Notification.objects.filter(pk__in=[n.pk for n in carried]).update(digest=digest)
    return digest


# ------------------------------------------------------------------------------------------------
# A program's email templates


@transaction.atomic
def email_template_save(*, by, program, kind: str, subject: str, body: str):
    """Save a program's own subject and body for one kind of email, checked (only the kind's placeholders)."""
    if not can_edit_email_templates(by, program):
        raise PermissionDenied
    if kind not in EMAIL_KINDS:
        raise ValidationError({"kind": "Unknown kind of email."})
    subject, body = " ".join(subject.split()), body.strip()
    errors = {}
    if not subject:
        errors["subject"] = "Write a subject."
    if not body:
        errors["body"] = "Write the email."
    if errors:
        raise ValidationError(errors)
    check_template(subject, kind=kind, field="subject")
    check_template(body, kind=kind, field="body")
    template, _ = EmailTemplate.objects.update_or_create(program=program, kind=kind, defaults={
        "subject": subject[:200], "body": body[:5000], "updated_by": by})
    return template


@transaction.atomic
def email_template_reset(*, by, program, kind: str) -> None:
    """Back to Mentora's default wording for this kind of email."""
    if not can_edit_email_templates(by, program):
        raise PermissionDenied
    EmailTemplate.objects.filter(program=program, kind=kind).delete()
