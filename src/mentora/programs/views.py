"""A person's program invitations (accept or decline), and a program's people for its coordinators."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from mentora.core.academic_year import academic_year_label, current_academic_year
from mentora.core.lists import Column, ListSpec, list_page

from . import permissions
from .models import MembershipInvitation, Program
from .selectors import invitations_to_answer, program_roster
from .services import membership_invitation_accept, membership_invitation_decline


@login_required
def membership_invitations(request):
    return render(request, "programs/invitations.html", {"invitations": invitations_to_answer(user=request.user)})


def _invitation(request, invitation_id: int) -> MembershipInvitation:
    invitation = get_object_or_404(MembershipInvitation.objects.select_related("program"), pk=invitation_id)
    if not permissions.can_answer_invitation(request.user, invitation):
        raise PermissionDenied
    return invitation


@login_required
@require_POST
def membership_invitation_accept_view(request, invitation_id: int):
    invitation = _invitation(request, invitation_id)
    try:
        membership_invitation_accept(invitation=invitation, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"You have joined {invitation.program.name}.")
    return redirect("programs:membership_invitations")


@login_required
@require_POST
def membership_invitation_decline_view(request, invitation_id: int):
    invitation = _invitation(request, invitation_id)
    try:
        membership_invitation_decline(invitation=invitation, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"You declined {invitation.program.name}'s invitation. "
                                  "The program sees only what the directory shows of you.")
    return redirect("programs:membership_invitations")


def _managed_program(request, program_id: int) -> Program:
    program = get_object_or_404(Program.objects.select_related("institution"), pk=program_id)
    if not permissions.can_manage_people(request.user, program):
        raise PermissionDenied
    return program


def _year(request) -> int:
    year = current_academic_year()
    asked = request.GET.get("year", "")
    return int(asked) if asked.isdecimal() and year - 10 <= int(asked) <= year + 1 else year


PEOPLE_LIST = ListSpec(
    name="people", default_sort="role", search=("user__full_name", "user__email"), per_page=50,
    columns=[
        Column("name", "Name", sort="user__full_name", value=lambda m: m.user.display_name),
        Column("email", "Email", sort="user__email", value=lambda m: m.user.email),
        Column("role", "Role", sort="role", value=lambda m: m.get_role_display()),
        Column("level", "Training level", sort="training_level", value=lambda m: m.get_training_level_display()),
    ])


@login_required
def program_people(request, program_id: int):
    program = _managed_program(request, program_id)
    year = _year(request)
    roster = program_roster(program=program, academic_year=year)
    listing = list_page(request, roster.members, PEOPLE_LIST, keep=["year"])
    if listing.wants_export:
        return listing.export(filename=f"people-{program.slug}-{year}.csv")
    return render(request, "programs/people.html", {
        "program": program, "year": year, "year_label": academic_year_label(year), "listing": listing,
        "roster": roster, "current_year": current_academic_year(),
    })
