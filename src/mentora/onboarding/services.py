"""Putting a first-steps checklist away."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import FirstSteps
from .selectors import MENTEE, MENTOR


@transaction.atomic
def first_steps_dismiss(*, role: str, by) -> FirstSteps:
    """The person puts away their checklist of one role (their own only: there is no one else's to touch)."""
    if role not in (MENTEE, MENTOR):
        raise ValidationError({"role": "Choose the mentee's or the mentor's checklist"})
    state, _ = FirstSteps.objects.select_for_update().get_or_create(user=by)
    field = f"{role}_dismissed_at"
    if getattr(state, field) is None:
        setattr(state, field, timezone.now())
        state.save(update_fields=[field])
    return state
