"""The page where people create (secret shown once) and revoke their personal access tokens."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from mentora.accounts.mfa import ask_for_second_factor, has_mfa, second_factor_is_fresh
from mentora.core.forms import add_service_error

from .models import SCOPES
from .tokens import token_create, token_revoke, tokens_of

EXPIRY_CHOICES = [("", "Never"), ("30", "In 30 days"), ("90", "In 90 days"), ("365", "In a year")]


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What the token is for, e.g. 'residency reporting script'.")
    scopes = forms.MultipleChoiceField(
        choices=list(SCOPES.items()), widget=forms.CheckboxSelectMultiple, initial=["read"]
    )
    expires_in_days = forms.TypedChoiceField(
        label="Expires", choices=EXPIRY_CHOICES, coerce=int, empty_value=None, required=False
    )


@login_required
def token_list(request):
    # A token outlives the session: a person with an authenticator confirms a fresh code first.
    if request.method == "POST" and has_mfa(request.user) and not second_factor_is_fresh(request):
        return ask_for_second_factor(request)
    form = TokenForm(request.POST or None)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        try:
            token, new_secret = token_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Token “{token.name}” created. Copy it now: it will not be shown again.")
            form = TokenForm()
    return render(
        request,
        "api/tokens.html",
        {"form": form, "tokens": tokens_of(user=request.user), "new_secret": new_secret, "scopes": SCOPES},
        status=422 if request.method == "POST" and new_secret is None else 200,
    )


@login_required
@require_POST
def token_revoke_view(request, token_id: int):
    if token_revoke(by=request.user, token_id=token_id):
        messages.success(request, "The token is revoked; it no longer works.")
    else:
        messages.error(request, "No such active token of yours.")
    return redirect("tokens:api_tokens")
