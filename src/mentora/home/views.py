import json

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from mentora.directory.selectors import pending_counts
from mentora.ilps.selectors import dashboard_context as ilp_dashboard_context
from mentora.meetings.selectors import upcoming_meetings_for
from mentora.milestones.selectors import milestones_upcoming
from mentora.onboarding.selectors import first_steps
from mentora.profiles.selectors import profile_completeness
from mentora.programs.selectors import pending_invitation_count, user_roles

from . import selectors
from .navigation import SESSION_KEY, roles_held


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
    if roles.is_mentee or roles.is_mentor or not roles.labels:
        context["first_steps"] = first_steps(user=request.user)
        context["completeness"] = profile_completeness(user=request.user, as_mentor=roles.is_mentor or None)
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


@login_required
@require_POST
def switch_role(request):
    """Act as another of one's roles: the navigation shows that role's places from now on (kept in the
    session). A role the person does not hold is refused with a message, and nothing changes."""
    held = {navigation.key: navigation for navigation in roles_held(user_roles(user=request.user))}
    chosen = held.get(request.POST.get("role", ""))
    if chosen is None:
        messages.error(request, "You cannot act in that role: it is not one of yours this academic year.")
    else:
        request.session[SESSION_KEY] = chosen.key
        messages.success(request, f"You are now acting as {chosen.label.lower()}.")
    return redirect("home:home")


STYLE_COLOURS = (
    ("ink", "#1b2430", "text"), ("muted", "#4a5566", "secondary text"), ("brand", "#1d4e89", "links, buttons, header"),
    ("brand-dark", "#143a66", "hover, current page"), ("accent", "#0f766e", "highlights"), ("ok", "#17663a", "done, accepting"),
    ("warn", "#8a4b00", "due soon, waitlist"), ("danger", "#a4262c", "errors, full"), ("line", "#d5dbe3", "borders only"),
    ("wash", "#f4f6f9", "page background"), ("paper", "#ffffff", "cards, fields"), ("focus", "#f0b400", "keyboard focus ring"),
)


def style_guide(request):
    """Every component of the design system on one page, with the tokens it is built from."""
    return render(request, "home/style.html", {"colours": STYLE_COLOURS, "spacing": range(1, 8)})


# The app on a phone's home screen: a manifest, icons, and a service worker that keeps the site's own static
# files (styles, scripts, icons) for speed and offline starts. It never stores a page: pages are personal
# (a mentee's plan, a coordinator's lists) and must come fresh from the server, with its permission checks.
ICON_SIZES = (192, 512)
OFFLINE_ASSETS = (
    "mentora/mentora.css", "mentora/mentora.js", "mentora/early.js", "mentora/favicon.svg",
    "mentora/icons/icon-180.png", "mentora/icons/icon-192.png", "mentora/icons/icon-512.png",
)


@require_GET
def web_manifest(request):
    manifest = {
        "name": "Mentora",
        "short_name": "Mentora",
        "description": "Mentorship for International Medical Graduates: mentors, learning plans, meetings.",
        "start_url": reverse("home:home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#f4f6f9",
        "theme_color": "#1d4e89",
        "icons": [
            {"src": static(f"mentora/icons/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png",
             "purpose": "any maskable"}
            for size in ICON_SIZES
        ],
    }
    return JsonResponse(manifest, content_type="application/manifest+json")


@require_GET
def service_worker(request):
    response = render(request, "home/service-worker.js", {
        "assets": json.dumps([static(path) for path in OFFLINE_ASSETS]),
        "static_prefix": json.dumps(static("")),
    }, content_type="text/javascript")
    response["Cache-Control"] = "no-cache"  # a new release's worker is picked up on the next visit
    return response
