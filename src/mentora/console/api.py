"""The site admin console over the API: people and their roles, the account actions (each with a reason, in the
admin audit log), invitations, the admin audit log, institutions / networks / programs, and backups. Site admins
only, through the console's services and rule (`can_use_console`), like the console's pages."""

from datetime import date, datetime
from typing import Any, Literal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from mentora.api.pagination import paginated
from mentora.audit.selectors import admin_actions
from mentora.background.api import JobOut, job_accepted
from mentora.core.links import WebLink
from mentora.programs.models import Program

from . import selectors, services
from .forms import AuditFilterForm, InviteForm, PeopleSearchForm
from .permissions import can_use_console
from .views import PERSON_ACTIONS, RECORDS

User = get_user_model()
router = Router(tags=["site admin console"])


def _require_console(request) -> None:
    if not can_use_console(request.auth):
        raise PermissionDenied("The console is for site admins.")


def _form_errors(form) -> ValidationError:
    return ValidationError({field: list(errors) for field, errors in form.errors.items()})


# --- people ----------------------------------------------------------------------------------------------


class ConsolePersonOut(Schema):
    id: int
    email: str
    name: str
    is_active: bool
    is_site_admin: bool
    last_login: datetime | None
    date_joined: datetime


class ConsoleMembershipOut(Schema):
    program_id: int
    program: str
    academic_year: int
    role: str
    training_level: str
    is_active: bool


class ConsoleNetworkRefOut(Schema):
    id: int
    name: str


class ConsoleAuditEntryOut(Schema):
    id: int
    created_at: datetime
    actor_id: int | None
    actor_name: str
    action: str
    target_type: str
    target_id: str
    target_label: str
    reason: str
    details: dict[str, Any]


class ConsolePersonDetailOut(ConsolePersonOut):
    memberships: list[ConsoleMembershipOut] = Field(description="The latest 50, newest academic year first")
    coordinated_networks: list[ConsoleNetworkRefOut]
    has_mfa: bool
    live_tokens: int = Field(description="API tokens not revoked")
    history: list[ConsoleAuditEntryOut] = Field(description="The last 20 admin actions on this account")


def _person(person) -> dict:
    return {"id": person.pk, "email": person.email, "name": person.display_name, "is_active": person.is_active,
            "is_site_admin": person.is_superuser, "last_login": person.last_login, "date_joined": person.date_joined}


def _entry(entry) -> dict:
    return {"id": entry.pk, "created_at": entry.created_at, "actor_id": entry.actor_id, "actor_name": entry.actor_name,
            "action": entry.action, "target_type": entry.target_type, "target_id": entry.target_id,
            "target_label": entry.target_label, "reason": entry.reason, "details": entry.details}


def _person_detail(person) -> dict:
    roles = selectors.person_roles(person=person)
    history = admin_actions(target_type=person._meta.label_lower, target_id=str(person.pk))[:20]
    return {**_person(person),
            "memberships": [{"program_id": m.program_id, "program": m.program.name, "academic_year": m.academic_year,
                             "role": m.role, "training_level": m.training_level, "is_active": m.is_active}
                            for m in roles.memberships],
            "coordinated_networks": [{"id": n.pk, "name": n.name} for n in roles.networks],
            "has_mfa": roles.has_mfa, "live_tokens": roles.live_tokens,
            "history": [_entry(entry) for entry in history]}


class ConsolePeopleFilters(Schema):
    q: str = Field("", max_length=200, description="Part of a name or an email address")
    role: str = Field("", description="admin, network_coordinator, coordinator, mentor, mentee or inactive")


@router.get("/people", response=list[ConsolePersonOut], summary="Search people by name, email and role")
@paginated
def people(request, filters: Query[ConsolePeopleFilters]):
    _require_console(request)
    form = PeopleSearchForm({"q": filters.q, "role": filters.role})
    if not form.is_valid():
        raise _form_errors(form)
    found = selectors.people_search(text=form.cleaned_data["q"].strip(), role=form.cleaned_data["role"])
    return _LazyRows(found, _person)


class _LazyRows:
    """Sliced by the paginator before any row is read, then each row turned into its answer."""

    def __init__(self, queryset, convert):
        self.queryset, self.convert = queryset, convert

    def __getitem__(self, item):
        return [self.convert(row) for row in self.queryset[item]]

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()


@router.get("/people/{user_id}", response=ConsolePersonDetailOut,
            summary="A person's account, roles and the admin actions on it")
def person_detail(request, user_id: int):
    _require_console(request)
    return _person_detail(get_object_or_404(User, pk=user_id))


class ConsoleReasonIn(Schema):
    reason: str = Field(..., max_length=1000, description="Why (at least 10 characters): it goes in the audit log")


def _person_action_endpoint(action: str, path: str, summary: str) -> None:
    """One POST /people/{user_id}/<path> per console action on an account: the same checks and answer for
    each (the console's PERSON_ACTIONS service, with the reason, then the account as it now stands)."""

    def endpoint(request, user_id: int, body: ConsoleReasonIn):
        _require_console(request)
        person = get_object_or_404(User, pk=user_id)
        service, _done = PERSON_ACTIONS[action]
        service(person=person, reason=body.reason, by=request.auth)
        person.refresh_from_db()
        return _person_detail(person)

    # The name gives the operation its id in the API document (person_deactivate, person_site_admin_grant, …).
    endpoint.__name__ = endpoint.__qualname__ = "person_" + path.replace("/", "_").replace("-", "_")
    router.post(f"/people/{{user_id}}/{path}", response=ConsolePersonDetailOut, summary=summary)(endpoint)


for _action, _path, _summary in (
    ("deactivate", "deactivate",
     "Switch an account off: its sessions end, its API tokens are revoked (audited, with a reason)"),
    ("reactivate", "reactivate", "Let a deactivated account sign in again (audited, with a reason)"),
    ("mfa_reset", "mfa-reset", "Remove a person's authenticators; they set MFA up again (audited, with a reason)"),
    ("grant_admin", "site-admin/grant", "Make a person a site admin (audited, with a reason)"),
    ("revoke_admin", "site-admin/revoke", "Take a person's site admin role away (audited, with a reason)"),
):
    _person_action_endpoint(_action, _path, _summary)


class ConsoleInviteIn(Schema):
    email: str = Field(..., max_length=254)
    full_name: str = Field("", max_length=200)
    program_id: int
    role: str = Field(..., description="mentee, mentor, coordinator or director")
    training_level: str = Field("", description="pgy1 … (mentees)")


class ConsoleInviteOut(Schema):
    outcome: str = Field(description="What the invitation did: a new account emailed, a member updated, "
                                     "or an existing account asked to join")
    user_id: int | None


@router.post("/invitations", response={201: ConsoleInviteOut}, summary="Invite a person into a program")
def person_invite(request, body: ConsoleInviteIn):
    _require_console(request)
    form = InviteForm({"email": body.email, "full_name": body.full_name, "program": body.program_id,
                       "role": body.role, "training_level": body.training_level})
    if not form.is_valid():
        raise _form_errors(form)
    data = form.cleaned_data
    row = services.person_invite(program=data["program"], email=data["email"], full_name=data["full_name"],
                                 role=data["role"], training_level=data["training_level"], by=request.auth)
    person = User.objects.filter(email__iexact=data["email"].strip()).first()
    return 201, {"outcome": str(getattr(row, "action", "")), "user_id": person.pk if person else None}


# --- the admin audit log ---------------------------------------------------------------------------------


class ConsoleAuditFilters(Schema):
    q: str = Field("", max_length=200, description="Who, what or why")
    action: str = Field("", description="An action (person.deactivate) or its first part (person)")
    since: date | None = None
    until: date | None = Field(None, description="Included")


@router.get("/audit-log", response=list[ConsoleAuditEntryOut], summary="The admin audit log, newest first")
@paginated
def audit_log(request, filters: Query[ConsoleAuditFilters]):
    _require_console(request)
    form = AuditFilterForm({"q": filters.q, "action": filters.action, "since": filters.since or "",
                            "until": filters.until or ""})
    if not form.is_valid():
        raise _form_errors(form)
    data = form.cleaned_data
    entries = admin_actions(text=data["q"].strip(), action=data["action"], since=data["since"], until=data["until"])
    return _LazyRows(entries, _entry)


# --- institutions, networks and programs -----------------------------------------------------------------

RecordKind = Literal["institutions", "networks", "programs"]


class ConsoleRecordOut(Schema):
    id: int
    kind: str
    name: str
    slug: str
    fields: dict[str, Any] = Field(description="Every field of the record's console form (ids for relations)")


class ConsoleRecordIn(Schema):
    """The fields of the console's form for the kind; on an edit, those left out keep their value."""

    name: str | None = None
    slug: str | None = None
    city: str | None = Field(None, description="institutions")
    state: str | None = Field(None, description="institutions")
    country: str | None = Field(None, description="institutions")
    networks: list[int] | None = Field(None, description="institutions: the networks it belongs to")
    description: str | None = Field(None, description="networks")
    website: WebLink = Field("", description="networks: its web site, an http(s) address; empty for none")
    coordinator_emails: list[str] | None = Field(None, description="networks: email addresses of existing accounts")
    institution: int | None = Field(None, description="programs")
    network: int | None = Field(None, description="programs")
    specialty: str | None = Field(None, description="programs")
    review_frequency: str | None = Field(None, description="programs")
    meeting_cadence_days: int | None = Field(None, description="programs")
    request_expiry_days: int | None = Field(None, description="programs")


def _form_fields(form_class) -> list[str]:
    return [*form_class._meta.fields, *(["coordinator_emails"] if "coordinator_emails" in form_class.base_fields
                                         else [])]


def _record_fields(instance, form_class) -> dict:
    values = model_to_dict(instance, fields=form_class._meta.fields)
    for key, value in values.items():
        if isinstance(value, list):
            values[key] = [getattr(item, "pk", item) for item in value]
    if "coordinator_emails" in form_class.base_fields:
        values["coordinator_emails"] = sorted(instance.coordinators.values_list("email", flat=True))
    return values


def _record(kind: str, instance) -> dict:
    form_class = RECORDS[kind][1]
    return {"id": instance.pk, "kind": kind, "name": instance.name, "slug": instance.slug,
            "fields": _record_fields(instance, form_class)}


def _record_save(request, kind: str, body: ConsoleRecordIn, instance=None):
    _require_console(request)
    model, form_class, action, _title, _noun = RECORDS[kind]
    data = _record_fields(instance, form_class) if instance is not None else {}
    given = body.dict(exclude_unset=True)
    unknown = sorted(set(given) - set(_form_fields(form_class)))
    if unknown:
        raise ValidationError({field: f"Not a field of {kind}." for field in unknown})
    data.update(given)
    if isinstance(data.get("coordinator_emails"), list):
        data["coordinator_emails"] = "\n".join(data["coordinator_emails"])
    data = {key: ("" if value is None else value) for key, value in data.items()}
    form = form_class(data, instance=instance)
    if not form.is_valid():
        raise _form_errors(form)
    return _record(kind, services.record_save(form=form, action=action, by=request.auth))


class ConsoleRecordFilters(Schema):
    q: str = Field("", max_length=200, description="Part of the name")


@router.get("/records/{kind}", response=list[ConsoleRecordOut], summary="Institutions, networks or programs, by name")
@paginated
def records(request, kind: RecordKind, filters: Query[ConsoleRecordFilters]):
    _require_console(request)
    model = RECORDS[kind][0]
    rows = model.objects.all()
    if model is Program:
        rows = rows.select_related("institution", "network")
    text = filters.q.strip()
    if text:
        rows = rows.filter(name__icontains=text)
    return _LazyRows(rows.order_by("name", "pk"), lambda instance: _record(kind, instance))


@router.post("/records/{kind}", response={201: ConsoleRecordOut},
             summary="Create an institution, network or program (audited)")
def record_create(request, kind: RecordKind, body: ConsoleRecordIn):
    return 201, _record_save(request, kind, body)


@router.get("/records/{kind}/{record_id}", response=ConsoleRecordOut, summary="One institution, network or program")
def record_detail(request, kind: RecordKind, record_id: int):
    _require_console(request)
    return _record(kind, get_object_or_404(RECORDS[kind][0], pk=record_id))


@router.patch("/records/{kind}/{record_id}", response=ConsoleRecordOut,
              summary="Edit an institution, network or program (audited); fields left out keep their value")
def record_edit(request, kind: RecordKind, record_id: int, body: ConsoleRecordIn):
    _require_console(request)
    return _record_save(request, kind, body, instance=get_object_or_404(RECORDS[kind][0], pk=record_id))


# --- backups ---------------------------------------------------------------------------------------------


class ConsoleBackupFileOut(Schema):
    name: str
    size: int = Field(description="Bytes (encrypted)")
    written_at: datetime
    download_url: str


@router.post("/backups", response={202: JobOut},
             summary="Start a backup of the whole instance (a job to poll; the file is then listed here)")
def backup_start(request, response: HttpResponse):
    _require_console(request)
    job = services.backup_start(by=request.auth)
    return job_accepted(job, response)


@router.get("/backups", response=list[ConsoleBackupFileOut], summary="The backup files, newest first")
@paginated
def backup_list(request):
    _require_console(request)
    return [{**row, "download_url": f"/api/console/backups/{row['name']}"} for row in selectors.backup_files()]


@router.get("/backups/{name}", summary="Download a backup file (encrypted; audited)",
            openapi_extra={"responses": {200: {"description": "The backup, as an attachment", "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}})
def backup_download(request, name: str):
    _require_console(request)
    path = selectors.backup_path(name)
    if path is None:
        raise Http404
    services.backup_download_record(name=name, by=request.auth)
    return FileResponse(path.open("rb"), as_attachment=True, filename=name, content_type="application/octet-stream")
