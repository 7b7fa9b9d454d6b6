"""Writes to learning plans. Every change to a plan, its goals, reviews and sign-offs goes through here.

Any change to what a signed-off plan says (vision, self-assessment, a goal, a milestone) reopens
it: the plan goes back to "submitted", the standing sign-off is marked reopened (and kept), and
the mentor has to sign it off again. Progress updates and comments are tracking, not changes
to the plan, and leave the sign-off standing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from mentora.core.academic_year import academic_year_label, current_academic_year
from mentora.notifications.email_templates import program_email, templates_for
from mentora.notifications.services import Notice, notify, notify_many
from mentora.programs.models import Membership
from mentora.relationships.models import Relationship
from mentora.webhooks.events import person
from mentora.webhooks.services import webhook_event_emit

from . import permissions
from .models import (
    STATEMENT_MAX,
    TEXT_MAX,
    Domain,
    Goal,
    GoalChangeRequest,
    GoalComment,
    GoalDecision,
    GoalVersion,
    LearningPlan,
    Milestone,
    ProgressUpdate,
    Review,
    SignOff,
)
from .selectors import plans_to_roll_over, program_compliance

GOAL_FIELDS = (
    "statement", "measure", "target_date", "why_it_matters", "domain", "priority", "is_stretch",
    "strategies", "resources", "evidence",
)
# Changing these is a change of the plan (reopens a sign-off and records a new goal version).
GOAL_CONTENT_FIELDS = GOAL_FIELDS


def _today() -> datetime.date:
    return timezone.localdate()


# ------------------------------------------------------------------------------------------------
# Validation shared by forms, the API and the services themselves


def goal_errors(*, data: dict, today: datetime.date, goal: Goal | None = None) -> dict[str, str]:
    """Plain-language problems with a goal's fields, by field name; empty when the goal can be saved."""
    errors: dict[str, str] = {}
    statement = (data.get("statement") or "").strip()
    if not statement:
        errors["statement"] = "Write the goal: what will you do, and what will be different when it is done?"
    elif len(statement) > STATEMENT_MAX:
        errors["statement"] = (
            f"Keep the goal to {STATEMENT_MAX:,} characters or fewer (it has {len(statement):,}); "
            "put the detail under strategies."
        )
    if len(data.get("measure") or "") > STATEMENT_MAX:
        errors["measure"] = f"Keep the measure to {STATEMENT_MAX:,} characters or fewer (it has {len(data['measure']):,})."
    target = data.get("target_date")
    if not target:
        errors["target_date"] = "Choose a target date: by when will this be done?"
    elif target < today and (goal is None or target != goal.target_date):
        errors["target_date"] = (
            f"The target date {target:%-d %B %Y} is in the past: choose today or a later date."
        )
    if data.get("domain") not in Domain.values:
        errors["domain"] = "Choose the domain this goal belongs to."
    for name in ("why_it_matters", "strategies", "resources", "evidence"):
        value = data.get(name) or ""
        if len(value) > TEXT_MAX:
            errors[name] = f"Keep this to {TEXT_MAX:,} characters or fewer (it has {len(value):,})."
    return errors


def _raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError({name: [message] for name, message in errors.items()})


def self_assessment_clean(raw: dict | None) -> dict[str, dict[str, str]]:
    cleaned: dict[str, dict[str, str]] = {}
    errors: dict[str, str] = {}
    for domain, parts in (raw or {}).items():
        if domain not in Domain.values:
            errors["self_assessment"] = f"Unknown domain {domain!r}."
            continue
        entry = {key: (parts or {}).get(key, "").strip() for key in ("strengths", "growth")}
        for key, value in entry.items():
            if len(value) > TEXT_MAX:
                errors[f"{domain}_{key}"] = f"Keep this to {TEXT_MAX:,} characters or fewer (it has {len(value):,})."
        if any(entry.values()):
            cleaned[domain] = entry
    _raise_if(errors)
    return cleaned


# ------------------------------------------------------------------------------------------------
# Plans


def _mentee_program_id(*, mentee, academic_year: int) -> int | None:
    return (
        Membership.objects.filter(user=mentee, academic_year=academic_year, role=Membership.Role.MENTEE)
        .order_by("-is_active", "pk")
        .values_list("program_id", flat=True)
        .first()
    )


@transaction.atomic
def plan_create(
    *, mentee, academic_year: int | None = None, career_vision: str = "", self_assessment: dict | None = None
) -> LearningPlan:
    year = academic_year if academic_year is not None else current_academic_year()
    if len(career_vision) > TEXT_MAX:
        _raise_if({"career_vision": f"Keep your vision to {TEXT_MAX:,} characters or fewer (it has {len(career_vision):,})."})
    assessment = self_assessment_clean(self_assessment)
    if LearningPlan.objects.filter(mentee=mentee, academic_year=year).exists():
        raise ValidationError({"academic_year": ["You already have a learning plan for this academic year."]})
    plan = LearningPlan(
        mentee=mentee, academic_year=year, program_id=_mentee_program_id(mentee=mentee, academic_year=year),
        career_vision=career_vision.strip(), self_assessment=assessment,
    )
    plan.full_clean()
    plan.save()
    return plan


def _reopen_if_signed_off(*, plan: LearningPlan, by, because: str) -> bool:
    """A change after sign-off: back to submitted, the sign-off kept but marked reopened."""
    if plan.status != LearningPlan.Status.APPROVED:
        return False
    now = timezone.now()
    SignOff.objects.filter(plan=plan, reopened_at__isnull=True).update(
        reopened_at=now, reopened_by=by, reopened_because=because[:STATEMENT_MAX]
    )
    plan.status = LearningPlan.Status.SUBMITTED
    plan.approved_by = None
    plan.approved_at = None
    plan.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    _tell_mentors(
        plan, kind="ilp_reopened", key=f"ilp-reopened:{plan.pk}:{now:%Y%m%d%H%M%S%f}",
        title=f"{_name(plan.mentee_id)}'s signed-off learning plan reopened: please sign it off again",
        body=because, skip=by,
    )
    return True


def _lock(plan: LearningPlan) -> LearningPlan:
    """Re-read the plan under a row lock so two writers cannot both reopen or sign it off."""
    return LearningPlan.objects.select_for_update().get(pk=plan.pk)


def _require_owner(plan: LearningPlan, by) -> None:
    if not permissions.can_edit_plan(by, plan):
        raise PermissionDenied("Only the mentee writes their learning plan.")


@transaction.atomic
def plan_update(*, plan: LearningPlan, by, career_vision: str, self_assessment: dict | None) -> LearningPlan:
    _require_owner(plan, by)
    if len(career_vision) > TEXT_MAX:
        _raise_if({"career_vision": f"Keep your vision to {TEXT_MAX:,} characters or fewer (it has {len(career_vision):,})."})
    assessment = self_assessment_clean(self_assessment)
    plan = _lock(plan)
    vision = career_vision.strip()
    if vision == plan.career_vision and assessment == plan.self_assessment:
        return plan
    _reopen_if_signed_off(plan=plan, by=by, because="The career vision or self-assessment changed.")
    plan.career_vision = vision
    plan.self_assessment = assessment
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def plan_submit(*, plan: LearningPlan, by) -> LearningPlan:
    _require_owner(plan, by)
    plan = _lock(plan)
    if plan.status != LearningPlan.Status.DRAFT:
        raise ValidationError("This plan is already submitted.")
    if not plan.goals.exists():
        raise ValidationError("Add at least one goal before you submit your plan.")
    plan.status = LearningPlan.Status.SUBMITTED
    plan.submitted_at = timezone.now()
    plan.save(update_fields=["status", "submitted_at", "updated_at"])
    _notify_mentors(plan)
    webhook_event_emit(kind="plan.submitted", program=plan.program, data={
        "plan": {"id": plan.pk, "academic_year": plan.academic_year, "status": plan.status},
        "mentee": person(plan.mentee)})
    return plan


def _notify_mentors(plan: LearningPlan) -> None:
    _tell_mentors(
        plan, kind="ilp_review_due", key=f"ilp-submitted:{plan.pk}:{plan.submitted_at:%Y%m%d%H%M%S}",
        title=f"{_name(plan.mentee_id)} submitted their learning plan for your sign-off",
    )


# ------------------------------------------------------------------------------------------------
# Telling the other side: every change of the plan's review loop reaches the mentee or their mentors


def _name(user_id: int) -> str:
    user = get_user_model().objects.filter(pk=user_id).first()
    return user.display_name if user else "A former member"


def _plan_url(plan: LearningPlan, anchor: str = "") -> str:
    return reverse("ilps:ilp_detail", args=[plan.pk]) + anchor


def _tell_mentors(plan: LearningPlan, *, kind: str, key: str, title: str, body: str = "", anchor: str = "",
                  skip=None) -> None:
    """Notify each of the plan's mentors (open relationships in its program, or in none) once; `key` gets the
    mentor's id. A mentor of another program never hears of this program's plan."""
    relationships = Relationship.objects.filter(mentee_id=plan.mentee_id, status__in=Relationship.OPEN_STATUSES)
    if plan.program_id is not None:  # the plan's program's mentors (or those outside any program), as can_review_plan
        relationships = relationships.filter(Q(program_id=plan.program_id) | Q(program__isnull=True))
    mentors = (
        relationships.select_related("mentor").order_by("mentor_id")
    )
    seen: set[int] = {getattr(skip, "pk", None)}
    for relationship in mentors:
        if relationship.mentor_id in seen:
            continue
        seen.add(relationship.mentor_id)
        notify(user=relationship.mentor, kind=kind, key=f"{key}:{relationship.mentor_id}", title=title, body=body,
               url=_plan_url(plan, anchor), about=plan.mentee)


def _tell_mentee(plan: LearningPlan, *, kind: str, key: str, title: str, about, body: str = "",
                 anchor: str = "") -> None:
    """Notify the mentee of what `about` (a mentor) did or wrote."""
    notify(user=plan.mentee, kind=kind, key=key, title=title, body=body, url=_plan_url(plan, anchor), about=about)


@transaction.atomic
def plan_sign_off(*, plan: LearningPlan, mentor, note: str = "") -> SignOff:
    if not permissions.can_review_plan(mentor, plan):
        raise PermissionDenied("Only the mentee's mentor signs off their plan.")
    plan = _lock(plan)
    if plan.status == LearningPlan.Status.DRAFT:
        raise ValidationError("The mentee has not submitted this plan yet.")
    if plan.status == LearningPlan.Status.APPROVED:
        raise ValidationError("This plan is already signed off.")
    if len(note) > TEXT_MAX:
        raise ValidationError({"note": [f"Keep the note to {TEXT_MAX:,} characters or fewer."]})
    now = timezone.now()
    sign_off = SignOff.objects.create(plan=plan, mentee_id=plan.mentee_id, mentor=mentor, signed_at=now, note=note)
    plan.status = LearningPlan.Status.APPROVED
    plan.approved_by = mentor
    plan.approved_at = now
    plan.last_reviewed_on = timezone.localdate(now)
    plan.save(update_fields=["status", "approved_by", "approved_at", "last_reviewed_on", "updated_at"])
    # Changes still asked for are settled by the sign-off: the mentor accepted the goals as they are.
    GoalChangeRequest.objects.filter(goal__plan=plan, resolved_at__isnull=True).update(
        resolved_at=now, resolved_by=mentor, resolution="Signed off as it is")
    _tell_mentee(
        plan, kind="ilp_signed_off", key=f"ilp-signed-off:{sign_off.pk}",
        title=f"{mentor.display_name} signed off your learning plan {plan.academic_year_label}",
        body=note, anchor="#sign-off", about=mentor,
    )
    webhook_event_emit(kind="plan.signed_off", program=plan.program, data={
        "plan": {"id": plan.pk, "academic_year": plan.academic_year, "status": plan.status},
        "mentee": person(plan.mentee), "mentor": person(mentor), "signed_at": now})
    return sign_off


@transaction.atomic
def goal_changes_request(*, goal: Goal, by, comment: str) -> GoalChangeRequest:
    """The mentor asks for a change to one goal of a submitted plan, saying what to change."""
    plan = goal.plan
    if not permissions.can_review_plan(by, plan):
        raise PermissionDenied("Only the mentee's mentor asks for changes to their plan.")
    plan = _lock(plan)
    comment = comment.strip()
    errors: dict[str, str] = {}
    if plan.status != LearningPlan.Status.SUBMITTED:
        errors["__all__"] = ("Changes are asked for while the plan waits for sign-off; "
                             "comment on the goal or reassess it at a review instead.")
    elif not goal.is_open:
        errors["__all__"] = "This goal is closed."
    elif goal.change_requests.filter(resolved_at__isnull=True).exists():
        errors["__all__"] = "Changes are already asked for on this goal; comment on it to add more."
    if not comment:
        errors["comment"] = "Say what to change, so the mentee knows what to do."
    elif len(comment) > TEXT_MAX:
        errors["comment"] = f"Keep the comment to {TEXT_MAX:,} characters or fewer (it has {len(comment):,})."
    _raise_if(errors)
    request = GoalChangeRequest.objects.create(goal=goal, requested_by=by, comment=comment, goal_version=goal.version)
    _tell_mentee(
        plan, kind="ilp_changes_requested", key=f"ilp-changes-requested:{request.pk}",
        title=f"{by.display_name} asks you to change a goal: {goal.statement[:120]}",
        body=comment, anchor=f"#goal-{goal.pk}", about=by,
    )
    return request


def _resolve_change_requests(goal: Goal, *, by) -> None:
    """The mentee revised the goal: its open change request is answered and the mentor hears of it."""
    now = timezone.now()
    for request in goal.change_requests.filter(resolved_at__isnull=True).select_related("requested_by"):
        request.resolved_at = now
        request.resolved_by = by
        request.resolution = f"Revised (version {goal.version})"
        request.save(update_fields=["resolved_at", "resolved_by", "resolution"])
        if request.requested_by is not None:
            notify(user=request.requested_by, kind="ilp_changes_requested", key=f"ilp-changes-made:{request.pk}",
                   title=f"{by.display_name} revised the goal you asked to change: {goal.statement[:120]}",
                   url=_plan_url(goal.plan, f"#goal-{goal.pk}"), about=by)


# ------------------------------------------------------------------------------------------------
# Goals


def _snapshot(goal: Goal, *, by, reason: str, at: datetime.datetime) -> GoalVersion:
    return GoalVersion.objects.create(
        goal=goal, version=goal.version, replaced_at=at, replaced_by=by, change_reason=reason[:STATEMENT_MAX],
        status=goal.status, **{name: getattr(goal, name) for name in GOAL_FIELDS},
    )


def _focus_error(plan: LearningPlan, priority: str, goal: Goal | None = None) -> dict[str, str]:
    if priority != Goal.Priority.FOCUS:
        return {}
    others = plan.goals.filter(priority=Goal.Priority.FOCUS, status__in=Goal.OPEN_STATUSES)
    if goal is not None:
        others = others.exclude(pk=goal.pk)
    if others.count() >= Goal.MAX_FOCUS:
        return {"priority": f"Focus on a few: a plan has at most {Goal.MAX_FOCUS} open focus goals."}
    return {}


@transaction.atomic
def goal_create(*, plan: LearningPlan, by, data: dict, today: datetime.date | None = None) -> Goal:
    _require_owner(plan, by)
    plan = _lock(plan)
    fields = {name: data[name] for name in GOAL_FIELDS if name in data}
    fields.setdefault("priority", Goal.Priority.STANDARD)
    fields["statement"] = (fields.get("statement") or "").strip()
    _raise_if(goal_errors(data=fields, today=today or _today()) | _focus_error(plan, fields["priority"]))
    goal = Goal(plan=plan, **fields)
    goal.full_clean()
    goal.save()
    _reopen_if_signed_off(plan=plan, by=by, because=f"A goal was added: {goal.statement[:200]}")
    return goal


@transaction.atomic
def goal_update(*, goal: Goal, by, data: dict, reason: str = "", today: datetime.date | None = None) -> Goal:
    _require_owner(goal.plan, by)
    plan = _lock(goal.plan)
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    fields = {name: data.get(name, getattr(goal, name)) for name in GOAL_FIELDS}
    fields["statement"] = (fields["statement"] or "").strip()
    _raise_if(goal_errors(data=fields, today=today or _today(), goal=goal) | _focus_error(plan, fields["priority"], goal))
    if all(fields[name] == getattr(goal, name) for name in GOAL_FIELDS):
        return goal
    _revise(goal, fields=fields, by=by, reason=reason or "Edited by the mentee")
    _resolve_change_requests(goal, by=by)
    _reopen_if_signed_off(plan=plan, by=by, because=f"A goal changed: {goal.statement[:200]}")
    return goal


def _revise(goal: Goal, *, fields: dict, by, reason: str) -> None:
    _snapshot(goal, by=by, reason=reason, at=timezone.now())
    for name, value in fields.items():
        setattr(goal, name, value)
    goal.version += 1
    goal.full_clean()
    goal.save()


@transaction.atomic
def goal_delete(*, goal: Goal, by) -> None:
    """Delete a goal from a plan that was never signed off; afterwards goals are dropped at a review."""
    _require_owner(goal.plan, by)
    plan = _lock(goal.plan)
    if plan.sign_offs.exists() or plan.reviews.exists():
        raise ValidationError("This plan has been reviewed: drop the goal at the next review instead, with the reason.")
    goal.delete()


@transaction.atomic
def progress_record(
    *, goal: Goal, by, percent_done: int, note: str = "", on: datetime.date | None = None
) -> ProgressUpdate:
    _require_owner(goal.plan, by)
    on = on or _today()
    errors: dict[str, str] = {}
    if not 0 <= percent_done <= 100:
        errors["percent_done"] = "Percent done is a number from 0 to 100."
    if on > _today():
        errors["on"] = "A progress update cannot be dated in the future."
    if len(note) > TEXT_MAX:
        errors["note"] = f"Keep the note to {TEXT_MAX:,} characters or fewer (it has {len(note):,})."
    if not goal.is_open:
        errors["__all__"] = "This goal is closed; reopen it at a review to record more progress."
    _raise_if(errors)
    update = ProgressUpdate.objects.create(goal=goal, author=by, on=on, percent_done=percent_done, note=note.strip())
    latest = goal.progress_updates.order_by("-on", "-pk").first()
    goal.percent_done = latest.percent_done
    if goal.status == Goal.Status.NOT_STARTED and goal.percent_done > 0:
        goal.status = Goal.Status.IN_PROGRESS
    goal.save(update_fields=["percent_done", "status", "updated_at"])
    return update


@transaction.atomic
def goal_comment_add(*, goal: Goal, author, body: str) -> GoalComment:
    plan = goal.plan
    if not (permissions.can_review_plan(author, plan) or permissions.can_edit_plan(author, plan)):
        raise PermissionDenied("Only the mentee and their mentors comment on goals.")
    body = body.strip()
    if not body:
        raise ValidationError({"body": ["Write a comment first."]})
    if len(body) > TEXT_MAX:
        raise ValidationError({"body": [f"Keep the comment to {TEXT_MAX:,} characters or fewer (it has {len(body):,})."]})
    comment = GoalComment.objects.create(goal=goal, author=author, body=body)
    title = f"{author.display_name} commented on a goal: {goal.statement[:120]}"
    if author.pk == plan.mentee_id:
        _tell_mentors(plan, kind="goal_comment", key=f"goal-comment:{comment.pk}", title=title, body=body,
                      anchor=f"#goal-{goal.pk}")
    else:
        _tell_mentee(plan, kind="goal_comment", key=f"goal-comment:{comment.pk}", title=title, body=body,
                     anchor=f"#goal-{goal.pk}", about=author)
    return comment


# ------------------------------------------------------------------------------------------------
# Reassessment


@dataclass
class DecisionInput:
    goal: Goal
    outcome: str
    reason: str
    changes: dict | None = None  # new goal fields for "revised" and "refocused"


@transaction.atomic
def plan_reassess(
    *, plan: LearningPlan, reviewer, decisions: Iterable[DecisionInput], summary: str = "",
    held_on: datetime.date | None = None, sign_off: bool = False,
) -> Review:
    """One review: every open goal is kept, revised, refocused, dropped or achieved, with the reason."""
    if not permissions.can_review_plan(reviewer, plan):
        raise PermissionDenied("Only the mentee's mentor reviews their plan.")
    plan = _lock(plan)
    if plan.status == LearningPlan.Status.DRAFT:
        raise ValidationError("The mentee has not submitted this plan yet.")
    today = _today()
    held_on = held_on or today
    decisions = list(decisions)
    open_goals = {g.pk: g for g in plan.goals.select_for_update().filter(status__in=Goal.OPEN_STATUSES)}
    decided = {d.goal.pk for d in decisions}
    errors: dict[str, str] = {}
    if decided != set(open_goals):
        errors["__all__"] = "Decide on every open goal of the plan, and only on those."
    if held_on > today:
        errors["held_on"] = "A review cannot be dated in the future."
    if len(summary) > TEXT_MAX:
        errors["summary"] = f"Keep the summary to {TEXT_MAX:,} characters or fewer (it has {len(summary):,})."
    for decision in decisions:
        prefix = f"goal_{decision.goal.pk}_"
        if decision.outcome not in GoalDecision.Outcome.values:
            errors[prefix + "outcome"] = "Choose what happens to this goal."
        if not decision.reason.strip():
            errors[prefix + "reason"] = "Say why: a reason is recorded with every decision."
        elif len(decision.reason) > STATEMENT_MAX:
            errors[prefix + "reason"] = f"Keep the reason to {STATEMENT_MAX:,} characters or fewer."
        if decision.outcome in (GoalDecision.Outcome.REVISED, GoalDecision.Outcome.REFOCUSED):
            goal = open_goals.get(decision.goal.pk, decision.goal)
            changes = {name: (decision.changes or {}).get(name, getattr(goal, name)) for name in GOAL_FIELDS}
            for name, message in goal_errors(data=changes, today=today, goal=goal).items():
                errors[prefix + name] = message
            if all(changes[name] == getattr(goal, name) for name in GOAL_FIELDS):
                errors[prefix + "statement"] = "A revised goal must change: edit what it says, its measure or its date."
    _raise_if(errors)

    review = Review.objects.create(plan=plan, reviewer=reviewer, held_on=held_on, summary=summary.strip())
    changed = False
    for decision in decisions:
        goal = open_goals[decision.goal.pk]
        GoalDecision.objects.create(
            review=review, goal=goal, outcome=decision.outcome, reason=decision.reason.strip(),
            version_before=goal.version,
        )
        if decision.outcome in (GoalDecision.Outcome.REVISED, GoalDecision.Outcome.REFOCUSED):
            changes = {name: (decision.changes or {}).get(name, getattr(goal, name)) for name in GOAL_FIELDS}
            _revise(goal, fields=changes, by=reviewer, reason=_decision_reason(decision, held_on))
            changed = True
        elif decision.outcome in (GoalDecision.Outcome.DROPPED, GoalDecision.Outcome.ACHIEVED):
            _snapshot(goal, by=reviewer, reason=_decision_reason(decision, held_on), at=timezone.now())
            goal.status = Goal.Status.DROPPED if decision.outcome == GoalDecision.Outcome.DROPPED else Goal.Status.ACHIEVED
            if goal.status == Goal.Status.ACHIEVED:
                goal.percent_done = 100
            goal.version += 1
            goal.save(update_fields=["status", "percent_done", "version", "updated_at"])
            changed = True
    if changed:
        _reopen_if_signed_off(plan=plan, by=reviewer, because=f"Goals changed at the review of {held_on:%-d %B %Y}.")
    plan.last_reviewed_on = max(held_on, plan.last_reviewed_on or held_on)
    plan.save(update_fields=["last_reviewed_on", "updated_at"])
    if sign_off and plan.status != LearningPlan.Status.APPROVED:
        plan_sign_off(plan=plan, mentor=reviewer, note=summary.strip()[:TEXT_MAX])
    return review


def _decision_reason(decision: DecisionInput, held_on: datetime.date) -> str:
    label = GoalDecision.Outcome(decision.outcome).label
    return f"{label} at the review of {held_on:%-d %B %Y}: {decision.reason.strip()}"


# ------------------------------------------------------------------------------------------------
# Milestones


@transaction.atomic
def milestone_add(*, plan: LearningPlan, by, title: str, due_on: datetime.date) -> Milestone:
    _require_owner(plan, by)
    plan = _lock(plan)
    title = title.strip()
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = "Name the milestone, e.g. 'USMLE Step 3 taken'."
    elif len(title) > 200:
        errors["title"] = f"Keep the name to 200 characters or fewer (it has {len(title):,})."
    if due_on is None:
        errors["due_on"] = "Choose the date of the milestone."
    _raise_if(errors)
    milestone = Milestone.objects.create(plan=plan, title=title, due_on=due_on)
    _reopen_if_signed_off(plan=plan, by=by, because=f"A milestone was added: {title}")
    return milestone


@transaction.atomic
def milestone_complete(*, milestone: Milestone, by, on: datetime.date | None = None) -> Milestone:
    _require_owner(milestone.plan, by)
    milestone.completed_on = on or _today()
    milestone.save(update_fields=["completed_on"])
    return milestone


# ------------------------------------------------------------------------------------------------
# Academic-year rollover


@dataclass(frozen=True)
class RolloverResult:
    plans_opened: int = 0
    goals_carried: int = 0


@transaction.atomic
def ilps_rollover(*, mentee_ids: Iterable[int], from_year: int) -> RolloverResult:
    """Open next year's plans for mentees going on, carrying their unfinished goals forward.

    Each carried goal is a new goal of the new plan, marked with the goal it came from; the old goal
    stays as it was in last year's plan. The new plan keeps the career vision (the self-assessment is
    written afresh each year) and is linked to last year's plan, which is what makes a second run do
    nothing more. A mentee who already opened next year's plan keeps it and gets the goals added.
    Called by the program rollover (mentora.rollover) after next year's memberships exist.
    """
    to_year = from_year + 1
    opened = carried = 0
    for item in plans_to_roll_over(mentee_ids=mentee_ids, from_year=from_year):
        target = item.next
        if target is None:
            target = LearningPlan.objects.create(
                mentee_id=item.mentee_id, academic_year=to_year,
                program_id=_mentee_program_id(mentee=item.mentee_id, academic_year=to_year)
                or (item.previous.program_id if item.previous else None),
                career_vision=item.previous.career_vision if item.previous else "",
                previous_plan=item.previous,
            )
            opened += 1
        else:
            target = _lock(target)
            if item.previous is not None:
                target.previous_plan = item.previous
                target.save(update_fields=["previous_plan", "updated_at"])
        if not item.goals:
            continue
        focus = target.goals.filter(priority=Goal.Priority.FOCUS, status__in=Goal.OPEN_STATUSES).count()
        for goal in item.goals:
            priority = goal.priority
            if priority == Goal.Priority.FOCUS:
                if focus >= Goal.MAX_FOCUS:
                    priority = Goal.Priority.STANDARD  # the plan already has its few focus goals
                else:
                    focus += 1
            # One save per goal (not bulk_create) so the change history records each carried goal.
            Goal.objects.create(
                plan=target, carried_from=goal, status=goal.status, percent_done=goal.percent_done,
                **{name: getattr(goal, name) for name in GOAL_FIELDS if name != "priority"}, priority=priority,
            )
        carried += len(item.goals)
        _reopen_if_signed_off(
            plan=target, by=None,
            because=f"{len(item.goals)} unfinished goal(s) carried forward from {academic_year_label(from_year)}.",
        )
    return RolloverResult(plans_opened=opened, goals_carried=carried)


# ------------------------------------------------------------------------------------------------
# Compliance nudges


NUDGE_RECIPIENTS = {"mentee": "The mentees", "mentor": "Their mentors", "both": "The mentees and their mentors"}


@transaction.atomic
def compliance_nudge(*, by, program, mentee_ids: Iterable[int], recipients: str) -> dict[str, int]:
    """Remind the chosen mentees of a program's compliance list (and/or their mentors) that a learning
    plan needs signing off or a review is overdue. Only mentees the list shows are reminded; each person
    is reminded at most once a day per program. Returns how many mentees and mentors were reminded."""
    if not permissions.can_view_compliance(by, program.pk):
        raise PermissionDenied
    if recipients not in NUDGE_RECIPIENTS:
        raise ValidationError({"recipients": "Choose whom to remind: the mentees, their mentors, or both."})
    wanted = set(mentee_ids)
    if not wanted:
        raise ValidationError("Tick at least one mentee to remind.")
    [report] = program_compliance(program_ids=[program.pk])
    rows = [row for row in report.needing_attention if row.mentee_id in wanted]
    today = timezone.localdate().isoformat()
    templates = templates_for(program_ids=[program.pk], kind="nudge")
    mentees, mentors = [], {}
    for row in rows:
        what = ("sign off a learning plan for this year" if row.without_approved_plan
                else "hold the review of your learning plan, which is overdue")
        title, body = program_email(program_id=program.pk, kind="nudge", templates=templates, values={
            "person_name": row.mentee_name, "program_name": program.name, "what": what})
        mentees.append(Notice(user_id=row.mentee_id, key=f"ilp-nudge-{program.pk}-{today}", title=title, body=body,
                              url=reverse("ilps:ilp_list")))
        for mentor_id, _ in row.mentors:
            mentors.setdefault(mentor_id, []).append(row.mentee_name)
    mentor_notices = [
        Notice(user_id=mentor_id, key=f"ilp-nudge-{program.pk}-{today}-mentor",
               title=f"{program.name}: {len(names)} of your mentees need{'s' if len(names) == 1 else ''} "
                     "a learning plan signed off or reviewed",
               body="Their learning plans need signing off or an overdue review: " + ", ".join(sorted(names)) + ".",
               url=reverse("ilps:ilp_list"))
        for mentor_id, names in mentors.items()
    ]
    sent = {"mentees": 0, "mentors": 0}
    if recipients in {"mentee", "both"}:
        sent["mentees"] = notify_many(kind="ilp_review_due", notices=mentees)
    if recipients in {"mentor", "both"}:
        sent["mentors"] = notify_many(kind="ilp_review_due", notices=mentor_notices)
    return sent
