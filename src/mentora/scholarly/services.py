"""Every write to scholarly projects."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from . import permissions
from .models import ProjectKind, ScholarlyProject, Stage, StageChange


def _check(*, title: str, kind: str, owners, abstract_deadline, submission_deadline) -> None:
    errors = {}
    if not title.strip():
        errors["title"] = "Give the project a title."
    if kind not in ProjectKind.values:
        errors["kind"] = "Choose a project type."
    if not owners:
        errors["owners"] = "A project needs at least one mentee who owns it."
    if abstract_deadline and submission_deadline and submission_deadline < abstract_deadline:
        errors["submission_deadline"] = "The submission deadline comes before the abstract deadline."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def project_create(
    *, by, title: str, kind: str, owners: list, mentors: list, program=None, summary: str = "",
    target_venue: str = "", abstract_deadline: datetime.date | None = None,
    submission_deadline: datetime.date | None = None, stage: str = Stage.IDEA,
    today: datetime.date | None = None,
) -> ScholarlyProject:
    _check(title=title, kind=kind, owners=owners, abstract_deadline=abstract_deadline,
           submission_deadline=submission_deadline)
    if not all(permissions.can_start_project_for(by, owner) for owner in owners):
        raise PermissionDenied("A project is started by its mentee, one of their mentors or their program's "
                               "coordinator.")
    if stage not in Stage.values:
        raise ValidationError({"stage": "Unknown stage."})
    today = today or timezone.localdate()
    project = ScholarlyProject.objects.create(
        title=title.strip(), kind=kind, summary=summary, program=program, stage=stage, stage_changed_on=today,
        target_venue=target_venue, abstract_deadline=abstract_deadline, submission_deadline=submission_deadline,
        created_by=by,
    )
    project.owners.set(owners)
    project.mentors.set([m for m in mentors if m not in owners])
    StageChange.objects.create(project=project, from_stage="", to_stage=stage, changed_on=today, changed_by=by)
    return project


@transaction.atomic
def project_update(
    *, project: ScholarlyProject, title: str, kind: str, summary: str, target_venue: str,
    abstract_deadline: datetime.date | None, submission_deadline: datetime.date | None, mentors: list, by,
) -> ScholarlyProject:
    if not permissions.can_change_project(by, project):
        raise PermissionDenied("Only the project's mentees, mentors and coordinators change it.")
    _check(title=title, kind=kind, owners=list(project.owners.all()), abstract_deadline=abstract_deadline,
           submission_deadline=submission_deadline)
    project.title, project.kind, project.summary = title.strip(), kind, summary
    project.target_venue = target_venue
    project.abstract_deadline, project.submission_deadline = abstract_deadline, submission_deadline
    project.save()
    project.mentors.set(mentors)
    return project


@transaction.atomic
def project_move(
    *, project: ScholarlyProject, stage: str, by, today: datetime.date | None = None
) -> ScholarlyProject:
    """Move a project to another stage (forwards or back) and record the date in its history."""
    if not permissions.can_change_project(by, project):
        raise PermissionDenied("Only the project's mentees, mentors and coordinators move it.")
    if stage not in Stage.values:
        raise ValidationError({"stage": "Unknown stage."})
    project = ScholarlyProject.objects.select_for_update().get(pk=project.pk)
    if project.stage == stage:
        return project
    today = today or timezone.localdate()
    StageChange.objects.create(project=project, from_stage=project.stage, to_stage=stage, changed_on=today,
                               changed_by=by)
    project.stage, project.stage_changed_on = stage, today
    project.save(update_fields=["stage", "stage_changed_on", "updated_at"])
    return project
