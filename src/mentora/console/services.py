"""Every write of the site admin console. Each checks `can_use_console` itself and writes its entry of
the admin audit log (mentora.audit) in the same transaction as the change."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mentora.api.models import ApiToken
from mentora.audit.services import admin_action_record
from mentora.background.models import Job
from mentora.background.services import JobResult, job_create
from mentora.core.academic_year import current_academic_year
from mentora.core.errors import StateConflict
from mentora.core.task_policy import PermanentFailure
from mentora.dataio.backup import BackupError, backup, backup_key
from mentora.dataio.services import program_person_add

from . import selectors, tasks
from .permissions import can_use_console

User = get_user_model()
MIN_REASON_LENGTH = 10


def _check(by) -> None:
    if not can_use_console(by):
        raise PermissionDenied


def _reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationError({"reason": f"Say why (at least {MIN_REASON_LENGTH} characters): it goes in the audit log."})
    return reason


def sessions_end(*, person) -> int:
    """End every signed-in session of a person (for the system, called by the services below). Sessions
    live in the database, keyed by a random id: each live one is read to find its owner."""
    ended = []
    owner = str(person.pk)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=2000):
        if session.get_decoded().get("_auth_user_id") == owner:
            ended.append(session.pk)
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


@transaction.atomic
def person_deactivate(*, person, reason: str, by) -> dict:
    """Switch an account off: it can no longer sign in, its sessions end and its API tokens are revoked.
    Everything it wrote stays (relationships, plans, meetings): deactivation is not erasure."""
    _check(by)
    reason = _reason(reason)
    if person.pk == by.pk:
        raise ValidationError({"reason": "You cannot deactivate your own account."})
    person = User.objects.select_for_update().get(pk=person.pk)
    if not person.is_active:
        raise StateConflict("This account is already deactivated.")
    person.is_active = False
    person.save(update_fields=["is_active"])
    tokens = ApiToken.objects.filter(user=person, revoked_at__isnull=True).update(revoked_at=timezone.now())
    sessions = sessions_end(person=person)
    admin_action_record(by=by, action="person.deactivate", target=person, reason=reason,
                        details={"sessions_ended": sessions, "tokens_revoked": tokens})
    return {"sessions_ended": sessions, "tokens_revoked": tokens}


@transaction.atomic
def person_reactivate(*, person, reason: str, by) -> None:
    """Let a deactivated account sign in again (its revoked API tokens stay revoked)."""
    _check(by)
    reason = _reason(reason)
    person = User.objects.select_for_update().get(pk=person.pk)
    if person.is_active:
        raise StateConflict("This account is active already.")
    person.is_active = True
    person.save(update_fields=["is_active"])
    admin_action_record(by=by, action="person.reactivate", target=person, reason=reason)


@transaction.atomic
def person_mfa_reset(*, person, reason: str, by) -> int:
    """Remove a person's authenticators (authenticator app, recovery codes), e.g. after a lost phone: they
    sign in with their password and set MFA up again (where their role requires it, before anything else).
    Their sessions end, so a stolen signed-in browser loses its way in too."""
    _check(by)
    reason = _reason(reason)
    removed, _ = Authenticator.objects.filter(user=person).delete()
    if not removed:
        raise StateConflict("This person has no multi-factor authentication to reset.")
    sessions = sessions_end(person=person)
    admin_action_record(by=by, action="person.mfa_reset", target=person, reason=reason,
                        details={"authenticators_removed": removed, "sessions_ended": sessions})
    return removed


@transaction.atomic
def person_site_admin_set(*, person, is_admin: bool, reason: str, by) -> None:
    """Make a person a site admin (superuser and staff) or take it away. Nobody changes their own."""
    _check(by)
    reason = _reason(reason)
    if person.pk == by.pk:
        raise ValidationError({"reason": "You cannot change your own site admin role."})
    person = User.objects.select_for_update().get(pk=person.pk)
    if person.is_superuser == is_admin:
        raise StateConflict("Nothing to change.")
    person.is_superuser = person.is_staff = is_admin
    person.save(update_fields=["is_superuser", "is_staff"])
    admin_action_record(by=by, action="person.site_admin_grant" if is_admin else "person.site_admin_revoke",
                        target=person, reason=reason)


@transaction.atomic
def person_invite(*, program, email: str, full_name: str, role: str, training_level: str, by):
    """Invite a person into a program (a new account is created and emailed a link to set its password;
    an existing account is asked to join), by the rules of adding someone to a program by hand."""
    _check(by)
    row = program_person_add(program=program, by=by, academic_year=current_academic_year(), email=email,
                             role=role, full_name=full_name, training_level=training_level)
    person = User.objects.filter(email__iexact=email.strip()).first()
    admin_action_record(by=by, action="person.invite", target=person or program,
                        details={"program": program.slug, "role": role, "email": email.strip().lower(),
                                 "outcome": str(getattr(row, "action", ""))})
    return row


@transaction.atomic
def record_save(*, form, action: str, by):
    """Create or edit an institution, network or program from its console form (a ModelForm, valid)."""
    _check(by)
    created = form.instance.pk is None
    changed = sorted(form.changed_data)
    instance = form.save()
    admin_action_record(by=by, action=f"{action}.{'create' if created else 'edit'}", target=instance,
                        details={"fields": changed})
    return instance


# --- backups -----------------------------------------------------------------------------------------


@transaction.atomic
def backup_start(*, by):
    """Queue a backup of the whole instance; the worker writes it to BACKUP_DIR (its job page follows it)."""
    _check(by)
    try:
        backup_key()
    except BackupError as error:
        raise ValidationError(str(error)) from None
    if Job.objects.filter(kind=Job.Kind.BACKUP, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).exists():
        raise StateConflict("A backup is under way already: wait for it to finish.")
    job = job_create(kind=Job.Kind.BACKUP, title="Backup of the whole instance", by=by, task=tasks.backup_task)
    admin_action_record(by=by, action="backup.start", target=job)
    return job


def backup_job(*, job, progress):
    """The work of a backup job (in the worker): write an encrypted backup to BACKUP_DIR."""
    by = job.requested_by
    if by is None or not can_use_console(by):
        raise PermanentFailure("The person who started this backup is no longer a site admin.")
    settings.BACKUP_DIR.mkdir(parents=True, exist_ok=True)
    name = f"mentora-{timezone.now():%Y-%m-%d-%H%M%S}-{job.pk}{selectors.BACKUP_SUFFIX}"
    progress(5, "Writing every table and uploaded file, encrypted")
    summary = backup(settings.BACKUP_DIR / name)
    size = (settings.BACKUP_DIR / name).stat().st_size
    admin_action_record(by=by, action="backup.done", target=job,
                        details={"file": name, "bytes": size, "rows": summary.rows})
    return JobResult({"lines": [f"{summary.rows:,} rows in {summary.models} tables, {summary.media_files} files",
                                f"{name} ({size:,} bytes, encrypted)"],
                      "links": [{"label": "Download it from the Backups page", "url": reverse("console:backups")}]})


def backup_download_record(*, name: str, by) -> None:
    _check(by)
    admin_action_record(by=by, action="backup.download", details={"file": name})
