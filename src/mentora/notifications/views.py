from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .kinds import KINDS
from .models import NotificationPreference
from .selectors import notifications_for
from .services import notification_mark_read, preferences_save


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
    current = {p.kind: p.delivery for p in NotificationPreference.objects.filter(user=request.user)}
    errors = {}
    if request.method == "POST":
        chosen = {kind: request.POST[kind] for kind in KINDS if kind in request.POST}
        try:
            preferences_save(user=request.user, deliveries=chosen)
        except ValidationError as error:
            errors = {kind: problems[0] for kind, problems in error.message_dict.items()}
            current = chosen
        else:
            messages.success(request, "Your notification choices are saved.")
            return redirect("notification_preferences")
    rows = [
        {"kind": kind, "label": label, "delivery": current.get(kind, NotificationPreference.Delivery.EMAIL),
         "error": errors.get(kind, "")}
        for kind, label in KINDS.items()
    ]
    return render(request, "notifications/preferences.html", {
        "rows": rows, "deliveries": NotificationPreference.Delivery.choices,
    }, status=400 if errors else 200)
