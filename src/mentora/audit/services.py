"""Writes of the audit app: access log entries and confidential notes."""

from django.core.exceptions import ValidationError
from django.db import transaction

from mentora.programs.selectors import user_roles

from .models import AccessLog, AdminAction, ConfidentialNote
from .permissions import _trainee_program_ids

MIN_REASON_LENGTH = 10


@transaction.atomic
def access_log_record(*, by, subject, records: list[str], reason: str) -> AccessLog:
    """Record that `actor` opened `subject`'s confidential records, and why. Raises on a missing reason."""
    reason = " ".join(reason.split())
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationError({"reason": f"Say why you open these records (at least {MIN_REASON_LENGTH} characters)."})
    unknown = set(records) - set(AccessLog.Record.values)
    if unknown:
        raise ValidationError({"records": f"Unknown records: {', '.join(sorted(unknown))}."})
    return AccessLog.objects.create(
        actor=by,
        actor_name=by.full_name or by.email,
        actor_role=", ".join(user_roles(user=by).labels),
        subject=subject,
        records=list(records),
        reason=reason[:1000],
    )


@transaction.atomic
def confidential_note_add(*, author, subject, kind: str, text: str, program=None) -> ConfidentialNote:
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Write the note."})
    if kind not in ConfidentialNote.Kind.values:
        raise ValidationError({"kind": "Choose wellbeing or remediation."})

    # A note belongs to the program it is written in (only that program's coordinators read it):
    # one the author coordinates where the person trains now. The site admin's notes belong to none.
    if program is not None and program.pk not in _trainee_program_ids(author, subject):
        raise ValidationError({"program": "You can write notes only in a program where you coordinate this person."})
    if program is None and not author.is_superuser:
        raise ValidationError({"program": "Say which program the note belongs to."})
    return ConfidentialNote.objects.create(subject=subject, author=author, kind=kind, text=text, program=program)


def admin_action_record(*, by, action: str, target=None, reason: str = "", details: dict | None = None) -> AdminAction:
    """Write one entry of the admin audit log, inside the caller's transaction (call it from the service
    that makes the change, after the change). `by` may be None for the system acting on its own
    (a scheduled backup); `target` is a model instance or None."""
    if not action:
        raise ValueError("an admin action needs a name")
    target_type = target_id = target_label = ""
    if target is not None:
        target_type = target._meta.label_lower
        target_id = str(target.pk)
        target_label = str(target)[:300]
    return AdminAction.objects.create(
        actor=by, actor_name=(by.full_name or by.email) if by is not None else "Mentora",
        action=action, target_type=target_type, target_id=target_id, target_label=target_label,
        reason=" ".join(reason.split())[:1000], details=details or {},
    )
