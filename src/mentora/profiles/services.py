"""Writes to profiles. Every change to a person's profile goes through here."""

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from . import permissions
from .models import ImgDetails, MentorOffer, Profile, ProfilePhoto, SensitiveAttributes
from .photos import square_jpeg


def _check_edit(by, person) -> None:
    if not permissions.can_edit_profile(by, person):
        raise PermissionDenied("Only the person edits their own profile")


def profile_ensure(*, person, by) -> Profile:
    """The person's profile, made empty the first time they open it to edit."""
    _check_edit(by, person)
    profile, _created = Profile.objects.get_or_create(user=person)
    return profile


@transaction.atomic
def profile_update(*, person, full_name: str | None = None, profile_data: dict, img_data: dict | None = None,
                   offer_data: dict | None = None, by) -> Profile:
    """Save the person's profile, IMG details and mentor offer together (each checked as a whole)."""
    _check_edit(by, person)
    if full_name is not None and full_name != person.full_name:
        person.full_name = full_name
        person.save(update_fields=["full_name"])
    profile = profile_ensure(person=person, by=by)
    for name, value in profile_data.items():
        setattr(profile, name, value)
    profile.full_clean()
    profile.save()
    if img_data is not None:
        details, _ = ImgDetails.objects.get_or_create(user=person)
        for name, value in img_data.items():
            setattr(details, name, value)
        details.full_clean()
        details.save()
    if offer_data is not None:
        offer, _ = MentorOffer.objects.get_or_create(user=person)
        for name, value in offer_data.items():
            setattr(offer, name, value)
        offer.full_clean()
        offer.save()
    return profile


@transaction.atomic
def sensitive_attributes_update(*, person, consent: bool, data: dict, by) -> SensitiveAttributes | None:
    """Store consented sensitive attributes; withdrawing consent deletes them at once. Only the person
    answers or withdraws (the privacy app's withdrawal, logged and confirmed, calls this as the person)."""
    if not permissions.can_edit_profile(by, person):
        raise PermissionDenied("Only the person answers their optional attributes")
    if not consent:
        SensitiveAttributes.objects.filter(user=person).delete()
        return None
    attributes, _ = SensitiveAttributes.objects.get_or_create(user=person)
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
    if not permissions.can_edit_profile(by, person):
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
