"""The one way a page shows a service's refusal: on the form, on the field it names."""

from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError


def add_service_error(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field where the form has one, else on the form."""
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


def apply_to_form(form: forms.Form, action: Callable[[], object]) -> bool:
    """Run a service; True when it succeeded, False (with its errors on the form) when it refused."""
    try:
        action()
    except ValidationError as error:
        add_service_error(form, error)
        return False
    return True
