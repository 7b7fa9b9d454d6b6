from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from .services import first_steps_dismiss


@login_required
@require_POST
def dismiss(request):
    try:
        first_steps_dismiss(role=request.POST.get("role", ""), by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The checklist is put away. Your profile page shows what is still missing.")
    return redirect("home:home")
