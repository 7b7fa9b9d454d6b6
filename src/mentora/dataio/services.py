"""Writes of the data import: one transaction per commit, bulk inserts and updates."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from mentora.background.models import Job
from mentora.background.services import JobResult, job_create
from mentora.core.task_policy import PermanentFailure
from mentora.core.vocabulary import TRAINING_LEVELS
from mentora.notifications.models import Notification
from mentora.profiles.models import ImgDetails, MentorOffer, Profile
from mentora.programs.models import Membership, MembershipInvitation, Program
from mentora.programs.services import Ask, membership_invitations_create
from mentora.webhooks.services import webhook_event_emit

from . import permissions, tasks
from .importer import FIELDS, IMG_COLUMNS, IMG_FIELDS, PROFILE_FIELDS, Plan, RowPlan, _chunks, plan_import
from .models import AccountInvitation, ExternalId, ImportBatch
from .reading import Sheet, read_table
from .selectors import account_invitations

User = get_user_model()
BATCH = 2000


class ImportRefused(Exception):
    """The plan has errors: nothing was written."""

    def __init__(self, plan: Plan):
        self.plan = plan
        super().__init__(f"{len(plan.errors) + len(plan.file_errors)} problems; nothing was imported")


def import_batch_create(*, program: Program, by, kind: str, academic_year: int, filename: str,
                        content: bytes) -> ImportBatch:
    return ImportBatch.objects.create(program=program, created_by=by, kind=kind, academic_year=academic_year,
                                      filename=filename[:200], content=content)


def import_batch_set_mapping(*, batch: ImportBatch, mapping: dict[str, str]) -> None:
    batch.mapping = mapping
    batch.save(update_fields=["mapping"])


def import_batch_set_value_mapping(*, batch: ImportBatch, value_mapping: dict[str, dict[str, str]]) -> None:
    """Record the codes chosen for values Mentora did not know (merged with those chosen before)."""
    merged = {target: dict(batch.value_mapping.get(target, {})) for target in batch.value_mapping}
    for target, values in value_mapping.items():
        merged.setdefault(target, {}).update(values)
    batch.value_mapping = merged
    batch.save(update_fields=["value_mapping"])


def import_batch_plan(*, batch: ImportBatch) -> Plan:
    sheet = read_table(batch.filename, bytes(batch.content))
    return plan_import(sheet=sheet, program=batch.program, kind=batch.kind, academic_year=batch.academic_year,
                       mapping=batch.mapping or None, value_mapping=batch.value_mapping,
                       skip_errors=batch.skip_errors)


@transaction.atomic
def import_batch_commit(*, batch: ImportBatch) -> dict[str, int]:
    """Re-plan the stored file under a row lock and commit it; refuses a batch already committed."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.committed_at is not None:
        raise ImportRefused(Plan(program=batch.program, kind=batch.kind, academic_year=batch.academic_year,
                                 mapping=batch.mapping, file_errors=["This file was imported already."]))
    plan = import_batch_plan(batch=batch)
    summary = import_commit(plan=plan, by=batch.created_by, batch=batch)
    batch.committed_at = timezone.now()
    batch.summary = summary
    batch.content = b""  # the people are in the database now; do not keep a second copy of the file
    batch.save(update_fields=["committed_at", "summary", "content"])
    return summary


@transaction.atomic
def import_batch_commit_request(*, batch: ImportBatch, by, skip_errors: bool = False) -> Job:
    """Queue the commit of a previewed file: the worker writes it (see import_batch_commit_job). With
    `skip_errors` (the coordinator's explicit choice) rows with problems are left out."""
    if not permissions.can_manage_program_data(by, batch.program):
        raise PermissionDenied
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.committed_at is not None:
        raise ValidationError("This file was imported already.")
    if batch.skip_errors != skip_errors:
        batch.skip_errors = skip_errors
        batch.save(update_fields=["skip_errors"])
    active = Job.objects.filter(kind=Job.Kind.IMPORT, params__batch_id=batch.pk,
                                status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).first()
    if active is not None:
        return active

    return job_create(kind=Job.Kind.IMPORT, title=f"Import of {batch.filename}", by=by, program=batch.program,
                      params={"batch_id": batch.pk}, task=tasks.import_commit_task)


def import_batch_commit_job(*, job: Job, progress) -> JobResult:
    """The work of an import job: commit the batch, or report the commit an earlier attempt made."""
    batch = ImportBatch.objects.select_related("program").get(pk=job.params["batch_id"])
    link = {"label": "See the import and its invitations", "url": reverse("dataio:import_preview", args=[batch.pk])}
    if batch.committed_at is None:
        progress(10, "Checking the file again and writing it")
        try:
            import_batch_commit(batch=batch)
        except ImportRefused as refused:
            problems = [*refused.plan.file_errors, *(f"row {e.row}, {e.column}: {e.reason}" for e in refused.plan.errors)]
            raise PermanentFailure("Nothing was imported: " + "; ".join(problems[:5])) from refused
        batch.refresh_from_db()
    summary = batch.summary
    return JobResult({"lines": [f"{summary.get('create', 0)} new (invited by email)",
                                f"{summary.get('update', 0)} updated", f"{summary.get('unchanged', 0)} unchanged",
                                f"{summary.get('invite', 0)} with an account elsewhere asked to join",
                                *([f"{summary['skipped']} rows with problems skipped"] if summary.get("skipped")
                                  else [])],
                      "links": [link], **summary})


@transaction.atomic
def import_commit(*, plan: Plan, invite: bool = True, by=None, batch: ImportBatch | None = None,
                  source: str = MembershipInvitation.Source.IMPORT) -> dict[str, int]:
    """Write a plan with no errors, all or nothing. Returns the count of rows per action.

    Existing accounts that do not belong to the program are asked (MembershipInvitation), never
    attached; `invite=False` only stops the password emails of new people."""
    if not plan.ok:
        raise ImportRefused(plan)
    program, year = plan.program, plan.academic_year
    new_rows = [row for row in plan.rows if row.action == "create"]
    changed_rows = [row for row in plan.rows if row.action == "update"]
    asks = [Ask(user_id=row.user_id, role=row.role, training_level=row.training_level, external_id=row.external_id)
            for row in plan.rows if row.action == "invite"]
    if asks:
        membership_invitations_create(program=program, academic_year=year, asks=asks, by=by, source=source,
                                      import_batch=batch)
    now = timezone.now()
    created = User.objects.bulk_create(
        [User(email=row.email, full_name=row.full_name, preferred_name=row.preferred_name,
              password=UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30), date_joined=now) for row in new_rows],
        batch_size=BATCH,
    )
    for row, user in zip(new_rows, created, strict=True):
        row.user_id = user.pk
    _write_details(program=program, year=year, new_rows=new_rows, changed_rows=changed_rows)
    new_ids = [row.user_id for row in new_rows]
    if invite and new_ids:
        # Recorded in this transaction: every new person has exactly one invitation, sent by the worker.
        invitations = AccountInvitation.objects.bulk_create(
            [AccountInvitation(user_id=user_id, program=program, batch=batch) for user_id in new_ids], batch_size=BATCH)
        _send_invitations([invitation.pk for invitation in invitations])
    counts = plan.counts()
    webhook_event_emit(kind="import.committed", program=program, data={
        "academic_year": year, "batch_id": batch.pk if batch is not None else None, "counts": counts})
    return counts


def _send_invitations(invitation_ids: list[int]) -> None:
    transaction.on_commit(lambda: tasks.send_account_invitations.enqueue(invitation_ids=invitation_ids))


@transaction.atomic
def account_invitations_resend(*, program: Program, by, invitation_ids: list[int] | None = None,
                               statuses: list[str] | None = None) -> int:
    """Send again the chosen invitations of a program (or all of the given statuses) with a fresh link.

    Accepted invitations and ones still waiting are left alone. Returns how many go out again.
    """
    if not permissions.can_manage_program_data(by, program):
        raise PermissionDenied
    rows = account_invitations(program=program)
    if invitation_ids is not None:
        rows = rows.filter(pk__in=invitation_ids)
    if statuses is not None:
        rows = rows.filter(shown_status__in=statuses)
    rows = rows.filter(shown_status__in=["sent", "failed", "expired"])
    chosen = list(AccountInvitation.objects.select_for_update().filter(pk__in=rows.values("pk")).values_list(
        "pk", "notification_id"))
    if not chosen:
        return 0
    ids = [pk for pk, _ in chosen]
    # A notice whose email never left must not also go out through the pending scan: the new round replaces it.
    Notification.objects.filter(pk__in=[n for _, n in chosen if n], emailed_at__isnull=True).update(
        email_wanted=False)
    AccountInvitation.objects.filter(pk__in=ids).update(
        status=AccountInvitation.Status.QUEUED, round=F("round") + 1, attempts=0, error="", notification=None,
        sent_at=None)
    _send_invitations(ids)
    return len(ids)


def account_invitations_accept(*, by) -> int:
    """The person logged in (their first password set through the link): their invitations are accepted."""
    return AccountInvitation.objects.filter(user=by).exclude(status=AccountInvitation.Status.ACCEPTED).update(
        status=AccountInvitation.Status.ACCEPTED, accepted_at=timezone.now(), error="")


def _write_details(*, program: Program, year: int, new_rows: list[RowPlan], changed_rows: list[RowPlan]) -> None:
    # People: names and emails (only rows whose details the plan kept; see importer's docstring).
    ids = [row.user_id for row in changed_rows]
    users = {}
    for chunk in _chunks(ids):
        users.update(User.objects.in_bulk(chunk))
    dirty_users = []
    for row in changed_rows:
        user = users[row.user_id]
        before = (user.email, user.full_name, user.preferred_name)
        user.email = row.email
        user.full_name = row.full_name or user.full_name
        user.preferred_name = row.preferred_name or user.preferred_name
        if (user.email, user.full_name, user.preferred_name) != before:
            dirty_users.append(user)
    User.objects.bulk_update(dirty_users, ["email", "full_name", "preferred_name"], batch_size=BATCH)

    profiles, countries, offers = {}, {}, {}
    for chunk in _chunks(ids):
        profiles.update({p.user_id: p for p in Profile.objects.filter(user_id__in=chunk)})
        countries.update({d.user_id: d for d in ImgDetails.objects.filter(user_id__in=chunk)})
        offers.update({o.user_id: o for o in MentorOffer.objects.filter(user_id__in=chunk)})
    new_profiles, dirty_profiles, new_details, dirty_details, new_offers, dirty_offers = [], [], [], [], [], []
    for row in new_rows + changed_rows:
        level = row.training_level if row.role == "mentee" else ""
        given = {name: getattr(row, name) for name in PROFILE_FIELDS if row.given(name)}
        profile = profiles.get(row.user_id)
        if profile is None:
            # A roster without a time zone says nothing about one: the profile keeps none (rather than the
            # default zone), so matching does not read a zone nobody chose as a fit (DESIGN.md, sparse profiles).
            new_profiles.append(Profile(user_id=row.user_id, training_level=level, **{"time_zone": "", **given}))
        elif any(getattr(profile, name) != value for name, value in given.items()) or (
                level and profile.training_level != level):
            for name, value in given.items():
                setattr(profile, name, value)
            profile.training_level = level or profile.training_level
            dirty_profiles.append(profile)
        img = {IMG_COLUMNS[name]: getattr(row, name) for name in IMG_FIELDS if row.given(name)}
        if img:
            details = countries.get(row.user_id)
            if details is None:
                new_details.append(ImgDetails(user_id=row.user_id, **img))
            elif any(getattr(details, column) != value for column, value in img.items()):
                for column, value in img.items():
                    setattr(details, column, value)
                dirty_details.append(details)
        if row.role == "mentor":
            offer = offers.get(row.user_id)
            if offer is None:
                new_offers.append(MentorOffer(user_id=row.user_id, capacity=3 if row.capacity is None else row.capacity,
                                              kinds_offered=["career"]))
            elif row.capacity is not None and offer.capacity != row.capacity:
                offer.capacity = row.capacity
                dirty_offers.append(offer)
    Profile.objects.bulk_create(new_profiles, batch_size=BATCH)
    Profile.objects.bulk_update(dirty_profiles, [*PROFILE_FIELDS, "training_level", "updated_at"], batch_size=BATCH)
    ImgDetails.objects.bulk_create(new_details, batch_size=BATCH)
    ImgDetails.objects.bulk_update(dirty_details, list(IMG_COLUMNS.values()), batch_size=BATCH)
    MentorOffer.objects.bulk_create(new_offers, batch_size=BATCH)
    MentorOffer.objects.bulk_update(dirty_offers, ["capacity"], batch_size=BATCH)

    # Memberships of the academic year, and external ids.
    rows = new_rows + changed_rows
    changed_ids = [row.user_id for row in changed_rows]
    memberships = {}
    for chunk in _chunks(changed_ids):
        memberships.update({(m.user_id, m.role): m for m in Membership.objects.filter(
            program=program, academic_year=year, user_id__in=chunk)})
    new_memberships, dirty_memberships = [], []
    for row in rows:
        membership = memberships.get((row.user_id, row.role))
        if membership is None:
            new_memberships.append(Membership(user_id=row.user_id, program=program, academic_year=year,
                                              role=row.role, training_level=row.training_level))
        elif not membership.is_active or (row.training_level and membership.training_level != row.training_level):
            membership.training_level = row.training_level or membership.training_level
            membership.is_active = True
            dirty_memberships.append(membership)
    Membership.objects.bulk_create(new_memberships, batch_size=BATCH)
    Membership.objects.bulk_update(dirty_memberships, ["training_level", "is_active"], batch_size=BATCH)
    have_external = set()
    for chunk in _chunks(changed_ids):
        have_external.update(ExternalId.objects.filter(program=program, user_id__in=chunk).values_list(
            "user_id", flat=True))
    ExternalId.objects.bulk_create(
        [ExternalId(program=program, user_id=row.user_id, value=row.external_id) for row in rows
         if row.external_id and row.user_id not in have_external],
        batch_size=BATCH,
    )


def external_id_record(*, invitation: MembershipInvitation) -> None:
    """The external id an accepted invitation carried becomes the person's in that program, unless
    they have one there already or another person holds it."""
    if not invitation.external_id:
        return
    taken = ExternalId.objects.filter(program=invitation.program).filter(
        user_id=invitation.user_id) | ExternalId.objects.filter(program=invitation.program,
                                                                 value=invitation.external_id)
    if not taken.exists():
        ExternalId.objects.create(program=invitation.program, user_id=invitation.user_id,
                                  value=invitation.external_id)


# The header of the one-row sheet a person added by hand becomes: the importer's own labels, so its
# row errors name the fields of the form.
BY_HAND_FIELDS = ("email", "full_name", "role", "training_level")


@transaction.atomic
def program_person_add(*, program: Program, by, academic_year: int, email: str, role: str,
                       full_name: str = "", training_level: str = "") -> RowPlan:
    """Add one person by hand, by the import's rules: a new person is created and emailed, someone who
    belongs already is updated, any other existing account is asked to join (never attached).
    Raises ValidationError keyed by form field; returns the row with its action."""
    header = [FIELDS[target][0] for target in BY_HAND_FIELDS]
    level_label = TRAINING_LEVELS.get(training_level, training_level)
    sheet = Sheet(header=header, rows=[(2, [email, full_name, role, level_label])], encoding="utf-8")
    plan = plan_import(sheet=sheet, program=program, kind=ImportBatch.Kind.MEMBERSHIPS, academic_year=academic_year,
                       mapping={target: FIELDS[target][0] for target in BY_HAND_FIELDS})
    if not plan.ok:
        by_label = {FIELDS[target][0]: target for target in BY_HAND_FIELDS}
        errors: dict[str, list[str]] = {}
        for error in plan.errors:
            reason = error.reason[0].upper() + error.reason[1:] + "."
            errors.setdefault(by_label.get(error.column, "email"), []).append(reason)
        raise ValidationError(errors or {"email": plan.file_errors})
    import_commit(plan=plan, by=by, source=MembershipInvitation.Source.BY_HAND)
    return plan.rows[0]
