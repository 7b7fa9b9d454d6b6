"""IMG milestones over the API: the catalog, and the caller's own milestones."""

import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError

from . import permissions
from .catalog import DISCLAIMER, TEMPLATES
from .models import PlanMilestone
from .selectors import milestones_of
from .services import milestone_add, milestone_remove, milestone_update

router = Router(tags=["IMG milestones"])


class TemplateOut(Schema):
    key: str
    title: str
    category: str
    summary: str
    source_name: str
    source_url: str
    date_label: str
    remind_days_before: list[int]


class CatalogOut(Schema):
    disclaimer: str
    templates: list[TemplateOut]


class MilestoneIn(Schema):
    template_key: str
    due_on: datetime.date
    window_closes_on: datetime.date | None = None
    note: str = ""


class MilestoneUpdate(Schema):
    due_on: datetime.date
    window_closes_on: datetime.date | None = None
    note: str = ""
    status: str | None = None


class MilestoneOut(Schema):
    id: int
    template_key: str
    title: str
    due_on: datetime.date
    window_closes_on: datetime.date | None
    status: str
    note: str
    source_url: str


def _out(m: PlanMilestone) -> dict:
    return {"id": m.pk, "template_key": m.template_key, "title": m.template.title, "due_on": m.due_on,
            "window_closes_on": m.window_closes_on, "status": m.status, "note": m.note,
            "source_url": m.template.source_url}


@router.get("/templates", response=CatalogOut, summary="The IMG milestone templates with official sources")
def templates(request):
    return {"disclaimer": DISCLAIMER, "templates": [
        {**t.__dict__, "remind_days_before": list(t.remind_days_before)} for t in TEMPLATES]}


@router.get("", response=list[MilestoneOut], summary="My milestones")
def milestone_list(request):
    return [_out(m) for m in milestones_of(user=request.auth)]


@router.post("", response={201: MilestoneOut}, summary="Add a milestone to my plan")
def milestone_create(request, payload: MilestoneIn):
    milestone = milestone_add(by=request.auth, **payload.dict())
    return 201, _out(milestone)


def _own(request, milestone_id: int) -> PlanMilestone:
    milestone = get_object_or_404(PlanMilestone, pk=milestone_id)
    if not permissions.can_manage_milestone(request.auth, milestone):
        raise HttpError(404, "No such milestone of yours.")
    return milestone


@router.put("/{milestone_id}", response=MilestoneOut, summary="Change a milestone's date, note or status")
def milestone_change(request, milestone_id: int, payload: MilestoneUpdate):
    milestone = _own(request, milestone_id)
    milestone_update(milestone=milestone, by=request.auth, **payload.dict())
    return _out(milestone)


@router.delete("/{milestone_id}", response={204: None}, summary="Remove a milestone")
def milestone_destroy(request, milestone_id: int):
    milestone_remove(milestone=_own(request, milestone_id), by=request.auth)
    return 204, None
