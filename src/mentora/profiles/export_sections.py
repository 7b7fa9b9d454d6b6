"""Profile, IMG details, mentor offer and the person's own sensitive attributes."""

from mentora.core.export_registry import person_section, rows

from .models import ImgDetails, MentorOffer, Profile, SensitiveAttributes


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
