from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from mentora.background.models import Job
from mentora.core.academic_year import current_academic_year
from mentora.core.lists import Column, ListSpec, Selection, list_page, selection_keep
from mentora.programs.models import Program

from . import permissions
from .models import RelationshipRenewal, RolloverOverride
from .plan import rollover_plan
from .services import renewal_answer, rollover_override_set, rollover_request

ACTIONS = {"advance": "Advance", "graduate": "Graduate", "carry": "Carry over", "leave": "Leave",
           "already": "Already"}
STEPS_LIST = ListSpec(
    name="rollover", default_sort="role", search=lambda step: step.person,
    columns=[
        Column("person", "Person", sort=lambda step: step.person, value=lambda step: step.person),
        Column("role", "Role", sort=lambda step: (step.role, step.person.casefold()),
               value=lambda step: step.role.capitalize()),
        Column("now", "Now", sort=lambda step: step.level_label or None, value=lambda step: step.level_label),
        Column("next", "Next year", sort=lambda step: step.next_level_label or None,
               value=lambda step: step.next_level_label),
        Column("action", "Action", sort=lambda step: step.action, value=lambda step: ACTIONS[step.action]),
    ])
ANSWERS_LIST = ListSpec(
    name="rollover-answers", default_sort="mentee", search=("relationship__mentee__full_name",
                                                            "relationship__mentor__full_name"),
    columns=[
        Column("mentee", "Mentee", sort="relationship__mentee__full_name",
               value=lambda r: r.relationship.mentee.display_name),
        Column("mentor", "Mentor", sort="relationship__mentor__full_name",
               value=lambda r: r.relationship.mentor.display_name),
        Column("mentee_says", "Mentee says", sort="mentee_answer", value=lambda r: r.get_mentee_answer_display()),
        Column("mentor_says", "Mentor says", sort="mentor_answer", value=lambda r: r.get_mentor_answer_display()),
        Column("outcome", "Outcome", value=lambda r: r.outcome.capitalize()),
    ])


@login_required
def program_rollover(request, slug: str):
    program = get_object_or_404(Program, slug=slug)
    if not permissions.can_roll_over(request.user, program):
        raise PermissionDenied
    from_year = current_academic_year()
    plan = rollover_plan(program=program, from_year=from_year)
    listing = list_page(request, plan.steps, STEPS_LIST)
    if listing.wants_export:
        return listing.export(filename=f"rollover-{program.slug}-{from_year}.csv")
    renewals = (RelationshipRenewal.objects.filter(relationship__program=program, academic_year=from_year + 1)
                .select_related("relationship__mentee", "relationship__mentor"))
    answers = list_page(request, renewals, ANSWERS_LIST, prefix="answers-")
    if answers.wants_export:
        return answers.export(filename=f"rollover-answers-{program.slug}-{from_year + 1}.csv")
    selection = Selection(request, f"rollover-{program.pk}-{from_year}")
    confirm_error = ""
    status = 200
    if request.method == "POST":
        # The confirmation form, or the list's (ticks, moving between pages, overrides).
        action = request.POST.get("action") or ("select" if "goto" in request.POST or "shown" in request.POST
                                                else "commit")
        if action == "commit":
            if request.POST.get("confirm") == "yes":
                job = rollover_request(program=program, from_year=from_year, by=request.user)
                return redirect("background:job_detail", job_id=job.pk)
            confirm_error, status = "Tick the box to confirm the rollover.", 422
        else:
            moved = selection_keep(request, selection, listing)
            if moved is not None:
                return moved
            if action == "override":
                try:
                    changed = rollover_override_set(by=request.user, program=program, from_year=from_year,
                                                    membership_ids=selection.ids,
                                                    action=request.POST.get("override", ""))
                except ValidationError as error:
                    messages.error(request, " ".join(error.messages))
                else:
                    selection.clear()
                    messages.success(request, f"Changed what happens to {changed} "
                                              f"{'person' if changed == 1 else 'people'}.")
            return redirect(request.get_full_path())
    running = Job.objects.filter(kind=Job.Kind.ROLLOVER, program=program, params__from_year=from_year,
                                 status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).first()
    return render(request, "rollover/program.html", {
        "program": program, "plan": plan, "listing": listing, "answers": answers, "running": running,
        "selected": selection.ids, "selected_count": len(selection), "actions": ACTIONS,
        "overrides": RolloverOverride.Action.choices, "confirm_error": confirm_error,
    }, status=status)


@login_required
def renewal(request, renewal_id: int):
    item = get_object_or_404(RelationshipRenewal.objects.select_related(
        "relationship__mentee", "relationship__mentor", "relationship__program"), pk=renewal_id)
    if not permissions.can_answer_renewal(request.user, item):
        raise PermissionDenied
    if request.method == "POST":
        answer = request.POST.get("answer", "")
        if answer not in {"continue", "change", "close"}:
            messages.error(request, "Choose continue, change or close.")
        else:
            renewal_answer(renewal=item, by=request.user, answer=answer, note=request.POST.get("note", ""))
            messages.success(request, "Thank you, your answer is saved.")
            return redirect("rollover:rollover_renewal", renewal_id=item.pk)
    relationship = item.relationship
    mine = item.mentee_answer if request.user.pk == relationship.mentee_id else item.mentor_answer
    other = relationship.mentor if request.user.pk == relationship.mentee_id else relationship.mentee
    return render(request, "rollover/renewal.html", {"renewal": item, "relationship": relationship,
                                                     "mine": mine, "other": other,
                                                     "answers": RelationshipRenewal.Answer.choices[1:]})
