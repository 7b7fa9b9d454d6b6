"""Reads about people's profiles."""

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404

User = get_user_model()


def profile_for_display(*, person):
    """The person's profile, or an empty unsaved one: looking at a profile never writes."""
    from .models import Profile

    try:
        return person.profile
    except Profile.DoesNotExist:
        return Profile(user=person)


def person_with_profile(*, user_id: int):
    return get_object_or_404(
        User.objects.select_related(
            "profile", "profile__institution", "img_details", "mentor_offer"
        ),
        pk=user_id,
    )
