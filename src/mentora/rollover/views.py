from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render

from mentora.background.models import Job
from mentora.programs.models import Program
from mentora.programs.selectors import current_academic_year

from . import permissions
from .models import RelationshipRenewal
from .plan import rollover_plan
from .services import renewal_answer, rollover_request


@login_required
def program_rollover(request, slug: str):
    program = get_object_or_404(Program, slug=slug)
    if not permissions.can_roll_over(request.user, program):
        raise PermissionDenied
    from_year = current_academic_year()
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            messages.error(request, "Tick the box to confirm the rollover.")
        else:
            job = rollover_request(program=program, from_year=from_year, by=request.user)
            return redirect("job_detail", job_id=job.pk)
        return redirect("rollover_program", slug=program.slug)
    plan = rollover_plan(program=program, from_year=from_year)
    renewals = (RelationshipRenewal.objects.filter(relationship__program=program, academic_year=from_year + 1)
                .select_related("relationship__mentee", "relationship__mentor"))
    running = Job.objects.filter(kind=Job.Kind.ROLLOVER, program=program, params__from_year=from_year,
                                 status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).first()
    return render(request, "rollover/program.html", {"program": program, "plan": plan, "renewals": renewals,
                                                     "running": running})


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
            renewal_answer(renewal=item, user=request.user, answer=answer, note=request.POST.get("note", ""))
            messages.success(request, "Thank you, your answer is saved.")
            return redirect("rollover_renewal", renewal_id=item.pk)
    relationship = item.relationship
    mine = item.mentee_answer if request.user.pk == relationship.mentee_id else item.mentor_answer
    other = relationship.mentor if request.user.pk == relationship.mentee_id else relationship.mentee
    return render(request, "rollover/renewal.html", {"renewal": item, "relationship": relationship,
                                                     "mine": mine, "other": other,
                                                     "answers": RelationshipRenewal.Answer.choices[1:]})
