"""Writes to profiles. Every change to a person's profile goes through here."""

from django.db import transaction
from django.utils import timezone

from .models import ImgDetails, MentorOffer, Profile, SensitiveAttributes


def profile_ensure(*, user) -> Profile:
    profile, _created = Profile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def profile_update(*, user, full_name: str | None = None, profile_data: dict, img_data: dict | None = None,
                   offer_data: dict | None = None) -> Profile:
    if full_name is not None and full_name != user.full_name:
        user.full_name = full_name
        user.save(update_fields=["full_name"])
    profile = profile_ensure(user=user)
    for name, value in profile_data.items():
        setattr(profile, name, value)
    profile.full_clean()
    profile.save()
    if img_data is not None:
        details, _ = ImgDetails.objects.get_or_create(user=user)
        for name, value in img_data.items():
            setattr(details, name, value)
        details.full_clean()
        details.save()
    if offer_data is not None:
        offer, _ = MentorOffer.objects.get_or_create(user=user)
        for name, value in offer_data.items():
            setattr(offer, name, value)
        offer.full_clean()
        offer.save()
    return profile


@transaction.atomic
def sensitive_attributes_update(*, user, consent: bool, data: dict) -> SensitiveAttributes | None:
    """Store consented sensitive attributes; withdrawing consent deletes them at once."""
    if not consent:
        SensitiveAttributes.objects.filter(user=user).delete()
        return None
    attributes, _ = SensitiveAttributes.objects.get_or_create(user=user)
    if attributes.consented_at is None:
        attributes.consented_at = timezone.now()
    for name, value in data.items():
        setattr(attributes, name, value)
    attributes.full_clean()
    attributes.save()
    return attributes
