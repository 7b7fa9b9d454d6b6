from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mentora.programs.selectors import user_roles

from . import selectors


def home(request):
    if not request.user.is_authenticated:
        from allauth.account.adapter import get_adapter

        return render(request, "core/landing.html", {"signup_open": get_adapter(request).is_open_for_signup(request)})
    roles = user_roles(user=request.user)
    from mentora.programs.selectors import pending_invitation_count

    context = {"roles": roles, "pending_invitations": pending_invitation_count(user=request.user)}
    if roles.is_mentee or not roles.labels:
        context["mentee"] = selectors.mentee_dashboard(user=request.user)
        from mentora.milestones.selectors import milestones_upcoming

        context["milestones_upcoming"] = milestones_upcoming(user=request.user)
    if roles.is_mentor:
        context["mentor"] = selectors.mentor_dashboard(user=request.user)
    if roles.is_mentee or roles.is_mentor or not roles.labels:
        from mentora.meetings.selectors import upcoming_meetings_for

        context["upcoming_meetings"] = upcoming_meetings_for(user=request.user)
    if roles.is_mentee or roles.is_mentor or not roles.labels:
        from mentora.directory.selectors import pending_counts

        context["find_mentor"] = pending_counts(user=request.user)
    if roles.is_coordinator:
        context["programs"] = selectors.coordinator_home_rows(roles=roles)
    if roles.is_network_coordinator:
        context["networks"] = selectors.network_dashboard(roles=roles)
    if roles.is_admin:
        context["site"] = selectors.site_totals()
    from mentora.ilps.selectors import dashboard_context as ilp_dashboard_context

    context["ilp"] = ilp_dashboard_context(user=request.user, roles=roles)
    return render(request, "core/home.html", context)


def help_page(request):
    return render(request, "core/help.html")


@require_GET
def health(request):
    return HttpResponse("ok", content_type="text/plain")


@login_required
def whoami(request):
    """A tiny htmx partial: the roles the person holds (used on the dashboard)."""
    return render(request, "core/_roles.html", {"roles": user_roles(user=request.user)})
