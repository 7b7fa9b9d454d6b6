"""The site admin console's sign-on pages (/console/sign-on/)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from mentora.core.forms import apply_to_form
from mentora.programs.models import Institution

from . import services
from .forms import OidcForm, SamlForm
from .models import OIDC, PROTOCOLS, SAML, InstitutionSignOn
from .permissions import can_manage_sign_on
from .saml import DEFAULT_ATTRIBUTES


def sign_on_page(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_manage_sign_on(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)
    return wrapper


def _render(request, template, context):
    return render(request, template, {"console_section": "signon", **context})


@sign_on_page
def signon_list(request):
    institutions = Institution.objects.order_by("name").select_related("sign_on__app")
    rows = [{"institution": i, "sign_on": getattr(i, "sign_on", None)} for i in institutions]
    return _render(request, "sso/console/list.html", {"rows": rows})


def _initial(sign_on: InstitutionSignOn | None, protocol: str) -> dict:
    if sign_on is None or sign_on.protocol != protocol:
        return {"allow_signup": True}
    app, settings = sign_on.app, sign_on.app.settings or {}
    initial = {"email_domains": " ".join(sign_on.email_domains), "allow_signup": sign_on.allow_signup,
               "is_enabled": sign_on.is_enabled,
               "name": app.name if app.name != sign_on.institution.name else ""}
    if protocol == OIDC:
        initial.update({"server_url": settings.get("server_url", ""), "client_id": app.client_id})
    else:
        idp, mapping = settings.get("idp") or {}, settings.get("attribute_mapping") or {}
        initial.update({"idp_metadata_url": idp.get("metadata_url", ""), "idp_entity_id": idp.get("entity_id", ""),
                        "idp_sso_url": idp.get("sso_url", ""), "idp_x509cert": idp.get("x509cert", "")})
        for key in ("uid", "email", "name"):
            if mapping.get(key) and mapping[key] != DEFAULT_ATTRIBUTES[key]:
                initial[f"attr_{key}"] = ", ".join(mapping[key])
    return initial


@sign_on_page
def signon_edit(request, institution_id: int, protocol: str):
    institution = get_object_or_404(Institution, pk=institution_id)
    if protocol not in PROTOCOLS:
        raise PermissionDenied
    sign_on = InstitutionSignOn.objects.select_related("app").filter(institution=institution).first()
    form_class = OidcForm if protocol == OIDC else SamlForm
    form = form_class(request.POST or None, request.FILES or None, initial=_initial(sign_on, protocol))
    if request.method == "POST" and form.is_valid():
        if protocol == OIDC:
            data = form.cleaned_data
            action = lambda: services.sign_on_save_oidc(  # noqa: E731
                institution=institution, by=request.user, server_url=data["server_url"],
                client_id=data["client_id"], secret=data["secret"], **form.common())
        else:
            action = lambda: services.sign_on_save_saml(institution=institution, by=request.user,  # noqa: E731
                                                        **form.saml())
        if apply_to_form(form, action):
            messages.success(request, f"{institution.name}'s {PROTOCOLS[protocol]} sign-on is saved.")
            return redirect("console:signon_list")
    return _render(request, "sso/console/edit.html", {
        "institution": institution, "sign_on": sign_on, "form": form, "protocol": protocol,
        "protocol_label": PROTOCOLS[protocol], "other_protocol": SAML if protocol == OIDC else OIDC,
        "metadata_url": reverse("sso:saml_metadata", args=[institution.slug]),
    })


@require_POST
@sign_on_page
def signon_remove(request, institution_id: int):
    institution = get_object_or_404(Institution, pk=institution_id)
    services.sign_on_remove(institution=institution, by=request.user)
    messages.success(request, f"{institution.name}'s sign-on is removed.")
    return redirect("console:signon_list")


@require_POST
@sign_on_page
def signon_test(request, institution_id: int):
    sign_on = get_object_or_404(InstitutionSignOn.objects.select_related("app", "institution"),
                                institution_id=institution_id)
    return services.sign_on_test_start(request=request, sign_on=sign_on, by=request.user)


@sign_on_page
def signon_test_result(request, institution_id: int):
    institution = get_object_or_404(Institution, pk=institution_id)
    result = request.session.get(services.TEST_RESULT_KEY)
    if not result or result.get("institution_id") != institution.pk:
        result = None
    return _render(request, "sso/console/test_result.html", {"institution": institution, "result": result})
