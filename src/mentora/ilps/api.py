"""The learning-plan API: the same permissions, services and SMART coach as the pages."""

import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from mentora.api.fields import RowId
from mentora.api.pagination import paginated
from mentora.programs.models import Program
from mentora.smart import analyze

from . import permissions, selectors, services
from .models import STATEMENT_MAX, Goal, LearningPlan, Milestone

router = Router(tags=["learning plans"])


class CriterionOut(Schema):
    ok: bool
    hint: str


class SmartOut(Schema):
    specific: CriterionOut
    measurable: CriterionOut
    achievable: CriterionOut
    relevant: CriterionOut
    time_bound: CriterionOut
    smart: bool


class SmartIn(Schema):
    statement: str = Field(..., max_length=5000)
    target_date: datetime.date | None = None
    measure: str | None = Field(None, max_length=STATEMENT_MAX)


class ProgressOut(Schema):
    on: datetime.date
    percent_done: int
    note: str


class CommentOut(Schema):
    author: str
    body: str
    created_at: datetime.datetime


class GoalVersionOut(Schema):
    version: int
    statement: str
    measure: str
    target_date: datetime.date
    status: str
    replaced_at: datetime.datetime
    change_reason: str


class GoalOut(Schema):
    id: int
    statement: str
    measure: str
    target_date: datetime.date
    why_it_matters: str
    domain: str
    priority: str
    is_stretch: bool
    strategies: str
    resources: str
    evidence: str
    status: str
    percent_done: int
    version: int
    carried_from: int | None = None  # the unfinished goal of last year's plan this one carries forward
    smart: SmartOut | None = None


class ChangeRequestOut(Schema):
    id: int
    requested_by: str | None
    comment: str
    goal_version: int
    created_at: datetime.datetime
    open: bool
    resolved_at: datetime.datetime | None
    resolution: str


class ChangeRequestIn(Schema):
    comment: str


class GoalDetailOut(GoalOut):
    progress_updates: list[ProgressOut]
    comments: list[CommentOut]
    change_requests: list[ChangeRequestOut]
    versions: list[GoalVersionOut]


class SignOffOut(Schema):
    mentor: str | None
    signed_at: datetime.datetime
    note: str
    reopened_at: datetime.datetime | None
    reopened_because: str


class PlanSummaryOut(Schema):
    id: int
    mentee_id: int
    mentee: str
    academic_year: int
    program_id: int | None
    status: str
    approved_by: str | None
    approved_at: datetime.datetime | None
    review_due_on: datetime.date | None


class PlanOut(PlanSummaryOut):
    career_vision: str
    self_assessment: dict[str, dict[str, str]]
    goals: list[GoalDetailOut]
    sign_offs: list[SignOffOut]


class PlanIn(Schema):
    career_vision: str = ""
    self_assessment: dict[str, dict[str, str]] = {}


class GoalIn(Schema):
    statement: str
    measure: str = ""
    target_date: datetime.date | None = None
    why_it_matters: str = ""
    domain: str
    priority: str = Goal.Priority.STANDARD
    is_stretch: bool = False
    strategies: str = ""
    resources: str = ""
    evidence: str = ""


class GoalPatch(Schema):
    statement: str | None = None
    measure: str | None = None
    target_date: datetime.date | None = None
    why_it_matters: str | None = None
    domain: str | None = None
    priority: str | None = None
    is_stretch: bool | None = None
    strategies: str | None = None
    resources: str | None = None
    evidence: str | None = None


class ProgressIn(Schema):
    percent_done: int
    note: str = ""
    on: datetime.date | None = None


class CommentIn(Schema):
    body: str


class SignOffIn(Schema):
    note: str = ""


def _summary(plan: LearningPlan) -> dict:
    return {
        "id": plan.pk, "mentee_id": plan.mentee_id, "mentee": plan.mentee.display_name,
        "academic_year": plan.academic_year, "program_id": plan.program_id, "status": plan.status,
        "approved_by": plan.approved_by.display_name if plan.approved_by else None,
        "approved_at": plan.approved_at, "review_due_on": selectors.plan_review_due_on(plan),
    }


def _goal(goal: Goal, *, detail: bool = False) -> dict:
    data = {name: getattr(goal, name) for name in (
        "statement", "measure", "target_date", "why_it_matters", "domain", "priority", "is_stretch",
        "strategies", "resources", "evidence", "status", "percent_done", "version")}
    data["id"] = goal.pk
    data["carried_from"] = goal.carried_from_id
    data["smart"] = analyze(goal.statement, target_date=goal.target_date, measure=goal.measure,
                            today=timezone.localdate()).as_dict()
    if detail:
        data["progress_updates"] = [{"on": u.on, "percent_done": u.percent_done, "note": u.note}
                                    for u in goal.progress_updates.all()]
        data["comments"] = [{"author": c.author.display_name, "body": c.body, "created_at": c.created_at}
                            for c in goal.comments.all()]
        data["change_requests"] = [_change_request(c) for c in goal.change_requests.all()]
        data["versions"] = [{"version": v.version, "statement": v.statement, "measure": v.measure,
                             "target_date": v.target_date, "status": v.status, "replaced_at": v.replaced_at,
                             "change_reason": v.change_reason} for v in goal.versions.all()]
    return data


def _change_request(change) -> dict:
    return {"id": change.pk, "requested_by": change.requested_by.display_name if change.requested_by else None,
            "comment": change.comment, "goal_version": change.goal_version, "created_at": change.created_at,
            "open": change.resolved_at is None, "resolved_at": change.resolved_at, "resolution": change.resolution}


def _plan(plan: LearningPlan) -> dict:
    data = _summary(plan)
    data["career_vision"] = plan.career_vision
    data["self_assessment"] = plan.self_assessment
    data["goals"] = [_goal(goal, detail=True) for goal in plan.goals.all()]
    data["sign_offs"] = [{"mentor": s.mentor.display_name if s.mentor else None, "signed_at": s.signed_at,
                          "note": s.note, "reopened_at": s.reopened_at, "reopened_because": s.reopened_because}
                         for s in plan.sign_offs.all()]
    return data


def _visible_plan(request, plan_id: int) -> LearningPlan:
    plan = selectors.plan_detail(plan_id=plan_id)
    if not permissions.can_view_plan(request.auth, plan):
        raise Http404  # like a missing plan; 403 is for a plan the caller sees but may not change
    return plan


@router.post("/smart-check", response=SmartOut, summary="S.M.A.R.T. check of a goal statement")
def smart_check(request, payload: SmartIn):
    """The coach: each criterion ok or not with a hint; a filled-in target date or measure also counts."""
    return analyze(payload.statement, target_date=payload.target_date, measure=payload.measure or None,
                   today=timezone.localdate()).as_dict()


@router.get("", response=list[PlanSummaryOut], summary="Learning plans you may see")
def plan_list(request, status: str | None = None, limit: int = 50, offset: int = 0):
    limit = max(1, min(limit, 200))
    plans = selectors.plans_visible_to(viewer=request.auth, status=status).select_related("approved_by")
    return [_summary(plan) for plan in plans[max(offset, 0):max(offset, 0) + limit]]


@router.post("", response={201: PlanOut}, summary="Start my learning plan for this academic year")
def plan_create(request, payload: PlanIn):
    plan = services.plan_create(mentee=request.auth, career_vision=payload.career_vision,
                                self_assessment=payload.self_assessment)
    return Status(201, _plan(selectors.plan_detail(plan_id=plan.pk)))


@router.get("/{int:plan_id}", response=PlanOut, summary="One learning plan with its goals and sign-offs")
def plan_detail(request, plan_id: int):
    return _plan(_visible_plan(request, plan_id))


@router.post("/{int:plan_id}/goals", response={201: GoalOut}, summary="Add a goal to my plan")
def goal_create(request, plan_id: int, payload: GoalIn):
    plan = _visible_plan(request, plan_id)
    goal = services.goal_create(plan=plan, by=request.auth, data=payload.dict())
    return Status(201, _goal(goal))


@router.patch("/goals/{int:goal_id}", response=GoalOut, summary="Change a goal (reopens a signed-off plan)")
def goal_update(request, goal_id: int, payload: GoalPatch):
    goal = selectors.goal_for(goal_id=goal_id)
    if not permissions.can_view_plan(request.auth, goal.plan):
        raise Http404
    goal = services.goal_update(goal=goal, by=request.auth, data=payload.dict(exclude_none=True))
    return _goal(goal)


@router.post("/goals/{int:goal_id}/progress", response={201: ProgressOut}, summary="Record progress on a goal")
def progress_create(request, goal_id: int, payload: ProgressIn):
    goal = selectors.goal_for(goal_id=goal_id)
    if not permissions.can_view_plan(request.auth, goal.plan):
        raise Http404
    update = services.progress_record(goal=goal, by=request.auth, percent_done=payload.percent_done,
                                      note=payload.note, on=payload.on)
    return Status(201, {"on": update.on, "percent_done": update.percent_done, "note": update.note})


@router.post("/goals/{int:goal_id}/comments", response={201: CommentOut}, summary="Comment on a goal")
def comment_create(request, goal_id: int, payload: CommentIn):
    goal = selectors.goal_for(goal_id=goal_id)
    if not permissions.can_view_plan(request.auth, goal.plan):
        raise Http404
    comment = services.goal_comment_add(goal=goal, author=request.auth, body=payload.body)
    return Status(201, {"author": comment.author.display_name, "body": comment.body, "created_at": comment.created_at})


@router.post("/goals/{int:goal_id}/change-requests", response={201: ChangeRequestOut},
             summary="Ask for changes to a goal of a plan waiting for sign-off (the mentee's mentor)")
def change_request_create(request, goal_id: int, payload: ChangeRequestIn):
    goal = selectors.goal_for(goal_id=goal_id)
    if not permissions.can_view_plan(request.auth, goal.plan):
        raise Http404
    change = services.goal_changes_request(goal=goal, by=request.auth, comment=payload.comment)
    return Status(201, _change_request(change))


@router.post("/{int:plan_id}/submit", response=PlanSummaryOut, summary="Submit my plan for sign-off")
def plan_submit(request, plan_id: int):
    plan = _visible_plan(request, plan_id)
    plan = services.plan_submit(plan=plan, by=request.auth)
    return _summary(selectors.plan_detail(plan_id=plan.pk))


@router.post("/{int:plan_id}/sign-off", response=PlanSummaryOut, summary="Sign off a mentee's plan")
def plan_sign_off(request, plan_id: int, payload: SignOffIn):
    plan = _visible_plan(request, plan_id)
    services.plan_sign_off(plan=plan, mentor=request.auth, note=payload.note)
    return _summary(selectors.plan_detail(plan_id=plan.pk))


@router.delete("/goals/{int:goal_id}", response={204: None},
               summary="Delete a goal of my plan (only before the plan's first review or sign-off)")
def goal_delete(request, goal_id: int):
    goal = selectors.goal_for(goal_id=goal_id)
    if not permissions.can_view_plan(request.auth, goal.plan):
        raise Http404
    services.goal_delete(goal=goal, by=request.auth)
    return Status(204, None)


# --- milestones of a plan (USMLE Step 3, fellowship applications, visa renewal) ---------------------------

class PlanMilestoneOut(Schema):
    id: int
    plan_id: int
    title: str
    due_on: datetime.date
    completed_on: datetime.date | None


class PlanMilestoneIn(Schema):
    title: str = Field(max_length=200)
    due_on: datetime.date


@router.get("/{int:plan_id}/milestones", response=list[PlanMilestoneOut], summary="A plan's milestones, by date")
def milestone_list(request, plan_id: int):
    return list(_visible_plan(request, plan_id).milestones.order_by("due_on", "pk"))


@router.post("/{int:plan_id}/milestones", response={201: PlanMilestoneOut}, summary="Add a milestone to my plan")
def milestone_create(request, plan_id: int, payload: PlanMilestoneIn):
    plan = _visible_plan(request, plan_id)
    return Status(201, services.milestone_add(plan=plan, by=request.auth, title=payload.title, due_on=payload.due_on))


@router.post("/milestones/{int:milestone_id}/complete", response=PlanMilestoneOut,
             summary="Mark a milestone of my plan reached (today)")
def milestone_complete(request, milestone_id: int):
    milestone = get_object_or_404(Milestone.objects.select_related("plan"), pk=milestone_id)
    if not permissions.can_view_plan(request.auth, milestone.plan):
        raise Http404
    return services.milestone_complete(milestone=milestone, by=request.auth)


# --- a program's compliance list (its coordinators) -------------------------------------------------------

class ComplianceRowOut(Schema):
    mentee_id: int
    mentee_name: str
    plan_id: int | None
    plan_status: str | None
    last_signed_at: datetime.datetime | None
    review_due_on: datetime.date | None
    mentor_ids: list[int]
    without_approved_plan: bool = Field(description="No plan signed off in the last 12 months")
    review_overdue: bool


class ComplianceSummaryOut(Schema):
    program_id: int
    mentees: int
    compliant: int
    without_approved_plan: int
    review_overdue: int


class ReminderIn(Schema):
    mentee_ids: list[RowId] = Field(max_length=5000, description="Mentees of the compliance list")
    recipients: str = Field(description="mentee, mentor or both")


class RemindedOut(Schema):
    mentees: int
    mentors: int


def _compliance(request, program_id: int):
    program = get_object_or_404(Program, pk=program_id)
    if not permissions.can_view_compliance(request.auth, program.pk):
        raise PermissionDenied("Only the program's coordinators see its compliance list.")
    return program, selectors.program_compliance(program_ids=[program.pk])[0]


@router.get("/compliance/{int:program_id}", response=ComplianceSummaryOut,
            summary="How many of a program's mentees have a signed-off plan and a review on time")
def compliance_summary(request, program_id: int):
    program, report = _compliance(request, program_id)
    return {"program_id": program.pk, "mentees": report.mentees, "compliant": report.compliant,
            "without_approved_plan": len(report.without_approved_plan), "review_overdue": len(report.review_overdue)}


@router.get("/compliance/{int:program_id}/mentees", response=list[ComplianceRowOut],
            summary="A program's mentees who need a plan signed off or an overdue review, by name")
@paginated
def compliance_list(request, program_id: int, needs: Literal["plan", "review"] | None = None):
    _program, report = _compliance(request, program_id)
    rows = [row for row in report.needing_attention
            if needs is None or (row.without_approved_plan if needs == "plan" else row.review_overdue)]
    return [{**{name: getattr(row, name) for name in (
        "mentee_id", "mentee_name", "plan_id", "plan_status", "last_signed_at", "review_due_on",
        "without_approved_plan", "review_overdue")}, "mentor_ids": [mentor_id for mentor_id, _ in row.mentors]}
        for row in sorted(rows, key=lambda row: (row.mentee_name, row.mentee_id))]


@router.post("/compliance/{int:program_id}/reminders", response=RemindedOut,
             summary="Remind mentees of the list (and/or their mentors); nobody is reminded twice a day")
def compliance_remind(request, program_id: int, payload: ReminderIn):
    program, _report = _compliance(request, program_id)
    return services.compliance_nudge(by=request.auth, program=program, mentee_ids=payload.mentee_ids,
                                     recipients=payload.recipients)
