"""Profile, photo, IMG details, mentor offer and the person's own sensitive attributes."""

import base64

from mentora.core.export_registry import person_section, rows

from .models import ImgDetails, MentorOffer, Profile, ProfilePhoto, SensitiveAttributes
from .selectors import photo_bytes


def _one(model, user):
    found = rows(model.objects.filter(user=user), exclude=["id", "user_id"])
    return found[0] if found else None


@person_section("profile", models=["profiles.Profile"])
def profile(user):
    return _one(Profile, user)


@person_section("img_details", models=["profiles.ImgDetails"])
def img_details(user):
    return _one(ImgDetails, user)


@person_section("mentor_offer", models=["profiles.MentorOffer"])
def mentor_offer(user):
    return _one(MentorOffer, user)


@person_section("sensitive_attributes", models=["profiles.SensitiveAttributes"])
def sensitive_attributes(user):
    """The person's own sensitive attributes: theirs to have a copy of (never in a program export)."""
    return _one(SensitiveAttributes, user)


@person_section("profile_photo", models=["profiles.ProfilePhoto"])
def profile_photo(user):
    """The photo itself (as stored: a square JPEG without metadata), not where it is kept."""
    photo = ProfilePhoto.objects.filter(user=user).first()
    if photo is None:
        return None
    content = photo_bytes(photo)
    return {
        "uploaded_at": photo.uploaded_at,
        "content_type": "image/jpeg",
        "data_base64": base64.b64encode(content).decode("ascii") if content is not None else None,
    }
