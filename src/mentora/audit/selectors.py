"""Reads of the audit app: a person's confidential records, the access log, change history."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from mentora.profiles.models import ImgDetails, SensitiveAttributes
from mentora.programs.models import Program

from .models import AccessLog, AdminAction, ConfidentialNote
from .permissions import _trainee_program_ids, access_logs_visible_to, confidential_notes_visible_to


@dataclass(frozen=True)
class ConfidentialRecords:
    sensitive: dict[str, str]
    visa: dict[str, str]
    notes: list[ConfidentialNote]


def confidential_records_of(*, person, viewer) -> ConfidentialRecords:
    """What is confidential about a person, regardless of their per-field visibility choices: their own
    attributes and visa details, and the notes of the programs the viewer may read (see permissions)."""
    sensitive: dict[str, str] = {}
    attributes = SensitiveAttributes.objects.filter(user=person).first()
    if attributes is not None and attributes.has_consented:
        if attributes.gender:
            sensitive["Gender"] = attributes.get_gender_display()
        if attributes.race_ethnicity:
            sensitive["Race or ethnicity"] = attributes.get_race_ethnicity_display()
        if attributes.lgbtq_identity is not None:
            sensitive["LGBTQ+"] = "Yes" if attributes.lgbtq_identity else "No"
        sensitive["Consent given"] = f"{attributes.consented_at:%Y-%m-%d}"
    visa: dict[str, str] = {}
    details = ImgDetails.objects.filter(user=person).first()
    if details is not None and (details.visa_status or details.j1_waiver_plan):
        visa["Visa status"] = details.get_visa_status_display() or "—"
        if details.j1_waiver_plan:
            visa["J-1 waiver plan"] = details.j1_waiver_plan
        visa["Shared with my mentors"] = "Yes" if details.visa_visible_to_mentors else "No"
    notes = list(confidential_notes_visible_to(viewer, person).select_related("author", "program"))
    return ConfidentialRecords(sensitive=sensitive, visa=visa, notes=notes)


def records_present(records: ConfidentialRecords) -> list[str]:
    shown = []
    if records.sensitive:
        shown.append(AccessLog.Record.SENSITIVE)
    if records.visa:
        shown.append(AccessLog.Record.VISA)
    if records.notes:
        shown.append(AccessLog.Record.NOTES)
    return shown


def access_log_for(*, viewer) -> QuerySet[AccessLog]:
    return access_logs_visible_to(viewer).select_related("actor")


def change_history(*, instance, limit: int = 50) -> list[dict]:
    """Who changed what and when, newest first: [{when, who, kind, changes: [(field, old, new)]}]."""
    entries = []
    records = list(instance.history.select_related("history_user").order_by("-history_date")[: limit + 1])
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None:
            delta = record.diff_against(previous)
            changes = [(change.field, change.old, change.new) for change in delta.changes]
        entries.append({
            "when": record.history_date,
            "who": record.history_user,
            "kind": {"+": "created", "~": "changed", "-": "deleted"}[record.history_type],
            "changes": changes,
        })
    return entries


def note_programs(*, author, person):
    """The programs a note by `author` about `person` may be written in: those where the author
    coordinates the person's training now (none for the site admin, whose notes belong to no program)."""
    return Program.objects.filter(pk__in=_trainee_program_ids(author, person)).order_by("name")


def admin_actions(*, text: str = "", action: str = "", actor_id: int | None = None, since=None, until=None,
                  target_type: str = "", target_id: str = "") -> QuerySet:
    """The admin audit log, newest first, filtered. `action` matches a whole name or its first part
    ("person" finds person.deactivate, person.mfa_reset, ...); `until` is a date, included."""
    entries = AdminAction.objects.all()
    if text:
        entries = entries.filter(Q(actor_name__icontains=text) | Q(target_label__icontains=text)
                                 | Q(reason__icontains=text))
    if action:
        entries = entries.filter(Q(action=action) | Q(action__startswith=f"{action}."))
    if actor_id:
        entries = entries.filter(actor_id=actor_id)
    if since:
        entries = entries.filter(created_at__date__gte=since)
    if until:
        entries = entries.filter(created_at__date__lte=until)
    if target_type:
        entries = entries.filter(target_type=target_type, target_id=target_id)
    return entries.order_by("-created_at", "-id")
