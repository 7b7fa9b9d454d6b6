"""Writes to profiles. Every change to a person's profile goes through here."""

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from . import permissions
from .models import ImgDetails, MentorOffer, Profile, ProfilePhoto, SensitiveAttributes
from .photos import square_jpeg


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


@transaction.atomic
def profile_photo_set(*, person, upload, keep: str = "centre", by) -> ProfilePhoto:
    """Put up (or replace) the person's photo: checked, cropped to a square and stored without metadata.

    The old file is deleted once the new one is committed; if the write fails, the new file goes.
    """
    # Only the person chooses the photo that stands for them (every entry point puts up one's own).
    if not (by.is_authenticated and by.pk == person.pk):
        raise PermissionDenied("Only the person chooses their photo")
    content = square_jpeg(upload, keep=keep)
    photo = ProfilePhoto.objects.select_for_update().filter(user=person).first() or ProfilePhoto(user=person)
    old = photo.image.name if photo.pk and photo.image else ""
    storage = photo.image.storage
    photo.image.save("photo.jpg", ContentFile(content), save=False)
    new = photo.image.name
    try:
        photo.save()
    except Exception:
        storage.delete(new)
        raise
    transaction.on_commit(lambda: storage.delete(old) if old else None)
    return photo


@transaction.atomic
def profile_photo_remove(*, person, by) -> bool:
    """Take the person's photo down (the initials avatar shows again); False if there was none."""
    if not permissions.can_change_photo(by, person):
        raise PermissionDenied("Only the person, or the site's admins, take a photo down")
    photo = ProfilePhoto.objects.select_for_update().filter(user=person).first()
    if photo is None:
        return False
    stored, storage = photo.image.name, photo.image.storage
    photo.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))
    return True
