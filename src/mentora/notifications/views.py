from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .kinds import KINDS
from .models import NotificationPreference
from .selectors import notifications_for
from .services import notification_mark_read, preference_set


@login_required
def notification_list(request):
    page = Paginator(notifications_for(user=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def notification_read(request, notification_id: int | None = None):
    notification_mark_read(user=request.user, notification_id=notification_id)
    return redirect("notification_list")


@login_required
def preferences(request):
    current = {p.kind: p for p in NotificationPreference.objects.filter(user=request.user)}
    if request.method == "POST":
        for kind in KINDS:
            preference_set(
                user=request.user, kind=kind, in_app=f"{kind}-in_app" in request.POST,
                email=f"{kind}-email" in request.POST,
            )
        messages.success(request, "Your notification choices are saved.")
        return redirect("notification_preferences")
    rows = [
        {"kind": kind, "label": label,
         "in_app": current[kind].in_app if kind in current else True,
         "email": current[kind].email if kind in current else True}
        for kind, label in KINDS.items()
    ]
    return render(request, "notifications/preferences.html", {"rows": rows})
