"""Coordinators act on relationships: pause, resume, close, reassign, and pair two people by hand.

The two sides change their own relationship from its page (mentora.meetings.views.relationship_change);
both go through the same services, which check permissions themselves.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from mentora.core.forms import apply_to_form
from mentora.programs.models import Program

from . import permissions, services
from .forms import PairForm, ReasonForm, ReassignForm
from .models import Relationship

TITLES = {
    "pause": ("Pause this relationship", "Pause", "Reminders about the cadence stop until it resumes."),
    "resume": ("Resume this relationship", "Resume", "The agreed cadence counts again from today."),
    "close": ("Close this relationship", "Close", "Closing ends the mentorship for both of them."),
    "reassign": ("Give the mentee another mentor", "Reassign",
                 "This relationship closes with your reason and a new one starts with the mentor you choose, "
                 "with the same checks as every other start (conflicts of interest, free places)."),
}


def _next(request, default: str) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    return default


@login_required
def relationship_manage(request, relationship_id: int, action: str):
    if action not in TITLES:
        raise Http404
    relationship = get_object_or_404(Relationship.objects.select_related("mentee", "mentor", "program"),
                                      pk=relationship_id)
    if not permissions.can_view_relationship(request.user, relationship):
        raise PermissionDenied
    allowed = permissions.can_reassign if action == "reassign" else permissions.can_change
    if not allowed(request.user, relationship):
        raise PermissionDenied
    by = request.user
    if action == "reassign":
        form = ReassignForm(request.POST or None, relationship=relationship)

        def act():
            return services.relationship_reassign(relationship=relationship, by=by, reason=form.cleaned_data["reason"],
                                                  mentor=form.cleaned_data["mentor"])
    else:
        form = ReasonForm(request.POST or None, required=action in ("close",))
        service = {"pause": services.relationship_pause, "resume": services.relationship_resume,
                   "close": services.relationship_close}[action]

        def act():
            return service(relationship=relationship, by=by, reason=form.cleaned_data["reason"])
    if request.method == "POST" and form.is_valid() and apply_to_form(form, act):
        messages.success(request, {"pause": "The relationship is paused; both of them are told.",
                                   "resume": "The relationship is active again; both of them are told.",
                                   "close": "The relationship is closed; both of them are told.",
                                   "reassign": "The mentee has a new mentor; all three are told."}[action])
        return redirect(_next(request, reverse("meetings:relationship_detail", args=[relationship.pk])))
    title, submit, intro = TITLES[action]
    return render(request, "relationships/manage.html", {
        "relationship": relationship, "form": form, "title": title, "submit": submit, "intro": intro,
        "next": _next(request, ""),
    }, status=400 if request.method == "POST" else 200)


@login_required
def relationship_pair(request, program_id: int):
    program = get_object_or_404(Program, pk=program_id)
    if not permissions.can_start(request.user, mentor=None, source=Relationship.Source.MANUAL, program=program):
        raise PermissionDenied
    initial = {key: request.GET[key] for key in ("mentee", "kind") if request.GET.get(key)}
    form = PairForm(request.POST or None, program=program, initial=initial)
    started = []

    def pair():
        started.append(services.relationship_pair(by=request.user, program=program, **form.cleaned_data))

    if request.method == "POST" and form.is_valid() and apply_to_form(form, pair):
        relationship = started[0]
        messages.success(request, f"{relationship.mentee.display_name} and {relationship.mentor.display_name} are "
                                  "paired; both of them are told.")
        return redirect("meetings:relationship_detail", relationship_id=relationship.pk)
    return render(request, "relationships/pair.html", {"program": program, "form": form,
                                                       "next": _next(request, "")},
                  status=400 if request.method == "POST" else 200)
