"""Scholarly projects in the REST API: the boards' lists with filters, create, edit and move, under the
same rules as the pages (scholarly/permissions.py)."""

import datetime
from typing import Literal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from mentora.api.fields import RowId
from mentora.api.pagination import paginated
from mentora.programs.models import Membership
from mentora.programs.selectors import current_academic_year
from mentora.relationships.models import Relationship

from . import permissions, selectors, services
from .models import ProjectKind, ScholarlyProject, Stage

router = Router(tags=["scholarly"])
User = get_user_model()


class StageChangeOut(Schema):
    from_stage: str
    to_stage: str
    changed_on: datetime.date
    changed_by_id: int | None


class ProjectOut(Schema):
    id: int
    title: str
    kind: str
    summary: str
    program_id: int | None
    stage: str
    stage_changed_on: datetime.date
    target_venue: str
    abstract_deadline: datetime.date | None
    submission_deadline: datetime.date | None
    owner_ids: list[int]
    mentor_ids: list[int]
    stalled: bool

    @staticmethod
    def resolve_owner_ids(project) -> list[int]:
        return sorted(user.pk for user in project.owners.all())

    @staticmethod
    def resolve_mentor_ids(project) -> list[int]:
        return sorted(user.pk for user in project.mentors.all())

    @staticmethod
    def resolve_stalled(project) -> bool:
        return selectors.is_stalled(project)


class ProjectDetailOut(ProjectOut):
    history: list[StageChangeOut]

    @staticmethod
    def resolve_history(project) -> list:
        return list(project.stage_changes.all())


class ProjectFilters(Schema):
    mentee_id: int | None = Field(None, description="Projects this mentee owns")
    program_id: int | None = None
    stage: Literal[tuple(Stage.values)] | None = None  # type: ignore[valid-type]
    stalled: bool | None = Field(None, description="Only projects stalled in their stage (or only those not)")


class ProjectIn(Schema):
    mentee_id: int = Field(description="The mentee who owns the project")
    title: str = Field(max_length=300)
    kind: Literal[tuple(ProjectKind.values)]  # type: ignore[valid-type]
    summary: str = Field("", max_length=4000)
    target_venue: str = Field("", max_length=300)
    abstract_deadline: datetime.date | None = None
    submission_deadline: datetime.date | None = None
    mentor_ids: list[RowId] = []


class ProjectChange(Schema):
    title: str = Field(max_length=300)
    kind: Literal[tuple(ProjectKind.values)]  # type: ignore[valid-type]
    summary: str = Field("", max_length=4000)
    target_venue: str = Field("", max_length=300)
    abstract_deadline: datetime.date | None = None
    submission_deadline: datetime.date | None = None
    mentor_ids: list[RowId] = []


class MoveIn(Schema):
    stage: Literal[tuple(Stage.values)]  # type: ignore[valid-type]


def _project(request, project_id: int) -> ScholarlyProject:
    project = get_object_or_404(ScholarlyProject, pk=project_id)
    if not permissions.can_view_project(request.auth, project):
        raise Http404  # like a missing one
    return project


def _mentors(mentee, mentor_ids: list[int], project: ScholarlyProject | None = None) -> list:
    """The mentors a project may name: the mentee's current mentors (and those it already names), as on the page."""
    allowed = set(Relationship.objects.filter(mentee=mentee, status__in=Relationship.OPEN_STATUSES)
                  .values_list("mentor_id", flat=True))
    if project is not None:
        allowed |= set(project.mentors.values_list("id", flat=True))
    unknown = sorted(set(mentor_ids) - allowed)
    if unknown:
        raise ValidationError({"mentor_ids": f"Not a mentor of this mentee: {unknown}."})
    return list(User.objects.filter(pk__in=mentor_ids))


@router.get("", response=list[ProjectOut], summary="Scholarly projects you may see")
@paginated
def project_list(request, filters: Query[ProjectFilters]):
    projects = permissions.visible_projects(request.auth)
    if filters.mentee_id is not None:
        projects = projects.filter(owners=filters.mentee_id)
    if filters.program_id is not None:
        projects = projects.filter(program_id=filters.program_id)
    if filters.stage is not None:
        projects = projects.filter(stage=filters.stage)
    if filters.stalled is not None:
        stalled = selectors.stalled_q()
        projects = projects.filter(stalled) if filters.stalled else projects.exclude(stalled)
    return projects.prefetch_related("owners", "mentors").order_by("-updated_at", "-pk").distinct()


@router.post("", response={201: ProjectDetailOut}, summary="Start a project for a mentee (at the idea stage)")
def project_create(request, payload: ProjectIn):
    mentee = User.objects.filter(pk=payload.mentee_id).first()
    if mentee is None:
        raise ValidationError({"mentee_id": "No such person."})
    if not permissions.can_start_project_for(request.auth, mentee):
        raise PermissionDenied("Only the mentee, their mentor or their program's coordinator starts their projects.")
    membership = Membership.objects.filter(user=mentee, role="mentee", academic_year=current_academic_year()) \
        .order_by("program_id").first()
    data = payload.dict(exclude={"mentee_id", "mentor_ids"})
    project = services.project_create(by=request.auth, owners=[mentee],
                                      mentors=_mentors(mentee, payload.mentor_ids),
                                      program=membership.program if membership else None, **data)
    return 201, project


@router.get("/{project_id}", response=ProjectDetailOut, summary="A project with its stage history")
def project_detail(request, project_id: int):
    return _project(request, project_id)


@router.put("/{project_id}", response=ProjectDetailOut, summary="Edit a project")
def project_update(request, project_id: int, payload: ProjectChange):
    project = _project(request, project_id)
    if not permissions.can_change_project(request.auth, project):
        raise PermissionDenied
    owner = project.owners.order_by("pk").first()
    data = payload.dict(exclude={"mentor_ids"})
    return services.project_update(project=project, mentors=_mentors(owner, payload.mentor_ids, project),
                                   by=request.auth, **data)


@router.post("/{project_id}/move", response=ProjectDetailOut, summary="Move a project to another stage")
def project_move(request, project_id: int, payload: MoveIn):
    project = _project(request, project_id)
    if not permissions.can_change_project(request.auth, project):
        raise PermissionDenied
    return services.project_move(project=project, stage=payload.stage, by=request.auth)
