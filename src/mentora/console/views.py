"""The site admin console: a home listing its sections, each section's pages."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from .permissions import can_use_console
from .sections import console_sections


def console_page(view):
    """Signed in, and a site admin (403 for everyone else)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_use_console(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@console_page
def console_home(request):
    return render(request, "console/home.html", {"sections": console_sections(), "console_section": "home"})
