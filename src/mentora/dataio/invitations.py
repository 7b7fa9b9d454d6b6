"""The invitation an imported person receives: a link to set their password (allauth's reset link).

Each AccountInvitation row is sent by `account_invitation_send`, in the worker: the notice is
recorded under a key unique per person, program and round before the email goes out, so a run that
is repeated (a retry, a worker taken over) sends nothing twice.
"""

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mentora.core.links import absolute_url
from mentora.notifications.email_templates import program_email
from mentora.notifications.models import Notification
from mentora.notifications.services import notification_send_email, notify

from .models import AccountInvitation

# A person's email failing this many times is left failed, for a coordinator's resend.
MAX_ATTEMPTS = 3


def password_set_url(user) -> str:
    path = reverse("account_reset_password_from_key",
                   kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)})
    return absolute_url(path)


def invitation_key(invitation: AccountInvitation) -> str:
    base = f"invitation:program:{invitation.program_id}"
    return base if invitation.round == 1 else f"{base}:round:{invitation.round}"


def account_invitation_send(*, invitation_id: int) -> str:
    """Send one invitation that is waiting (or failed fewer than MAX_ATTEMPTS times); returns its status.

    An email the mail server refuses marks this person's invitation failed (with the reason) and the
    batch goes on; an error of the database itself is raised, so the task fails and retries.
    """
    invitation = AccountInvitation.objects.select_related("user", "program").get(pk=invitation_id)
    user, program = invitation.user, invitation.program
    if invitation.status in (AccountInvitation.Status.SENT, AccountInvitation.Status.ACCEPTED):
        return invitation.status
    if invitation.status == AccountInvitation.Status.FAILED and invitation.attempts >= MAX_ATTEMPTS:
        return invitation.status
    if user.last_login is not None:  # they found their way in already (e.g. asked for a reset link)
        AccountInvitation.objects.filter(pk=invitation.pk).update(
            status=AccountInvitation.Status.ACCEPTED, accepted_at=user.last_login, error="")
        return AccountInvitation.Status.ACCEPTED
    key = invitation_key(invitation)
    title, body = program_email(program_id=program.pk, kind="invitation", values={
        "person_name": user.display_name, "program_name": program.name, "password_link": password_set_url(user),
        "new_link_page": absolute_url(reverse("account_reset_password"))})
    with transaction.atomic():
        notice = notify(user=user, kind="invitation", key=key, title=title,
                        body=body, url=reverse("account_reset_password"), queue_email=False)
    if notice is None:
        notice = Notification.objects.filter(user=user, key=key).first()
    if notice is None or not notice.email_wanted:  # they turned invitation emails off: the notice is in the app
        AccountInvitation.objects.filter(pk=invitation.pk).update(
            status=AccountInvitation.Status.SENT, notification=notice, sent_at=timezone.now(), error="")
        return AccountInvitation.Status.SENT
    AccountInvitation.objects.filter(pk=invitation.pk).update(notification=notice)
    try:
        notification_send_email(notification_id=notice.pk)
    except Exception as error:  # noqa: BLE001 - one refused address must not stop the other invitations
        AccountInvitation.objects.filter(pk=invitation.pk).update(
            status=AccountInvitation.Status.FAILED, attempts=invitation.attempts + 1,
            error=(str(error) or type(error).__name__)[:500])
        return AccountInvitation.Status.FAILED
    emailed_at = Notification.objects.filter(pk=notice.pk).values_list("emailed_at", flat=True).first()
    if emailed_at is None:  # another sender holds the email's claim; it records the send on the notice
        return invitation.status
    AccountInvitation.objects.filter(pk=invitation.pk).update(
        status=AccountInvitation.Status.SENT, sent_at=emailed_at, attempts=invitation.attempts + 1, error="")
    return AccountInvitation.Status.SENT
