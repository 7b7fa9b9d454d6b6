"""Pages of the learning plans. Thin: permission check, form, service, redirect."""

import datetime

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from mentora.core.academic_year import academic_year_label, current_academic_year
from mentora.core.forms import add_service_error
from mentora.core.lists import Column, ListSpec, Selection, list_page, selection_keep
from mentora.programs.models import Program
from mentora.programs.selectors import network_program_ids, user_roles
from mentora.smart import analyze

from . import permissions, selectors, services
from .forms import (
    ChangeRequestForm,
    CommentForm,
    GoalForm,
    MilestoneForm,
    PlanForm,
    ProgressForm,
    ReviewForm,
    SignOffForm,
)
from .models import Domain, Goal, LearningPlan, Milestone
from .pdf import plan_pdf_bytes
from .timeline import mentee_timeline

User = get_user_model()


def _plan_or_403(request, plan_id: int, check=permissions.can_view_plan) -> LearningPlan:
    plan = selectors.plan_for(plan_id=plan_id)
    if not check(request.user, plan):
        raise PermissionDenied
    return plan


@login_required
def plan_list(request):
    plans = selectors.plans_visible_to(viewer=request.user, status=request.GET.get("status") or None)
    page = Paginator(plans, 50).get_page(request.GET.get("page"))
    roles = user_roles(user=request.user)
    own_current = selectors.current_plan_of(mentee=request.user) if roles.is_mentee or not roles.labels else None
    return render(request, "ilps/plan_list.html", {
        "page": page, "roles": roles, "own_current": own_current,
        "can_start": (roles.is_mentee or not roles.labels) and own_current is None,
        "statuses": LearningPlan.Status.choices, "status": request.GET.get("status", ""),
    })


@login_required
def plan_create(request):
    existing = selectors.current_plan_of(mentee=request.user)
    if existing:
        return redirect("ilps:ilp_detail", plan_id=existing.pk)
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(
                mentee=request.user, career_vision=form.cleaned_data["career_vision"],
                self_assessment=form.self_assessment(),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Your learning plan is started. Now add your goals.")
            return redirect("ilps:ilp_detail", plan_id=plan.pk)
    year = current_academic_year()
    return render(request, "ilps/plan_form.html", {"form": form, "plan": None, "year_label": academic_year_label(year)})


@login_required
def plan_edit(request, plan_id: int):
    plan = _plan_or_403(request, plan_id, permissions.can_edit_plan)
    form = PlanForm(request.POST or None, initial=PlanForm.initial_from(plan))
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(plan=plan, by=request.user, career_vision=form.cleaned_data["career_vision"],
                                 self_assessment=form.self_assessment())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Your plan is saved.")
            return redirect("ilps:ilp_detail", plan_id=plan.pk)
    return render(request, "ilps/plan_form.html", {"form": form, "plan": plan, "year_label": plan.academic_year_label})


@login_required
def plan_detail(request, plan_id: int):
    plan = selectors.plan_detail(plan_id=plan_id)
    if not permissions.can_view_plan(request.user, plan):
        raise PermissionDenied
    today = timezone.localdate()
    goals = list(plan.goals.all())
    for goal in goals:
        goal.coach = (analyze(goal.statement, target_date=goal.target_date, measure=goal.measure, today=today)
                      if goal.is_open else None)
        goal.has_open_change_request = any(change.is_open for change in goal.change_requests.all())
    assessment = _assessment_rows(plan)
    return render(request, "ilps/plan_detail.html", {
        "plan": plan, "goals": goals, "assessment": assessment,
        "open_changes": sum(goal.has_open_change_request for goal in goals),
        "can_edit": permissions.can_edit_plan(request.user, plan),
        "can_review": permissions.can_review_plan(request.user, plan),
        "review_due_on": selectors.plan_review_due_on(plan),
        "comment_form": CommentForm(), "sign_off_form": SignOffForm(), "today": today,
    })


def _assessment_rows(plan):
    return [(label, plan.self_assessment.get(value, {})) for value, label in Domain.choices]


@login_required
def goal_create(request, plan_id: int):
    plan = _plan_or_403(request, plan_id, permissions.can_edit_plan)
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_create(plan=plan, by=request.user, data=form.goal_data())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Goal added.")
            return redirect(f"{plan.get_absolute_url()}#goal-{goal.pk}")
    return render(request, "ilps/goal_form.html", {"form": form, "plan": plan, "goal": None, "coach": _coach_for(form)})


@login_required
def goal_edit(request, goal_id: int):
    goal = selectors.goal_for(goal_id=goal_id)
    if not permissions.can_edit_plan(request.user, goal.plan):
        raise PermissionDenied
    form = GoalForm(request.POST or None, initial=GoalForm.initial_from(goal), goal=goal)
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_update(goal=goal, by=request.user, data=form.goal_data())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Goal saved.")
            return redirect(f"{goal.plan.get_absolute_url()}#goal-{goal.pk}")
    return render(request, "ilps/goal_form.html", {"form": form, "plan": goal.plan, "goal": goal, "coach": _coach_for(form)})


def _coach_for(form: GoalForm):
    """The coach's verdict on what the form holds now (or holds initially)."""
    if form.is_bound:
        raw = form.data
        statement, measure, target = raw.get("statement", ""), raw.get("measure", ""), _parse_date(raw.get("target_date"))
    else:
        statement = form.initial.get("statement", "")
        measure, target = form.initial.get("measure", ""), form.initial.get("target_date")
    if not (statement or "").strip():
        return None
    return analyze(statement, target_date=target, measure=measure or None, today=timezone.localdate())


def _parse_date(value):
    try:
        return datetime.date.fromisoformat((value or "").strip()) if value else None
    except ValueError:
        return None


@login_required
@require_POST
def smart_check(request):
    """The live SMART coach: an htmx partial with a hint per failed criterion."""
    statement = request.POST.get("statement", "")[:5000]
    assessment = None
    if statement.strip():
        assessment = analyze(
            statement, target_date=_parse_date(request.POST.get("target_date")),
            measure=request.POST.get("measure", "")[:2000] or None, today=timezone.localdate(),
        )
    return render(request, "ilps/_smart_coach.html", {"coach": assessment})


@login_required
@require_POST
def goal_delete(request, goal_id: int):
    goal = selectors.goal_for(goal_id=goal_id)
    if not permissions.can_edit_plan(request.user, goal.plan):
        raise PermissionDenied
    try:
        services.goal_delete(goal=goal, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Goal deleted.")
    return redirect("ilps:ilp_detail", plan_id=goal.plan_id)


@login_required
def progress_add(request, goal_id: int):
    goal = selectors.goal_for(goal_id=goal_id)
    if not permissions.can_edit_plan(request.user, goal.plan):
        raise PermissionDenied
    form = ProgressForm(request.POST or None, initial={"percent_done": goal.percent_done, "on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.progress_record(goal=goal, by=request.user, percent_done=form.cleaned_data["percent_done"],
                                     note=form.cleaned_data["note"], on=form.cleaned_data["on"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Progress recorded.")
            return redirect(f"{goal.plan.get_absolute_url()}#goal-{goal.pk}")
    return render(request, "ilps/simple_form.html", {
        "form": form, "plan": goal.plan, "title": "Record progress", "subject": goal.statement, "button": "Record progress",
    })


@login_required
def comment_add(request, goal_id: int):
    goal = selectors.goal_for(goal_id=goal_id)
    plan = goal.plan
    if not (permissions.can_review_plan(request.user, plan) or permissions.can_edit_plan(request.user, plan)):
        raise PermissionDenied
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_comment_add(goal=goal, author=request.user, body=form.cleaned_data["body"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Comment added.")
            return redirect(f"{plan.get_absolute_url()}#goal-{goal.pk}")
    return render(request, "ilps/simple_form.html", {
        "form": form, "plan": plan, "title": "Comment on a goal", "subject": goal.statement, "button": "Add comment",
    })


def _confirm_weak_goals(request, plan: LearningPlan, *, action: str, note: str = ""):
    """Before submitting or signing off a plan whose goals are not yet S.M.A.R.T.: a page that says which
    and what the coach suggests, with a button to go ahead anyway. None when there is nothing to warn of
    or the person already confirmed."""
    if request.POST.get("confirm") == "yes":
        return None
    weak = selectors.goals_not_smart(plan=plan)
    changes = list(selectors.open_change_requests(plan=plan)) if action == "sign_off" else []
    if not weak and not changes:
        return None
    return render(request, "ilps/confirm_weak_goals.html", {
        "plan": plan, "weak": weak, "changes": changes, "action": action, "note": note,
        "can_edit": permissions.can_edit_plan(request.user, plan),
    })


@login_required
def goal_request_changes(request, goal_id: int):
    goal = selectors.goal_for(goal_id=goal_id)
    plan = goal.plan
    if not permissions.can_review_plan(request.user, plan):
        raise PermissionDenied
    form = ChangeRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_changes_request(goal=goal, by=request.user, comment=form.cleaned_data["comment"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{plan.mentee.display_name} is asked to change this goal and has been told.")
            return redirect(f"{plan.get_absolute_url()}#goal-{goal.pk}")
    return render(request, "ilps/simple_form.html", {
        "form": form, "plan": plan, "title": "Ask for changes to a goal", "subject": goal.statement,
        "button": "Ask for changes",
    }, status=400 if form.is_bound else 200)


@login_required
@require_POST
def plan_submit(request, plan_id: int):
    plan = _plan_or_403(request, plan_id, permissions.can_edit_plan)
    if plan.status == LearningPlan.Status.DRAFT and (warning := _confirm_weak_goals(request, plan, action="submit")):
        return warning
    try:
        services.plan_submit(plan=plan, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Your plan is submitted; your mentor has been asked to review and sign it off.")
    return redirect("ilps:ilp_detail", plan_id=plan.pk)


@login_required
@require_POST
def plan_sign_off(request, plan_id: int):
    plan = _plan_or_403(request, plan_id, permissions.can_review_plan)
    form = SignOffForm(request.POST)
    form.is_valid()
    if plan.status == LearningPlan.Status.SUBMITTED and (warning := _confirm_weak_goals(
            request, plan, action="sign_off", note=form.cleaned_data.get("note", ""))):
        return warning
    try:
        services.plan_sign_off(plan=plan, mentor=request.user, note=form.cleaned_data.get("note", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"You signed off {plan.mentee.display_name}'s learning plan.")
    return redirect("ilps:ilp_detail", plan_id=plan.pk)


@login_required
def plan_review(request, plan_id: int):
    plan = _plan_or_403(request, plan_id, permissions.can_review_plan)
    goals = list(plan.goals.filter(status__in=Goal.OPEN_STATUSES))
    form = ReviewForm(request.POST or None, goals=goals, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_reassess(
                plan=plan, reviewer=request.user, decisions=form.decisions(), summary=form.cleaned_data["summary"],
                held_on=form.cleaned_data["held_on"], sign_off=form.cleaned_data["sign_off"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "The review is recorded.")
            return redirect(f"{plan.get_absolute_url()}#history")
    return render(request, "ilps/review_form.html", {"form": form, "plan": plan})


@login_required
def milestone_add(request, plan_id: int):
    plan = _plan_or_403(request, plan_id, permissions.can_edit_plan)
    form = MilestoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_add(plan=plan, by=request.user, title=form.cleaned_data["title"],
                                   due_on=form.cleaned_data["due_on"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Milestone added.")
            return redirect(f"{plan.get_absolute_url()}#milestones")
    return render(request, "ilps/simple_form.html", {
        "form": form, "plan": plan, "title": "Add a milestone", "subject": "", "button": "Add milestone",
    })


@login_required
@require_POST
def milestone_complete(request, milestone_id: int):
    milestone = get_object_or_404(Milestone.objects.select_related("plan"), pk=milestone_id)
    if not permissions.can_edit_plan(request.user, milestone.plan):
        raise PermissionDenied
    services.milestone_complete(milestone=milestone, by=request.user)
    return redirect(f"{milestone.plan.get_absolute_url()}#milestones")


@login_required
def plan_pdf(request, plan_id: int):
    plan = selectors.plan_detail(plan_id=plan_id)
    if not permissions.can_view_plan(request.user, plan):
        raise PermissionDenied

    response = HttpResponse(plan_pdf_bytes(plan=plan, request=request), content_type="application/pdf")
    filename = f"learning-plan-{plan.academic_year}-{plan.mentee_id}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def timeline(request, user_id: int | None = None):
    mentee = request.user if user_id is None else get_object_or_404(User, pk=user_id)
    if not permissions.can_view_mentee_timeline(request.user, mentee):
        raise PermissionDenied
    events = mentee_timeline(mentee=mentee, viewer=request.user)
    return render(request, "ilps/timeline.html", {"mentee": mentee, "events": events, "today": timezone.localdate()})


COMPLIANCE_LIST = ListSpec(
    name="compliance", default_sort="mentee", search=lambda row: f"{row.mentee_name} {row.mentor_names}",
    columns=[
        Column("mentee", "Mentee", sort=lambda row: row.mentee_name, value=lambda row: row.mentee_name),
        Column("mentor", "Mentor", sort=lambda row: row.mentor_names or None, value=lambda row: row.mentor_names),
        Column("plan", "This year's plan", sort=lambda row: row.plan_status_label,
               value=lambda row: row.plan_status_label),
        Column("signed", "Last signed off", sort=lambda row: row.last_signed_at,
               value=lambda row: row.last_signed_at.date() if row.last_signed_at else "never"),
        Column("due", "Review was due", sort=lambda row: row.review_due_on, value=lambda row: row.review_due_on),
        Column("needs", "Needs", sort=lambda row: row.needs_label, value=lambda row: row.needs_label),
    ])


@login_required
def compliance(request):
    roles = user_roles(user=request.user)
    if request.user.is_superuser:
        program_ids = list(Program.objects.values_list("pk", flat=True)[:200])
    else:
        program_ids = sorted(roles.coordinated_program_ids)
    chosen = request.GET.get("program")
    if request.method == "GET" and roles.is_network_coordinator:
        # A network's coordinators see its programs' compliance as figures: the program's dashboard section.

        if not chosen and not program_ids:
            return redirect("insights:network_dashboard")
        if chosen and chosen.isdecimal() and not permissions.can_view_compliance(request.user, int(chosen)) \
                and int(chosen) in network_program_ids(user=request.user):
            return redirect(f"{reverse('insights:insights_dashboard')}?program={int(chosen)}#ilps")
    if not program_ids:
        raise PermissionDenied
    if chosen and (not chosen.isdecimal() or not permissions.can_view_compliance(request.user, int(chosen))):
        raise PermissionDenied
    reports = selectors.program_compliance(program_ids=program_ids if not chosen else [int(chosen)])
    if not reports:
        return render(request, "ilps/compliance.html", {"reports": reports})
    # The list of one program at a time (the first, unless one is chosen): a coordinator of several
    # moves between them by the summary at the top.
    report = reports[0]
    summaries = reports if not chosen or len(program_ids) == 1 else selectors.program_compliance(
        program_ids=program_ids)
    listing = list_page(request, report.needing_attention, COMPLIANCE_LIST, keep=["program"])
    listing.params["program"] = str(report.program.pk)
    if listing.wants_export:
        return listing.export(filename=f"ilp-compliance-{report.program.slug}.csv")
    selection = Selection(request, f"compliance-{report.program.pk}")
    if request.method == "POST":
        moved = selection_keep(request, selection, listing)
        if moved is not None:
            return moved
        if request.POST.get("action") == "nudge":
            try:
                sent = services.compliance_nudge(by=request.user, program=report.program, mentee_ids=selection.ids,
                                                 recipients=request.POST.get("recipients", ""))
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                selection.clear()
                messages.success(request, f"Reminded {sent['mentees']} mentee{'s' if sent['mentees'] != 1 else ''} "
                                          f"and {sent['mentors']} mentor{'s' if sent['mentors'] != 1 else ''} "
                                          "(nobody is reminded twice on one day).")
        return redirect(request.get_full_path())
    return render(request, "ilps/compliance.html", {
        "reports": summaries, "report": report, "listing": listing, "selected": selection.ids,
        "selected_count": len(selection), "recipients": services.NUDGE_RECIPIENTS, "today": timezone.localdate(),
    })
