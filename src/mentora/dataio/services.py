"""Writes of the data import: one transaction per commit, bulk inserts and updates."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import transaction
from django.utils import timezone

from mentora.profiles.models import ImgDetails, MentorOffer, Profile
from mentora.programs.models import Membership, Program

from .importer import Plan, RowPlan, _chunks, plan_import
from .models import ExternalId, ImportBatch
from .reading import read_table

User = get_user_model()
BATCH = 2000


class ImportRefused(Exception):
    """The plan has errors: nothing was written."""

    def __init__(self, plan: Plan):
        self.plan = plan
        super().__init__(f"{len(plan.errors) + len(plan.file_errors)} problems; nothing was imported")


def import_batch_create(*, program: Program, user, kind: str, academic_year: int, filename: str,
                        content: bytes) -> ImportBatch:
    return ImportBatch.objects.create(program=program, created_by=user, kind=kind, academic_year=academic_year,
                                      filename=filename[:200], content=content)


def import_batch_set_mapping(*, batch: ImportBatch, mapping: dict[str, str]) -> None:
    batch.mapping = mapping
    batch.save(update_fields=["mapping"])


def import_batch_plan(*, batch: ImportBatch) -> Plan:
    sheet = read_table(batch.filename, bytes(batch.content))
    return plan_import(sheet=sheet, program=batch.program, kind=batch.kind, academic_year=batch.academic_year,
                       mapping=batch.mapping or None)


@transaction.atomic
def import_batch_commit(*, batch: ImportBatch) -> dict[str, int]:
    """Re-plan the stored file under a row lock and commit it; refuses a batch already committed."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.committed_at is not None:
        raise ImportRefused(Plan(program=batch.program, kind=batch.kind, academic_year=batch.academic_year,
                                 mapping=batch.mapping, file_errors=["This file was imported already."]))
    plan = import_batch_plan(batch=batch)
    summary = import_commit(plan=plan)
    batch.committed_at = timezone.now()
    batch.summary = summary
    batch.content = b""  # the people are in the database now; do not keep a second copy of the file
    batch.save(update_fields=["committed_at", "summary", "content"])
    return summary


@transaction.atomic
def import_commit(*, plan: Plan, invite: bool = True) -> dict[str, int]:
    """Write a plan with no errors, all or nothing. Returns the counts of created/updated/unchanged."""
    if not plan.ok:
        raise ImportRefused(plan)
    program, year = plan.program, plan.academic_year
    new_rows = [row for row in plan.rows if row.action == "create"]
    changed_rows = [row for row in plan.rows if row.action == "update"]
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
        from .tasks import send_import_invitations

        transaction.on_commit(lambda: send_import_invitations.enqueue(user_ids=new_ids, program_id=program.pk))
    return plan.counts()


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
        profile = profiles.get(row.user_id)
        if profile is None:
            new_profiles.append(Profile(user_id=row.user_id, specialty=row.specialty, training_level=level))
        elif (row.specialty and profile.specialty != row.specialty) or (level and profile.training_level != level):
            profile.specialty = row.specialty or profile.specialty
            profile.training_level = level or profile.training_level
            dirty_profiles.append(profile)
        if row.country:
            details = countries.get(row.user_id)
            if details is None:
                new_details.append(ImgDetails(user_id=row.user_id, medical_school_country=row.country))
            elif details.medical_school_country != row.country:
                details.medical_school_country = row.country
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
    Profile.objects.bulk_update(dirty_profiles, ["specialty", "training_level", "updated_at"], batch_size=BATCH)
    ImgDetails.objects.bulk_create(new_details, batch_size=BATCH)
    ImgDetails.objects.bulk_update(dirty_details, ["medical_school_country"], batch_size=BATCH)
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
