from allauth.account.adapter import get_adapter
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mentora.directory.selectors import pending_counts
from mentora.ilps.selectors import dashboard_context as ilp_dashboard_context
from mentora.meetings.selectors import upcoming_meetings_for
from mentora.milestones.selectors import milestones_upcoming
from mentora.programs.selectors import pending_invitation_count, user_roles

from . import selectors


def home(request):
    if not request.user.is_authenticated:
        return render(request, "home/landing.html", {"signup_open": get_adapter(request).is_open_for_signup(request)})
    roles = user_roles(user=request.user)
    context = {"roles": roles, "pending_invitations": pending_invitation_count(user=request.user)}
    if roles.is_mentee or not roles.labels:
        context["mentee"] = selectors.mentee_dashboard(user=request.user)
        context["milestones_upcoming"] = milestones_upcoming(user=request.user)
    if roles.is_mentor:
        context["mentor"] = selectors.mentor_dashboard(user=request.user)
    if roles.is_mentee or roles.is_mentor or not roles.labels:
        context["upcoming_meetings"] = upcoming_meetings_for(user=request.user)
    if roles.is_mentee or roles.is_mentor or not roles.labels:
        context["find_mentor"] = pending_counts(user=request.user)
    if roles.is_coordinator:
        context["programs"] = selectors.coordinator_home_rows(roles=roles)
    if roles.is_network_coordinator:
        context["networks"] = selectors.network_dashboard(roles=roles)
    if roles.is_admin:
        context["site"] = selectors.site_totals()
    context["ilp"] = ilp_dashboard_context(user=request.user, roles=roles)
    return render(request, "home/home.html", context)


def help_page(request):
    return render(request, "home/help.html")


@require_GET
def health(request):
    return HttpResponse("ok", content_type="text/plain")


@login_required
def whoami(request):
    """A tiny htmx partial: the roles the person holds (used on the dashboard)."""
    return render(request, "home/_roles.html", {"roles": user_roles(user=request.user)})
