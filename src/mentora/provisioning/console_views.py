"""The site admin console's SCIM provisioning pages (/console/provisioning/): every institution with its
token, and one institution's token and group roles."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render

from mentora.programs.models import Institution, Membership

from . import services
from .models import ScimGroup, ScimToken
from .permissions import can_manage_provisioning, can_see_provisioning


def _render(request, template, context):
    return render(request, template, {"console_section": "provisioning", **context})


@login_required
def provisioning_list(request):
    if not can_see_provisioning(request.user):
        raise PermissionDenied
    live_tokens = {t.institution_id: t for t in ScimToken.objects.filter(revoked_at__isnull=True)}
    institutions = Institution.objects.order_by("name").annotate(people=Count("scim_users"))
    rows = [{"institution": i, "token": live_tokens.get(i.pk)} for i in institutions]
    return _render(request, "provisioning/console/list.html", {"rows": rows})


@login_required
def provisioning_page(request, institution_id: int):
    institution = get_object_or_404(Institution, pk=institution_id)
    if not can_manage_provisioning(request.user, institution):
        raise PermissionDenied
    secret = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "token_create":
            _, secret = services.scim_token_create(institution=institution, by=request.user)
        elif action == "token_revoke":
            services.scim_token_revoke(institution=institution, by=request.user)
            messages.success(request, "The SCIM token is revoked.")
            return redirect("console:provisioning", institution_id=institution.pk)
        elif action == "map":
            group = get_object_or_404(ScimGroup, pk=request.POST.get("group"), institution=institution)
            program = institution.programs.filter(pk=request.POST.get("program") or None).first()
            try:
                services.scim_group_map(group=group, program=program, role=request.POST.get("role", ""),
                                        by=request.user)
            except ValidationError as error:  # shown as a message on the page
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, f"{group.display_name} is saved.")
            return redirect("console:provisioning", institution_id=institution.pk)

    return _render(request, "provisioning/console/institution.html", {
        "institution": institution, "secret": secret,
        "token": ScimToken.objects.filter(institution=institution, revoked_at__isnull=True).first(),
        "groups": ScimGroup.objects.filter(institution=institution).select_related("program")
        .prefetch_related("members"),
        "people": institution.scim_users.count(),
        "programs": institution.programs.order_by("name"), "roles": Membership.Role.choices,
        "scim_url": request.build_absolute_uri("/scim/v2/"),
    })
